package dev.beckon.store;

/** How many events of one name a site has, and from how many devices. */
public record NameCount(String name, long events, long devices) {}
