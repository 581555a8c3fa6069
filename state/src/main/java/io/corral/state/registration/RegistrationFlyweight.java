package io.corral.state.registration;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.corral.state.registration.RegistrationDescriptor.ADDRESS_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.ADDRESS_FAMILY_IPV4;
import static io.corral.state.registration.RegistrationDescriptor.ADDRESS_FAMILY_IPV6;
import static io.corral.state.registration.RegistrationDescriptor.ADDRESS_FAMILY_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.ADDRESS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.AGENT_INDEX_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.AOR_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.AOR_LENGTH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.AOR_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CALL_ID_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.CALL_ID_LENGTH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CALL_ID_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CONNECTION_ID_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CONTACT_CAPACITY_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CONTACT_COUNT_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CONTACT_FLAGS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CONTACT_LENGTH;
import static io.corral.state.registration.RegistrationDescriptor.CONTACT_TRUNCATED_MASK;
import static io.corral.state.registration.RegistrationDescriptor.CREATED_MS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.CSEQ_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.EXPIRES_MS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.FLAGS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_AOR_TRUNCATED;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_CALL_ID_TRUNCATED;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_INSTANCE_TRUNCATED;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_NAT;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_PATH_TRUNCATED;
import static io.corral.state.registration.RegistrationDescriptor.FLAG_URI_TRUNCATED;
import static io.corral.state.registration.RegistrationDescriptor.HEADER_LENGTH;
import static io.corral.state.registration.RegistrationDescriptor.INSTANCE_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.INSTANCE_LENGTH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.INSTANCE_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.KEEPALIVE_FAILURES_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.KEY_HIGH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.KEY_LOW_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.NEXT_EXPIRY_MS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.OWNER_MEMBER_ID_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.PATH_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.PATH_LENGTH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.PATH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.PORT_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.Q_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.REGISTERED_MS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.REG_ID_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.TRANSPORT_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.UPDATED_MS_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.URI_CAPACITY;
import static io.corral.state.registration.RegistrationDescriptor.URI_LENGTH_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.URI_OFFSET;
import static io.corral.state.registration.RegistrationDescriptor.VERSION_OFFSET;

/**
 * Flyweight over one registration record laid out as in {@link RegistrationDescriptor}. Reusable: {@link #wrap} it
 * over any buffer holding {@link RegistrationDescriptor#length(int)} bytes for its contact capacity. Text setters
 * take a range of a {@link DirectBuffer} and return false when the value did not fit (a truncation flag is then set
 * and the store will refuse the record). Nothing allocates except the {@code *AsString} helpers meant for tools and
 * tests.
 */
public final class RegistrationFlyweight
{
    private static final int U16_MAX = 0xFFFF;

    private MutableDirectBuffer buffer;
    private int offset;
    private int capacity;

