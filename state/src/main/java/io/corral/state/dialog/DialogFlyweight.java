package io.corral.state.dialog;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.corral.state.dialog.DialogDescriptor.ADDRESS_CAPACITY;
import static io.corral.state.dialog.DialogDescriptor.ADDRESS_FAMILY_IPV4;
import static io.corral.state.dialog.DialogDescriptor.ADDRESS_FAMILY_IPV6;
import static io.corral.state.dialog.DialogDescriptor.CALLEE_LEG_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.CALLER_LEG_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.CALL_ID_CAPACITY;
import static io.corral.state.dialog.DialogDescriptor.CALL_ID_LENGTH_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.CALL_ID_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.CONTACT_CAPACITY;
import static io.corral.state.dialog.DialogDescriptor.CREATED_MS_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.EXPIRY_MS_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.FLAGS_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.FLAG_CALLEE_CONTACT_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.FLAG_CALLEE_TAG_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.FLAG_CALLER_CONTACT_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.FLAG_CALLER_TAG_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.FLAG_CALL_ID_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.FLAG_ROUTE_SET_TRUNCATED;
import static io.corral.state.dialog.DialogDescriptor.INVITE_CSEQ_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.KEY_HIGH_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.KEY_LOW_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_ADDRESS_FAMILY_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_ADDRESS_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_CONTACT_LENGTH_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_CONTACT_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_CSEQ_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_PORT_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_TAG_LENGTH_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_TAG_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LEG_TRANSPORT_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.LENGTH;
import static io.corral.state.dialog.DialogDescriptor.MAX_ROUTES;
import static io.corral.state.dialog.DialogDescriptor.OWNER_MEMBER_ID_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.ROUTE_COUNT_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.ROUTE_LENGTH_PREFIX;
import static io.corral.state.dialog.DialogDescriptor.ROUTE_SET_CAPACITY;
import static io.corral.state.dialog.DialogDescriptor.ROUTE_SET_LENGTH_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.ROUTE_SET_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.STATE_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.TAG_CAPACITY;
import static io.corral.state.dialog.DialogDescriptor.TERMINATION_REASON_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.UPDATED_MS_OFFSET;
import static io.corral.state.dialog.DialogDescriptor.VERSION_OFFSET;

/**
 * Flyweight over one dialog record laid out as in {@link DialogDescriptor}. Reusable: {@link #wrap} it over any
 * buffer holding {@link DialogDescriptor#LENGTH} bytes. Text setters take a range of a {@link DirectBuffer} so the
 * engine fills a record from a decoded SIP message without Strings; they return false when the value was longer
 * than its field and was truncated (the matching {@code FLAG_*_TRUNCATED} is then set). Nothing allocates except
 * {@link #toString()} and the {@code *AsString} helpers meant for tools and tests.
 */
public final class DialogFlyweight
{
    /** Leg index of the caller: the side that sent the INVITE, its tag is the INVITE's From-tag. */
    public static final int CALLER = 0;
    /** Leg index of the callee: the side that answered, its tag is the To-tag. */
    public static final int CALLEE = 1;

    private static final int U16_MAX = 0xFFFF;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a record.
     *
     * @param buffer holding the record.
     * @param offset of the record in the buffer.
     * @return this for fluent use.
     */
    public DialogFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the wrapped buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the record in the wrapped buffer.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Zero the whole record: state {@link DialogState#NONE}, every length 0.
     *
     * @return this for fluent use.
     */
    public DialogFlyweight clear()
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
        return this;
    }

    /**
     * Copy the whole record from another flyweight.
     *
     * @param other to copy from.
     * @return this for fluent use.
     */
    public DialogFlyweight copyFrom(final DialogFlyweight other)
    {
        buffer.putBytes(offset, other.buffer, other.offset, LENGTH);
        return this;
    }

    /**
     * @return version of the last change (hybrid logical clock).
     */
    public long version()
    {
        return buffer.getLong(offset + VERSION_OFFSET);
    }

    /**
     * @param version of this change (hybrid logical clock).
     * @return this for fluent use.
     */
    public DialogFlyweight version(final long version)
    {
        buffer.putLong(offset + VERSION_OFFSET, version);
        return this;
    }

    /**
     * @return creation time, epoch ms.
     */
    public long createdMs()
    {
        return buffer.getLong(offset + CREATED_MS_OFFSET);
    }

