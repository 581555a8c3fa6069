package io.corral.engine.sip;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.auth.DigestAlgorithm;
import io.corral.engine.auth.UsersFile;
import io.corral.engine.status.MemberErrorLog;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real member (shared thread, backoff) on a loopback port, probed with hand-written datagrams: the answers a
 * proxy gives itself (RFC 3261 §16.3, §8.2, §12.2.2, own OPTIONS), and the drops it only counts.
 */
class SipAgentSystemTest
{
    private static final int TIMEOUT_MS = 5000;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @TempDir
    Path dataDir;

    private Member member;
    private DatagramSocket client;
    private DatagramSocket silentPeer;
    private DatagramPacket lastAtUas;

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
        client.setSoTimeout(TIMEOUT_MS);
        silentPeer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
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
            silentPeer.close();
            member.close();
        }
    }

    @Test
    void shouldAnswerOwnOptionsWith200AllowAcceptAndSupported() throws IOException
    {
        final String response = exchange(
            request("OPTIONS", "sip:127.0.0.1:" + member.sipPort(), "Max-Forwards: 70\r\n"));

        assertTrue(response.startsWith("SIP/2.0 200 "), response);
        assertTrue(response.contains("\r\nAllow: "), response);
        assertTrue(response.contains("\r\nAccept: "), response);
        assertTrue(response.contains("\r\nSupported:"), response);
    }

    @Test
    void shouldAnswer483WhenMaxForwardsIsZero() throws IOException
    {
        final String response = exchange(request("INVITE", foreignUri(), "Max-Forwards: 0\r\n"));

        assertTrue(response.startsWith("SIP/2.0 483 "), response);
    }

    @Test
    void shouldAnswer420WithUnsupportedWhenProxyRequireIsUnknown() throws IOException
    {
        final String response = exchange(request("INVITE", foreignUri(),
            "Max-Forwards: 70\r\nProxy-Require: com.example.teleport\r\n"));

        assertTrue(response.startsWith("SIP/2.0 420 "), response);
        assertTrue(response.contains("\r\nUnsupported: com.example.teleport\r\n"), response);
    }

    @Test
    void shouldAnswer416WhenRequestUriSchemeIsUnknown() throws IOException
    {
        final String response = exchange(request("INVITE", "mailto:bob@example.com", "Max-Forwards: 70\r\n"));

        assertTrue(response.startsWith("SIP/2.0 416 "), response);
    }

    @Test
    void shouldAnswer505WhenSipVersionIsNot20() throws IOException
    {
        final String response = exchange(request("OPTIONS", foreignUri(), "Max-Forwards: 70\r\n")
            .replaceFirst(" SIP/2.0\r\n", " SIP/7.0\r\n"));

        assertTrue(response.startsWith("SIP/2.0 505 "), response);
    }

    @Test
    void shouldAnswer400WithReasonWhenCSeqMethodDiffers() throws IOException
    {
        final String response = exchange(request("INVITE", foreignUri(), "Max-Forwards: 70\r\n")
            .replace(" INVITE\r\nContent-Length", " BYE\r\nContent-Length"));

        assertTrue(response.startsWith("SIP/2.0 400 "), response);
        final String reason = response.substring("SIP/2.0 400 ".length(), response.indexOf("\r\n"));
        assertTrue(reason.toLowerCase().contains("cseq"), reason);
        assertEquals(1, counter("malformed requests (answered 400)"));
    }

    @Test
    void shouldAnswer481WhenInDialogRequestThroughOurRecordRouteMatchesNoDialog() throws IOException
    {
        final String route = "Route: <sip:127.0.0.1:" + member.sipPort() + ";lr>\r\n";
        final String bye = request("BYE", foreignUri(), "Max-Forwards: 70\r\n" + route)
            .replace("\r\nTo: <sip:bob@example.com>\r\n", "\r\nTo: <sip:bob@example.com>;tag=callee\r\n");

        final String response = exchange(bye);

        assertTrue(response.startsWith("SIP/2.0 481 "), response);
        awaitCounter("in-dialog requests for no dialog (481)", 1);
    }

    @Test
    void shouldAnswer408WhenNextHopNeverAnswers() throws IOException
    {
        // Timer F of the forwarded OPTIONS is 64*T1: a short T1 keeps the test fast.
        restart("corral.transaction.t1.ms", "20", "corral.transaction.t2.ms", "40");

        final String response = exchange(request("OPTIONS", foreignUri(), "Max-Forwards: 70\r\n"));

        assertTrue(response.startsWith("SIP/2.0 408 "), response);
        final byte[] buffer = new byte[4096];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        silentPeer.setSoTimeout(TIMEOUT_MS);
        silentPeer.receive(packet);
        final String forwarded = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
        assertTrue(forwarded.startsWith("OPTIONS " + foreignUri() + " SIP/2.0\r\n"), forwarded);
        assertTrue(forwarded.contains("\r\nMax-Forwards: 69\r\n"), forwarded);
    }

    @Test
    void shouldAbsorbARetransmittedInviteAndResendTryingWithoutForwardingItTwice() throws IOException
    {
        final String invite = request("INVITE", foreignUri(), "Max-Forwards: 70\r\n");

        send(invite);
        assertTrue(receiveOrNull(TIMEOUT_MS).startsWith("SIP/2.0 100 "));
        send(invite);
        assertTrue(receiveOrNull(TIMEOUT_MS).startsWith("SIP/2.0 100 "), "the retransmission gets 100 again");

        final byte[] buffer = new byte[65536];
        silentPeer.setSoTimeout(TIMEOUT_MS);
        silentPeer.receive(new DatagramPacket(buffer, buffer.length));
        // Timer A would resend after T1 (500 ms): within 300 ms a second copy can only be the absorbed one.
        silentPeer.setSoTimeout(300);
        try
        {
            silentPeer.receive(new DatagramPacket(buffer, buffer.length));
            fail("the retransmitted INVITE was forwarded");
        }
        catch (final SocketTimeoutException expected)
        {
            awaitCounter("retransmissions absorbed", 1);
        }
    }

    @Test
    void shouldLeaveFromTheDestinationsFamilyAndRecordRouteTwiceWhenListeningOnTwoAddresses() throws IOException
    {
        restart("corral.sip.extra.addresses", "::1");
        final int port = member.sipPort();
        try (DatagramSocket ipv6Peer = new DatagramSocket(new InetSocketAddress("::1", 0)))
        {
            ipv6Peer.setSoTimeout(TIMEOUT_MS);
            send(request("INVITE", "sip:bob@[::1]:" + ipv6Peer.getLocalPort(), "Max-Forwards: 70\r\n"));

            final byte[] buffer = new byte[65536];
            final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            ipv6Peer.receive(packet);
            final String forwarded = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
            assertTrue(forwarded.contains("\r\nVia: SIP/2.0/UDP [::1]:" + port + ";branch="), forwarded);
            assertTrue(forwarded.contains("\r\nRecord-Route: <sip:[::1]:" + port + ";lr;cm=1>\r\n" +
                "Record-Route: <sip:127.0.0.1:" + port + ";lr;cm=1>\r\n") ||
                forwarded.contains("\r\nRecord-Route: <sip:[::1]:" + port + ";lr;cm=1>, <sip:127.0.0.1:" + port +
                ";lr;cm=1>\r\n"), forwarded);
            assertEquals(port, ((InetSocketAddress)packet.getSocketAddress()).getPort(), "sent from the ::1 socket");

            final StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
            for (final String line : forwarded.split("\r\n"))
            {
                if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") ||
                    line.startsWith("CSeq:"))
                {
                    busy.append(line).append("\r\n");
                }
                else if (line.startsWith("To:"))
                {
                    busy.append(line).append(";tag=busy\r\n");
                }
            }
            final byte[] bytes = busy.append("Content-Length: 0\r\n\r\n").toString()
                .getBytes(StandardCharsets.US_ASCII);
            ipv6Peer.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));

            String response = receiveOrNull(TIMEOUT_MS);
            while (response != null && response.startsWith("SIP/2.0 100 "))
            {
                response = receiveOrNull(TIMEOUT_MS);
            }
            assertTrue(response != null && response.startsWith("SIP/2.0 486 "), String.valueOf(response));
            ipv6Peer.receive(packet);
            final String ack = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
            assertTrue(ack.startsWith("ACK sip:bob@[::1]:"), ack);
        }
    }

    @Test
    void shouldRefuseToStartWhenAnotherMemberHoldsTheSipPort(@TempDir final Path otherDataDir)
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", otherDataDir.toString());
        properties.setProperty("corral.sip.port", Integer.toString(member.sipPort()));
        properties.setProperty("corral.threading.mode", "shared");

        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> Member.launch(Context.load(null, properties)));
        assertTrue(refused.getMessage().contains("127.0.0.1:" + member.sipPort() + " is in use by another process"),
            refused.getMessage());
    }

    @Test
    void shouldRegisterAUserAndForwardRequestsForItToItsContact() throws IOException
    {
        final String member = "127.0.0.1:" + this.member.sipPort();
        final String contact = "sip:bob@127.0.0.1:" + silentPeer.getLocalPort();
        final String register = "REGISTER sip:" + member + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:" + silentPeer.getLocalPort() + ";branch=z9hG4bK-reg-1\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:bob@127.0.0.1>;tag=reg\r\n" +
            "To: <sip:bob@127.0.0.1>\r\n" +
            "Call-ID: reg-" + System.nanoTime() + "\r\n" +
            "CSeq: 1 REGISTER\r\n" +
            "Contact: <" + contact + ">\r\n" +
            "Expires: 60\r\n" +
            "Content-Length: 0\r\n\r\n";
        final byte[] bytes = register.getBytes(StandardCharsets.US_ASCII);
        silentPeer.setSoTimeout(TIMEOUT_MS);
        silentPeer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(),
            this.member.sipPort()));
        final byte[] buffer = new byte[65536];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        silentPeer.receive(packet);
        final String registered = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
        assertTrue(registered.startsWith("SIP/2.0 200 "), registered);
        assertTrue(registered.contains("Contact: <" + contact + ">;expires="), registered);

        final String unknown = exchange(request("INVITE", "sip:carol@" + member, "Max-Forwards: 70\r\n"));
        assertTrue(unknown.startsWith("SIP/2.0 404 "), unknown);

        send(request("INVITE", "sip:bob@" + member, "Max-Forwards: 70\r\n"));
        silentPeer.receive(packet);
        final String forwarded = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
        assertTrue(forwarded.startsWith("INVITE " + contact + " SIP/2.0\r\n"), forwarded);
        assertTrue(forwarded.contains("\r\nRecord-Route: <sip:" + member + ";lr;cm=1>\r\n"), forwarded);
    }

    @Test
    void shouldChallengeRegisterAndAcceptTheRightDigestOnlyWhenAuthenticationIsRequired() throws Exception
    {
        final UsersFile users = new UsersFile(dataDir.resolve("users"));
        users.put(UsersFile.entry("alice", "127.0.0.1", DigestAlgorithm.MD5, "secret".toCharArray()));
        users.save();
        restart("corral.auth.required", "true", "corral.auth.algorithms", "MD5");
        final String uri = "sip:127.0.0.1:" + member.sipPort();

        final String challenge = exchange(register("alice", uri, 1, null));
        assertTrue(challenge.startsWith("SIP/2.0 401 "), challenge);
        final String nonce = challenge.replaceAll("(?s).*nonce=\"([^\"]+)\".*", "$1");

        final String wrong = exchange(register("alice", uri, 2, digest("alice", "wrong", nonce, uri)));
        assertTrue(wrong.startsWith("SIP/2.0 401 "), wrong);
        final String right = exchange(register("alice", uri, 3, digest("alice", "secret", nonce, uri)));
        assertTrue(right.startsWith("SIP/2.0 200 "), right);
        assertTrue(right.contains("Contact: <sip:alice@127.0.0.1:" + client.getLocalPort() + ">;expires="), right);
    }

    private String register(final String user, final String uri, final int cseq, final String authorization)
    {
        return "REGISTER " + uri + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-auth-" + cseq + "\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:" + user + "@127.0.0.1>;tag=auth\r\n" +
            "To: <sip:" + user + "@127.0.0.1>\r\n" +
            "Call-ID: auth-call\r\n" +
            "CSeq: " + cseq + " REGISTER\r\n" +
            "Contact: <sip:" + user + "@127.0.0.1:" + client.getLocalPort() + ">\r\n" +
            (authorization == null ? "" : "Authorization: " + authorization + "\r\n") +
            "Content-Length: 0\r\n\r\n";
    }

    private static String digest(final String user, final String password, final String nonce, final String uri)
        throws NoSuchAlgorithmException
    {
        final String ha1 = md5(user + ":127.0.0.1:" + password);
        final String ha2 = md5("REGISTER:" + uri);
        final String response = md5(ha1 + ":" + nonce + ":00000001:0a4f113b:auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"127.0.0.1\", nonce=\"" + nonce + "\", uri=\"" + uri +
            "\", response=\"" + response + "\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001";
    }

    private static String md5(final String text) throws NoSuchAlgorithmException
    {
        final byte[] hash = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        final StringBuilder hex = new StringBuilder();
        for (final byte b : hash)
        {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Test
    void shouldShedNewRequestsWith503ButStillPassInDialogRequestsWhenTheTransactionTableIsFull() throws IOException
    {
        restart("corral.transaction.capacity", "16");
        String response = "";
        for (int i = 0; i < 16 && !response.startsWith("SIP/2.0 503 "); i++)
        {
            // Each OPTIONS to the silent peer holds a server and a client transaction until timer F.
            response = exchangeOrNull(request("OPTIONS", foreignUri(), "Max-Forwards: 70\r\n"));
        }
        assertTrue(response.startsWith("SIP/2.0 503 "), response);
        assertTrue(response.contains("\r\nRetry-After: 1\r\n"), response);

        final byte[] buffer = new byte[65536];
        silentPeer.setSoTimeout(200);
        try
        {
            while (true)
            {
                silentPeer.receive(new DatagramPacket(buffer, buffer.length));
            }
        }
        catch (final SocketTimeoutException drained)
        {
            silentPeer.setSoTimeout(TIMEOUT_MS);
        }
        send(request("BYE", foreignUri(), "Max-Forwards: 70\r\n")
            .replace("\r\nTo: <sip:bob@example.com>\r\n", "\r\nTo: <sip:bob@example.com>;tag=callee\r\n"));
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        silentPeer.receive(packet);
        final String forwarded = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
        assertTrue(forwarded.startsWith("BYE " + foreignUri() + " SIP/2.0\r\n"), forwarded);
    }

    private String exchangeOrNull(final String request) throws IOException
    {
        send(request);
        String response = receiveOrNull(300);
        while (response != null && response.startsWith("SIP/2.0 1"))
        {
            response = receiveOrNull(300);
        }
        return response == null ? "" : response;
    }

    @Test
    void shouldDropAndCountMalformedResponses() throws IOException
    {
        final String malformed = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:" + member.sipPort() +
            ";branch=z9hG4bK-x\r\nCSeq: x OPTIONS\r\nContent-Length: 0\r\n\r\n";

        send(malformed);

        awaitCounter("drops: malformed response", 1);
        assertNull(receiveOrNull(200), "a malformed response must not be answered or forwarded");
    }

    @Test
    void shouldIgnoreCrlfKeepAlives() throws IOException
    {
        send("\r\n\r\n");

        assertNull(receiveOrNull(200));
        assertEquals(0, counter("malformed requests (answered 400)"));
    }

    @Test
    void shouldProxyEveryRequestWhenTwoAgentsHandPacketsOver() throws Exception
    {
        restart("corral.sip.agents", "2");
        final int requests = 50;
        final Thread responder = new Thread(
            () -> AnsweringPeer.answerEveryRequest(silentPeer, requests, TIMEOUT_MS), "test-uas");
        responder.start();
        try
        {
            for (int i = 0; i < requests; i++)
            {
                final String response = exchange(request("OPTIONS", foreignUri(), "Max-Forwards: 70\r\n"));
                assertTrue(response.startsWith("SIP/2.0 200 "), response);
                assertTrue(response.contains("\r\nVia: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";"),
                    response);
                assertFalse(response.contains(";branch=z9hG4bKcr"), "our Via must be popped: " + response);
            }
        }
        finally
        {
            responder.join(TIMEOUT_MS);
        }
        // One client socket and one UAS socket: the kernel gives each flow to one agent, so the Call-IDs the other
        // agent owns (about half of 50) must have been handed over.
        assertTrue(handedOverTotal() > 0 || awaitHandedOver(), "no packet was handed over");
    }

    @Test
    void shouldSteerResponsesAndInDialogRequestsToTheOwningAgentsOwnPortWhenAgentsHaveTheirOwn() throws Exception
    {
        final int base = freeUdpPortPair();
        restart("corral.sip.agents", "2", "corral.sip.agent.port.base", Integer.toString(base),
            "corral.idle.strategy", "backoff");
        silentPeer.setSoTimeout(TIMEOUT_MS);
        final String uasUri = "sip:bob@127.0.0.1:" + silentPeer.getLocalPort();
        final String invite = request("INVITE", uasUri, "Max-Forwards: 70\r\nContact: <sip:alice@127.0.0.1:" +
            client.getLocalPort() + ">\r\n");
        send(invite);

        final DatagramPacket forwarded = receiveAtUas();
        final String atUas = text(forwarded);
        final String topVia = line(atUas, "Via: ");
        final int agentPort = Integer.parseInt(topVia.replaceAll("^Via: SIP/2.0/UDP 127\\.0\\.0\\.1:(\\d+);.*$", "$1"));
        assertTrue(agentPort == base || agentPort == base + 1, "our Via names an agent's own port: " + topVia);
        assertEquals(agentPort, forwarded.getPort(), "and the request left from that port");
        final String recordRoute = line(atUas, "Record-Route: ");
        assertTrue(recordRoute.startsWith("Record-Route: <sip:127.0.0.1:" + agentPort + ";"), recordRoute);

        // The UAS answers to the Via's sent-by, as RFC 3261 §18.2.2 says, copying the Record-Route.
        final StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (final String header : atUas.split("\r\n"))
        {
            if (header.startsWith("Via:") || header.startsWith("From:") || header.startsWith("Call-ID:") ||
                header.startsWith("CSeq:") || header.startsWith("Record-Route:"))
            {
                ok.append(header).append("\r\n");
            }
            else if (header.startsWith("To:"))
            {
                ok.append(header).append(";tag=uas\r\n");
            }
        }
        ok.append("Contact: <").append(uasUri).append(">\r\nContent-Length: 0\r\n\r\n");
        sendFromUas(ok.toString(), agentPort);
        final String answer = awaitFinal("the in-dialog exchange");
        assertTrue(answer.startsWith("SIP/2.0 200 "), answer);
        assertTrue(answer.contains(recordRoute), answer);

        // The caller's in-dialog requests go to the first Route's address: the owning agent's port.
        final String callId = line(invite, "Call-ID: ").substring("Call-ID: ".length());
        final String route = "Route: " + recordRoute.substring("Record-Route: ".length()) + "\r\n";
        for (final String method : new String[] {"ACK", "BYE"})
        {
            final String inDialog = method + " " + uasUri + " SIP/2.0\r\n" +
                "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-" + method + "-" +
                SEQUENCE.incrementAndGet() + "\r\n" + route + "Max-Forwards: 70\r\n" +
                line(invite, "From: ") + "\r\n" + line(answer, "To: ") + "\r\n" +
                "Call-ID: " + callId + "\r\nCSeq: " + ("ACK".equals(method) ? "1 ACK" : "2 BYE") + "\r\n" +
                "Content-Length: 0\r\n\r\n";
            final byte[] bytes = inDialog.getBytes(StandardCharsets.US_ASCII);
            client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), agentPort));
            final String relayed = text(receiveAtUas());
            assertTrue(relayed.startsWith(method + " "), relayed);
            assertTrue(line(relayed, "Via: ").contains("127.0.0.1:" + agentPort + ";"), relayed);
        }
        final String bye = text(lastAtUas);
        final StringBuilder byeOk = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (final String header : bye.split("\r\n"))
        {
            if (header.startsWith("Via:") || header.startsWith("From:") || header.startsWith("To:") ||
                header.startsWith("Call-ID:") || header.startsWith("CSeq:"))
            {
                byeOk.append(header).append("\r\n");
            }
        }
        sendFromUas(byeOk.append("Content-Length: 0\r\n\r\n").toString(), agentPort);
        final String byeAnswer = awaitFinal("the in-dialog exchange");
        assertTrue(byeAnswer.startsWith("SIP/2.0 200 ") && byeAnswer.contains("CSeq: 2 BYE"), byeAnswer);

        // Only the INVITE, sent to the shared port, may have reached the other agent first.
        assertTrue(handedOverTotal() <= 1, "handed over: " + handedOverTotal());
    }

    private DatagramPacket receiveAtUas() throws IOException
    {
        while (true)
        {
            final DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            silentPeer.receive(packet);
            final String text = text(packet);
            if (!text.startsWith("SIP/2.0 "))
            {
                lastAtUas = packet;
                return packet;
            }
        }
    }

    private void sendFromUas(final String message, final int port) throws IOException
    {
        final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        silentPeer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private long handedOverTotal()
    {
        final long[] total = {0};
        final CountersReader reader = member.statusFile().countersManager();
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.endsWith("packets handed over to another agent"))
            {
                total[0] += reader.getCounterValue(counterId);
            }
        });
        return total[0];
    }

    private static String text(final DatagramPacket packet)
    {
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    private static String line(final String message, final String prefix)
    {
        for (final String header : message.split("\r\n"))
        {
            if (header.startsWith(prefix))
            {
                return header;
            }
        }
        fail("no " + prefix + " in\n" + message);
        return null;
    }

    private static int freeUdpPortPair() throws IOException
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try (DatagramSocket first = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
            {
                final int base = first.getLocalPort();
                if (base < 65535)
                {
                    try (DatagramSocket second = new DatagramSocket(new InetSocketAddress("127.0.0.1", base + 1)))
                    {
                        return base;
                    }
                    catch (final java.net.BindException ex)
                    {
                        // taken: try another
                    }
                }
            }
        }
        fail("no two consecutive free UDP ports");
        return 0;
    }

    private boolean awaitHandedOver()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (System.nanoTime() < deadline)
        {
            if (handedOverTotal() > 0)
            {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private void restart(final String... keyValues) throws IOException
    {
        member.close();
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        member = Member.launch(Context.load(null, properties));
    }

    private String foreignUri()
    {
        return "sip:bob@127.0.0.1:" + silentPeer.getLocalPort();
    }

    private String request(final String method, final String requestUri, final String extraHeaders)
    {
        final long n = SEQUENCE.incrementAndGet();
        return method + " " + requestUri + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-test-" + n + "\r\n" +
            extraHeaders +
            "From: <sip:alice@example.com>;tag=caller-" + n + "\r\n" +
            "To: <sip:bob@example.com>\r\n" +
            "Call-ID: test-" + n + "-" + System.nanoTime() + "\r\n" +
            "CSeq: 1 " + method + "\r\n" +
            "Content-Length: 0\r\n\r\n";
    }

    private void send(final String message) throws IOException
    {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), member.sipPort()));
    }

    /**
     * Send a request and return the first final response (100 Trying skipped).
     */
    private String exchange(final String request) throws IOException
    {
        send(request);
        return awaitFinal(request);
    }

    /**
     * @param what the request the response is awaited for, for the failure message.
     * @return the next final response (100 Trying and other provisional ones skipped).
     */
    private String awaitFinal(final String what) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (System.nanoTime() < deadline)
        {
            final String response = receiveOrNull(TIMEOUT_MS);
            if (response == null)
            {
                break;
            }
            if (!response.startsWith("SIP/2.0 1"))
            {
                return response;
            }
        }
        fail("no final response to\n" + what);
        return null;
    }

    private String receiveOrNull(final int timeoutMs) throws IOException
    {
        final byte[] buffer = new byte[65536];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        client.setSoTimeout(timeoutMs);
        try
        {
            client.receive(packet);
            return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        }
        catch (final SocketTimeoutException ex)
        {
            return null;
        }
    }

    private long counter(final String labelSuffix)
    {
        final CountersReader reader = member.statusFile().countersManager();
        final long[] value = {-1};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.endsWith(labelSuffix) && label.startsWith("SIP agent 0: "))
            {
                value[0] = reader.getCounterValue(counterId);
            }
        });
        assertFalse(value[0] < 0, "no counter " + labelSuffix);
        return value[0];
    }

    private void awaitCounter(final String labelSuffix, final long expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (counter(labelSuffix) != expected)
        {
            if (System.nanoTime() > deadline)
            {
                assertEquals(expected, counter(labelSuffix), labelSuffix);
            }
            Thread.onSpinWait();
        }
    }
}
