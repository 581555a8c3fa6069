package io.corral.engine.registrar;

import io.corral.engine.sipp.Sipp;
import io.corral.engine.status.MemberErrorLog;
import io.corral.engine.status.MemberProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member in its own JVM registers alice and is killed with SIGKILL; the member restarted on the same data dir
 * still has her binding in its Chronicle Map and a call to her reaches her contact.
 */
@Timeout(120)
class RegistrationCrashSystemTest
{
    private final List<Process> members = new ArrayList<>();
    private final List<RawSipPhone> phones = new ArrayList<>();

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    @AfterEach
    void stop() throws IOException
    {
        for (final RawSipPhone phone : phones)
        {
            phone.close();
        }
        members.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldKeepRegistrationWhenRestartedAfterKill() throws Exception
    {
        final int port = Sipp.freePort();
        final Process first = startMember(port);
        final RawSipPhone alice = phone(port);
        final String contact = "<sip:alice@127.0.0.1:" + alice.port() + ">";
        final String ok = alice.exchange(alice.register("alice", contact, RawSipPhone.newCallId(), 1, ""));
        assertEquals(200, RawSipPhone.status(ok), ok);

        first.destroyForcibly();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");

        final Process second = startMember(port);
        final RawSipPhone caller = phone(port);
        final String invite = caller.invite("alice", RawSipPhone.newCallId());
        caller.send(invite);
        final String received = alice.receiveStarting("INVITE ");
        assertTrue(received.startsWith("INVITE sip:alice@127.0.0.1:" + alice.port() + " SIP/2.0\r\n"), received);
        alice.send(RawSipPhone.responseTo(received, 486, "Busy Here"));
        final String response = caller.receiveFinal();
        assertEquals(486, RawSipPhone.status(response), response);
        caller.send(RawSipPhone.ackFor(invite, response));
        alice.receiveStarting("ACK ");

        final String query = alice.exchange(alice.register("alice", null, RawSipPhone.newCallId(), 1, ""));
        assertTrue(query.contains("Contact: " + contact + ";expires="), query);

        second.destroy();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), "a clean stop");
        MemberErrorLog.assertEmpty(dataDir);
    }

    private RawSipPhone phone(final int port) throws IOException
    {
        final RawSipPhone phone = RawSipPhone.udp(port);
        phones.add(phone);
        return phone;
    }

    private Process startMember(final int port) throws IOException
    {
        final Process process =
            MemberProcess.start(dataDir, port, workDir.resolve("member-" + members.size() + ".out"));
        members.add(process);
        return process;
    }
}
