package dev.beckon.segment;

import dev.beckon.store.MemberRow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluates conditions over a site's people and their history, as of {@code now}, with day
 * windows in {@code zone}. Implementations compile a condition to parameterised queries of their
 * store; no text of a condition is ever spliced into a query.
 */
public interface SegmentEvaluator {

    /** How many people the condition holds for. */
    long size(String siteId, Condition condition, Instant now, ZoneId zone);

    /** A page of the people the condition holds for, ordered by their key. */
    List<Person> members(String siteId, Condition condition, Instant now, ZoneId zone, int limit, int offset);

    /**
     * Hands every member to {@code sink} as it is read, once per device of the person (a user
     * without a device, and an anonymous device, once each), in person key then device id order.
     * Devices that hold imported user properties are left out. An exception from the sink stops the
     * reading and is rethrown.
     */
    void forEachMemberDevice(String siteId, Condition condition, Instant now, ZoneId zone, Consumer<MemberRow> sink);

    /** Whether the condition holds for one person. */
    boolean contains(String siteId, Condition condition, Person person, Instant now, ZoneId zone);

    /**
     * The person a device belongs to now: the user it was last identified as, or the device itself
     * when it never was.
     */
    Person personOfDevice(String siteId, String deviceId);

    /**
     * The user that each identified device of the site was last identified as, by device id; a
     * device never identified is absent. This is {@link #personOfDevice} for every device at once.
     */
    Map<String, String> usersOfDevices(String siteId);
}
