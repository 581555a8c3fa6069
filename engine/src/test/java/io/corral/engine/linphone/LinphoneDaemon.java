package io.corral.engine.linphone;

import io.corral.engine.sipp.Sipp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One headless {@code linphone-daemon} (Debian {@code linphone-cli}, liblinphone 5.1) in system tests, driven through
 * its standard input (one command a line: {@code call SIP-URI}, {@code terminate}, {@code quit}) and read from its
 * standard output (command statuses and events such as {@code Event: LinphoneCallStreamsRunning}). It gets a
 * linphonerc of its own with SIP over UDP on 127.0.0.1 and a free port (TCP and TLS off), auto-answer, no video, and
 * a HOME of its own, where liblinphone keeps its database (without one the core never starts). Without a sound card
 * liblinphone negotiates media and receives RTP but sends none (its {@code use_files} mode is API only, not a
 * linphonerc key). {@link #destroy()} is idempotent and must run in a {@code finally} or {@code @AfterEach}.
 */
public final class LinphoneDaemon
{
    /** The daemon binary: {@code corral.linphone} system property, else {@code /usr/bin/linphone-daemon}. */
    public static final String BINARY = System.getProperty("corral.linphone", "/usr/bin/linphone-daemon");

    private static final long TERM_GRACE_MS = 3_000;
    // Below the kernel's ephemeral range (32768+), where the member's and sipp's free ports come from.
    private static final String RTP_PORTS = "10000-30000";

    private final String user;
    private final Process process;
    private final int sipPort;
    private final Path log;
    private final StringBuilder output = new StringBuilder();
    private int consumed;

    private LinphoneDaemon(final String user, final Process process, final int sipPort, final Path log)
    {
        this.user = user;
        this.process = process;
        this.sipPort = sipPort;
        this.log = log;
        final Thread reader = new Thread(this::readOutput, "linphone-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Whether linphone-daemon can be run here.
     *
     * @return true when {@link #BINARY} is an executable file.
     */
    public static boolean isInstalled()
    {
        return Files.isExecutable(Path.of(BINARY));
    }

    /**
     * Writes the instance's files under {@code workDir/USER} and starts the daemon, registering
     * {@code sip:USER@REGISTRAR} every 60 s.
     *
     * @param user      the user part of the address-of-record.
     * @param registrar host:port of the registrar, also the AOR's domain.
     * @param workDir   parent of the instance's directory.
     * @return the running daemon.
     */
    public static LinphoneDaemon start(final String user, final String registrar, final Path workDir)
    {
        final int sipPort = Sipp.freeUdpPort();
        final Path dir = workDir.resolve(user);
        final Path home = dir.resolve("home");
        try
        {
            Files.createDirectories(home.resolve(".local/share/linphone"));
            final Path config = dir.resolve("linphonerc");
            Files.writeString(config, config(user, registrar, sipPort), StandardCharsets.US_ASCII);
            final Path log = dir.resolve("linphone.log");
            final ProcessBuilder builder = new ProcessBuilder(List.of(BINARY, "--config", config.toString(),
                "--log", log.toString(), "--auto-answer", "--disable-stats-events"))
                .redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            return new LinphoneDaemon(user, builder.start(), sipPort, log);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The SIP port it listens on (UDP, 127.0.0.1).
     *
     * @return the port.
     */
    public int sipPort()
    {
        return sipPort;
    }

    /**
     * Sends one command line.
     *
     * @param line e.g. {@code call sip:bob@127.0.0.1:5060}.
     */
    public void command(final String line)
    {
        try
        {
            final OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("linphone " + user + ": " + line, ex);
        }
    }

    /**
     * Waits for a line of output not consumed by an earlier call, and consumes the output up to it.
     *
     * @param line  the whole line, e.g. {@code Event: LinphoneCallStreamsRunning}.
     * @param limit longest wait.
     */
    public void awaitLine(final String line, final Duration limit)
    {
        final long deadlineNs = System.nanoTime() + limit.toNanos();
        synchronized (output)
        {
            while (true)
            {
                final int at = output.indexOf(line + "\n", consumed);
                if (at >= 0)
                {
                    consumed = at + line.length();
                    return;
                }
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                if (leftMs <= 0)
                {
                    throw new AssertionError("linphone " + user + ": no '" + line + "' within " + limit +
                        "; output:\n" + output + "\nlog:\n" + log());
                }
                try
                {
                    output.wait(leftMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    /**
     * Sends {@code quit} (liblinphone unregisters on the way out) and waits for the exit.
     *
     * @param limit longest wait.
     * @return true if it exited in time.
     */
    public boolean quit(final Duration limit)
    {
        command("quit");
        try
        {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * liblinphone's log, with every SIP message sent and received.
     *
     * @return the log text.
     */
    public String log()
    {
        try
        {
            return new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    /**
     * Stops the daemon: SIGTERM, then SIGKILL after 3 s; returns once it has exited. Safe to call more than once.
     */
    public void destroy()
    {
        if (!process.isAlive())
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput()
    {
        final byte[] chunk = new byte[4096];
        try (InputStream in = process.getInputStream())
        {
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                synchronized (output)
                {
                    output.append(new String(chunk, 0, read, StandardCharsets.ISO_8859_1));
                    output.notifyAll();
                }
            }
        }
        catch (final IOException ignored)
        {
            // the daemon exited
        }
    }

    private static String config(final String user, final String registrar, final int sipPort)
    {
        return String.join("\n",
            "[sip]",
            "sip_port=" + sipPort,
            "sip_tcp_port=0",
            "sip_tls_port=0",
            "bind_address=127.0.0.1",
            "default_proxy=0",
            "",
            "[rtp]",
            "audio_rtp_port=" + RTP_PORTS,
            "",
            "[sound]",
            "echocancellation=0",
            "",
            "[video]",
            "enabled=0",
            "capture=0",
            "display=0",
            "",
            "[proxy_0]",
            "reg_proxy=<sip:" + registrar + ">",
            "reg_identity=sip:" + user + "@" + registrar,
            "reg_expires=60",
            "reg_sendregister=1",
            "publish=0",
            "");
    }
}
