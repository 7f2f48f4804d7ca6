package dev.beckon.exports;

import dev.beckon.segment.Segment;
import dev.beckon.segment.SegmentEvaluator;
import dev.beckon.site.Site;
import dev.beckon.store.MemberRow;
import dev.beckon.store.duckdb.DuckDbCohorts;
import java.time.Clock;
import java.util.List;

/**
 * The members of a segment (as of now) or of an imported cohort, as rows of {@code userId,
 * deviceId}: one row per device of each person, read from the store as they are written.
 */
public final class MemberExports {

    public static final List<String> COLUMNS = List.of("userId", "deviceId");

    private final SegmentEvaluator evaluator;
    private final DuckDbCohorts cohorts;
    private final Clock clock;

    public MemberExports(SegmentEvaluator evaluator, DuckDbCohorts cohorts, Clock clock) {
        this.evaluator = evaluator;
        this.cohorts = cohorts;
        this.clock = clock;
    }

    /** Writes the segment's members now, devices included. */
    public void segment(Site site, Segment segment, ExportWriter out) {
        evaluator.forEachMemberDevice(
                site.id(), segment.parsed(), clock.instant(), site.timeZone(), row -> write(out, row));
        out.finish();
    }

    /** Writes the cohort's custom user ids, each with its devices. */
    public void cohort(Site site, String cohort, ExportWriter out) {
        cohorts.forEachMember(site.id(), cohort, row -> write(out, row));
        out.finish();
    }

    private static void write(ExportWriter out, MemberRow row) {
        out.row(row.userId(), row.deviceId());
    }
}
