package dev.beckon.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timeline cursor's text form: what it writes, it reads back; anything else is refused. */
class TimelineCursorTest {

    @Test
    void cursorReadsBackWhatItWrites() {
        var cursor = new TimelineCursor(
                Instant.parse("2026-12-03T10:15:30.123456Z"), Instant.parse("2026-12-03T10:15:31Z"), "ev-0001_ab");

        assertThat(TimelineCursor.parse(cursor.toString())).contains(cursor);
        assertThat(cursor.toString()).isEqualTo("1796292930123456.1796292931000000.ev-0001_ab");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2",
                "1.2.short",
                "a.2.event-id-1",
                "-1.2.event-id-1",
                "1.2.event id 1",
                "1.2.event-id-1.",
                "12345678901234567.2.event-id-1",
                "1.2.' OR 1=1 --",
                "1.2.événement-1",
                "１.2.event-id-1"
            })
    void anythingElseIsNotACursor(String text) {
        assertThat(TimelineCursor.parse(text)).isEmpty();
    }
}
