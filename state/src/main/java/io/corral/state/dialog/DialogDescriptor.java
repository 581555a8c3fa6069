package io.corral.state.dialog;

/**
 * Fixed binary layout of one dialog record, the value of the dialog Chronicle Map. Little-endian (native order of
 * the only platform we run on), every long 8-byte aligned. Text fields (Call-ID, tags, contact URIs, routes) are
 * stored as bytes with a capacity; their length field holds the length <em>on the wire</em>, so a value longer than
 * the capacity keeps its first {@code capacity} bytes and sets its {@code *_TRUNCATED} flag.
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
 *  |                  Expiry (epoch ms, 64 bits)                   |  24
 *  +---------------------------------------------------------------+
 *  |                  Key high (64 bits)                           |  32
 *  +---------------------------------------------------------------+
 *  |                  Key low (64 bits)                            |  40
 *  +---------------------------------------------------------------+
 *  |                  INVITE CSeq number                           |  48
 *  +---------------------------------------------------------------+
 *  |                  Termination reason                           |  52
 *  +---------------+---------------+-------------------------------+
 *  |     State     | Owner member  |            Flags              |  56
 *  +---------------+---------------+-------------------------------+
 *  |        Call-ID length         |  Route count  |   reserved    |  60
 *  +-------------------------------+---------------+---------------+
 *  |     Route set length (bytes)  |           reserved            |  64
 *  +-------------------------------+-------------------------------+
 *  |                           reserved                            |  68
 *  +---------------------------------------------------------------+
 *  |              Caller leg (LEG_LENGTH bytes, see below)        ...  72
 *  +---------------------------------------------------------------+
 *  |              Callee leg (LEG_LENGTH bytes)                   ... 424
 *  +---------------------------------------------------------------+
 *  |              Call-ID bytes (CALL_ID_CAPACITY)                ... 776
 *  +---------------------------------------------------------------+
 *  |              Route set (ROUTE_SET_CAPACITY): repeated         ... 904
 *  |              [length u16][Record-Route value bytes]             |
 *  +---------------------------------------------------------------+  1928
 *
 *  Leg (offsets relative to the leg):
 *  +---------------------------------------------------------------+
 *  |              Last CSeq number sent by this leg                |   0
 *  +---------------+---------------+-------------------------------+
 *  |   Transport   | Address family|          Port (u16)           |   4
 *  +---------------+---------------+-------------------------------+
 *  |     Remote address (16 bytes: IPv4 in the first 4, or IPv6)  ...   8
 *  +-------------------------------+-------------------------------+
 *  |          Tag length           |        Contact length         |  24
 *  +-------------------------------+-------------------------------+
 *  |                           reserved                            |  28
 *  +---------------------------------------------------------------+
 *  |              Tag bytes (TAG_CAPACITY)                        ...  32
 *  +---------------------------------------------------------------+
 *  |              Contact / target URI bytes (CONTACT_CAPACITY)   ...  96
 *  +---------------------------------------------------------------+ 352
 * </pre>
 *
 * The caller leg is the side that sent the INVITE (its tag is the From-tag of the INVITE), the callee leg the side
 * that answered (the To-tag). Addresses are in network byte order.
 */
public final class DialogDescriptor
{
    /** Version: hybrid logical clock of the last change, see {@code HybridLogicalClock}. */
    public static final int VERSION_OFFSET = 0;
    /** Creation time, epoch ms. */
    public static final int CREATED_MS_OFFSET = 8;
    /** Time of the last change or in-dialog activity, epoch ms. */
    public static final int UPDATED_MS_OFFSET = 16;
    /** Time after which the sweep removes the dialog, epoch ms. */
    public static final int EXPIRY_MS_OFFSET = 24;
    /** High 64 bits of the 128-bit dialog key (the map key), kept in the value for tools and replication. */
    public static final int KEY_HIGH_OFFSET = 32;
    /** Low 64 bits of the 128-bit dialog key. */
    public static final int KEY_LOW_OFFSET = 40;
    /** CSeq number of the INVITE that created the dialog. */
    public static final int INVITE_CSEQ_OFFSET = 48;
    /** Why the dialog terminated: one of the {@code DialogState.REASON_*} codes or a SIP status code. */
    public static final int TERMINATION_REASON_OFFSET = 52;
    /** One of {@link DialogState}'s states, a byte. */
    public static final int STATE_OFFSET = 56;
    /** Member id (1..63) of the owner, a byte. */
    public static final int OWNER_MEMBER_ID_OFFSET = 57;
    /** Flags, a short: the {@code FLAG_*} bits; bits 8..15 are free for the engine. */
    public static final int FLAGS_OFFSET = 58;
    /** Length of the Call-ID on the wire, a u16. */
    public static final int CALL_ID_LENGTH_OFFSET = 60;
    /** Number of routes stored in the route set, a byte. */
    public static final int ROUTE_COUNT_OFFSET = 62;
    /** Bytes used in the route set area, length prefixes included, a u16. */
    public static final int ROUTE_SET_LENGTH_OFFSET = 64;

    /** Offset of the caller leg. */
    public static final int CALLER_LEG_OFFSET = 72;

