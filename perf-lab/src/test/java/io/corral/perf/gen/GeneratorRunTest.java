package io.corral.perf.gen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class GeneratorRunTest
{
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void shouldCompleteEveryCallWhenUacTalksToUas() throws InterruptedException
    {
        final GeneratorRun run = run(Workload.CALLS, 300, false);

        final GeneratorStats uac = run.uacStats();
        assertEquals(300, uac.get(GeneratorStats.STARTED));
        assertEquals(300, uac.get(GeneratorStats.SUCCEEDED));
        assertEquals(0, uac.get(GeneratorStats.FAILED));
        assertEquals(300, uac.get(GeneratorStats.ESTABLISHED));
        assertEquals(300, uac.histograms()[GeneratorStats.SETUP].getTotalCount());
        assertEquals(300, uac.histograms()[GeneratorStats.BYE].getTotalCount());
        assertEquals(300, run.uasStats().get(GeneratorStats.SUCCEEDED), "every 200 acknowledged");
        assertTrue(run.uacCpuNs() > 0);
    }

    @Test
    void shouldAnswerDigestChallengesWhenRegistering() throws InterruptedException
    {
        final GeneratorRun run = run(Workload.REGISTER, 200, true);

        final GeneratorStats uac = run.uacStats();
        assertEquals(200, uac.get(GeneratorStats.SUCCEEDED));
        assertEquals(200, uac.get(GeneratorStats.CHALLENGES));
        assertEquals(200, run.uasStats().get(GeneratorStats.CHALLENGES));
        assertEquals(200, uac.histograms()[GeneratorStats.REGISTER].getTotalCount());
    }

    @Test
    void shouldCountTimeoutsWhenNothingAnswers() throws InterruptedException
    {
        final UacSettings settings = new UacSettings(Workload.OPTIONS, 100, 20, 100, 0, 0, 10, 40,
            new InetSocketAddress("127.0.0.1", 9), new InetSocketAddress("127.0.0.1", 9), "127.0.0.1", "lab", 0,
            1000, 7);
        final GeneratorRun run = new GeneratorRun(settings, 5_000, LOOPBACK, false)
            .run(false, (elapsedS, due, stats) -> { }, uas -> { });

        final GeneratorStats uac = run.uacStats();
        assertEquals(20, uac.get(GeneratorStats.FAILED));
        assertEquals(20, uac.get(GeneratorStats.TIMEOUTS));
        assertTrue(uac.get(GeneratorStats.RETRANSMISSIONS) >= 20 * 5, "retransmitted on timer E");
    }

    @Test
    void shouldSendInDialogRequestsToTheAddressOfTheFirstRoute() throws Exception
    {
        final int calls = 20;
        try (DatagramSocket shared = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            DatagramSocket agent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            shared.setSoTimeout(5000);
            agent.setSoTimeout(5000);
            final List<String> atShared = new CopyOnWriteArrayList<>();
            final List<String> atAgent = new CopyOnWriteArrayList<>();
            // A proxy that answers each INVITE itself and record-routes through its other socket, as a member whose
            // agents have their own ports does: the ACK and BYE must arrive there, not at the first socket.
            final Thread proxy = new Thread(() -> serve(shared, atShared, "SIP/2.0 200 OK\r\nRecord-Route: " +
                "<sip:127.0.0.1:" + agent.getLocalPort() + ";lr>\r\nContact: <sip:callee@127.0.0.1:9>\r\n", calls));
            final Thread agentSide = new Thread(() -> serve(agent, atAgent, "SIP/2.0 200 OK\r\n", 2 * calls));
            proxy.start();
            agentSide.start();
            final InetSocketAddress nextHop = new InetSocketAddress("127.0.0.1", shared.getLocalPort());
            final UacSettings settings = new UacSettings(Workload.CALLS, 200, calls, 200, 0, 20, 500, 4000, nextHop,
                new InetSocketAddress("127.0.0.1", 9), "127.0.0.1", "lab", 0, 1000, 3);
            final GeneratorRun run = new GeneratorRun(settings, 5_000, LOOPBACK, false)
                .run(false, (elapsedS, due, stats) -> { }, uas -> { });
            proxy.join(5000);
            agentSide.join(5000);

            assertEquals(calls, run.uacStats().get(GeneratorStats.SUCCEEDED));
            assertTrue(atShared.stream().allMatch(m -> m.startsWith("INVITE ")), atShared.toString());
            assertEquals(calls, atAgent.stream().filter(m -> m.startsWith("ACK ")).count(), atAgent.toString());
            assertEquals(calls, atAgent.stream().filter(m -> m.startsWith("BYE ")).count(), atAgent.toString());
            assertTrue(atAgent.stream().allMatch(m -> m.contains("\r\nRoute: <sip:127.0.0.1:" +
                agent.getLocalPort() + ";lr>\r\n")), "the route set rides along: " + atAgent);
        }
    }

    /**
     * Answer {@code count} requests (ACKs are only recorded) with {@code head} followed by the request's Via, From,
     * To (tagged), Call-ID and CSeq.
     */
    private static void serve(final DatagramSocket socket, final List<String> seen, final String head, final int count)
    {
        final byte[] buffer = new byte[65536];
        try
        {
            while (seen.size() < count)
            {
                final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                final String request = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
                seen.add(request);
                if (request.startsWith("ACK "))
                {
                    continue;
                }
                final StringBuilder response = new StringBuilder(head);
                for (final String line : request.split("\r\n"))
                {
                    if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") ||
                        line.startsWith("CSeq:"))
                    {
                        response.append(line).append("\r\n");
                    }
                    else if (line.startsWith("To:"))
                    {
                        response.append(line).append(line.contains(";tag=") ? "" : ";tag=callee").append("\r\n");
                    }
                }
                final byte[] bytes = response.append("Content-Length: 0\r\n\r\n").toString()
                    .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
            }
        }
        catch (final IOException ex)
        {
            // The socket timed out or closed: the assertions tell what was missing.
        }
    }

    private static GeneratorRun run(final Workload workload, final int count, final boolean challenge)
        throws InterruptedException
    {
        final UacSettings settings = new UacSettings(workload, 500, count, 500, 0, 50, 500, 4000,
            null, null, "127.0.0.1", "lab", 0, 1000, 42);
        return new GeneratorRun(settings, 10_000, LOOPBACK, challenge).run(true, (elapsedS, due, stats) -> { },
            uas -> { });
    }
}
