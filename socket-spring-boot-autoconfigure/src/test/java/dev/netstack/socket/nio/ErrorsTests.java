package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures of UDP I/O that loopback cannot produce on demand, mapped to their codes as the JDK reports them on
 * Linux.
 */
class ErrorsTests {

    static Stream<Arguments> failures() {
        return Stream.of(Arguments.of(new BindException("Address already in use"), BusinessError.ADDRESS_IN_USE),
                Arguments.of(new IOException("Message too long"), BusinessError.MESSAGE_TOO_LONG),
                Arguments.of(new IOException("Permission denied"), BusinessError.ACCESS_DENIED),
                Arguments.of(new IOException("Network is unreachable"), BusinessError.NETWORK_UNREACHABLE),
                Arguments.of(new BindException("Cannot assign requested address"), BusinessError.ADDRESS_NOT_AVAILABLE),
                Arguments.of(new PortUnreachableException(), BusinessError.CONNECTION_REFUSED),
                Arguments.of(new ClosedChannelException(), BusinessError.NOT_BOUND),
                Arguments.of(new ClosedSelectorException(), BusinessError.NOT_BOUND),
                Arguments.of(new IOException("something new"), BusinessError.INTERNAL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void ioFailureGetsItsCodeAndKeepsTheOperationAndCauseInTheMessage(Exception failure, int code) {
        BusinessError error = Errors.io("send to 127.0.0.1:9", failure);
        assertThat(error.getCode()).isEqualTo(code);
        assertThat(error.getMessage()).startsWith("send to 127.0.0.1:9 failed: ");
        assertThat(error.getCause()).isSameAs(failure);
        assertThat(Errors.CODES).contains(code);
    }

}
