package io.corral.engine.agent;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.sip.AnsweringPeer;
import io.corral.engine.status.MemberCounters;
import io.corral.engine.status.MemberErrorLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member with two SIP agents on their own threads (threading mode dedicated), run with each idle strategy: requests
 * whose packets cross agents (hand-over) are proxied with normal latency, timers fire on time with no traffic, and
 * with {@code epoll-wait} an idle SIP agent uses next to no CPU.
 */
@Timeout(60)
class IdleStrategySystemTest
{
    private static final int TIMEOUT_MS = 5000;
    private static final int CLIENTS = 4;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @TempDir
    Path dataDir;

    private Member member;
    private final DatagramSocket[] clients = new DatagramSocket[CLIENTS];
    private DatagramSocket peer;

    @AfterEach
    void stop()
    {
        try
        {
            if (member != null)
            {
                MemberErrorLog.assertEmpty(member);
            }
        }
        finally
        {
            for (final DatagramSocket client : clients)
            {
                if (client != null)
                {
                    client.close();
                }
            }
            if (peer != null)
            {
                peer.close();
            }
            if (member != null)
            {
                member.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {IdleStrategies.BACKOFF, IdleStrategies.EPOLL_WAIT})
    void shouldProxyRequestsWhosePacketsCrossAgentsWithoutWaitingForATimer(final String strategy) throws Exception
    {
        // A slow wheel: an agent that missed a hand-over would sleep until housekeeping or the next tick.
        start(strategy, "corral.transaction.tick.ms", "256");
        final int requests = 60;
        final Thread uas = new Thread(() -> AnsweringPeer.answerEveryRequest(peer, requests, TIMEOUT_MS), "test-uas");
        uas.start();
        final long[] roundTripNs = new long[requests];
        try
        {
            for (int i = 0; i < requests; i++)
            {
                final DatagramSocket client = clients[i % CLIENTS];
                final long startNs = System.nanoTime();
                final String response = exchange(client, request(client, "OPTIONS", peerUri()));
                roundTripNs[i] = System.nanoTime() - startNs;
                assertTrue(response.startsWith("SIP/2.0 200 "), response);
            }
        }
        finally
        {
            uas.join(TIMEOUT_MS);
        }

        assertTrue(awaitHandedOver(), "nothing crossed agents");
        Arrays.sort(roundTripNs);
        final long p50Ms = TimeUnit.NANOSECONDS.toMillis(roundTripNs[requests / 2]);
        final long p90Ms = TimeUnit.NANOSECONDS.toMillis(roundTripNs[requests * 9 / 10]);
        assertTrue(p50Ms < 20 && p90Ms < 60, strategy + ": round trip p50 " + p50Ms + " ms, p90 " + p90Ms + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {IdleStrategies.BACKOFF, IdleStrategies.EPOLL_WAIT})
    void shouldAnswer408OnTimeWhenNothingElseHappens(final String strategy) throws IOException
    {
        // Timer F is 64*T1 = 1280 ms; the forwarded OPTIONS goes to a peer that never answers.
        start(strategy, "corral.transaction.t1.ms", "20", "corral.transaction.t2.ms", "40");
        final DatagramSocket client = clients[0];

        final long startNs = System.nanoTime();
        final String response = exchange(client, request(client, "OPTIONS", peerUri()));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        assertTrue(response.startsWith("SIP/2.0 408 "), response);
        assertTrue(elapsedMs >= 1270 && elapsedMs < 1280 + 75, strategy + ": 408 after " + elapsedMs + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {IdleStrategies.EPOLL_WAIT})
    void shouldUseNextToNoCpuWhenASipAgentIsIdle(final String strategy) throws Exception
    {
        start(strategy);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[] ids = Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith("sip-")).mapToLong(Thread::getId).toArray();
        assertEquals(2, ids.length, "one thread per SIP agent");
        final long[] beforeNs = new long[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            beforeNs[i] = threads.getThreadCpuTime(ids[i]);
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        for (int i = 0; i < ids.length; i++)
        {
            final long cpuUs = TimeUnit.NANOSECONDS.toMicros(threads.getThreadCpuTime(ids[i]) - beforeNs[i]);
            // It wakes for housekeeping ten times a second; backoff parks a thousand times (~13 ms of CPU here).
            assertTrue(cpuUs < 5000, "idle SIP agent thread used " + cpuUs + " µs of CPU in 1 s");
        }
    }

    /**
     * Counters are published by each agent's housekeeping, every 100 ms.
     */
    private boolean awaitHandedOver()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (MemberCounters.sum(member, "packets handed over to another agent") == 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    private void start(final String strategy, final String... keyValues) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "dedicated");
        properties.setProperty("corral.sip.agents", "2");
        properties.setProperty("corral.idle.strategy", strategy);
        properties.setProperty("corral.idle.epoll.wait.max.ns", "1000000000");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        member = Member.launch(Context.load(null, properties));
        for (int i = 0; i < CLIENTS; i++)
        {
            clients[i] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        }
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    private String peerUri()
    {
        return "sip:bob@127.0.0.1:" + peer.getLocalPort();
    }

    private static String request(final DatagramSocket client, final String method, final String requestUri)
    {
        final long n = SEQUENCE.incrementAndGet();
        return method + " " + requestUri + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-idle-" + n + "\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:alice@example.com>;tag=caller-" + n + "\r\n" +
            "To: <sip:bob@example.com>\r\n" +
            "Call-ID: idle-" + n + "-" + System.nanoTime() + "\r\n" +
            "CSeq: 1 " + method + "\r\n" +
            "Content-Length: 0\r\n\r\n";
    }

    /**
     * Send a request and return the first final response (100 Trying skipped).
     */
    private String exchange(final DatagramSocket client, final String request) throws IOException
    {
        final byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), member.sipPort()));
        final byte[] buffer = new byte[65536];
        client.setSoTimeout(TIMEOUT_MS);
        while (true)
        {
            final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try
            {
                client.receive(packet);
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("no final response to\n" + request, ex);
            }
            final String response = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
            if (!response.startsWith("SIP/2.0 1"))
            {
                return response;
            }
        }
    }
}
