package dev.beckon.campaign;

import java.time.Instant;

/**
 * A saved campaign of a site.
 *
 * @param version 0 until first published, then one more at each published change: publishing, and
 *     every change saved while the campaign is not a draft. Events of the plugin carry it.
 * @param publishedAt when it was last published, or null if never
 */
public record Campaign(
        String siteId,
        String id,
        CampaignStatus status,
        int version,
        CampaignDefinition definition,
        Instant createdAt,
        Instant updatedAt,
        Instant publishedAt) {

    public Campaign withStatus(CampaignStatus next, int nextVersion, Instant now, Instant published) {
        return new Campaign(siteId, id, next, nextVersion, definition, createdAt, now, published);
    }
}
