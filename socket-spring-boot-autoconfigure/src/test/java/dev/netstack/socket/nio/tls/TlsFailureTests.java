package dev.netstack.socket.nio.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * How failures are classified (DESIGN.md codes), driven in memory: each bad certificate is 2303504 on the side that
 * verified it; every other failure — no common protocol or suite, an alert, a peer that does not speak TLS, garbage
 * in the session — is 2303505. The failing side hands its alert to the transport, so the peer fails too.
 */
@Timeout(30)
class TlsFailureTests {

    private static final TestPki pki = TestPki.get();

    /** What each side of a handshake ended with. */
    private record Outcome(BusinessError client, BusinessError server) {
    }

    /** Runs the handshake, recording each side's failure instead of stopping at the first. */
    private static Outcome run(MemoryPair pair) {
        BusinessError client = attempt(pair.client::beginHandshake);
        BusinessError server = null;
        for (int round = 0; round < 20 && !(pair.clientEvents.outbound.isEmpty()
                && pair.serverEvents.outbound.isEmpty()); round++) {
            BusinessError failed = attempt(() -> MemoryPair.deliver(pair.clientEvents, pair.server, 1 << 20));
            server = (server != null) ? server : failed;
            failed = attempt(() -> MemoryPair.deliver(pair.serverEvents, pair.client, 1 << 20));
            client = (client != null) ? client : failed;
        }
        return new Outcome(client, server);
    }

    private static BusinessError attempt(Runnable step) {
        try {
            step.run();
            return null;
        }
        catch (BusinessError ex) {
            return ex;
        }
    }

    private static TLSSecureOptions serverWith(TestPki.Credential credential) {
        TLSSecureOptions options = credential.options();
        options.setCa(pki.caList());
        return options;
    }

    static Stream<Arguments> badServerCertificates() {
        return Stream.of(arguments("expired", (Function<TestPki, TestPki.Credential>) p -> p.expired, "validity"),
                arguments("another name", (Function<TestPki, TestPki.Credential>) p -> p.otherName,
                        "No subject alternative names matching IP address 127.0.0.1"),
                arguments("an unknown CA", (Function<TestPki, TestPki.Credential>) p -> p.unknownCa,
                        "unable to find valid certification path"));
    }

