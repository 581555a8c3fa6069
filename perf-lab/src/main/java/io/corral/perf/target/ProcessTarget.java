package io.corral.perf.target;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A target that is an operating-system process the lab starts: on a free UDP port of 127.0.0.1, ready once it
 * answers an OPTIONS, stopped with SIGTERM (then SIGKILL after 10 s).
 */
abstract class ProcessTarget implements Target
{
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long STOP_TIMEOUT_S = 10;

    protected final Path root;
    private Process process;
    private InetSocketAddress address;

    ProcessTarget(final Path root)
    {
        this.root = root;
    }

    /**
     * @param role    what to configure.
     * @param auth    challenge REGISTERs.
     * @param users   how many users exist.
     * @param port    the UDP port to listen on.
     * @param workDir where configuration files go.
     * @return the command line.
     * @throws IOException if configuration cannot be written.
     */
    abstract List<String> command(Role role, boolean auth, long users, int port, Path workDir) throws IOException;

    @Override
    public void start(final Role role, final boolean auth, final long users, final Path workDir) throws IOException
    {
        close();
        final int port = freeUdpPort();
        final List<String> command = command(role, auth, users, port, workDir);
        final Path log = workDir.resolve(name() + ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(builder.environment());
        process = builder.start();
        address = new InetSocketAddress("127.0.0.1", port);
        if (!awaitAnswer(address, READY_TIMEOUT_MS))
        {
            close();
            throw new IOException(name() + " did not answer OPTIONS on " + address + " within " + READY_TIMEOUT_MS +
                " ms; see " + log);
        }
    }

    /**
     * @param environment the process's environment, to adjust before it starts.
     */
    void environment(final java.util.Map<String, String> environment)
    {
    }

    @Override
    public InetSocketAddress address()
    {
        return address;
    }

    @Override
    public long cpuNs()
    {
        return process == null ? 0 : ProcessCpu.treeCpuNs(process.toHandle());
    }

    @Override
    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    @Override
    public void close()
    {
        if (process == null)
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * @return a UDP port of 127.0.0.1 free now.
     * @throws IOException if none can be had.
     */
    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * Send OPTIONS every 200 ms until any SIP response comes back.
     *
     * @param target    where to.
     * @param timeoutMs how long to try.
     * @return true if something answered.
     * @throws IOException if no socket can be opened.
     */
    static boolean awaitAnswer(final InetSocketAddress target, final long timeoutMs) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            socket.setSoTimeout(200);
            int attempt = 0;
            while (System.currentTimeMillis() < deadline)
            {
                final String host = "127.0.0.1:" + socket.getLocalPort();
                final String options = "OPTIONS sip:" + target.getHostString() + ":" + target.getPort() +
                    " SIP/2.0\r\nVia: SIP/2.0/UDP " + host + ";branch=z9hG4bKready" + attempt + "\r\n" +
                    "Max-Forwards: 70\r\nFrom: <sip:lab@" + host + ">;tag=ready\r\nTo: <sip:" +
                    target.getHostString() + ":" + target.getPort() + ">\r\nCall-ID: ready" + attempt +
                    "@corral-lab\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
                final byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, target));
                attempt++;
                try
                {
                    final DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(reply);
                    if (new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)
                        .startsWith("SIP/2.0 "))
                    {
                        return true;
                    }
                }
                catch (final SocketTimeoutException ex)
                {
                    // not up yet: try again
                }
            }
        }
        return false;
    }
}
