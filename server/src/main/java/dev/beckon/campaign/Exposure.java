package dev.beckon.campaign;

import java.time.Instant;

/** That the config endpoint first served a campaign to a person, and in which variant. */
public record Exposure(String variant, Instant firstTime) {}
