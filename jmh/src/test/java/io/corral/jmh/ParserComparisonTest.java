package io.corral.jmh;

import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pkts.buffer.Buffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ListIterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the parser comparison honest: on the benchmark fixture, every parser's code path must produce the same,
 * correct values and equivalent output bytes. Forwarded messages are checked by parsing them back with JAIN-SIP.
 */
class ParserComparisonTest
{
    private static final String[] EXPECTED_FIELDS = {
        "INVITE",
        "sip:bob@biloxi.example.com",
        "z9hG4bK.kDu7p3yJq",
        "3c7a1e0b5f2d49a8b6e4c1d0@192.0.2.101",
        "20",
        "INVITE",
        "8fKz2RqB1",
        CapturingSink.ABSENT,
        "70",
        "328",
    };

    private final byte[] message = InviteFixture.load();

    @Test
    void shouldLoadFixtureWithCrlfLineEndsAndExactContentLength()
    {
        final String text = new String(message, StandardCharsets.US_ASCII);
        final int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertEquals(998, message.length);
        assertEquals(328, message.length - bodyStart);
        assertEquals(-1, text.replace("\r\n", "").indexOf('\n'));
        assertTrue(text.endsWith("a=sendrecv\r\n"));
    }

    @Test
    void shouldDecodeEveryFieldWhenJainSipParsesTheInvite() throws Exception
    {
        final CapturingSink sink = new CapturingSink();
        new JainSipCodec().decode(message, sink);
        assertArrayEquals(EXPECTED_FIELDS, sink.values(), Arrays.toString(sink.values()));
    }

    @Test
    void shouldDecodeEveryFieldWhenPktsFramesTheInvite() throws Exception
    {
        final CapturingSink sink = new CapturingSink();
        new PktsCodec().decode(message, sink);
        assertArrayEquals(EXPECTED_FIELDS, sink.values(), Arrays.toString(sink.values()));
    }

    @Test
    void shouldDecodeEveryFieldWhenCorralIndexesTheInvite()
    {
        final CapturingSink sink = new CapturingSink();
        final UnsafeBuffer received = InviteFixture.loadDirect();
        assertTrue(new CorralCodec().decode(received, 0, received.capacity(), sink));
        assertArrayEquals(EXPECTED_FIELDS, sink.values(), Arrays.toString(sink.values()));
    }

    @Test
    void shouldProduceForwardableInviteWhenJainSipForwards() throws Exception
    {
        final CapturingSink sink = new CapturingSink();
        final byte[] forwarded = new JainSipCodec().forward(message, sink);
        assertArrayEquals(EXPECTED_FIELDS, sink.values());
        assertForwarded(forwarded);
    }

    @Test
    void shouldProduceForwardableInviteWhenPktsForwards() throws Exception
    {
        final CapturingSink sink = new CapturingSink();
        final Buffer forwarded = new PktsCodec().forward(message, sink);
        assertArrayEquals(EXPECTED_FIELDS, sink.values());
        assertForwarded(bytes(forwarded));
    }

    @Test
    void shouldProduceForwardableInviteWhenCorralForwards() throws Exception
    {
        final CapturingSink sink = new CapturingSink();
        final UnsafeBuffer received = InviteFixture.loadDirect();
        final UnsafeBuffer output = InviteFixture.outputBuffer();
        final int length = new CorralCodec().forward(received, 0, received.capacity(), sink, output);
        assertArrayEquals(EXPECTED_FIELDS, sink.values());
        final byte[] forwarded = new byte[length];
        output.getBytes(0, forwarded);
        assertForwarded(forwarded);
    }

