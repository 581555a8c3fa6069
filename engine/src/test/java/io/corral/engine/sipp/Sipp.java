package io.corral.engine.sipp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builder for one sipp process (SIPp 3.6, Debian {@code sip-tester}) in system tests: a built-in scenario or one of
 * {@code src/test/resources/sipp/*.xml}, always on explicit ports, with every log written into a work directory so
 * that nothing reaches the test console. Always passes {@code -nostdin}, {@code -trace_msg}/{@code -message_file},
 * {@code -trace_err}/{@code -error_file}, {@code -trace_stat}/{@code -stf} (the final counters),
 * {@code -trace_screen}/{@code -screen_file}, {@code -buff_size 4194304}, {@code -max_recv_loops 10000},
 * {@code -max_sched_loops 10000} and {@code -timeout T -timeout_error}; sipp's default behaviours stay on (an
 * aborted call is cleaned up with a BYE or CANCEL) unless {@link #defaultBehaviors(String)} says otherwise.
 */
public final class Sipp
{
    /** The sipp binary: {@code corral.sipp} system property, else {@code /usr/bin/sipp}. */
    public static final String BINARY = System.getProperty("corral.sipp", "/usr/bin/sipp");

    /** Default bound of a run: sipp's {@code -timeout} and, a few seconds later, the process kill. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private static final AtomicInteger RUN_IDS = new AtomicInteger();

    private final String builtIn;
    private final String resourceName;
    private final Map<String, String> replacements = new LinkedHashMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final List<String> extraArgs = new ArrayList<>();
    private String localAddress = "127.0.0.1";
    private int localPort;
    private String transport = "u1";
    private String remote;
    private String rsa;
    private int calls;
    private int rate;
    private int lostPercent;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String service;
    private String defaultBehaviors;
    private Path workDir;

    private Sipp(final String builtIn, final String resourceName)
    {
        this.builtIn = builtIn;
        this.resourceName = resourceName;
    }

    /**
     * Whether the sipp binary can be run here.
     *
     * @return true when {@link #BINARY} is an executable file.
     */
    public static boolean isInstalled()
    {
        return Files.isExecutable(Path.of(BINARY));
    }

    /**
     * sipp's built-in UAC ({@code -sn uac}): INVITE, 100/180 optional, 200, ACK, BYE, 200.
     *
     * @return a new builder.
     */
    public static Sipp uac()
    {
        return new Sipp("uac", null);
    }

    /**
     * sipp's built-in UAS ({@code -sn uas}); it never ends by itself: give {@link #calls(int)} or destroy it.
     *
     * @return a new builder.
     */
    public static Sipp uas()
    {
        return new Sipp("uas", null);
    }

    /**
     * A scenario of {@code src/test/resources/sipp/}, copied into the work directory at start.
     *
     * @param resourceName file name, e.g. {@code uac-rr.xml}.
     * @return a new builder.
     */
    public static Sipp scenario(final String resourceName)
    {
        if (Sipp.class.getResource("/sipp/" + resourceName) == null)
        {
            throw new IllegalArgumentException("no scenario resource sipp/" + resourceName);
        }
        return new Sipp(null, resourceName);
    }

    /**
     * uac-single.xml with its -set keys filled: one INVITE to {@code ruri} with Max-Forwards 70, CSeq method INVITE,
     * SIP/2.0 and a Subject line, expecting {@code expectedStatus}; override keys with {@link #set(String, String)}
     * ({@code version}, {@code cseq_method}, {@code max_forwards}, {@code hdr}).
     *
     * @param ruri           Request-URI and To URI, e.g. {@code sip:service@127.0.0.1:5080}.
     * @param expectedStatus the final status the call must get to succeed.
     * @return a new builder running one call.
     */
    public static Sipp single(final String ruri, final int expectedStatus)
    {
        return scenario("uac-single.xml")
            .set("ruri", ruri)
            .set("version", "SIP/2.0")
            .set("cseq_method", "INVITE")
            .set("max_forwards", "70")
            .set("hdr", "Subject: single")
            .set("expect", Integer.toString(expectedStatus))
            .calls(1);
    }

    /**
     * A free UDP port on 127.0.0.1 (bound to 0, then closed).
     *
     * @return the port number.
     */
    public static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A free TCP port on 127.0.0.1 (bound to 0, then closed).
     *
     * @return the port number.
     */
    public static int freeTcpPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A port free for both UDP and TCP on 127.0.0.1, for sipp ends that may use either.
     *
     * @return the port number.
     */
    public static int freePort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int port = freeUdpPort();
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
            {
                return socket.getLocalPort();
            }
            catch (final IOException ignored)
            {
                // taken over TCP: try another
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP");
    }

    /**
     * Local port ({@code -p}); 0 (the default) lets the builder pick a free one at start.
     *
     * @param port the port.
     * @return this.
     */
    public Sipp localPort(final int port)
    {
        this.localPort = port;
        return this;
    }

    /**
     * Local address ({@code -i}), 127.0.0.1 by default.
     *
     * @param address the address.
     * @return this.
     */
    public Sipp localAddress(final String address)
    {
        this.localAddress = address;
        return this;
    }

    /**
     * TCP, one connection ({@code -t t1}); UDP on one socket ({@code -t u1}) by default.
     *
     * @return this.
     */
    public Sipp tcp()
    {
        this.transport = "t1";
        return this;
    }

    /**
     * The positional target host:port: where a UAC's Request-URI points (and where it sends without -rsa).
     *
     * @param hostPort e.g. {@code 127.0.0.1:5080}.
     * @return this.
     */
    public Sipp remote(final String hostPort)
    {
        this.remote = hostPort;
        return this;
    }

    /**
     * Remote sending address ({@code -rsa}): every message, in-dialog requests included, goes there (a proxy).
     *
     * @param hostPort e.g. {@code 127.0.0.1:5060}.
     * @return this.
     */
    public Sipp rsa(final String hostPort)
    {
        this.rsa = hostPort;
        return this;
    }

    /**
     * Calls after which sipp exits ({@code -m}); a UAS counts the calls it received.
     *
     * @param count the number of calls.
     * @return this.
     */
    public Sipp calls(final int count)
    {
        this.calls = count;
        return this;
    }

    /**
     * New calls per second ({@code -r}).
     *
     * @param callsPerSecond the rate.
     * @return this.
     */
    public Sipp rate(final int callsPerSecond)
    {
        this.rate = callsPerSecond;
        return this;
    }

    /**
     * Percentage of messages sipp drops, sent and received ({@code -lost}); scenario {@code lost="0"} overrides it.
     *
     * @param percent 0 to 100.
     * @return this.
     */
    public Sipp lost(final int percent)
    {
        this.lostPercent = percent;
        return this;
    }

    /**
     * Bound of the run: sipp's {@code -timeout} with {@code -timeout_error} (reaching it is a failure), and a
     * process kill 5 s later if sipp is still alive.
     *
     * @param timeout the bound.
     * @return this.
     */
    public Sipp timeout(final Duration timeout)
    {
        this.timeout = timeout;
        return this;
    }

    /**
     * A scenario global variable ({@code -set key value}), referenced as {@code [$key]}.
     *
     * @param key   the variable name.
     * @param value its value (may hold CRLF to add header lines).
     * @return this.
     */
    public Sipp set(final String key, final String value)
    {
        variables.put(key, value);
        return this;
    }

    /**
     * User part of the Request-URI ({@code -s}), {@code service} by default.
     *
     * @param user the user part.
     * @return this.
     */
    public Sipp service(final String user)
    {
        this.service = user;
        return this;
    }

    /**
     * sipp's {@code -default_behaviors}, e.g. {@code all,-abortunexp} through a proxy that may reorder replies,
     * or {@code none} (same as {@code -nd}).
     *
     * @param behaviors the value.
     * @return this.
     */
    public Sipp defaultBehaviors(final String behaviors)
    {
        this.defaultBehaviors = behaviors;
        return this;
    }

    /**
     * Edits the scenario text when it is copied (sipp takes no keyword in a method or a status line).
     *
     * @param target      exact text to find; it must occur.
     * @param replacement its replacement.
     * @return this.
     */
    public Sipp replace(final String target, final String replacement)
    {
        if (resourceName == null)
        {
            throw new IllegalStateException("replace applies to a scenario resource, not a built-in scenario");
        }
        replacements.put(target, replacement);
        return this;
    }

    /**
     * Extra command line arguments, appended as given.
     *
     * @param args the arguments.
     * @return this.
     */
    public Sipp arg(final String... args)
    {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /**
     * Directory for the scenario copy, the logs and the statistics; a new temporary one by default.
     *
     * @param dir the directory (created if missing).
     * @return this.
     */
    public Sipp workDir(final Path dir)
    {
        this.workDir = dir;
        return this;
    }

    /**
     * The local port this sipp binds, picking a free one now when none was given.
     *
     * @return the port.
     */
    public int localPort()
    {
        if (localPort == 0)
        {
            localPort = freePort();
        }
        return localPort;
    }

    /**
     * This sipp's address as a target for another one.
     *
     * @return {@code localAddress:localPort}.
     */
    public String hostPort()
    {
        return localAddress + ":" + localPort();
    }

    /**
     * Starts sipp without waiting; the caller must {@link SippProcess#destroy()} it (try/finally or AfterEach).
     *
     * @return the running process.
     */
    public SippProcess start()
    {
        try
        {
            final String name = (builtIn != null ? builtIn : resourceName.replace(".xml", ""))
                + "-" + RUN_IDS.incrementAndGet();
            final Path dir = workDir != null ? workDir : Files.createTempDirectory("sipp-");
            Files.createDirectories(dir);
            final Path messageLog = dir.resolve(name + "_messages.log");
            final Path errorLog = dir.resolve(name + "_errors.log");
            final Path statFile = dir.resolve(name + "_stat.csv");
            final Path stdout = dir.resolve(name + ".out");
            final Path stderr = dir.resolve(name + ".err");

            final List<String> command = new ArrayList<>();
            command.add(BINARY);
            if (builtIn != null)
            {
                command.add("-sn");
                command.add(builtIn);
            }
            else
            {
                command.add("-sf");
                command.add(copyScenario(dir, name).toString());
            }
            addAll(command, "-i", localAddress, "-p", Integer.toString(localPort()), "-t", transport);
            if (rsa != null)
            {
                addAll(command, "-rsa", rsa);
            }
            if (calls > 0)
            {
                addAll(command, "-m", Integer.toString(calls));
            }
            if (rate > 0)
            {
                addAll(command, "-r", Integer.toString(rate));
            }
            if (lostPercent > 0)
            {
                addAll(command, "-lost", Integer.toString(lostPercent));
            }
            if (service != null)
            {
                addAll(command, "-s", service);
            }
            if (defaultBehaviors != null)
            {
                addAll(command, "-default_behaviors", defaultBehaviors);
            }
            for (final Map.Entry<String, String> variable : variables.entrySet())
            {
                addAll(command, "-set", variable.getKey(), variable.getValue());
            }
            addAll(command, "-nostdin",
                "-trace_msg", "-message_file", messageLog.toString(),
                "-trace_err", "-error_file", errorLog.toString(),
                "-trace_stat", "-stf", statFile.toString(),
                "-trace_screen", "-screen_file", dir.resolve(name + "_screen.log").toString(),
                "-buff_size", "4194304", "-max_recv_loops", "10000", "-max_sched_loops", "10000",
                "-timeout", Math.max(1, timeout.toSeconds()) + "s", "-timeout_error");
            command.addAll(extraArgs);
            if (remote != null)
            {
                command.add(remote);
            }

            final Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
            return new SippProcess(name, new InetSocketAddress(localAddress, localPort()), "t1".equals(transport),
                command, process, timeout.plusSeconds(5),
                stdout, stderr, messageLog, errorLog, statFile);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Starts sipp and waits for its end, destroying it if it outlives {@code limit}.
     *
     * @param limit the longest wait.
     * @return the result.
     */
    public SippResult run(final Duration limit)
    {
        final SippProcess process = start();
        try
        {
            return process.await(limit);
        }
        finally
        {
            process.destroy();
        }
    }

    private Path copyScenario(final Path dir, final String name) throws IOException
    {
        String text;
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + resourceName))
        {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (final Map.Entry<String, String> edit : replacements.entrySet())
        {
            if (!text.contains(edit.getKey()))
            {
                throw new IllegalArgumentException(resourceName + " does not contain: " + edit.getKey());
            }
            text = text.replace(edit.getKey(), edit.getValue());
        }
        final Path file = dir.resolve(name + ".xml");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static void addAll(final List<String> list, final String... items)
    {
        list.addAll(List.of(items));
    }
}