    /** Leg: last CSeq number sent by this leg. */
    public static final int LEG_CSEQ_OFFSET = 0;
    /** Leg: transport, one of the {@code TRANSPORT_*} codes, a byte. */
    public static final int LEG_TRANSPORT_OFFSET = 4;
    /** Leg: address family, {@link #ADDRESS_FAMILY_IPV4}, {@link #ADDRESS_FAMILY_IPV6} or 0 for none, a byte. */
    public static final int LEG_ADDRESS_FAMILY_OFFSET = 5;
    /** Leg: remote port, a u16. */
    public static final int LEG_PORT_OFFSET = 6;
    /** Leg: remote address, network byte order, 16 bytes. */
    public static final int LEG_ADDRESS_OFFSET = 8;
    /** Leg: tag length on the wire, a u16. */
    public static final int LEG_TAG_LENGTH_OFFSET = 24;
    /** Leg: contact URI length on the wire, a u16. */
    public static final int LEG_CONTACT_LENGTH_OFFSET = 26;
    /** Leg: tag bytes. */
    public static final int LEG_TAG_OFFSET = 32;
    /** Bytes kept of a tag; longer tags are truncated and flagged. */
    public static final int TAG_CAPACITY = 64;
    /** Leg: contact (remote target) URI bytes. */
    public static final int LEG_CONTACT_OFFSET = LEG_TAG_OFFSET + TAG_CAPACITY;
    /** Bytes kept of a contact URI; longer ones are truncated and flagged. */
    public static final int CONTACT_CAPACITY = 256;
    /** Length of one leg. */
    public static final int LEG_LENGTH = LEG_CONTACT_OFFSET + CONTACT_CAPACITY;
    /** Address bytes in a leg. */
    public static final int ADDRESS_CAPACITY = 16;

    /** Offset of the callee leg. */
    public static final int CALLEE_LEG_OFFSET = CALLER_LEG_OFFSET + LEG_LENGTH;
    /** Offset of the Call-ID bytes. */
    public static final int CALL_ID_OFFSET = CALLEE_LEG_OFFSET + LEG_LENGTH;
    /** Bytes kept of a Call-ID; a longer Call-ID keeps its first bytes and sets {@link #FLAG_CALL_ID_TRUNCATED}. */
    public static final int CALL_ID_CAPACITY = 128;
    /** Offset of the route set. */
    public static final int ROUTE_SET_OFFSET = CALL_ID_OFFSET + CALL_ID_CAPACITY;
    /** Bytes of the route set area, 2-byte length prefixes included. */
    public static final int ROUTE_SET_CAPACITY = 1024;
    /** Most routes kept in a route set. */
    public static final int MAX_ROUTES = 32;
    /** Size of the length prefix of each route. */
    public static final int ROUTE_LENGTH_PREFIX = 2;

    /** Total length of a dialog record. */
    public static final int LENGTH = ROUTE_SET_OFFSET + ROUTE_SET_CAPACITY;

    /** The Call-ID was longer than {@link #CALL_ID_CAPACITY}. */
    public static final int FLAG_CALL_ID_TRUNCATED = 1;
    /** The caller tag was longer than {@link #TAG_CAPACITY}. */
    public static final int FLAG_CALLER_TAG_TRUNCATED = 1 << 1;
    /** The callee tag was longer than {@link #TAG_CAPACITY}. */
    public static final int FLAG_CALLEE_TAG_TRUNCATED = 1 << 2;
    /** The caller contact was longer than {@link #CONTACT_CAPACITY}. */
    public static final int FLAG_CALLER_CONTACT_TRUNCATED = 1 << 3;
    /** The callee contact was longer than {@link #CONTACT_CAPACITY}. */
    public static final int FLAG_CALLEE_CONTACT_TRUNCATED = 1 << 4;
    /** A route did not fit the route set (bytes or count): the stored route set is incomplete. */
    public static final int FLAG_ROUTE_SET_TRUNCATED = 1 << 5;
    /** Mask of the flags the store owns; the engine may use the others. */
    public static final int STORE_FLAGS_MASK = 0xFF;

    /** No address recorded. */
    public static final byte ADDRESS_FAMILY_NONE = 0;
    /** IPv4: the first 4 address bytes are used. */
    public static final byte ADDRESS_FAMILY_IPV4 = 4;
    /** IPv6: all 16 address bytes are used. */
    public static final byte ADDRESS_FAMILY_IPV6 = 6;

    /** Transport not known. */
    public static final byte TRANSPORT_NONE = 0;
    /** UDP. */
    public static final byte TRANSPORT_UDP = 1;
    /** TCP. */
    public static final byte TRANSPORT_TCP = 2;
    /** TLS over TCP. */
    public static final byte TRANSPORT_TLS = 3;
    /** WebSocket. */
    public static final byte TRANSPORT_WS = 4;
    /** Secure WebSocket. */
    public static final byte TRANSPORT_WSS = 5;
    /** SCTP. */
    public static final byte TRANSPORT_SCTP = 6;

    private DialogDescriptor()
    {
    }
}
