package dev.netstack.socket.event;

import java.util.List;
import java.util.Set;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints that AOT processing registers through {@code META-INF/spring/aot.factories}, as a native image needs
 * them: SpEL in an {@code @EventListener} condition can read every getter of every event and of what it returns.
 */
class SocketEventRuntimeHintsTests {

    private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private static RuntimeHints hints;

    @BeforeAll
    static void registerAsAotProcessingDoes() {
        // AOT processing loads every registrar of aot.factories on the class path: the starter's must be one.
        List<RuntimeHintsRegistrar> registrars = AotServices.factories().load(RuntimeHintsRegistrar.class).asList();
        assertThat(registrars).hasAtLeastOneElementOfType(SocketEventRuntimeHints.class);
        hints = new RuntimeHints();
        registrars.stream()
            .filter(SocketEventRuntimeHints.class::isInstance)
            .forEach((registrar) -> registrar.registerHints(hints, SocketEventRuntimeHintsTests.class.getClassLoader()));
    }

    @Test
    void conditionsCanReadWhatEveryEventHas() {
        assertThat(hints).matches(reflection.onMethodInvocation(SocketEvent.class, "getSocketId"))
            .matches(reflection.onMethodInvocation(SocketEvent.class, "getProtocol"))
            .matches(reflection.onMethodInvocation(SocketEvent.class, "getLocalAddress"))
            .matches(reflection.onMethodInvocation(SocketMessageEvent.class, "getRemoteAddress"))
            .matches(reflection.onMethodInvocation(SocketMessageEvent.class, "getMessage"))
            .matches(reflection.onMethodInvocation(SocketErrorEvent.class, "getError"));
    }

    @Test
    void conditionsCanReadTheValuesThatEventsReturn() {
        assertThat(hints).matches(reflection.onMethodInvocation(NetAddress.class, "port"))
            .matches(reflection.onMethodInvocation(NetAddress.class, "address"))
            .matches(reflection.onMethodInvocation(SocketMessageInfo.class, "size"))
            .matches(reflection.onMethodInvocation(SocketMessageInfo.class, "remoteInfo"))
            .matches(reflection.onMethodInvocation(SocketRemoteInfo.class, "port"))
            .matches(reflection.onMethodInvocation(BusinessError.class, "getCode"))
            .matches(reflection.onFieldAccess(BusinessError.class, "TIMED_OUT"));
    }

    @Test
    void everyConcreteEventOfThePackageHasHints() {
        // A new event class without hints would fail only in a native image: fail here instead.
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(SocketEvent.class));
        Set<BeanDefinition> events = scanner.findCandidateComponents(SocketEvent.class.getPackageName());
        assertThat(events).hasSizeGreaterThanOrEqualTo(5);
        assertThat(events).allSatisfy((event) -> assertThat(hints)
            .matches(reflection.onType(Class.forName(event.getBeanClassName()))
                .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS), event.getBeanClassName()));
    }

}
