package io.corral.engine.registrar;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.auth.DigestAlgorithm;
import io.corral.engine.auth.UsersFile;
import io.corral.engine.sipp.Sipp;
import io.corral.engine.sipp.SippProcess;
import io.corral.engine.sipp.SippResult;
import io.corral.engine.status.MemberCounters;
import io.corral.engine.status.MemberErrorLog;
import io.corral.engine.status.StatusFileReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The registrar of a real member on 127.0.0.1 (shared thread, backoff idle), driven by SIPp and by raw sockets:
 * registration with and without digest authentication (MD5 through SIPp, SHA-256 by a client that computes RFC 8760
 * itself), calls reaching the registered contact, 480 and 404, a wrong password, CSeq ordering, {@code Contact: *},
 * expiry on time, and NAT keep-alives over UDP and TCP. Every test ends with the member's error log empty.
 */
@Timeout(90)
class RegistrarSystemTest
{
    private static final String REALM = "corral.test";
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private final List<SippProcess> sipps = new ArrayList<>();
    private final List<RawSipPhone> phones = new ArrayList<>();
    private Member member;

    @AfterEach
    void stop() throws IOException
    {
        sipps.forEach(SippProcess::destroy);
        for (final RawSipPhone phone : phones)
        {
            phone.close();
        }
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
    void shouldRegisterWithoutAuthenticationThenCallAliceAtHerContact()
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
        launch();
        final String proxy = "127.0.0.1:" + member.sipPort();
        final int calls = 5;
        final Sipp uas = Sipp.uas().calls(calls).workDir(workDir).timeout(RUN);
        final SippProcess alice = start(uas);
        final SippResult registered = Sipp.scenario("uac-register.xml").service("alice")
            .set("contact_port", Integer.toString(uas.localPort())).calls(1).remote(proxy).workDir(workDir)
            .timeout(RUN).run(RUN);
        assertEquals(0, registered.exitCode(), registered::toString);

        final SippResult caller = Sipp.uac().service("alice").remote(proxy).calls(calls).rate(10).workDir(workDir)
            .timeout(RUN).run(RUN);
        final SippResult served = alice.await(RUN);
        assertEquals(calls, caller.successfulCalls(), caller::toString);
        assertEquals(calls, served.count("INVITE sip:alice@127.0.0.1:" + uas.localPort() + " "), served::toString);

        expect(Sipp.single("sip:bob@" + proxy, 480), proxy);
        expect(Sipp.single("sip:carol@" + proxy, 404), proxy);
    }

    @Test
    void shouldRegisterWithMd5DigestThroughSippThenCallAlice()
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
        // SIPp 3.6 answers only MD5, and only the first challenge: offer MD5 alone.
        launch("corral.auth.required", "true", "corral.auth.algorithms", "MD5");
        final String proxy = "127.0.0.1:" + member.sipPort();
        final Sipp uas = Sipp.uas().calls(1).workDir(workDir).timeout(RUN);
        final SippProcess alice = start(uas);
        final SippResult registered = Sipp.scenario("uac-register-auth.xml").service("alice")
            .set("contact_port", Integer.toString(uas.localPort())).arg("-au", "alice", "-ap", "wonderland")
            .calls(1).remote(proxy).workDir(workDir).timeout(RUN).run(RUN);
        assertEquals(0, registered.exitCode(), registered::toString);
        assertEquals(2, sum("REGISTER requests in"), "one challenged, one with credentials");

