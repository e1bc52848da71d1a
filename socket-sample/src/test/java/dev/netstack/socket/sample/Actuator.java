package dev.netstack.socket.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads the Actuator endpoints of the application under test over HTTP, as {@code curl} would.
 */
final class Actuator {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final int port;

    Actuator(int port) {
        this.port = port;
    }

    /**
     * GETs a path that must answer 200 with JSON.
     * @param path for example {@code /actuator/health}
     * @return the parsed body
     */
    DocumentContext get(String path) throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JsonPath.parse(response.body());
    }

    /**
     * Waits until a meter reads the expected value. Sends are counted when they complete, which may be an instant
     * after the peer has the bytes.
     * @param name the meter
     * @param tag {@code key:value}
     * @param expected the value
     */
    void awaitMeter(String name, String tag, double expected) {
        String path = "/actuator/metrics/" + name + "?tag=" + tag;
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertThat(get(path).read("$.measurements[0].value", Double.class)).as(path)
                .isEqualTo(expected));
    }

}
