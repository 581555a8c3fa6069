package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static io.corral.engine.sip.codec.TestValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CSeqDecoderTest
{
    private final CSeqDecoder decoder = new CSeqDecoder();

    static Stream<Arguments> validValues()
    {
        return Stream.of(
            arguments("4711 INVITE", 4711L, "INVITE", SipMethod.INVITE),
            arguments("0 ACK", 0L, "ACK", SipMethod.ACK),
            arguments("4294967295 BYE", 4294967295L, "BYE", SipMethod.BYE),
            arguments("  1\t\r\n  REGISTER  ", 1L, "REGISTER", SipMethod.REGISTER),
            arguments("00000000000000000000000000000000000000000001 OPTIONS", 1L, "OPTIONS", SipMethod.OPTIONS),
            arguments("8 NEWMETHOD", 8L, "NEWMETHOD", SipMethod.UNKNOWN),
            arguments("9 invite", 9L, "invite", SipMethod.UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("validValues")
    void shouldDecodeNumberAndMethodWhenValid(
        final String value, final long number, final String methodName, final int method)
    {
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), () -> value + " -> " + decoder.reason());
        assertEquals(number, decoder.number());
        assertEquals(methodName, string(buffer, decoder.methodOffset(), decoder.methodLength()));
        assertEquals(method, decoder.method());
    }

    static Stream<Arguments> invalidValues()
    {
        return Stream.of(
            arguments("", CSeqDecoder.REASON_NUMBER),
            arguments("INVITE", CSeqDecoder.REASON_NUMBER),
            arguments("-1 INVITE", CSeqDecoder.REASON_NUMBER),
            arguments("4294967296 INVITE", CSeqDecoder.REASON_NUMBER_TOO_LARGE),
            arguments("36893488147419103232 INVITE", CSeqDecoder.REASON_NUMBER_TOO_LARGE),
            arguments("12INVITE", CSeqDecoder.REASON_NUMBER),
            arguments("12", CSeqDecoder.REASON_METHOD),
            arguments("12 ", CSeqDecoder.REASON_METHOD),
            arguments("12 INV ITE", CSeqDecoder.REASON_METHOD),
            arguments("12 INVITE;x", CSeqDecoder.REASON_METHOD));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void shouldRejectWithReasonWhenMalformed(final String value, final String reason)
    {
        assertFalse(decoder.wrap(buffer(value), OFFSET, length(value)), value);
        assertEquals(reason, decoder.reason(), value);
        assertEquals(-1, decoder.number());
    }
}
