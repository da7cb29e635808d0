package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Request;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hand-overs an event loop makes to another loop's connection wait for the end of its pass, then go together. */
class OutboxTest {

    @Test
    void handOversOfOnePassReachTheOtherLoopAfterThePassInOrder() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            EventLoop producer = group.next();
            EventLoop target = group.next();
            assertThat(producer).isNotSameAs(target);
            List<OutboundRequest<?>> registered = new CopyOnWriteArrayList<>();
            List<Boolean> onTargetLoop = new CopyOnWriteArrayList<>();
            CountDownLatch arrived = new CountDownLatch(3);
            Inbox inbox = new Inbox(target, 16, new Inbox.Receiver() {
                @Override
                public void register(OutboundRequest<?> r) {
                    onTargetLoop.add(target.inEventLoop());
                    registered.add(r);
                    arrived.countDown();
                }

                @Override
                public void release(OutboundRequest<?> r) {
                }

                @Override
                public void refuse(OutboundRequest<?> r) {
                }
            });
            List<TestRequest> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(new TestRequest(new Request.Random(1)));
            }
            producer.submit(() -> {
                for (TestRequest r : sent) {
                    assertThat(Outbox.handOver(inbox, r)).as("held by the producing loop").isTrue();
                }
                assertThat(registered).as("nothing leaves before the pass ends").isEmpty();
            }).syncUninterruptibly();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(registered).containsExactlyElementsOf(sent);
            assertThat(onTargetLoop).containsOnly(true);
            assertThat(Outbox.handOver(inbox, new TestRequest(new Request.Random(1))))
                    .as("a thread that is no event loop hands over directly").isFalse();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