    @Test
    void shouldRewriteConnectionAndMediaPortWhenJainSipRewritesSdp() throws Exception
    {
        assertEquals(expectedSdp(), new String(new JainSipCodec().rewriteSdp(message), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRewriteConnectionAndMediaPortWhenPktsRewritesSdp() throws Exception
    {
        assertEquals(expectedSdp(), new String(bytes(new PktsCodec().rewriteSdp(message)), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRewriteConnectionAndMediaPortWhenCorralRewritesSdp()
    {
        final UnsafeBuffer received = InviteFixture.loadDirect();
        final UnsafeBuffer output = InviteFixture.outputBuffer();
        final int length = new CorralCodec().rewriteSdp(received, 0, received.capacity(), output);
        assertEquals(expectedSdp(), output.getStringWithoutLengthAscii(0, length));
    }

    @Test
    void shouldAllocateNothingPerMessageWhenCorralDecodesForwardsAndRewritesSdp()
    {
        final UnsafeBuffer received = InviteFixture.loadDirect();
        final UnsafeBuffer output = InviteFixture.outputBuffer();
        final CorralCodec codec = new CorralCodec();
        final CountingSink sink = new CountingSink();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 5_000; i++)
        {
            codec.decode(received, 0, received.capacity(), sink);
            codec.rewriteSdp(received, 0, received.capacity(), output);
            codec.forward(received, 0, received.capacity(), sink, output);
        }
        final int messages = 20_000;
        sink.count = 0;
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < messages; i++)
        {
            codec.decode(received, 0, received.capacity(), sink);
            codec.rewriteSdp(received, 0, received.capacity(), output);
            codec.forward(received, 0, received.capacity(), sink, output);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(messages * 20L, sink.count);
        assertTrue(allocated < messages, allocated + " bytes allocated over " + messages + " messages");
    }

    private String expectedSdp()
    {
        final String text = new String(message, StandardCharsets.US_ASCII);
        final String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        final String rewritten = body
            .replace("c=IN IP4 192.0.2.101\r\n", "c=IN IP4 " + InviteFixture.MEDIA_ADDRESS + "\r\n")
            .replace("m=audio 49170 ", "m=audio " + InviteFixture.MEDIA_PORT + " ")
            .replace("a=rtcp:49171\r\n", "a=rtcp:" + (InviteFixture.MEDIA_PORT + 1) + "\r\n");
        assertEquals(body.length() + 3, rewritten.length());
        return rewritten;
    }

    private void assertForwarded(final byte[] forwarded) throws Exception
    {
        final SIPRequest request = (SIPRequest)new StringMsgParser().parseSIPMessage(forwarded, true, true, null);
        final ListIterator<?> vias = request.getHeaders("Via");
        final Via top = (Via)vias.next();
        assertEquals(InviteFixture.PROXY_HOST, top.getHost());
        assertEquals(InviteFixture.PROXY_PORT, top.getPort());
        assertEquals("UDP", top.getTransport());
        assertEquals(InviteFixture.PROXY_BRANCH, top.getBranch());
        final Via received = (Via)vias.next();
        assertEquals("z9hG4bK.kDu7p3yJq", received.getBranch());
        assertTrue(received.hasParameter("rport"));
        assertEquals(69, request.getMaxForwards().getMaxForwards());
        final RecordRoute recordRoute = (RecordRoute)request.getRecordRouteHeaders().getFirst();
        assertEquals(InviteFixture.RECORD_ROUTE, recordRoute.getAddress().toString());
        assertEquals(1, request.getRecordRouteHeaders().size());
        assertEquals("sip:bob@biloxi.example.com", request.getRequestURI().toString());
        assertEquals("8fKz2RqB1", request.getFromTag());
        assertEquals("3c7a1e0b5f2d49a8b6e4c1d0@192.0.2.101", request.getCallId().getCallId());
        final String original = new String(message, StandardCharsets.US_ASCII);
        final String body = original.substring(original.indexOf("\r\n\r\n") + 4);
        assertEquals(body, new String(request.getRawContent(), StandardCharsets.US_ASCII));
        assertEquals(body.length(), request.getContentLength().getContentLength());
    }

    private static final class CountingSink implements FieldSink
    {
        private long count;

        public void onObject(final int field, final Object value)
        {
            count++;
        }

        public void onRange(final int field, final DirectBuffer buffer, final int offset, final int length)
        {
            count++;
        }

        public void onNumber(final int field, final long value)
        {
            count++;
        }
    }

    private static byte[] bytes(final Buffer buffer)
    {
        final byte[] bytes = new byte[buffer.getReadableBytes()];
        buffer.getBytes(bytes);
        return bytes;
    }
}
