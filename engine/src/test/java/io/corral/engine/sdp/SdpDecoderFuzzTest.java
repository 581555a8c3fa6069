package io.corral.engine.sdp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP4;
import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the SDP reader and rewriter with Jazzer. {@code mvn test} replays the seed corpus under
 * {@code src/test/resources/io/corral/engine/sdp/SdpDecoderFuzzTestInputs/<method>/}; {@code bin/fuzz} fuzzes.
 * <p>
 * Every input sits in a buffer sized exactly to it, so any read outside the range throws (Agrona bounds checks);
 * the same input inside a larger buffer padded with noise must decode the same way.
 */
class SdpDecoderFuzzTest
{
    private static final int MAX_MEDIA = 4;
    private static final int MAX_GROWTH = MAX_MEDIA * 96 + 64;
    private static final UnsafeBuffer[] ADDRESSES =
    {
        SdpFixtures.ascii("10.9.8.7"),
        SdpFixtures.ascii("2001:db8:ffff::1"),
        SdpFixtures.ascii("0.0.0.0"),
        SdpFixtures.ascii("203.0.113.200"),
    };

    private final SdpDecoder decoder = new SdpDecoder(MAX_MEDIA);
    private final SdpDecoder padded = new SdpDecoder(MAX_MEDIA);
    private final SdpDecoder reparsed = new SdpDecoder(MAX_MEDIA);
    private final SdpRewriter rewriter = new SdpRewriter(MAX_MEDIA);

    @FuzzTest(maxDuration = "60s")
    void decode(final byte[] input)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        final boolean ok = decoder.wrap(buffer, 0, input.length);
        assertEquals(ok, null == decoder.reason());
        assertSameDecodeWhenPadded(input, ok);
        if (!ok)
        {
            assertEquals(0, decoder.mediaCount());
            return;
        }
        assertIndexesInRange(decoder, input.length);

