package io.corral.engine.registrar;

import io.corral.engine.proxy.ProxyContext;
import io.corral.engine.proxy.TrustedNetworks;
import io.corral.engine.sip.codec.SipMessageDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * REGISTER fixtures ({@code src/test/resources/registrar/*.sip}, CRLF) and contexts for the registrar tests.
 */
final class RegistrarFixtures
{
    private RegistrarFixtures()
    {
    }

    static ProxyContext proxyContext(final String alias)
    {
        return new ProxyContext(1, "127.0.0.1", 5060, 5060, "", List.of(alias),
            TrustedNetworks.parse("127.0.0.0/8"), 185_000, List.of(), true);
    }

    static RegistrarContext context(final long defaultExpires)
    {
        return new RegistrarContext(List.of("example.com", "example.net"), proxyContext("proxy.example.com"), 60,
            3600, defaultExpires, 1000);
    }

    static UnsafeBuffer load(final String name)
    {
        try (InputStream in = RegistrarFixtures.class.getResourceAsStream("/registrar/" + name + ".sip"))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no fixture " + name);
            }
            final byte[] bytes = in.readAllBytes();
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
            buffer.putBytes(0, bytes);
            return buffer;
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
        if (decoder.wrap(buffer, 0, buffer.capacity()) != SipMessageDecoder.OK)
        {
            throw new IllegalStateException(name + ": " + decoder.reason());
        }
        return decoder;
    }
}
