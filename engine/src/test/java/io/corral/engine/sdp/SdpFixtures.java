package io.corral.engine.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Real-world SDP bodies under {@code src/test/resources/io/corral/engine/sdp}, exact bytes.
 */
final class SdpFixtures
{
    static final List<String> ALL = List.of(
        "sipp-offer.sdp",
        "linphone-offer.sdp",
        "baresip-offer.sdp",
        "chrome-webrtc-offer.sdp",
        "ipv6-offer.sdp",
        "audio-video-offer.sdp",
        "hold-offer.sdp",
        "disabled-video-answer.sdp",
        "session-connection-only.sdp",
        "lf-no-final-eol.sdp");

    private SdpFixtures()
    {
    }

    static byte[] bytes(final String name)
    {
        try (InputStream in = SdpFixtures.class.getResourceAsStream(name))
        {
            if (null == in)
            {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static UnsafeBuffer buffer(final String name)
    {
        return new UnsafeBuffer(bytes(name));
    }

    static String string(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
