package io.corral.engine.transport;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * An agent's TCP connections by connection id, and by remote for reuse: responses and requests to a remote go on the
 * connection last used with it (RFC 5923-style aliasing of the connection a request came on).
 *
 * @param <C> the implementation's connection type.
 */
final class TcpConnectionTable<C extends TcpConnection>
{
    private final Long2ObjectHashMap<C> byId = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<C> byRemote = new Long2ObjectHashMap<>();
    private final ArrayList<C> expired = new ArrayList<>();
    private final ArrayList<C> failedConnects = new ArrayList<>();
    private final long idleTimeoutNs;
    private final long connectTimeoutNs;
    private final long checkIntervalNs;
    private long nextConnectionId;
    private long nextCheckNs;

    TcpConnectionTable(final int agentIndex, final long idleTimeoutNs, final long connectTimeoutNs, final long nowNs)
    {
        nextConnectionId = ((long)agentIndex << SipTransport.CONNECTION_AGENT_SHIFT) + 1;
        this.idleTimeoutNs = idleTimeoutNs;
        this.connectTimeoutNs = connectTimeoutNs;
        nextCheckNs = nowNs;
        // Expired connections are found by a scan, ten times per timeout, so the cost is spread thin.
        checkIntervalNs = Math.max(1, Math.min(idleTimeoutNs, connectTimeoutNs) / 10);
    }

    long nextConnectionId()
    {
        return nextConnectionId++;
    }

    void add(final C connection)
    {
        byId.put(connection.connectionId, connection);
        byRemote.put(connection.remoteId, connection);
    }

    void remove(final C connection)
    {
        byId.remove(connection.connectionId);
        if (byRemote.get(connection.remoteId) == connection)
        {
            byRemote.remove(connection.remoteId);
        }
        if (connection.aliasRemoteId != RemoteAddressTable.NO_REMOTE &&
            byRemote.get(connection.aliasRemoteId) == connection)
        {
            byRemote.remove(connection.aliasRemoteId);
        }
    }

    /**
     * RFC 5923 alias: requests to {@code remoteId} (a Via sent-by with {@code ;alias}) go on this connection.
     *
     * @return false if the connection is not open.
     */
    boolean alias(final long connectionId, final long remoteId)
    {
        final C connection = byId.get(connectionId);
        if (connection == null || connection.closed)
        {
            return false;
        }
        if (connection.aliasRemoteId != RemoteAddressTable.NO_REMOTE &&
            byRemote.get(connection.aliasRemoteId) == connection)
        {
            byRemote.remove(connection.aliasRemoteId);
        }
        connection.aliasRemoteId = remoteId;
        byRemote.put(remoteId, connection);
        return true;
    }

    /**
     * @return the connection with the id if open, else the one last used with the remote, else null.
     */
    C find(final long connectionId, final long remoteId)
    {
        if (connectionId != SipTransport.NO_CONNECTION)
        {
            final C connection = byId.get(connectionId);
            if (connection != null && !connection.closed)
            {
                return connection;
            }
        }
        return byRemote.get(remoteId);
    }

    /**
     * Remember that a remote was last reached on this connection.
     */
    void markUsed(final C connection)
    {
        if (byRemote.get(connection.remoteId) != connection)
        {
            byRemote.put(connection.remoteId, connection);
        }
    }

    C get(final long connectionId)
    {
        return byId.get(connectionId);
    }

    int size()
    {
        return byId.size();
    }

    /**
     * @return connections idle longer than the idle timeout, or still connecting after the connect timeout (their
     * {@link TcpConnection#connecting} flag tells which), found at most once per check interval; the list is reused.
     */
    ArrayList<C> expired(final long nowNs)
    {
        expired.clear();
        if (nowNs - nextCheckNs >= 0)
        {
            nextCheckNs = nowNs + checkIntervalNs;
            for (final C connection : byId.values())
            {
                final long timeoutNs = connection.connecting ? connectTimeoutNs : idleTimeoutNs;
                if (nowNs - connection.lastActivityNs >= timeoutNs)
                {
                    expired.add(connection);
                }
            }
        }
        return expired;
    }

    /**
     * An outgoing connection could not be opened (refused, unreachable, connect timeout) and was closed: report it at
     * the end of the poll, never from inside the send that opened it.
     */
    void onConnectFailed(final C connection)
    {
        failedConnects.add(connection);
    }

    /**
     * Tell the handler of every connect that failed since the last call.
     *
     * @return connects reported.
     */
    int reportFailedConnects(final SipPacketHandler handler)
    {
        final int count = failedConnects.size();
        for (int i = 0; i < count; i++)
        {
            final C connection = failedConnects.get(i);
            handler.onConnectFailed(connection.remoteId, connection.connectionId);
        }
        failedConnects.clear();
        return count;
    }

    /**
     * @return every connection, copied, for closing them all.
     */
    ArrayList<C> all()
    {
        return new ArrayList<>(byId.values());
    }
}
