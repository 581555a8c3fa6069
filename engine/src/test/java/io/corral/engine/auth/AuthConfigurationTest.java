package io.corral.engine.auth;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthConfigurationTest
{
    @Test
    void shouldStartSilentlyWhenLoopbackWithAuthOff()
    {
        assertNull(AuthConfiguration.checkSecureDefaults(context()));
        assertNull(AuthConfiguration.checkSecureDefaults(context("corral.sip.address", "127.0.0.2")));
        assertNull(AuthConfiguration.checkSecureDefaults(context("corral.sip.address", "::1")));
    }

    @Test
    void shouldRefuseToStartNamingTheKeysWhenNonLoopbackWithAuthOff()
    {
        for (final String address : new String[]{"0.0.0.0", "192.0.2.1", "::", "2001:db8::1"})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> AuthConfiguration.checkSecureDefaults(context("corral.sip.address", address)));
            assertEquals("refusing to start without authentication on a non-loopback address: corral.sip.address=" +
                address + " with corral.auth.required=false; set corral.auth.required=true, or " +
                "corral.auth.allow.insecure=true to serve unauthenticated requests", ex.getMessage());
        }
    }

    @Test
    void shouldWarnWhenNonLoopbackWithAuthOffIsAllowedExplicitly()
    {
        final String warning = AuthConfiguration.checkSecureDefaults(
            context("corral.sip.address", "0.0.0.0", "corral.auth.allow.insecure", "true"));

        assertTrue(warning.startsWith("WARNING: authentication is off (corral.auth.required=false) on " +
            "non-loopback corral.sip.address=0.0.0.0 because corral.auth.allow.insecure=true"), warning);
    }

    @Test
    void shouldStartSilentlyWhenNonLoopbackWithAuthRequired()
    {
        assertNull(AuthConfiguration.checkSecureDefaults(
            context("corral.sip.address", "0.0.0.0", "corral.auth.required", "true")));
    }

    @Test
    void shouldResolveDefaultsFromOtherKeysWhenAuthKeysAreEmpty()
    {
        final AuthSettings settings = AuthSettings.from(context("corral.data.dir", "/var/lib/corral"));

        assertEquals("127.0.0.1", settings.realm());
        assertEquals(Paths.get("/var/lib/corral/users"), settings.usersFile());
        assertEquals(Paths.get("/var/lib/corral/member.secret"), settings.secretFile());
        assertArrayEquals(new int[]{DigestAlgorithm.SHA_256, DigestAlgorithm.MD5}, settings.algorithms());
        assertEquals(300_000, settings.nonceLifetimeMs());
        assertEquals(10, settings.failureLimit());
        assertEquals(60_000, settings.failureWindowMs());
        assertTrue(settings.dropWhenLimited());
        assertFalse(settings.required());
        assertEquals("sip.example.com", AuthSettings.from(
            context("corral.sip.advertised.address", "sip.example.com")).realm());
        assertEquals("corp", AuthSettings.from(context("corral.sip.advertised.address", "sip.example.com",
            "corral.auth.realm", "corp", "corral.auth.algorithms", "MD5", "corral.auth.failure.action", "403"))
            .realm());
    }

    @Test
    void shouldRejectBadAlgorithmListsAndRealms()
    {
        for (final String algorithms : new String[]{"", "SHA-1", "MD5,MD5", "MD5-sess", "SHA-256,,x"})
        {
            assertThrows(ConfigurationException.class, () -> context("corral.auth.algorithms", algorithms),
                algorithms);
        }
        assertEquals(DigestAlgorithm.MD5,
            AuthSettings.from(context("corral.auth.algorithms", "md5")).algorithms()[0]);
        assertThrows(ConfigurationException.class, () -> context("corral.auth.realm", "a \"quoted\" realm"));
        assertThrows(ConfigurationException.class, () -> context("corral.auth.realm", "r".repeat(256)));
        assertEquals("r".repeat(255), AuthSettings.from(context("corral.auth.realm", "r".repeat(255))).realm());
    }

    private static Context context(final String... keyValues)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return Context.load(null, properties).conclude();
    }
}
