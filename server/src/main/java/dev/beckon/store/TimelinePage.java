package dev.beckon.store;

import dev.beckon.event.Event;
import java.util.List;
import java.util.Optional;

/**
 * One page of a device's or a user's timeline, newest first.
 *
 * @param next where the following (older) page starts; empty on the last page
 */
public record TimelinePage(List<Event> events, Optional<TimelineCursor> next) {}
