package io.corral.engine.transport;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.netty.channel.epoll.Epoll;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipTransportTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int LOOPBACK = 0x7F00_0001;

    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.COUNTER_LENGTH)));
    private final List<SipTransport> transports = new ArrayList<>();
    private final List<AutoCloseable> peers = new ArrayList<>();
    private final Received received = new Received();
    private final long[] nowNs = {0};

    @AfterEach
    void close() throws Exception
    {
        for (final SipTransport transport : transports)
        {
            transport.close();
        }
        for (final AutoCloseable peer : peers)
        {
            peer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDeliverDatagramWithSenderIdWhenPeerSendsUdp(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final byte[] message = fixture("options.sip");
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), transport.localPort()));

        pollUntil(transport, () -> received.count() == 1);

        assertArrayEquals(message, received.bytes.get(0));
        assertEquals(RemoteAddressTable.ipv4Id(LOOPBACK, peer.getLocalPort()), received.remoteIds.get(0));
        assertEquals(SipTransport.UDP, received.transports.get(0));
        assertEquals(SipTransport.NO_CONNECTION, received.connectionIds.get(0));
        assertEquals("127.0.0.1:" + peer.getLocalPort(), transport.remotes().format(received.remoteIds.get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldAnswerAStunBindingRequestWithTheSendersXorMappedAddressAndNotDeliverIt(final String kind)
        throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.setSoTimeout(5000);
        final ByteBuffer request = ByteBuffer.allocate(20);
        request.putShort((short)0x0001).putShort((short)0).putInt(0x2112A442);
        for (int i = 0; i < 12; i++)
        {
            request.put((byte)(0xA0 + i));
        }
        peer.send(new DatagramPacket(request.array(), 20, InetAddress.getLoopbackAddress(), transport.localPort()));

        pollUntil(transport, () -> counter(0, TransportCounters.STUN_KEEPALIVES_KIND) == 1);
        final DatagramPacket answer = new DatagramPacket(new byte[256], 256);
        peer.receive(answer);

        final ByteBuffer response = ByteBuffer.wrap(answer.getData(), 0, answer.getLength());
        assertEquals(32, answer.getLength());
        assertEquals(0x0101, response.getShort(0));
        assertEquals(12, response.getShort(2));
        assertEquals(0x2112A442, response.getInt(4));
        assertArrayEquals(Arrays.copyOfRange(request.array(), 8, 20), Arrays.copyOfRange(answer.getData(), 8, 20));
        assertEquals(0x0020, response.getShort(20));
        assertEquals(8, response.getShort(22));
        assertEquals(0x01, response.get(25));
        assertEquals(peer.getLocalPort(), (response.getShort(26) ^ 0x2112) & 0xFFFF);
        assertEquals(LOOPBACK, response.getInt(28) ^ 0x2112A442);
        assertEquals(0, received.count(), "STUN is not SIP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDropOtherStunMessagesWithoutAnswering(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        final ByteBuffer indication = ByteBuffer.allocate(20).putShort((short)0x0011).putShort((short)0)
            .putInt(0x2112A442);
        peer.send(new DatagramPacket(indication.array(), 20, InetAddress.getLoopbackAddress(), transport.localPort()));
        final byte[] message = fixture("options.sip");
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), transport.localPort()));

        pollUntil(transport, () -> received.count() == 1);

        assertArrayEquals(message, received.bytes.get(0));
        assertEquals(0, counter(0, TransportCounters.STUN_KEEPALIVES_KIND));
        assertEquals(2, counter(0, TransportCounters.UDP_DATAGRAMS_IN_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldReportAndCarryOnWhenTheHandlerThrows(final String kind) throws IOException
    {
        final List<Throwable> errors = new ArrayList<>();
        final SipTransport transport = open(kind, settings(kind).errorHandler(errors::add), 0, 0);
        final byte[] message = fixture("options.sip");
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        final Socket client = connect(transport);
        final SipPacketHandler failing = (buffer, offset, length, remoteId, transportCode, connectionId) ->
        {
            received.onMessage(buffer, offset, length, remoteId, transportCode, connectionId);
            throw new IllegalStateException("handler failed on message " + received.count());
        };
        for (int i = 0; i < 2; i++)
        {
            peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(),
                transport.localPort()));
        }
        client.getOutputStream().write(concat(message, message));

        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (received.count() < 4 && System.nanoTime() < deadline)
        {
            transport.poll(failing, 16);
            LockSupport.parkNanos(100_000);
        }

        assertEquals(4, received.count());
        assertEquals(4, errors.size());
        assertEquals(1, transport.tcpConnectionCount());
        assertEquals(0, counter(0, TransportCounters.SEND_FAILED_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDecodeInPlaceWhenTheHandlerWrapsTheDecoderOverTheReceiveBuffer(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final List<Integer> methods = new ArrayList<>();
        final SipPacketHandler decoding = (buffer, offset, length, remoteId, transportCode, connectionId) ->
        {
            assertEquals(null, buffer.byteArray(), "delivered from direct memory, not a heap copy");
            assertEquals(SipMessageDecoder.OK, decoder.wrap(buffer, offset, length));
            assertTrue(decoder.buffer() == buffer);
            methods.add(decoder.method());
        };
        final byte[] message = fixture("options.sip");
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), transport.localPort()));
        connect(transport).getOutputStream().write(fixture("message.sip"));

        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (methods.size() < 2 && System.nanoTime() < deadline)
        {
            transport.poll(decoding, 16);
            LockSupport.parkNanos(100_000);
        }

        assertEquals(2, methods.size());
        assertTrue(methods.contains(SipMethod.OPTIONS), methods.toString());
        assertTrue(methods.contains(SipMethod.MESSAGE), methods.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSendDatagramToPeerWhenGivenItsRemoteId(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.setSoTimeout(5000);
        final byte[] response = fixture("ok.sip");

        assertTrue(send(transport, RemoteAddressTable.ipv4Id(LOOPBACK, peer.getLocalPort()), SipTransport.UDP,
            SipTransport.NO_CONNECTION, response));
        transport.poll(received, 16);

        final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        peer.receive(packet);
        assertArrayEquals(response, Arrays.copyOf(packet.getData(), packet.getLength()));
        assertEquals(transport.localPort(), packet.getPort());
        assertEquals(1, counter(0, TransportCounters.UDP_DATAGRAMS_OUT_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll"})
    void shouldReceiveOnAndSendFromTheAgentsOwnSocketWhenItHasOne(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final int agentPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            agentPort = probe.getLocalPort();
        }
        transport.openAgentSocket(agentPort);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.setSoTimeout(5000);
        final byte[] message = fixture("options.sip");
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), agentPort));
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(),
            transport.localPort()));
        pollUntil(transport, () -> received.count() == 2);
        assertTrue(received.connectionIds.contains(SipTransport.AGENT_SOCKET), received.connectionIds.toString());
        assertTrue(received.connectionIds.contains(SipTransport.NO_CONNECTION), received.connectionIds.toString());

        final long remoteId = RemoteAddressTable.ipv4Id(LOOPBACK, peer.getLocalPort());
        final byte[] response = fixture("ok.sip");
        assertTrue(send(transport, remoteId, SipTransport.UDP, SipTransport.AGENT_SOCKET, response));
        transport.poll(received, 16);
        final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        peer.receive(packet);
        assertEquals(agentPort, packet.getPort(), "a send on the agent socket leaves from its port");
        assertTrue(send(transport, remoteId, SipTransport.UDP, SipTransport.NO_CONNECTION, response));
        transport.poll(received, 16);
        peer.receive(packet);
        assertEquals(transport.localPort(), packet.getPort(), "any other UDP send from the shared port");
        assertThrows(IllegalStateException.class, () -> transport.openAgentSocket(agentPort));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldTellHowManyBytesWaitInTheReceiveQueueWhenTheKernelSays(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        if (TransportConfiguration.KIND_NIO.equals(kind))
        {
            assertEquals(-1, transport.receiveQueueBytes(), "NIO cannot name its socket");
            return;
        }
        assertEquals(0, transport.receiveQueueBytes());
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        final byte[] message = fixture("options.sip");
        for (int i = 0; i < 20; i++)
        {
            peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(),
                transport.localPort()));
        }
        final int queued = transport.receiveQueueBytes();
        assertTrue(queued >= 20 * message.length && queued <= transport.receiveBufferBytes(),
            "20 datagrams of " + message.length + " bytes waiting: " + queued);
        pollUntil(transport, () -> received.count() == 20);
        assertEquals(0, transport.receiveQueueBytes(), "all read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void shouldRefuseAnAgentSocketNamingTheKeyWhenTheTransportIsNio(final String kind)
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> transport.openAgentSocket(0));
        assertTrue(ex.getMessage().contains("corral.sip.agent.port.base"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSendEveryDatagramWhenManyAreSentBetweenPolls(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.setReceiveBufferSize(4 << 20);
        peer.setSoTimeout(5000);
        final byte[] message = fixture("message.sip");
        final long remoteId = RemoteAddressTable.ipv4Id(LOOPBACK, peer.getLocalPort());
        final int count = 400;

        for (int i = 0; i < count; i++)
        {
            assertTrue(send(transport, remoteId, SipTransport.UDP, SipTransport.NO_CONNECTION, message), "send " + i);
        }
        transport.poll(received, 16);

        final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        for (int i = 0; i < count; i++)
        {
            peer.receive(packet);
            assertEquals(message.length, packet.getLength());
        }
        assertEquals(0, counter(0, TransportCounters.SEND_QUEUE_FULL_KIND));
        assertEquals(count, counter(0, TransportCounters.UDP_DATAGRAMS_OUT_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSpreadDatagramsOverBothAgentsWhenTheyShareThePort(final String kind) throws IOException
    {
        final SipTransport first = open(kind, settings(kind), 0, 0);
        final SipTransport second = open(kind, settings(kind), first.localPort(), 1);
        final Received secondReceived = new Received();
        final byte[] message = fixture("options.sip");
        final int sources = 32;
        final int perSource = 4;
        for (int i = 0; i < sources; i++)
        {
            final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
            for (int j = 0; j < perSource; j++)
            {
                peer.send(new DatagramPacket(
                    message, message.length, InetAddress.getLoopbackAddress(), first.localPort()));
            }
        }

        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (received.count() + secondReceived.count() < sources * perSource && System.nanoTime() < deadline)
        {
            first.poll(received, 64);
            second.poll(secondReceived, 64);
            LockSupport.parkNanos(10_000);
        }

        assertEquals(sources * perSource, received.count() + secondReceived.count());
        assertTrue(received.count() > 0, "first agent got none");
        assertTrue(secondReceived.count() > 0, "second agent got none");
        assertEquals(first.localPort(), second.localPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDeliverWholeMessagesWhenClientWritesOddChunks(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final byte[] first = fixture("options.sip");
        final byte[] second = fixture("message.sip");
        final byte[] stream = concat(first, second);
        final Socket client = connect(transport);
        final OutputStream out = client.getOutputStream();
        // Chunk ends fall mid-request-line, mid-header, in the first message's final CRLF, and mid-body.
        final int[] cuts = {7, 60, first.length - 1, first.length + 40, stream.length - 10, stream.length};
        int from = 0;
        for (final int cut : cuts)
        {
            out.write(stream, from, cut - from);
            out.flush();
            from = cut;
            transport.poll(received, 16);
        }

        pollUntil(transport, () -> received.count() == 2);

        assertArrayEquals(first, received.bytes.get(0));
        assertArrayEquals(second, received.bytes.get(1));
        assertEquals(SipTransport.TCP, received.transports.get(0));
        assertNotEquals(SipTransport.NO_CONNECTION, received.connectionIds.get(0));
        assertEquals(received.connectionIds.get(0), received.connectionIds.get(1));
        assertEquals(RemoteAddressTable.ipv4Id(LOOPBACK, client.getLocalPort()), received.remoteIds.get(0));
        assertEquals(1, counter(0, TransportCounters.TCP_ACCEPTED_KIND));
        assertEquals(2, counter(0, TransportCounters.TCP_MESSAGES_IN_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldAnswerOnTheSameConnectionWhenSendingToTheRemoteIdOfARequest(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final Socket client = connect(transport);
        client.getOutputStream().write(fixture("options.sip"));
        pollUntil(transport, () -> received.count() == 1);
        final byte[] response = fixture("ok.sip");

        assertTrue(send(transport, received.remoteIds.get(0), SipTransport.TCP, SipTransport.NO_CONNECTION, response));
        assertArrayEquals(response, readFrom(transport, client, response.length));
        final long connectionId = received.connectionIds.get(0);
        assertTrue(send(transport, received.remoteIds.get(0), SipTransport.TCP, connectionId, response));
        assertArrayEquals(response, readFrom(transport, client, response.length));

        assertEquals(1, transport.tcpConnectionCount());
        assertEquals(0, counter(0, TransportCounters.TCP_CONNECTED_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSendOnTheAliasedConnectionWhenTheRequestAskedForAnAlias(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final Socket client = connect(transport);
        client.getOutputStream().write(fixture("options.sip"));
        pollUntil(transport, () -> received.count() == 1);
        final long connectionId = received.connectionIds.get(0);
        final long sentBy = RemoteAddressTable.ipv4Id(LOOPBACK, 5070);

        assertTrue(transport.alias(connectionId, sentBy));
        final byte[] request = fixture("message.sip");
        assertTrue(send(transport, sentBy, SipTransport.TCP, SipTransport.NO_CONNECTION, request));

        assertArrayEquals(request, readFrom(transport, client, request.length));
        assertEquals(1, transport.tcpConnectionCount());
        assertEquals(0, counter(0, TransportCounters.TCP_CONNECTED_KIND));
        assertTrue(!transport.alias(connectionId + 100, sentBy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldNameTheOwningAgentInTheConnectionIdWhenAConnectionIsAccepted(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 3);
        connect(transport).getOutputStream().write(fixture("options.sip"));

        pollUntil(transport, () -> received.count() == 1);

        assertEquals(3, SipTransport.agentIndexOf(received.connectionIds.get(0)));
        assertEquals(1, counter(3, TransportCounters.TCP_MESSAGES_IN_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldOpenAConnectionWhenSendingTcpToARemoteWithoutOne(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final ServerSocket listener = peer(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
        listener.setSoTimeout(5000);
        final long remoteId = RemoteAddressTable.ipv4Id(LOOPBACK, listener.getLocalPort());
        final byte[] request = fixture("options.sip");

        assertTrue(send(transport, remoteId, SipTransport.TCP, SipTransport.NO_CONNECTION, request));
        transport.poll(received, 16);
        final Socket accepted = peer(listener.accept());
        assertArrayEquals(request, readFrom(transport, accepted, request.length));
        accepted.getOutputStream().write(fixture("ok.sip"));
        pollUntil(transport, () -> received.count() == 1);

        assertArrayEquals(fixture("ok.sip"), received.bytes.get(0));
        assertEquals(remoteId, received.remoteIds.get(0));
        assertTrue(transport.isOpen(received.connectionIds.get(0)));
        assertEquals(1, transport.tcpConnectionCount());
        assertEquals(1, counter(0, TransportCounters.TCP_CONNECTED_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCloseAConnectionWhenItIsIdleLongerThanTheTimeout(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).tcpIdleTimeoutMs(1000), 0, 0);
        final Socket client = connect(transport);
        pollUntil(transport, () -> transport.tcpConnectionCount() == 1);

        nowNs[0] += TimeUnit.MILLISECONDS.toNanos(500);
        transport.poll(received, 16);
        assertEquals(1, transport.tcpConnectionCount());
        nowNs[0] += TimeUnit.MILLISECONDS.toNanos(600);
        transport.poll(received, 16);

        assertEquals(0, transport.tcpConnectionCount());
        assertEquals(1, counter(0, TransportCounters.TCP_IDLE_CLOSED_KIND));
        client.setSoTimeout(5000);
        assertEquals(-1, client.getInputStream().read());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldAnswerCrlfWhenAKeepAlivePingArrives(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final Socket client = connect(transport);
        client.getOutputStream().write(new byte[]{'\r', '\n', '\r', '\n'});

        assertArrayEquals(new byte[]{'\r', '\n'}, readFrom(transport, client, 2));
        assertEquals(1, counter(0, TransportCounters.TCP_KEEPALIVES_KIND));
        assertEquals(0, received.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCloseTheConnectionWhenTheStreamCannotBeFramed(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final Socket client = connect(transport);
        client.getOutputStream().write(fixture("no-content-length.sip"));

        pollUntil(transport, () -> counter(0, TransportCounters.TCP_FRAMING_ERRORS_KIND) == 1);

        assertEquals(0, transport.tcpConnectionCount());
        assertEquals(0, received.count());
        client.setSoTimeout(5000);
        assertEquals(-1, client.getInputStream().read());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldAdvertiseTheListenAddressAndPortWhenNoneIsConfigured(final String kind)
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);

        assertEquals("127.0.0.1", transport.advertisedAddress());
        assertEquals(transport.localPort(), transport.advertisedPort());
        assertEquals("127.0.0.1:" + transport.localPort(), ascii(transport.advertisedSentBy()));

        final SipTransport advertised = open(
            kind, settings(kind).advertisedAddress("192.0.2.1").advertisedPort(5080), transport.localPort(), 1);
        assertEquals("192.0.2.1", advertised.advertisedAddress());
        assertEquals(5080, advertised.advertisedPort());
        assertEquals("192.0.2.1:5080", ascii(advertised.advertisedSentBy()));
        final SipTransport ipv6 = open(kind, settings(kind).advertisedAddress("2001:db8::5"), transport.localPort(), 2);
        assertEquals("[2001:db8::5]:" + transport.localPort(), ascii(ipv6.advertisedSentBy()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll"})
    void shouldBindToAnAddressThisHostLacksOnlyWhenFreebindIsOn(final String kind)
    {
        final TransportSettings vip = settings(kind).address("192.0.2.10");

        assertThrows(UncheckedIOException.class, () -> open(kind, vip, 0, 0));
        final SipTransport transport = open(kind, vip.freebind(true), 0, 0);
        assertTrue(transport.localPort() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void shouldRefuseFreebindWhenTheTransportIsNio(final String kind)
    {
        assertThrows(IllegalArgumentException.class, () -> open(kind, settings(kind).freebind(true), 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCountAFailedSendWhenTheRemoteRefusesTheConnection(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }

        send(transport, RemoteAddressTable.ipv4Id(LOOPBACK, closedPort), SipTransport.TCP,
            SipTransport.NO_CONNECTION, fixture("options.sip"));
        pollUntil(transport, () -> transport.tcpConnectionCount() == 0);

        assertEquals(1, counter(0, TransportCounters.SEND_FAILED_KIND));
        assertEquals(1, counter(0, TransportCounters.TCP_CLOSED_KIND));
        assertEquals(0, counter(0, TransportCounters.TCP_CONNECTIONS_OPEN_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldReportTheFailedConnectOnceWhenTheRemoteRefusesTheConnection(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }
        final long remoteId = RemoteAddressTable.ipv4Id(LOOPBACK, closedPort);

        assertTrue(send(transport, remoteId, SipTransport.TCP, SipTransport.NO_CONNECTION, fixture("options.sip")));
        assertTrue(received.failedRemoteIds.isEmpty(), "reported from poll, not from inside the send");
        pollUntil(transport, () -> !received.failedRemoteIds.isEmpty());
        transport.poll(received, 16);

        assertEquals(List.of(remoteId), received.failedRemoteIds);
        assertNotEquals(SipTransport.NO_CONNECTION, (long)received.failedConnectionIds.get(0));
        assertEquals(0, transport.tcpConnectionCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldNotReportAFailedConnectWhenAnEstablishedConnectionCloses(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final Socket client = connect(transport);
        pollUntil(transport, () -> transport.tcpConnectionCount() == 1);

        client.close();
        pollUntil(transport, () -> transport.tcpConnectionCount() == 0);

        assertTrue(received.failedRemoteIds.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCloseAnOutgoingConnectionWhenItDoesNotConnectInTime(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).tcpConnectTimeoutMs(1000), 0, 0);
        // A listener whose accept queue is full drops further SYNs, so a connect to it stays pending.
        final ServerSocket listener = peer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        for (int i = 0; i < 3; i++)
        {
            final Socket filler = peer(new Socket());
            try
            {
                filler.connect(listener.getLocalSocketAddress(), 200);
            }
            catch (final IOException ex)
            {
                break;
            }
        }
        send(transport, RemoteAddressTable.ipv4Id(LOOPBACK, listener.getLocalPort()), SipTransport.TCP,
            SipTransport.NO_CONNECTION, fixture("options.sip"));
        for (int i = 0; i < 20; i++)
        {
            transport.poll(received, 16);
            LockSupport.parkNanos(1_000_000);
        }
        assumeTrue(counter(0, TransportCounters.TCP_CONNECTED_KIND) == 0, "the full listener accepted anyway");
        assertEquals(1, transport.tcpConnectionCount());

        nowNs[0] += TimeUnit.MILLISECONDS.toNanos(1100);
        transport.poll(received, 16);

        assertEquals(List.of(RemoteAddressTable.ipv4Id(LOOPBACK, listener.getLocalPort())), received.failedRemoteIds);
        assertEquals(0, transport.tcpConnectionCount());
        assertEquals(1, counter(0, TransportCounters.SEND_FAILED_KIND));
        assertEquals(0, counter(0, TransportCounters.TCP_IDLE_CLOSED_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldRejectAConnectionWhenTheLimitIsReached(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).tcpMaxConnections(1), 0, 0);
        connect(transport);
        pollUntil(transport, () -> transport.tcpConnectionCount() == 1);
        final Socket second = connect(transport);

        pollUntil(transport, () -> counter(0, TransportCounters.TCP_REJECTED_KIND) == 1);

        assertEquals(1, transport.tcpConnectionCount());
        second.setSoTimeout(5000);
        assertEquals(-1, second.getInputStream().read());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDeliverIpv6DatagramsWhenListeningOnIpv6Loopback(final String kind) throws IOException
    {
        final InetAddress loopback6 = InetAddress.getByName("::1");
        final DatagramSocket peer;
        try
        {
            peer = peer(new DatagramSocket(0, loopback6));
        }
        catch (final IOException ex)
        {
            assumeTrue(false, "no IPv6 loopback: " + ex);
            return;
        }
        final SipTransport transport = open(kind, settings(kind).address("::1"), 0, 0);
        final byte[] message = fixture("options.sip");
        peer.send(new DatagramPacket(message, message.length, loopback6, transport.localPort()));

        pollUntil(transport, () -> received.count() == 1);

        final long remoteId = received.remoteIds.get(0);
        assertTrue(!RemoteAddressTable.isIpv4(remoteId));
        assertEquals("[0:0:0:0:0:0:0:1]:" + peer.getLocalPort(), transport.remotes().format(remoteId));
        peer.setSoTimeout(5000);
        assertTrue(send(transport, remoteId, SipTransport.UDP, SipTransport.NO_CONNECTION, fixture("ok.sip")));
        transport.poll(received, 16);
        final DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        peer.receive(reply);
        assertArrayEquals(fixture("ok.sip"), Arrays.copyOf(reply.getData(), reply.getLength()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll"})
    void shouldDeliverEveryDatagramWholeWhenRecvmmsgIsOn(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).recvmmsgBatch(16).maxDatagramBytes(2048), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        final byte[] first = fixture("options.sip");
        final byte[] second = fixture("message.sip");
        for (int i = 0; i < 50; i++)
        {
            final byte[] message = (i & 1) == 0 ? first : second;
            peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(),
                transport.localPort()));
        }

        pollUntil(transport, () -> received.count() == 50);

        for (int i = 0; i < 50; i++)
        {
            assertArrayEquals((i & 1) == 0 ? first : second, received.bytes.get(i), "datagram " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldDropADatagramWhenItIsLongerThanTheLimit(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).maxDatagramBytes(1500), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        final byte[] tooLong = new byte[1501];
        final byte[] message = fixture("options.sip");
        peer.send(new DatagramPacket(tooLong, tooLong.length, InetAddress.getLoopbackAddress(), transport.localPort()));
        peer.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), transport.localPort()));

        pollUntil(transport, () -> received.count() == 1);

        assertArrayEquals(message, received.bytes.get(0));
        assertEquals(1, counter(0, TransportCounters.RECEIVE_DROPS_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldLoopEveryWarmUpMessageWhenWarmingUp(final String kind)
    {
        if (TransportConfiguration.KIND_EPOLL.equals(kind))
        {
            assumeTrue(Epoll.isAvailable(), "epoll unavailable");
        }

        assertEquals(4 * 20, SipTransports.warmUp(settings(kind), 20));
        assertEquals(2 * 20, SipTransports.warmUp(settings(kind).tcpEnabled(false), 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldRefuseATcpSendWhenTcpIsDisabled(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind).tcpEnabled(false), 0, 0);

        assertTrue(!send(transport, RemoteAddressTable.ipv4Id(LOOPBACK, 5060), SipTransport.TCP,
            SipTransport.NO_CONNECTION, fixture("options.sip")));
        assertEquals(1, counter(0, TransportCounters.SEND_FAILED_KIND));
        assertEquals(0, counter(0, TransportCounters.UDP_DATAGRAMS_OUT_KIND));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "epoll+recvmmsg", "nio", "epoll+8 senders", "nio+8 senders"})
    void shouldAllocateLittlePerDatagramWhenReceivingInSteadyState(final String variant) throws IOException
    {
        final String kind = variant.startsWith("epoll") ? "epoll" : "nio";
        final int batch = variant.endsWith("recvmmsg") ? 16 : 0;
        final SipTransport transport = open(kind, settings(kind).recvmmsgBatch(batch).maxDatagramBytes(2048), 0, 0);
        final DatagramSocket[] senders = new DatagramSocket[variant.endsWith("senders") ? 8 : 1];
        for (int i = 0; i < senders.length; i++)
        {
            senders[i] = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        }
        final byte[] message = fixture("options.sip");
        final DatagramPacket packet =
            new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), transport.localPort());
        final CountingHandler counting = new CountingHandler();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final int rounds = 400;
        final int burst = 100;
        long allocated = 0;
        long measured = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < burst; i++)
            {
                senders[i % senders.length].send(packet);
            }
            final long target = counting.count + burst;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (counting.count < target && System.nanoTime() < deadline)
            {
                final long before = threads.getThreadAllocatedBytes(threadId);
                transport.poll(counting, 64);
                final long after = threads.getThreadAllocatedBytes(threadId);
                if (round >= rounds / 2)
                {
                    allocated += after - before;
                }
            }
            assertEquals(target, counting.count, "datagrams lost in round " + round);
            if (round >= rounds / 2)
            {
                measured += burst;
            }
        }
        final double perDatagram = (double)allocated / measured;
        System.out.printf("%s UDP receive path: %.1f bytes allocated per datagram over %d datagrams%n",
            variant, perDatagram, measured);
        assertTrue(perDatagram < 384, variant + " allocates " + perDatagram + " bytes per datagram");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldAllocateLittlePerDatagramWhenSendingInSteadyState(final String kind) throws IOException
    {
        final SipTransport transport = open(kind, settings(kind), 0, 0);
        final DatagramSocket peer = peer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        peer.setReceiveBufferSize(4 << 20);
        peer.setSoTimeout(5000);
        final byte[] message = fixture("options.sip");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(message.length));
        buffer.putBytes(0, message);
        final long remoteId = RemoteAddressTable.ipv4Id(LOOPBACK, peer.getLocalPort());
        final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final int rounds = 200;
        final int burst = 100;
        long allocated = 0;
        for (int round = 0; round < rounds; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < burst; i++)
            {
                transport.send(remoteId, SipTransport.UDP, SipTransport.NO_CONNECTION, buffer, 0, message.length);
            }
            transport.poll(received, 16);
            final long after = threads.getThreadAllocatedBytes(threadId);
            if (round >= rounds / 2)
            {
                allocated += after - before;
            }
            for (int i = 0; i < burst; i++)
            {
                peer.receive(packet);
            }
        }
        final double perDatagram = (double)allocated / (burst * (rounds / 2));
        System.out.printf("%s UDP send path: %.1f bytes allocated per datagram%n", kind, perDatagram);
        assertTrue(perDatagram < 256, kind + " allocates " + perDatagram + " bytes per sent datagram");
        assertEquals((long)rounds * burst, counter(0, TransportCounters.UDP_DATAGRAMS_OUT_KIND));
    }

    private TransportSettings settings(final String kind)
    {
        return new TransportSettings()
            .kind(kind)
            .address("127.0.0.1")
            .port(0)
            .nanoClock(() -> nowNs[0]);
    }

    private SipTransport open(final String kind, final TransportSettings settings, final int port, final int agent)
    {
        if (TransportConfiguration.KIND_EPOLL.equals(kind))
        {
            assumeTrue(Epoll.isAvailable(), "epoll unavailable");
        }
        final SipTransport transport =
            SipTransports.open(settings, port, new TransportCounters(countersManager, agent));
        assertEquals(kind, transport.kind());
        transports.add(transport);
        return transport;
    }

    private long counter(final int agent, final int kind)
    {
        final long[] value = {-1};
        countersManager.forEach((id, typeId, key, label) ->
        {
            if (typeId == TransportCounters.TRANSPORT_COUNTER_TYPE_ID && key.getInt(0) == agent &&
                key.getInt(4) == kind)
            {
                value[0] = countersManager.getCounterValue(id);
            }
        });
        return value[0];
    }

    private <T extends AutoCloseable> T peer(final T peer)
    {
        peers.add(peer);
        return peer;
    }

    private Socket connect(final SipTransport transport) throws IOException
    {
        final Socket client = peer(new Socket());
        client.setTcpNoDelay(true);
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), transport.localPort()), 5000);
        return client;
    }

    private boolean send(
        final SipTransport transport, final long remoteId, final int kind, final long connectionId, final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 8]);
        buffer.putBytes(8, bytes);
        return transport.send(remoteId, kind, connectionId, buffer, 8, bytes.length);
    }

    private byte[] readFrom(final SipTransport transport, final Socket socket, final int length) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (in.available() < length && System.nanoTime() < deadline)
        {
            transport.poll(received, 16);
            LockSupport.parkNanos(100_000);
        }
        final byte[] bytes = new byte[length];
        assertEquals(length, in.readNBytes(bytes, 0, length));
        return bytes;
    }

    private void pollUntil(final SipTransport transport, final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean() && System.nanoTime() < deadline)
        {
            transport.poll(received, 16);
            LockSupport.parkNanos(100_000);
        }
        assertTrue(done.getAsBoolean(), "condition not reached in time");
    }

    private static byte[] fixture(final String name) throws IOException
    {
        final Path path = Paths.get("src", "test", "resources", "transport", name);
        return Files.readAllBytes(path);
    }

    private static String ascii(final DirectBuffer buffer)
    {
        return buffer.getStringWithoutLengthAscii(0, buffer.capacity());
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static final class Received implements SipPacketHandler
    {
        final List<byte[]> bytes = new ArrayList<>();
        final List<Long> remoteIds = new ArrayList<>();
        final List<Integer> transports = new ArrayList<>();
        final List<Long> connectionIds = new ArrayList<>();
        final List<Long> failedRemoteIds = new ArrayList<>();
        final List<Long> failedConnectionIds = new ArrayList<>();

        public void onConnectFailed(final long remoteId, final long connectionId)
        {
            failedRemoteIds.add(remoteId);
            failedConnectionIds.add(connectionId);
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final long remoteId, final int transport,
            final long connectionId)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            bytes.add(copy);
            remoteIds.add(remoteId);
            transports.add(transport);
            connectionIds.add(connectionId);
        }

        int count()
        {
            return bytes.size();
        }
    }

    private static final class CountingHandler implements SipPacketHandler
    {
        long count;
        long checksum;

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final long remoteId, final int transport,
            final long connectionId)
        {
            count++;
            checksum += buffer.getByte(offset + length - 1) + remoteId;
        }
    }
}
