package io.corral.engine.auth;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.sipp.Sipp;
import io.corral.engine.sipp.SippResult;
import io.corral.engine.status.MemberErrorLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An attacker's toolkit against a member that requires digest authentication: SIPVicious (Debian {@code sipvicious})
 * {@code svwar} enumerates extensions with REGISTER, INVITE and OPTIONS and {@code svcrack} guesses a password from a
 * dictionary. Neither learns anything from an untrusted source: every user gets the same challenge, and the failure
 * limit stops the guessing before the right password (in both {@code corral.auth.failure.action} modes), while a
 * legitimate user on another address still registers. A control run shows both tools work here: from a trusted
 * source svwar tells a known user (480) from an unknown one (404), and without a useful limit svcrack finds the
 * password. SIPVicious 0.3 ignores {@code -b} and sends from 127.0.0.1, so the attacker is 127.0.0.1 and the legitimate
 * user SIPp on 127.0.0.2. Runs where sipvicious and sipp are installed.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SipviciousSystemTest
{
    private static final Path SVWAR = Path.of("/usr/bin/svwar");
    private static final Path SVCRACK = Path.of("/usr/bin/svcrack");
    private static final String REALM = "corral.test";
    private static final String PASSWORD = "wonderland";
    private static final String USER_ADDRESS = "127.0.0.2";
    private static final int FAILURE_LIMIT = 4;
    private static final Duration RUN = Duration.ofSeconds(10);
    /** svcrack waits for challenges that never come once it is limited: it is stopped after this. */
    private static final Duration CRACK_RUN = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private Member member;

    @BeforeEach
    void requireTools()
    {
        assumeTrue(Files.isExecutable(SVWAR) && Files.isExecutable(SVCRACK), "sipvicious is not installed");
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
    }

    @AfterEach
    void stop()
    {
        if (member != null)
        {
            try
            {
                MemberErrorLog.assertEmpty(member);
            }
            finally
            {
                member.close();
            }
        }
    }

    @Test
    void shouldGiveSvwarNoExtensionWithAnyMethodFromAnUntrustedSource() throws Exception
    {
        launch("corral.proxy.trusted.networks", "", "corral.auth.failure.limit", Integer.toString(FAILURE_LIMIT));
        assertEquals(0, register(PASSWORD).exitCode(), "alice registers");

        for (final String method : List.of("REGISTER", "INVITE", "OPTIONS"))
        {
            final String output = svwar(method, "--force");
            assertTrue(output.contains("found nothing"), method + ": " + output);
            assertFalse(output.contains("| Extension"), method + ": " + output);
        }
        for (final String method : List.of("INVITE", "OPTIONS", "MESSAGE"))
        {
            // A made-up To tag does not get past the challenge: registered, known and unknown users look the same.
            assertEquals(Arrays.asList(407, 407, 407), Arrays.asList(inDialog(method, "alice"),
                inDialog(method, "bob"), inDialog(method, "carol")), method);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AuthConfiguration.ACTION_DROP, AuthConfiguration.ACTION_FORBIDDEN})
    void shouldStopSvcrackBeforeThePasswordWhileAnotherSourceStillRegisters(final String action) throws Exception
    {
        launch("corral.proxy.trusted.networks", "", "corral.auth.failure.limit", Integer.toString(FAILURE_LIMIT),
            "corral.auth.failure.window.ms", "60000", "corral.auth.failure.action", action);

        final String output = svcrack(2 * FAILURE_LIMIT);
        assertTrue(output.contains("trying guess1"), output);
        assertFalse(output.contains("trying " + PASSWORD), output);
        assertFalse(output.contains("The password for"), output);
        // Still limited: 403 or nothing, credentials unchecked.
        final Integer status = inDialog("OPTIONS", "alice");
        assertEquals(AuthConfiguration.ACTION_DROP.equals(action) ? null : 403, status);

        assertEquals(0, register(PASSWORD).exitCode(), "alice registers from " + USER_ADDRESS);
    }

    @Test
    void shouldLetBothToolsSucceedFromATrustedSourceWithoutAUsefulLimit() throws Exception
    {
        launch("corral.proxy.trusted.networks", "127.0.0.1/32", "corral.auth.failure.limit", "1000");

        final String enumerated = svwar("INVITE");
        assertTrue(enumerated.contains("| bob "), enumerated);
        assertFalse(enumerated.contains("| carol "), enumerated);

        final String cracked = svcrack(2 * FAILURE_LIMIT);
        assertTrue(cracked.contains("The password for alice is " + PASSWORD), cracked);
    }

    private void launch(final String... keyValues)
    {
        final UsersFile users = new UsersFile(dataDir.resolve("users"));
        for (final String user : List.of("alice", "bob"))
        {
            users.put(UsersFile.entry(user, REALM, DigestAlgorithm.MD5, PASSWORD.toCharArray()));
        }
        users.save();
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        properties.setProperty("corral.auth.required", "true");
        properties.setProperty("corral.auth.realm", REALM);
        // svcrack and SIPp answer MD5 only: offering it alone gives the attacker its best chance.
        properties.setProperty("corral.auth.algorithms", "MD5");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        member = Member.launch(Context.load(null, properties));
    }

    private SippResult register(final String password)
    {
        return Sipp.scenario("uac-register-auth.xml").localAddress(USER_ADDRESS).service("alice")
            .set("contact_port", Integer.toString(Sipp.freeUdpPort())).arg("-au", "alice", "-ap", password)
            .calls(1).remote("127.0.0.1:" + member.sipPort()).workDir(workDir).timeout(RUN).run(RUN);
    }

    /**
     * svwar over alice and bob (users), carol and 1000 (not), from a fresh port.
     */
    private String svwar(final String method, final String... options) throws Exception
    {
        final Path extensions = workDir.resolve("extensions.txt");
        Files.writeString(extensions, "alice\nbob\ncarol\n1000\n");
        final List<String> command = new ArrayList<>(List.of(SVWAR.toString(), "-m", method, "-d",
            extensions.toString()));
        command.addAll(List.of(options));
        return run(command, RUN);
    }

    /**
     * svcrack on alice with a dictionary whose right password comes at {@code position} (1-based), from a fresh port.
     */
    private String svcrack(final int position) throws Exception
    {
        final StringBuilder words = new StringBuilder();
        for (int i = 1; i < position; i++)
        {
            words.append("guess").append(i).append('\n');
        }
        words.append(PASSWORD).append("\nguess").append(position + 1).append('\n');
        final Path dictionary = workDir.resolve("passwords.txt");
        Files.writeString(dictionary, words);
        return run(new ArrayList<>(List.of(SVCRACK.toString(), "-vv", "-u", "alice", "-d", dictionary.toString(),
            "--maximumtime", "2")), CRACK_RUN);
    }

    private String run(final List<String> command, final Duration limit) throws Exception
    {
        command.addAll(List.of("-p", Integer.toString(member.sipPort()), "-P", Integer.toString(Sipp.freeUdpPort()),
            "-x", "127.0.0.1", "127.0.0.1"));
        final Path log = Files.createTempFile(workDir, "sipvicious", ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("PYTHONUNBUFFERED", "1");
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroy();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        }
        finally
        {
            process.destroyForcibly();
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * A request with a made-up To tag to a user, from 127.0.0.1.
     *
     * @return its final status, or null if none came.
     */
    private Integer inDialog(final String method, final String user) throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            socket.setSoTimeout(1000);
            final String uri = "sip:" + user + "@127.0.0.1";
            final String request = method + " " + uri + " SIP/2.0\r\n" +
                "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-" + System.nanoTime() +
                ";rport\r\n" +
                "Max-Forwards: 70\r\n" +
                "From: <sip:mallory@127.0.0.1>;tag=m1\r\n" +
                "To: <" + uri + ">;tag=made-up\r\n" +
                "Call-ID: probe-" + System.nanoTime() + "@127.0.0.1\r\n" +
                "CSeq: 1 " + method + "\r\n" +
                "Contact: <sip:mallory@127.0.0.1:" + socket.getLocalPort() + ">\r\n" +
                "Content-Length: 0\r\n\r\n";
            final byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", member.sipPort())));
            final byte[] buffer = new byte[65_536];
            while (true)
            {
                final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    return null;
                }
                final int status = Integer.parseInt(new String(buffer, 8, 3, StandardCharsets.US_ASCII));
                if (status >= 200)
                {
                    return status;
                }
            }
        }
    }
}
