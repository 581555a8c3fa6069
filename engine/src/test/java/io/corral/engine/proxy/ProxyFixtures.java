package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipMessageDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test helpers: the fixtures under {@code sip/proxy/}, a member context, decoding.
 */
final class ProxyFixtures
{
    static final PeerAddress TRUSTED_SOURCE = new PeerAddress().ipv4(0x7F000001, 5062);
    static final PeerAddress UNTRUSTED_SOURCE = new PeerAddress().ipv4(0xC6336407, 5070);

    private ProxyFixtures()
    {
    }

    static ProxyContext context()
    {
        return context(1, true);
    }

    static ProxyContext context(final int memberId, final boolean recordRoute)
    {
        return new ProxyContext(memberId, "127.0.0.1", 5060, 5060, "", List.of("proxy.example.com"),
            TrustedNetworks.parse("127.0.0.0/8,::1/128"), 185_000, List.of(), recordRoute);
    }

    static UnsafeBuffer load(final String name)
    {
        try (InputStream in = ProxyFixtures.class.getResourceAsStream("/sip/proxy/" + name))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new UnsafeBuffer(in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static SipMessageDecoder decode(final String name)
    {
        final UnsafeBuffer buffer = load(name);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        decoder.wrap(buffer, 0, buffer.capacity());
        return decoder;
    }

    static SipMessageDecoder decodeText(final String text)
    {
        final UnsafeBuffer buffer = buffer(text);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        decoder.wrap(buffer, 0, buffer.capacity());
        return decoder;
    }

    static SipMessageDecoder decodeBytes(final UnsafeBuffer buffer, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(0, copy);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        decoder.wrap(new UnsafeBuffer(copy), 0, length);
        return decoder;
    }

    static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    static String text(final UnsafeBuffer buffer, final int length)
    {
        return buffer.getStringWithoutLengthAscii(0, length);
    }

    static String header(final SipMessageDecoder decoder, final int headerId)
    {
        final int index = decoder.firstIndexOf(headerId);
        return index < 0 ? null :
            decoder.buffer().getStringWithoutLengthAscii(decoder.valueOffset(index), decoder.valueLength(index));
    }

    static String values(final SipMessageDecoder decoder, final int headerId)
    {
        final StringBuilder values = new StringBuilder();
        for (int i = decoder.firstIndexOf(headerId); i >= 0; i = decoder.nextIndexOf(headerId, i))
        {
            values.append(values.length() > 0 ? ", " : "")
                .append(decoder.buffer().getStringWithoutLengthAscii(decoder.valueOffset(i), decoder.valueLength(i)));
        }
        return values.toString();
    }

    static String requestUri(final SipMessageDecoder decoder)
    {
        return decoder.buffer().getStringWithoutLengthAscii(decoder.requestUriOffset(), decoder.requestUriLength());
    }

    static String range(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }
}
