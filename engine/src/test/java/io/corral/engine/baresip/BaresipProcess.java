package io.corral.engine.baresip;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running baresip started by {@link Baresip#start()}, driven through its {@code ctrl_tcp} module: JSON objects in
 * netstrings ({@code LENGTH:JSON,}), commands out ({@code {"command":"dial","params":"sip:bob@...","token":"3"}}),
 * responses and events in. A reader thread keeps every event; {@link #awaitEvent} waits for one by type.
 * {@link #destroy()} is idempotent and must run in a {@code finally} or {@code @AfterEach}.
 */
public final class BaresipProcess
{
    private static final long TERM_GRACE_MS = 3_000;
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([A-Z_]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([0-9]+)\"");
    private static final Pattern OK = Pattern.compile("\"ok\":(true|false)");

    private final String user;
    private final Process process;
    private final int sipPort;
    private final Path log;
    private final Socket control;
    private final AtomicInteger tokens = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final List<String> eventTypes = new ArrayList<>();
    private final List<String> responses = new ArrayList<>();
    private final Thread reader;

    private BaresipProcess(
        final String user, final Process process, final int sipPort, final Path log, final Socket control)
    {
        this.user = user;
        this.process = process;
        this.sipPort = sipPort;
        this.log = log;
        this.control = control;
        this.reader = new Thread(this::readMessages, "baresip-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    static BaresipProcess connect(
        final String user, final Process process, final int controlPort, final int sipPort, final Path log)
    {
        final long deadlineNs = System.nanoTime() + CONNECT.toNanos();
        while (true)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("baresip " + user + " exited with " + process.exitValue() + ":\n" +
                    read(log));
            }
            try
            {
                final Socket socket = new Socket();
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 1000);
                return new BaresipProcess(user, process, sipPort, log, socket);
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    process.destroyForcibly();
                    throw new IllegalStateException("baresip " + user + " did not open its control port " +
                        controlPort + " within " + CONNECT + ":\n" + read(log), ex);
                }
                pause();
            }
        }
    }

    /**
     * The SIP port it listens on (UDP and TCP, 127.0.0.1).
     *
     * @return the port.
     */
    public int sipPort()
    {
        return sipPort;
    }

    /**
     * Sends a menu command and waits for its response.
     *
     * @param command the command name ({@code dial}, {@code hangup}, {@code reginfo}, {@code quit}, ...).
     * @param params  its argument, or null.
     * @param limit   longest wait for the response.
     * @return the response's data text; fails if the command is refused or not answered in time.
     */
    public String command(final String command, final String params, final Duration limit)
    {
        final String token = Integer.toString(tokens.incrementAndGet());
        final String json = "{\"command\":\"" + command + "\"" +
            (params == null ? "" : ",\"params\":\"" + params + "\"") + ",\"token\":\"" + token + "\"}";
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try
        {
            final OutputStream out = control.getOutputStream();
            out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(',');
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("baresip " + user + ": " + command, ex);
        }
        final String response = await(responses, text -> token.equals(group(TOKEN, text)), limit,
            "a response to " + command);
        if (!"true".equals(group(OK, response)))
        {
            throw new IllegalStateException("baresip " + user + " refused " + command + ": " + response);
        }
        return response;
    }

    /**
     * Waits for an event of a type (the first not yet returned by an earlier call with the same type counts).
     *
     * @param type  the event type, e.g. {@code CALL_ESTABLISHED}.
     * @param limit longest wait.
     * @return the event's JSON text; fails with the event list and the SIP trace when none comes in time.
     */
    public String awaitEvent(final String type, final Duration limit)
    {
        return await(events, text -> type.equals(group(TYPE, text)), limit, "event " + type);
    }

    /**
     * The types of every event received so far, in order.
     *
     * @return e.g. {@code [CALL_LOCAL_SDP, CALL_RINGING, CALL_ESTABLISHED]}.
     */
    public List<String> eventTypes()
    {
        synchronized (events)
        {
            return new ArrayList<>(eventTypes);
        }
    }

    /**
     * Its output: start-up lines and the SIP trace of every message sent and received.
     *
     * @return the log text.
     */
    public String log()
    {
        return read(log);
    }

    /**
     * Whether baresip still runs.
     *
     * @return true while alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Sends {@code quit} (baresip unregisters, waits for the answer and exits) and waits for the exit.
     *
     * @param limit longest wait for the exit.
     * @return true if it exited in time.
     */
    public boolean quit(final Duration limit)
    {
        command("quit", null, limit);
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
     * Stops baresip: SIGTERM, then SIGKILL after 3 s; returns once it has exited. Safe to call more than once.
     */
    public void destroy()
    {
        try
        {
            control.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
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

    private String await(
        final List<String> messages, final Predicate<String> match, final Duration limit,
        final String what)
    {
        final long deadlineNs = System.nanoTime() + limit.toNanos();
        synchronized (messages)
        {
            while (true)
            {
                for (int i = 0; i < messages.size(); i++)
                {
                    if (match.test(messages.get(i)))
                    {
                        return messages.remove(i);
                    }
                }
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                if (leftMs <= 0)
                {
                    throw new AssertionError("baresip " + user + ": no " + what + " within " + limit +
                        "; events " + eventTypes() + "\n" + log());
                }
                try
                {
                    messages.wait(leftMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    private void readMessages()
    {
        try (InputStream in = new BufferedInputStream(control.getInputStream()))
        {
            while (true)
            {
                final String message = readNetstring(in);
                if (message == null)
                {
                    return;
                }
                final List<String> target = message.startsWith("{\"event\":true") ? events : responses;
                synchronized (target)
                {
                    if (target == events)
                    {
                        eventTypes.add(group(TYPE, message));
                    }
                    target.add(message);
                    target.notifyAll();
                }
            }
        }
        catch (final IOException ignored)
        {
            // the control connection closed: baresip exited or was stopped
        }
    }

    /**
     * One {@code LENGTH:BYTES,} netstring.
     *
     * @return its text, or null at the end of the stream.
     */
    private static String readNetstring(final InputStream in) throws IOException
    {
        int length = 0;
        int b;
        while ((b = in.read()) != ':')
        {
            if (b < 0)
            {
                return null;
            }
            if (b < '0' || b > '9')
            {
                throw new IOException("not a netstring length: " + (char)b);
            }
            length = length * 10 + (b - '0');
        }
        final byte[] body = in.readNBytes(length);
        if (body.length != length || in.read() != ',')
        {
            throw new IOException("truncated netstring");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String group(final Pattern pattern, final String text)
    {
        final Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String read(final Path log)
    {
        try
        {
            return new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).replaceAll("\u001B\\[[0-9;]*m", "");
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(20);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
