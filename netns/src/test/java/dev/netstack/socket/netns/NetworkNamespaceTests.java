package dev.netstack.socket.netns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in the default test execution, on the host's network: the guard of the multicast tests must refuse it.
 */
class NetworkNamespaceTests {

    @Test
    void theGuardRefusesTheJvmOfTheDefaultTestExecution() {
        assertThat(NetworkNamespace.refusal()).isNotNull();
    }

}
