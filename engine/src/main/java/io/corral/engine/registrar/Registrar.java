package io.corral.engine.registrar;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.proxy.ReceivedVia;
import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipParameters;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationDescriptor;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The registrar (RFC 3261 §10.3): processes a decoded REGISTER against the {@link RegistrationStore} and writes the
 * response. Authentication and authorisation (steps 3 and 4) are the caller's, before this.
 *
 * <ul>
 *   <li>Every response echoes the top Via with {@code received} and {@code rport} filled in ({@link ReceivedVia}),
 *   so a UA behind a NAT learns the address it registered from.</li>
 *   <li>Step 5: the To URI is the address-of-record; a non-SIP URI, or one whose host is not a served domain, is
 *   answered 404; one without a user 400. It is normalised ({@link AddressOfRecord}).</li>
 *   <li>Step 6: {@code Contact: *} is allowed only alone and with {@code Expires: 0} (else 400) and removes every
 *   binding. A contact's expiry is its {@code expires} parameter, else the Expires header, else the default; a
 *   non-zero expiry below the minimum is answered 423 with Min-Expires; one above the maximum is shortened.</li>
 *   <li>Step 7: for a binding that exists with the same Call-ID, the CSeq must be higher, else the whole request
 *   fails (RFC 3261 gives no code: this registrar answers 400 {@code Out of order CSeq}, as Kamailio does for an
 *   invalid CSeq) and nothing changes. Changes apply all or nothing.</li>
 *   <li>More contacts than {@link RegistrationStore#contactCapacity()}: 403 {@code Too many registered contacts},
 *   nothing stored (a policy refusal: 503, Kamailio's choice, would make RFC 3263 clients fail over and retry).</li>
 *   <li>A contact URI, Call-ID, Path or {@code +sip.instance} too long for the record is refused with 400, never
 *   stored truncated.</li>
 *   <li>Step 8: 200 OK lists every current contact with {@code ;expires=} its remaining seconds (and its q), a
 *   Date header, and when the REGISTER had Path (RFC 3327) the stored Path and {@code Supported: path}.</li>
 * </ul>
 *
 * Each contact keeps the source the REGISTER came from (transport, address, port, agent, connection) so requests
 * reach NATed contacts through that flow, and a NAT flag when the contact URI's host is not that source address.
 *
 * <p>Concurrent REGISTERs for one AOR (different Call-IDs, so other SIP loops or members) are resolved by the
 * store's version check: a stale write is retried from a fresh read a few times, then answered 500 with
 * Retry-After. Allocation-free; one instance per SIP loop; not thread-safe.
 */
public final class Registrar
{
    /** Reason phrase: the To URI has no user. */
    public static final byte[] REASON_NO_USER = ascii("No user in To URI");
    /** Reason phrase: the normalised AOR is too long to store. */
    public static final byte[] REASON_AOR_TOO_LONG = ascii("Address of record too long");
    /** Reason phrase: a Contact value does not parse. */
    public static final byte[] REASON_BAD_CONTACT = ascii("Bad Contact");
    /** Reason phrase: {@code *} not alone or with a non-zero Expires. */
    public static final byte[] REASON_BAD_STAR = ascii("Invalid Contact *");
    /** Reason phrase: same Call-ID with a CSeq not higher than the binding's. */
    public static final byte[] REASON_OUT_OF_ORDER = ascii("Out of order CSeq");
    /** Reason phrase: more contacts than allowed. */
    public static final byte[] REASON_TOO_MANY = ascii("Too many registered contacts");
    /** Reason phrase: a text too long for the record. */
    public static final byte[] REASON_TOO_LONG = ascii("Contact, Call-ID or Path too long");
    /** Reason phrase: the store refused or kept changing. */
    public static final byte[] REASON_STORE = ascii("Registration not stored");
    /** Reason phrase: not a REGISTER. */
    public static final byte[] REASON_NOT_REGISTER = ascii("Not a REGISTER");

    private static final int ATTEMPTS = 4;
    private static final long RETRY_AFTER_SECONDS = 5;
    private static final int RESPONSE_HEADERS_CAPACITY = 32 * 1024;
    private static final byte[] INSTANCE = ascii("+sip.instance");
    private static final byte[] REG_ID = ascii("reg-id");
    private static final byte[] PATH_OPTION = ascii("path");
    private static final byte[] EXPIRES_PARAM = ascii(";expires=");
    private static final byte[] Q_PARAM = ascii(";q=");

    private final RegistrarContext context;
    private final RegistrationStore store;
    private final SipResponseBuilder builder = new SipResponseBuilder(RESPONSE_HEADERS_CAPACITY);
    private final NameAddrDecoder contact = new NameAddrDecoder();
    private final ReceivedVia receivedVia = new ReceivedVia();
    private final AddressOfRecord aor = new AddressOfRecord();
    private final RegistrationFlyweight record;
    private final UnsafeBuffer path = new UnsafeBuffer(new byte[RegistrationDescriptor.PATH_CAPACITY + 1]);
    private final UnsafeBuffer line = new UnsafeBuffer(new byte[RegistrationDescriptor.URI_CAPACITY + 64]);
    private final UnsafeBuffer number = new UnsafeBuffer(new byte[SipDate.LENGTH + 3]);
    private int pathLength;
    private int status;
    private long nextSweepMs;

    /**
     * @param context served domains and expiry bounds.
     * @param store   the registrations (this loop's writer).
     */
    public Registrar(final RegistrarContext context, final RegistrationStore store)
    {
        this.context = context;
        this.store = store;
        this.record = store.newRecord();
    }

    /**
     * Process a REGISTER and write the response.
     *
     * @param request      the decoded REGISTER ({@link SipMessageDecoder#OK}).
     * @param source       the address it came from.
     * @param transport    the transport it came on ({@code TransportProtocol} code).
     * @param agentIndex   the agent (local socket) that received it.
     * @param connectionId the connection it came on, or 0.
     * @param nowMs        wall clock, epoch ms.
     * @param out          to write the response into.
     * @param outOffset    of the first byte.
     * @return the response length, or -1 if it could not be built (see {@link #status()} for what it was).
     */
    public int onRegister(
        final SipMessageDecoder request,
        final PeerAddress source,
        final int transport,
        final long agentIndex,
        final long connectionId,
        final long nowMs,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        builder.reset();
        final int topViaLength = receivedVia.fill(request, source);
        if (topViaLength > 0)
        {
            builder.withTopVia(receivedVia.buffer(), 0, topViaLength);
        }
        if (request.method() != SipMethod.REGISTER)
        {
            return respond(request, SipStatus.BAD_REQUEST, REASON_NOT_REGISTER, out, outOffset);
        }
        final SipUriDecoder to = request.to().uri();
        if (to.scheme() != SipUriDecoder.SIP && to.scheme() != SipUriDecoder.SIPS ||
            !context.isServedDomain(to.buffer(), to.hostOffset(), to.hostLength()))
        {
            return respond(request, SipStatus.NOT_FOUND, null, out, outOffset);
        }
        if (!to.hasUser() || to.userLength() == 0)
        {
            return respond(request, SipStatus.BAD_REQUEST, REASON_NO_USER, out, outOffset);
        }
        if (!aor.set(to.buffer(), to.userOffset(), to.userLength(), to.hostOffset(), to.hostLength()))
        {
            return respond(request, SipStatus.BAD_REQUEST, REASON_AOR_TOO_LONG, out, outOffset);
        }

        final int check = checkContacts(request);
        if (check != SipStatus.OK)
        {
            if (check == SipStatus.INTERVAL_TOO_BRIEF)
            {
                builder.withHeader(HeaderName.name(HeaderName.MIN_EXPIRES), number, 0,
                    number.putNaturalLongAscii(0, context.minExpiresSeconds()));
                return respond(request, check, null, out, outOffset);
            }
            return respond(request, check, check == SipStatus.BAD_REQUEST ? REASON_BAD_CONTACT : null, out, outOffset);
        }
        if (!joinPath(request))
        {
            return respond(request, SipStatus.BAD_REQUEST, REASON_TOO_LONG, out, outOffset);
        }

        final boolean hasContacts = request.count(HeaderName.CONTACT) > 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            final long version = store.find(aor, record);
            if (version == 0)
            {
                record.clear();
            }
            record.removeExpired(nowMs);
            if (!hasContacts)
            {
                return respondOk(request, nowMs, out, outOffset);
            }
            final int applied = apply(request, source, transport, agentIndex, connectionId, nowMs);
            if (applied == SipStatus.FORBIDDEN)
            {
                return respond(request, SipStatus.FORBIDDEN, REASON_TOO_MANY, out, outOffset);
            }
            if (applied != SipStatus.OK)
            {
                return respond(request, SipStatus.BAD_REQUEST,
                    applied == SipStatus.BAD_REQUEST ? REASON_OUT_OF_ORDER : REASON_TOO_LONG, out, outOffset);
            }
            final int result = store.put(aor, record, version, nowMs);
            switch (result)
            {
                case RegistrationStore.RESULT_OK:
                    return respondOk(request, nowMs, out, outOffset);
                case RegistrationStore.RESULT_STALE_VERSION:
                    continue;
                case RegistrationStore.RESULT_TRUNCATED:
                    return respond(request, SipStatus.BAD_REQUEST, REASON_TOO_LONG, out, outOffset);
                default:
                    builder.withRetryAfter(RETRY_AFTER_SECONDS);
                    return respond(request, SipStatus.SERVER_INTERNAL_ERROR, REASON_STORE, out, outOffset);
            }
        }
        builder.withRetryAfter(RETRY_AFTER_SECONDS);
        return respond(request, SipStatus.SERVER_INTERNAL_ERROR, REASON_STORE, out, outOffset);
    }

    /**
     * Remove expired bindings (and address-of-records left without any) from the store, once per sweep interval:
     * call it as often as convenient.
     *
     * @param nowMs wall clock.
     * @param limit most records examined by this call.
     * @return contacts removed.
     */
    public int sweep(final long nowMs, final int limit)
    {
        if (nowMs < nextSweepMs)
        {
            return 0;
        }
        nextSweepMs = nowMs + context.sweepIntervalMs();
        return store.sweepExpired(nowMs, limit);
    }

    /**
     * @return status code of the last response written (or attempted).
     */
    public int status()
    {
        return status;
    }

    /**
     * Validate every Contact before changing anything: syntax, {@code *} rules, Min-Expires.
     *
     * @return {@link SipStatus#OK}, 400 or 423.
     */
    private int checkContacts(final SipMessageDecoder request)
    {
        final int count = request.count(HeaderName.CONTACT);
        for (int i = request.firstIndexOf(HeaderName.CONTACT); i >= 0; i = request.nextIndexOf(HeaderName.CONTACT, i))
        {
            if (!contact.wrap(request.buffer(), request.valueOffset(i), request.valueLength(i)))
            {
                return SipStatus.BAD_REQUEST;
            }
            if (contact.isStar())
            {
                if (count != 1 || request.expires() != 0)
                {
                    return SipStatus.BAD_REQUEST;
                }
                continue;
            }
            final long expires = requestedExpires(request);
            if (expires > 0 && expires < context.minExpiresSeconds())
            {
                return SipStatus.INTERVAL_TOO_BRIEF;
            }
        }
        return SipStatus.OK;
    }

    /**
     * Apply every Contact to {@link #record} (read from the store, expired contacts dropped).
     *
     * @return {@link SipStatus#OK}, 400 (out of order), 403 (too many) or 413 (a text too long: answered 400).
     */
    private int apply(
        final SipMessageDecoder request,
        final PeerAddress source,
        final int transport,
        final long agentIndex,
        final long connectionId,
        final long nowMs)
    {
        final DirectBuffer buffer = request.buffer();
        final int callIdOffset = request.callIdOffset();
        final int callIdLength = request.callIdLength();
        final long cseq = request.cseqNumber();
        for (int i = request.firstIndexOf(HeaderName.CONTACT); i >= 0; i = request.nextIndexOf(HeaderName.CONTACT, i))
        {
            contact.wrap(buffer, request.valueOffset(i), request.valueLength(i));
            if (contact.isStar())
            {
                for (int c = 0, n = record.contactCount(); c < n; c++)
                {
                    if (record.isCallId(c, buffer, callIdOffset, callIdLength) && cseq <= record.cseq(c))
                    {
                        return SipStatus.BAD_REQUEST;
                    }
                }
                record.removeAllContacts();
                return SipStatus.OK;
            }
            final long expires = Math.min(requestedExpires(request), context.maxExpiresSeconds());
            int index = record.indexOfContact(buffer, contact.uriOffset(), contact.uriLength());
            if (index >= 0)
            {
                if (record.isCallId(index, buffer, callIdOffset, callIdLength) && cseq <= record.cseq(index))
                {
                    return SipStatus.BAD_REQUEST;
                }
                if (expires == 0)
                {
                    record.removeContact(index);
                    continue;
                }
            }
            else
            {
                if (expires == 0)
                {
                    continue;
                }
                index = record.addContact();
                if (index < 0)
                {
                    return SipStatus.FORBIDDEN;
                }
            }
            if (!fill(index, request, source, transport, agentIndex, connectionId, nowMs, expires))
            {
                return SipStatus.REQUEST_ENTITY_TOO_LARGE;
            }
        }
        return SipStatus.OK;
    }

    private boolean fill(
        final int index,
        final SipMessageDecoder request,
        final PeerAddress source,
        final int transport,
        final long agentIndex,
        final long connectionId,
        final long nowMs,
        final long expiresSeconds)
    {
        final DirectBuffer buffer = request.buffer();
        boolean fits = record.uri(index, buffer, contact.uriOffset(), contact.uriLength());
        fits &= record.callId(index, buffer, request.callIdOffset(), request.callIdLength());
        fits &= record.path(index, path, 0, pathLength);
        record.cseq(index, request.cseqNumber())
            .expiresMs(index, nowMs + expiresSeconds * 1000)
            .registeredMs(index, nowMs)
            .q(index, contact.q() >= 0 ? contact.q() : RegistrationDescriptor.Q_NONE)
            .localSocket(index, agentIndex, connectionId)
            .keepAliveFailures(index, 0);
        if (source.family() == PeerAddress.IPV6)
        {
            record.sourceIpv6(index, transport, source.ipv6High(), source.ipv6Low(), source.port());
        }
        else
        {
            record.sourceIpv4(index, transport, source.ipv4(), source.port());
        }
        // A UA that names the address it registered from knows it (no NAT, or it traverses the NAT itself) and is
        // reached at its Contact; any other host (a private address, a name) is reached through the source flow.
        final SipUriDecoder uri = contact.uri();
        record.nat(index, uri.hostLength() == 0 || !source.sameHost(uri.buffer(), uri.hostOffset(), uri.hostLength()));

        final SipParameters parameters = contact.parameters();
        final int instance = contact.findParameter(INSTANCE);
        if (instance >= 0 && parameters.hasValue(instance))
        {
            fits &= record.instance(index, buffer, parameters.valueOffset(instance), parameters.valueLength(instance));
        }
        else
        {
            record.instance(index, buffer, 0, 0);
        }
        final int regId = contact.findParameter(REG_ID);
        record.regId(index, regId >= 0 ? (int)Math.max(0, Math.min(Integer.MAX_VALUE,
            SipBytes.parseUnsigned(buffer, parameters.valueOffset(regId),
            parameters.valueLength(regId), Integer.MAX_VALUE))) : 0);
        return fits;
    }

    private long requestedExpires(final SipMessageDecoder request)
    {
        final long param = contact.expires();
        if (param >= 0)
        {
            return param;
        }
        final long header = request.expires();
        return header >= 0 ? header : context.defaultExpiresSeconds();
    }

    /**
     * Join the values of every Path header, in order, with commas.
     *
     * @return false if longer than a contact's Path field.
     */
    private boolean joinPath(final SipMessageDecoder request)
    {
        pathLength = 0;
        final DirectBuffer buffer = request.buffer();
        for (int i = request.firstIndexOf(HeaderName.PATH); i >= 0; i = request.nextIndexOf(HeaderName.PATH, i))
        {
            final int length = request.valueLength(i);
            final int needed = pathLength + (pathLength > 0 ? 1 : 0) + length;
            if (needed > RegistrationDescriptor.PATH_CAPACITY)
            {
                return false;
            }
            if (pathLength > 0)
            {
                path.putByte(pathLength++, (byte)',');
            }
            path.putBytes(pathLength, buffer, request.valueOffset(i), length);
            pathLength += length;
        }
        return true;
    }

    private int respondOk(
        final SipMessageDecoder request, final long nowMs, final MutableDirectBuffer out, final int outOffset)
    {
        for (int c = 0, n = record.contactCount(); c < n; c++)
        {
            int at = 0;
            line.putByte(at++, (byte)'<');
            final int uriLength = record.uriLength(c);
            line.putBytes(at, record.buffer(), record.uriOffset(c), uriLength);
            at += uriLength;
            line.putByte(at++, (byte)'>');
            line.putBytes(at, EXPIRES_PARAM);
            at += EXPIRES_PARAM.length;
            at += line.putNaturalLongAscii(at, Math.max(0, (record.expiresMs(c) - nowMs + 999) / 1000));
            final int q = record.q(c);
            if (q >= 0)
            {
                line.putBytes(at, Q_PARAM);
                at += Q_PARAM.length;
                at += writeQ(line, at, q);
            }
            builder.withContact(line, 0, at);
        }
        builder.withHeader(HeaderName.name(HeaderName.DATE), number, 0, SipDate.write(number, 0, nowMs));
        if (pathLength > 0)
        {
            builder.withHeader(HeaderName.name(HeaderName.PATH), path, 0, pathLength);
            builder.withHeader(HeaderName.name(HeaderName.SUPPORTED), PATH_OPTION);
        }
        return respond(request, SipStatus.OK, null, out, outOffset);
    }

    private int respond(
        final SipMessageDecoder request,
        final int statusCode,
        final byte[] reason,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        status = statusCode;
        return builder.buildResponse(request, statusCode, reason, null, 0, -1, out, outOffset);
    }

    /**
     * Write a q value in thousandths as {@code 1}, {@code 0.5}, {@code 0.25}, {@code 0.125} or {@code 0}.
     */
    private static int writeQ(final MutableDirectBuffer dst, final int offset, final int q)
    {
        if (q >= 1000 || q == 0)
        {
            dst.putByte(offset, (byte)(q == 0 ? '0' : '1'));
            return 1;
        }
        dst.putByte(offset, (byte)'0');
        dst.putByte(offset + 1, (byte)'.');
        int digits = 3;
        int value = q;
        while (value % 10 == 0)
        {
            value /= 10;
            digits--;
        }
        dst.putNaturalPaddedIntAscii(offset + 2, digits, value);
        return 2 + digits;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
