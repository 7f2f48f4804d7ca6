package dev.beckon.ingest;

import dev.beckon.event.Event;
import java.util.List;

/**
 * An ingestion request, read and checked: the events that passed their checks, and a reason for
 * each that did not.
 *
 * @param dropped how many events the client dropped since its last report: from a full queue, or
 *     left unsent and unstored by a page that closed
 */
public record Batch(List<Event> valid, List<Rejection> rejected, long dropped) {

    /**
     * An event that failed its checks; it will fail them again, so the client should not retry it.
     *
     * @param index the event's position in the request's {@code events} array
     * @param id the event's id when it was a string, else null
     * @param reason which field is wrong, and how
     */
    public record Rejection(int index, String id, String reason) {}
}
