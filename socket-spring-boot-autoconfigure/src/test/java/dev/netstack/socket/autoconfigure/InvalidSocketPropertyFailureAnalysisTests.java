package dev.netstack.socket.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad value in {@code application.yml} stops the application while it starts, and the failure report names the
 * key, the value, where it was set, and why it is wrong.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class InvalidSocketPropertyFailureAnalysisTests {

    @Test
    void startupFailsWithAReportNamingKeyValueAndOrigin(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(SocketsApplication.class)
            .web(WebApplicationType.NONE)
            .properties("spring.config.name=invalid-socket", "spring.main.banner-mode=off");
        assertThatException().isThrownBy(application::run)
            .havingRootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid value '-1' for configuration property 'socket.udp.extra-options.receive-buffer-size'")
            .contains("invalid-socket.yml] - 6:28")
            .contains("must be between 0 and 2147483647 bytes");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class SocketsApplication {

    }

}
