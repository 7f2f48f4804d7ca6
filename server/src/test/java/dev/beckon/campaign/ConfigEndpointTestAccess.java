package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.net.http.HttpRequest;

/** Fetches a config as the plugin does, for tests that need a device to have been served. */
final class ConfigEndpointTestAccess {

    private ConfigEndpointTestAccess() {}

    static void fetch(TestServer server, String deviceId) {
        var answer = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=" + deviceId)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
