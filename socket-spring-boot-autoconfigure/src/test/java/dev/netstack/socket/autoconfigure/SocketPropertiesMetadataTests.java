package dev.netstack.socket.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the build generates: every key of the design is documented, so IDEs complete and
 * explain it.
 */
class SocketPropertiesMetadataTests {

    private static final List<String> DOCUMENTED_KEYS = List.of("socket.enabled", "socket.io-threads",
            "socket.shutdown-timeout", "socket.udp.send-queue-limit", "socket.udp.extra-options.broadcast",
            "socket.udp.extra-options.receive-buffer-size", "socket.udp.extra-options.send-buffer-size",
            "socket.udp.extra-options.reuse-address", "socket.udp.extra-options.socket-timeout",
            "socket.tcp.connect-timeout", "socket.tcp.send-queue-limit", "socket.tcp.extra-options.keep-alive",
            "socket.tcp.extra-options.oob-inline", "socket.tcp.extra-options.tcp-no-delay",
            "socket.tcp.extra-options.socket-linger.on", "socket.tcp.extra-options.socket-linger.linger",
            "socket.tcp.extra-options.receive-buffer-size", "socket.tcp.extra-options.send-buffer-size",
            "socket.tcp.extra-options.reuse-address", "socket.tcp.extra-options.socket-timeout",
            "socket.multicast.interface", "socket.multicast.ttl", "socket.multicast.loopback-mode",
            "socket.events.enabled", "socket.events.queue-capacity", "socket.events.queue-limit",
            "socket.health.loop-timeout", "socket.access.allow", "socket.access.deny",
            "socket.server.max-connections", "socket.servers", "socket.tls.bundle", "socket.tls.handshake-timeout",
            "management.health.socket.enabled");

    private static List<Map<String, Object>> properties;

    private static List<Map<String, Object>> hints;

    @BeforeAll
    static void readGeneratedMetadata() throws Exception {
        // The file generated for this module, next to its classes: other jars on the class path have their own.
        URL classes = SocketProperties.class.getProtectionDomain().getCodeSource().getLocation();
        String location = classes.toString();
        URL metadata = new URL(location.endsWith(".jar") ? "jar:" + location + "!/" : location);
        metadata = new URL(metadata, "META-INF/spring-configuration-metadata.json");
        try (InputStream in = metadata.openStream()) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            properties = JsonPath.read(json, "$.properties[*]");
            hints = JsonPath.read(json, "$.hints[*]");
        }
    }

    @Test
    void everyKeyOfTheDesignIsDocumented() {
        assertThat(properties).extracting((property) -> property.get("name")).containsAll(DOCUMENTED_KEYS);
        assertThat(properties).filteredOn((property) -> DOCUMENTED_KEYS.contains(property.get("name")))
            .allSatisfy((property) -> assertThat((String) property.get("description")).as("%s", property.get("name"))
                .isNotBlank()
                .doesNotStartWith("The ")
                .doesNotStartWith("A ")
                .endsWith("."));
    }

    @Test
    void noKeyIsDocumentedThatTheDesignDoesNotHave() {
        assertThat(properties).extracting((property) -> (String) property.get("name"))
            .filteredOn((name) -> name.startsWith("socket."))
            .allSatisfy((name) -> assertThat(DOCUMENTED_KEYS).contains(name));
    }

    @Test
    void durationsAndSizesAreTypedWithTheirDefaults() {
        assertThat(property("socket.shutdown-timeout")).containsEntry("type", "java.time.Duration")
            .containsEntry("defaultValue", "10s");
        assertThat(property("socket.tcp.connect-timeout")).containsEntry("defaultValue", "5s");
        assertThat(property("socket.health.loop-timeout")).containsEntry("defaultValue", "1s");
        assertThat(property("socket.tls.handshake-timeout")).containsEntry("type", "java.time.Duration")
            .containsEntry("defaultValue", "10s");
        assertThat(property("socket.tcp.send-queue-limit")).containsEntry("type", "org.springframework.util.unit.DataSize")
            .containsEntry("defaultValue", "16MB");
        assertThat(property("socket.udp.send-queue-limit")).containsEntry("type", "org.springframework.util.unit.DataSize")
            .containsEntry("defaultValue", "4MB");
        assertThat(property("socket.udp.extra-options.receive-buffer-size"))
            .containsEntry("type", "org.springframework.util.unit.DataSize");
        assertThat(property("socket.events.enabled")).containsEntry("defaultValue", true);
        assertThat(property("socket.events.queue-capacity")).containsEntry("defaultValue", 8192);
        assertThat(property("socket.events.queue-limit")).containsEntry("type", "org.springframework.util.unit.DataSize")
            .containsEntry("defaultValue", "32MB");
        assertThat(property("socket.enabled")).containsEntry("defaultValue", true);
        assertThat(property("socket.access.allow")).containsEntry("type", "java.util.List<java.lang.String>");
        assertThat(property("socket.access.deny")).containsEntry("type", "java.util.List<java.lang.String>");
    }

    @Test
    void accessListsSuggestTheCommonBlocks() {
        assertThat(hints).filteredOn((hint) -> "socket.access.allow".equals(hint.get("name")))
            .singleElement()
            .satisfies((hint) -> assertThat(JsonPath.<List<String>>read(hint, "$.values[*].value"))
                .contains("127.0.0.0/8", "::1/128"));
        assertThat(hints).filteredOn((hint) -> "socket.access.deny".equals(hint.get("name")))
            .singleElement()
            .satisfies((hint) -> assertThat(JsonPath.<List<String>>read(hint, "$.values[*].value"))
                .contains("169.254.0.0/16"));
        assertThat(hints).extracting((hint) -> (String) hint.get("name"))
            .allSatisfy((name) -> assertThat(DOCUMENTED_KEYS).contains(name));
    }

    private static Map<String, Object> property(String name) {
        return properties.stream().filter((property) -> name.equals(property.get("name"))).findFirst().orElseThrow();
    }

}