        rewriter.reset(decoder);
        final UnsafeBuffer output = new UnsafeBuffer(new byte[input.length]);
        assertEquals(input.length, rewriter.write(output, 0, input.length), rewriter::reason);
        assertArrayEquals(input, output.byteArray());
    }

    @FuzzTest(maxDuration = "60s")
    void rewrite(final FuzzedDataProvider data)
    {
        final int edits = data.consumeInt();
        final int portBase = data.consumeInt(1, 65535);
        final int addressChoice = data.consumeInt(0, ADDRESSES.length - 1);
        final int mediaAddressChoice = data.consumeInt(0, ADDRESSES.length - 1);
        final int direction = data.consumeInt(SdpDecoder.DIRECTION_SENDRECV, SdpDecoder.DIRECTION_INACTIVE);
        final byte[] input = data.consumeRemainingAsBytes();

        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        if (!decoder.wrap(buffer, 0, input.length))
        {
            assertNotNull(decoder.reason());
            return;
        }

        rewriter.reset(decoder)
            .stripIce((edits & 1) != 0)
            .incrementVersion((edits & 2) != 0)
            .keepUnspecifiedAddress((edits & 4) != 0);
        if ((edits & 8) != 0)
        {
            rewriter.address(addressType(addressChoice), ADDRESSES[addressChoice], 0, length(addressChoice));
        }
        final int mediaCount = decoder.mediaCount();
        final boolean[] portSet = new boolean[mediaCount];
        final int[] directionSet = new int[mediaCount];
        for (int i = 0; i < mediaCount; i++)
        {
            final int bits = edits >>> (4 + 3 * i);
            if ((bits & 1) != 0)
            {
                rewriter.mediaPort(i, portBase + i < 65536 ? portBase + i : portBase);
                portSet[i] = true;
            }
            if ((bits & 2) != 0)
            {
                rewriter.mediaAddress(
                    i, addressType(mediaAddressChoice), ADDRESSES[mediaAddressChoice], 0, length(mediaAddressChoice));
            }
            if ((bits & 4) != 0)
            {
                rewriter.mediaDirection(i, direction);
                directionSet[i] = direction;
            }
        }

        final int capacity = input.length + MAX_GROWTH;
        final UnsafeBuffer output = new UnsafeBuffer(new byte[capacity]);
        final int length = rewriter.write(output, 0, capacity);
        assertTrue(length >= 0, rewriter::reason);
        assertNull(rewriter.reason());

        final UnsafeBuffer exact = new UnsafeBuffer(output.byteArray(), 0, length);
        assertTrue(reparsed.wrap(exact, 0, length), reparsed::reason);
        assertEquals(mediaCount, reparsed.mediaCount());
        assertIndexesInRange(reparsed, length);
        for (int i = 0; i < mediaCount; i++)
        {
            if (portSet[i] && decoder.mediaPort(i) != 0)
            {
                assertEquals(portBase + i < 65536 ? portBase + i : portBase, reparsed.mediaPort(i));
            }
            else
            {
                assertEquals(decoder.mediaPort(i), reparsed.mediaPort(i));
            }
            if (directionSet[i] != SdpDecoder.DIRECTION_NONE)
            {
                assertEquals(directionSet[i], reparsed.direction(i));
            }
            if ((edits & 1) != 0)
            {
                assertEquals(false, reparsed.hasIce(i));
            }
        }

        if (length > 0)
        {
            final UnsafeBuffer tooSmall = new UnsafeBuffer(new byte[length - 1]);
            assertEquals(-1, rewriter.write(tooSmall, 0, length - 1));
            assertSame(SdpRewriter.REASON_TOO_SMALL, rewriter.reason());
        }
    }

    private void assertSameDecodeWhenPadded(final byte[] input, final boolean ok)
    {
        final byte[] bytes = new byte[input.length + 8];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i % 2 == 0 ? '\n' : 'm');
        }
        System.arraycopy(input, 0, bytes, 4, input.length);
        assertEquals(ok, padded.wrap(new UnsafeBuffer(bytes), 4, input.length));
        assertSame(decoder.reason(), padded.reason());
        assertEquals(decoder.mediaCount(), padded.mediaCount());
        for (int i = 0; i < decoder.mediaCount(); i++)
        {
            assertEquals(decoder.mediaPort(i), padded.mediaPort(i));
            assertEquals(decoder.mediaEnd(i) + 4, padded.mediaEnd(i));
            assertEquals(decoder.direction(i), padded.direction(i));
            assertEquals(decoder.addressLength(i), padded.addressLength(i));
        }
    }

    private static void assertIndexesInRange(final SdpDecoder d, final int length)
    {
        assertRange(d.originVersionOffset(), d.originVersionLength(), length);
        assertTrue(d.originVersionLength() > 0);
        if (d.hasSessionConnection())
        {
            assertRange(d.sessionAddressOffset(), d.sessionAddressLength(), length);
        }
        for (int i = 0; i < d.mediaCount(); i++)
        {
            assertTrue(d.mediaStart(i) < d.mediaEnd(i) && d.mediaEnd(i) <= length);
            assertRange(d.mediaTypeOffset(i), d.mediaTypeLength(i), length);
            assertRange(d.mediaProtoOffset(i), d.mediaProtoLength(i), length);
            assertRange(d.mediaFormatsOffset(i), d.mediaFormatsLength(i), length);
            assertRange(d.addressOffset(i), d.addressLength(i), length);
            assertRange(d.rtcpAddressOffset(i), d.rtcpAddressLength(i), length);
            assertTrue(d.mediaPort(i) >= 0 && d.mediaPort(i) <= 65535);
            assertTrue(d.mediaPortCount(i) >= 1);
            assertTrue(d.direction(i) != SdpDecoder.DIRECTION_NONE);
            assertTrue(d.isMediaDisabled(i) || d.addressLength(i) > 0);
        }
    }

    private static void assertRange(final int offset, final int length, final int limit)
    {
        assertTrue(offset >= 0 && length >= 0 && offset + length <= limit, offset + "+" + length + " > " + limit);
    }

    private static int addressType(final int choice)
    {
        return choice == 1 ? ADDRESS_TYPE_IP6 : ADDRESS_TYPE_IP4;
    }

    private static int length(final int choice)
    {
        return ADDRESSES[choice].capacity();
    }
}
