package dev.netstack.socket;

import java.util.Objects;

/**
 * Options of a UDP socket: the seed's {@code UDPExtraOptions}. A JavaBean, so that {@code application.yml}
 * ({@code socket.udp.extra-options.*}) binds to it; {@code null} fields are not applied.
 */
public class UDPExtraOptions extends ExtraOptions {

    private Boolean broadcast;

    /**
     * Returns whether broadcast datagrams may be sent (SO_BROADCAST).
     * @return the flag, or {@code null} when not set
     */
    public Boolean getBroadcast() {
        return this.broadcast;
    }

    /**
     * Sets whether broadcast datagrams may be sent (SO_BROADCAST); the seed's default is {@code false}.
     * @param broadcast the flag, or {@code null} to leave it unset
     */
    public void setBroadcast(Boolean broadcast) {
        this.broadcast = broadcast;
    }

    /**
     * Returns a new object with the fields of this one, overridden by the set fields of {@code overrides}.
     * @param overrides the options that win, may be {@code null}
     * @return a new object
     */
    public UDPExtraOptions merge(UDPExtraOptions overrides) {
        UDPExtraOptions merged = new UDPExtraOptions();
        merged.mergeShared(this);
        merged.broadcast = this.broadcast;
        if (overrides != null) {
            merged.mergeShared(overrides);
            if (overrides.broadcast != null) {
                merged.broadcast = overrides.broadcast;
            }
        }
        return merged;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UDPExtraOptions that && sharedEquals(that) && Objects.equals(this.broadcast, that.broadcast);
    }

    @Override
    public int hashCode() {
        return 31 * sharedHashCode() + Objects.hashCode(this.broadcast);
    }

    @Override
    public String toString() {
        return "UDPExtraOptions[broadcast=" + this.broadcast + ", " + sharedToString() + "]";
    }

}
