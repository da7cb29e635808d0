package dev.multislot.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty reported a leak while it ran, or reports one once its objects are
 * collected. Registered for every Jupiter test class through the service loader (the root pom turns
 * on {@code junit.jupiter.extensions.autodetection.enabled}).
 *
 * <p>Netty notices a leak when the leaked object has been garbage-collected and a later allocation
 * of the same kind looks at the collected ones; so after each class this collects garbage and
 * allocates a few buffers before it looks at the reports. A leak is charged to the class during
 * or after which it was found: the one that leaked, or the next one.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final int ROUNDS = 3;

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getDisplayName());
    }

    /**
     * Collects garbage, lets Netty look for leaked objects, and throws if it reported any.
     *
     * @param where what ran, named in the error
     * @throws AssertionError with the first report, if there were any
     */
    public static void check(String where) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.DISABLED) {
            for (int i = 0; i < ROUNDS; i++) {
                System.gc();
                touch(PooledByteBufAllocator.DEFAULT.buffer(1));
                touch(PooledByteBufAllocator.DEFAULT.directBuffer(1));
                touch(UnpooledByteBufAllocator.DEFAULT.heapBuffer(1));
            }
        }
        List<String> leaks = LeakReports.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak report(s) during or after "
                    + where + " (the first follows; all are in the test's log):\n" + leaks.get(0));
        }
    }

    private static void touch(ByteBuf buffer) {
        buffer.release();
    }
}
