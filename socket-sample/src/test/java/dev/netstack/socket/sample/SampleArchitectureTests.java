package dev.netstack.socket.sample;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample shows what an application may use: the API ({@code dev.netstack.socket}) and the application events
 * ({@code dev.netstack.socket.event}), never the engine or the auto-configuration, which may change at any time.
 */
@AnalyzeClasses(packages = "dev.netstack.socket.sample",
        importOptions = { ImportOption.DoNotIncludeTests.class, SampleArchitectureTests.NotGeneratedAheadOfTime.class })
class SampleArchitectureTests {

    @ArchTest
    static final ArchRule usesOnlyThePublicApi = noClasses().that()
        .resideInAPackage("dev.netstack.socket.sample..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.netstack.socket.nio..", "dev.netstack.socket.autoconfigure..",
                "dev.netstack.socket.metrics..", "dev.netstack.socket.health..", "dev.netstack.socket.actuate..");

    /**
     * Leaves out the classes that AOT processing generated into target/classes in an earlier build
     * ({@code SocketSampleApplication__BeanFactoryRegistrations} names every auto-configuration): the sample's own
     * code is what the rule is about.
     */
    static final class NotGeneratedAheadOfTime implements ImportOption {

        @Override
        public boolean includes(Location location) {
            return !location.contains("__");
        }

    }

}
