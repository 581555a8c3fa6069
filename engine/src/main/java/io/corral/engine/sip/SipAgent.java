package io.corral.engine.sip;

import io.corral.engine.agent.AgentWakeup;
import io.corral.engine.agent.IdleWaiter;
import io.corral.engine.auth.DigestAuthenticator;
import io.corral.engine.dialog.DialogTracker;
import io.corral.engine.dispatch.BackendCalls;
import io.corral.engine.dispatch.BackendProber;
import io.corral.engine.dispatch.DispatchAlgorithm;
import io.corral.engine.dispatch.DispatchContext;
import io.corral.engine.dispatch.Dispatcher;
import io.corral.engine.dispatch.RoutingDecision;
import io.corral.engine.overload.OverloadDetector;
import io.corral.engine.overload.OverloadSettings;
import io.corral.engine.proxy.CancelHandler;
import io.corral.engine.proxy.ForwardingEditor;
import io.corral.engine.proxy.Interfaces;
import io.corral.engine.proxy.MemberIdCodec;
import io.corral.engine.proxy.NextHop;
import io.corral.engine.proxy.NextHopResolver;
import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.proxy.ProxyContext;
import io.corral.engine.proxy.ProxyCore;
import io.corral.engine.proxy.ReceivedVia;
import io.corral.engine.proxy.ResponseContext;
import io.corral.engine.proxy.ResponseRouter;
import io.corral.engine.registrar.Location;
import io.corral.engine.registrar.LocationService;
import io.corral.engine.registrar.NatKeepAlive;
import io.corral.engine.registrar.Registrar;
import io.corral.engine.sip.codec.CallIdLocator;
import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TagGenerator;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import io.corral.engine.sip.transaction.HandoverHandler;
import io.corral.engine.sip.transaction.HandoverQueue;
import io.corral.engine.sip.transaction.TransactionLayer;
import io.corral.engine.sip.transaction.TransactionListener;
import io.corral.engine.sip.transaction.TransactionOutput;
import io.corral.engine.sip.transaction.TransactionOwnership;
import io.corral.engine.sip.transaction.TransactionResult;
import io.corral.engine.sip.transaction.TransactionSettings;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.engine.transport.SipPacketHandler;
import io.corral.engine.transport.SipTransport;
import io.corral.engine.transport.SipTransports;
import io.corral.engine.transport.TransportCounters;
import io.corral.engine.transport.TransportSettings;
import io.corral.state.registration.RegistrationDescriptor;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One SIP event loop: its transport (a UDP socket and TCP listener on the SIP port, shared with the other agents
 * through SO_REUSEPORT), the decoder, the RFC 3261 §17 transaction layer, the §16 proxy core and the dialog tracker,
 * for the Call-IDs it owns ({@link TransactionOwnership}). A packet whose Call-ID another agent owns is handed to that
 * agent's inbox; a send on a TCP connection another agent holds goes to that agent's send inbox. Everything runs in
 * {@link #doWork()}: nothing blocks, and nothing is allocated per message in steady state (IPv6 peers excepted: their
 * addresses are interned on first use).
 */
