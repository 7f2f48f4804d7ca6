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
 * Windows on the real engine, each at its boundary: the first instant inside and the last one
 * before. Rolling windows are exact durations; calendar windows and days of {@code between} count in
 * the site's time zone, here Europe/Berlin on its 23-hour day (2026-03-29) and its 25-hour day
 * (2026-10-25), and Asia/Kolkata, half an hour off the hour and without daylight saving.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class WindowsAndTimeZonesTest {

    /** The engine of this run of the class's tests. */
    @Parameter
    SegmentEngine engine;

    static final String BERLIN = "Europe/Berlin";
    static final String KOLKATA = "Asia/Kolkata";

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

    // Rolling windows

    @Test
    void rollingDaysHoursAndMinutesIncludeTheirFirstInstantOnly() {
        History history = history("2026-03-29T12:00:00Z", "UTC")
                .did("ann", "V", "2026-03-26T12:00:00Z")
                .did("bob", "V", "2026-03-26T11:59:59.999Z")
                .did("carl", "V", "2026-03-29T10:00:00Z")
                .did("dan", "V", "2026-03-29T09:59:59.999Z")
                .did("eve", "V", "2026-03-29T11:45:00Z")
                .did("fay", "V", "2026-03-29T11:44:59.999Z");

        assertThat(history.members(did("{'last': 3, 'unit': 'days'}")))
                .containsExactly("u:ann", "u:carl", "u:dan", "u:eve", "u:fay");
        assertThat(history.members(did("{'last': 2, 'unit': 'hours'}"))).containsExactly("u:carl", "u:eve", "u:fay");
        assertThat(history.members(did("{'last': 15, 'unit': 'minutes'}"))).containsExactly("u:eve");
    }

    @Test
    void aRollingDayIsTwentyFourHoursAcrossTheSpringChange() {
        History history = history("2026-03-29T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-03-28T12:00:00Z")
                .did("bob", "V", "2026-03-28T11:59:59Z");

        assertThat(history.members(did("{'last': 1, 'unit': 'days'}"))).containsExactly("u:ann");
    }

    @Test
    void aRollingWeekIsSevenTimesTwentyFourHoursAcrossTheAutumnChange() {
        History history = history("2026-10-28T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-10-21T12:00:00Z")
                .did("bob", "V", "2026-10-21T11:59:59Z");

        assertThat(history.members(did("{'last': 1, 'unit': 'weeks'}"))).containsExactly("u:ann");
    }

    @Test
    void everIncludesTheWholeHistory() {
        History history = history("2026-03-29T12:00:00Z", "UTC").did("ann", "V", "2001-01-01T00:00:00Z");

        assertThat(history.members(did("'ever'"))).containsExactly("u:ann");
        assertThat(history.members("{'did': {'event': 'V'}}")).containsExactly("u:ann");
    }

    // Calendar windows on daylight-saving days

    @Test
    void todayOnTheShortDayInBerlinStartsAtLocalMidnightInWinterTime() {
        History history = history("2026-03-29T21:59:59Z", BERLIN)
                .did("ann", "V", "2026-03-28T23:00:00Z")
                .did("bob", "V", "2026-03-28T22:59:59Z");

        assertThat(history.members(did(calendar(1, "days")))).containsExactly("u:ann");
    }

    @Test
    void todayOnTheLongDayInBerlinLastsTwentyFiveHours() {
        History history = history("2026-10-25T22:59:59Z", BERLIN)
                .did("ann", "V", "2026-10-24T22:00:00Z")
                .did("bob", "V", "2026-10-24T21:59:59Z");

        assertThat(history.members(did(calendar(1, "days")))).containsExactly("u:ann");
    }

    @Test
    void twoCalendarDaysTheDayAfterTheAutumnChangeStartAtMidnightInSummerTime() {
        History history = history("2026-10-26T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-10-24T22:00:00Z")
                .did("bob", "V", "2026-10-24T21:59:59Z");

        assertThat(history.members(did(calendar(2, "days")))).containsExactly("u:ann");
    }

    @Test
    void calendarHoursAcrossTheSkippedHourCountRealHours() {
        // 03:30 summer time: this hour began at 01:00Z, the one before at 00:00Z (01:00 winter time).
        History history = history("2026-03-29T01:30:00Z", BERLIN)
                .did("ann", "V", "2026-03-29T00:00:00Z")
                .did("bob", "V", "2026-03-28T23:59:59Z");

        assertThat(history.members(did(calendar(2, "hours")))).containsExactly("u:ann");
    }

    @Test
    void calendarWeeksStartOnMondayInTheSitesZoneAcrossTheAutumnChange() {
        History history = history("2026-10-28T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-10-18T22:00:00Z")
                .did("bob", "V", "2026-10-18T21:59:59Z")
                .did("carl", "V", "2026-10-25T23:00:00Z")
                .did("dan", "V", "2026-10-25T22:59:59Z");

        assertThat(history.members(did(calendar(2, "weeks")))).containsExactly("u:ann", "u:carl", "u:dan");
        assertThat(history.members(did(calendar(1, "weeks")))).containsExactly("u:carl");
    }

    @Test
    void betweenTheShortDayAndItselfIsTwentyThreeHoursInBerlin() {
        History history = history("2026-04-02T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-03-28T23:00:00Z")
                .did("bob", "V", "2026-03-28T22:59:59Z")
                .did("carl", "V", "2026-03-29T21:59:59Z")
                .did("dan", "V", "2026-03-29T22:00:00Z");

        assertThat(history.members(did("{'from': '2026-03-29', 'to': '2026-03-29'}")))
                .containsExactly("u:ann", "u:carl");
    }

    @Test
    void betweenTheLongDayAndItselfIsTwentyFiveHoursInBerlin() {
        History history = history("2026-11-02T12:00:00Z", BERLIN)
                .did("ann", "V", "2026-10-24T22:00:00Z")
                .did("bob", "V", "2026-10-24T21:59:59Z")
                .did("carl", "V", "2026-10-25T22:59:59Z")
                .did("dan", "V", "2026-10-25T23:00:00Z");

        assertThat(history.members(did("{'from': '2026-10-25', 'to': '2026-10-25'}")))
                .containsExactly("u:ann", "u:carl");
    }

    @Test
    void betweenSpansWholeDaysFromTheFirstToTheLast() {
        History history = history("2026-11-02T12:00:00Z", "UTC")
                .did("ann", "V", "2026-10-01T00:00:00Z")
                .did("bob", "V", "2026-10-31T23:59:59.999Z")
                .did("carl", "V", "2026-11-01T00:00:00Z")
                .did("dan", "V", "2026-09-30T23:59:59.999Z");

        assertThat(history.members(did("{'from': '2026-10-01', 'to': '2026-10-31'}")))
                .containsExactly("u:ann", "u:bob");
    }

    // A zone without daylight saving, off the hour

    @Test
    void todayInKolkataStartsAtHalfPastSixteenUtcEveryDayOfTheYear() {
        for (String day : new String[] {"2026-03-29", "2026-10-25"}) {
            String yesterday = day.equals("2026-03-29") ? "2026-03-28" : "2026-10-24";
            History history = history(day + "T12:00:00Z", KOLKATA)
                    .did("ann", "V", yesterday + "T18:30:00Z")
                    .did("bob", "V", yesterday + "T18:29:59Z");

            assertThat(history.members(did(calendar(1, "days")))).as(day).containsExactly("u:ann");
        }
    }

    @Test
    void calendarHoursInKolkataStartOnTheLocalHour() {
        // 18:15 in Kolkata: this hour began at 18:00 local, 12:30Z.
        History history = history("2026-03-29T12:45:00Z", KOLKATA)
                .did("ann", "V", "2026-03-29T12:30:00Z")
                .did("bob", "V", "2026-03-29T12:29:59Z");

        assertThat(history.members(did(calendar(1, "hours")))).containsExactly("u:ann");
    }

    @Test
    void betweenInKolkataIsTwentyFourHoursFromLocalMidnight() {
        History history = history("2026-04-02T12:00:00Z", KOLKATA)
                .did("ann", "V", "2026-03-28T18:30:00Z")
                .did("bob", "V", "2026-03-28T18:29:59Z")
                .did("carl", "V", "2026-03-29T18:29:59Z")
                .did("dan", "V", "2026-03-29T18:30:00Z");

        assertThat(history.members(did("{'from': '2026-03-29', 'to': '2026-03-29'}")))
                .containsExactly("u:ann", "u:carl");
    }

    // Windows of the other conditions

    @Test
    void sessionPropertiesPageViewsAndSequencesTakeWindowsToo() {
        History history = history("2026-03-29T12:00:00Z", "UTC")
                .sessionProperties("ann", "2026-03-29T10:00:00Z", "{'plan': 'pro'}")
                .sessionProperties("bob", "2026-03-27T10:00:00Z", "{'plan': 'pro'}")
                .visited("ann", "/cart", "2026-03-29T10:00:00Z")
                .visited("bob", "/cart", "2026-03-27T10:00:00Z")
                .did("ann", "A", "2026-03-29T10:00:00Z")
                .did("ann", "B", "2026-03-29T10:01:00Z")
                .did("bob", "A", "2026-03-27T23:59:00Z")
                .did("bob", "B", "2026-03-28T00:01:00Z");
        String today = calendar(1, "days");

        assertThat(history.members("{'sessionProperty': {'property': 'plan', 'op': 'eq', 'value': 'pro', 'window': "
                        + today + "}}"))
                .containsExactly("u:ann");
        assertThat(history.members("{'visited': {'path': '/cart', 'window': " + today + "}}"))
                .containsExactly("u:ann");
        assertThat(history.members("{'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'},"
                        + " 'within': {'amount': 1, 'unit': 'hours'}, 'window': " + calendar(2, "days") + "}}"))
                .containsExactly("u:ann");
    }

    // Helpers

    private static History history(String now, String zone) {
        return new History(store, "windows-" + sites.incrementAndGet()).at(now, zone);
    }

    private static String did(String window) {
        return "{'did': {'event': 'V', 'window': " + window + "}}";
    }

    private static String calendar(int amount, String unit) {
        return "{'last': " + amount + ", 'unit': '" + unit + "', 'calendar': true}";
    }
}
