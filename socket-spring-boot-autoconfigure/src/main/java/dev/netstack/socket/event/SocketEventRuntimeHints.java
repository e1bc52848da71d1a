package dev.netstack.socket.event;

import java.util.List;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.LocalSocketMessageInfo;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Reflection hints for a native image of an application that listens to the socket events: the {@code condition}
 * of an {@code @EventListener} is SpEL, which calls the public methods of the event, and of the values a condition
 * navigates to ({@code #event.socketId}, {@code #event.message.remoteInfo.port}, {@code #event.error.code}), by
 * reflection. Registered in {@code META-INF/spring/aot.factories}.
 *
 * <p>What else the starter reaches by reflection is covered by Spring Boot itself: the binding of its
 * configuration properties, and the JSON of the {@code sockets} endpoint (its read operations).
 */
public class SocketEventRuntimeHints implements RuntimeHintsRegistrar {

    /** Every concrete event, their base, and the values their getters return. */
    private static final List<Class<?>> TYPES = List.of(SocketEvent.class, SocketListeningEvent.class,
            SocketConnectEvent.class, SocketMessageEvent.class, SocketCloseEvent.class, SocketErrorEvent.class,
            SocketMembershipEvent.class,
            NetAddress.class, SocketMessageInfo.class, LocalSocketMessageInfo.class, SocketRemoteInfo.class,
            BusinessError.class);

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        for (Class<?> type : TYPES) {
            hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        // The codes as constants: condition = "#event.error.code == T(dev.netstack.socket.BusinessError).TIMED_OUT".
        hints.reflection().registerType(BusinessError.class, MemberCategory.ACCESS_PUBLIC_FIELDS);
    }

}
