package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SipHostTest
{
    static Stream<Arguments> hosts()
    {
        return Stream.of(
            arguments("example.com", SipHost.HOSTNAME),
            arguments("a", SipHost.HOSTNAME),
            arguments("x-1.example-2.com.", SipHost.HOSTNAME),
            arguments("sip_proxy.local", SipHost.HOSTNAME),
            arguments("0.0.0.0", SipHost.IPV4),
            arguments("255.255.255.255", SipHost.IPV4),
            arguments("192.000.002.001", SipHost.IPV4),
            arguments("[::]", SipHost.IPV6),
            arguments("[::1]", SipHost.IPV6),
            arguments("[1::]", SipHost.IPV6),
            arguments("[1:2:3:4:5:6:7:8]", SipHost.IPV6),
            arguments("[1:2:3:4:5:6:7::]", SipHost.IPV6),
            arguments("[::2:3:4:5:6:7:8]", SipHost.IPV6),
            arguments("[1:2:3:4:5:6:1.2.3.4]", SipHost.IPV6),
            arguments("[::ffff:192.0.2.1]", SipHost.IPV6),
            arguments("[FE80::a:B:c]", SipHost.IPV6),
            arguments("", SipHost.INVALID),
            arguments("[]", SipHost.INVALID),
            arguments("[:]", SipHost.INVALID),
            arguments("[:::]", SipHost.INVALID),
            arguments("[:1]", SipHost.INVALID),
            arguments("[1:]", SipHost.INVALID),
            arguments("[1:2:3:4:5:6:7:8::]", SipHost.INVALID),
            arguments("[1:2:3:4:5:6:7:8:9]", SipHost.INVALID),
            arguments("[1:2:3:4:5:6:7:1.2.3.4]", SipHost.INVALID),
            arguments("[1.2.3.4::]", SipHost.INVALID),
            arguments("[::1", SipHost.INVALID),
            arguments("::1", SipHost.INVALID),
            arguments("256.1.1.1", SipHost.INVALID),
            arguments("1.1.1", SipHost.INVALID),
            arguments("1.1.1.1.", SipHost.INVALID),
            arguments("1..1.1", SipHost.INVALID),
            arguments("1234.1.1.1", SipHost.INVALID),
            arguments(".example.com", SipHost.INVALID),
            arguments("example..com", SipHost.INVALID),
            arguments("example-.com", SipHost.INVALID),
            arguments("exa mple.com", SipHost.INVALID),
            arguments("exam%70le.com", SipHost.INVALID));
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void shouldClassifyHostWhenParsed(final String host, final int type)
    {
        assertEquals(type, SipHost.parse(buffer(host), OFFSET, length(host)), host);
    }

    @Test
    void shouldFindTheSameEndAndTypeInOnePassAsScanThenParseWhenGivenHostLikeText()
    {
        final String[] fixed = {
            "", ".", "..", "a", "a.", "a..", ".a", "-a", "a-", "a-.b", "a.-b", "a_b", "1.2.3.4", "1.2.3.4.", "1.2.3",
            "1.2.3.4.5", "256.1.1.1", "1.2.3.1000", "01.02.03.004", "1..2.3", "1.2.3.4a", "123456789012345",
            "1.2.3.4:5060", "host;lr", "host>", "[::1]:5060", "[::1", "[]", "[1.2.3.4]", "exémple", "a b",
            // Eight bytes at a time: pairs, ends and high-bit bytes on either side of a word boundary.
            "abcdefg.-x", "abcdefg-.x", "abcdefg..x", "abcdefgh.-x", "abcdefgh-", "abcdefg-", "abcdefgh.",
            "-abcdefghij", ".abcdefghij", "biloxi.example.com>", "atlanta.example.com;tag=1", "12345678.1",
            "192.168.100.200:5060", "abcdefgh\u00e9ijk", "abcdefghijklmnop-", "abcdefghijklmno-.q", "0123456.89abcdef"};
        for (final String host : fixed)
        {
            assertSameAsScanThenParse(host);
        }
        final String alphabet = "0123456789.....-_aZ[]:;> \u00e9";
        final Random random = new Random(3261);
        final StringBuilder text = new StringBuilder();
        for (int n = 0; n < 20_000; n++)
        {
            text.setLength(0);
            for (int i = random.nextInt(40); i > 0; i--)
            {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertSameAsScanThenParse(text.toString());
        }
    }

    private static void assertSameAsScanThenParse(final String text)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
        final int limit = buffer.capacity();
        final int end = SipHost.scan(buffer, 0, limit);
        final int type = end < 0 ? SipHost.INVALID : SipHost.parse(buffer, 0, end);
        final long scanned = SipHost.scanAndParse(buffer.byteArray(), buffer.addressOffset(), 0, limit);
        assertEquals(end, SipHost.scannedEnd(scanned), text);
        assertEquals(type, SipHost.scannedType(scanned), text);
    }
}
