package io.corral.engine.sip.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SipStatusTest
{
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "100|Trying",
        "180|Ringing",
        "200|OK",
        "400|Bad Request",
        "481|Call/Transaction Does Not Exist",
        "483|Too Many Hops",
        "487|Request Terminated",
        "503|Service Unavailable",
        "505|Version Not Supported",
        "603|Decline",
        "199|Early Dialog Terminated",
        "422|Session Interval Too Small",
        "499|Request Failure",
        "188|Provisional",
        "699|Global Failure",
        "99|''",
        "700|''"})
    void shouldGiveDefaultReasonPhraseWhenCodeIsKnownOrItsClassWhenNot(final int statusCode, final String phrase)
    {
        assertEquals(phrase, new String(SipStatus.reasonPhrase(statusCode), StandardCharsets.US_ASCII));
    }
}
