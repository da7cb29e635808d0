package dev.multislot.local.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback addresses 127.x.y.z (x 1..254, y 0..255, z 1..254) for HSMs to listen on.
 * Each allocator starts at a random point and walks forward, so clusters started at the same time,
 * even in other JVMs, rarely meet; when they do, binding fails and the caller asks for the next
 * address. Within one JVM an address is never handed out twice while it is held.
 */
public final class LoopbackAddresses {

    private static final int Z = 254;
    private static final int Y = 256;
    private static final int X = 254;
    private static final long SPACE = (long) X * Y * Z;
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    private long cursor;

    private LoopbackAddresses(long start) {
        this.cursor = start;
    }

    /** An allocator that starts at a random address. */
    public static LoopbackAddresses randomStart() {
        return new LoopbackAddresses(ThreadLocalRandom.current().nextLong(SPACE));
    }

    /** The next address not held in this JVM; the caller holds it until {@link #release(String)}. */
    public String next() {
        for (long tries = 0; tries < SPACE; tries++) {
            long i = cursor++ % SPACE;
            String a = "127." + (1 + i / (Y * Z)) + "." + (i / Z % Y) + "." + (1 + i % Z);
            if (HELD.add(a)) {
                return a;
            }
        }
        throw new IllegalStateException("every loopback address is in use");
    }

    /** Holds a given address (one an HSM used before), if no one in this JVM holds it. */
    public static boolean hold(String address) {
        return HELD.add(address);
    }

    /** Lets another cluster in this JVM use the address again. */
    public static void release(String address) {
        HELD.remove(address);
    }
}
