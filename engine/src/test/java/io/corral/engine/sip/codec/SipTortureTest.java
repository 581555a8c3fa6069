package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.stream.Stream;

import static io.corral.engine.sip.codec.SipMessageDecoder.INVALID;
import static io.corral.engine.sip.codec.SipMessageDecoder.OK;
import static io.corral.engine.sip.codec.SipMessageDecoder.VERSION_NOT_SUPPORTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table-driven: every RFC 4475 and RFC 5118 message and every user-agent message under {@code sip/}, with the outcome
 * the RFC expects of a parser (or, where the RFC leaves the choice, the one a proxy makes and why).
 */
class SipTortureTest
{
    record Case(String path, int result, String reason, String callId, int vias)
    {
        @Override
        public String toString()
        {
            return path;
        }
    }

    private static Case ok(final String path, final String callId, final int vias)
    {
        return new Case(path, OK, SipMessageDecoder.REASON_OK, callId, vias);
    }

    private static Case bad(final String path, final String reason)
    {
        return new Case(path, INVALID, reason, null, 0);
    }

    static Stream<Case> cases()
    {
        final String v = "/sip/torture/valid/";
        final String i = "/sip/torture/invalid/";
        final String six = "/sip/rfc5118/";
        final String ua = "/sip/ua/";
        return Stream.of(
            // RFC 4475 §3.1.1: valid messages.
            ok(v + "wsinv.sip", "wsinv.ndaksdj@192.0.2.1", 3),
            ok(v + "intmeth.sip", "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 1),
            ok(v + "esc01.sip", "esc01.239409asdfakjkn23onasd0-3234", 1),
            ok(v + "escnull.sip", "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd", 1),
            ok(v + "esc02.sip", "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf", 1),
            ok(v + "lwsdisp.sip", "lwsdisp.1234abcd@funky.example.com", 1),
            ok(v + "longreq.sip", "longreq.one" + "really".repeat(20) + "longcallid", 34),
            ok(v + "dblreq.sip", "dblreq.0ha0isndaksdj99sdfafnl3lk233412", 1),
            ok(v + "semiuri.sip", "semiuri.0ha0isndaksdj", 1),
            ok(v + "transports.sip", "transports.kijh4akdnaqjkwendsasfdj", 5),
            ok(v + "mpart01.sip", "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..", 1),
            ok(v + "unreason.sip", "unreason.1234ksdfak3j2erwedfsASdf", 1),
            ok(v + "noreason.sip", "noreason.asndj203insdf99223ndf", 1),
            // RFC 4475 §3.1.2: invalid messages, with the reason a 400 carries (responses are dropped).
            bad(i + "badinv01.sip", SipMessageDecoder.REASON_VIA),
            bad(i + "clerr.sip", SipMessageDecoder.REASON_CONTENT_LENGTH_BEYOND),
            bad(i + "ncl.sip", SipMessageDecoder.REASON_CONTENT_LENGTH),
            bad(i + "scalar02.sip", SipMessageDecoder.REASON_CSEQ),
            bad(i + "scalarlg.sip", SipMessageDecoder.REASON_CSEQ),
            bad(i + "quotbal.sip", SipMessageDecoder.REASON_QUOTE),
            bad(i + "ltgtruri.sip", SipUriDecoder.REASON_SCHEME),
            bad(i + "lwsruri.sip", SipMessageDecoder.REASON_REQUEST_LINE),
            bad(i + "lwsstart.sip", SipMessageDecoder.REASON_REQUEST_LINE),
            bad(i + "trws.sip", SipMessageDecoder.REASON_REQUEST_LINE),
            bad(i + "escruri.sip", SipMessageDecoder.REASON_REQUEST_URI_HEADERS),
            bad(i + "regbadct.sip", NameAddrDecoder.REASON_ADDR_SPEC),
            // The To URI starts after "< ": the space is not part of any scheme.
            bad(i + "badaspec.sip", SipUriDecoder.REASON_SCHEME),
            bad(i + "baddn.sip", NameAddrDecoder.REASON_NAME_ADDR),
            // §3.1.2.12: an element that does not use Date may ignore it; a proxy does not use it.
            ok(i + "baddate.sip", "baddate.239423mnsadf3j23lj42--sedfnm234", 1),
            new Case(i + "badvers.sip", VERSION_NOT_SUPPORTED, SipMessageDecoder.REASON_VERSION, null, 0),
            bad(i + "mismatch01.sip", SipMessageDecoder.REASON_CSEQ_METHOD),
            // §3.1.2.18 prefers 501 but allows 400: the CSeq check comes first.
            bad(i + "mismatch02.sip", SipMessageDecoder.REASON_CSEQ_METHOD),
            bad(i + "bigcode.sip", SipMessageDecoder.REASON_STATUS_CODE),
            // §3.3: transaction-user semantics. The decoder rejects what a parser must; the rest is indexed for the
            // proxy or registrar to answer (416, 420, 415, 483...).
            bad(i + "insuf.sip", SipMessageDecoder.REASON_MISSING_FROM),
            bad(i + "mcl01.sip", SipMessageDecoder.REASON_CONFLICTING_CONTENT_LENGTH),
            bad(i + "multi01.sip", SipMessageDecoder.REASON_MULTIPLE_CSEQ),
            ok(v + "badbranch.sip", "badbranch.sadonfo23i420jv0as0derf3j3n", 1),
            ok(v + "bcast.sip", "bcast.0384840201234ksdfak3j2erwedfsASdf", 2),
            ok(v + "bext01.sip", "bext01.0ha0isndaksdj", 1),
            ok(v + "cparam01.sip", "cparam01.70710@saturn.example.com", 1),
            ok(v + "cparam02.sip", "cparam02.70710@saturn.example.com", 1),
            ok(v + "inv2543.sip", "inv2543.1717@ift.client.example.com", 1),
            ok(v + "invut.sip", "invut.0ha0isndaksdjadsfij34n23d", 1),
            ok(v + "novelsc.sip", "novelsc.asdfasser0q239nwsdfasdkl34", 1),
            ok(v + "regaut01.sip", "regaut01.0ha0isndaksdj", 1),
            ok(v + "regescrt.sip", "regescrt.k345asrl3fdbv@192.0.2.1", 1),
            ok(v + "sdp01.sip", "sdp01.ndaksdj9342dasdd", 1),
            ok(v + "unkscm.sip", "unkscm.nasdfasser0q239nwsdfasdkl34", 1),
            ok(v + "unksm2.sip", "unksm2.daksdj@hyphenated-host.example.com", 1),
            ok(v + "zeromf.sip", "zeromf.jfasdlfnm2o2l43r5u0asdfas", 1),
            // RFC 5118.
            ok(six + "ipv6-good.sip", "SSG9559905523997077@hlau_4100", 1),
            bad(six + "ipv6-bad.sip", SipUriDecoder.REASON_HOST),
            // §4.10 lets a robust element accept the extra colon; we hold to the corrected ABNF and answer 400.
            bad(six + "ipv6-bug-abnf-3-colons.sip", SipUriDecoder.REASON_HOST),
            ok(six + "port-ambiguous.sip", "SSG9559905523997077@hlau_4100", 1),
            ok(six + "port-unambiguous.sip", "SSG9559905523997077@hlau_4100", 1),
            ok(six + "via-received-param-with-delim.sip", "SSG9559905523997077@hlau_4100", 1),
            ok(six + "via-received-param-no-delim.sip", "SSG95523997077@hlau_4100", 1),
            ok(six + "ipv6-in-sdp.sip", "SSG9559905523997077@hlau_4100", 1),
            ok(six + "mult-ip-in-header.sip", "997077@lau_4100", 3),
            ok(six + "mult-ip-in-sdp.sip", "SSG9559905523997077@hlau_4100", 1),
            ok(six + "ipv4-mapped-ipv6.sip", "SSG9559905523997077@hlau_4100", 2),
            ok(six + "ipv6-correct-abnf-2-colons.sip", "G9559905523997077@hlau_4100", 1),
            // Messages shaped like real user agents send.
            ok(ua + "linphone-invite.sip", "Z3Rt4uvWq9", 1),
            ok(ua + "sipp-uac-invite.sip", "1-2481@127.0.1.1", 1),
            ok(ua + "sipp-uas-200.sip", "1-2481@127.0.1.1", 1),
            ok(ua + "baresip-register.sip", "8b0a91c6e2f7d4a3", 1),
            ok(ua + "kamailio-forwarded-invite.sip", "3f1c2a7b6e5d4c3b2a19@198.51.100.7", 2),
            ok(ua + "asterisk-401.sip", "8b0a91c6e2f7d4a3", 1),
            ok(ua + "freeswitch-bye.sip", "3f1c2a7b6e5d4c3b2a19@198.51.100.7", 1));
    }

    private final SipMessageDecoder decoder = new SipMessageDecoder();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldDecodeWithTheOutcomeTheRfcExpectsWhenMessageIsFromTheTable(final Case row) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(row.path());
        // The full check of a registrar or corral-lint: the proxy path leaves Contacts to the code that uses them.
        decoder.wrap(buffer, 0, buffer.capacity());
        decoder.validateContacts();
        final int result = decoder.result();

        assertEquals(row.reason(), decoder.reason(), row.path());
        assertEquals(row.result(), result, row.path());
        if (row.callId() != null)
        {
            assertEquals(row.callId(), SipBytes.toString(buffer, decoder.callIdOffset(), decoder.callIdLength()));
            assertEquals(row.vias(), decoder.count(HeaderName.VIA));
            assertTrue(decoder.messageLength() <= buffer.capacity());
            assertRangesCoverMessage(buffer);
        }
    }

