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
 * Behaviour with counts and filters, sequences, page visits, cohorts and all / any / not trees,
 * on the real engine, each at its boundaries. "Everyone" is every person with at least one event,
 * and every member of a cohort.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class ConditionKindsTest {

    /** The engine of this run of the class's tests. */
    @Parameter
    SegmentEngine engine;

    static final String T = "2026-03-28T10:00:00Z";

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

    // Behaviour

    @Test
    void countsCompareAtTheirBoundaries() {
        History history = times(history(), "ann", 3).did("bob", "BUY", T).did("bob", "BUY", T);
        history.did("carl", "HOME", T);

        assertThat(history.members(count("atLeast", 3))).containsExactly("u:ann");
        assertThat(history.members(count("atLeast", 2))).containsExactly("u:ann", "u:bob");
        assertThat(history.members(count("atMost", 2))).containsExactly("u:bob", "u:carl");
        assertThat(history.members(count("atMost", 0))).containsExactly("u:carl");
        assertThat(history.members(count("exactly", 2))).containsExactly("u:bob");
        assertThat(history.members(count("exactly", 0))).containsExactly("u:carl");
        assertThat(history.members(count("atLeast", 0))).containsExactly("u:ann", "u:bob", "u:carl");
    }

    @Test
    void everyFilterMustHoldOnTheSameEvent() {
        History history = history()
                .did("ann", "BUY", T, "{'category': 'shoes', 'value': 60}")
                .did("bob", "BUY", T, "{'category': 'shoes', 'value': 40}")
                .did("bob", "BUY", T, "{'category': 'bags', 'value': 60}");

        assertThat(history.members("{'did': {'event': 'BUY', 'where': [{'property': 'category', 'op': 'eq',"
                        + " 'value': 'shoes'}, {'property': 'value', 'op': 'gte', 'value': 50}]}}"))
                .containsExactly("u:ann");
    }

    @Test
    void atMostWithAFilterCountsOnlyTheMatchingEvents() {
        History history = history()
                .did("ann", "BUY", T, "{'category': 'shoes'}")
                .did("ann", "BUY", T, "{'category': 'shoes'}")
                .did("bob", "BUY", T, "{'category': 'bags'}")
                .did("bob", "BUY", T, "{'category': 'bags'}");

        assertThat(history.members("{'did': {'event': 'BUY', 'where': [{'property': 'category', 'op': 'eq',"
                        + " 'value': 'shoes'}], 'count': {'atMost': 1}}}"))
                .containsExactly("u:bob");
    }

    @Test
    void didNotHoldsForThoseWhoDidItOnlyOutsideTheWindowOrWithoutTheFilter() {
        History history = history()
                .did("ann", "CHECKOUT", "2026-03-01T10:00:00Z")
                .did("bob", "CHECKOUT", T, "{'coupon': 'no'}")
                .did("carl", "CHECKOUT", T, "{'coupon': 'yes'}")
                .did("dan", "HOME", T);

        assertThat(history.members("{'didNot': {'event': 'CHECKOUT', 'where': [{'property': 'coupon', 'op': 'eq',"
                        + " 'value': 'yes'}], 'window': {'last': 7, 'unit': 'days'}}}"))
                .containsExactly("u:ann", "u:bob", "u:dan");
    }

    @Test
    void eventNamesMatchExactlyAndCaseSensitively() {
        History history = history()
                .did("ann", "BUY", T)
                .did("bob", "buy", T)
                .did("carl", "BUY ", T)
                .did("dan", "BU%", T);

        assertThat(history.members("{'did': {'event': 'BUY'}}")).containsExactly("u:ann");
        assertThat(history.members("{'did': {'event': 'BU%'}}")).containsExactly("u:dan");
    }

    @Test
    void anonymousDevicesArePeopleOfTheirOwn() {
        History history = history().did("d:tablet", "BUY", T).did("ann", "BUY", T);

        assertThat(history.members("{'did': {'event': 'BUY'}}")).containsExactly("d:tablet", "u:ann");
    }

    // User properties

    @Test
    void aTieInEventTimeGoesToTheUserPropertiesReceivedLast() {
        History history = history();
        store.append(history.siteId(), ConditionParserTest.json("""
                [{'name': '$user_properties', 'time': '2026-03-28T10:00:00Z', 'userId': 'ann', 'deviceId': 'a',
                  'receivedAt': '2026-03-28T10:00:02Z', 'properties': {'plan': 'pro'}},
                 {'name': '$user_properties', 'time': '2026-03-28T10:00:00Z', 'userId': 'ann', 'deviceId': 'a',
                  'receivedAt': '2026-03-28T10:00:01Z', 'properties': {'plan': 'free'}}]"""));

        assertThat(history.members("{'userProperty': {'property': 'plan', 'op': 'eq', 'value': 'pro'}}"))
                .containsExactly("u:ann");
    }

    // Sequences

    @Test
    void aSequenceNeedsTheSecondEventStrictlyAfterTheFirstWithinTheSpan() {
        History history = history()
                .did("ann", "A", "2026-03-28T10:00:00Z")
                .did("ann", "B", "2026-03-28T10:30:00Z")
                .did("bob", "B", "2026-03-28T10:00:00Z")
                .did("bob", "A", "2026-03-28T10:01:00Z")
                .did("carl", "A", "2026-03-28T10:00:00Z")
                .did("carl", "B", "2026-03-28T10:30:00.001Z")
                .did("dan", "A", "2026-03-28T10:00:00Z")
                .did("dan", "B", "2026-03-28T10:00:00Z")
                .did("eve", "A", "2026-03-28T09:00:00Z")
                .did("eve", "A", "2026-03-28T10:20:00Z")
                .did("eve", "B", "2026-03-28T10:50:00Z");

        assertThat(history.members(sequence("A", "B", 30, "minutes"))).containsExactly("u:ann", "u:eve");
    }

    @Test
    void aSequenceOfOneEventNameNeedsTwoEvents() {
        History history = history()
                .did("ann", "A", "2026-03-28T10:00:00Z")
                .did("ann", "A", "2026-03-28T10:05:00Z")
                .did("bob", "A", "2026-03-28T10:00:00Z");

        assertThat(history.members(sequence("A", "A", 1, "hours"))).containsExactly("u:ann");
    }

    @Test
    void aSequenceMayCrossTheDevicesOfOneUserAndTheirAnonymousHistory() {
        History history = history()
                .did("d:phone", "A", "2026-03-28T09:00:00Z")
                .did("ann@phone", "LOGIN", "2026-03-28T09:01:00Z")
                .did("ann@laptop", "B", "2026-03-28T09:30:00Z")
                .did("d:tablet", "A", "2026-03-28T09:00:00Z")
                .did("bob@laptop2", "B", "2026-03-28T09:30:00Z");

        assertThat(history.members(sequence("A", "B", 1, "hours"))).containsExactly("u:ann");
    }

    // Pages

    @Test
    void visitedMatchesTheWholePathWithStarsForAnyTextIncludingNone() {
        History history = history()
                .visited("ann", "/shop/shoes/42", T)
                .visited("bob", "/shop/shoes/", T)
                .visited("carl", "/shop/Shoes/42", T)
                .visited("dan", "/shop/shoes", T)
                .visited("eve", "/x/shop/shoes/42", T)
                .did("fay", "CLICK", T, "{'path': '/shop/shoes/1'}");

        assertThat(history.members("{'visited': {'path': '/shop/shoes/*'}}")).containsExactly("u:ann", "u:bob");
        assertThat(history.members("{'visited': {'path': '*/shoes*'}}"))
                .containsExactly("u:ann", "u:bob", "u:dan", "u:eve");
        assertThat(history.members("{'visited': {'path': '/shop/*/4*'}}")).containsExactly("u:ann", "u:carl");
        assertThat(history.members("{'visited': {'path': '*'}}"))
                .containsExactly("u:ann", "u:bob", "u:carl", "u:dan", "u:eve");
    }

    @Test
    void visitedTreatsBackslashesAndSqlWildcardsAsPlainCharacters() {
        History history = history()
                .visited("ann", "/a\\b", T)
                .visited("bob", "/aXb", T)
                .visited("carl", "/a_b", T)
                .visited("dan", "/a%b", T);

        assertThat(history.members("{'visited': {'path': '/a\\\\b'}}")).containsExactly("u:ann");
        assertThat(history.members("{'visited': {'path': '/a_b'}}")).containsExactly("u:carl");
        assertThat(history.members("{'visited': {'path': '/a%*'}}")).containsExactly("u:dan");
    }

    // Cohorts

    @Test
    void aCohortHoldsItsUsersWithOrWithoutEventsAndOnlyOnItsSiteAndTheyCountAsEveryone() {
        History history = history().did("ann", "HOME", T).did("bob", "HOME", T).inCohort("vip", "ann", "zed");
        history().inCohort("vip", "bob");

        assertThat(history.members("{'inCohort': 'vip'}")).containsExactly("u:ann", "u:zed");
        assertThat(history.members("{'inCohort': 'VIP'}")).isEmpty();
        assertThat(history.members("{'not': {'inCohort': 'vip'}}")).containsExactly("u:bob");
        assertThat(history.members("{'not': {'not': {'inCohort': 'vip'}}}")).containsExactly("u:ann", "u:zed");
        assertThat(history.members("{'didNot': {'event': 'HOME'}}")).containsExactly("u:zed");
        assertThat(history.members("{'all': []}")).containsExactly("u:ann", "u:bob", "u:zed");
    }

    // Trees

    @Test
    void treesCombineAsLogicSays() {
        History history = history()
                .did("ann", "A", T)
                .did("ann", "B", T)
                .did("bob", "A", T)
                .did("carl", "B", T)
                .did("dan", "C", T);
        String a = "{'did': {'event': 'A'}}";
        String b = "{'did': {'event': 'B'}}";

        assertThat(history.members("{'all': [" + a + ", " + b + "]}")).containsExactly("u:ann");
        assertThat(history.members("{'any': [" + a + ", " + b + "]}")).containsExactly("u:ann", "u:bob", "u:carl");
        assertThat(history.members("{'not': " + a + "}")).containsExactly("u:carl", "u:dan");
        assertThat(history.members("{'not': {'not': " + a + "}}")).containsExactly("u:ann", "u:bob");
        assertThat(history.members("{'not': {'any': [" + a + ", " + b + "]}}"))
                .isEqualTo(history.members("{'all': [{'not': " + a + "}, {'not': " + b + "}]}"))
                .containsExactly("u:dan");
        assertThat(history.members("{'all': [" + a + ", {'any': [" + b + ", {'didNot': {'event': 'B'}}]}]}"))
                .containsExactly("u:ann", "u:bob");
        assertThat(history.members("{'all': []}")).containsExactly("u:ann", "u:bob", "u:carl", "u:dan");
        assertThat(history.members("{'any': []}")).isEmpty();
        assertThat(history.members("{'not': {'all': []}}")).isEmpty();
    }

    // Helpers

    private static History history() {
        return new History(store, "kinds-" + sites.incrementAndGet());
    }

    private static History times(History history, String person, int times) {
        for (int i = 0; i < times; i++) {
            history.did(person, "BUY", T);
        }
        return history;
    }

    private static String count(String comparison, int n) {
        return "{'did': {'event': 'BUY', 'count': {'" + comparison + "': " + n + "}}}";
    }

    private static String sequence(String first, String then, int amount, String unit) {
        return "{'sequence': {'first': {'event': '" + first + "'}, 'then': {'event': '" + then + "'}, 'within':"
                + " {'amount': " + amount + ", 'unit': '" + unit + "'}}}";
    }
}
