package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutates valid values at random and checks every decoder's contract on the result: no exception, no read outside
 * the range (the buffer ends where the value ends, so Agrona's bounds check would throw), and a reason exactly
 * when the value is rejected.
 */
class DecoderFuzzTest
{
    private static final String[] SEEDS =
    {
        "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK776asdhds;rport;received=192.0.2.1;ttl=16;maddr=h.example",
        "\"Alice \\\"A\\\"\" <sip:alice:pw@atlanta.com:5061;transport=tls;lr?x=%41>;expires=3600;q=0.7;tag=1",
        "sip:+1-212-555-1212;npdi=yes@[::ffff:192.0.2.1]:5060;user=phone;tag=x",
        "Digest username=\"bob\", realm=\"biloxi.com\", nc=00000001, algorithm=SHA-256, uri=\"sip:b@c\"",
        "tel:+1-201-555-0123;ext=22",
        "4711 INVITE",
        "multipart/mixed;boundary=\"b;1\""
    };
    private static final byte[] ALPHABET =
        " \t\r\n\"\\<>;:,=@[]%?/*.+0123456789aAzZ-_~".getBytes(StandardCharsets.US_ASCII);

    private final SipUriDecoder uri = new SipUriDecoder();
    private final ViaDecoder via = new ViaDecoder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final CSeqDecoder cseq = new CSeqDecoder();
    private final DigestCredentialsDecoder digest = new DigestCredentialsDecoder();
    private final ContentTypeDecoder contentType = new ContentTypeDecoder();

    @Test
    void shouldHonourContractWhenValuesAreMutatedAtRandom()
    {
        final Random random = new Random(3261);
        int rejected = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] value = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.US_ASCII);
            final int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++)
            {
                value[random.nextInt(value.length)] = random.nextInt(8) == 0 ?
                    (byte)random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            final int length = random.nextInt(value.length + 1);
            final UnsafeBuffer buffer = new UnsafeBuffer(value, 0, length);
            rejected += check(uri.wrap(buffer, 0, length), uri.reason());
            rejected += check(via.wrap(buffer, 0, length), via.reason());
            rejected += check(nameAddr.wrap(buffer, 0, length), nameAddr.reason());
            rejected += check(cseq.wrap(buffer, 0, length), cseq.reason());
            rejected += check(digest.wrap(buffer, 0, length), digest.reason());
            rejected += check(contentType.wrap(buffer, 0, length), contentType.reason());
        }
        assertTrue(rejected > 20_000, "mutations should mostly be rejected: " + rejected);
    }

    private static int check(final boolean valid, final String reason)
    {
        if (valid)
        {
            assertNull(reason);
            return 0;
        }
        assertNotNull(reason);
        return 1;
    }
}
