package dev.multislot.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

class LeakCheckExtensionTest {

    @Test
    void everyTestJvmTracksEveryBufferWithThisDetector() {
        // Paranoid tracks every buffer whatever the interval; the lower levels track one in samplingInterval.
        assertThat(ResourceLeakDetector.getLevel()).isNotEqualTo(ResourceLeakDetector.Level.DISABLED);
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            assertThat(System.getProperty("io.netty.leakDetection.samplingInterval")).isEqualTo("1");
        }
        assertThat(System.getProperty("io.netty.customResourceLeakDetector")).isEqualTo(FailingLeakDetector.class.getName());
    }

    @Test
    void aLeakedBufferFailsTheCheck() {
        leakOneBuffer();
        // Netty learns of the leak only once the collector has queued the buffer's reference, which a loaded
        // machine's reference handler may do a while after System.gc(): collect and allocate until it has.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!LeakReports.any() && System.nanoTime() < deadline) {
            System.gc();
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }

        assertThatThrownBy(() -> LeakCheckExtension.check("this test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Netty leak report(s) during or after this test")
                .hasMessageContaining("LEAK: ByteBuf.release() was not called")
                .hasMessageContaining("leakOneBuffer");
        // Answered: the class's own check afterwards finds nothing.
        LeakCheckExtension.check("the same test, again");
    }

    @Test
    void releasedBuffersPassTheCheck() {
        PooledByteBufAllocator.DEFAULT.buffer(64).writeLong(1).release();
        LeakCheckExtension.check("this test");
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeLong(42);
        // not released: the reference dies here
    }
}
