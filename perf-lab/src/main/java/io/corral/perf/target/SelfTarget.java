package io.corral.perf.target;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The generator talking to itself (UAC → UAS directly): the ceiling of the load generator on this machine.
 */
final class SelfTarget implements Target
{
    @Override
    public String name()
    {
        return "self";
    }

    @Override
    public void start(final Role role, final boolean auth, final long users, final Path workDir)
    {
    }

    @Override
    public InetSocketAddress address()
    {
        return null;
    }

    @Override
    public long cpuNs()
    {
        return 0;
    }

    @Override
    public String description()
    {
        return "self: the generator's UAC sends straight to its UAS (no proxy)";
    }

    @Override
    public boolean isAlive()
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
