package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request edits of RFC 3261 §16.6 (after {@link RouteProcessor} has done items 6–7), recorded in a
 * {@link SipMessageEditor}:
 * <ul>
 *     <li>{@code received} and {@code rport} on the received top Via (§18.2.1, RFC 3581 §4): received when the
 *     sent-by host is not the source address or rport was asked for, rport filled with the source port;</li>
 *     <li>Max-Forwards decremented, or 70 inserted (item 3);</li>
 *     <li>Record-Route {@code <sip:host:port;transport=x;lr;cm=ID>} (item 4), doubled when the inbound and outbound
 *     transport or interface differ (RFC 5658): the value facing the next hop first, the one facing the previous hop
 *     second; only for requests outside a dialog (no To tag: the route set of a dialog is fixed by its first
 *     request, §12.1) and not for REGISTER (Path is the registrar's), ACK and CANCEL;</li>
 *     <li>our Via with a member-id branch (item 8, {@link MemberIdCodec}): random unique part for a stateful
 *     forward, a hash of the received top Via for a stateless one so that retransmissions get the same branch
 *     (§16.11).</li>
 * </ul>
 * Reusable and allocation-free; one instance per agent.
 */
public final class ForwardingEditor
{
    /** The branch's unique part is random: a client transaction is created for it. */
    public static final int STATEFUL = 0;
    /** The branch's unique part is derived from the received top Via (ACK for 2xx, unmatched CANCEL). */
    public static final int STATELESS = 1;

    private static final byte[][] TRANSPORT_NAMES = {
        bytes("UDP"), bytes("UDP"), bytes("TCP"), bytes("TLS"), bytes("SCTP"), bytes("WS"), bytes("WSS"), bytes("UDP")};
    private static final byte[][] TRANSPORT_PARAMETERS = {
        bytes(""), bytes(""), bytes(";transport=tcp"), bytes(";transport=tls"), bytes(";transport=sctp"),
        bytes(";transport=ws"), bytes(";transport=wss"), bytes("")};
    private static final byte[] VIA_PREFIX = bytes("SIP/2.0/");
    private static final byte[] BRANCH = bytes(";branch=");
    private static final byte[] RECEIVED = bytes(";received=");
    private static final byte[] RPORT_VALUE = bytes("=");
    private static final byte[] ROUTE_PREFIX = bytes("<sip:");
    private static final byte[] LR_MEMBER = bytes(";lr;cm=");
    private static final long FNV64_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV64_PRIME = 0x100000001B3L;

    private final ProxyContext context;
    private final LoopDetector loopDetector = new LoopDetector();
    private final ViaDecoder topVia = new ViaDecoder();
    private final NameAddrDecoder toHeader = new NameAddrDecoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer branch = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
    private long random;

    /**
     * @param context who this member is.
     * @param seed    seeds the branches' unique parts; differ per agent and per start (e.g. from SecureRandom).
     */
    public ForwardingEditor(final ProxyContext context, final long seed)
    {
        this.context = context;
        random = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /**
     * Record the forwarding edits through this member's advertised address on both sides.
     *
     * @param request           decoded {@link SipMessageDecoder#OK} and validated.
     * @param editor            wrapped over {@code request} (Route edits already recorded).
     * @param source            where the request came from.
     * @param inboundTransport  the {@link TransportProtocol} it came on.
     * @param outboundTransport the {@link TransportProtocol} it leaves on.
     * @param mode              {@link #STATEFUL} or {@link #STATELESS}.
     * @return false if an edit cannot apply (answer 500 or drop).
     */
    public boolean forward(
        final SipMessageDecoder request,
        final SipMessageEditor editor,
        final PeerAddress source,
        final int inboundTransport,
        final int outboundTransport,
        final int mode)
    {
        final byte[] host = context.advertisedHost();
        final int port = context.port();
        return forward(request, editor, source, inboundTransport, host, port, outboundTransport, host, port, mode);
    }

    /**
     * Record the forwarding edits, naming the interface the request came in on and the one it leaves from.
     *
     * @param request           decoded {@link SipMessageDecoder#OK} and validated.
     * @param editor            wrapped over {@code request} (Route edits already recorded).
     * @param source            where the request came from.
     * @param inboundTransport  the {@link TransportProtocol} it came on.
     * @param inboundHost       advertised host of the interface it came on.
     * @param inboundPort       advertised port of that interface.
     * @param outboundTransport the {@link TransportProtocol} it leaves on.
     * @param outboundHost      advertised host of the interface it leaves from (written in our Via).
     * @param outboundPort      advertised port of that interface.
     * @param mode              {@link #STATEFUL} or {@link #STATELESS}.
     * @return false if an edit cannot apply (answer 500 or drop).
     */
    public boolean forward(
        final SipMessageDecoder request,
        final SipMessageEditor editor,
        final PeerAddress source,
        final int inboundTransport,
        final byte[] inboundHost,
        final int inboundPort,
        final int outboundTransport,
        final byte[] outboundHost,
        final int outboundPort,
        final int mode)
    {
        if (!fillReceived(request, editor, source) || !editor.decrementMaxForwards())
        {
            return false;
        }
        final int method = request.method();
        if (context.recordRoute() && method != SipMethod.REGISTER && method != SipMethod.ACK &&
            method != SipMethod.CANCEL && !isInDialog(request))
        {
            if (!addRecordRoute(editor, outboundHost, outboundPort, outboundTransport))
            {
                return false;
            }
            final boolean sameInterface = inboundPort == outboundPort &&
                Arrays.equals(inboundHost, outboundHost);
            if ((transportName(inboundTransport) != transportName(outboundTransport) || !sameInterface) &&
                !addRecordRoute(editor, inboundHost, inboundPort, inboundTransport))
            {
                return false;
            }
        }
        final long unique = mode == STATELESS ? statelessUnique(request) : nextRandom();
        MemberIdCodec.writeBranch(branch, 0, context.memberId(), loopDetector.hash(request), unique);
        final int length = writeVia(outboundHost, outboundPort, outboundTransport);
        return length > 0 && editor.pushVia(scratch, 0, length);
    }

    /**
     * @return the branch of the Via pushed by the last {@link #forward} ({@link MemberIdCodec#BRANCH_LENGTH} bytes
     * from offset 0): the key of the client transaction.
     */
    public DirectBuffer branch()
    {
        return branch;
    }

    private boolean fillReceived(final SipMessageDecoder request, final SipMessageEditor editor,
        final PeerAddress source)
    {
        final int index = request.firstIndexOf(HeaderName.VIA);
        final DirectBuffer buffer = request.buffer();
        if (index < 0 || source.family() == PeerAddress.NONE ||
            !topVia.wrap(buffer, request.valueOffset(index), request.valueLength(index)))
        {
            return index >= 0;
        }
        final boolean bareRport = topVia.rport() == ViaDecoder.RPORT_NO_VALUE;
        final boolean needReceived = bareRport || !source.sameHost(buffer, topVia.hostOffset(), topVia.hostLength());
        final int valueEnd = request.valueOffset(index) + request.valueLength(index);
        int rportAt = -1;
        if (bareRport)
        {
            final int parameter = topVia.rportIndex();
            rportAt = topVia.parameters().nameOffset(parameter) + topVia.parameters().nameLength(parameter);
        }
        int length = 0;
        if (rportAt >= 0 && rportAt != valueEnd)
        {
            final int written = writeRport(source.port());
            if (!editor.replaceSourceRange(rportAt, rportAt, scratch, 0, written))
            {
                return false;
            }
        }
        else if (rportAt == valueEnd)
        {
            length = writeRport(source.port());
        }
        if (needReceived)
        {
            if (topVia.hasReceived())
            {
                // Replace a stale received rather than adding a second one.
                final int start = topVia.receivedOffset();
                final int written = source.writeHost(scratch, length, false);
                if (written < 0 || !editor.replaceSourceRange(
                    start, start + topVia.receivedLength(), scratch, length, written))
                {
                    return false;
                }
            }
            else
            {
                scratch.putBytes(length, RECEIVED);
                final int written = source.writeHost(scratch, length + RECEIVED.length, false);
                if (written < 0)
                {
                    return false;
                }
                length += RECEIVED.length + written;
            }
        }
        return length == 0 || editor.appendToValue(index, scratch, 0, length);
    }

    private boolean isInDialog(final SipMessageDecoder request)
    {
        final int to = request.firstIndexOf(HeaderName.TO);
        return to >= 0 && toHeader.wrap(request.buffer(), request.valueOffset(to), request.valueLength(to)) &&
            toHeader.hasTag();
    }

    private int writeRport(final int port)
    {
        scratch.putBytes(0, RPORT_VALUE);
        return RPORT_VALUE.length + scratch.putNaturalIntAscii(RPORT_VALUE.length, port);
    }

    private boolean addRecordRoute(
        final SipMessageEditor editor, final byte[] host, final int port, final int transport)
    {
        int p = 0;
        scratch.putBytes(p, ROUTE_PREFIX);
        p += ROUTE_PREFIX.length;
        scratch.putBytes(p, host);
        p += host.length;
        scratch.putByte(p++, (byte)':');
        p += scratch.putNaturalIntAscii(p, port);
        final byte[] transportParameter = TRANSPORT_PARAMETERS[transportIndex(transport)];
        scratch.putBytes(p, transportParameter);
        p += transportParameter.length;
        scratch.putBytes(p, LR_MEMBER);
        p += LR_MEMBER.length;
        p += scratch.putNaturalIntAscii(p, context.memberId());
        scratch.putByte(p++, (byte)'>');
        return editor.addRecordRoute(scratch, 0, p);
    }

    private int writeVia(final byte[] host, final int port, final int transport)
    {
        int p = 0;
        scratch.putBytes(p, VIA_PREFIX);
        p += VIA_PREFIX.length;
        final byte[] name = transportName(transport);
        scratch.putBytes(p, name);
        p += name.length;
        scratch.putByte(p++, (byte)' ');
        scratch.putBytes(p, host);
        p += host.length;
        scratch.putByte(p++, (byte)':');
        p += scratch.putNaturalIntAscii(p, port);
        scratch.putBytes(p, BRANCH);
        p += BRANCH.length;
        scratch.putBytes(p, branch, 0, MemberIdCodec.BRANCH_LENGTH);
        return p + MemberIdCodec.BRANCH_LENGTH;
    }

    private long statelessUnique(final SipMessageDecoder request)
    {
        final int index = request.firstIndexOf(HeaderName.VIA);
        final DirectBuffer buffer = request.buffer();
        long hash = FNV64_OFFSET;
        int offset = request.valueOffset(index);
        int length = request.valueLength(index);
        if (topVia.wrap(buffer, offset, length) && topVia.hasBranch())
        {
            offset = topVia.branchOffset();
            length = topVia.branchLength();
        }
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ (buffer.getByte(offset + i) & 0xFF)) * FNV64_PRIME;
        }
        // The method keeps an ACK and a CANCEL of one INVITE on branches of their own.
        return (hash ^ request.method()) * FNV64_PRIME;
    }

    private long nextRandom()
    {
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        return x;
    }

    private static byte[] transportName(final int transport)
    {
        return TRANSPORT_NAMES[transportIndex(transport)];
    }

    private static int transportIndex(final int transport)
    {
        return transport >= 0 && transport < TRANSPORT_NAMES.length ? transport : TransportProtocol.UDP;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
