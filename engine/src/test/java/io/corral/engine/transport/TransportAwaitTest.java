package io.corral.engine.transport;

import io.corral.engine.agent.AgentWakeup;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.transaction.HandoverQueue;
import io.netty.channel.epoll.Epoll;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The idle hand-shake between a blocked transport and the threads that hand its agent work.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportAwaitTest
{
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long PROMPT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final UnsafeBuffer PACKET =
        new UnsafeBuffer("OPTIONS sip:a@127.0.0.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.COUNTER_LENGTH)));
    private final AgentWakeup wakeup = new AgentWakeup();
    private final HandoverQueue queue = new HandoverQueue(64 * 1024, wakeup);
    private final AtomicInteger delivered = new AtomicInteger();
    private final SipPacketHandler handler =
        (buffer, offset, length, remoteId, transport, connectionId) -> delivered.incrementAndGet();
    private SipTransport transport;

    @BeforeEach
    void open()
    {
        assumeTrue(Epoll.isAvailable(), "epoll unavailable");
        transport = SipTransports.open(new TransportSettings().kind(TransportConfiguration.KIND_EPOLL)
            .address("127.0.0.1").port(0), 0, new TransportCounters(countersManager, 0));
        wakeup.target(transport::wakeup);
    }

    @AfterEach
    void close()
    {
        if (transport != null)
        {
            transport.close();
        }
    }

    @Test
    void shouldWakeTheBlockedConsumerWhenAProducerHandsOverAPacket() throws InterruptedException
    {
        final Thread producer = new Thread(() ->
        {
            while (!wakeup.isWaiting())
            {
                Thread.onSpinWait();
            }
            // Give the consumer time to reach epoll_wait: the wake-up must end a real block.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0);
        });
        producer.start();

        final long waitedNs = await(LONG_WAIT_NS);
        producer.join();

        assertTrue(waitedNs < PROMPT_NS, "woken after " + waitedNs + " ns");
        assertTrue(waitedNs >= TimeUnit.MILLISECONDS.toNanos(40), "returned before the hand-over: " + waitedNs);
        assertEquals(1, wakeup.wakeCount());
        assertTrue(queue.hasPackets());
    }

    @Test
    void shouldNotBlockWhenAPacketArrivedBetweenTheAnnouncementAndTheWait()
    {
        wakeup.prepareToWait();
        queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0);

        final long startNs = System.nanoTime();
        transport.await(handler, 16, LONG_WAIT_NS, queue::hasPackets);
        wakeup.doneWaiting();

        assertTrue(System.nanoTime() - startNs < PROMPT_NS);
    }

    @Test
    void shouldNotBlockWhenAPacketWasQueuedBeforeTheAnnouncement()
    {
        queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0);

        assertTrue(await(LONG_WAIT_NS) < PROMPT_NS);
        assertEquals(0, wakeup.wakeCount());
    }

    @Test
    void shouldSendNoWakeUpWhenTheConsumerIsNotWaiting()
    {
        for (int i = 0; i < 100; i++)
        {
            assertTrue(queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0));
        }
        wakeup.prepareToWait();
        wakeup.doneWaiting();
        assertTrue(queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0));

        assertEquals(0, wakeup.wakeCount());
        assertFalse(wakeup.isWaiting());
    }

    @Test
    void shouldSendOneWakeUpWhenSeveralProducersSeeTheConsumerWaiting()
    {
        wakeup.prepareToWait();
        for (int i = 0; i < 10; i++)
        {
            queue.offer(PACKET, 0, PACKET.capacity(), 1, TransportProtocol.UDP, 0);
        }
        wakeup.doneWaiting();

        assertEquals(1, wakeup.wakeCount());
    }

    @Test
    void shouldReturnWhenTheWaitEndsWithNothingToDo()
    {
        final long waitNs = TimeUnit.MILLISECONDS.toNanos(30);

        final long waitedNs = await(waitNs);

        assertTrue(waitedNs >= TimeUnit.MILLISECONDS.toNanos(25) && waitedNs < PROMPT_NS, waitedNs + " ns");
        assertEquals(0, delivered.get());
    }

    @Test
    void shouldDeliverADatagramThatEndsTheWait() throws Exception
    {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final Thread sender = new Thread(() ->
            {
                while (!wakeup.isWaiting())
                {
                    Thread.onSpinWait();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                try
                {
                    peer.send(new DatagramPacket(PACKET.byteArray(), PACKET.capacity(),
                        InetAddress.getLoopbackAddress(), transport.localPort()));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            sender.start();

            final long waitedNs = await(LONG_WAIT_NS);
            sender.join();

            assertTrue(waitedNs < PROMPT_NS, "woken after " + waitedNs + " ns");
            assertEquals(1, delivered.get());
            assertEquals(0, wakeup.wakeCount());
        }
    }

    @Test
    void shouldNotBlockWhenTheTransportIsNio()
    {
        final SipTransport nio = SipTransports.open(new TransportSettings().kind(TransportConfiguration.KIND_NIO)
            .address("127.0.0.1").port(0), 0, new TransportCounters(countersManager, 1));
        try
        {
            assertFalse(nio.canAwait());
            final long startNs = System.nanoTime();
            nio.await(handler, 16, LONG_WAIT_NS, () -> false);
            assertTrue(System.nanoTime() - startNs < PROMPT_NS);
        }
        finally
        {
            nio.close();
        }
    }

    private long await(final long waitNs)
    {
        assertTrue(transport.canAwait());
        final long startNs = System.nanoTime();
        wakeup.prepareToWait();
        try
        {
            transport.await(handler, 16, waitNs, queue::hasPackets);
        }
        finally
        {
            wakeup.doneWaiting();
        }
        return System.nanoTime() - startNs;
    }
}
