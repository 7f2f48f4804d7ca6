package dev.beckon.dashboard;

import dev.beckon.event.Event;
import java.util.List;

/** The newest events of a site, or of one device or user, as the live list shows them. */
public record LivePage(String siteId, List<Event> events, String refreshUrl) {}
