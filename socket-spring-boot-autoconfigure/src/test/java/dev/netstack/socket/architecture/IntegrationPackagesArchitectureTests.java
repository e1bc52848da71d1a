package dev.netstack.socket.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Each integration imports only its own library, so that the starter works with any of them absent, and the engine
 * stays plain Java (DESIGN.md, "Packages").
 */
@AnalyzeClasses(packages = "dev.netstack.socket", importOptions = ImportOption.DoNotIncludeTests.class)
class IntegrationPackagesArchitectureTests {

    @ArchTest
    static final ArchRule apiAndEngineUseNeitherSpringNorMicrometer = noClasses()
        .that()
        .resideInAnyPackage("dev.netstack.socket", "dev.netstack.socket.nio")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "io.micrometer..");

    @ArchTest
    static final ArchRule nothingOutsideAutoConfigurationUsesIt = noClasses()
        .that()
        .resideOutsideOfPackage("dev.netstack.socket.autoconfigure..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.netstack.socket.autoconfigure..");

    @ArchTest
    static final ArchRule eventsNeedOnlySpringContext = noClasses()
        .that()
        .resideInAPackage("dev.netstack.socket.event")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "org.springframework.boot..");

    @ArchTest
    static final ArchRule metricsNeedOnlyMicrometer = noClasses()
        .that()
        .resideInAPackage("dev.netstack.socket.metrics")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "dev.netstack.socket.event..");

    @ArchTest
    static final ArchRule healthNeedsOnlyTheHealthModule = noClasses()
        .that()
        .resideInAPackage("dev.netstack.socket.health")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "org.springframework.boot.actuate..", "dev.netstack.socket.event..");

    @ArchTest
    static final ArchRule endpointNeedsOnlyActuator = noClasses()
        .that()
        .resideInAPackage("dev.netstack.socket.actuate")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "org.springframework.boot.health..", "dev.netstack.socket.event..");

}
