package dev.netstack.socket;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of DESIGN.md: the API and the engine use the JDK only, and nothing outside the auto-configuration
 * depends on it.
 */
class ArchitectureTests {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netstack.socket");
        // Guard against a rule that passes because it checked nothing.
        assertThat(production.stream().filter(c -> c.getPackageName().equals("dev.netstack.socket.nio")).count())
            .isGreaterThan(10);
        assertThat(production.stream().filter(c -> c.getPackageName().equals("dev.netstack.socket")).count())
            .isGreaterThan(10);
        assertThat(production.stream().filter(c -> c.getPackageName().equals("dev.netstack.socket.nio.tls")).count())
            .isGreaterThan(5);
    }

    @Test
    void apiAndEngineDoNotDependOnSpringOrMicrometer() {
        ArchRule rule = noClasses().that()
            .resideInAnyPackage("dev.netstack.socket", "dev.netstack.socket.nio..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.micrometer..")
            .because("the API and the engine must work without Spring and Micrometer (DESIGN.md, packages)");
        rule.check(production);
    }

    @Test
    void apiUsesTheJdkOnly() {
        ArchRule rule = classes().that()
            .resideInAPackage("dev.netstack.socket")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "dev.netstack.socket")
            .because("the public API imports nothing but the JDK, not even the engine");
        rule.check(production);
    }

    @Test
    void engineUsesTheJdkAndTheApiOnly() {
        ArchRule rule = classes().that()
            .resideInAPackage("dev.netstack.socket.nio..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.net.ssl..", "javax.crypto..", "javax.security.auth.x500..",
                    "dev.netstack.socket", "dev.netstack.socket.nio..")
            .because("the engine, its TLS included, is JDK + the API (DESIGN.md, packages)");
        rule.check(production);
    }

    @Test
    void nothingOutsideTheAutoConfigurationDependsOnIt() {
        ArchRule rule = noClasses().that()
            .resideOutsideOfPackage("dev.netstack.socket.autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.netstack.socket.autoconfigure..")
            .because("auto-configuration sits on top; events, metrics and health work without it")
            // The package may not exist yet; the rule still holds for what does.
            .allowEmptyShould(true);
        rule.check(production);
    }

}