        final SippResult caller = Sipp.uac().service("alice").remote(proxy).calls(1).workDir(workDir)
            .timeout(RUN).run(RUN);
        final SippResult served = alice.await(RUN);
        assertEquals(1, caller.successfulCalls(), caller::toString);
        assertEquals(1, served.count("INVITE sip:alice@127.0.0.1:" + uas.localPort() + " "), served::toString);
    }

    @Test
    void shouldRegisterWithSha256DigestThenCallAliceAtHerContact() throws IOException
    {
        launch("corral.auth.required", "true");
        final RawSipPhone alice = phone();
        final String callId = RawSipPhone.newCallId();
        final String contact = "<sip:alice@127.0.0.1:" + alice.port() + ">";
        final String challenge = alice.exchange(alice.register("alice", contact, callId, 1, "Expires: 600\r\n"));
        assertEquals(401, RawSipPhone.status(challenge), challenge);
        assertTrue(challenge.contains("algorithm=SHA-256"), challenge);

        final String ok = alice.exchange(alice.register("alice", contact, callId, 2, "Expires: 600\r\n" +
            RawSipPhone.authorization(challenge, "SHA-256", "REGISTER", alice.memberUri(), "alice", "wonderland")));
        assertEquals(200, RawSipPhone.status(ok), ok);
        assertTrue(ok.contains("Contact: " + contact + ";expires=600"), ok);

        assertCallReaches(alice, "alice");
        assertEquals(480, call("bob"));
        assertEquals(404, call("carol"));
    }

    @Test
    void shouldChallengeAgainAndStoreNothingWhenThePasswordIsWrong() throws IOException
    {
        launch("corral.auth.required", "true");
        final RawSipPhone alice = phone();
        final String callId = RawSipPhone.newCallId();
        final String contact = "<sip:alice@127.0.0.1:" + alice.port() + ">";
        final String challenge = alice.exchange(alice.register("alice", contact, callId, 1, ""));
        final String again = alice.exchange(alice.register("alice", contact, callId, 2,
            RawSipPhone.authorization(challenge, "SHA-256", "REGISTER", alice.memberUri(), "alice", "guess")));

        assertEquals(401, RawSipPhone.status(again), again);
        assertTrue(again.contains("WWW-Authenticate: Digest "), again);
        assertEquals(480, call("alice"), "nothing was stored");
    }

    @Test
    void shouldRejectReRegisterWithLowerCSeqOnTheSameCallId() throws IOException
    {
        launch();
        final RawSipPhone alice = phone();
        final String callId = RawSipPhone.newCallId();
        final String contact = "<sip:alice@127.0.0.1:" + alice.port() + ">";
        assertEquals(200, RawSipPhone.status(alice.exchange(alice.register("alice", contact, callId, 5, ""))));

        final String lower = alice.exchange(alice.register("alice", contact, callId, 3, "Expires: 60\r\n"));
        assertEquals("SIP/2.0 400 Out of order CSeq", lower.substring(0, lower.indexOf("\r\n")));
        final String current = alice.exchange(alice.register("alice", null, callId, 6, ""));
        assertTrue(current.contains("Contact: " + contact + ";expires=3600") ||
            current.contains("Contact: " + contact + ";expires=3599"), "the refused REGISTER changed nothing: " +
            current);
    }

    @Test
    void shouldRemoveEveryBindingWhenContactIsStarWithExpiresZero() throws IOException
    {
        launch();
        final RawSipPhone alice = phone();
        final String callId = RawSipPhone.newCallId();
        alice.exchange(alice.register("alice", "<sip:alice@127.0.0.1:" + alice.port() + ">", callId, 1, ""));
        final String two = alice.exchange(alice.register("alice", "<sip:alice@127.0.0.1:" + (alice.port() + 1) +
            ">", RawSipPhone.newCallId(), 1, ""));
        assertEquals(2, two.split("\r\nContact: ").length - 1, two);

        final String removed = alice.exchange(alice.register("alice", "*", callId, 2, "Expires: 0\r\n"));
        assertEquals(200, RawSipPhone.status(removed), removed);
        assertNull(RawSipPhone.header(removed, "Contact"), removed);
        assertEquals(480, call("alice"));
    }

    @Test
    void shouldForgetBindingWhenItExpires() throws IOException
    {
        launch("corral.registrar.min.expires", "1", "corral.state.dialog.sweep.interval.ms", "100");
        final RawSipPhone alice = phone();
        final long registeredMs = System.currentTimeMillis();
        final String ok = alice.exchange(alice.register("alice", "<sip:alice@127.0.0.1:" + alice.port() + ">",
            RawSipPhone.newCallId(), 1, "Expires: 2\r\n"));
        assertTrue(ok.contains(";expires=2"), ok);

        assertEquals(486, callAnswered(alice, "alice"), "reaches the contact, which answers 486");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (callAnswered(alice, "alice") != 480 && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        final long goneAfterMs = System.currentTimeMillis() - registeredMs;
        assertTrue(goneAfterMs >= 1990 && goneAfterMs < 4000, "gone after " + goneAfterMs + " ms");
    }

    @Test
    void shouldPingNatedUdpContactAndRemoveItWhenItStopsAnswering() throws IOException
    {
        launch("corral.nat.keepalive.interval.ms", "400", "corral.nat.keepalive.timeout.ms", "200",
            "corral.nat.keepalive.max.failures", "2");
        final RawSipPhone natted = phone();
        // A private Contact address: the member reaches this UA through the address the REGISTER came from.
        final String ok = natted.exchange(natted.register("alice", "<sip:alice@10.0.0.99:5060>",
            RawSipPhone.newCallId(), 1, ""));
        assertEquals(200, RawSipPhone.status(ok), ok);

        for (int i = 0; i < 3; i++)
        {
            final String ping = natted.receiveStarting("OPTIONS ");
            assertTrue(ping.startsWith("OPTIONS sip:alice@10.0.0.99:5060 SIP/2.0\r\n"), ping);
            natted.send(RawSipPhone.responseTo(ping, 200, "OK"));
        }
        awaitSum("NAT keep-alive pings answered", 3);
        assertEquals(0, sum("NAT keep-alive pings missed"));
        assertEquals(0, sum("drops: response matching no transaction"), "answers are consumed, not forwarded");

        final long silentMs = System.currentTimeMillis();
        awaitSum("NAT keep-alive contacts removed", 1);
        assertTrue(System.currentTimeMillis() - silentMs < 2000, "removed after two missed pings");
        assertEquals(2, sum("NAT keep-alive pings missed"));
        assertEquals(480, call("alice"));
    }

    @Test
    void shouldConsumeEveryKeepAliveAnswerWhenSeveralSipAgentsShareThePort() throws IOException
    {
        launch("corral.sip.agents", "3", "corral.nat.keepalive.interval.ms", "300",
            "corral.nat.keepalive.timeout.ms", "200");
        final List<RawSipPhone> natted = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final RawSipPhone phone = phone();
            final String ok = phone.exchange(phone.register("user" + i, "<sip:user" + i + "@10.0.0.99:5060>",
                RawSipPhone.newCallId(), 1, ""));
            assertEquals(200, RawSipPhone.status(ok), ok);
            natted.add(phone);
        }
        for (int round = 0; round < 2; round++)
        {
            for (final RawSipPhone phone : natted)
            {
                phone.send(RawSipPhone.responseTo(phone.receiveStarting("OPTIONS "), 200, "OK"));
            }
        }
        // Each answer reaches the agent that sent its ping, whichever agent's socket the kernel gave it to.
        awaitSum("NAT keep-alive pings answered", 8);
        assertEquals(0, sum("NAT keep-alive pings missed"));
        assertEquals(0, sum("drops: response matching no transaction"));
    }

    @Test
    void shouldAcceptAUserAddedToTheUsersFileWithoutRestart() throws IOException
    {
        launch("corral.auth.required", "true", "corral.auth.users.check.interval.ms", "100");
        final UsersFile tool = new UsersFile(dataDir.resolve("users")).load();
        tool.put(UsersFile.entry("dave", REALM, DigestAlgorithm.SHA_256, "secret".toCharArray()));
        tool.save();
        awaitSum("Users file reloads", 1);

        final RawSipPhone dave = phone();
        final String callId = RawSipPhone.newCallId();
        final String contact = "<sip:dave@127.0.0.1:" + dave.port() + ">";
        final String challenge = dave.exchange(dave.register("dave", contact, callId, 1, ""));
        final String ok = dave.exchange(dave.register("dave", contact, callId, 2,
            RawSipPhone.authorization(challenge, "SHA-256", "REGISTER", dave.memberUri(), "dave", "secret")));
        assertEquals(200, RawSipPhone.status(ok), ok);
        assertEquals(0, sum("Users file reload errors (old users kept)"));
    }

    @Test
    void shouldKeepTheUsersAndLogTheLineWhenTheUsersFileGoesBad() throws IOException
    {
        launch("corral.auth.required", "true", "corral.auth.users.check.interval.ms", "100");
        final Path file = dataDir.resolve("users");
        final String good = Files.readString(file);
        final long badLine = good.lines().count() + 1;
        final Path edited = dataDir.resolve("users.edited");
        Files.writeString(edited, good + "mallory:" + REALM + ":SHA-256:not-hex\n");
        Files.move(edited, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        awaitSum("Users file reload errors (old users kept)", 1);

        final RawSipPhone alice = phone();
        final String callId = RawSipPhone.newCallId();
        final String contact = "<sip:alice@127.0.0.1:" + alice.port() + ">";
        final String challenge = alice.exchange(alice.register("alice", contact, callId, 1, ""));
        final String ok = alice.exchange(alice.register("alice", contact, callId, 2,
            RawSipPhone.authorization(challenge, "SHA-256", "REGISTER", alice.memberUri(), "alice", "wonderland")));
        assertEquals(200, RawSipPhone.status(ok), "the previous users stay in force: " + ok);
        assertEquals(0, sum("Users file reloads"));
        try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertTrue(reader.errorsText().contains("users file " + file + " line " + badLine + ": "),
                reader.errorsText());
        }
        // The error log holds the one error this test caused: close here rather than check it is empty.
        member.close();
        member = null;
    }

    @Test
    void shouldSendCrlfCrlfToContactRegisteredOverTcp() throws IOException
    {
        launch("corral.nat.keepalive.interval.ms", "300");
        final RawSipPhone tcp = RawSipPhone.tcp(member.sipPort());
        phones.add(tcp);
        tcp.send(tcp.register("alice", "<sip:alice@10.0.0.99:5060;transport=tcp>", RawSipPhone.newCallId(), 1, ""));
        final String ok = tcp.receiveFinal();
        assertEquals(200, RawSipPhone.status(ok), ok);

        final long deadlineMs = System.currentTimeMillis() + 3000;
        String read = "";
        while (!read.contains("\r\n\r\n") && System.currentTimeMillis() < deadlineMs)
        {
            read += tcp.readTcp(500);
        }
        assertEquals("\r\n\r\n", read.substring(0, Math.min(4, read.length())), "CRLF CRLF on the connection");
        assertFalse(read.contains("OPTIONS"), read);
        awaitSum("NAT keep-alive pings sent", 2);
        assertEquals(0, sum("NAT keep-alive contacts removed"));
    }

    private void launch(final String... keyValues)
    {
        final UsersFile users = new UsersFile(dataDir.resolve("users"));
        for (final String user : List.of("alice", "bob"))
        {
            for (final int algorithm : new int[]{DigestAlgorithm.SHA_256, DigestAlgorithm.MD5})
            {
                users.put(UsersFile.entry(user, REALM, algorithm, "wonderland".toCharArray()));
            }
        }
        users.save();
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        properties.setProperty("corral.auth.realm", REALM);
        for (int i = 0; i < keyValues.length; i += 2)
        {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        member = Member.launch(Context.load(null, properties));
    }

    private RawSipPhone phone() throws IOException
    {
        final RawSipPhone phone = RawSipPhone.udp(member.sipPort());
        phones.add(phone);
        return phone;
    }

    private SippProcess start(final Sipp sipp)
    {
        final SippProcess process = sipp.start();
        sipps.add(process);
        return process.awaitBound(Duration.ofSeconds(5));
    }

    private void expect(final Sipp single, final String proxy)
    {
        final SippResult result = single.remote(proxy).workDir(workDir).timeout(RUN).run(RUN);
        assertEquals(0, result.exitCode(), result::toString);
    }

    /**
     * Call a user from a fresh phone: the final status, the call acknowledged.
     */
    private int call(final String user) throws IOException
    {
        final RawSipPhone caller = phone();
        final String invite = caller.invite(user, RawSipPhone.newCallId());
        caller.send(invite);
        final String response = caller.receiveFinal();
        caller.send(RawSipPhone.ackFor(invite, response));
        return RawSipPhone.status(response);
    }

    /**
     * Call a user whose contact phone answers 486 if the call reaches it.
     *
     * @return the caller's final status: 486 if the call reached the contact.
     */
    private int callAnswered(final RawSipPhone contact, final String user) throws IOException
    {
        final RawSipPhone caller = phone();
        final String invite = caller.invite(user, RawSipPhone.newCallId());
        caller.send(invite);
        final String received = contact.receive(300);
        if (received != null && received.startsWith("INVITE "))
        {
            contact.send(RawSipPhone.responseTo(received, 486, "Busy Here"));
        }
        final String response = caller.receiveFinal();
        caller.send(RawSipPhone.ackFor(invite, response));
        if (received != null && received.startsWith("INVITE "))
        {
            contact.receiveStarting("ACK ");
        }
        return RawSipPhone.status(response);
    }

    /**
     * A call to the user reaches the contact phone, which answers 486; the caller gets the 486.
     */
    private void assertCallReaches(final RawSipPhone contact, final String user) throws IOException
    {
        final RawSipPhone caller = phone();
        final String invite = caller.invite(user, RawSipPhone.newCallId());
        caller.send(invite);
        final String received = contact.receiveStarting("INVITE ");
        assertTrue(received.startsWith("INVITE sip:" + user + "@127.0.0.1:" + contact.port() + " SIP/2.0\r\n"),
            received);
        contact.send(RawSipPhone.responseTo(received, 486, "Busy Here"));
        final String response = caller.receiveFinal();
        assertEquals(486, RawSipPhone.status(response), response);
        caller.send(RawSipPhone.ackFor(invite, response));
        contact.receiveStarting("ACK ");
    }

    private long sum(final String labelSuffix)
    {
        return MemberCounters.sum(member, labelSuffix);
    }

    private void awaitSum(final String labelSuffix, final long atLeast)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sum(labelSuffix) < atLeast && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertTrue(sum(labelSuffix) >= atLeast, labelSuffix + ": " + sum(labelSuffix) + ", expected " + atLeast);
    }
}