public final class SipAgent implements Agent, IdleWaiter, SipPacketHandler, HandoverHandler, TransactionListener,
    TransactionOutput, CancelHandler.Branches, NatKeepAlive.Output
{
    private static final int POLL_LIMIT = 64;
    private static final int DRAIN_LIMIT = 256;
    private static final int TIMER_LIMIT = 256;
    private static final int DEFAULT_PORT = 5060;
    private static final int OUT_BYTES = 65_536 + 4096;
    private static final int BEST_RESPONSE_BYTES = 8192;
    private static final int HANDOVER_QUEUE_BYTES = 4 * 1024 * 1024;
    private static final long HOUSEKEEPING_INTERVAL_MS = 100;
    private static final int SWEEP_LIMIT = 1000;
    private static final int WARM_UP_ROUNDS = 64;
    private static final byte[] NO_USER_HERE = "Not Found".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_TRANSACTION = "Call/Transaction Does Not Exist".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_YOUR_AOR =
        "Authenticated user does not own this address-of-record".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUSY = "Service Unavailable".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BACKEND = "No Backend Available".getBytes(StandardCharsets.US_ASCII);
    private static final int Q_DEFAULT = 1000;
    private static final long RETRY_AFTER_SECONDS = 1;
    private static final byte[] ALIAS = "alias".getBytes(StandardCharsets.US_ASCII);
    /** Connection ids carry the interface (local address) index in these bits; a UDP "connection" id is the index. */
    private static final int INTERFACE_SHIFT = 40;
    private static final long INTERFACE_MASK = 0xFFL << INTERFACE_SHIFT;
    /** A bit of a UDP connection tag (the interface index): came on, or leaves from, the agent's own socket. */
    private static final long AGENT_SOCKET_TAG = 1L << 32;

    private final int index;
    private final SipAgent[] agents;
    private final TransactionOwnership ownership;
    private final AgentWakeup wakeup = new AgentWakeup();
    private final HandoverQueue inbox = new HandoverQueue(HANDOVER_QUEUE_BYTES, wakeup);
    private final HandoverQueue sendInbox = new HandoverQueue(HANDOVER_QUEUE_BYTES, wakeup);
    private final BooleanSupplier queuedWork = this::hasQueuedWork;
    private final WokenHandler wokenHandler = new WokenHandler();
    private final HandoverHandler sendHandler = this::onSendHandover;
    private final TransportSettings transportSettings;
    private final String[] addresses;
    private final RemoteAddressTable remotes;
    private final TransportCounters transportCounters;
    private final EpochClock clock;
    private final SipCounters counters;
    private final DialogTracker dialogs;
    private final Registrar registrar;
    private final LocationService locationService;
    private final Location location;
    private final PeerAddress contactAddress = new PeerAddress();
    private final DigestAuthenticator authenticator;
    private final DispatchContext dispatch;
    private final Dispatcher dispatcher;
    private BackendProber prober;
    private final SipUriDecoder targetUri = new SipUriDecoder();
    private final SipMessageDecoder targetDecoder = new SipMessageDecoder();
    private final UnsafeBuffer targetOut = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_BYTES));
    private final PeerAddress targetAddress = new PeerAddress();
    private long branchStartFailure;
    private int startedBranch;
    private final boolean dropWhenLimited;
    private final SipUriDecoder toUri = new SipUriDecoder();
    private final SipUriDecoder contactUri = new SipUriDecoder();
    private long sourceRemote;
    private boolean authenticatedRequest;
    private final long dialogSweepIntervalMs;

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipMessageDecoder localDecoder = new SipMessageDecoder();
    private final SipMessageDecoder emptyDecoder = new SipMessageDecoder();
    private final SipMessageEditor editor = new SipMessageEditor();
    private final SipResponseBuilder responseBuilder = new SipResponseBuilder();
    private final TagGenerator tags;
    private final UnsafeBuffer tag = new UnsafeBuffer(new byte[TagGenerator.TAG_LENGTH]);
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_BYTES));
    private final UnsafeBuffer localOut = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_BYTES));
    private final PeerAddress source = new PeerAddress();
    private final PeerAddress caller = new PeerAddress();
    private final ReceivedVia receivedVia = new ReceivedVia();
    private final PeerAddress aliasAddress = new PeerAddress();
    private final NextHopResolver resolver = NextHopResolver.IP_LITERALS;
    private final ProxyContext proxyContext;
    private final long seed;
    private ProxyCore proxy;
    private ResponseRouter router;
    private final CancelHandler cancelHandler;
    private final TransactionLayer transactions;
    private final long timerCMs;
    private final long timerTickNs;
    private final OverloadDetector overload;
    private final UnsafeBuffer shedTag = new UnsafeBuffer(new byte[TagGenerator.TAG_LENGTH]);
    private final int shedTagLength;
    private int cycleMessages;
    private int agentSocketMessages;

    private final long[] serverOfClient;
    private final int[] requestOfServer;
    private ProxiedRequest[] requests = new ProxiedRequest[16];
    private int requestCount;
    private int[] freeRequests = new int[16];
    private int freeRequestCount;
    private ProxiedRequest cancelling;
    private NatKeepAlive keepAlive;

    private DirectBuffer packetBuffer;
    private int packetOffset;
    private int packetLength;
    private SipTransport[] transports;
    private int inboundInterface;
    private volatile SipTransport transport;
    private volatile int boundPort;
    private volatile Throwable startFailure;
    private long nowMs;
    private long timerPollMs = Long.MIN_VALUE;
    private boolean timerBacklog;
    private long nextHousekeepingMs;
    private long nextSweepMs;
    private long malformedResponses;
    private long strayResponses;
    private long tableFull;
    private long sendFailures;
    private long noDialog;
    private long otherMember;
    private long handedOver;
    private long shedAcks;

    /**
     * @param index                 this agent's index, 0 to {@code agents.length - 1}.
     * @param agents                every SIP agent of the member, this one at {@code index}; filled before start.
     * @param proxyContext          who this member is.
     * @param transactionSettings   timers and sizes of the transaction layer.
     * @param transportSettings     the sockets.
     * @param addresses             the local addresses to listen on, the primary (the settings' one) first.
     * @param transportCounters     this agent's transport counters.
     * @param counters              this agent's SIP counters.
     * @param dialogs               this agent's dialog tracker, with its store set.
     * @param registrar             this agent's registrar (REGISTER for this member's domains).
     * @param locationService       finds the contacts of this member's users.
     * @param location              receives a lookup's contacts.
     * @param authenticator         digest authentication of REGISTER and of calls from untrusted sources, or null
     *                              when {@code corral.auth.required} is false.
     * @param dispatch              the routing policy, backends and forking of the member, shared by its agents;
     *                              agent 0 also probes the backends.
     * @param dropWhenLimited       drop (rather than answer 403) requests from a source over the failure limit.
     * @param dialogSweepIntervalMs how often agent 0 sweeps expired dialogs.
     * @param overloadSettings      when to shed new INVITEs and REGISTERs.
     * @param clock                 wall clock.
     * @param seed                  seeds branches and tags; differs per agent and start.
     */
    public SipAgent(
        final int index,
        final SipAgent[] agents,
        final ProxyContext proxyContext,
        final TransactionSettings transactionSettings,
        final TransportSettings transportSettings,
        final String[] addresses,
        final TransportCounters transportCounters,
        final SipCounters counters,
        final DialogTracker dialogs,
        final Registrar registrar,
        final LocationService locationService,
        final Location location,
        final DigestAuthenticator authenticator,
        final DispatchContext dispatch,
        final boolean dropWhenLimited,
        final long dialogSweepIntervalMs,
        final OverloadSettings overloadSettings,
        final EpochClock clock,
        final long seed)
    {
        this.index = index;
        this.agents = agents;
        this.transportSettings = transportSettings;
        this.addresses = addresses.clone();
        remotes = new RemoteAddressTable(transportSettings.remoteTableCapacity());
        this.transportCounters = transportCounters;
        this.counters = counters;
        this.dialogs = dialogs;
        this.registrar = registrar;
        this.locationService = locationService;
        this.location = location;
        this.authenticator = authenticator;
        this.dispatch = dispatch;
        this.dispatcher = dispatch.dispatcher();
        this.dropWhenLimited = dropWhenLimited;
        this.dialogSweepIntervalMs = dialogSweepIntervalMs;
        this.clock = clock;
        ownership = new TransactionOwnership(agents.length);
        this.proxyContext = proxyContext;
        this.seed = seed;
        cancelHandler = new CancelHandler(OUT_BYTES);
        tags = new TagGenerator(seed * 7 + 3);
        timerCMs = proxyContext.timerCMs();
        timerTickNs = TimeUnit.MILLISECONDS.toNanos(transactionSettings.tickMs());
        nowMs = clock.time();
        transactions = new TransactionLayer(transactionSettings, this, this, nowMs);
        overload = new OverloadDetector(overloadSettings, nowMs);
        // One To tag for every shed 503, so that their ACKs are recognised and absorbed, never forwarded.
        shedTagLength = tags.writeTag(shedTag, 0);
        serverOfClient = new long[transactionSettings.capacity()];
        requestOfServer = new int[transactionSettings.capacity()];
        Arrays.fill(serverOfClient, TransactionLayer.NULL_ID);
        Arrays.fill(requestOfServer, -1);
        emptyDecoder.wrap(new UnsafeBuffer(new byte[1]), 0, 0);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "sip-" + index;
    }

    /**
     * Agent 0 opens the SIP port here, on its own thread (the epoll loop belongs to the thread that opens it); the
     * others open theirs on the same port once agent 0 has bound it.
     */
    public void onStart()
    {
        if (index == 0)
        {
            openTransport(transportSettings.port());
        }
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        if (transport == null && !tryOpenTransport())
        {
            return 0;
        }
        nowMs = clock.time();
        final long startNs = System.nanoTime();
        int work = 0;
        boolean readLimitReached = false;
        for (int i = 0; i < transports.length; i++)
        {
            inboundInterface = i;
            cycleMessages = 0;
            agentSocketMessages = 0;
            work += transports[i].poll(this, POLL_LIMIT);
            // The limit applies per socket: the agent's own socket is read as many times again.
            readLimitReached |= cycleMessages >= POLL_LIMIT || agentSocketMessages >= POLL_LIMIT;
        }
        work += inbox.drain(this, DRAIN_LIMIT);
        work += sendInbox.drain(sendHandler, DRAIN_LIMIT);
        if (nowMs != timerPollMs || timerBacklog)
        {
            // Each poll scans a whole spoke of the timer wheel (hundreds of slots): the clock counts milliseconds, so
            // once per millisecond finds every timer due, unless the last poll stopped at its limit.
            final int expired = transactions.poll(nowMs, TIMER_LIMIT);
            timerPollMs = nowMs;
            timerBacklog = expired >= TIMER_LIMIT;
            work += expired;
        }
        if (keepAlive != null)
        {
            work += keepAlive.poll(nowMs);
        }
        if (nowMs >= nextHousekeepingMs)
        {
            work += housekeeping();
        }
        overload.onDutyCycle(System.nanoTime() - startNs, work > 0, readLimitReached);
        if (overload.isIntervalDue(nowMs))
        {
            overload.onInterval(nowMs, transactions.activeCount(), transactions.capacity(), inbox.sizeBytes(),
                inbox.capacityBytes(), overload.readsAtLimit() ? socketQueueShare() : -1);
        }
        return work;
    }

    /**
     * @return the fullest receive queue of this agent's UDP sockets against its buffer, -1 when the kernel does not
     * say.
     */
    private double socketQueueShare()
    {
        double share = -1;
        for (final SipTransport transport : transports)
        {
            final int queued = transport.receiveQueueBytes();
            if (queued >= 0)
            {
                share = Math.max(share, (double)queued / Math.max(1, transport.receiveBufferBytes()));
            }
        }
        return share;
    }

    /**
     * Block in the transport's epoll_wait until a packet, a hand-over from another agent (its {@link AgentWakeup}) or
     * the next deadline: housekeeping, or the timer wheel's next tick while transactions are held. Only an agent with
     * one epoll transport can; the others back off.
     */
    public boolean awaitWork(final long maxWaitNs)
    {
        final SipTransport[] transports = this.transports;
        if (transports == null || transports.length != 1 || !transports[0].canAwait())
        {
            return false;
        }
        long waitNs = Math.min(maxWaitNs, TimeUnit.MILLISECONDS.toNanos(nextHousekeepingMs - nowMs));
        if (transactions.activeCount() > 0)
        {
            waitNs = Math.min(waitNs, timerTickNs);
        }
        if (waitNs > 0)
        {
            wakeup.prepareToWait();
            try
            {
                inboundInterface = 0;
                cycleMessages = 0;
                wokenHandler.clockRead = false;
                transports[0].await(wokenHandler, POLL_LIMIT, waitNs, queuedWork);
            }
            finally
            {
                wakeup.doneWaiting();
            }
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        if (transports != null)
        {
            CloseHelper.closeAll(transports);
        }
        transactions.close();
    }

    /**
     * Give this agent the NAT keep-alives of the flows it owns; set before the agent starts.
     *
     * @param keepAlive pings NATed contacts through this agent's sockets and connections.
     * @return this for fluent use.
     */
    public SipAgent natKeepAlive(final NatKeepAlive keepAlive)
    {
        this.keepAlive = keepAlive;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public boolean ownsKeepAliveFlow(final int transport, final long agentIndex, final long connectionId)
    {
        if (transport == TransportProtocol.UDP)
        {
            // Any agent's socket shares the port; the registering agent pings (or agent 0 for a former agent).
            return (agentIndex < agents.length ? agentIndex : 0) == index;
        }
        final int owner = SipTransport.agentIndexOf(rawConnection(transport, connectionId));
        return (owner < agents.length ? owner : 0) == index;
    }

    /**
     * {@inheritDoc}
     */
    public boolean sendKeepAlive(
        final long remoteId,
        final int transport,
        final long connectionId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int localInterface = interfaceOf(transport, connectionId);
        if (localInterface >= transports.length || transport != TransportProtocol.UDP &&
            !transports[localInterface].isOpen(rawConnection(transport, connectionId)))
        {
            return false;
        }
        return send(remoteId, transport, connectionId, buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public DirectBuffer keepAliveSentBy(final int transport, final long connectionId)
    {
        final int localInterface = interfaceOf(transport, connectionId);
        return transports[localInterface < transports.length ? localInterface : 0].advertisedSentBy();
    }

    /**
     * @return the bound SIP port, 0 until agent 0 has opened it.
     */
    public int boundPort()
    {
        return boundPort;
    }

    /**
     * @return why opening the transport failed, or null.
     */
    public Throwable startFailure()
    {
        return startFailure;
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long remoteId,
        final int transport,
        final long connectionId)
    {
        if (connectionId == SipTransport.AGENT_SOCKET && transport == TransportProtocol.UDP)
        {
            agentSocketMessages++;
        }
        else
        {
            cycleMessages++;
        }
        if (isKeepAlive(buffer, offset, length))
        {
            return;
        }
        final long taggedConnection = tag(inboundInterface, transport, connectionId);
        // The owner decodes what it is handed, so a message for another agent is only scanned for its Call-ID.
        final long callId = agents.length > 1 ? CallIdLocator.locate(buffer, offset, length) : CallIdLocator.NOT_FOUND;
        final int owner;
        if (callId != CallIdLocator.NOT_FOUND)
        {
            owner = ownership.ownerOf(buffer, CallIdLocator.offset(callId), CallIdLocator.length(callId));
        }
        else
        {
            wrap(buffer, offset, length);
            owner = agents.length > 1 && decoder.callIdLength() > 0 ?
                ownership.ownerOf(buffer, decoder.callIdOffset(), decoder.callIdLength()) : index;
        }
        if (owner != index)
        {
            if (agents[owner].inbox.offer(buffer, offset, length, remoteId, transport, taggedConnection))
            {
                handedOver++;
            }
            return;
        }
        if (callId != CallIdLocator.NOT_FOUND)
        {
            wrap(buffer, offset, length);
        }
        process(remoteId, transport, taggedConnection);
    }

    /**
     * A TCP connection opened for a send could not be established: the client transactions that sent over it fail
     * now (503 from their branch, RFC 3261 §16.7) rather than after timer B or F.
     */
    public void onConnectFailed(final long remoteId, final long connectionId)
    {
        transactions.onConnectFailed(remoteId, TransportProtocol.TCP,
            tag(inboundInterface, TransportProtocol.TCP, connectionId),
            tag(inboundInterface, TransportProtocol.TCP, SipTransport.NO_CONNECTION));
    }

    /**
     * {@inheritDoc}
     */
    public void onHandover(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long remoteId,
        final int transport,
        final long connectionId)
    {
        inboundInterface = interfaceOf(transport, connectionId);
        wrap(buffer, offset, length);
        process(remoteId, transport, connectionId);
    }

    /**
     * {@inheritDoc}
     */
    public boolean send(
        final long remoteId,
        final int transport,
        final long connectionId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final boolean sent;
        final long rawConnection = rawConnection(transport, connectionId);
        final int owner = SipTransport.agentIndexOf(rawConnection);
        if (transport != TransportProtocol.UDP && rawConnection != SipTransport.NO_CONNECTION && owner != index &&
            owner < agents.length)
        {
            sent = agents[owner].sendInbox.offer(buffer, offset, length, remoteId, transport, connectionId);
        }
        else
        {
            sent = transports[interfaceOf(transport, connectionId)].send(
                remoteId, transport, rawConnection, buffer, offset, length);
        }
        if (sent)
        {
            counters.onOut(buffer, offset, length);
        }
        else
        {
            sendFailures++;
        }
        return sent;
    }

    /**
     * {@inheritDoc}
     */
    public void onClientTimeout(final long txId)
    {
        onBranchFailure(txId, SipStatus.REQUEST_TIMEOUT);
    }

    /**
     * {@inheritDoc}
     */
    public void onServerTimeout(final long txId)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onTransportError(final long txId)
    {
        onBranchFailure(txId, SipStatus.SERVICE_UNAVAILABLE);
    }

    /**
     * {@inheritDoc}
     */
    public void onTerminated(final long txId)
    {
        final int rec = record(txId);
        serverOfClient[rec] = TransactionLayer.NULL_ID;
        final ProxiedRequest request = requestOf(txId);
        if (request != null)
        {
            freeRequest(request);
        }
        requestOfServer[rec] = -1;
    }

    /**
     * A proxied request still answering (branches pending) keeps its server transaction in full.
     */
    public boolean isHeld(final long txId)
    {
        return requestOf(txId) != null;
    }

    /**
     * Timer C of a proxied INVITE (RFC 3261 §16.8): the cookie is its server transaction id.
     *
     * @param cookie the server transaction id.
     */
    public void onTimer(final long cookie)
    {
        final ProxiedRequest request = requestOf(cookie);
        if (request == null)
        {
            return;
        }
        request.timerId = TransactionLayer.NULL_ID;
        final ResponseContext context = request.response;
        for (int branch = context.pollExpired(nowMs); branch >= 0; branch = context.pollExpired(nowMs))
        {
            context.moreTargets(request.hasMoreTargets(SipStatus.REQUEST_TIMEOUT));
            final int action = context.onTimerC(branch, nowMs);
            if ((action & ResponseContext.CANCEL_THIS) == 0)
            {
                releaseBackend(request, branch);
            }
            if (!act(request, action, branch, 0, 0))
            {
                return;
            }
        }
        scheduleTimerC(request);
    }

    /**
     * {@inheritDoc}
     */
    public SipMessageDecoder sentInvite(final int branch)
    {
        return transactions.wrapMessage(cancelling.clients[branch], localDecoder) ? localDecoder : emptyDecoder;
    }

    /**
     * {@inheritDoc}
     */
    public void sendCancel(final int branch, final DirectBuffer buffer, final int offset, final int length)
    {
        final long client = cancelling.clients[branch];
        final long cancelTx = transactions.startClient(buffer, offset, length, transactions.remoteId(client),
            transactions.transport(client), transactions.connectionId(client), nowMs);
        if (cancelTx >= 0)
        {
            serverOfClient[record(cancelTx)] = TransactionLayer.NULL_ID;
        }
    }

    private void process(final long remoteId, final int transport, final long connectionId)
    {
        final boolean isRequest = decoder.isRequest();
        final boolean ok = decoder.result() == SipMessageDecoder.OK;
        if (ok)
        {
            counters.onIn(isRequest, decoder.method(), decoder.statusCode());
        }
        if (!isRequest && (ok || looksLikeResponse()))
        {
            if (!ok)
            {
                malformedResponses++;
                return;
            }
            onResponse();
            return;
        }
        source(remoteId);
        sourceRemote = remoteId;
        if (!ok)
        {
            counters.dropMalformedRequest.incrementRelease();
            respondStatelessly(remoteId, transport, connectionId);
            return;
        }
        onRequest(remoteId, transport, connectionId);
    }

    private void onRequest(final long remoteId, final int transport, final long connectionId)
    {
        final long responseRemote = responseRemoteOf(remoteId, transport);
        if (transport != TransportProtocol.UDP && connectionId != SipTransport.NO_CONNECTION)
        {
            aliasConnection(connectionId);
        }
        if (overload.isShedding() && isSheddable() && !transactions.matchesServer(decoder))
        {
            final int decision = overload.admit();
            if (decision != OverloadDetector.ADMIT)
            {
                if (decision == OverloadDetector.REJECT)
                {
                    rejectBusy(responseRemote, transport, connectionId, overload.retryAfterSeconds(), shedTag,
                        shedTagLength);
                }
                return;
            }
        }
        if (decoder.method() == SipMethod.INVITE)
        {
            transactions.tryingTopVia(receivedVia.buffer(), receivedVia.fill(decoder, source));
        }
        else
        {
            transactions.tryingTopVia(null, -1);
        }
        final int result = transactions.onRequest(decoder, responseRemote, transport, connectionId, nowMs);
        switch (result)
        {
            case TransactionResult.NEW:
                onNewRequest(transactions.transactionId(), responseRemote, transport, connectionId);
                break;
            case TransactionResult.NO_MATCH:
                if (isShedAck())
                {
                    shedAcks++;
                    break;
                }
                forwardStatelessly(transport);
                break;
            case TransactionResult.ACK_FOR_2XX:
                forwardStatelessly(transport);
                break;
            case TransactionResult.CANCEL_MATCHED:
                onCancel(transactions.transactionId(), transactions.invitedTransactionId());
                break;
            case TransactionResult.CANCEL_NO_MATCH:
                respondLocally(transactions.transactionId(), decoder, SipStatus.CALL_DOES_NOT_EXIST,
                    NO_TRANSACTION);
                break;
            case TransactionResult.TABLE_FULL:
                tableFull++;
                if (decoder.to().hasTag() && decoder.method() != SipMethod.INVITE)
                {
                    // Shed new calls, not established ones: an in-dialog request (BYE, ...) still passes, statelessly.
                    forwardStatelessly(transport);
                }
                else if (decoder.method() != SipMethod.ACK)
                {
                    rejectBusy(responseRemote, transport, connectionId, RETRY_AFTER_SECONDS, tag,
                        tags.writeTag(tag, 0));
                }
                break;
            case TransactionResult.INVALID:
                respondStatelessly(responseRemote, transport, connectionId);
                break;
            default:
                break;
        }
    }

    /**
     * Overload control sheds new work only: an INVITE or REGISTER outside a dialog (no To tag).
     */
    private boolean isSheddable()
    {
        final int method = decoder.method();
        return (method == SipMethod.INVITE || method == SipMethod.REGISTER) && !decoder.to().hasTag();
    }

    /**
     * An ACK for a 503 this agent sent statelessly while shedding: it carries the shed To tag and ends there.
     */
    private boolean isShedAck()
    {
        final NameAddrDecoder to = decoder.to();
        return decoder.method() == SipMethod.ACK && to.hasTag() &&
            SipBytes.rangesEqualExact(decoder.buffer(), to.tagOffset(), to.tagLength(), shedTag, 0, shedTagLength);
    }

    /**
     * Answer 503 with Retry-After statelessly: no transaction is kept for a request turned away.
     */
    private void rejectBusy(
        final long responseRemote,
        final int transport,
        final long connectionId,
        final long retryAfterSeconds,
        final DirectBuffer toTag,
        final int toTagLength)
    {
        final int length = answering(decoder, source).withRetryAfter(retryAfterSeconds).buildResponse(
            decoder, SipStatus.SERVICE_UNAVAILABLE, BUSY, toTag, 0, toTagLength, out, 0);
        if (length > 0)
        {
            send(responseRemote, transport, connectionId, out, 0, length);
        }
    }

    private void onNewRequest(
        final long serverTx, final long responseRemote, final int transport, final long connectionId)
    {
        authenticatedRequest = false;
        if (authenticator != null && needsAuthentication() && !authenticate(serverTx))
        {
            return;
        }
        proxy.authenticated(authenticatedRequest);
        final int action = proxy.onRequest(
            decoder, source, transport, inboundInterface, ForwardingEditor.STATEFUL, out, 0);
        if ((action == ProxyCore.LOCAL || action == ProxyCore.FORWARD) && isRoutedByPolicy(action))
        {
            route(serverTx, responseRemote, transport, connectionId, action == ProxyCore.LOCAL);
            return;
        }
        switch (action)
        {
            case ProxyCore.RESPOND:
                transactions.respond(serverTx, out, 0, proxy.length(), proxy.status(), nowMs);
                break;
            case ProxyCore.LOCAL:
                onLocalRequest(serverTx, responseRemote, transport, connectionId, RoutingDecision.DEFAULT);
                break;
            case ProxyCore.FORWARD:
                forwardAsAddressed(serverTx, responseRemote, transport);
                break;
            default:
                transactions.release(serverTx);
                break;
        }
    }

    /**
     * The routing policy decides for a request outside a dialog whose target is its Request-URI: no To tag, and no
     * Route left but this member's (a preloaded Route to elsewhere is followed as addressed).
     */
    private boolean isRoutedByPolicy(final int action)
    {
        return !decoder.to().hasTag() && (action == ProxyCore.LOCAL || decoder.firstIndexOf(HeaderName.ROUTE) < 0);
    }

    /**
     * Carry out the first matching rule of the backends file (docs/backends.md): the registrar and location
     * service, a backend set, forwarding as addressed, or a rejection.
     *
     * @param ownDomain true if the Request-URI names a domain this member serves.
     */
    private void route(
        final long serverTx,
        final long responseRemote,
        final int transport,
        final long connectionId,
        final boolean ownDomain)
    {
        final RoutingDecision decision = decide();
        switch (decision.action())
        {
            case RoutingDecision.SET:
                toBackends(serverTx, responseRemote, transport, decision.setId());
                break;
            case RoutingDecision.REJECT:
                respondLocally(serverTx, decoder, decision.status(), null);
                break;
            case RoutingDecision.FORWARD:
                if (ownDomain)
                {
                    onLocalRequest(serverTx, responseRemote, transport, connectionId, RoutingDecision.DEFAULT);
                }
                else
                {
                    forwardAsAddressed(serverTx, responseRemote, transport);
                }
                break;
            default:
                if (ownDomain)
                {
                    onLocalRequest(serverTx, responseRemote, transport, connectionId, decision);
                }
                else
                {
                    onUnknownTarget(serverTx, responseRemote, transport, decision, false);
                }
                break;
        }
    }

    /**
     * The fallback of a {@code local} rule for a Request-URI that is not a user the registrar knows.
     */
    private void onUnknownTarget(
        final long serverTx,
        final long responseRemote,
        final int transport,
        final RoutingDecision decision,
        final boolean ownDomain)
    {
        switch (decision.fallback())
        {
            case RoutingDecision.SET:
                toBackends(serverTx, responseRemote, transport, decision.fallbackSetId());
                break;
            case RoutingDecision.REJECT:
                respondLocally(serverTx, decoder, decision.status(), null);
                break;
            default:
                if (ownDomain)
                {
                    respondLocally(serverTx, decoder, SipStatus.NOT_FOUND, NO_USER_HERE);
                }
                else
                {
                    forwardAsAddressed(serverTx, responseRemote, transport);
                }
                break;
        }
    }

    private RoutingDecision decide()
    {
        // The decoder validated the Request-URI of the request it accepted and keeps it wrapped.
        final SipUriDecoder requestUri = decoder.requestUri();
        return dispatcher.policy().decide(decoder.method(), decoder.buffer(), requestUri.hostOffset(),
            requestUri.hostLength(), requestUri.userOffset(), requestUri.hasUser() ? requestUri.userLength() : 0);
    }

    private void forwardAsAddressed(final long serverTx, final long responseRemote, final int transport)
    {
        // A request on a dialog we record-routed must find it; one that names the UAS directly (a UA that
        // ignored Record-Route, or a dialog we did not route) updates its dialog when we have one.
        if (dialogs.onInDialogRequest(decoder, nowMs) == DialogTracker.NOT_FOUND && proxy.isRoutedHere())
        {
            noDialog++;
            respondLocally(serverTx, decoder, SipStatus.CALL_DOES_NOT_EXIST, null);
            return;
        }
        forward(serverTx, responseRemote, transport, remoteIdOf(proxy.nextHop().address()),
            proxy.nextHop().transport(), SipTransport.NO_CONNECTION);
    }

    /**
     * Send a new request to a backend of a set picked by the {@link Dispatcher}; after 408, 5xx or a timeout the
     * next backend is tried (serial failover); 503 with Retry-After when none is available.
     */
    private void toBackends(final long serverTx, final long responseRemote, final int transport, final int setId)
    {
        final ProxiedRequest request = beginProxying(serverTx, responseRemote, transport);
        request.targetKind = ProxiedRequest.TARGET_BACKENDS;
        request.setId = setId;
        request.resource = request.invite ? dispatcher.resourceOf(setId) : Dispatcher.NONE;
        if (startNextBackend(request, decoder) == 0)
        {
            // None up, all at their maximum, or every send failed.
            freeRequest(request);
            respondUnavailable(serverTx, decoder);
            return;
        }
        scheduleTimerC(request);
    }

    private int startNextBackend(final ProxiedRequest request, final SipMessageDecoder received)
    {
        final int hashKey = dispatcher.hashKeyOf(request.setId);
        DirectBuffer key = null;
        int keyOffset = 0;
        int keyLength = 0;
        if (hashKey == DispatchAlgorithm.HASH_CALL_ID)
        {
            key = received.buffer();
            keyOffset = received.callIdOffset();
            keyLength = received.callIdLength();
        }
        else if (hashKey == DispatchAlgorithm.HASH_FROM_USER &&
            targetUri.wrap(received.buffer(), received.from().uriOffset(), received.from().uriLength()))
        {
            key = received.buffer();
            keyOffset = targetUri.userOffset();
            keyLength = targetUri.hasUser() ? targetUri.userLength() : 0;
        }
        while (true)
        {
            final int backend = dispatcher.next(
                request.setId, Dispatcher.SET_RESOURCE, key, keyOffset, keyLength, request.triedBackends);
            if (backend == Dispatcher.NONE)
            {
                return 0;
            }
            request.triedBackends |= 1L << backend;
            final boolean counted = request.resource >= 0;
            if (counted && !dispatcher.onCallStarted(backend, request.resource))
            {
                continue;
            }
            if (dispatcher.address(backend, targetAddress) && startBranch(request, received, null, 0, 0,
                targetAddress, orUdp(dispatcher.transport(backend)), SipTransport.NO_CONNECTION))
            {
                request.branchBackend[startedBranch] = backend;
                request.branchCounted[startedBranch] = counted;
                dispatch.counters().backendRequests.increment();
                return 1;
            }
            if (counted)
            {
                dispatcher.onCallEnded(backend, request.resource);
            }
        }
    }

    /**
     * Fork to the contacts kept in the request: all of them, or in serial mode the next group of equal q
     * (RFC 3261 §16.6).
     *
     * @return branches started.
     */
    private int startContacts(final ProxiedRequest request, final SipMessageDecoder received)
    {
        int started = 0;
        while (started == 0)
        {
            final int group = request.nextContactGroup();
            if (group == 0)
            {
                return 0;
            }
            for (int i = 0; i < group; i++)
            {
                final int contact = request.nextContact++;
                if (startBranch(request, received, request.contactUris, ProxiedRequest.contactUriOffset(contact),
                    request.contactUriLength[contact], request.contactAddress[contact],
                    request.contactTransport[contact], request.contactConnection[contact]))
                {
                    started++;
                }
            }
        }
        return started;
    }

    /**
     * Start one client branch of a proxied request to a chosen target.
     *
     * @return true if started; {@link #startedBranch} is its index.
     */
    private boolean startBranch(
        final ProxiedRequest request,
        final SipMessageDecoder received,
        final DirectBuffer uri,
        final int uriOffset,
        final int uriLength,
        final PeerAddress destination,
        final int transport,
        final long connectionId)
    {
        if (!request.response.canAddBranch() ||
            proxy.forwardTo(received, request.source, request.callerTransport, request.inboundInterface, uri,
            uriOffset, uriLength, destination, transport, ForwardingEditor.STATEFUL, targetOut, 0) != ProxyCore.FORWARD)
        {
            return false;
        }
        final long remote = remoteIdOf(destination);
        final long clientTx = remote == RemoteAddressTable.NO_REMOTE ? TransactionLayer.START_SEND_FAILED :
            transactions.startClient(targetOut, 0, proxy.length(), received.method(), received.buffer(),
            received.methodOffset(), received.methodLength(), proxy.branch(), 0, MemberIdCodec.BRANCH_LENGTH,
            remote, transport, connectionId != SipTransport.NO_CONNECTION ? connectionId :
            outbound(transport), nowMs);
        if (clientTx < 0)
        {
            branchStartFailure = clientTx;
            return false;
        }
        startedBranch = request.response.addBranch(nowMs);
        request.clients[startedBranch] = clientTx;
        serverOfClient[record(clientTx)] = request.serverTxId;
        return true;
    }

    /**
     * Start the next serial targets of a request after {@link ResponseContext#NEXT_TARGET}, from its copy.
     *
     * @return branches started.
     */
    private int startNextTargets(final ProxiedRequest request)
    {
        if (targetDecoder.wrap(request.request, 0, request.requestLength) != SipMessageDecoder.OK)
        {
            return 0;
        }
        final int started;
        if (request.targetKind == ProxiedRequest.TARGET_BACKENDS)
        {
            started = startNextBackend(request, targetDecoder);
            if (started > 0)
            {
                dispatch.counters().failovers.increment();
            }
        }
        else
        {
            started = request.targetKind == ProxiedRequest.TARGET_CONTACTS ? startContacts(request, targetDecoder) : 0;
        }
        if (started > 0 && request.invite)
        {
            scheduleTimerC(request);
        }
        return started;
    }

    private ProxiedRequest beginProxying(final long serverTx, final long callerRemote, final int callerTransport)
    {
        final ProxiedRequest request = allocateRequest();
        request.start(serverTx, decoder, decoder.method() == SipMethod.INVITE, callerRemote, callerTransport);
        request.source.set(source);
        request.inboundInterface = inboundInterface;
        requestOfServer[record(serverTx)] = request.poolIndex;
        return request;
    }

    /**
     * A backend call that failed (final non-2xx, timeout, send failure) gives its channel back; one answered 2xx
     * keeps it until its dialog ends ({@link BackendCalls}).
     */
    private void releaseBackend(final ProxiedRequest request, final int branch)
    {
        if (branch >= 0 && request.branchCounted[branch])
        {
            request.branchCounted[branch] = false;
            dispatcher.onCallEnded(request.branchBackend[branch], request.resource);
        }
    }

    private void respondUnavailable(final long serverTx, final SipMessageDecoder request)
    {
        dispatch.counters().noBackend.increment();
        if (dispatch.retryAfterSeconds() > 0)
        {
            responseBuilder.withRetryAfter(dispatch.retryAfterSeconds());
        }
        respondLocally(serverTx, request, SipStatus.SERVICE_UNAVAILABLE, NO_BACKEND);
    }

    /**
     * A request for this member: a REGISTER for the registrar, anything else for one of its users (RFC 3261 §16.5):
     * forked to the user's contacts (in parallel, or by descending q in serial mode), each at the source it
     * registered from, so NATed users are reached; 480 when the user has no binding; the rule's fallback (404 by
     * default) when the user is unknown.
     */
    private void onLocalRequest(
        final long serverTx,
        final long responseRemote,
        final int transport,
        final long connectionId,
        final RoutingDecision decision)
    {
        if (decoder.method() == SipMethod.REGISTER)
        {
            if (authenticatedRequest && !isOwnAddressOfRecord())
            {
                respondLocally(serverTx, decoder, SipStatus.FORBIDDEN, NOT_YOUR_AOR);
                return;
            }
            final int length =
                registrar.onRegister(decoder, source, transport, index, connectionId, nowMs, localOut, 0);
            if (length > 0)
            {
                transactions.respond(serverTx, localOut, 0, length, registrar.status(), nowMs);
            }
            else
            {
                respondLocally(serverTx, decoder, SipStatus.SERVER_INTERNAL_ERROR, null);
            }
            return;
        }
        // An in-dialog request from a UA that ignored Record-Route names the user again: its dialog still moves on.
        final int dialog = dialogs.onInDialogRequest(decoder, nowMs);
        if (dialog != DialogTracker.FOUND && needsAuthenticationWithoutDialog() && !authenticate(serverTx))
        {
            return;
        }
        final int found = lookUp();
        if (found == LocationService.UNKNOWN_USER)
        {
            onUnknownTarget(serverTx, responseRemote, transport, decision, true);
            return;
        }
        if (found != LocationService.FOUND)
        {
            respondLocally(serverTx, decoder, SipStatus.TEMPORARILY_UNAVAILABLE, null);
            return;
        }
        final ProxiedRequest request = beginProxying(serverTx, responseRemote, transport);
        request.targetKind = ProxiedRequest.TARGET_CONTACTS;
        request.serialForking = dispatch.isSerialForking();
        // An in-dialog request naming the user (its UA ignored Record-Route) goes to the best contact only.
        final int contacts = decoder.to().hasTag() ? 1 : location.count();
        int deadFlows = 0;
        for (int rank = 0; rank < contacts; rank++)
        {
            contactAddressOf(rank);
            final int contactTransport = orUdp(location.transport(rank));
            long contactConnection = contactTransport != TransportProtocol.UDP &&
                location.agentIndex(rank) == index ? location.connectionId(rank) : SipTransport.NO_CONNECTION;
            if (rawConnection(contactTransport, contactConnection) != SipTransport.NO_CONNECTION &&
                !isOpen(contactConnection))
            {
                if (location.regId(rank) > 0 && location.instanceLength(rank) > 0)
                {
                    // RFC 5626 §5.3: a dead flow is never replaced by a new connection; the UA registers a new one.
                    registrar.removeBinding(decoder.requestUri(), location.buffer(), location.uriOffset(rank),
                        location.uriLength(rank), nowMs);
                    deadFlows++;
                    continue;
                }
                contactConnection = SipTransport.NO_CONNECTION;
            }
            final int q = location.q(rank);
            request.addContact(location.buffer(), location.uriOffset(rank), location.uriLength(rank),
                q == RegistrationDescriptor.Q_NONE ? Q_DEFAULT : q, contactAddress, contactTransport,
                contactConnection);
        }
        if (deadFlows > 0 && request.contactCount == 0)
        {
            freeRequest(request);
            respondLocally(serverTx, decoder, SipStatus.FLOW_FAILED, null);
            return;
        }
        branchStartFailure = 0;
        if (startContacts(request, decoder) == 0)
        {
            freeRequest(request);
            respondLocally(serverTx, decoder, branchStartFailure == TransactionLayer.START_TABLE_FULL ?
                SipStatus.SERVICE_UNAVAILABLE : SipStatus.SERVER_INTERNAL_ERROR, null);
            return;
        }
        if (request.invite)
        {
            scheduleTimerC(request);
        }
    }

    /**
     * REGISTER and requests that start something from a source outside the trusted networks are authenticated
     * (RFC 3261 §22); ACK and CANCEL never are (they cannot be challenged), nor are in-dialog requests.
     */
    private boolean needsAuthentication()
    {
        final int method = decoder.method();
        if (method == SipMethod.REGISTER)
        {
            return true;
        }
        return !decoder.to().hasTag() && isChallengeableUntrusted();
    }

    /**
     * RFC 3261 §22.1: a proxy may challenge any request but ACK and CANCEL; trusted sources are not challenged.
     */
    private boolean isChallengeableUntrusted()
    {
        final int method = decoder.method();
        return method != SipMethod.ACK && method != SipMethod.CANCEL &&
            !proxyContext.trustedNetworks().contains(source);
    }

    /**
     * A request with a To tag that names a local user but belongs to no dialog of ours is new in all but name: from
     * an untrusted source it is authenticated before the location service answers, so that a made-up tag neither
     * reaches a user nor tells an unknown user (404) from one not registered (480); RFC 3261 §22.1 lets a proxy
     * challenge any request but ACK and CANCEL.
     */
    private boolean needsAuthenticationWithoutDialog()
    {
        return authenticator != null && !authenticatedRequest && isChallengeableUntrusted();
    }

    /**
     * Check the request's digest credentials; unless they are valid, answer it: a challenge, or for a source over its
     * failure limit 403 or nothing.
     *
     * @return true if the request goes on, authenticated.
     */
    private boolean authenticate(final long serverTx)
    {
        final int headerId = DigestAuthenticator.credentialsHeader(decoder.method());
        final int outcome = authenticator.check(decoder, headerId, sourceRemote, nowMs);
        if (outcome == DigestAuthenticator.RATE_LIMITED)
        {
            if (dropWhenLimited)
            {
                transactions.release(serverTx);
            }
            else
            {
                respondLocally(serverTx, decoder, SipStatus.FORBIDDEN, null);
            }
            return false;
        }
        if (outcome != DigestAuthenticator.OK)
        {
            final int status = authenticator.addChallenge(
                responseBuilder, headerId, outcome == DigestAuthenticator.STALE, nowMs);
            respondLocally(serverTx, decoder, status, null);
            return false;
        }
        authenticatedRequest = true;
        return true;
    }

    /**
     * An authenticated user registers only its own address-of-record: the To user must be the digest user name.
     */
    private boolean isOwnAddressOfRecord()
    {
        final NameAddrDecoder to = decoder.to();
        if (!toUri.wrap(decoder.buffer(), to.uriOffset(), to.uriLength()))
        {
            return false;
        }
        final int length = toUri.userLength();
        if (length != authenticator.userLength())
        {
            return false;
        }
        final DirectBuffer user = authenticator.userBuffer();
        for (int i = 0; i < length; i++)
        {
            if (decoder.buffer().getByte(toUri.userOffset() + i) != user.getByte(authenticator.userOffset() + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Look up the best contact of the Request-URI's user into {@link #location} and {@link #contactAddress}.
     *
     * @return {@link LocationService#FOUND}, {@link LocationService#NOT_REGISTERED} or
     * {@link LocationService#UNKNOWN_USER}.
     */
    private int lookUpContact()
    {
        final int found = lookUp();
        if (found == LocationService.FOUND)
        {
            contactAddressOf(0);
        }
        return found;
    }

    /**
     * Look up the contacts of the Request-URI's user into {@link #location}, best first.
     *
     * @return {@link LocationService#FOUND} (at least one contact), {@link LocationService#NOT_REGISTERED} or
     * {@link LocationService#UNKNOWN_USER}.
     */
    private int lookUp()
    {
        final int found = locationService.lookup(decoder.requestUri(), nowMs, location);
        return found == LocationService.FOUND && location.count() == 0 ? LocationService.NOT_REGISTERED : found;
    }

    /**
     * Where to reach the contact of a rank of {@link #location}, into {@link #contactAddress}.
     */
    private void contactAddressOf(final int rank)
    {
        if (location.addressFamily(rank) == RegistrationDescriptor.ADDRESS_FAMILY_IPV6)
        {
            contactAddress.ipv6(location.ipv6High(rank), location.ipv6Low(rank), location.port(rank));
        }
        else
        {
            contactAddress.ipv4(location.ipv4(rank), location.port(rank));
        }
        // A UA that knows the address it registered from (Contact host = that source's IP) is reached at its
        // Contact, whatever port it names (e.g. a separate receiving socket); any other Contact (a private
        // address behind NAT, a host name) is reached through the source the REGISTER came from.
        final DirectBuffer buffer = location.buffer();
        if (contactUri.wrap(buffer, location.uriOffset(rank), location.uriLength(rank)) &&
            contactAddress.sameHost(buffer, contactUri.hostOffset(), contactUri.hostLength()))
        {
            contactAddress.port(contactUri.port() > 0 ? contactUri.port() : DEFAULT_PORT);
        }
    }

    private void forward(
        final long serverTx,
        final long callerRemote,
        final int callerTransport,
        final long hopRemote,
        final int transport,
        final long hopConnection)
    {
        final int hopTransport = orUdp(transport);
        final ProxiedRequest request = allocateRequest();
        final boolean invite = decoder.method() == SipMethod.INVITE;
        request.start(serverTx, decoder, invite, callerRemote, callerTransport);
        final int branch = request.response.addBranch(nowMs);
        final long clientTx = hopRemote == RemoteAddressTable.NO_REMOTE ? TransactionLayer.START_SEND_FAILED :
            transactions.startClient(out, 0, proxy.length(), decoder.method(), decoder.buffer(),
            decoder.methodOffset(), decoder.methodLength(), proxy.branch(), 0, MemberIdCodec.BRANCH_LENGTH,
            hopRemote, hopTransport, hopConnection != SipTransport.NO_CONNECTION ? hopConnection :
            outbound(hopTransport), nowMs);
        if (clientTx < 0)
        {
            freeRequest(request);
            if (clientTx == TransactionLayer.START_TABLE_FULL && !invite && decoder.to().hasTag())
            {
                // As when the table is full on arrival: an established call must still hang up.
                transactions.release(serverTx);
                forwardStatelessly(callerTransport);
                return;
            }
            respondLocally(serverTx, decoder, clientTx == TransactionLayer.START_TABLE_FULL ?
                SipStatus.SERVICE_UNAVAILABLE : SipStatus.SERVER_INTERNAL_ERROR, null);
            return;
        }
        requestOfServer[record(serverTx)] = request.poolIndex;
        serverOfClient[record(clientTx)] = serverTx;
        request.clients[branch] = clientTx;
        if (invite)
        {
            scheduleTimerC(request);
        }
    }

    private void onCancel(final long cancelTx, final long inviteTx)
    {
        final ProxiedRequest request = requestOf(inviteTx);
        int length;
        if (request != null)
        {
            request.response.cancel();
            cancelling = request;
            length = cancelHandler.onCancel(decoder, request.response, this, answering(decoder, source), out, 0);
            cancelling = null;
        }
        else
        {
            length = answering(decoder, source).buildResponse(decoder, SipStatus.OK, null, null, 0, -1, out, 0);
        }
        if (length > 0)
        {
            transactions.respond(cancelTx, out, 0, length, SipStatus.OK, nowMs);
        }
    }

    private void onResponse()
    {
        if (keepAlive != null && keepAlive.onResponse(decoder, nowMs))
        {
            return;
        }
        final BackendProber probes = dispatch.prober();
        final ViaDecoder via = decoder.topVia();
        if (probes != null && via.hasBranch() &&
            probes.onProbeResponse(decoder.buffer(), via.branchOffset(), via.branchLength(), decoder.statusCode()))
        {
            return;
        }
        final int result = transactions.onResponse(decoder, nowMs);
        if (result == TransactionResult.FORWARD_TO_CORE)
        {
            onClientResponse(transactions.transactionId());
        }
        else if (result == TransactionResult.FORWARD_STATELESSLY)
        {
            forwardResponseStatelessly();
        }
        else if (result == TransactionResult.NO_MATCH)
        {
            // §16.7 item 3 for responses of no transaction (2xx retransmissions after the transaction ended).
            strayResponses++;
            forwardResponseStatelessly();
        }
        else if (result == TransactionResult.INVALID)
        {
            malformedResponses++;
        }
    }

    private void onClientResponse(final long clientTx)
    {
        final long serverTx = serverOfClient[record(clientTx)];
        if (serverTx == TransactionLayer.NULL_ID)
        {
            return;
        }
        final int status = decoder.statusCode();
        final ProxiedRequest request = requestOf(serverTx);
        if (!editor.wrap(decoder))
        {
            malformedResponses++;
            return;
        }
        final int route = router.route(decoder, editor);
        if (route != ResponseRouter.FORWARD && route != ResponseRouter.REPLY_ON_CONNECTION)
        {
            if (route == ResponseRouter.RELAY_TO_MEMBER)
            {
                otherMember++;
            }
            return;
        }
        final int length = editor.encode(out, 0);
        if (length < 0)
        {
            malformedResponses++;
            return;
        }
        if (request == null)
        {
            // The request's final response went upstream already: a later 2xx still goes (§16.7 item 5).
            if (!transactions.respond(serverTx, out, 0, length, status, nowMs))
            {
                sendToTarget(out, length);
            }
            return;
        }
        final int branch = request.branchOf(clientTx);
        if (request.invite)
        {
            dialogs.onInviteResponse(decoder, request.request, request.contactOffset, request.contactLength,
                request.callerRemoteId, request.callerTransport, transactions.remoteId(clientTx),
                transactions.transport(clientTx),
                branch >= 0 && request.branchCounted[branch] ? BackendCalls.dialogFlags(request.resource) : 0, nowMs);
        }
        if (status == SipStatus.UNAUTHORIZED || status == SipStatus.PROXY_AUTHENTICATION_REQUIRED)
        {
            request.response.collectChallenges(branch, decoder);
        }
        if (status >= 300)
        {
            releaseBackend(request, branch);
            request.response.moreTargets(request.hasMoreTargets(status));
        }
        else if (status >= 200 && branch >= 0)
        {
            // The dialog carries the count from here (BackendCalls).
            request.branchCounted[branch] = false;
        }
        act(request, request.response.onResponse(branch, status, out, 0, length, nowMs), branch, status, length);
    }

    /**
     * Carry out a response context's actions.
     *
     * @return false if the request is complete and was freed.
     */
    private boolean act(
        final ProxiedRequest request, final int action, final int branch, final int status, final int length)
    {
        final ResponseContext context = request.response;
        int actions = action;
        if ((actions & ResponseContext.FORWARD_THIS) != 0)
        {
            transactions.respond(request.serverTxId, out, 0, length, status, nowMs);
        }
        if ((actions & ResponseContext.NEXT_TARGET) != 0 && startNextTargets(request) == 0)
        {
            actions |= context.noMoreTargets();
        }
        if ((actions & (ResponseContext.CANCEL_PENDING | ResponseContext.CANCEL_THIS)) != 0)
        {
            cancelling = request;
            if ((actions & ResponseContext.CANCEL_THIS) != 0)
            {
                cancelHandler.cancelBranch(branch, this);
            }
            if ((actions & ResponseContext.CANCEL_PENDING) != 0)
            {
                for (int i = 0; i < context.branchCount(); i++)
                {
                    if (context.shouldCancel(i))
                    {
                        cancelHandler.cancelBranch(i, this);
                    }
                }
            }
            cancelling = null;
        }
        if ((actions & ResponseContext.FORWARD_BEST) != 0)
        {
            sendBest(request);
        }
        if (context.isComplete())
        {
            freeRequest(request);
            return false;
        }
        return true;
    }

    private void sendBest(final ProxiedRequest request)
    {
        final ResponseContext context = request.response;
        final int status = context.bestStatus();
        final boolean backendsFailed = request.targetKind == ProxiedRequest.TARGET_BACKENDS &&
            (status == SipStatus.REQUEST_TIMEOUT || (status >= 500 && status < 600));
        if (context.bestIsLocal() || backendsFailed)
        {
            if (localDecoder.wrap(request.request, 0, request.requestLength) == SipMessageDecoder.OK)
            {
                if (backendsFailed)
                {
                    respondUnavailable(request.serverTxId, localDecoder);
                }
                else
                {
                    respondLocally(request.serverTxId, localDecoder, status, null);
                }
            }
            return;
        }
        transactions.respond(
            request.serverTxId, context.bestResponse(), 0, context.bestResponseLength(), status, nowMs);
    }

    private void onBranchFailure(final long clientTx, final int status)
    {
        final long serverTx = serverOfClient[record(clientTx)];
        final ProxiedRequest request = serverTx == TransactionLayer.NULL_ID ? null : requestOf(serverTx);
        if (request != null)
        {
            final int branch = request.branchOf(clientTx);
            releaseBackend(request, branch);
            request.response.moreTargets(request.hasMoreTargets(status));
            act(request, request.response.onBranchFailure(branch, status), branch, status, 0);
        }
    }

    private void forwardStatelessly(final int transport)
    {
        final int action = proxy.onRequest(decoder, source, transport, inboundInterface, ForwardingEditor.STATELESS,
            out, 0);
        if (action == ProxyCore.LOCAL && decoder.method() == SipMethod.ACK)
        {
            // An ACK for a 2xx from a UA that ignored Record-Route names the user, not the contact: follow the
            // INVITE to the user's contact.
            if (lookUpContact() == LocationService.FOUND)
            {
                final int contactTransport = orUdp(location.transport(0));
                if (proxy.forwardTo(decoder, source, transport, inboundInterface, location.buffer(),
                    location.uriOffset(0), location.uriLength(0), contactAddress, contactTransport,
                    ForwardingEditor.STATELESS, out, 0) == ProxyCore.FORWARD)
                {
                    send(remoteIdOf(contactAddress), contactTransport,
                        outbound(contactTransport), out, 0, proxy.length());
                }
            }
            return;
        }
        if (action == ProxyCore.FORWARD)
        {
            final NextHop hop = proxy.nextHop();
            final long remote = remoteIdOf(hop.address());
            final int hopTransport =
                orUdp(hop.transport());
            if (remote != RemoteAddressTable.NO_REMOTE)
            {
                send(remote, hopTransport, outbound(hopTransport), out, 0, proxy.length());
            }
        }
    }

    private void forwardResponseStatelessly()
    {
        if (!editor.wrap(decoder))
        {
            return;
        }
        final int route = router.route(decoder, editor);
        if (route == ResponseRouter.FORWARD || route == ResponseRouter.REPLY_ON_CONNECTION)
        {
            final int length = editor.encode(out, 0);
            if (length > 0)
            {
                sendToTarget(out, length);
            }
        }
        else if (route == ResponseRouter.RELAY_TO_MEMBER)
        {
            otherMember++;
        }
    }

    private void sendToTarget(final DirectBuffer buffer, final int length)
    {
        final NextHop target = router.target();
        if (target.isResolved())
        {
            final long remote = remoteIdOf(target.address());
            if (remote != RemoteAddressTable.NO_REMOTE)
            {
                final int targetTransport =
                    orUdp(target.transport());
                send(remote, targetTransport, tag(inboundInterface, targetTransport, SipTransport.NO_CONNECTION),
                    buffer, 0, length);
            }
        }
    }

    private void respondStatelessly(final long remoteId, final int transport, final long connectionId)
    {
        if (proxy.onRequest(decoder, source, transport, inboundInterface, ForwardingEditor.STATELESS, out, 0) ==
            ProxyCore.RESPOND)
        {
            send(remoteId, transport, connectionId, out, 0, proxy.length());
        }
    }

    private void respondLocally(
        final long serverTx,
        final SipMessageDecoder request,
        final int status,
        final byte[] reason)
    {
        // Built for the request's sender, which is not the current packet's after a failover or a timer.
        addressOf(transactions.remoteId(serverTx), caller);
        final int length = answering(request, caller).buildResponse(
            request, status, reason, tag, 0, tags.writeTag(tag, 0), localOut, 0);
        if (length > 0)
        {
            transactions.respond(serverTx, localOut, 0, length, status, nowMs);
        }
    }

    private void scheduleTimerC(final ProxiedRequest request)
    {
        final long deadline = request.response.nextDeadlineMs();
        if (deadline != Long.MAX_VALUE && request.timerId == TransactionLayer.NULL_ID)
        {
            request.timerId = transactions.scheduleTimer(deadline, request.serverTxId);
        }
    }

    /**
     * RFC 5923 §5: a request whose top Via carries {@code alias} lets requests to its sent-by reuse the connection.
     */
    private void aliasConnection(final long connectionId)
    {
        final ViaDecoder via = decoder.topVia();
        if (via.parameters().find(ALIAS) >= 0 && aliasAddress.parse(
            decoder.buffer(), via.hostOffset(), via.hostLength(), via.port() >= 0 ? via.port() : DEFAULT_PORT))
        {
            final long aliasRemote = remoteIdOf(aliasAddress);
            if (aliasRemote != RemoteAddressTable.NO_REMOTE)
            {
                transports[interfaceOf(TransportProtocol.TCP, connectionId)].alias(
                    rawConnection(TransportProtocol.TCP, connectionId), aliasRemote);
            }
        }
    }

    private boolean isOpen(final long connectionId)
    {
        return transports[interfaceOf(TransportProtocol.TCP, connectionId)].isOpen(
            rawConnection(TransportProtocol.TCP, connectionId));
    }

    private long responseRemoteOf(final long remoteId, final int transport)
    {
        if (transport != TransportProtocol.UDP)
        {
            return remoteId;
        }
        final ViaDecoder via = decoder.topVia();
        if (via.rport() != ViaDecoder.RPORT_ABSENT)
        {
            return remoteId;
        }
        // RFC 3261 §18.2.2: the source address (the Via's received) with the sent-by port.
        return withPort(remoteId, via.port() >= 0 ? via.port() : DEFAULT_PORT);
    }

    private long withPort(final long remoteId, final int port)
    {
        if (RemoteAddressTable.isIpv4(remoteId))
        {
            return RemoteAddressTable.ipv4Id(RemoteAddressTable.ipv4Address(remoteId), port);
        }
        final InetSocketAddress address = remotes.socketAddress(remoteId);
        return address == null ? remoteId : remotes.intern(new InetSocketAddress(address.getAddress(), port));
    }

    private long remoteIdOf(final PeerAddress address)
    {
        if (address.family() == PeerAddress.IPV4)
        {
            return RemoteAddressTable.ipv4Id(address.ipv4(), address.port());
        }
        if (address.family() != PeerAddress.IPV6)
        {
            return RemoteAddressTable.NO_REMOTE;
        }
        final byte[] bytes = new byte[16];
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        view.putLong(0, address.ipv6High(), ByteOrder.BIG_ENDIAN);
        view.putLong(8, address.ipv6Low(), ByteOrder.BIG_ENDIAN);
        try
        {
            return remotes.intern(new InetSocketAddress(InetAddress.getByAddress(bytes), address.port()));
        }
        catch (final UnknownHostException ex)
        {
            return RemoteAddressTable.NO_REMOTE;
        }
    }

    private void source(final long remoteId)
    {
        addressOf(remoteId, source);
    }

    private void addressOf(final long remoteId, final PeerAddress address)
    {
        if (remoteId == TransactionLayer.NULL_ID)
        {
            address.clear();
            return;
        }
        if (RemoteAddressTable.isIpv4(remoteId))
        {
            address.ipv4(RemoteAddressTable.ipv4Address(remoteId), RemoteAddressTable.ipv4Port(remoteId));
            return;
        }
        final InetSocketAddress socketAddress = remotes.socketAddress(remoteId);
        if (socketAddress == null)
        {
            address.clear();
            return;
        }
        final UnsafeBuffer view = new UnsafeBuffer(socketAddress.getAddress().getAddress());
        if (view.capacity() == 16)
        {
            address.ipv6(view.getLong(0, ByteOrder.BIG_ENDIAN), view.getLong(8, ByteOrder.BIG_ENDIAN),
                socketAddress.getPort());
        }
        else
        {
            address.ipv4(view.getInt(0, ByteOrder.BIG_ENDIAN), socketAddress.getPort());
        }
    }

    /**
     * The response builder with the request's top Via as its sender sent it, {@code rport} and {@code received}
     * filled in (RFC 3581 §4, RFC 3261 §18.2.1), so a UA behind a NAT learns its public address from any answer.
     */
    private SipResponseBuilder answering(final SipMessageDecoder request, final PeerAddress sender)
    {
        final int topViaLength = receivedVia.fill(request, sender);
        if (topViaLength > 0)
        {
            responseBuilder.withTopVia(receivedVia.buffer(), 0, topViaLength);
        }
        return responseBuilder;
    }

    private void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        packetBuffer = buffer;
        packetOffset = offset;
        packetLength = length;
        decoder.wrap(buffer, offset, length);
    }

    private boolean looksLikeResponse()
    {
        final DirectBuffer buffer = packetBuffer;
        final int offset = packetOffset;
        return packetLength > 4 && buffer.getByte(offset) == 'S' && buffer.getByte(offset + 1) == 'I' &&
            buffer.getByte(offset + 2) == 'P' && buffer.getByte(offset + 3) == '/';
    }

    private static boolean isKeepAlive(final DirectBuffer buffer, final int offset, final int length)
    {
        // RFC 5626 §3.5.1 CRLF keep-alives (and a lone NUL some NAT pingers send) carry no message.
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b != '\r' && b != '\n' && b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private void onSendHandover(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long remoteId,
        final int transport,
        final long connectionId)
    {
        if (!transports[interfaceOf(transport, connectionId)].send(
            remoteId, transport, rawConnection(transport, connectionId), buffer, offset, length))
        {
            sendFailures++;
        }
    }

    private int housekeeping()
    {
        nextHousekeepingMs = nowMs + HOUSEKEEPING_INTERVAL_MS;
        int work = 1;
        counters.retransmissions.setRelease(transactions.retransmissionCount());
        counters.absorbed.setRelease(transactions.absorbedCount());
        counters.clientTimeouts.setRelease(transactions.clientTimeoutCount());
        counters.serverTimeouts.setRelease(transactions.serverTimeoutCount());
        counters.transactionTableFull.setRelease(tableFull + transactions.tableFullCount());
        counters.dropMalformedResponse.setRelease(malformedResponses + router.malformedCount());
        counters.dropForeignResponse.setRelease(router.foreignCount());
        counters.dropStrayResponse.setRelease(strayResponses);
        counters.dropOtherMember.setRelease(otherMember);
        counters.dropUnanswerable.setRelease(proxy.dropCount());
        counters.dropSendFailed.setRelease(sendFailures + transactions.transportErrorCount());
        counters.relayDenied.setRelease(proxy.relayDeniedCount());
        counters.noDialog.setRelease(noDialog);
        counters.handedOver.setRelease(handedOver);
        counters.handoverDropped.setRelease(inbox.droppedCount() + sendInbox.droppedCount());
        counters.overloadRejected.setRelease(overload.rejectedCount());
        counters.overloadDropped.setRelease(overload.droppedCount());
        counters.overloadAckAbsorbed.setRelease(shedAcks);
        counters.overloadAdmittedPercent.setRelease(Math.round(overload.admittedShare() * 100));
        counters.overloadCycleUs.setRelease(overload.cycleEwmaNs() / 1000);
        counters.overloadSignals.setRelease(overload.highSignals());
        counters.transactionTablePercent.setRelease(100L * transactions.activeCount() / transactions.capacity());
        counters.lingering.setRelease(transactions.lingeringCount());
        counters.lingerRingPercent.setRelease(
            100L * transactions.lingerUsedBytes() / transactions.lingerCapacityBytes());
        counters.lingerDropped.setRelease(transactions.lingerDroppedCount());
        final long[] states = counters.transactionStateScratch();
        transactions.countByState(states);
        counters.transactionStates(states);
        if (prober != null)
        {
            work += prober.poll(nowMs);
            dispatch.counters().update(prober);
        }
        if (index == 0)
        {
            work += registrar.sweep(nowMs, SWEEP_LIMIT);
            if (nowMs >= nextSweepMs)
            {
                nextSweepMs = nowMs + dialogSweepIntervalMs;
                work += dialogs.sweep(nowMs, SWEEP_LIMIT);
            }
        }
        return work;
    }

    /**
     * The probes of agent 0 leave through its own socket, so responses come back to the member's address.
     */
    private boolean sendProbe(final int backend, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!dispatcher.address(backend, targetAddress))
        {
            return false;
        }
        final long remote = remoteIdOf(targetAddress);
        final int probeTransport = orUdp(dispatcher.transport(backend));
        return remote != RemoteAddressTable.NO_REMOTE &&
            send(remote, probeTransport, tag(0, probeTransport, SipTransport.NO_CONNECTION), buffer, offset, length);
    }

    private boolean tryOpenTransport()
    {
        if (index == 0 || startFailure != null)
        {
            return false;
        }
        final int port = agents[0].boundPort;
        if (port <= 0)
        {
            return false;
        }
        openTransport(port);
        return transport != null;
    }

    private void openTransport(final int port)
    {
        try
        {
            if (index == 0)
            {
                SipTransports.warmUp(transportSettings, WARM_UP_ROUNDS);
            }
            if (index == 0)
            {
                for (final String address : addresses)
                {
                    SipTransports.ensurePortFree(address, port, transportSettings.tcpEnabled());
                }
            }
            final SipTransport[] opened = new SipTransport[addresses.length];
            try
            {
                opened[0] = SipTransports.open(transportSettings, addresses[0], port, transportCounters, remotes);
                final int localPort = opened[0].localPort();
                for (int i = 1; i < addresses.length; i++)
                {
                    opened[i] = SipTransports.open(
                        transportSettings, addresses[i], localPort, transportCounters, remotes);
                }
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(opened);
                throw ex;
            }
            final int localPort = opened[0].localPort();
            final ProxyContext bound = proxyContext.boundTo(localPort);
            final int agentPort = bound.agentPort(index);
            if (agentPort != 0)
            {
                try
                {
                    opened[0].openAgentSocket(agentPort);
                }
                catch (final RuntimeException ex)
                {
                    CloseHelper.quietCloseAll(opened);
                    throw ex;
                }
            }
            final String[] hosts = addresses.clone();
            final int[] ports = new int[addresses.length];
            hosts[0] = new String(bound.advertisedHost(), StandardCharsets.US_ASCII);
            Arrays.fill(ports, localPort);
            ports[0] = bound.port();
            proxy = new ProxyCore(bound, new Interfaces(hosts, ports, agentPort), resolver, seed);
            router = new ResponseRouter(bound, resolver);
            if (index == 0)
            {
                prober = new BackendProber(dispatcher, this::sendProbe,
                    dispatch.probeSettings().sentBy(hosts[0] + ":" + bound.port()), seed);
                dispatch.prober(prober);
            }
            transports = opened;
            if (opened.length == 1 && opened[0].canAwait())
            {
                wakeup.target(opened[0]::wakeup);
            }
            transport = opened[0];
            boundPort = localPort;
        }
        catch (final RuntimeException ex)
        {
            startFailure = ex;
            throw ex;
        }
    }

    private static long tag(final int localInterface, final int transport, final long connectionId)
    {
        if (transport == TransportProtocol.UDP)
        {
            return connectionId == SipTransport.AGENT_SOCKET ? localInterface | AGENT_SOCKET_TAG : localInterface;
        }
        return connectionId | ((long)localInterface << INTERFACE_SHIFT);
    }

    /**
     * The tag the request the proxy forwarded last leaves with: from the agent's own socket when its Via and
     * Record-Route name the agent's port ({@link ProxyCore#leavesFromAgentSocket}), so that the source port matches.
     */
    private long outbound(final int transport)
    {
        return tag(proxy.outboundInterface(), transport, proxy.leavesFromAgentSocket() ?
            SipTransport.AGENT_SOCKET : SipTransport.NO_CONNECTION);
    }

    private static int interfaceOf(final int transport, final long connectionId)
    {
        return transport == TransportProtocol.UDP ? (int)connectionId :
            (int)((connectionId & INTERFACE_MASK) >>> INTERFACE_SHIFT);
    }

    private static long rawConnection(final int transport, final long connectionId)
    {
        if (transport == TransportProtocol.UDP)
        {
            return (connectionId & AGENT_SOCKET_TAG) != 0 ? SipTransport.AGENT_SOCKET : SipTransport.NO_CONNECTION;
        }
        return connectionId & ~INTERFACE_MASK;
    }

    private ProxiedRequest allocateRequest()
    {
        if (freeRequestCount > 0)
        {
            return requests[freeRequests[--freeRequestCount]];
        }
        if (requestCount == requests.length)
        {
            // The pool grows to the peak of concurrent proxied requests, then stays.
            requests = Arrays.copyOf(requests, requestCount * 2);
            freeRequests = Arrays.copyOf(freeRequests, requestCount * 2);
        }
        final ProxiedRequest request = new ProxiedRequest(timerCMs, BEST_RESPONSE_BYTES);
        request.poolIndex = requestCount;
        requests[requestCount++] = request;
        return request;
    }

    private void freeRequest(final ProxiedRequest request)
    {
        if (request.serverTxId == TransactionLayer.NULL_ID)
        {
            return;
        }
        if (request.timerId != TransactionLayer.NULL_ID)
        {
            transactions.cancelTimer(request.timerId);
        }
        requestOfServer[record(request.serverTxId)] = -1;
        for (int branch = 0; branch < ResponseContext.MAX_BRANCHES; branch++)
        {
            releaseBackend(request, branch);
        }
        request.clear();
        freeRequests[freeRequestCount++] = request.poolIndex;
    }

    private ProxiedRequest requestOf(final long serverTx)
    {
        if (serverTx < 0)
        {
            return null;
        }
        final int poolIndex = requestOfServer[record(serverTx)];
        if (poolIndex < 0)
        {
            return null;
        }
        final ProxiedRequest request = requests[poolIndex];
        return request.serverTxId == serverTx ? request : null;
    }

    /**
     * A URI or Via without a transport means UDP (RFC 3263 §4.1 for an IP literal).
     */
    private static int orUdp(final int transport)
    {
        return transport == TransportProtocol.NONE ? TransportProtocol.UDP : transport;
    }

    private static int record(final long txId)
    {
        return (int)txId;
    }

    private boolean hasQueuedWork()
    {
        return inbox.hasPackets() || sendInbox.hasPackets();
    }

    /**
     * Delivers what arrives while the agent waits, on the clock read when it woke rather than before it waited.
     */
    private final class WokenHandler implements SipPacketHandler
    {
        private boolean clockRead;

        public void onMessage(
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final long remoteId,
            final int transport,
            final long connectionId)
        {
            if (!clockRead)
            {
                clockRead = true;
                nowMs = clock.time();
            }
            SipAgent.this.onMessage(buffer, offset, length, remoteId, transport, connectionId);
        }

        public void onConnectFailed(final long remoteId, final long connectionId)
        {
            SipAgent.this.onConnectFailed(remoteId, connectionId);
        }
    }
}
