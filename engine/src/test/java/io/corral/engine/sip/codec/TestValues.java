package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Places a header value inside a buffer between hostile bytes, so a decoder reading outside its range either
 * trips Agrona's bounds check or sees characters that change the outcome.
 */
final class TestValues
{
    static final int OFFSET = 3;
    private static final String PREFIX = "<\"\\";
    private static final String SUFFIX = "\\\";>,@:?";

    private TestValues()
    {
    }

    static UnsafeBuffer buffer(final String value)
    {
        return new UnsafeBuffer((PREFIX + value + SUFFIX).getBytes(StandardCharsets.ISO_8859_1));
    }

    static int length(final String value)
    {
        return value.getBytes(StandardCharsets.ISO_8859_1).length;
    }

    static String string(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return offset < 0 ? null : buffer.getStringWithoutLengthAscii(offset, length);
    }
}
