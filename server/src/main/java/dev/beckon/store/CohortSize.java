package dev.beckon.store;

/** An imported cohort of a site and how many custom user ids it lists. */
public record CohortSize(String name, long size) {}
