package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The identity rules of docs/identity.md that the shared vectors do not hold, asked fresh of each
 * engine: a user who comes back to a shared device, an anonymous event at the instant of an
 * identified one, and user properties by event time whatever the order they arrive in. Live
 * membership's view of the same rules is {@code SegmentIdentitiesTest}'s (DuckDB only).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class SegmentAttributionTest {

    /** The engine of this run of the class's tests. */
    @Parameter
    SegmentEngine engine;

    @TempDir
    static Path dataDir;

    static SegmentStore store;
    static final AtomicInteger sites = new AtomicInteger();

    @BeforeParameterizedClassInvocation
    static void open(SegmentEngine engine) {
        store = engine.open(dataDir);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        store.close();
    }

    @Test
    void aUserWhoComesBackToASharedDeviceGetsOnlyTheirOwnStretches() {
        History history = history()
                .did("d:return", "FAY_1", "2026-03-28T10:00:00Z")
                .did("fay@return", "FAY_2", "2026-03-28T10:01:00Z")
                .did("d:return", "GUS_3", "2026-03-28T10:02:00Z")
                .did("gus@return", "GUS_4", "2026-03-28T10:03:00Z")
                .did("d:return", "FAY_5", "2026-03-28T10:04:00Z")
                .did("fay@return", "FAY_6", "2026-03-28T10:05:00Z")
                .did("d:return", "NOBODY_7", "2026-03-28T10:06:00Z");

        assertThat(history.members("{'did': {'event': 'FAY_1'}}")).containsExactly("u:fay");
        assertThat(history.members("{'did': {'event': 'GUS_3'}}")).containsExactly("u:gus");
        assertThat(history.members("{'did': {'event': 'FAY_5'}}")).containsExactly("u:fay");
        assertThat(history.members("{'did': {'event': 'NOBODY_7'}}")).containsExactly("d:return");
        assertThat(history.members("{'all': []}")).containsExactly("d:return", "u:fay", "u:gus");
    }

    @Test
    void anAnonymousEventAtTheInstantOfAnIdentifiedOneIsThatUsers() {
        History history = history()
                .did("d:tie", "SAME_INSTANT", "2026-03-28T10:00:00Z")
                .did("hal@tie", "LOGGED_IN", "2026-03-28T10:00:00Z");

        assertThat(history.members("{'did': {'event': 'SAME_INSTANT'}}")).containsExactly("u:hal");
    }

    @Test
    void userPropertiesTakeTheLatestByEventTimeWhateverOrderTheyArrive() {
        History history = history()
                .userProperties("ivy@props", "2026-03-28T10:30:00Z", "{'plan': 'pro'}")
                .userProperties("ivy@props", "2026-03-28T10:20:00Z", "{'plan': 'free'}")
                .userProperties("d:props", "2026-03-28T10:10:00Z", "{'plan': 'team'}");
        String pro = "{'userProperty': {'property': 'plan', 'op': 'eq', 'value': 'pro'}}";
        assertThat(history.members(pro)).containsExactly("u:ivy");

        // A later anonymous setting is the device's until Ivy logs in after it.
        history.userProperties("d:props", "2026-03-28T10:40:00Z", "{'plan': 'free'}");
        assertThat(history.members(pro)).containsExactly("u:ivy");
        history.did("ivy@props", "BACK", "2026-03-28T10:45:00Z");

        assertThat(history.members(pro)).isEmpty();
    }

    @Test
    void usersOfASharedDeviceKeepTheirOwnUserProperties() {
        History history = history()
                .userProperties("jo@family", "2026-03-28T10:00:00Z", "{'plan': 'pro'}")
                .userProperties("kim@family", "2026-03-28T10:05:00Z", "{'plan': 'free'}");

        assertThat(history.members("{'userProperty': {'property': 'plan', 'op': 'eq', 'value': 'pro'}}"))
                .containsExactly("u:jo");
        assertThat(history.members("{'userProperty': {'property': 'plan', 'op': 'eq', 'value': 'free'}}"))
                .containsExactly("u:kim");
    }

    private static History history() {
        return new History(store, "attribution-" + sites.incrementAndGet());
    }
}
