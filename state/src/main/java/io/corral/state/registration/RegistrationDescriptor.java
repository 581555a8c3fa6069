package io.corral.state.registration;

/**
 * Fixed binary layout of one registration record, the value of the registration Chronicle Map: a header with the
 * address-of-record, then {@code K} contact slots, {@code K} fixed when the map file is created (so the value size
 * is constant per file). Little-endian, every long 8-byte aligned. Text fields keep their length <em>on the wire</em>;
 * a value longer than its field keeps its first bytes and sets a {@code *_TRUNCATED} flag, and the store refuses
 * such a record: a truncated contact URI or Path would route calls to the wrong place.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Version (HLC, 64 bits)                       |   0
 *  +---------------------------------------------------------------+
 *  |                  Created (epoch ms, 64 bits)                  |   8
 *  +---------------------------------------------------------------+
 *  |                  Updated (epoch ms, 64 bits)                  |  16
 *  +---------------------------------------------------------------+
 *  |                  Next expiry (epoch ms, earliest contact)     |  24
 *  +---------------------------------------------------------------+
 *  |                  Key high (64 bits)                           |  32
 *  +---------------------------------------------------------------+
 *  |                  Key low (64 bits)                            |  40
 *  +---------------+---------------+---------------+---------------+
 *  | Owner member  | Contact count | Capacity (K)  |    Flags      |  48
 *  +---------------+---------------+---------------+---------------+
 *  |          AOR length           |           reserved            |  52
 *  +-------------------------------+-------------------------------+
 *  |                           reserved                            |  56
 *  +---------------------------------------------------------------+
 *  |              AOR bytes (AOR_CAPACITY)                        ...  64
 *  +---------------------------------------------------------------+
 *  |              Contact 0 (CONTACT_LENGTH bytes, see below)     ... 192
 *  +---------------------------------------------------------------+
 *  |              Contact 1 .. K-1                                ...
 *  +---------------------------------------------------------------+
 *
 *  Contact (offsets relative to the slot):
 *  +---------------------------------------------------------------+
 *  |                  Expires at (epoch ms, 64 bits)               |   0
 *  +---------------------------------------------------------------+
 *  |                  Registered (epoch ms of the last REGISTER)   |   8
 *  +---------------------------------------------------------------+
 *  |                  Connection id (64 bits, 0: none)             |  16
 *  +---------------------------------------------------------------+
 *  |                  Agent index (64 bits)                        |  24
 *  +---------------------------------------------------------------+
 *  |                  CSeq number                                  |  32
 *  +---------------------------------------------------------------+
 *  |                  reg-id (RFC 5626, 0: none)                   |  36
 *  +-------------------------------+-------------------------------+
 *  |      q (-1: none, 0..1000)    |          Port (u16)           |  40
 *  +---------------+---------------+---------------+---------------+
 *  |   Transport   | Address family|     Flags     | Keep-alive fails  44
 *  +---------------+---------------+---------------+---------------+
 *  |     Received address (16 bytes: IPv4 in the first 4, or IPv6)... 48
 *  +-------------------------------+-------------------------------+
 *  |       Contact URI length      |        Call-ID length         |  64
 *  +-------------------------------+-------------------------------+
 *  |          Path length          |     +sip.instance length      |  68
 *  +-------------------------------+-------------------------------+
 *  |              Contact URI bytes (URI_CAPACITY)                ...  72
 *  |              Call-ID bytes (CALL_ID_CAPACITY)                ... 328
 *  |              Path bytes (PATH_CAPACITY)                      ... 456
 *  |              +sip.instance bytes (INSTANCE_CAPACITY)         ... 968
 *  +---------------------------------------------------------------+ 1096
 * </pre>
 *
 * The transport is the engine's transport code, opaque to the store. Addresses are in network byte order.
 */
public final class RegistrationDescriptor
{
    /** Version: hybrid logical clock of the last change. */
    public static final int VERSION_OFFSET = 0;
    /** Creation time of the record, epoch ms. */
    public static final int CREATED_MS_OFFSET = 8;
    /** Time of the last change, epoch ms. */
    public static final int UPDATED_MS_OFFSET = 16;
    /** Earliest expiry of the record's contacts, epoch ms: the sweep looks at nothing else until then. */
    public static final int NEXT_EXPIRY_MS_OFFSET = 24;
    /** High 64 bits of the map key (hash of the address-of-record). */
    public static final int KEY_HIGH_OFFSET = 32;
    /** Low 64 bits of the map key. */
    public static final int KEY_LOW_OFFSET = 40;
    /** Member id (1..63) of the owner, a byte. */
    public static final int OWNER_MEMBER_ID_OFFSET = 48;
    /** Number of contacts in use, a byte. */
    public static final int CONTACT_COUNT_OFFSET = 49;
    /** Number of contact slots of the record (K), a byte. */
    public static final int CONTACT_CAPACITY_OFFSET = 50;
    /** Record flags, a byte: {@link #FLAG_AOR_TRUNCATED}. */
    public static final int FLAGS_OFFSET = 51;
    /** Length of the address-of-record, a u16. */
    public static final int AOR_LENGTH_OFFSET = 52;
    /** Normalised address-of-record bytes ({@code user@host}). */
    public static final int AOR_OFFSET = 64;
    /** Bytes of an address-of-record; a longer one cannot be stored. */
    public static final int AOR_CAPACITY = 128;
    /** Length of the header; contact slots follow. */
    public static final int HEADER_LENGTH = AOR_OFFSET + AOR_CAPACITY;