    @ParameterizedTest(name = "a server certificate of {0}")
    @MethodSource("badServerCertificates")
    void aBadServerCertificateIs2303504OnTheClientAnd2303505OnTheServer(String what,
            Function<TestPki, TestPki.Credential> credential, String reason) {
        Outcome outcome = run(MemoryPair.of(MemoryPair.trusting(), serverWith(credential.apply(pki))));

        assertThat(outcome.client().getCode()).isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        assertThat(outcome.client().getMessage()).contains("127.0.0.1:4433").contains(reason);
        assertThat(outcome.server()).as("the client's alert reached the server").isNotNull();
        assertThat(outcome.server().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
        assertThat(outcome.server().getMessage()).contains("alert");
    }

    @ParameterizedTest(name = "a server certificate of {0}, not validated")
    @MethodSource("badServerCertificates")
    void skipRemoteValidationAcceptsEveryBadCertificate(String what, Function<TestPki, TestPki.Credential> credential,
            String reason) {
        TlsConfig client = TlsConfig.client(new TLSConnectOptions(new NetAddress("127.0.0.1", 4433),
                MemoryPair.trusting(), List.of(), true));
        TlsConfig server = TlsConfig.server(
                new TLSConnectOptions(new NetAddress("127.0.0.1", 0), serverWith(credential.apply(pki))));

        MemoryPair pair = new MemoryPair(client, server).handshake();

        assertThat(pair.client.sessionInfo().peerCertificate().data()).isEqualTo(credential.apply(pki).der());
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void aClientWithoutTheRequiredCertificateIs2303504OnTheServer(TLSProtocol protocol) {
        TLSSecureOptions server = serverWith(pki.server);
        server.setIsBidirectionalAuthentication(true);

        Outcome outcome = run(MemoryPair.of(MemoryPair.trusting(protocol), server));

        assertThat(outcome.server().getCode()).isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        assertThat(outcome.client().getCode()).as("the client only hears the alert")
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void aClientCertificateFromAnUnknownCaIs2303504OnTheServer() {
        TLSSecureOptions client = pki.unknownCaClient.options();
        client.setCa(pki.caList());
        TLSSecureOptions server = serverWith(pki.server);
        server.setIsBidirectionalAuthentication(true);

        Outcome outcome = run(MemoryPair.of(client, server));

        assertThat(outcome.server().getCode()).isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        assertThat(outcome.server().getMessage()).contains("127.0.0.1:50000");
        assertThat(outcome.client().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void noCommonProtocolIs2303505OnBothSides() {
        Outcome outcome = run(MemoryPair.of(MemoryPair.trusting(TLSProtocol.TLSv12),
                MemoryPair.serverOptions(TLSProtocol.TLSv13)));

        assertThat(outcome.server().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
        assertThat(outcome.client().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void noCommonCipherSuiteIs2303505OnBothSides() {
        TLSSecureOptions client = MemoryPair.trusting(TLSProtocol.TLSv12);
        // An RSA suite, and the server's key is EC.
        client.setCipherSuite("ECDHE-RSA-AES128-GCM-SHA256");

        Outcome outcome = run(MemoryPair.of(client, MemoryPair.serverOptions(TLSProtocol.TLSv12)));

        assertThat(outcome.server().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
        assertThat(outcome.server().getMessage()).contains("127.0.0.1:50000");
        assertThat(outcome.client().getCode()).isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void aPlaintextClientIs2303505OnTheServer() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions());

        assertThatThrownBy(() -> pair.server.receive(ascii("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")))
            .isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void aPlaintextServerIs2303505OnTheClient() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions());
        pair.client.beginHandshake();

        assertThatThrownBy(() -> pair.client.receive(ascii("HTTP/1.1 400 Bad Request\r\n\r\n")))
            .isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void garbageAfterTheHandshakeIs2303505AndTheAlertGoesOut(TLSProtocol protocol) {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(protocol), MemoryPair.serverOptions(protocol)).handshake();
        byte[] garbage = new byte[64];
        // An application-data record header with a body that no key decrypts.
        garbage[0] = 23;
        garbage[1] = 3;
        garbage[2] = 3;
        garbage[4] = 59;

        assertThatThrownBy(() -> pair.server.receive(ByteBuffer.wrap(garbage))).isInstanceOf(BusinessError.class)
            .satisfies(error -> assertThat(((BusinessError) error).getMessage()).startsWith("TLS session with"))
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);

        assertThat(pair.serverEvents.outbound).as("the fatal alert, for the owner to write").isNotEmpty();
        assertThat(pair.server.isClosed()).isTrue();
        assertThatThrownBy(() -> pair.server.receive(ByteBuffer.wrap(new byte[1])))
            .as("the engine stays failed").isInstanceOf(BusinessError.class);
        assertThatThrownBy(() -> MemoryPair.deliver(pair.serverEvents, pair.client, 1 << 20))
            .as("the client hears the alert").isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void aRecordLargerThanTlsAllowsIs2303505EvenWhenItsHeaderIsSplit() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions()).handshake();
        pair.server.receive(ByteBuffer.wrap(new byte[] { 23, 3, 3 }));
        assertThat(pair.server.bufferedBytes()).as("the start of a header waits for the rest").isEqualTo(3);

        assertThatThrownBy(() -> pair.server.receive(ByteBuffer.wrap(new byte[] { (byte) 0xFF, (byte) 0xFF, 1 })))
            .isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
    }

    @Test
    void transportErrorsMoveToTheTlsBase() {
        BusinessError refused = new BusinessError(BusinessError.CONNECTION_REFUSED, "connect to 127.0.0.1:1 failed");

        assertThat(TlsFailures.fromTransport(refused).getCode()).isEqualTo(2303211);
        assertThat(TlsFailures.fromTransport(refused).getMessage()).isEqualTo(refused.getMessage());
        assertThat(TlsFailures.fromTransport(new BusinessError(BusinessError.ADDRESS_IN_USE, "in use")).getCode())
            .isEqualTo(2303198);
        assertThat(TlsFailures.fromTransport(new BusinessError(BusinessError.TIMED_OUT, "late")).getCode())
            .isEqualTo(BusinessError.TLS_HANDSHAKE_TIMED_OUT);
        BusinessError parameter = new BusinessError(BusinessError.PARAMETER_ERROR, "bad");
        assertThat(TlsFailures.fromTransport(parameter)).isSameAs(parameter);
        assertThat(TlsFailures.handshakeTimedOut("127.0.0.1:4433", 250).getMessage()).contains("127.0.0.1:4433")
            .contains("250 ms");
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

}