    /**
     * @param createdMs creation time, epoch ms.
     * @return this for fluent use.
     */
    public DialogFlyweight createdMs(final long createdMs)
    {
        buffer.putLong(offset + CREATED_MS_OFFSET, createdMs);
        return this;
    }

    /**
     * @return time of the last change or in-dialog activity, epoch ms.
     */
    public long updatedMs()
    {
        return buffer.getLong(offset + UPDATED_MS_OFFSET);
    }

    /**
     * @param updatedMs time of the last change or in-dialog activity, epoch ms.
     * @return this for fluent use.
     */
    public DialogFlyweight updatedMs(final long updatedMs)
    {
        buffer.putLong(offset + UPDATED_MS_OFFSET, updatedMs);
        return this;
    }

    /**
     * @return time after which the dialog is swept, epoch ms.
     */
    public long expiryMs()
    {
        return buffer.getLong(offset + EXPIRY_MS_OFFSET);
    }

    /**
     * @param expiryMs time after which the dialog is swept, epoch ms.
     * @return this for fluent use.
     */
    public DialogFlyweight expiryMs(final long expiryMs)
    {
        buffer.putLong(offset + EXPIRY_MS_OFFSET, expiryMs);
        return this;
    }

    /**
     * @return high 64 bits of the dialog key.
     */
    public long keyHigh()
    {
        return buffer.getLong(offset + KEY_HIGH_OFFSET);
    }

    /**
     * @return low 64 bits of the dialog key.
     */
    public long keyLow()
    {
        return buffer.getLong(offset + KEY_LOW_OFFSET);
    }

    /**
     * @param high 64 bits of the dialog key.
     * @param low  64 bits of the dialog key.
     * @return this for fluent use.
     */
    public DialogFlyweight key(final long high, final long low)
    {
        buffer.putLong(offset + KEY_HIGH_OFFSET, high);
        buffer.putLong(offset + KEY_LOW_OFFSET, low);
        return this;
    }

    /**
     * @return CSeq number of the INVITE that created the dialog.
     */
    public long inviteCSeq()
    {
        return buffer.getInt(offset + INVITE_CSEQ_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param cseq CSeq number of the INVITE (RFC 3261: below 2**31).
     * @return this for fluent use.
     */
    public DialogFlyweight inviteCSeq(final long cseq)
    {
        buffer.putInt(offset + INVITE_CSEQ_OFFSET, (int)cseq);
        return this;
    }

    /**
     * @return termination reason: a {@code DialogState.REASON_*} code or a final status code.
     */
    public int terminationReason()
    {
        return buffer.getInt(offset + TERMINATION_REASON_OFFSET);
    }

    /**
     * @param reason a {@code DialogState.REASON_*} code or a final status code.
     * @return this for fluent use.
     */
    public DialogFlyweight terminationReason(final int reason)
    {
        buffer.putInt(offset + TERMINATION_REASON_OFFSET, reason);
        return this;
    }

    /**
     * @return one of the {@link DialogState} states.
     */
    public int state()
    {
        return buffer.getByte(offset + STATE_OFFSET);
    }

    /**
     * @param state one of the {@link DialogState} states.
     * @return this for fluent use.
     */
    public DialogFlyweight state(final int state)
    {
        buffer.putByte(offset + STATE_OFFSET, (byte)state);
        return this;
    }

    /**
     * @return member id (1..63) of the owner.
     */
    public int ownerMemberId()
    {
        return buffer.getByte(offset + OWNER_MEMBER_ID_OFFSET);
    }

    /**
     * @param memberId of the owner, 1..63.
     * @return this for fluent use.
     */
    public DialogFlyweight ownerMemberId(final int memberId)
    {
        buffer.putByte(offset + OWNER_MEMBER_ID_OFFSET, (byte)memberId);
        return this;
    }

    /**
     * @return the flag bits.
     */
    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET) & U16_MAX;
    }

    /**
     * @param flags the flag bits.
     * @return this for fluent use.
     */
    public DialogFlyweight flags(final int flags)
    {
        buffer.putShort(offset + FLAGS_OFFSET, (short)flags);
        return this;
    }

