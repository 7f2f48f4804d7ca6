package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Json;
import dev.beckon.store.MemberRow;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's answers about people rather than conditions, on each engine: the person a device
 * belongs to now, every identified device's user, a page of members, one person's membership, and
 * the members with their devices, as an export of a segment reads them.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class SegmentPeopleTest {

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
    void aDeviceBelongsToTheUserItWasLastIdentifiedAsElseToItself() {
        History history = history()
                .did("ann@shared", "V", "2026-03-28T10:00:00Z")
                .did("bob@shared", "V", "2026-03-28T11:00:00Z")
                .did("ann@shared", "V", "2026-03-28T09:00:00Z")
                .did("d:shared", "V", "2026-03-28T12:00:00Z")
                .did("d:alone", "V", "2026-03-28T10:00:00Z");
        SegmentEvaluator evaluator = store.evaluator();

        assertThat(evaluator.personOfDevice(history.siteId(), "shared")).isEqualTo(new Person("bob", null));
        assertThat(evaluator.personOfDevice(history.siteId(), "alone")).isEqualTo(new Person(null, "alone"));
        assertThat(evaluator.personOfDevice(history.siteId(), "unknown")).isEqualTo(new Person(null, "unknown"));
        assertThat(evaluator.usersOfDevices(history.siteId())).isEqualTo(Map.of("shared", "bob"));
    }

    @Test
    void membersArePagedInKeyOrderAndOnePersonIsAskedAlone() {
        History history = history()
                .did("d:b-device", "V", "2026-03-28T10:00:00Z")
                .did("carl", "V", "2026-03-28T10:00:00Z")
                .did("ann", "V", "2026-03-28T10:00:00Z")
                .did("bob", "W", "2026-03-28T10:00:00Z");
        Condition did = ConditionParser.parse(ConditionParserTest.json("{'did': {'event': 'V'}}"));
        SegmentEvaluator evaluator = store.evaluator();

        List<Person> first = evaluator.members(history.siteId(), did, History.NOW, ZoneOffset.UTC, 2, 0);
        List<Person> rest = evaluator.members(history.siteId(), did, History.NOW, ZoneOffset.UTC, 2, 2);

        assertThat(first).containsExactly(new Person(null, "b-device"), new Person("ann", null));
        assertThat(rest).containsExactly(new Person("carl", null));
        assertThat(evaluator.size(history.siteId(), did, History.NOW, ZoneOffset.UTC))
                .isEqualTo(3);
        assertThat(evaluator.contains(history.siteId(), did, new Person("ann", null), History.NOW, ZoneOffset.UTC))
                .isTrue();
        assertThat(evaluator.contains(history.siteId(), did, new Person("bob", null), History.NOW, ZoneOffset.UTC))
                .isFalse();
    }

    @Test
    void eachMemberComesOncePerDeviceAndAUserWithoutDevicesOnce() {
        History history = history()
                .did("ann@phone", "V", "2026-03-28T10:00:00Z")
                .did("ann@laptop", "V", "2026-03-28T10:00:00Z")
                .did("d:anonymous", "V", "2026-03-28T10:00:00Z")
                .did("bob@$import:bob", "$user_properties", "2026-03-28T10:00:00Z")
                .inCohort("vip", "carl", "bob");
        Condition anyone = ConditionParser.parse(
                Json.mapper().createObjectNode().set("all", Json.mapper().createArrayNode()));
        List<MemberRow> rows = new ArrayList<>();

        store.evaluator().forEachMemberDevice(history.siteId(), anyone, History.NOW, ZoneOffset.UTC, rows::add);

        assertThat(rows)
                .containsExactly(
                        new MemberRow(null, "anonymous"),
                        new MemberRow("ann", "laptop"),
                        new MemberRow("ann", "phone"),
                        new MemberRow("bob", null),
                        new MemberRow("carl", null));
    }

    private static History history() {
        return new History(store, "people-" + sites.incrementAndGet());
    }
}
