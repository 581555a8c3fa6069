package io.corral.engine;

import io.corral.engine.agent.AgentConfiguration;
import io.corral.engine.agent.ThreadingMode;
import io.corral.engine.config.ConfigSource;
import io.corral.engine.config.ConfigurationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;

import static io.corral.engine.SipConfiguration.SIP_ADDRESS;
import static io.corral.engine.SipConfiguration.SIP_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextTest
{
    @TempDir
    Path dir;

    private static Properties props(final String... keyValues)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private Path file(final String... lines) throws IOException
    {
        final Path file = dir.resolve("test.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static String message(final Runnable action)
    {
        return assertThrows(ConfigurationException.class, action::run).getMessage();
    }

    @Test
    void shouldUseBuiltInDefaultsWhenNothingIsConfigured()
    {
        final Context context = Context.load(null, props("java.version", "17", "other.key", "x")).conclude();

        assertEquals(1, context.memberId());
        assertEquals("127.0.0.1", context.sipAddress());
        assertEquals(5060, context.sipPort());
        assertEquals(Paths.get("./data"), context.dataDir());
        assertEquals(ThreadingMode.SHARED, context.threadingMode());
        assertEquals(ConfigSource.DEFAULT, context.config().source(SIP_PORT));
    }

    @Test
    void shouldLetFileOverrideDefaultsAndSystemPropertiesOverrideTheFileWhenBothSet() throws IOException
    {
        final Path file = file("corral.sip.port=5070", "corral.sip.address=10.0.0.1", "corral.member.id = 7 ");
        final Context context = Context.load(file, props("corral.sip.port", "5080")).conclude();

        assertEquals(5080, context.sipPort());
        assertEquals(ConfigSource.SYSTEM_PROPERTY, context.config().source(SIP_PORT));
        assertEquals("10.0.0.1", context.sipAddress());
        assertEquals(ConfigSource.FILE, context.config().source(SIP_ADDRESS));
        assertEquals(7, context.memberId());
        assertEquals(ConfigSource.DEFAULT, context.config().source(MemberConfiguration.DATA_DIR));
    }

    @Test
    void shouldNameKeyValueSourceAndAllowedValuesWhenValueIsInvalid() throws IOException
    {
        assertEquals("invalid configuration: corral.sip.port=abc (from system property): expected an integer " +
            "0..65535 (0 = any free port)",
            message(() -> Context.load(null, props("corral.sip.port", "abc")).conclude()));
        assertEquals("invalid configuration: corral.sip.port=65536 (from system property): expected an integer " +
            "0..65535 (0 = any free port)",
            message(() -> Context.load(null, props("corral.sip.port", "65536")).conclude()));

        final Path file = file("corral.member.id=64");
        assertEquals("invalid configuration: corral.member.id=64 (from file " + file.toAbsolutePath() +
            "): expected an integer 1..63", message(() -> Context.load(file, new Properties()).conclude()));

        assertEquals("invalid configuration: corral.threading.mode=fast (from system property): " +
            "expected one of dedicated|shared|invoker",
            message(() -> Context.load(null, props("corral.threading.mode", "fast")).conclude()));
        assertEquals("invalid configuration: corral.sip.address=example.com (from system property): " +
            "expected an IPv4 or IPv6 address literal",
            message(() -> Context.load(null, props("corral.sip.address", "example.com")).conclude()));
        assertTrue(message(() -> Context.load(null, props("corral.status.counters.length", "5000")).conclude())
            .endsWith("expected a power of two 4096..16777216"));
    }

    @Test
    void shouldAcceptAddressLiteralsWhenIpv4OrIpv6()
    {
        for (final String address : new String[]{ "0.0.0.0", "192.168.1.255", "::1", "fe80::1", "2001:db8::5:6" })
        {
            assertEquals(address, Context.load(null, props("corral.sip.address", address)).conclude().sipAddress());
        }
        for (final String address : new String[]{ "256.1.1.1", "1.2.3", "1.2.3.4.5", "::g", "", "localhost" })
        {
            message(() -> Context.load(null, props("corral.sip.address", address)).conclude());
        }
    }

    @Test
    void shouldSuggestTheClosestKeyWhenKeyIsUnknown() throws IOException
    {
        assertEquals("unknown configuration key corral.sip.prot (from system property): did you mean corral.sip.port?",
            message(() -> Context.load(null, props("corral.sip.prot", "5060"))));
        assertEquals("unknown configuration key corral.member.idd (from system property): " +
            "did you mean corral.member.id?", message(() -> Context.load(null, props("corral.member.idd", "1"))));

        final Path file = file("corral.data.dri=/tmp/x");
        assertEquals("unknown configuration key corral.data.dri (from file " + file.toAbsolutePath() +
            "): did you mean corral.data.dir?", message(() -> Context.load(file, new Properties())));
    }

    @Test
    void shouldStopWhenConfigFileIsMissing()
    {
        final Path missing = dir.resolve("nope.properties");
        assertEquals("config file not found: " + missing.toAbsolutePath() + " (--config)",
            message(() -> Context.load(missing, new Properties())));
    }

    @Test
    void shouldSelectEachIdleStrategyWhenNamedForAllRoles()
    {
        final Object[][] expected =
        {
            { "busy-spin", BusySpinIdleStrategy.class },
            { "no-op", NoOpIdleStrategy.class },
            { "yield", YieldingIdleStrategy.class },
            { "backoff", BackoffIdleStrategy.class },
            { "sleeping", SleepingIdleStrategy.class },
            { "epoll-wait", BackoffIdleStrategy.class },
        };
        for (final Object[] row : expected)
        {
            final Context context = Context.load(null, props("corral.idle.strategy", (String)row[0])).conclude();
            for (final String role : AgentConfiguration.ROLES)
            {
                assertInstanceOf((Class<?>)row[1], context.idleStrategy(role), row[0] + " " + role);
                assertEquals(row[0], context.idleStrategyName(role));
            }
        }
    }

    @Test
    void shouldUseTheRoleIdleStrategyWhenRoleOverridesTheDefault()
    {
        final Context context = Context.load(null, props(
            "corral.idle.strategy", "yield", "corral.conductor.idle.strategy", "sleeping")).conclude();

        assertInstanceOf(SleepingIdleStrategy.class, context.idleStrategy(AgentConfiguration.ROLE_CONDUCTOR));
        assertInstanceOf(YieldingIdleStrategy.class, context.idleStrategy(AgentConfiguration.ROLE_SHARED));
        assertInstanceOf(BackoffIdleStrategy.class,
            Context.load(null, new Properties()).conclude().idleStrategy(AgentConfiguration.ROLE_SHARED));
    }

    @Test
    void shouldApplyTuningWhenBackoffAndSleepingAreConfigured()
    {
        final Context context = Context.load(null, props(
            "corral.conductor.idle.strategy", "sleeping", "corral.idle.sleeping.period.ns", "5000",
            "corral.idle.backoff.max.park.ns", "2000000")).conclude();

        assertTrue(context.idleStrategy(AgentConfiguration.ROLE_CONDUCTOR).toString().contains("sleepPeriodNs=5000"),
            context.idleStrategy(AgentConfiguration.ROLE_CONDUCTOR).toString());
        assertTrue(context.idleStrategy(AgentConfiguration.ROLE_SHARED).toString().contains("maxParkPeriodNs=2000000"),
            context.idleStrategy(AgentConfiguration.ROLE_SHARED).toString());
    }

    @Test
    void shouldReadCpuPerRoleWhenPinningIsConfigured()
    {
        final Context context = Context.load(null, props("corral.conductor.cpu", "1")).conclude();

        assertEquals(1, context.cpu(AgentConfiguration.ROLE_CONDUCTOR));
        assertEquals(-1, context.cpu(AgentConfiguration.ROLE_SHARED));
        assertTrue(message(() -> Context.load(null, props("corral.shared.cpu", "-2")).conclude())
            .endsWith("expected an integer -1..1023 (-1 = not pinned)"));
    }

    @Test
    void shouldPrintEveryKeyWithItsSourceWhenPrintingConfig() throws IOException
    {
        final Path file = file("corral.sip.address=10.0.0.1");
        final Context context = Context.load(file, props("corral.sip.port", "5070")).conclude();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        context.config().print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String printed = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(Context.REGISTRY.keys().size(), printed.lines().count());
        assertTrue(printed.contains("corral.sip.port=5070 (system property)\n"), printed);
        assertTrue(printed.contains("corral.sip.address=10.0.0.1 (file " + file.toAbsolutePath() + ")\n"), printed);
        assertTrue(printed.contains("corral.member.id=1 (default)\n"), printed);
    }

    @Test
    void shouldLoadShippedProfilesWhenGivenAsConfigFiles()
    {
        final Context small = Context.load(Paths.get("..", "config", "corral.properties"), new Properties()).conclude();
        assertEquals(ThreadingMode.SHARED, small.threadingMode());
        assertEquals("backoff", small.idleStrategyName(AgentConfiguration.ROLE_SHARED));

        final Context fast =
            Context.load(Paths.get("..", "config", "low-latency.properties"), new Properties()).conclude();
        assertEquals(ThreadingMode.DEDICATED, fast.threadingMode());
        assertEquals("busy-spin", fast.idleStrategyName(AgentConfiguration.ROLE_SHARED));
        assertTrue(fast.cpu(AgentConfiguration.ROLE_CONDUCTOR) >= 0);
    }

    @Test
    void shouldAcceptAddressListsAndNameTheBadOneWhenExtraAddressesAreInvalid() throws IOException
    {
        assertEquals("", Context.load(null, props("corral.sip.extra.addresses", "")).conclude().config()
            .string(SipConfiguration.SIP_EXTRA_ADDRESSES));
        assertEquals("10.0.0.2, ::1", Context.load(null, props("corral.sip.extra.addresses", "10.0.0.2, ::1"))
            .conclude().config().string(SipConfiguration.SIP_EXTRA_ADDRESSES));
        assertEquals("invalid configuration: corral.sip.extra.addresses=10.0.0.2,,::1 (from system property): " +
            "expected comma-separated IPv4/IPv6 address literals (empty: none)",
            message(() -> Context.load(null, props("corral.sip.extra.addresses", "10.0.0.2,,::1")).conclude()));
        assertEquals("invalid configuration: corral.sip.extra.addresses=sip.example.com (from system property): " +
            "expected comma-separated IPv4/IPv6 address literals (empty: none)",
            message(() -> Context.load(null, props("corral.sip.extra.addresses", "sip.example.com")).conclude()));
    }
}
