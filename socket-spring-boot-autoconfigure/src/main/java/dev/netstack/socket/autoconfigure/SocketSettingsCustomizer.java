package dev.netstack.socket.autoconfigure;

import dev.netstack.socket.nio.SocketSettings;

/**
 * Changes the settings of the auto-configured socket factory after the {@code socket.*} properties were applied:
 * for what has no property, such as the thread name prefix or another observer.
 */
@FunctionalInterface
public interface SocketSettingsCustomizer {

    /**
     * Customizes the settings.
     * @param builder the builder, with the properties applied
     */
    void customize(SocketSettings.Builder builder);

}
