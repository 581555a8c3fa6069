package io.corral.engine.baresip;

import io.corral.engine.sipp.Sipp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builder for one headless baresip 1.0 (Debian {@code baresip-core}) in system tests: a config directory of its own
 * ({@code -f DIR}) with SIP on 127.0.0.1 and a free port, a 440 Hz sine as microphone and no audio player (so no
 * sound device is needed), G.711 µ-law only, auto-answer (unless {@link #answerManually()}), and the
 * {@code ctrl_tcp} module on another free port so {@link BaresipProcess} can send menu commands ({@code dial},
 * {@code hangup}, {@code quit}) and read events ({@code CALL_ESTABLISHED}, {@code CALL_CLOSED}). The {@code uuid}
 * module gives the account a {@code +sip.instance}, as a softphone installed on a device has.
 */
public final class Baresip
{
    /** The baresip binary: {@code corral.baresip} system property, else {@code /usr/bin/baresip}. */
    public static final String BINARY = System.getProperty("corral.baresip", "/usr/bin/baresip");

    /** Where Debian installs the modules. */
    public static final String MODULE_PATH = "/usr/lib/baresip/modules";

    // Below the kernel's ephemeral range (32768+), where the member's and sipp's free ports come from.
    private static final String RTP_PORTS = "10000-30000";

    private final String user;
    private final String registrar;
    private String transport = "udp";
    private boolean outbound;
    private String answerMode = "auto";
    private int registerIntervalSeconds = 60;
    private Path workDir;

    private Baresip(final String user, final String registrar)
    {
        this.user = user;
        this.registrar = registrar;
    }

    /**
     * Whether baresip and its modules are installed here.
     *
     * @return true when {@link #BINARY} is executable and the {@code ctrl_tcp} module exists.
     */
    public static boolean isInstalled()
    {
        return Files.isExecutable(Path.of(BINARY)) && Files.isReadable(Path.of(MODULE_PATH, "ctrl_tcp.so"));
    }

    /**
     * A softphone registering {@code sip:USER@REGISTRAR}.
     *
     * @param user      the user part of the address-of-record.
     * @param registrar host:port of the registrar, also the AOR's domain.
     * @return a new builder.
     */
    public static Baresip user(final String user, final String registrar)
    {
        return new Baresip(user, registrar);
    }

    /**
     * @param transport {@code udp} (default) or {@code tcp}: the account's {@code transport} URI parameter.
     * @return this.
     */
    public Baresip transport(final String transport)
    {
        this.transport = transport;
        return this;
    }

    /**
     * SIP outbound (RFC 5626): {@code sipnat=outbound} with the registrar as outbound proxy, so REGISTER carries
     * {@code reg-id}, {@code Supported: outbound} and a Route to the registrar.
     *
     * @return this.
     */
    public Baresip outbound()
    {
        this.outbound = true;
        return this;
    }

    /**
     * Incoming calls ring until {@code accept} or {@code hangup} (which rejects them with 486) instead of being
     * answered at once.
     *
     * @return this.
     */
    public Baresip answerManually()
    {
        this.answerMode = "manual";
        return this;
    }

    /**
     * @param seconds the account's {@code regint}: requested expiry, refreshed before it ends.
     * @return this.
     */
    public Baresip registerIntervalSeconds(final int seconds)
    {
        this.registerIntervalSeconds = seconds;
        return this;
    }

    /**
     * @param workDir parent of this instance's config directory (named after the user).
     * @return this.
     */
    public Baresip workDir(final Path workDir)
    {
        this.workDir = workDir;
        return this;
    }

    /**
     * The address-of-record the account registers.
     *
     * @return {@code sip:USER@REGISTRAR}.
     */
    public String aor()
    {
        return "sip:" + user + "@" + registrar;
    }

    /**
     * Writes the config directory and starts baresip with SIP tracing into {@code baresip.log} of that directory.
     *
     * @return the running softphone, its control connection open.
     */
    public BaresipProcess start()
    {
        final int sipPort = Sipp.freePort();
        final int controlPort = Sipp.freeTcpPort();
        final Path dir = workDir.resolve(user);
        try
        {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config"), config(sipPort, controlPort), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("accounts"), account() + "\n", StandardCharsets.US_ASCII);
            final Path log = dir.resolve("baresip.log");
            final List<String> command = List.of(BINARY, "-f", dir.toString(), "-s");
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
            return BaresipProcess.connect(user, process, controlPort, sipPort, log);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private String account()
    {
        final StringBuilder line = new StringBuilder()
            .append('<').append(aor()).append(";transport=").append(transport).append('>')
            .append(";answermode=").append(answerMode)
            .append(";audio_codecs=pcmu;regint=").append(registerIntervalSeconds);
        if (outbound)
        {
            line.append(";sipnat=outbound;outbound=\"sip:").append(registrar).append(";transport=").append(transport)
                .append('"');
        }
        return line.toString();
    }

    private static String config(final int sipPort, final int controlPort)
    {
        return String.join("\n",
            "module_path " + MODULE_PATH,
            "poll_method epoll",
            "net_interface 127.0.0.1",
            "sip_listen 127.0.0.1:" + sipPort,
            "rtp_ports " + RTP_PORTS,
            // ausine only produces 48 kHz stereo; baresip resamples to the 8 kHz mono of PCMU.
            "audio_source ausine,440",
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "auplay_srate 48000",
            "module g711.so",
            "module ausine.so",
            "module_tmp uuid.so",
            "module_tmp account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            "ctrl_tcp_listen 127.0.0.1:" + controlPort,
            "");
    }
}
