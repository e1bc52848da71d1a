package dev.netstack.socket.netns;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The guard of every test that joins or sends multicast: it lets a test run only in a private network namespace made
 * by {@code netns/bin/java} (the {@code netns} test execution), whose only interfaces are the ones made there, so
 * that no multicast datagram can leave the machine. Checked before every test class and every test, before anything
 * is sent; anywhere else the tests are skipped, saying why.
 */
public final class NetworkNamespace implements ExecutionCondition {

    /** The interfaces {@code netns/bin/java} makes: nothing else may exist where multicast is sent. */
    private static final Set<String> OWN_INTERFACES = Set.of("lo", "mv0", "mv1");

    /** The interface that carries IPv6 groups; its peer is {@code mv1}. */
    public static final String IPV6_INTERFACE = "mv0";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String refusal = refusal();
        return (refusal == null) ? ConditionEvaluationResult.enabled("in a private network namespace: " + interfaces())
                : ConditionEvaluationResult.disabled("skipped: " + refusal);
    }

    /**
     * Tells why multicast must not be sent from this JVM.
     * @return the reason, or {@code null} when this JVM runs in a namespace of its own with only its own interfaces
     */
    static String refusal() {
        String unavailable = System.getenv("SOCKET_NETNS_UNAVAILABLE");
        if (unavailable != null) {
            return unavailable;
        }
        String host = System.getenv("SOCKET_NETNS_HOST");
        if (host == null) {
            return "this JVM was not started by netns/bin/java (the netns test execution of ./mvnw verify);"
                    + " multicast tests never run in the host's network namespace";
        }
        String own;
        try {
            own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        }
        catch (IOException | UnsupportedOperationException ex) {
            return "cannot tell this JVM's network namespace: " + ex;
        }
        if (own.equals(host)) {
            return "this JVM runs in the network namespace it was started from (" + own + "), not in one of its own";
        }
        List<String> names = interfaces();
        if (!OWN_INTERFACES.containsAll(names)) {
            return "the namespace has interfaces that it did not make: " + names;
        }
        return null;
    }

    /**
     * Skips the calling test unless the namespace was set up for a family.
     * @param family 1 (IPv4: {@code lo} with 224.0.0.0/4) or 2 (IPv6: the veth pair with ff00::/8)
     */
    public static void assumeFamily(int family) {
        String variable = (family == 1) ? "SOCKET_NETNS_IPV4" : "SOCKET_NETNS_IPV6";
        String state = System.getenv(variable);
        Assumptions.assumeTrue("ok".equals(state), () -> "skipped: " + variable + " = " + state);
        if (family == 2) {
            Assumptions.assumeTrue(interfaces().containsAll(List.of("mv0", "mv1")),
                    () -> "skipped: the veth pair mv0/mv1 is missing: " + interfaces());
        }
    }

    private static List<String> interfaces() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream().map(NetworkInterface::getName)
                .sorted()
                .toList();
        }
        catch (SocketException ex) {
            // Unknown interfaces count as foreign ones: the guard then refuses.
            return List.of("unknown: " + ex.getMessage());
        }
    }

}
