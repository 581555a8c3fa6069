package io.corral.engine.sdp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP4;
import static io.corral.engine.sdp.SdpDecoder.ADDRESS_TYPE_IP6;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_INACTIVE;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_NONE;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_RECVONLY;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_SENDONLY;
import static io.corral.engine.sdp.SdpDecoder.DIRECTION_SENDRECV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpDecoderTest
{
    private final SdpDecoder decoder = new SdpDecoder();

    static Iterable<String> fixtures()
    {
        return SdpFixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldAcceptWhenBodyIsARealUserAgentOffer(final String fixture)
    {
        final UnsafeBuffer buffer = SdpFixtures.buffer(fixture);
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), () -> fixture + ": " + decoder.reason());
        assertNull(decoder.reason());
        assertTrue(decoder.mediaCount() >= 1);
    }

    @Test
    void shouldReadSippDefaultOffer()
    {
        wrap("sipp-offer.sdp");
        assertEquals("2353687637", text(decoder.originVersionOffset(), decoder.originVersionLength()));
        assertTrue(decoder.hasSessionConnection());
        assertEquals(ADDRESS_TYPE_IP4, decoder.sessionAddressType());
        assertEquals("127.0.0.1", text(decoder.sessionAddressOffset(), decoder.sessionAddressLength()));
        assertEquals(1, decoder.mediaCount());
        assertEquals("audio", text(decoder.mediaTypeOffset(0), decoder.mediaTypeLength(0)));
        assertEquals(6000, decoder.mediaPort(0));
        assertEquals(1, decoder.mediaPortCount(0));
        assertEquals("RTP/AVP", text(decoder.mediaProtoOffset(0), decoder.mediaProtoLength(0)));
        assertEquals("0", text(decoder.mediaFormatsOffset(0), decoder.mediaFormatsLength(0)));
        assertFalse(decoder.hasMediaConnection(0));
        assertEquals("127.0.0.1", text(decoder.addressOffset(0), decoder.addressLength(0)));
        assertEquals(DIRECTION_NONE, decoder.mediaDirection(0));
        assertEquals(DIRECTION_SENDRECV, decoder.direction(0));
        assertFalse(decoder.hasRtcp(0));
        assertFalse(decoder.hasIce(0));
        assertFalse(decoder.lfLineEnds());
    }

    @Test
    void shouldReadRtcpPortsOfEachMediaWhenLinphoneOffersAudioAndVideo()
    {
        wrap("linphone-offer.sdp");
        assertEquals(2, decoder.mediaCount());
        assertEquals(
            "96 97 98 0 8 18 101 99 100", text(decoder.mediaFormatsOffset(0), decoder.mediaFormatsLength(0)));
        assertEquals(7078, decoder.mediaPort(0));
        assertTrue(decoder.hasRtcp(0));
        assertEquals(7079, decoder.rtcpPort(0));
        assertFalse(decoder.hasRtcpAddress(0));
        assertEquals("video", text(decoder.mediaTypeOffset(1), decoder.mediaTypeLength(1)));
        assertEquals(9078, decoder.mediaPort(1));
        assertEquals(9079, decoder.rtcpPort(1));
        assertEquals(decoder.mediaStart(1), decoder.mediaEnd(0));
        assertEquals(decoder.length(), decoder.mediaEnd(1));
    }

    @Test
    void shouldReadIceAndRtcpMuxWhenChromeOffers()
    {
        wrap("chrome-webrtc-offer.sdp");
        assertFalse(decoder.hasSessionConnection());
        assertTrue(decoder.hasSessionIceAttributes());
        assertEquals(2, decoder.mediaCount());
        assertEquals("UDP/TLS/RTP/SAVPF", text(decoder.mediaProtoOffset(0), decoder.mediaProtoLength(0)));
        assertEquals(9, decoder.mediaPort(0));
        assertTrue(decoder.hasMediaConnection(0));
        assertTrue(decoder.isAddressUnspecified(0));
        assertEquals(3, decoder.candidateCount(0));
        assertTrue(decoder.hasIce(0));
        assertTrue(decoder.isRtcpMux(0));
        assertEquals(9, decoder.rtcpPort(0));
        assertTrue(decoder.hasRtcpAddress(0));
        assertEquals(ADDRESS_TYPE_IP4, decoder.rtcpAddressType(0));
        assertEquals("0.0.0.0", text(decoder.rtcpAddressOffset(0), decoder.rtcpAddressLength(0)));
        assertEquals(DIRECTION_SENDRECV, decoder.mediaDirection(0));
        assertEquals(1, decoder.candidateCount(1));
        assertEquals(DIRECTION_RECVONLY, decoder.direction(1));
    }

    @Test
    void shouldReadIp6AddressesWhenOfferIsIp6()
    {
        wrap("ipv6-offer.sdp");
        assertEquals(ADDRESS_TYPE_IP6, decoder.sessionAddressType());
        assertEquals("2001:db8::2", text(decoder.addressOffset(0), decoder.addressLength(0)));
        assertEquals(ADDRESS_TYPE_IP6, decoder.addressType(0));
        assertEquals(49171, decoder.rtcpPort(0));
        assertEquals(ADDRESS_TYPE_IP6, decoder.rtcpAddressType(0));
        assertEquals("2001:db8::2", text(decoder.rtcpAddressOffset(0), decoder.rtcpAddressLength(0)));
    }

    @Test
    void shouldReadMediaConnectionsWhenEachMediaHasItsOwn()
    {
        wrap("audio-video-offer.sdp");
        assertFalse(decoder.hasSessionConnection());
        assertEquals("198.51.100.10", text(decoder.addressOffset(0), decoder.addressLength(0)));
        assertEquals("198.51.100.11", text(decoder.addressOffset(1), decoder.addressLength(1)));
        assertEquals(30002, decoder.mediaPort(1));
        assertEquals(2, decoder.mediaPortCount(1));
        assertEquals("RTP/AVPF", text(decoder.mediaProtoOffset(1), decoder.mediaProtoLength(1)));
        assertEquals(DIRECTION_SENDRECV, decoder.direction(0));
        assertEquals(DIRECTION_SENDONLY, decoder.direction(1));
    }

    @Test
    void shouldReadHoldWhenOfferIsSendonlyWithUnspecifiedAddress()
    {
        wrap("hold-offer.sdp");
        assertTrue(decoder.isAddressUnspecified(0));
        assertEquals(DIRECTION_SENDONLY, decoder.direction(0));
    }

    @Test
    void shouldApplySessionDirectionAndSeeDisabledStreamWhenAnswerRejectsVideo()
    {
        wrap("disabled-video-answer.sdp");
        assertEquals(DIRECTION_RECVONLY, decoder.sessionDirection());
        assertEquals(DIRECTION_NONE, decoder.mediaDirection(0));
        assertEquals(DIRECTION_RECVONLY, decoder.direction(0));
        assertFalse(decoder.isMediaDisabled(0));
        assertTrue(decoder.isMediaDisabled(1));
        assertEquals(0, decoder.mediaPort(1));
    }

    @Test
    void shouldAcceptBareLfAndMissingFinalLineEnd()
    {
        wrap("lf-no-final-eol.sdp");
        assertTrue(decoder.lfLineEnds());
        assertEquals(10712, decoder.mediaPort(0));
        assertEquals(DIRECTION_SENDRECV, decoder.mediaDirection(0));
        assertEquals("10.0.0.5", text(decoder.addressOffset(0), decoder.addressLength(0)));
    }

    @Test
    void shouldReadOnlyTheWrappedRangeWhenBodyIsInsideALargerBuffer()
    {
        final String body =
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5 RTP/AVP 0\r\n";
        final UnsafeBuffer buffer = SdpFixtures.ascii("INVITE\r\n\r\n" + body + "m=video 7 RTP/AVP 0\r\n");
        assertTrue(decoder.wrap(buffer, 10, body.length()), decoder::reason);
        assertEquals(1, decoder.mediaCount());
        assertEquals(5, decoder.mediaPort(0));
        assertEquals(10 + body.length(), decoder.mediaEnd(0));
    }

    @Test
    void shouldReadMulticastAddressWithoutTtl()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 224.2.36.42/127\r\nt=0 0\r\nm=audio 5 RTP/AVP 0\r\n");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        assertEquals("224.2.36.42", text(decoder.sessionAddressOffset(), decoder.sessionAddressLength()));
    }

    @Test
    void shouldReadInactiveAttribute()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 5 RTP/AVP 0\nc=IN IP4 1.2.3.4\na=inactive\n");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        assertEquals(DIRECTION_INACTIVE, decoder.direction(0));
    }

    @Test
    void shouldRejectWhenMediaExceedTheBound()
    {
        final SdpDecoder small = new SdpDecoder(1);
        final UnsafeBuffer buffer = SdpFixtures.buffer("linphone-offer.sdp");
        assertFalse(small.wrap(buffer, 0, buffer.capacity()));
        assertSame(SdpDecoder.REASON_TOO_MANY_MEDIA, small.reason());
        assertEquals(0, small.mediaCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty|''",
        "version|'o=- 1 2 IN IP4 1.2.3.4\\r\\n'",
        "version|'v=1\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\n'",
        "line|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nbogus\\r\\n'",
        "line|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nS=x\\r\\n'",
        "originMissing|'v=0\\r\\ns=-\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 5 RTP/AVP 0\\r\\n'",
        "origin|'v=0\\r\\no=- 1 x2 IN IP4 1.2.3.4\\r\\n'",
        "origin|'v=0\\r\\no=- 1 2 IN IP4\\r\\n'",
        "connection|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4\\r\\n'",
        "connection|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=XX IP4 1.2.3.4\\r\\n'",
        "connection|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4 extra\\r\\n'",
        "addressType|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN ATM 1.2.3.4\\r\\n'",
        "media|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio\\r\\n'",
        "media|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 65536 RTP/AVP 0\\r\\n'",
        "media|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 5/0 RTP/AVP 0\\r\\n'",
        "media|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 5x RTP/AVP 0\\r\\n'",
        "rtcp|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 5 RTP/AVP 0\\r\\na=rtcp:x\\r\\n'",
        "rtcp|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\nc=IN IP4 1.2.3.4\\r\\nm=audio 5 RTP/AVP 0\\r\\na=rtcp:6 IN\\r\\n'",
        "noConnection|'v=0\\r\\no=- 1 2 IN IP4 1.2.3.4\\r\\ns=-\\r\\nm=audio 5 RTP/AVP 0\\r\\n'",
    })
    void shouldRejectWithReasonWhenMalformed(final String expected, final String body)
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(body.replace("\\r", "\r").replace("\\n", "\n"));
        assertFalse(decoder.wrap(buffer, 0, buffer.capacity()));
        assertSame(expectedReason(expected), decoder.reason());
    }

    @Test
    void shouldAcceptDisabledStreamWithoutConnection()
    {
        final UnsafeBuffer buffer = SdpFixtures.ascii(
            "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n");
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
        assertTrue(decoder.isMediaDisabled(0));
        assertEquals(0, decoder.addressLength(0));
    }

    private static String expectedReason(final String name)
    {
        switch (name)
        {
            case "empty":
                return SdpDecoder.REASON_EMPTY;
            case "version":
                return SdpDecoder.REASON_VERSION;
            case "line":
                return SdpDecoder.REASON_LINE;
            case "originMissing":
                return SdpDecoder.REASON_ORIGIN_MISSING;
            case "origin":
                return SdpDecoder.REASON_ORIGIN;
            case "connection":
                return SdpDecoder.REASON_CONNECTION;
            case "addressType":
                return SdpDecoder.REASON_ADDRESS_TYPE;
            case "media":
                return SdpDecoder.REASON_MEDIA;
            case "rtcp":
                return SdpDecoder.REASON_RTCP;
            case "noConnection":
                return SdpDecoder.REASON_NO_CONNECTION;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private void wrap(final String fixture)
    {
        final UnsafeBuffer buffer = SdpFixtures.buffer(fixture);
        assertTrue(decoder.wrap(buffer, 0, buffer.capacity()), decoder::reason);
    }

    private String text(final int offset, final int length)
    {
        return SdpFixtures.string(decoder.buffer(), offset, length);
    }
}
