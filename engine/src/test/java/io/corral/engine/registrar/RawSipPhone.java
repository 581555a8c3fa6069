package io.corral.engine.registrar;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A minimal SIP user agent over a raw UDP socket (or one TCP connection) for system tests: builds REGISTER and
 * INVITE text, answers requests, and computes digest credentials itself (RFC 7616, RFC 8760 SHA-256 and MD5,
 * qop=auth), which SIPp cannot do for SHA-256.
 */
final class RawSipPhone implements AutoCloseable
{
    private static final int TIMEOUT_MS = 5000;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Pattern PARAMETER = Pattern.compile("([a-zA-Z-]+)=(\"([^\"]*)\"|([^,\\s]+))");

    private final DatagramSocket udp;
    private final Socket tcp;
    private final InetSocketAddress member;

    private RawSipPhone(final DatagramSocket udp, final Socket tcp, final InetSocketAddress member)
    {
        this.udp = udp;
        this.tcp = tcp;
        this.member = member;
    }

    static RawSipPhone udp(final int memberPort) throws IOException
    {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(TIMEOUT_MS);
        return new RawSipPhone(socket, null, new InetSocketAddress("127.0.0.1", memberPort));
    }

    static RawSipPhone tcp(final int memberPort) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", memberPort), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return new RawSipPhone(null, socket, new InetSocketAddress("127.0.0.1", memberPort));
    }

    int port()
    {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    String transport()
    {
        return udp != null ? "UDP" : "TCP";
    }

    String memberUri()
    {
        return "sip:127.0.0.1:" + member.getPort();
    }

    static String newCallId()
    {
        return "call-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "@127.0.0.1";
    }

    /**
     * @param user    the AOR's user (host: the member's address).
     * @param contact the Contact header value, e.g. {@code <sip:alice@127.0.0.1:5070>} or {@code *}; null for none
     *                (a query of the current bindings).
     * @param callId  Call-ID.
     * @param cseq    CSeq number.
     * @param extra   further header lines, each ending in CRLF.
     * @return the request.
     */
    String register(final String user, final String contact, final String callId, final long cseq, final String extra)
    {
        return "REGISTER " + memberUri() + " SIP/2.0\r\n" +
            via() +
            "Max-Forwards: 70\r\n" +
            "From: <sip:" + user + "@127.0.0.1>;tag=r" + cseq + "\r\n" +
            "To: <sip:" + user + "@127.0.0.1>\r\n" +
            "Call-ID: " + callId + "\r\n" +
            "CSeq: " + cseq + " REGISTER\r\n" +
            (contact != null ? "Contact: " + contact + "\r\n" : "") +
            extra +
            "Content-Length: 0\r\n\r\n";
    }

    String invite(final String user, final String callId)
    {
        return "INVITE sip:" + user + "@127.0.0.1:" + member.getPort() + " SIP/2.0\r\n" +
            via() +
            "Max-Forwards: 70\r\n" +
            "From: <sip:caller@127.0.0.1>;tag=c1\r\n" +
            "To: <sip:" + user + "@127.0.0.1>\r\n" +
            "Call-ID: " + callId + "\r\n" +
            "CSeq: 1 INVITE\r\n" +
            "Contact: <sip:caller@127.0.0.1:" + port() + ">\r\n" +
            "Content-Length: 0\r\n\r\n";
    }

    /**
     * The ACK of a non-2xx final response to {@link #invite}: same branch, the To of the response.
     */
    static String ackFor(final String invite, final String response)
    {
        final String requestLine = invite.substring(0, invite.indexOf("\r\n"));
        return "ACK" + requestLine.substring("INVITE".length()) + "\r\n" +
            headerLine(invite, "Via") + headerLine(invite, "Max-Forwards") + headerLine(invite, "From") +
            headerLine(response, "To") + headerLine(invite, "Call-ID") +
            "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
    }

    /**
     * A response to a request this phone received, with its Via, From, To (tagged), Call-ID and CSeq.
     */
    static String responseTo(final String request, final int status, final String reason)
    {
        final StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason)
            .append("\r\n");
        for (final String line : request.split("\r\n"))
        {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") ||
                line.startsWith("CSeq:"))
            {
                out.append(line).append("\r\n");
            }
            else if (line.startsWith("To:"))
            {
                out.append(line).append(line.contains(";tag=") ? "" : ";tag=callee").append("\r\n");
            }
        }
        return out.append("Content-Length: 0\r\n\r\n").toString();
    }

    private String via()
    {
        return "Via: SIP/2.0/" + transport() + " 127.0.0.1:" + port() + ";branch=z9hG4bK-raw-" +
            SEQUENCE.incrementAndGet() + ";rport\r\n";
    }

    void send(final String message) throws IOException
    {
        final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        if (udp != null)
        {
            udp.send(new DatagramPacket(bytes, bytes.length, member));
        }
        else
        {
            tcp.getOutputStream().write(bytes);
            tcp.getOutputStream().flush();
        }
    }

    /**
     * Send a request and wait for its final response.
     */
    String exchange(final String request) throws IOException
    {
        send(request);
        return receiveFinal();
    }

    /**
     * @return the next message (UDP datagram), or null after the timeout.
     */
    String receive(final int timeoutMs) throws IOException
    {
        final byte[] buffer = new byte[65_536];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.setSoTimeout(timeoutMs);
        try
        {
            udp.receive(packet);
            return new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
        }
        catch (final SocketTimeoutException ex)
        {
            return null;
        }
    }

    /**
     * @return the next message that starts with the prefix (others skipped); fails after the timeout.
     */
    String receiveStarting(final String prefix) throws IOException
    {
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadlineMs)
        {
            final String message = udp != null ?
                receive((int)Math.max(1, deadlineMs - System.currentTimeMillis())) : readTcpMessage();
            if (message != null && message.startsWith(prefix))
            {
                return message;
            }
        }
        throw new AssertionError("nothing starting with " + prefix + " within " + TIMEOUT_MS + " ms");
    }

    /**
     * @return the next final response (1xx skipped).
     */
    String receiveFinal() throws IOException
    {
        while (true)
        {
            final String response = receiveStarting("SIP/2.0 ");
            if (response.charAt(8) != '1')
            {
                return response;
            }
        }
    }

    /**
     * @return bytes read from the TCP connection within the timeout, as text.
     */
    String readTcp(final int timeoutMs) throws IOException
    {
        tcp.setSoTimeout(timeoutMs);
        final InputStream in = tcp.getInputStream();
        final byte[] buffer = new byte[65_536];
        try
        {
            final int read = in.read(buffer);
            return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
        }
        catch (final SocketTimeoutException ex)
        {
            return "";
        }
    }

    private String readTcpMessage() throws IOException
    {
        final String text = readTcp(TIMEOUT_MS);
        final String trimmed = text.replaceFirst("^(\r\n)+", "");
        return trimmed.isEmpty() ? null : trimmed;
    }

    static int status(final String response)
    {
        return Integer.parseInt(response.substring(8, 11));
    }

    static String header(final String message, final String name)
    {
        for (final String line : message.split("\r\n"))
        {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
            {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static String headerLine(final String message, final String name)
    {
        final String value = header(message, name);
        assertNotNull(value, name);
        return name + ": " + value + "\r\n";
    }

    /**
     * Credentials for a challenge of the response that offers the algorithm.
     *
     * @param challenged the 401 response.
     * @param algorithm  {@code MD5} or {@code SHA-256}.
     * @return an {@code Authorization} header line with CRLF.
     */
    static String authorization(
        final String challenged,
        final String algorithm,
        final String method,
        final String uri,
        final String user,
        final String password)
    {
        for (final String line : challenged.split("\r\n"))
        {
            if (!line.regionMatches(true, 0, "WWW-Authenticate:", 0, 17))
            {
                continue;
            }
            String realm = null;
            String nonce = null;
            String opaque = null;
            String offered = "MD5";
            final Matcher m = PARAMETER.matcher(line.substring(line.indexOf("Digest") + 6));
            while (m.find())
            {
                final String value = m.group(3) != null ? m.group(3) : m.group(4);
                switch (m.group(1).toLowerCase())
                {
                    case "realm" -> realm = value;
                    case "nonce" -> nonce = value;
                    case "opaque" -> opaque = value;
                    case "algorithm" -> offered = value;
                    default ->
                    {
                    }
                }
            }
            if (!offered.equalsIgnoreCase(algorithm))
            {
                continue;
            }
            final String cnonce = "0a4f113b";
            final String nc = "00000001";
            final String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
            final String ha2 = hash(algorithm, method + ":" + uri);
            final String response = hash(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            return "Authorization: Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce +
                "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=" + algorithm +
                ", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"" +
                (opaque != null ? ", opaque=\"" + opaque + "\"" : "") + "\r\n";
        }
        throw new AssertionError("no " + algorithm + " challenge in\n" + challenged);
    }

    private static String hash(final String algorithm, final String text)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance(algorithm.equalsIgnoreCase("MD5") ? "MD5" :
                "SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void close() throws IOException
    {
        if (udp != null)
        {
            udp.close();
        }
        if (tcp != null)
        {
            tcp.close();
        }
    }
}
