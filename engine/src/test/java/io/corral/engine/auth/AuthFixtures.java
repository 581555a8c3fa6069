package io.corral.engine.auth;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.transport.RemoteAddressTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Requests from the fixtures under {@code src/test/resources/auth}, with credentials computed independently of the
 * code under test (plain {@link MessageDigest} over strings, as RFC 7616 §3.4.1 writes the formulas).
 */
final class AuthFixtures
{
    static final String REALM = "example.com";
    static final String REGISTER_URI = "sip:example.com";
    static final String INVITE_URI = "sip:bob@example.com";
    static final String CNONCE = "0a4f113b";
    static final long SOURCE = RemoteAddressTable.ipv4Id(0xC000020A, 5060);
    static final long OTHER_SOURCE = RemoteAddressTable.ipv4Id(0xC000020B, 5060);

    private AuthFixtures()
    {
    }

    /**
     * @param name fixture file name.
     * @return its text.
     */
    static String fixture(final String name)
    {
        try (InputStream in = AuthFixtures.class.getResourceAsStream("/auth/" + name))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param name       fixture file name.
     * @param headerLine a header line without CRLF to add after the last header, or null.
     * @return the message text.
     */
    static String withHeader(final String name, final String headerLine)
    {
        final String message = fixture(name);
        if (headerLine == null)
        {
            return message;
        }
        final int end = message.indexOf("\r\n\r\n") + 2;
        return message.substring(0, end) + headerLine + "\r\n" + message.substring(end);
    }

    /**
     * @param decoder to decode with.
     * @param message the message text.
     * @return the decoder, asserted OK.
     */
    static SipMessageDecoder decode(final SipMessageDecoder decoder, final String message)
    {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        final int result = decoder.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        if (result != SipMessageDecoder.OK)
        {
            throw new IllegalStateException("fixture does not decode: " + decoder.reason());
        }
        return decoder;
    }

    static String credentials(
        final String algorithm,
        final String user,
        final String password,
        final String method,
        final String uri,
        final String nonce,
        final int nc)
    {
        final String ncHex = String.format("%08x", nc);
        final String response = response(algorithm, user, REALM, password, method, uri, nonce, ncHex, CNONCE);
        return "Digest username=\"" + user + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + uri +
            "\", response=\"" + response + "\", algorithm=" + algorithm + ", cnonce=\"" + CNONCE + "\", qop=auth, nc=" +
            ncHex;
    }

    static String response(
        final String algorithm,
        final String user,
        final String realm,
        final String password,
        final String method,
        final String uri,
        final String nonce,
        final String ncHex,
        final String cnonce)
    {
        final String ha1 = h(algorithm, user + ":" + realm + ":" + password);
        final String ha2 = h(algorithm, method + ":" + uri);
        return h(algorithm, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
    }

    static String h(final String algorithm, final String text)
    {
        try
        {
            return HexFormat.of().formatHex(
                MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
