package io.corral.state.registration;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds registration records for tests.
 */
final class RegistrationFixture
{
    private RegistrationFixture()
    {
    }

    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    static AddressOfRecord aor(final String text)
    {
        final AddressOfRecord aor = new AddressOfRecord();
        aor.set(text);
        return aor;
    }

    /**
     * Append a contact with an IPv4 source.
     */
    static int addContact(
        final RegistrationFlyweight record,
        final String uri,
        final int q,
        final long expiresMs,
        final String callId,
        final long cseq)
    {
        final int i = record.addContact();
        final UnsafeBuffer u = ascii(uri);
        final UnsafeBuffer c = ascii(callId);
        record.uri(i, u, 0, u.capacity());
        record.callId(i, c, 0, c.capacity());
        record.q(i, q).expiresMs(i, expiresMs).cseq(i, cseq).registeredMs(i, expiresMs - 3_600_000);
        record.sourceIpv4(i, 1, 0xC0000201, 5060).localSocket(i, 0, 0);
        return i;
    }
}
