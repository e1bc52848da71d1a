package dev.netstack.socket.sample;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample in a JVM of its own, stopped as a service manager stops it: with SIGTERM. The engine's shutdown lines
 * ("... closed", "Socket factory stopped") must reach the log. The engine logs through {@code System.Logger}; routed
 * through {@code java.util.logging}, they were lost, because its own shutdown hook resets its handlers while the
 * context is still closing. Run twice: on the plain class path, and with the libraries on a class loader of their
 * own, as {@code java -jar} runs a packaged Spring Boot application.
 */
@Timeout(240)
class SampleSigtermLogTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** How the sample's JVM finds its classes. */
    enum Launch {

        CLASS_PATH, OWN_CLASS_LOADER

    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void sigtermLogsTheSocketsClosingAndTheFactoryStopping(Launch launch) throws Exception {
        Process process = start(launch, SocketSampleApplication.class.getName(), "--server.port=0",
                "--sample.udp.port=0", "--socket.servers.lines.port=0", "--socket.servers.secure-lines.port=0",
                "--sample.tcp.interval=1h");
        try {
            ProcessLines output = new ProcessLines(process, "sample-output");
            output.await((line) -> line.contains("Started " + SocketSampleApplication.class.getSimpleName()), TIMEOUT);

            // SIGTERM on Linux and macOS. Through the handle: Process.destroy() would also close our end of the
            // output pipe, and the shutdown lines could not be read.
            process.toHandle().destroy();

            assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the JVM ended").isTrue();
            // It has ended: what it wrote is read within moments.
            Duration drain = Duration.ofSeconds(10);
            assertThat(output.await((line) -> line.matches(".*UDP socket #\\d+ on 127\\.0\\.0\\.1:\\d+ closed.*"), drain))
                .contains("NioSocket");
            output.await((line) -> line.contains("Socket factory stopped"), drain);
        }
        finally {
            process.destroyForcibly();
        }
    }

    private static Process start(Launch launch, String... mainAndArguments) throws Exception {
        List<String> testClasses = new ArrayList<>();
        // The application's class path as Maven gives it to the tests, without the test classes themselves.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter((entry) -> !(Path.of(entry).endsWith("test-classes") && testClasses.add(entry)))
            .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (launch == Launch.CLASS_PATH) {
            command.addAll(List.of("-cp", classPath));
        }
        else {
            command.addAll(List.of("-cp", String.join(File.pathSeparator, testClasses),
                    OwnClassLoaderLauncher.class.getName(), classPath));
        }
        command.addAll(List.of(mainAndArguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

}