    /**
     * Wrap a record.
     *
     * @param buffer          holding the record.
     * @param offset          of the record in the buffer.
     * @param contactCapacity contact slots of the record (K of the map file).
     * @return this for fluent use.
     */
    public RegistrationFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int contactCapacity)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = contactCapacity;
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
     * @return length of the record in bytes.
     */
    public int length()
    {
        return RegistrationDescriptor.length(capacity);
    }

    /**
     * @return contact slots of the record (K), as wrapped.
     */
    public int contactCapacity()
    {
        return capacity;
    }

    /**
     * Zero the whole record: no contacts, empty address-of-record; the capacity byte is set.
     *
     * @return this for fluent use.
     */
    public RegistrationFlyweight clear()
    {
        buffer.setMemory(offset, length(), (byte)0);
        buffer.putByte(offset + CONTACT_CAPACITY_OFFSET, (byte)capacity);
        return this;
    }

    /**
     * Copy the whole record from another flyweight of the same capacity.
     *
     * @param other to copy from.
     * @return this for fluent use.
     */
    public RegistrationFlyweight copyFrom(final RegistrationFlyweight other)
    {
        buffer.putBytes(offset, other.buffer, other.offset, length());
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
     * @param version of this change.
     * @return this for fluent use.
     */
    public RegistrationFlyweight version(final long version)
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
    public RegistrationFlyweight createdMs(final long createdMs)
    {
        buffer.putLong(offset + CREATED_MS_OFFSET, createdMs);
        return this;
    }

    /**
     * @return time of the last change, epoch ms.
     */
    public long updatedMs()
    {
        return buffer.getLong(offset + UPDATED_MS_OFFSET);
    }

    /**
     * @param updatedMs time of the last change, epoch ms.
     * @return this for fluent use.
     */
    public RegistrationFlyweight updatedMs(final long updatedMs)
    {
        buffer.putLong(offset + UPDATED_MS_OFFSET, updatedMs);
        return this;
    }

    /**
     * @return earliest expiry of the contacts as last stamped by the store, epoch ms.
     */
    public long nextExpiryMs()
    {
        return buffer.getLong(offset + NEXT_EXPIRY_MS_OFFSET);
    }

    /**
     * @param nextExpiryMs earliest expiry of the contacts, epoch ms.
     * @return this for fluent use.
     */
    public RegistrationFlyweight nextExpiryMs(final long nextExpiryMs)
    {
        buffer.putLong(offset + NEXT_EXPIRY_MS_OFFSET, nextExpiryMs);
        return this;
    }

    /**
     * @return high 64 bits of the map key.
     */
    public long keyHigh()
    {
        return buffer.getLong(offset + KEY_HIGH_OFFSET);
    }

    /**
     * @return low 64 bits of the map key.
     */
    public long keyLow()
    {
        return buffer.getLong(offset + KEY_LOW_OFFSET);
    }

    /**
     * @param high 64 bits of the map key.
     * @param low  64 bits of the map key.
     * @return this for fluent use.
     */
    public RegistrationFlyweight key(final long high, final long low)
    {
        buffer.putLong(offset + KEY_HIGH_OFFSET, high);
        buffer.putLong(offset + KEY_LOW_OFFSET, low);
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
    public RegistrationFlyweight ownerMemberId(final int memberId)
    {
        buffer.putByte(offset + OWNER_MEMBER_ID_OFFSET, (byte)memberId);
        return this;
    }

    /**
     * @return number of contacts in use.
     */
    public int contactCount()
    {
        return buffer.getByte(offset + CONTACT_COUNT_OFFSET) & 0xFF;
    }

    /**
     * @return contact slots the record says it has (K of the file it came from).
     */
    public int storedContactCapacity()
    {
        return buffer.getByte(offset + CONTACT_CAPACITY_OFFSET) & 0xFF;
    }

    /**
     * @return the record flags.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Store the normalised address-of-record ({@code user@host}).
     *
     * @param src    buffer holding it.
     * @param srcOff offset.
     * @param length length.
     * @return true if stored in full; false if truncated (flagged).
     */
    public boolean aor(final DirectBuffer src, final int srcOff, final int length)
    {
        final int stored = Math.min(length, AOR_CAPACITY);
        buffer.putBytes(offset + AOR_OFFSET, src, srcOff, stored);
        buffer.putShort(offset + AOR_LENGTH_OFFSET, (short)Math.min(length, U16_MAX));
        final int flags = flags();
        buffer.putByte(offset + FLAGS_OFFSET,
            (byte)(length > AOR_CAPACITY ? flags | FLAG_AOR_TRUNCATED : flags & ~FLAG_AOR_TRUNCATED));
        return length <= AOR_CAPACITY;
    }

    /**
     * @return length of the address-of-record on the wire.
     */
    public int aorLength()
    {
        return buffer.getShort(offset + AOR_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @return offset of the stored address-of-record bytes in {@link #buffer()}.
     */
    public int aorOffset()
    {
        return offset + AOR_OFFSET;
    }

    /**
     * @return the address-of-record (tools, tests).
     */
    public String aorAsString()
    {
        return buffer.getStringWithoutLengthAscii(aorOffset(), Math.min(aorLength(), AOR_CAPACITY));
    }

    /**
     * @return true if the address-of-record or any contact text was truncated: the store refuses the record.
     */
    public boolean isTruncated()
    {
        if ((flags() & FLAG_AOR_TRUNCATED) != 0)
        {
            return true;
        }
        for (int i = 0, n = contactCount(); i < n; i++)
        {
            if ((contactFlags(i) & CONTACT_TRUNCATED_MASK) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Append an empty contact slot (zeroed; q unset).
     *
     * @return its index, or -1 if the record is full.
     */
    public int addContact()
    {
        final int count = contactCount();
        if (count >= capacity)
        {
            return -1;
        }
        buffer.setMemory(contactOffset(count), CONTACT_LENGTH, (byte)0);
        buffer.putShort(contactOffset(count) + Q_OFFSET, (short)RegistrationDescriptor.Q_NONE);
        buffer.putByte(offset + CONTACT_COUNT_OFFSET, (byte)(count + 1));
        return count;
    }

    /**
     * Remove a contact; the later ones move down one slot, keeping their order.
     *
     * @param index of the contact.
     * @return this for fluent use.
     */
    public RegistrationFlyweight removeContact(final int index)
    {
        final int count = contactCount();
        for (int i = index + 1; i < count; i++)
        {
            buffer.putBytes(contactOffset(i - 1), buffer, contactOffset(i), CONTACT_LENGTH);
        }
        buffer.putByte(offset + CONTACT_COUNT_OFFSET, (byte)(count - 1));
        return this;
    }

    /**
     * Remove every contact.
     *
     * @return this for fluent use.
     */
    public RegistrationFlyweight removeAllContacts()
    {
        buffer.putByte(offset + CONTACT_COUNT_OFFSET, (byte)0);
        return this;
    }

    /**
     * Remove the contacts expired at a time.
     *
     * @param nowMs wall clock, epoch ms.
     * @return number removed.
     */
    public int removeExpired(final long nowMs)
    {
        int removed = 0;
        for (int i = contactCount() - 1; i >= 0; i--)
        {
            if (expiresMs(i) <= nowMs)
            {
                removeContact(i);
                removed++;
            }
        }
        return removed;
    }

    /**
     * @return the earliest expiry of the contacts, or {@link Long#MAX_VALUE} if none.
     */
    public long earliestExpiryMs()
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0, n = contactCount(); i < n; i++)
        {
            earliest = Math.min(earliest, expiresMs(i));
        }
        return earliest;
    }

    /**
     * Find a contact by its URI, compared byte for byte.
     *
     * @param src    buffer holding the URI.
     * @param srcOff offset.
     * @param length length.
     * @return the index, or -1.
     */
    public int indexOfContact(final DirectBuffer src, final int srcOff, final int length)
    {
        for (int i = 0, n = contactCount(); i < n; i++)
        {
            if (uriLength(i) == length && length <= URI_CAPACITY && equal(uriOffset(i), src, srcOff, length))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param index of a contact.
     * @return expiry, epoch ms.
     */
    public long expiresMs(final int index)
    {
        return buffer.getLong(contactOffset(index) + EXPIRES_MS_OFFSET);
    }

    /**
     * @param index     of a contact.
     * @param expiresMs expiry, epoch ms.
     * @return this for fluent use.
     */
    public RegistrationFlyweight expiresMs(final int index, final long expiresMs)
    {
        buffer.putLong(contactOffset(index) + EXPIRES_MS_OFFSET, expiresMs);
        return this;
    }

    /**
     * @param index of a contact.
     * @return time of its last REGISTER, epoch ms.
     */
    public long registeredMs(final int index)
    {
        return buffer.getLong(contactOffset(index) + REGISTERED_MS_OFFSET);
    }

    /**
     * @param index        of a contact.
     * @param registeredMs time of its last REGISTER, epoch ms.
     * @return this for fluent use.
     */
    public RegistrationFlyweight registeredMs(final int index, final long registeredMs)
    {
        buffer.putLong(contactOffset(index) + REGISTERED_MS_OFFSET, registeredMs);
        return this;
    }

    /**
     * @param index of a contact.
     * @return the connection it registered on, 0 for none.
     */
    public long connectionId(final int index)
    {
        return buffer.getLong(contactOffset(index) + CONNECTION_ID_OFFSET);
    }

    /**
     * @param index of a contact.
     * @return the agent (local socket) it registered on.
     */
    public long agentIndex(final int index)
    {
        return buffer.getLong(contactOffset(index) + AGENT_INDEX_OFFSET);
    }

    /**
     * @param index        of a contact.
     * @param agentIndex   the agent (local socket) it registered on.
     * @param connectionId the connection it registered on, 0 for none.
     * @return this for fluent use.
     */
    public RegistrationFlyweight localSocket(final int index, final long agentIndex, final long connectionId)
    {
        buffer.putLong(contactOffset(index) + AGENT_INDEX_OFFSET, agentIndex);
        buffer.putLong(contactOffset(index) + CONNECTION_ID_OFFSET, connectionId);
        return this;
    }

    /**
     * @param index of a contact.
     * @return CSeq number of its last REGISTER.
     */
    public long cseq(final int index)
    {
        return buffer.getInt(contactOffset(index) + CSEQ_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param index of a contact.
     * @param cseq  CSeq number of its last REGISTER.
     * @return this for fluent use.
     */
    public RegistrationFlyweight cseq(final int index, final long cseq)
    {
        buffer.putInt(contactOffset(index) + CSEQ_OFFSET, (int)cseq);
        return this;
    }

    /**
     * @param index of a contact.
     * @return its reg-id (RFC 5626), 0 if none.
     */
    public int regId(final int index)
    {
        return buffer.getInt(contactOffset(index) + REG_ID_OFFSET);
    }

    /**
     * @param index of a contact.
     * @param regId its reg-id, 0 for none.
     * @return this for fluent use.
     */
    public RegistrationFlyweight regId(final int index, final int regId)
    {
        buffer.putInt(contactOffset(index) + REG_ID_OFFSET, regId);
        return this;
    }

    /**
     * @param index of a contact.
     * @return its q in thousandths, or {@link RegistrationDescriptor#Q_NONE}.
     */
    public int q(final int index)
    {
        return buffer.getShort(contactOffset(index) + Q_OFFSET);
    }

    /**
     * @param index of a contact.
     * @param q     in thousandths 0..1000, or {@link RegistrationDescriptor#Q_NONE}.
     * @return this for fluent use.
     */
    public RegistrationFlyweight q(final int index, final int q)
    {
        buffer.putShort(contactOffset(index) + Q_OFFSET, (short)q);
        return this;
    }

    /**
     * @param index     of a contact.
     * @param transport the engine's transport code.
     * @param ipv4      source address, most significant octet first.
     * @param port      source port.
     * @return this for fluent use.
     */
    public RegistrationFlyweight sourceIpv4(final int index, final int transport, final int ipv4, final int port)
    {
        final int at = contactOffset(index);
        buffer.putByte(at + TRANSPORT_OFFSET, (byte)transport);
        buffer.putByte(at + ADDRESS_FAMILY_OFFSET, ADDRESS_FAMILY_IPV4);
        buffer.putShort(at + PORT_OFFSET, (short)port);
        buffer.setMemory(at + ADDRESS_OFFSET, ADDRESS_CAPACITY, (byte)0);
        buffer.putInt(at + ADDRESS_OFFSET, ipv4, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param index     of a contact.
     * @param transport the engine's transport code.
     * @param high      first 64 bits of the source address.
     * @param low       last 64 bits.
     * @param port      source port.
     * @return this for fluent use.
     */
    public RegistrationFlyweight sourceIpv6(
        final int index, final int transport, final long high, final long low, final int port)
    {
        final int at = contactOffset(index);
        buffer.putByte(at + TRANSPORT_OFFSET, (byte)transport);
        buffer.putByte(at + ADDRESS_FAMILY_OFFSET, ADDRESS_FAMILY_IPV6);
        buffer.putShort(at + PORT_OFFSET, (short)port);
        buffer.putLong(at + ADDRESS_OFFSET, high, ByteOrder.BIG_ENDIAN);
        buffer.putLong(at + ADDRESS_OFFSET + 8, low, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param index of a contact.
     * @return the engine's transport code of its source.
     */
    public int transport(final int index)
    {
        return buffer.getByte(contactOffset(index) + TRANSPORT_OFFSET);
    }

    /**
     * @param index of a contact.
     * @return {@link RegistrationDescriptor#ADDRESS_FAMILY_IPV4}, {@code _IPV6} or {@code _NONE}.
     */
    public int addressFamily(final int index)
    {
        return buffer.getByte(contactOffset(index) + ADDRESS_FAMILY_OFFSET);
    }

    /**
     * @param index of a contact.
     * @return source port.
     */
    public int port(final int index)
    {
        return buffer.getShort(contactOffset(index) + PORT_OFFSET) & U16_MAX;
    }

    /**
     * @param index of a contact.
     * @return source IPv4 address, most significant octet first.
     */
    public int ipv4(final int index)
    {
        return buffer.getInt(contactOffset(index) + ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param index of a contact.
     * @return first 64 bits of the source IPv6 address.
     */
    public long ipv6High(final int index)
    {
        return buffer.getLong(contactOffset(index) + ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param index of a contact.
     * @return last 64 bits of the source IPv6 address.
     */
    public long ipv6Low(final int index)
    {
        return buffer.getLong(contactOffset(index) + ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param index of a contact.
     * @return its flags ({@code RegistrationDescriptor.FLAG_*} of contacts).
     */
    public int contactFlags(final int index)
    {
        return buffer.getByte(contactOffset(index) + CONTACT_FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @param index of a contact.
     * @return true if it is behind a NAT.
     */
    public boolean isNat(final int index)
    {
        return (contactFlags(index) & FLAG_NAT) != 0;
    }

    /**
     * @param index of a contact.
     * @param nat   true if it is behind a NAT.
     * @return this for fluent use.
     */
    public RegistrationFlyweight nat(final int index, final boolean nat)
    {
        setContactFlag(index, FLAG_NAT, nat);
        return this;
    }

    /**
     * @param index of a contact.
     * @return consecutive keep-alive failures.
     */
    public int keepAliveFailures(final int index)
    {
        return buffer.getByte(contactOffset(index) + KEEPALIVE_FAILURES_OFFSET) & 0xFF;
    }

    /**
     * @param index    of a contact.
     * @param failures consecutive keep-alive failures, 0..255.
     * @return this for fluent use.
     */
    public RegistrationFlyweight keepAliveFailures(final int index, final int failures)
    {
        buffer.putByte(contactOffset(index) + KEEPALIVE_FAILURES_OFFSET, (byte)Math.min(failures, 0xFF));
        return this;
    }

    /**
     * @param index  of a contact.
     * @param src    buffer holding the contact URI (without angle brackets or header parameters).
     * @param srcOff offset.
     * @param length length.
     * @return true if stored in full.
     */
    public boolean uri(final int index, final DirectBuffer src, final int srcOff, final int length)
    {
        return putText(index, URI_OFFSET, URI_CAPACITY, URI_LENGTH_OFFSET, FLAG_URI_TRUNCATED, src, srcOff, length);
    }

    /**
     * @param index of a contact.
     * @return length of its URI on the wire.
     */
    public int uriLength(final int index)
    {
        return buffer.getShort(contactOffset(index) + URI_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param index of a contact.
     * @return offset of its URI bytes in {@link #buffer()}.
     */
    public int uriOffset(final int index)
    {
        return contactOffset(index) + URI_OFFSET;
    }

    /**
     * @param index  of a contact.
     * @param src    buffer holding the Call-ID of its REGISTER.
     * @param srcOff offset.
     * @param length length.
     * @return true if stored in full.
     */
    public boolean callId(final int index, final DirectBuffer src, final int srcOff, final int length)
    {
        return putText(index, CALL_ID_OFFSET, CALL_ID_CAPACITY, CALL_ID_LENGTH_OFFSET, FLAG_CALL_ID_TRUNCATED, src,
            srcOff, length);
    }

    /**
     * @param index of a contact.
     * @return length of its Call-ID on the wire.
     */
    public int callIdLength(final int index)
    {
        return buffer.getShort(contactOffset(index) + CALL_ID_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param index of a contact.
     * @return offset of its Call-ID bytes in {@link #buffer()}.
     */
    public int callIdOffset(final int index)
    {
        return contactOffset(index) + CALL_ID_OFFSET;
    }

    /**
     * @param index  of a contact.
     * @param src    buffer holding a Call-ID.
     * @param srcOff offset.
     * @param length length.
     * @return true if the contact was registered with this Call-ID.
     */
    public boolean isCallId(final int index, final DirectBuffer src, final int srcOff, final int length)
    {
        return callIdLength(index) == length && length <= CALL_ID_CAPACITY &&
            equal(callIdOffset(index), src, srcOff, length);
    }

    /**
     * @param index  of a contact.
     * @param src    buffer holding the Path (RFC 3327), header values joined by commas, in order.
     * @param srcOff offset.
     * @param length length, 0 for none.
     * @return true if stored in full.
     */
    public boolean path(final int index, final DirectBuffer src, final int srcOff, final int length)
    {
        return putText(index, PATH_OFFSET, PATH_CAPACITY, PATH_LENGTH_OFFSET, FLAG_PATH_TRUNCATED, src, srcOff,
            length);
    }

    /**
     * @param index of a contact.
     * @return length of its Path on the wire, 0 if none.
     */
    public int pathLength(final int index)
    {
        return buffer.getShort(contactOffset(index) + PATH_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param index of a contact.
     * @return offset of its Path bytes in {@link #buffer()}.
     */
    public int pathOffset(final int index)
    {
        return contactOffset(index) + PATH_OFFSET;
    }

    /**
     * @param index  of a contact.
     * @param src    buffer holding its {@code +sip.instance} value as received.
     * @param srcOff offset.
     * @param length length, 0 for none.
     * @return true if stored in full.
     */
    public boolean instance(final int index, final DirectBuffer src, final int srcOff, final int length)
    {
        return putText(index, INSTANCE_OFFSET, INSTANCE_CAPACITY, INSTANCE_LENGTH_OFFSET, FLAG_INSTANCE_TRUNCATED,
            src, srcOff, length);
    }

    /**
     * @param index of a contact.
     * @return length of its {@code +sip.instance} value, 0 if none.
     */
    public int instanceLength(final int index)
    {
        return buffer.getShort(contactOffset(index) + INSTANCE_LENGTH_OFFSET) & U16_MAX;
    }

    /**
     * @param index of a contact.
     * @return offset of its {@code +sip.instance} bytes in {@link #buffer()}.
     */
    public int instanceOffset(final int index)
    {
        return contactOffset(index) + INSTANCE_OFFSET;
    }

    /**
     * @param index of a contact.
     * @return its URI (tools, tests).
     */
    public String uriAsString(final int index)
    {
        return buffer.getStringWithoutLengthAscii(uriOffset(index), Math.min(uriLength(index), URI_CAPACITY));
    }

    /**
     * @param index of a contact.
     * @return its Call-ID (tools, tests).
     */
    public String callIdAsString(final int index)
    {
        return buffer.getStringWithoutLengthAscii(callIdOffset(index),
            Math.min(callIdLength(index), CALL_ID_CAPACITY));
    }

    /**
     * @param index of a contact.
     * @return its Path (tools, tests).
     */
    public String pathAsString(final int index)
    {
        return buffer.getStringWithoutLengthAscii(pathOffset(index), Math.min(pathLength(index), PATH_CAPACITY));
    }

    /**
     * @param index of a contact.
     * @return its {@code +sip.instance} (tools, tests).
     */
    public String instanceAsString(final int index)
    {
        return buffer.getStringWithoutLengthAscii(instanceOffset(index),
            Math.min(instanceLength(index), INSTANCE_CAPACITY));
    }

    /**
     * @param index of a contact.
     * @return offset of its slot in {@link #buffer()}.
     */
    public int contactOffset(final int index)
    {
        return offset + HEADER_LENGTH + index * CONTACT_LENGTH;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Registration{aor=").append(aorAsString())
            .append(", version=").append(version()).append(", owner=").append(ownerMemberId())
            .append(", contacts=[");
        for (int i = 0, n = contactCount(); i < n; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(uriAsString(i)).append(" q=").append(q(i))
                .append(" expires=").append(expiresMs(i)).append(" cseq=").append(cseq(i));
        }
        return sb.append("]}").toString();
    }

    private void setContactFlag(final int index, final int flag, final boolean on)
    {
        final int at = contactOffset(index) + CONTACT_FLAGS_OFFSET;
        final int flags = buffer.getByte(at) & 0xFF;
        buffer.putByte(at, (byte)(on ? flags | flag : flags & ~flag));
    }

    private boolean putText(
        final int index,
        final int fieldOffset,
        final int fieldCapacity,
        final int lengthOffset,
        final int truncatedFlag,
        final DirectBuffer src,
        final int srcOff,
        final int length)
    {
        final int at = contactOffset(index);
        final int stored = Math.min(length, fieldCapacity);
        if (stored > 0)
        {
            buffer.putBytes(at + fieldOffset, src, srcOff, stored);
        }
        buffer.putShort(at + lengthOffset, (short)Math.min(length, U16_MAX));
        setContactFlag(index, truncatedFlag, length > fieldCapacity);
        return length <= fieldCapacity;
    }

    private boolean equal(final int storedOffset, final DirectBuffer src, final int srcOff, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(storedOffset + i) != src.getByte(srcOff + i))
            {
                return false;
            }
        }
        return true;
    }
}
