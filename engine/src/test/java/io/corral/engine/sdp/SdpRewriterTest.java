package io.corral.engine.sdp;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP4;
import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP6;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_INACTIVE;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_RECVONLY;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_SENDONLY;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_SENDRECV;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpRewriterTest
{
    private static final UnsafeBuffer RELAY_IP4 = SdpFixtures.ascii("10.9.8.7");
    private static final UnsafeBuffer RELAY_IP6 = SdpFixtures.ascii("2001:db8:ffff::1");
    private static final UnsafeBuffer OTHER_IP4 = SdpFixtures.ascii("192.0.2.99");

    private final SdpDecoder decoder = new SdpDecoder();
    private final SdpDecoder reparsed = new SdpDecoder();
    private final SdpRewriter rewriter = new SdpRewriter();
    private final UnsafeBuffer output = new UnsafeBuffer(new byte[8192]);

    static Iterable<String> fixtures()
    {
        return SdpFixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldReproduceBodyByteForByteWhenNoEdits(final String fixture)
    {
        final byte[] original = wrap(fixture);
        rewriter.reset(decoder);
        assertArrayEquals(original, write());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldReproduceBodyByteForByteWhenEditsEqualCurrentValues(final String fixture)
    {
        final byte[] original = wrap(fixture);
        rewriter.reset(decoder);
        if (decoder.hasSessionConnection())
        {
            rewriter.address(
                decoder.sessionAddressType(), decoder.buffer(),
                decoder.sessionAddressOffset(), decoder.sessionAddressLength());
        }
        for (int i = 0; i < decoder.mediaCount(); i++)
        {
            if (decoder.hasMediaConnection(i))
            {
                rewriter.mediaAddress(
                    i, decoder.addressType(i), decoder.buffer(), decoder.addressOffset(i), decoder.addressLength(i));
            }
            if (!decoder.isMediaDisabled(i))
            {
                rewriter.mediaPort(i, decoder.mediaPort(i));
            }
            if (decoder.hasRtcp(i) && decoder.rtcpPort(i) > 0)
            {
                rewriter.rtcpPort(i, decoder.rtcpPort(i));
            }
            rewriter.mediaDirection(i, decoder.direction(i));
        }
        final byte[] rewritten = write();
        assertArrayEquals(original, rewritten, () -> new String(rewritten, StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldChangeOnlyAddressesPortsAndVersionWhenRelayAnchorsMedia(final String fixture)
    {
        final byte[] original = wrap(fixture);
        final int mediaCount = decoder.mediaCount();
        final int[] directions = new int[mediaCount];
        final boolean[] hadRtcp = new boolean[mediaCount];
        final boolean[] hadRtcpAddress = new boolean[mediaCount];
        final boolean[] disabled = new boolean[mediaCount];
        final int[] oldPorts = new int[mediaCount];
        for (int i = 0; i < mediaCount; i++)
        {
            directions[i] = decoder.direction(i);
            hadRtcp[i] = decoder.hasRtcp(i);
            hadRtcpAddress[i] = decoder.hasRtcpAddress(i);
            disabled[i] = decoder.isMediaDisabled(i);
            oldPorts[i] = decoder.mediaPort(i);
        }
        final String oldVersion = text(decoder, decoder.originVersionOffset(), decoder.originVersionLength());

        rewriter.reset(decoder).address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity()).incrementVersion(true);
        for (int i = 0; i < mediaCount; i++)
        {
            rewriter.mediaPort(i, 20000 + 2 * i);
        }
        final byte[] rewritten = write();
        final UnsafeBuffer buffer = new UnsafeBuffer(rewritten);
        assertTrue(reparsed.wrap(buffer, 0, rewritten.length), reparsed::reason);

        assertEquals(
            Long.toString(Long.parseLong(oldVersion) + 1),
            text(reparsed, reparsed.originVersionOffset(), reparsed.originVersionLength()));
        assertEquals(mediaCount, reparsed.mediaCount());
        for (int i = 0; i < mediaCount; i++)
        {
            assertEquals(ADDRESS_TYPE_IP4, reparsed.addressType(i));
            assertEquals("10.9.8.7", text(reparsed, reparsed.addressOffset(i), reparsed.addressLength(i)));
            assertEquals(disabled[i] ? 0 : 20000 + 2 * i, reparsed.mediaPort(i));
            assertEquals(directions[i], reparsed.direction(i));
            assertEquals(hadRtcp[i], reparsed.hasRtcp(i));
            if (hadRtcp[i] && !disabled[i])
            {
                assertEquals(reparsed.isRtcpMux(i) ? 20000 + 2 * i : 20001 + 2 * i, reparsed.rtcpPort(i));
            }
            if (hadRtcpAddress[i])
            {
                assertEquals("10.9.8.7", text(reparsed, reparsed.rtcpAddressOffset(i), reparsed.rtcpAddressLength(i)));
            }
        }

        final String[] before = lines(original);
        final String[] after = lines(rewritten);
        assertEquals(before.length, after.length);
        for (int i = 0; i < before.length; i++)
        {
            final String line = before[i];
            final boolean editable = line.startsWith("c=") || line.startsWith("m=") ||
                line.startsWith("a=rtcp:") || line.startsWith("o=");
            if (!editable)
            {
                assertEquals(line, after[i]);
            }
            else if (line.startsWith("m=") && oldPorts[indexOfMedia(before, i)] == 0)
            {
                assertEquals(line, after[i]);
            }
        }
    }

    @Test
    void shouldInsertMediaConnectionWhenMediaReliedOnSessionConnection()
    {
        wrap("session-connection-only.sdp");
        rewriter.reset(decoder)
            .mediaAddress(1, ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .mediaPort(1, 31000);
        assertEquals(
            "v=0\r\n" +
            "o=- 100 199 IN IP4 203.0.113.5\r\n" +
            "s=-\r\n" +
            "c=IN IP4 203.0.113.5\r\n" +
            "t=0 0\r\n" +
            "m=audio 4000 RTP/AVP 0 8\r\n" +
            "a=rtcp:4001 IN IP4 203.0.113.5\r\n" +
            "m=video 31000 RTP/AVP 96\r\n" +
            "i=camera\r\n" +
            "c=IN IP4 10.9.8.7\r\n" +
            "b=AS:512\r\n" +
            "a=rtpmap:96 VP8/90000\r\n",
            writeString());

        assertTrue(reparsed.wrap(new UnsafeBuffer(write()), 0, rewriterLength()), reparsed::reason);
        assertEquals("203.0.113.5", text(reparsed, reparsed.addressOffset(0), reparsed.addressLength(0)));
        assertEquals("10.9.8.7", text(reparsed, reparsed.addressOffset(1), reparsed.addressLength(1)));
    }

    @Test
    void shouldRewriteSessionAndMediaAddressesIndependently()
    {
        wrap("session-connection-only.sdp");
        rewriter.reset(decoder)
            .address(ADDRESS_TYPE_IP4, OTHER_IP4, 0, OTHER_IP4.capacity())
            .mediaAddress(0, ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .mediaPort(0, 5000);
        final String rewritten = writeString();
        assertTrue(rewritten.contains("\r\nc=IN IP4 192.0.2.99\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0 8\r\n" +
            "c=IN IP4 10.9.8.7\r\na=rtcp:5001 IN IP4 10.9.8.7\r\nm=video 4002 "), rewritten);
    }

    @Test
    void shouldSwitchToIp6WhenNewAddressIsIp6()
    {
        wrap("sipp-offer.sdp");
        rewriter.reset(decoder).address(ADDRESS_TYPE_IP6, RELAY_IP6, 0, RELAY_IP6.capacity());
        final String rewritten = writeString();
        assertTrue(rewritten.contains("\r\nc=IN IP6 2001:db8:ffff::1\r\n"), rewritten);
        assertTrue(rewritten.contains("o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"), rewritten);
    }

    @Test
    void shouldSwitchToIp4IncludingRtcpAddressWhenOfferIsIp6()
    {
        wrap("ipv6-offer.sdp");
        rewriter.reset(decoder).address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity()).mediaPort(0, 40000);
        final String rewritten = writeString();
        assertTrue(rewritten.contains("c=IN IP4 10.9.8.7\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\n"), rewritten);
        assertTrue(rewritten.contains("a=rtcp:40001 IN IP4 10.9.8.7\r\n"), rewritten);
        assertFalse(rewritten.contains("IP6 2001:db8::2\r\nt="), rewritten);
    }

    @Test
    void shouldStripIceAndAnchorMediaWhenChromeOffers()
    {
        wrap("chrome-webrtc-offer.sdp");
        rewriter.reset(decoder)
            .address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .mediaPort(0, 40000)
            .mediaPort(1, 40002)
            .stripIce(true);
        final String rewritten = writeString();
        assertFalse(rewritten.contains("a=candidate"), rewritten);
        assertFalse(rewritten.contains("a=ice-"), rewritten);
        assertFalse(rewritten.contains("a=end-of-candidates"), rewritten);
        assertTrue(rewritten.contains("m=audio 40000 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n" +
            "c=IN IP4 10.9.8.7\r\na=rtcp:40000 IN IP4 10.9.8.7\r\na=fingerprint:"), rewritten);
        assertTrue(rewritten.contains("a=rtcp:40002 IN IP4 10.9.8.7\r\n"), rewritten);
        assertTrue(rewritten.contains("a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic"), rewritten);

        final byte[] bytes = write();
        assertTrue(reparsed.wrap(new UnsafeBuffer(bytes), 0, bytes.length), reparsed::reason);
        assertFalse(reparsed.hasSessionIceAttributes());
        assertFalse(reparsed.hasIce(0));
        assertFalse(reparsed.hasIce(1));
        assertTrue(reparsed.isRtcpMux(0));
    }

    @Test
    void shouldKeepHoldAddressWhenAskedTo()
    {
        wrap("hold-offer.sdp");
        rewriter.reset(decoder).address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .keepUnspecifiedAddress(true).mediaPort(0, 40000);
        final String kept = writeString();
        assertTrue(kept.contains("c=IN IP4 0.0.0.0\r\n"), kept);
        assertTrue(kept.contains("m=audio 40000 RTP/AVP 0\r\n"), kept);

        rewriter.reset(decoder).address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity());
        final String replaced = writeString();
        assertTrue(replaced.contains("c=IN IP4 10.9.8.7\r\n"), replaced);
        assertTrue(replaced.contains("a=sendonly\r\n"), replaced);
    }

    @Test
    void shouldReplaceDirectionAttributeWhenPresent()
    {
        wrap("hold-offer.sdp");
        rewriter.reset(decoder).direction(DIRECTION_SENDRECV);
        final String rewritten = writeString();
        assertTrue(rewritten.endsWith("a=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"), rewritten);
        assertFalse(rewritten.contains("sendonly"), rewritten);
    }

    @Test
    void shouldAddMediaDirectionWhenOnlySessionLevelHadOne()
    {
        wrap("disabled-video-answer.sdp");
        rewriter.reset(decoder).mediaDirection(0, DIRECTION_INACTIVE).mediaPort(1, 50000);
        final byte[] bytes = write();
        assertEquals(
            "v=0\r\n" +
            "o=bob 2808844564 2808844565 IN IP4 192.0.2.20\r\n" +
            "s=-\r\n" +
            "c=IN IP4 192.0.2.20\r\n" +
            "t=0 0\r\n" +
            "a=recvonly\r\n" +
            "m=audio 49174 RTP/AVP 0\r\n" +
            "a=rtpmap:0 PCMU/8000\r\n" +
            "a=inactive\r\n" +
            "m=video 0 RTP/AVP 31\r\n" +
            "a=rtpmap:31 H261/90000\r\n",
            new String(bytes, StandardCharsets.US_ASCII));
        assertTrue(reparsed.wrap(new UnsafeBuffer(bytes), 0, bytes.length), reparsed::reason);
        assertEquals(DIRECTION_INACTIVE, reparsed.direction(0));
        assertEquals(DIRECTION_RECVONLY, reparsed.direction(1));
        assertEquals(0, reparsed.mediaPort(1));
    }

    @Test
    void shouldNotAddDirectionWhenItAlreadyApplies()
    {
        final byte[] original = wrap("disabled-video-answer.sdp");
        rewriter.reset(decoder).mediaDirection(0, DIRECTION_RECVONLY);
        assertArrayEquals(original, write());
    }

    @Test
    void shouldEndInsertedLinesLikeTheBodyWhenLfAndNoFinalLineEnd()
    {
        wrap("lf-no-final-eol.sdp");
        rewriter.reset(decoder)
            .mediaAddress(0, ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .mediaDirection(0, DIRECTION_SENDONLY);
        final String rewritten = writeString();
        assertTrue(rewritten.contains("m=audio 10712 RTP/AVP 96 0 8 101\nc=IN IP4 10.9.8.7\nb=AS:64\n"), rewritten);
        assertTrue(rewritten.contains("\na=sendonly\na=label:1\n"), rewritten);
        assertTrue(rewritten.endsWith("\na=ptime:20"), rewritten);
        assertFalse(rewritten.contains("\r"), rewritten);
    }

    @Test
    void shouldAppendDirectionAfterUnterminatedLastLine()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5 RTP/AVP 0");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        rewriter.reset(decoder).direction(DIRECTION_INACTIVE);
        assertTrue(writeString().endsWith("m=audio 5 RTP/AVP 0\r\na=inactive\r\n"));
    }

    @Test
    void shouldNotMergeAppendedLineIntoLastLineEndingWithBareCr()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5 RTP/AVP 0\r\na=recvonly\r");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        assertEquals(DIRECTION_RECVONLY, decoder.direction(0));
        rewriter.reset(decoder).mediaAddress(0, ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity());
        final String rewritten = writeString();
        assertTrue(rewritten.endsWith("a=recvonly\r"), rewritten);

        final UnsafeBuffer noDirection = SdpFixtures.ascii(
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 5 RTP/AVP 0\r\na=ptime:20\r");
        assertTrue(decoder.wrap(noDirection, 0, noDirection.capacity()), decoder::reason);
        rewriter.reset(decoder).direction(DIRECTION_INACTIVE);
        final String appended = writeString();
        assertTrue(appended.endsWith("\r\na=ptime:20\r\na=inactive\r\n"), appended);
    }

    @Test
    void shouldCarryVersionDigitsWhenIncrementingNines()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\r\no=- 1 1999 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5 RTP/AVP 0\r\n");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        rewriter.reset(decoder).incrementVersion(true);
        assertTrue(writeString().contains("o=- 1 2000 IN IP4"));

        final UnsafeBuffer nines = SdpFixtures.ascii(
            "v=0\r\no=- 1 99999999999999999999 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 5 RTP/AVP 0\r\n");
        assertTrue(decoder.wrap(nines, 0, nines.capacity()), decoder::reason);
        rewriter.reset(decoder).incrementVersion(true);
        assertTrue(writeString().contains("o=- 1 100000000000000000000 IN IP4"));
    }

    @Test
    void shouldFailWithReasonWhenDestinationTooSmall()
    {
        final byte[] original = wrap("linphone-offer.sdp");
        rewriter.reset(decoder).address(ADDRESS_TYPE_IP6, RELAY_IP6, 0, RELAY_IP6.capacity());
        final UnsafeBuffer small = new UnsafeBuffer(new byte[original.length]);
        assertEquals(-1, rewriter.write(small, 0, original.length));
        assertSame(SdpRewriter.REASON_TOO_SMALL, rewriter.reason());

        rewriter.reset(decoder);
        assertEquals(original.length, rewriter.write(small, 0, original.length));
        assertNull(rewriter.reason());
    }

    @Test
    void shouldFailWithReasonWhenBodyHasMoreMediaThanTheRewriterHolds()
    {
        wrap("linphone-offer.sdp");
        final SdpRewriter small = new SdpRewriter(1);
        assertEquals(-1, small.reset(decoder).write(output, 0, output.capacity()));
        assertSame(SdpRewriter.REASON_TOO_MANY_MEDIA, small.reason());
    }

    @Test
    void shouldFailWithReasonWhenDecoderRejectedTheBody()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii("garbage");
        assertFalse(decoder.wrap(buffer, 0, buffer.capacity()));
        assertEquals(-1, rewriter.reset(decoder).write(output, 0, output.capacity()));
        assertSame(SdpRewriter.REASON_NOT_WRAPPED, rewriter.reason());
    }

    @Test
    void shouldNotAllocateWhenDecodingAndRewritingRepeatedly()
    {
        final UnsafeBuffer body = SdpFixtures.buffer("linphone-offer.sdp");
        final int length = body.capacity();
        for (int i = 0; i < 20_000; i++)
        {
            decodeAndRewrite(body, length, i);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long fewestBytes = Long.MAX_VALUE;
        long total = 0;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100_000; i++)
            {
                total += decodeAndRewrite(body, length, i);
            }
            fewestBytes = Math.min(fewestBytes, threads.getThreadAllocatedBytes(threadId) - before);
        }

        assertTrue(total > 300_000L * (length - 16), "every rewrite succeeded");
        assertTrue(fewestBytes < 1024, "allocated " + fewestBytes + " bytes over 100k wrap+rewrite");
    }

    private int decodeAndRewrite(final UnsafeBuffer body, final int length, final int i)
    {
        if (!decoder.wrap(body, 0, length))
        {
            return -1;
        }
        rewriter.reset(decoder)
            .address(ADDRESS_TYPE_IP4, RELAY_IP4, 0, RELAY_IP4.capacity())
            .mediaPort(0, 20000 + (i & 0xFFF) * 2)
            .mediaPort(1, 30000 + (i & 0xFFF) * 2)
            .incrementVersion(true)
            .stripIce(true);
        return rewriter.write(output, 0, output.capacity());
    }

    private static int indexOfMedia(final String[] lines, final int lineIndex)
    {
        int media = -1;
        for (int i = 0; i <= lineIndex; i++)
        {
            if (lines[i].startsWith("m="))
            {
                media++;
            }
        }
        return media;
    }

    private static String[] lines(final byte[] body)
    {
        return new String(body, StandardCharsets.US_ASCII).split("\r?\n");
    }

    private byte[] wrap(final String fixture)
    {
        final byte[] original = SdpFixtures.bytes(fixture);
        assertTrue(decoder.wrap(new UnsafeBuffer(original), 0, original.length), decoder::reason);
        return original;
    }

    private int rewriterLength()
    {
        return rewriter.write(output, 0, output.capacity());
    }

    private byte[] write()
    {
        final int length = rewriter.write(output, 0, output.capacity());
        assertTrue(length >= 0, rewriter::reason);
        final byte[] bytes = new byte[length];
        output.getBytes(0, bytes);
        return bytes;
    }

    private String writeString()
    {
        return new String(write(), StandardCharsets.US_ASCII);
    }

    private static String text(final SdpDecoder decoder, final int offset, final int length)
    {
        return SdpFixtures.string(decoder.buffer(), offset, length);
    }
}