    /**
     * @param flag a flag bit.
     * @return true if it is set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags() & flag) != 0;
    }

    /**
     * Store the Call-ID; a Call-ID above {@link DialogDescriptor#CALL_ID_CAPACITY} keeps its first bytes and sets
     * {@link DialogDescriptor#FLAG_CALL_ID_TRUNCATED} (the dialog key still covers all of it).
     *
     * @param src    buffer holding the Call-ID.
     * @param srcOff offset of the Call-ID.
     * @param length of the Call-ID.
     * @return true if stored in full.
     */
    public boolean callId(final DirectBuffer src, final int srcOff, final int length)
    {
        return putText(CALL_ID_OFFSET, CALL_ID_CAPACITY, CALL_ID_LENGTH_OFFSET, FLAG_CALL_ID_TRUNCATED, src, srcOff,
            length);
    }

    /**
     * @return length of the Call-ID on the wire.
     */
    public int callIdLength()
    {
        return buffer.getShort(offset + CALL_ID_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @return bytes of the Call-ID stored, at most {@link DialogDescriptor#CALL_ID_CAPACITY}.
     */
    public int callIdStoredLength()
    {
        return Math.min(callIdLength(), CALL_ID_CAPACITY);
    }

    /**
     * @return offset of the stored Call-ID bytes in {@link #buffer()}.
     */
    public int callIdOffset()
    {
        return offset + CALL_ID_OFFSET;
    }

    /**
     * Store a leg's tag; a tag above {@link DialogDescriptor#TAG_CAPACITY} is truncated and flagged.
     *
     * @param leg    {@link #CALLER} or {@link #CALLEE}.
     * @param src    buffer holding the tag.
     * @param srcOff offset of the tag.
     * @param length of the tag.
     * @return true if stored in full.
     */
    public boolean tag(final int leg, final DirectBuffer src, final int srcOff, final int length)
    {
        final int legOffset = legOffset(leg);
        return putText(legOffset + LEG_TAG_OFFSET, TAG_CAPACITY, legOffset + LEG_TAG_LENGTH_OFFSET,
            leg == CALLER ? FLAG_CALLER_TAG_TRUNCATED : FLAG_CALLEE_TAG_TRUNCATED, src, srcOff, length);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return length of the leg's tag on the wire.
     */
    public int tagLength(final int leg)
    {
        return buffer.getShort(offset + legOffset(leg) + LEG_TAG_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return bytes of the leg's tag stored.
     */
    public int tagStoredLength(final int leg)
    {
        return Math.min(tagLength(leg), TAG_CAPACITY);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return offset of the leg's tag bytes in {@link #buffer()}.
     */
    public int tagOffset(final int leg)
    {
        return offset + legOffset(leg) + LEG_TAG_OFFSET;
    }

    /**
     * Store a leg's contact (remote target) URI; longer than {@link DialogDescriptor#CONTACT_CAPACITY} is truncated
     * and flagged.
     *
     * @param leg    {@link #CALLER} or {@link #CALLEE}.
     * @param src    buffer holding the URI.
     * @param srcOff offset of the URI.
     * @param length of the URI.
     * @return true if stored in full.
     */
    public boolean contact(final int leg, final DirectBuffer src, final int srcOff, final int length)
    {
        final int legOffset = legOffset(leg);
        return putText(legOffset + LEG_CONTACT_OFFSET, CONTACT_CAPACITY, legOffset + LEG_CONTACT_LENGTH_OFFSET,
            leg == CALLER ? FLAG_CALLER_CONTACT_TRUNCATED : FLAG_CALLEE_CONTACT_TRUNCATED, src, srcOff, length);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return length of the leg's contact URI on the wire.
     */
    public int contactLength(final int leg)
    {
        return buffer.getShort(offset + legOffset(leg) + LEG_CONTACT_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return bytes of the leg's contact URI stored.
     */
    public int contactStoredLength(final int leg)
    {
        return Math.min(contactLength(leg), CONTACT_CAPACITY);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return offset of the leg's contact URI bytes in {@link #buffer()}.
     */
    public int contactOffset(final int leg)
    {
        return offset + legOffset(leg) + LEG_CONTACT_OFFSET;
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the last CSeq number sent by the leg.
     */
    public long cseq(final int leg)
    {
        return buffer.getInt(offset + legOffset(leg) + LEG_CSEQ_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param leg  {@link #CALLER} or {@link #CALLEE}.
     * @param cseq the last CSeq number sent by the leg.
     * @return this for fluent use.
     */
    public DialogFlyweight cseq(final int leg, final long cseq)
    {
        buffer.putInt(offset + legOffset(leg) + LEG_CSEQ_OFFSET, (int)cseq);
        return this;
    }

    /**
     * Set a leg's remote IPv4 address.
     *
     * @param leg       {@link #CALLER} or {@link #CALLEE}.
     * @param transport a {@code DialogDescriptor.TRANSPORT_*} code.
     * @param ipv4      the address as an int, most significant byte first (a.b.c.d is {@code a << 24 | ...}).
     * @param port      the port.
     * @return this for fluent use.
     */
    public DialogFlyweight remoteIpv4(final int leg, final int transport, final int ipv4, final int port)
    {
        final int legOffset = offset + legOffset(leg);
        buffer.putByte(legOffset + LEG_TRANSPORT_OFFSET, (byte)transport);
        buffer.putByte(legOffset + LEG_ADDRESS_FAMILY_OFFSET, ADDRESS_FAMILY_IPV4);
        buffer.putShort(legOffset + LEG_PORT_OFFSET, (short)port);
        buffer.setMemory(legOffset + LEG_ADDRESS_OFFSET, ADDRESS_CAPACITY, (byte)0);
        buffer.putInt(legOffset + LEG_ADDRESS_OFFSET, ipv4, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Set a leg's remote IPv6 address.
     *
     * @param leg       {@link #CALLER} or {@link #CALLEE}.
     * @param transport a {@code DialogDescriptor.TRANSPORT_*} code.
     * @param src       buffer holding the 16 address bytes, network order.
     * @param srcOff    offset of the address bytes.
     * @param port      the port.
     * @return this for fluent use.
     */
    public DialogFlyweight remoteIpv6(
        final int leg, final int transport, final DirectBuffer src, final int srcOff, final int port)
    {
        final int legOffset = offset + legOffset(leg);
        buffer.putByte(legOffset + LEG_TRANSPORT_OFFSET, (byte)transport);
        buffer.putByte(legOffset + LEG_ADDRESS_FAMILY_OFFSET, ADDRESS_FAMILY_IPV6);
        buffer.putShort(legOffset + LEG_PORT_OFFSET, (short)port);
        buffer.putBytes(legOffset + LEG_ADDRESS_OFFSET, src, srcOff, ADDRESS_CAPACITY);
        return this;
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's transport, a {@code DialogDescriptor.TRANSPORT_*} code.
     */
    public int transport(final int leg)
    {
        return buffer.getByte(offset + legOffset(leg) + LEG_TRANSPORT_OFFSET);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's address family, a {@code DialogDescriptor.ADDRESS_FAMILY_*} code.
     */
    public int addressFamily(final int leg)
    {
        return buffer.getByte(offset + legOffset(leg) + LEG_ADDRESS_FAMILY_OFFSET);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's remote port.
     */
    public int port(final int leg)
    {
        return buffer.getShort(offset + legOffset(leg) + LEG_PORT_OFFSET) & U16_MAX;
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's IPv4 address as an int, most significant byte first (valid for the IPv4 family).
     */
    public int ipv4(final int leg)
    {
        return buffer.getInt(offset + legOffset(leg) + LEG_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's IPv4 address and port packed as {@code ipv4 << 16 | port} (the engine's interned form).
     */
    public long ipv4AndPort(final int leg)
    {
        return (ipv4(leg) & 0xFFFF_FFFFL) << 16 | port(leg);
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return offset in {@link #buffer()} of the leg's 16 address bytes.
     */
    public int addressOffset(final int leg)
    {
        return offset + legOffset(leg) + LEG_ADDRESS_OFFSET;
    }

    /**
     * Empty the route set.
     *
     * @return this for fluent use.
     */
    public DialogFlyweight clearRoutes()
    {
        buffer.putByte(offset + ROUTE_COUNT_OFFSET, (byte)0);
        buffer.putShort(offset + ROUTE_SET_LENGTH_OFFSET, (short)0);
        buffer.putShort(offset + FLAGS_OFFSET, (short)(flags() & ~FLAG_ROUTE_SET_TRUNCATED));
        return this;
    }

    /**
     * Append a route (a Record-Route value, e.g. {@code <sip:p1.example.com;lr>}) to the route set, in the order
     * the dialog uses them. A route that does not fit is dropped and {@link DialogDescriptor#FLAG_ROUTE_SET_TRUNCATED}
     * is set.
     *
     * @param src    buffer holding the route.
     * @param srcOff offset of the route.
     * @param length of the route.
     * @return true if stored.
     */
    public boolean addRoute(final DirectBuffer src, final int srcOff, final int length)
    {
        final int count = routeCount();
        final int used = routeSetLength();
        if (count >= MAX_ROUTES || used + ROUTE_LENGTH_PREFIX + length > ROUTE_SET_CAPACITY)
        {
            buffer.putShort(offset + FLAGS_OFFSET, (short)(flags() | FLAG_ROUTE_SET_TRUNCATED));
            return false;
        }
        final int at = offset + ROUTE_SET_OFFSET + used;
        buffer.putShort(at, (short)length);
        buffer.putBytes(at + ROUTE_LENGTH_PREFIX, src, srcOff, length);
        buffer.putByte(offset + ROUTE_COUNT_OFFSET, (byte)(count + 1));
        buffer.putShort(offset + ROUTE_SET_LENGTH_OFFSET, (short)(used + ROUTE_LENGTH_PREFIX + length));
        return true;
    }

    /**
     * @return number of routes in the route set.
     */
    public int routeCount()
    {
        return buffer.getByte(offset + ROUTE_COUNT_OFFSET) & 0xFF;
    }

    /**
     * @return bytes used by the route set, length prefixes included.
     */
    public int routeSetLength()
    {
        return buffer.getShort(offset + ROUTE_SET_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param index of the route, 0 to {@link #routeCount()} - 1.
     * @return offset in {@link #buffer()} of the route's bytes.
     */
    public int routeOffset(final int index)
    {
        return routePrefixOffset(index) + ROUTE_LENGTH_PREFIX;
    }

    /**
     * @param index of the route, 0 to {@link #routeCount()} - 1.
     * @return length of the route.
     */
    public int routeLength(final int index)
    {
        return buffer.getShort(routePrefixOffset(index)) & U16_MAX;
    }

    /**
     * @return the stored Call-ID as a String (tools and tests only: allocates).
     */
    public String callIdAsString()
    {
        return buffer.getStringWithoutLengthAscii(callIdOffset(), callIdStoredLength());
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's stored tag as a String (tools and tests only: allocates).
     */
    public String tagAsString(final int leg)
    {
        return buffer.getStringWithoutLengthAscii(tagOffset(leg), tagStoredLength(leg));
    }

    /**
     * @param leg {@link #CALLER} or {@link #CALLEE}.
     * @return the leg's stored contact URI as a String (tools and tests only: allocates).
     */
    public String contactAsString(final int leg)
    {
        return buffer.getStringWithoutLengthAscii(contactOffset(leg), contactStoredLength(leg));
    }

    /**
     * @param index of the route.
     * @return the route as a String (tools and tests only: allocates).
     */
    public String routeAsString(final int index)
    {
        return buffer.getStringWithoutLengthAscii(routeOffset(index), routeLength(index));
    }

    @Override
    public String toString()
    {
        return "Dialog{callId=" + callIdAsString() +
            ", state=" + DialogState.name(state()) +
            ", owner=" + ownerMemberId() +
            ", callerTag=" + tagAsString(CALLER) +
            ", calleeTag=" + tagAsString(CALLEE) +
            ", version=" + version() +
            ", createdMs=" + createdMs() +
            ", updatedMs=" + updatedMs() +
            ", expiryMs=" + expiryMs() +
            ", routes=" + routeCount() +
            ", flags=0x" + Integer.toHexString(flags()) +
            '}';
    }

    private int routePrefixOffset(final int index)
    {
        int at = offset + ROUTE_SET_OFFSET;
        for (int i = 0; i < index; i++)
        {
            at += ROUTE_LENGTH_PREFIX + (buffer.getShort(at) & U16_MAX);
        }
        return at;
    }

    private static int legOffset(final int leg)
    {
        return leg == CALLER ? CALLER_LEG_OFFSET : CALLEE_LEG_OFFSET;
    }

    private boolean putText(
        final int fieldOffset,
        final int capacity,
        final int lengthOffset,
        final int truncatedFlag,
        final DirectBuffer src,
        final int srcOff,
        final int length)
    {
        final int stored = Math.min(length, capacity);
        buffer.putBytes(offset + fieldOffset, src, srcOff, stored);
        buffer.putShort(offset + lengthOffset, (short)Math.min(length, U16_MAX));
        final int flags = flags();
        final boolean full = length <= capacity;
        buffer.putShort(offset + FLAGS_OFFSET, (short)(full ? flags & ~truncatedFlag : flags | truncatedFlag));
        return full;
    }
}
