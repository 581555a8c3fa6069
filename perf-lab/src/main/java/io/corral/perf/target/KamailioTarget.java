package io.corral.perf.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kamailio run as its operators tune it (shared/PEERS.md): tlsf allocators (Debian's default debug allocator costs
 * ~3× the CPU), 4 GB shared memory for lingering transactions, {@code -DD} to stay in the foreground with
 * {@code -n} workers, 4 MB socket buffers. Configurations in {@code perf-lab/kamailio/}: a proxy is stateful with
 * record-route and dialog tracking (2 workers, best on 2 cores) or, with {@code --kamailio-proxy stateless}, a
 * stateless forwarder (4 workers); a registrar keeps bindings in memory.
 */
public final class KamailioTarget extends ProcessTarget
{
    private boolean stateless;
    private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
    private String description = "kamailio";

    KamailioTarget(final Path root)
    {
        super(root);
    }

    /**
     * @param stateless a proxy forwards statelessly instead of the stateful + dialog configuration.
     * @return this.
     */
    public KamailioTarget stateless(final boolean stateless)
    {
        this.stateless = stateless;
        return this;
    }

    /**
     * @param bytes the UDP receive buffer {@code -b} asks for, as Corral's in the same run.
     * @return this.
     */
    public KamailioTarget socketBufferBytes(final int bytes)
    {
        this.socketBufferBytes = bytes;
        return this;
    }

    @Override
    public String name()
    {
        return "kamailio";
    }

    @Override
    List<String> command(final Role role, final boolean auth, final long users, final int port, final Path workDir)
        throws IOException
    {
        final String config = role == Role.REGISTRAR ? "registrar.cfg" :
            stateless ? "stateless.cfg" : "stateful-dialog.cfg";
        final String workers = role == Role.PROXY && stateless ? "4" : "2";
        final Path cfg = workDir.resolve("kamailio-" + config);
        Files.writeString(cfg, Files.readString(root.resolve("perf-lab/kamailio/" + config))
            .replace("LAB_PORT", Integer.toString(port)));
        final List<String> command = new ArrayList<>(List.of("kamailio", "-f", cfg.toString(), "-DD", "-E",
            "-n", workers, "-m", "4096", "-M", "16", "-x", "tlsf", "-X", "tlsf",
            "-b", Integer.toString(socketBufferBytes),
            "-P", workDir.resolve("kamailio.pid").toString()));
        if (auth)
        {
            command.add("-A");
            command.add("WITH_AUTH");
        }
        description = version() + " (" + config + ", -n " + workers + " -m 4096 -M 16 -x tlsf -X tlsf -b " +
            socketBufferBytes +
            (auth ? ", MD5 digest" : "") + ")";
        return command;
    }

    @Override
    public String description()
    {
        return description;
    }

    private static String version()
    {
        try
        {
            final Process kamailio = new ProcessBuilder("kamailio", "-v").redirectErrorStream(true).start();
            final String out = new String(kamailio.getInputStream().readAllBytes());
            kamailio.waitFor();
            final String first = out.lines().findFirst().orElse("kamailio");
            return first.startsWith("version: ") ? first.substring("version: ".length()) : first;
        }
        catch (final IOException ex)
        {
            return "kamailio (version unknown)";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "kamailio (version unknown)";
        }
    }
}
