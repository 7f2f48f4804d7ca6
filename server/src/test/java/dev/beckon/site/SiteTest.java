package dev.beckon.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteTest {

    @ParameterizedTest
    @CsvSource({
        "https://shop.example, shop.example, https://shop.example, true",
        "https://shop.example, shop.example, https://evil.example, false",
        "https://shop.example, shop.example, http://shop.example, false",
        "self, localhost:8080, http://localhost:8080, true",
        "self, localhost:8080, http://localhost:9090, false",
        "self, localhost:8080, http://evil.example, false",
        "self, localhost:8080, not a url, false",
        "self, localhost:8080, null, false"
    })
    void originIsAllowedOnlyWhenListed(String allowed, String host, String origin, boolean expected) {
        var site = new Site(
                "s",
                "S",
                List.of(allowed),
                java.time.ZoneOffset.UTC,
                SiteRules.DEFAULT_RETENTION_DAYS,
                SiteRules.DEFAULT_RECONTACT_DAYS,
                Instant.EPOCH);

        assertThat(site.allowsOrigin(origin, host)).isEqualTo(expected);
    }
}
