package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static io.corral.engine.sip.codec.TestValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentTypeDecoderTest
{
    private final ContentTypeDecoder decoder = new ContentTypeDecoder();

    @ParameterizedTest
    @ValueSource(strings = {
        "application/sdp", "Application/SDP", " application / sdp ", "application/sdp;charset=utf-8"})
    void shouldRecogniseSdpWhenTypeMatchesIgnoringCaseAndLws(final String value)
    {
        assertTrue(decoder.wrap(buffer(value), OFFSET, length(value)), decoder::reason);
        assertTrue(decoder.isSdp());
        assertFalse(decoder.isMultipart());
    }

    @Test
    void shouldExposeBoundaryWhenMultipart()
    {
        final String value = "multipart/mixed;boundary=unique-boundary-1 ; x=\"a;b\"";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), decoder::reason);
        assertTrue(decoder.isMultipart());
        assertFalse(decoder.isSdp());
        assertEquals("multipart", string(buffer, decoder.typeOffset(), decoder.typeLength()));
        assertEquals("mixed", string(buffer, decoder.subtypeOffset(), decoder.subtypeLength()));
        final int boundary = decoder.findParameter("boundary".getBytes(StandardCharsets.US_ASCII));
        assertEquals("unique-boundary-1", string(buffer, decoder.parameters().valueOffset(boundary),
            decoder.parameters().valueLength(boundary)));
        assertTrue(decoder.parameters().isQuoted(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "application", "application/", "/sdp", "application/sdp;", "application/sdp;charset",
        "application/sdp x", "application/sdp;x=\"open", "text/html,text/plain"})
    void shouldRejectWhenMalformed(final String value)
    {
        assertFalse(decoder.wrap(buffer(value), OFFSET, length(value)), value);
        assertTrue(decoder.reason().startsWith("Bad Content-Type") || decoder.reason().startsWith("Unterminated"));
    }
}