    /** Contact: expiry, epoch ms. */
    public static final int EXPIRES_MS_OFFSET = 0;
    /** Contact: time of the REGISTER that last added or refreshed it, epoch ms. */
    public static final int REGISTERED_MS_OFFSET = 8;
    /** Contact: id of the connection it registered on (stream transports), 0 for none. */
    public static final int CONNECTION_ID_OFFSET = 16;
    /** Contact: index of the agent (local socket) it registered on. */
    public static final int AGENT_INDEX_OFFSET = 24;
    /** Contact: CSeq number of that REGISTER. */
    public static final int CSEQ_OFFSET = 32;
    /** Contact: reg-id (RFC 5626), 0 when absent. */
    public static final int REG_ID_OFFSET = 36;
    /** Contact: q in thousandths, -1 when not given, a short. */
    public static final int Q_OFFSET = 40;
    /** Contact: source port, a u16. */
    public static final int PORT_OFFSET = 42;
    /** Contact: transport the REGISTER came on (the engine's code), a byte. */
    public static final int TRANSPORT_OFFSET = 44;
    /** Contact: address family of the source, a byte. */
    public static final int ADDRESS_FAMILY_OFFSET = 45;
    /** Contact: flags, a byte: {@code FLAG_*}. */
    public static final int CONTACT_FLAGS_OFFSET = 46;
    /** Contact: consecutive keep-alive failures, a byte. */
    public static final int KEEPALIVE_FAILURES_OFFSET = 47;
    /** Contact: source address, network byte order, 16 bytes. */
    public static final int ADDRESS_OFFSET = 48;
    /** Address bytes of a contact. */
    public static final int ADDRESS_CAPACITY = 16;
    /** Contact: URI length on the wire, a u16. */
    public static final int URI_LENGTH_OFFSET = 64;
    /** Contact: Call-ID length on the wire, a u16. */
    public static final int CALL_ID_LENGTH_OFFSET = 66;
    /** Contact: Path length on the wire, a u16. */
    public static final int PATH_LENGTH_OFFSET = 68;
    /** Contact: +sip.instance length on the wire, a u16. */
    public static final int INSTANCE_LENGTH_OFFSET = 70;
    /** Contact: URI bytes. */
    public static final int URI_OFFSET = 72;
    /** Bytes of a contact URI. */
    public static final int URI_CAPACITY = 256;
    /** Contact: Call-ID bytes. */
    public static final int CALL_ID_OFFSET = URI_OFFSET + URI_CAPACITY;
    /** Bytes of a Call-ID. */
    public static final int CALL_ID_CAPACITY = 128;
    /** Contact: Path bytes (the Path header values, comma-separated, in order; RFC 3327). */
    public static final int PATH_OFFSET = CALL_ID_OFFSET + CALL_ID_CAPACITY;
    /** Bytes of a Path. */
    public static final int PATH_CAPACITY = 512;
    /** Contact: +sip.instance value bytes, as received (RFC 5626; stored, not interpreted). */
    public static final int INSTANCE_OFFSET = PATH_OFFSET + PATH_CAPACITY;
    /** Bytes of a +sip.instance value. */
    public static final int INSTANCE_CAPACITY = 128;
    /** Length of one contact slot. */
    public static final int CONTACT_LENGTH = INSTANCE_OFFSET + INSTANCE_CAPACITY;

    /** Record flag: the address-of-record was longer than {@link #AOR_CAPACITY}. */
    public static final int FLAG_AOR_TRUNCATED = 1;

    /** Contact flag: the contact is behind a NAT (its URI's host is not the address it registered from). */
    public static final int FLAG_NAT = 1;
    /** Contact flag: the URI was longer than {@link #URI_CAPACITY}. */
    public static final int FLAG_URI_TRUNCATED = 1 << 1;
    /** Contact flag: the Call-ID was longer than {@link #CALL_ID_CAPACITY}. */
    public static final int FLAG_CALL_ID_TRUNCATED = 1 << 2;
    /** Contact flag: the Path was longer than {@link #PATH_CAPACITY}. */
    public static final int FLAG_PATH_TRUNCATED = 1 << 3;
    /** Contact flag: the +sip.instance was longer than {@link #INSTANCE_CAPACITY}. */
    public static final int FLAG_INSTANCE_TRUNCATED = 1 << 4;
    /** Mask of the truncation flags of a contact. */
    public static final int CONTACT_TRUNCATED_MASK =
        FLAG_URI_TRUNCATED | FLAG_CALL_ID_TRUNCATED | FLAG_PATH_TRUNCATED | FLAG_INSTANCE_TRUNCATED;

    /** No address recorded. */
    public static final byte ADDRESS_FAMILY_NONE = 0;
    /** IPv4: the first 4 address bytes are used. */
    public static final byte ADDRESS_FAMILY_IPV4 = 4;
    /** IPv6: all 16 address bytes are used. */
    public static final byte ADDRESS_FAMILY_IPV6 = 6;

    /** q value stored when the contact gave none. */
    public static final int Q_NONE = -1;

    private RegistrationDescriptor()
    {
    }

    /**
     * @param contactCapacity contact slots per record (K).
     * @return length of a record.
     */
    public static int length(final int contactCapacity)
    {
        return HEADER_LENGTH + contactCapacity * CONTACT_LENGTH;
    }
}
