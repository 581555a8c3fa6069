package io.corral.engine.sip;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.status.MemberErrorLog;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What real user agents need from a member beyond RFC 3261's happy path: a TCP callee that is gone fails the call at
 * once (RFC 3261 §8.1.3.1, §16.7; RFC 5626 §5.3 for outbound flows), and every response the member builds itself
 * carries rport and received (RFC 3581 §4). Driven with raw sockets on loopback against a real member (shared
 * thread, backoff).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InteropSystemTest
{
    private static final int TIMEOUT_MS = 5000;
    /** Far below timer B (64*T1 = 32 s): the failure must come from the transport, not from a timer. */
    private static final long PROMPT_MS = 2000;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)");

    @TempDir
    Path dataDir;

    private Member member;
    private DatagramSocket client;

    @BeforeEach
    void start() throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        member = Member.launch(Context.load(null, properties));
        client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop()
    {
        try
        {
            MemberErrorLog.assertEmpty(member);
        }
        finally
        {
            client.close();
            member.close();
        }
    }

    @Test
    void shouldAnswerAtOnceWhenTheTcpNextHopRefusesTheConnection() throws IOException
    {
        final int closedPort = closedPort();
        final long startNs = System.nanoTime();

        final String response = exchange(
            request("INVITE", "sip:carol@127.0.0.1:" + closedPort + ";transport=tcp", ""));

        assertTrue(response.startsWith("SIP/2.0 500 "), response);
        assertPrompt(startNs);
    }

    @Test
    void shouldAnswerAtOnceWhenARegisteredTcpContactIsGone() throws IOException
    {
        final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final String contact = "sip:bob@127.0.0.1:" + listener.getLocalPort() + ";transport=tcp";
        try (Socket flow = connect())
        {
            final String registered = exchangeTcp(flow, register("bob", "<" + contact + ">"));
            assertTrue(registered.startsWith("SIP/2.0 200 "), registered);
        }
        listener.close();
        awaitNoTcpConnection();
        final long startNs = System.nanoTime();

        final String response = exchange(request("INVITE", "sip:bob@127.0.0.1:" + member.sipPort(), ""));

        assertTrue(response.startsWith("SIP/2.0 500 "), response);
        assertPrompt(startNs);
    }

    @Test
    void shouldAnswer430AndForgetTheBindingWhenAnOutboundFlowIsGone() throws IOException
    {
        final String contact = "<sip:dave@127.0.0.1:5099;transport=tcp;ob>;reg-id=1;" +
            "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"";
        try (Socket flow = connect())
        {
            final String registered = exchangeTcp(flow, register("dave", contact));
            assertTrue(registered.startsWith("SIP/2.0 200 "), registered);
        }
        awaitNoTcpConnection();
        final String user = "sip:dave@127.0.0.1:" + member.sipPort();

        final String failed = exchange(request("INVITE", user, ""));
        final String again = exchange(request("INVITE", user, ""));

        assertTrue(failed.startsWith("SIP/2.0 430 "), failed);
        // No binding left: 480, or 404 where only registered users are known (no users file).
        assertTrue(again.startsWith("SIP/2.0 480 ") || again.startsWith("SIP/2.0 404 "), again);
    }

    @Test
    void shouldSkipADeadOutboundFlowAndReachTheUsersOtherContact() throws IOException
    {
        final String flowContact = "<sip:erin@127.0.0.1:5099;transport=tcp;ob>;reg-id=1;" +
            "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E129>\"";
        final Socket flow = connect();
        try (DatagramSocket desk = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final String registered = exchangeTcp(flow, register("erin", flowContact));
            assertTrue(registered.startsWith("SIP/2.0 200 "), registered);
            final String deskContact = "sip:erin@127.0.0.1:" + desk.getLocalPort();
            final byte[] register = register("erin", "<" + deskContact + ">")
                .replace("SIP/2.0/TCP 127.0.0.1:5099", "SIP/2.0/UDP 127.0.0.1:" + desk.getLocalPort())
                .getBytes(StandardCharsets.US_ASCII);
            desk.send(new DatagramPacket(register, register.length, InetAddress.getLoopbackAddress(),
                member.sipPort()));
            final String both = receive(desk);
            assertTrue(both.startsWith("SIP/2.0 200 ") && both.split("\r\nContact: ", -1).length == 3, both);
            flow.close();
            awaitNoTcpConnection();

            send(request("INVITE", "sip:erin@127.0.0.1:" + member.sipPort(), ""));
            final String forwarded = receive(desk);

            assertTrue(forwarded.startsWith("INVITE " + deskContact + " SIP/2.0\r\n"), forwarded);
            final String query = exchange(register("erin", "<" + deskContact + ">").replace(
                "Contact: <" + deskContact + ">\r\n", "").replace("SIP/2.0/TCP 127.0.0.1:5099",
                "SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort()));
            assertTrue(query.startsWith("SIP/2.0 200 "), query);
            assertEquals(2, query.split("\r\nContact: ", -1).length, "only the desk phone is left:\n" + query);
        }
        finally
        {
            flow.close();
        }
    }

    @Test
    void shouldFillRportAndReceivedInTryingAndInTheMembersOwnFinalResponses() throws IOException
    {
        final String expectedVia = "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";rport=" +
            client.getLocalPort() + ";branch=";

        send(request("INVITE", "sip:nobody@127.0.0.1:" + member.sipPort(), ""));
        final String trying = receive();
        final String notFound = receive();
        final String ownOptions = exchange(request("OPTIONS", "sip:127.0.0.1:" + member.sipPort(), ""));
        final String tooManyHops = exchange(request("OPTIONS", "sip:carol@127.0.0.1:" + closedPort(), "")
            .replace("Max-Forwards: 70", "Max-Forwards: 0"));

        for (final String response : new String[]{trying, notFound, ownOptions, tooManyHops})
        {
            assertTrue(response.contains(expectedVia), response);
            assertTrue(response.contains(";received=127.0.0.1\r\n"), response);
        }
        assertTrue(trying.startsWith("SIP/2.0 100 "), trying);
        assertTrue(notFound.startsWith("SIP/2.0 404 "), notFound);
        assertTrue(ownOptions.startsWith("SIP/2.0 200 "), ownOptions);
        assertTrue(tooManyHops.startsWith("SIP/2.0 483 "), tooManyHops);
    }

    @Test
    void shouldFillTheCallersRportWhenTheFinalResponseIsBuiltOnADownstreamResponse() throws IOException
    {
        try (DatagramSocket callee = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            callee.setSoTimeout(TIMEOUT_MS);
            send(request("INVITE", "sip:carol@127.0.0.1:" + callee.getLocalPort(), ""));
            final String forwarded = receive(callee);
            final byte[] busy = answer(forwarded, "503 Service Unavailable").getBytes(StandardCharsets.US_ASCII);
            callee.send(new DatagramPacket(busy, busy.length, InetAddress.getLoopbackAddress(), member.sipPort()));

            String response = receive();
            while (response.startsWith("SIP/2.0 1"))
            {
                response = receive();
            }

            assertTrue(response.startsWith("SIP/2.0 500 "), response);
            assertTrue(response.contains("Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";rport=" +
                client.getLocalPort() + ";branch="), response);
            assertTrue(response.contains(";received=127.0.0.1\r\n"), response);
        }
    }

    @Test
    void shouldFillRportAndReceivedInTheAnswerToCancel() throws IOException
    {
        try (DatagramSocket callee = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            callee.setSoTimeout(TIMEOUT_MS);
            final String invite = request("INVITE", "sip:carol@127.0.0.1:" + callee.getLocalPort(), "");
            send(invite);
            receive(callee);
            final String cancel = invite.replaceFirst("^INVITE ", "CANCEL ").replace(" INVITE\r\n", " CANCEL\r\n")
                .replace("Contact: <sip:alice@127.0.0.1:" + client.getLocalPort() + ">\r\n", "");

            String response = exchange(cancel);
            while (!response.contains(" CANCEL\r\n"))
            {
                response = receive();
            }

            assertTrue(response.startsWith("SIP/2.0 200 "), response);
            assertTrue(response.contains("Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";rport=" +
                client.getLocalPort() + ";branch="), response);
            assertTrue(response.contains(";received=127.0.0.1\r\n"), response);
        }
    }

    /**
     * A response to a request as a UAS writes it: the request's Via, From, To, Call-ID and CSeq lines.
     */
    private static String answer(final String request, final String status)
    {
        final StringBuilder response = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (final String line : request.split("\r\n"))
        {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") ||
                line.startsWith("CSeq:"))
            {
                response.append(line).append("\r\n");
            }
            else if (line.startsWith("To:"))
            {
                response.append(line).append(";tag=callee\r\n");
            }
        }
        return response.append("Content-Length: 0\r\n\r\n").toString();
    }

    private void assertPrompt(final long startNs)
    {
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(elapsedMs < PROMPT_MS, "answered after " + elapsedMs + " ms");
    }

    private static int closedPort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), member.sipPort()), TIMEOUT_MS);
        return socket;
    }

    private String register(final String user, final String contact)
    {
        final long n = SEQUENCE.incrementAndGet();
        return "REGISTER sip:127.0.0.1:" + member.sipPort() + " SIP/2.0\r\n" +
            "Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK-reg-" + n + "\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:" + user + "@127.0.0.1>;tag=reg-" + n + "\r\n" +
            "To: <sip:" + user + "@127.0.0.1>\r\n" +
            "Call-ID: reg-" + n + "-" + System.nanoTime() + "\r\n" +
            "CSeq: 1 REGISTER\r\n" +
            "Supported: outbound, path\r\n" +
            "Contact: " + contact + "\r\n" +
            "Expires: 60\r\n" +
            "Content-Length: 0\r\n\r\n";
    }

    private String request(final String method, final String requestUri, final String extraHeaders)
    {
        final long n = SEQUENCE.incrementAndGet();
        return method + " " + requestUri + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";rport;branch=z9hG4bK-interop-" + n + "\r\n" +
            "Max-Forwards: 70\r\n" +
            extraHeaders +
            "From: <sip:alice@127.0.0.1>;tag=caller-" + n + "\r\n" +
            "To: <" + requestUri + ">\r\n" +
            "Call-ID: interop-" + n + "-" + System.nanoTime() + "\r\n" +
            "CSeq: 1 " + method + "\r\n" +
            "Contact: <sip:alice@127.0.0.1:" + client.getLocalPort() + ">\r\n" +
            "Content-Length: 0\r\n\r\n";
    }

    private void send(final String message) throws IOException
    {
        final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), member.sipPort()));
    }

    private String receive() throws IOException
    {
        return receive(client);
    }

    private static String receive(final DatagramSocket socket) throws IOException
    {
        final byte[] buffer = new byte[65536];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.receive(packet);
        return new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    /**
     * Send a request over UDP and return the first final response (provisional ones skipped).
     */
    private String exchange(final String request) throws IOException
    {
        send(request);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        final byte[] buffer = new byte[65536];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        client.setSoTimeout(TIMEOUT_MS);
        while (System.nanoTime() < deadline)
        {
            try
            {
                client.receive(packet);
            }
            catch (final SocketTimeoutException ex)
            {
                break;
            }
            final String response = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
            if (!response.startsWith("SIP/2.0 1"))
            {
                return response;
            }
        }
        fail("no final response to\n" + request);
        return null;
    }

    /**
     * Send a request on a TCP connection and return the first final response on it.
     */
    private static String exchangeTcp(final Socket socket, final String request) throws IOException
    {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        final InputStream in = socket.getInputStream();
        while (true)
        {
            final String response = readMessage(in);
            if (!response.startsWith("SIP/2.0 1"))
            {
                return response;
            }
        }
    }

    /**
     * Read one message framed by its blank line and Content-Length, skipping CRLF keep-alives before it.
     */
    static String readMessage(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("connection closed after: " + head);
            }
            if (head.size() == 0 && (b == '\r' || b == '\n'))
            {
                continue;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : 0;
        }
        final String headers = head.toString(StandardCharsets.US_ASCII);
        final Matcher length = CONTENT_LENGTH.matcher(headers);
        final int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return headers + new String(in.readNBytes(bodyLength), StandardCharsets.US_ASCII);
    }

    private void awaitNoTcpConnection()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (tcpConnectionsOpen() != 0)
        {
            if (System.nanoTime() > deadline)
            {
                fail("the member still holds " + tcpConnectionsOpen() + " TCP connections");
            }
            Thread.onSpinWait();
        }
    }

    private long tcpConnectionsOpen()
    {
        final CountersReader reader = member.statusFile().countersManager();
        final long[] open = {0};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.endsWith(": TCP connections open"))
            {
                open[0] += reader.getCounterValue(counterId);
            }
        });
        return open[0];
    }
}