    /**
     * What an editor relies on: start line, header lines, the empty line and the body are contiguous ranges that
     * together are the message, so copying them unchanged reproduces it byte for byte.
     */
    private void assertRangesCoverMessage(final UnsafeBuffer buffer)
    {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        append(copy, buffer, decoder.messageOffset(), decoder.startLineLength());
        for (int h = 0; h < decoder.headerCount(); h++)
        {
            if (decoder.lineValueIndex(h) == 0)
            {
                append(copy, buffer, decoder.lineOffset(h), decoder.lineLength(h));
            }
        }
        append(copy, buffer, decoder.headersEndOffset(), decoder.bodyOffset() - decoder.headersEndOffset());
        append(copy, buffer, decoder.bodyOffset(), decoder.bodyLength());
        final byte[] expected = new byte[decoder.messageLength()];
        buffer.getBytes(decoder.messageOffset(), expected);
        assertArrayEquals(expected, copy.toByteArray());
    }

    private static void append(
        final ByteArrayOutputStream out, final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        out.write(bytes, 0, length);
    }

    @Test
    void shouldIgnoreTheTrailingRequestWhenDatagramHoldsTwo() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/dblreq.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertEquals(SipMethod.REGISTER, decoder.method());
        assertEquals(0, decoder.bodyLength());
        assertTrue(decoder.messageLength() < buffer.capacity());
    }

    @Test
    void shouldKeepUnknownSchemeOpaqueWhenRequestUriIsNotSip() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/unkscm.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertEquals("nobodyKnowsThisScheme:totallyopaquecontent",
            SipBytes.toString(buffer, decoder.requestUriOffset(), decoder.requestUriLength()));
        final SipUriDecoder uri = new SipUriDecoder();
        assertTrue(uri.wrap(buffer, decoder.requestUriOffset(), decoder.requestUriLength()));
        assertEquals(SipUriDecoder.OTHER, uri.scheme(), "the proxy answers 416 for an opaque scheme");
    }

    @Test
    void shouldIndexFoldedAndUnusualValuesWhenMessageIsWsinv() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/wsinv.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertEquals(68, decoder.maxForwards());
        assertEquals(9, decoder.cseqNumber());
        assertEquals(SipMethod.INVITE, decoder.cseqMethod());
        assertEquals(150, decoder.bodyLength());
        final int subject = decoder.firstIndexOf(HeaderName.SUBJECT);
        assertEquals(0, decoder.valueLength(subject));
        final int contact = decoder.firstIndexOf(HeaderName.CONTACT);
        assertEquals("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n" +
            "  secondparam ; q = 0.33",
            SipBytes.toString(buffer, decoder.valueOffset(contact), decoder.valueLength(contact)));
        int unusual = -1;
        for (int h = 0; h < decoder.headerCount(); h++)
        {
            if (decoder.headerId(h) == HeaderName.UNKNOWN && decoder.nameLength(h) == 29)
            {
                unusual = h;
            }
        }
        assertEquals(";;,,;;,;", SipBytes.toString(buffer, decoder.valueOffset(unusual), decoder.valueLength(unusual)));
    }
}
