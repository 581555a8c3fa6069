package io.corral.perf.target;

import io.corral.perf.PerfLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive buffer the lab asks for reaches both targets' command lines or configuration, so a comparison gives
 * them the same one.
 */
class TargetCommandTest
{
    @TempDir
    Path work;

    @Test
    void shouldGiveKamailioTheReceiveBufferAskedFor() throws Exception
    {
        final Path root = PerfLab.root();
        final List<String> byDefault = new KamailioTarget(root).command(Target.Role.PROXY, false, 0, 5070, work);
        assertEquals("4194304", byDefault.get(byDefault.indexOf("-b") + 1), byDefault.toString());

        final KamailioTarget kamailio = new KamailioTarget(root).socketBufferBytes(16 << 20);
        final List<String> command = kamailio.command(Target.Role.PROXY, false, 0, 5070, work);
        assertEquals("16777216", command.get(command.indexOf("-b") + 1), command.toString());
        assertTrue(kamailio.description().contains("-b 16777216"), kamailio.description());
    }

    @Test
    void shouldWriteTheReceiveBufferIntoCorralsPropertiesBeforeTheExtraProfile() throws Exception
    {
        final Path profile = work.resolve("extra.properties");
        Files.writeString(profile, "corral.sip.socket.rcvbuf.bytes=2097152\n");
        final CorralTarget corral = new CorralTarget(PerfLab.root()).socketBufferBytes(16 << 20);
        corral.command(Target.Role.PROXY, false, 0, 5070, work);

        final List<String> lines = Files.readAllLines(work.resolve("corral.properties"));
        final int asked = lines.indexOf("corral.sip.socket.rcvbuf.bytes=16777216");
        assertTrue(asked >= 0, lines.toString());
        assertTrue(corral.description().contains("rcvbuf 16777216"), corral.description());

        corral.extraProfile(profile).command(Target.Role.PROXY, false, 0, 5070, work);
        final List<String> withProfile = Files.readAllLines(work.resolve("corral.properties"));
        assertTrue(withProfile.indexOf("corral.sip.socket.rcvbuf.bytes=2097152") >
            withProfile.indexOf("corral.sip.socket.rcvbuf.bytes=16777216"), "the profile, read last, wins: " +
            withProfile);
    }
}
