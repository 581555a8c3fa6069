package io.corral.state.registration;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.corral.state.registration.RegistrationFixture.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressOfRecordTest
{
    @Test
    void shouldLowerCaseHostAndUnescapeUserWhenNormalising()
    {
        final UnsafeBuffer uri = ascii("sips:Al%69ce@Example.COM:5061;transport=tls");
        final AddressOfRecord aor = new AddressOfRecord();
        assertTrue(aor.set(uri, 5, 7, 13, 11));
        assertEquals("Alice@example.com", aor.toString());
        assertEquals(RegistrationFixture.aor("Alice@example.com").high(), aor.high());
        assertEquals(RegistrationFixture.aor("Alice@example.com").low(), aor.low());
    }

    @Test
    void shouldKeepUserCaseWhenNormalising()
    {
        assertNotEquals(RegistrationFixture.aor("alice@example.com").high(),
            RegistrationFixture.aor("Alice@example.com").high());
    }

    @Test
    void shouldRefuseWhenEscapeIsBadOrTooLong()
    {
        final AddressOfRecord aor = new AddressOfRecord();
        final UnsafeBuffer bad = ascii("al%6zce@h");
        assertFalse(aor.set(bad, 0, 7, 8, 1));
        assertEquals(0, aor.length());
        assertFalse(aor.set("a".repeat(RegistrationDescriptor.AOR_CAPACITY + 1)));
    }
}
