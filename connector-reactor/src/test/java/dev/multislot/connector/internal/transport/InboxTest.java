package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Request;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-over from other threads: every request arrives once and in order, even over the queue's bound. */
class InboxTest {

    private final List<OutboundRequest<?>> registered = new ArrayList<>();
    private final List<OutboundRequest<?>> released = new ArrayList<>();
    private final List<OutboundRequest<?>> refused = new ArrayList<>();
    private final Inbox.Receiver receiver = new Inbox.Receiver() {
        @Override
        public void register(OutboundRequest<?> r) {
            registered.add(r);
        }

        @Override
        public void release(OutboundRequest<?> r) {
            released.add(r);
        }

        @Override
        public void refuse(OutboundRequest<?> r) {
            refused.add(r);
        }
    };

    @Test
    void aFullInboxFallsBackToOneTaskPerRequestAndLosesNothing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox inbox = new Inbox(channel.eventLoop(), 2, receiver);
        List<TestRequest> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestRequest r = new TestRequest(new Request.Random(1));
            sent.add(r);
            inbox.offer(r);
        }
        assertThat(registered).as("nothing runs off the loop").isEmpty();
        channel.runPendingTasks();
        assertThat(registered).containsExactlyElementsOf(sent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aChainIsRegisteredInOrderAndReleasesGoFirst() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox inbox = new Inbox(channel.eventLoop(), 16, receiver);
        TestRequest a = new TestRequest(new Request.Random(1));
        TestRequest b = new TestRequest(new Request.Random(1));
        TestRequest c = new TestRequest(new Request.Random(1));
        a.nextInChain = b;
        b.nextInChain = c;
        TestRequest cancelled = new TestRequest(new Request.Random(1));
        inbox.offer(a);
        inbox.offerRelease(cancelled);
        channel.runPendingTasks();
        assertThat(released).containsExactly(cancelled);
        assertThat(registered).containsExactly(a, b, c);
        assertThat(a.nextInChain).as("links are cleared as the chain is taken").isNull();
        assertThat(b.nextInChain).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLoopThatIsGoneGetsEveryRequestRefused() {
        DefaultEventLoop loop = new DefaultEventLoop();
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        Inbox inbox = new Inbox(loop, 2, receiver);
        List<TestRequest> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestRequest r = new TestRequest(new Request.Random(1));
            sent.add(r);
            inbox.offer(r);
        }
        assertThat(refused).containsExactlyElementsOf(sent);
        assertThat(registered).isEmpty();
    }
}
