package io.corral.engine.registrar;

import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationStore;
import org.agrona.DirectBuffer;

/**
 * Location service (RFC 3261 §10, §16.5): the current contacts of a local address-of-record, for the proxy to fork
 * to. An AOR with no live contact is a known user not registered (480) or an unknown one (404), as the
 * {@link KnownUsers} say. Allocation-free; one instance per SIP loop; not thread-safe.
 */
public final class LocationService
{
    /** The AOR has contacts: they are in the {@link Location}. */
    public static final int FOUND = SipStatus.OK;
    /** Known user, no live contact: answer 480 Temporarily Unavailable. */
    public static final int NOT_REGISTERED = SipStatus.TEMPORARILY_UNAVAILABLE;
    /** Unknown user (or a URI that cannot be an AOR): answer 404 Not Found. */
    public static final int UNKNOWN_USER = SipStatus.NOT_FOUND;

    private final RegistrationStore store;
    private final KnownUsers knownUsers;
    private final AddressOfRecord aor = new AddressOfRecord();

    /**
     * @param store      the registrations (this loop's store instance).
     * @param knownUsers which users exist; {@link KnownUsers#NONE} when there is no users list.
     */
    public LocationService(final RegistrationStore store, final KnownUsers knownUsers)
    {
        this.store = store;
        this.knownUsers = knownUsers;
    }

    /**
     * Look up the AOR of a Request-URI (SIP or SIPS; scheme, port and parameters ignored, host case-folded).
     *
     * @param uri   a wrapped Request-URI for a local domain.
     * @param nowMs wall clock, epoch ms.
     * @param out   filled with the targets.
     * @return {@link #FOUND}, {@link #NOT_REGISTERED} or {@link #UNKNOWN_USER}.
     */
    public int lookup(final SipUriDecoder uri, final long nowMs, final Location out)
    {
        out.clear();
        if ((uri.scheme() != SipUriDecoder.SIP && uri.scheme() != SipUriDecoder.SIPS) || !uri.hasUser() ||
            !aor.set(uri.buffer(), uri.userOffset(), uri.userLength(), uri.hostOffset(), uri.hostLength()))
        {
            return UNKNOWN_USER;
        }
        return lookup(aor, nowMs, out);
    }

    /**
     * Look up a normalised AOR.
     *
     * @param aor   the address-of-record.
     * @param nowMs wall clock, epoch ms.
     * @param out   filled with the targets.
     * @return {@link #FOUND}, {@link #NOT_REGISTERED} or {@link #UNKNOWN_USER}.
     */
    public int lookup(final AddressOfRecord aor, final long nowMs, final Location out)
    {
        out.clear();
        if (store.find(aor, out.record()) != 0)
        {
            out.sort(nowMs);
            if (out.count() > 0)
            {
                return FOUND;
            }
        }
        return knownUsers.isKnown(aor.buffer(), 0, userLength(aor.buffer(), aor.length())) ?
            NOT_REGISTERED : UNKNOWN_USER;
    }

    private static int userLength(final DirectBuffer buffer, final int length)
    {
        for (int i = length - 1; i >= 0; i--)
        {
            if (buffer.getByte(i) == '@')
            {
                return i;
            }
        }
        return 0;
    }
}
