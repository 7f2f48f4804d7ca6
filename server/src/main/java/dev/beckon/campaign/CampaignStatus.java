package dev.beckon.campaign;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a campaign is in its life. A draft becomes scheduled or live when it is published, a live
 * or scheduled campaign can be paused and published again, and any of them but a draft can be
 * ended; an ended campaign stays ended (docs/campaigns.md, "Status").
 */
public enum CampaignStatus {
    DRAFT,
    SCHEDULED,
    LIVE,
    PAUSED,
    ENDED;

    /** The name in the admin API and the config: {@code draft}, {@code live}, and so on. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CampaignStatus> ofWire(String text) {
        for (CampaignStatus status : values()) {
            if (status.wire().equals(text)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire();
    }
}
