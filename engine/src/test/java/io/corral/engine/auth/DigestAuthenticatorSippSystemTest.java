package io.corral.engine.auth;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.transport.RemoteAddressTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real user agent against the authenticator: SIPp registers through a minimal UDP registrar that answers with
 * {@link DigestAuthenticator} and {@link SipResponseBuilder} exactly as a SIP agent does. Runs where sipp is installed.
 * SIPp 3.6 answers only MD5 and reads the first algorithm of the challenges, so MD5 alone is offered here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DigestAuthenticatorSippSystemTest
{
    private static final Path SIPP = Paths.get("/usr/bin/sipp");
    private static final String REALM = "corral.test";

    @TempDir
    Path tmp;

    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger challenged = new AtomicInteger();
    private DatagramChannel channel;
    private Thread registrar;
    private volatile boolean running = true;

    @BeforeEach
    void startRegistrar() throws IOException
    {
        assumeTrue(Files.isExecutable(SIPP), "sipp is not installed");
        final UsersFile users = new UsersFile(tmp.resolve("users"));
        users.put(UsersFile.entry("alice", REALM, DigestAlgorithm.MD5, "wonderland".toCharArray()));
        final NonceManager nonces = new NonceManager(
            MemberSecret.loadOrCreate(tmp.resolve("member.secret")), REALM.getBytes(StandardCharsets.US_ASCII),
            1, 0, 300_000, 1024, 0);
        final DigestAuthenticator authenticator = new DigestAuthenticator(
            REALM, new int[]{DigestAlgorithm.MD5}, users, nonces, new FailureLimiter(10, 60_000, 1024), 1);
        channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        registrar = new Thread(() -> serve(authenticator), "registrar");
        registrar.start();
    }

    @AfterEach
    void stopRegistrar() throws Exception
    {
        running = false;
        if (registrar != null)
        {
            // Closing the channel ends the registrar's blocking receive.
            channel.close();
            registrar.join(5000);
        }
    }

    @Test
    void shouldRegisterWhenSippAnswersTheChallengeWithTheRightPassword() throws Exception
    {
        final Result result = sipp("alice", "wonderland");

        assertEquals(0, result.exitCode, result.output);
        assertEquals(1, accepted.get());
        assertEquals(1, challenged.get());
    }

    @Test
    void shouldChallengeAgainWhenSippGivesAWrongPassword() throws Exception
    {
        final Result result = sipp("alice", "guess");

        assertNotEquals(0, result.exitCode, result.output);
        assertEquals(0, accepted.get());
        // Without a transaction layer here, a retransmission of the refused REGISTER is challenged again.
        assertTrue(challenged.get() >= 2, "challenges: " + challenged.get());
    }

    private void serve(final DigestAuthenticator authenticator)
    {
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final SipResponseBuilder builder = new SipResponseBuilder();
        final ByteBuffer in = ByteBuffer.allocate(65_536);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
        try
        {
            while (running)
            {
                in.clear();
                final InetSocketAddress source = (InetSocketAddress)channel.receive(in);
                if (decoder.wrap(new UnsafeBuffer(in.array(), 0, in.position()), 0, in.position()) !=
                    SipMessageDecoder.OK || !decoder.isRequest())
                {
                    continue;
                }
                final long remoteId = RemoteAddressTable.ipv4Id(
                    ((Inet4Address)source.getAddress()).hashCode(), source.getPort());
                final long nowMs = System.currentTimeMillis();
                final int outcome = authenticator.check(decoder, HeaderName.AUTHORIZATION, remoteId, nowMs);
                final int status;
                if (outcome == DigestAuthenticator.OK)
                {
                    accepted.incrementAndGet();
                    status = SipStatus.OK;
                }
                else
                {
                    challenged.incrementAndGet();
                    status = authenticator.addChallenge(builder, HeaderName.AUTHORIZATION,
                        outcome == DigestAuthenticator.STALE, nowMs);
                }
                final int length = builder.buildResponse(decoder, status, null, null, 0, -1, out, 0);
                channel.send(ByteBuffer.wrap(out.byteArray(), 0, length), source);
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    private Result sipp(final String user, final String password) throws Exception
    {
        final Path scenario = tmp.resolve("register.xml");
        try (InputStream xml = getClass().getResourceAsStream("/auth/sipp-register-auth.xml"))
        {
            Files.write(scenario, xml.readAllBytes());
        }
        final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
        final Process process = new ProcessBuilder(SIPP.toString(), "127.0.0.1:" + local.getPort(),
            "-sf", scenario.toString(), "-m", "1", "-i", "127.0.0.1", "-s", user, "-au", user, "-ap", password,
            "-timeout", "20s", "-timeout_error", "-nostdin", "-recv_timeout", "5000")
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .start();
        assertTrue(process.waitFor(40, TimeUnit.SECONDS), "sipp did not finish");
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output)
    {
    }
}
