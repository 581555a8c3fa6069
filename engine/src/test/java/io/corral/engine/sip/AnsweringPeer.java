package io.corral.engine.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal UAS for system tests: answers 200 to each request, copying Via, From, To (with a tag), Call-ID and CSeq.
 */
public final class AnsweringPeer
{
    private AnsweringPeer()
    {
    }

    /**
     * @param socket    the UAS's socket.
     * @param count     requests to answer.
     * @param timeoutMs longest wait for each request.
     */
    public static void answerEveryRequest(final DatagramSocket socket, final int count, final int timeoutMs)
    {
        final byte[] buffer = new byte[65536];
        try
        {
            socket.setSoTimeout(timeoutMs);
            for (int answered = 0; answered < count; answered++)
            {
                final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                final String request = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
                final StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
                for (final String line : request.split("\r\n"))
                {
                    if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:") ||
                        line.startsWith("CSeq:"))
                    {
                        response.append(line).append("\r\n");
                    }
                    else if (line.startsWith("To:"))
                    {
                        response.append(line).append(";tag=uas\r\n");
                    }
                }
                response.append("Content-Length: 0\r\n\r\n");
                final byte[] bytes = response.toString().getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
