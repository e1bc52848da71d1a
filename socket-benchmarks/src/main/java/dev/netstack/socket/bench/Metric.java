package dev.netstack.socket.bench;

import java.util.List;

/**
 * One row of the table: what is measured, in which unit, which way is better, and the engine's target.
 *
 * @param key the key the workloads report under
 * @param workload the workload, as the first column shows it
 * @param label the metric, as the second column shows it
 * @param higherIsBetter the direction
 * @param format how values are printed
 * @param ratios whether ratios to Netty and plain NIO mean anything for this row
 * @param target the engine's target, or {@code null}
 */
record Metric(String key, String workload, String label, boolean higherIsBetter, String format, boolean ratios,
        Target target) {

    /** Every row, in table order. */
    static final List<Metric> ALL = List.of(
            new Metric("udp-64.rate", "UDP one-way, 64 B", "received datagrams/s (higher is better)", true, "%,.0f",
                    true, Target.ratioTo("netty-nio", 1.10)),
            new Metric("udp-64.offered", "UDP one-way, 64 B", "sent datagrams/s (the same plain sender)", true,
                    "%,.0f", false, null),
            new Metric("udp-64.loss", "UDP one-way, 64 B", "loss %", false, "%.1f", false, null),
            new Metric("udp-64.cpu", "UDP one-way, 64 B", "receiving thread CPU ns per datagram (lower is better)",
                    false, "%,.0f", true, null),
            new Metric("udp-1024.rate", "UDP one-way, 1024 B", "received datagrams/s (higher is better)", true,
                    "%,.0f", true, null),
            new Metric("udp-1024.offered", "UDP one-way, 1024 B", "sent datagrams/s (the same plain sender)", true,
                    "%,.0f", false, null),
            new Metric("udp-1024.loss", "UDP one-way, 1024 B", "loss %", false, "%.1f", false, null),
            new Metric("udp-1024.cpu", "UDP one-way, 1024 B", "receiving thread CPU ns per datagram (lower is better)",
                    false, "%,.0f", true, null),
            new Metric("tcp-bulk.rate", "TCP bulk, 64 KiB sends", "MB/s (higher is better)", true, "%,.0f", true,
                    Target.ratioTo("netty-nio", 1.30)),
            new Metric("tcp-bulk.cpu", "TCP bulk, 64 KiB sends", "sender CPU us per MiB (lower is better)", false,
                    "%,.0f", true, null),
            new Metric("udp-pingpong.p50", "UDP ping-pong, 64 B", "p50 round trip, us (lower is better)", false,
                    "%.1f", true, Target.plus("selector", 1.0)),
            new Metric("udp-pingpong.p99", "UDP ping-pong, 64 B", "p99 round trip, us (lower is better)", false,
                    "%.1f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("tcp-pingpong.p50", "TCP ping-pong, 64 B", "p50 round trip, us (lower is better)", false,
                    "%.1f", true, Target.plus("selector", 1.0)),
            new Metric("tcp-pingpong.p99", "TCP ping-pong, 64 B", "p99 round trip, us (lower is better)", false,
                    "%.1f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("local-bulk.rate", "Local (Unix domain) bulk, 64 KiB sends", "MB/s (higher is better)", true,
                    "%,.0f", true, Target.ratioTo("selector", 0.90)),
            new Metric("local-bulk.cpu", "Local (Unix domain) bulk, 64 KiB sends",
                    "sender CPU us per MiB (lower is better)", false, "%,.0f", true, null),
            new Metric("local-pingpong.p50", "Local (Unix domain) ping-pong, 64 B",
                    "p50 round trip, us (lower is better)", false, "%.1f", true, Target.plus("selector", 1.0)),
            new Metric("local-pingpong.p99", "Local (Unix domain) ping-pong, 64 B",
                    "p99 round trip, us (lower is better)", false, "%.1f", true, null),
            new Metric("idle.heap", "Idle TCP connections", "heap per connection, B (lower is better)", false,
                    "%,.0f", true, Target.absolute(1200)),
            new Metric("accept.rate", "Server accept, 4 blocking clients", "connections/s (higher is better)", true,
                    "%,.0f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("accept.cpu", "Server accept, 4 blocking clients",
                    "server thread CPU us per connection (lower is better)", false, "%.1f", true, null),
            new Metric("echo.rate", "Server echo, 64 B, 1,000 connections", "messages/s (higher is better)", true,
                    "%,.0f", true, Target.ratioTo("netty-nio", 1.10)),
            new Metric("echo.cpu", "Server echo, 64 B, 1,000 connections",
                    "server thread CPU ns per message (lower is better)", false, "%,.0f", true, null),
            new Metric("server-idle.heap", "Idle accepted connections", "heap per connection, B (lower is better)",
                    false, "%,.0f", true, Target.absolute(1000)),
            new Metric("tls-bulk.rate", "TLS 1.3 bulk, 64 KiB sends", "MB/s of plaintext (higher is better)", true,
                    "%,.0f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("tls-bulk.cpu", "TLS 1.3 bulk, 64 KiB sends", "sender CPU us per MiB (lower is better)", false,
                    "%,.0f", true, null),
            new Metric("tls-handshake.rate", "TLS 1.3 handshakes, 4 blocking clients",
                    "handshakes/s, one loop (higher is better)", true, "%,.0f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("tls-handshake.cpu", "TLS 1.3 handshakes, 4 blocking clients",
                    "server thread CPU us per handshake (lower is better)", false, "%,.0f", true, null),
            new Metric("tls-idle.heap", "Idle accepted TLS connections", "heap per connection, B (lower is better)",
                    false, "%,.0f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("events-off.rate", "Events (UDP 64 B receive)", "datagrams/s, events off", true, "%,.0f",
                    false, null),
            new Metric("events-on.rate", "Events (UDP 64 B receive)", "datagrams/s, events on (queue + thread)", true,
                    "%,.0f", false, Target.ratioOfRow("events-off.rate", 0.75)),
            new Metric("events-off.cpu", "Events (UDP 64 B receive)", "event loop CPU ns per datagram, events off",
                    false, "%,.0f", false, null),
            new Metric("events-on.cpu", "Events (UDP 64 B receive)", "event loop CPU ns per datagram, events on",
                    false, "%,.0f", false, null),
            new Metric("events-on.helper-cpu", "Events (UDP 64 B receive)",
                    "dispatch thread CPU ns per datagram, events on", false, "%,.0f", false, null),
            new Metric("events-on.helper-wakeups", "Events (UDP 64 B receive)",
                    "dispatch thread wake-ups per 1,000 datagrams, events on (lower is better)", false, "%,.1f", false,
                    null),
            new Metric("alloc.receive", "Allocation, UDP receive 64 B", "B per datagram, all threads (JMH -prof gc)",
                    false, "%,.0f", true, Target.overColumn("plain", 80)),
            new Metric("alloc.send", "Allocation, UDP send 64 B", "B per send, callback form (JMH -prof gc)", false,
                    "%,.0f", true, null),
            new Metric("alloc.send-future", "Allocation, UDP send 64 B", "B per send, promise form (JMH -prof gc)",
                    false, "%,.0f", true, null),
            new Metric("framing.rate", "Framing, lines of 64 B", "frames/s, decoder level (higher is better)", true,
                    "%,.0f", true, Target.ratioTo("netty-nio", 1.0)),
            new Metric("framing.cpu-rate", "Framing, lines of 64 B",
                    "frames per second of the thread's CPU time (higher is better)", true, "%,.0f", true, null),
            new Metric("framing.alloc", "Framing, lines of 64 B", "B allocated per frame (JMH -prof gc)", false,
                    "%,.1f", false, null),
            new Metric("framing.alloc-extra", "Framing, lines of 64 B",
                    "B per frame beyond the frame's own copy (engine: its byte[64], 80 B; Netty: a slice, no copy)",
                    false, "%,.1f", true, Target.ratioTo("netty-nio", 1.0)));

    /**
     * What the engine should reach on a row.
     *
     * @param kind how the target is computed
     * @param reference the column or row it refers to
     * @param amount the factor, difference or bound
     */
    record Target(Kind kind, String reference, double amount) {

        enum Kind {
            /** engine ≥ amount × reference column (or ≤ for lower-is-better rows). */
            RATIO_TO_COLUMN,
            /** engine ≤ reference column + amount. */
            PLUS_COLUMN,
            /** engine ≤ amount. */
            ABSOLUTE,
            /** engine ≥ amount × engine on the reference row. */
            RATIO_OF_ROW,
            /** engine − reference column ≤ amount. */
            OVER_COLUMN
        }

        static Target ratioTo(String column, double factor) {
            return new Target(Kind.RATIO_TO_COLUMN, column, factor);
        }

        static Target plus(String column, double difference) {
            return new Target(Kind.PLUS_COLUMN, column, difference);
        }

        static Target absolute(double bound) {
            return new Target(Kind.ABSOLUTE, null, bound);
        }

        static Target ratioOfRow(String row, double factor) {
            return new Target(Kind.RATIO_OF_ROW, row, factor);
        }

        static Target overColumn(String column, double bound) {
            return new Target(Kind.OVER_COLUMN, column, bound);
        }

    }

}
