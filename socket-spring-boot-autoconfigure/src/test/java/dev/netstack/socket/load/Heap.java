package dev.netstack.socket.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap this JVM uses, for tests and probes that bound what the engine holds.
 */
public final class Heap {

    private Heap() {
    }

    /**
     * Returns the heap in use now, garbage included: cheap enough to check inside a loop.
     * @return bytes
     */
    public static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * Returns the heap in use after two full collections: what is still reachable.
     * @return bytes
     */
    public static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

}
