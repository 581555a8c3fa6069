package io.corral.engine.sdp;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;

/**
 * Reusable flyweight over an SDP body (RFC 4566, RFC 3264) held in a {@link DirectBuffer} range: indexes the lines a
 * media relay reads and rewrites (origin, session and media {@code c=}, {@code m=} ports, {@code a=rtcp}, direction
 * attributes, {@code a=rtcp-mux}, ICE attributes) without copying or allocating.
 * <p>
 * Accepts CRLF and bare LF line ends and a missing final line end, as real user agents send them. Ignores empty lines
 * and line types it does not use. Never reads outside the wrapped range and never throws for bad input:
 * {@link #wrap(DirectBuffer, int, int)} returns false and {@link #reason()} says why.
 */
public final class SdpDecoder
{
    /** Address type {@code IP4}. */
    public static final int ADDRESS_TYPE_IP4 = 4;
    /** Address type {@code IP6}. */
    public static final int ADDRESS_TYPE_IP6 = 6;

    /** No direction attribute applies. */
    public static final int DIRECTION_NONE = 0;
    /** {@code a=sendrecv}, also the default of RFC 3264 §5.1 when no attribute is present. */
    public static final int DIRECTION_SENDRECV = 1;
    /** {@code a=sendonly}. */
    public static final int DIRECTION_SENDONLY = 2;
    /** {@code a=recvonly}. */
    public static final int DIRECTION_RECVONLY = 3;
    /** {@code a=inactive}. */
    public static final int DIRECTION_INACTIVE = 4;

    /** Default bound on media descriptions per body. */
    public static final int DEFAULT_MAX_MEDIA = 16;

    /** Reason: the body is empty. */
    public static final String REASON_EMPTY = "empty SDP body";
    /** Reason: the first line is not {@code v=0}. */
    public static final String REASON_VERSION = "first line is not v=0";
    /** Reason: a line is not {@code <letter>=<value>}. */
    public static final String REASON_LINE = "SDP line is not <type>=<value>";
    /** Reason: the {@code o=} line is missing. */
    public static final String REASON_ORIGIN_MISSING = "missing o= line";
    /** Reason: the {@code o=} line does not have its six fields or a numeric version. */
    public static final String REASON_ORIGIN = "malformed o= line";
    /** Reason: a {@code c=} line is malformed. */
    public static final String REASON_CONNECTION = "malformed c= line";
    /** Reason: a {@code c=} or {@code a=rtcp} line has an address type other than IP4 or IP6. */
    public static final String REASON_ADDRESS_TYPE = "unsupported address type (IP4 and IP6 only)";
    /** Reason: an {@code m=} line is malformed. */
    public static final String REASON_MEDIA = "malformed m= line";
    /** Reason: more media descriptions than this decoder indexes. */
    public static final String REASON_TOO_MANY_MEDIA = "too many media descriptions";
    /** Reason: an {@code a=rtcp} line is malformed. */
    public static final String REASON_RTCP = "malformed a=rtcp line";
    /** Reason: an active media description has no {@code c=} and the session has none either. */
    public static final String REASON_NO_CONNECTION = "media description without c= and no session-level c=";

    static final int ATTRIBUTE_OTHER = 0;
    static final int ATTRIBUTE_RTCP = 1;
    static final int ATTRIBUTE_RTCP_MUX = 2;
    static final int ATTRIBUTE_DIRECTION = 3;
    static final int ATTRIBUTE_CANDIDATE = 4;
    static final int ATTRIBUTE_ICE = 5;

    private static final byte[] IN = { 'I', 'N' };
    private static final byte[] IP4 = { 'I', 'P', '4' };
    private static final byte[] IP6 = { 'I', 'P', '6' };
    private static final byte[] UNSPECIFIED_IP4 = { '0', '.', '0', '.', '0', '.', '0' };
    private static final byte[] UNSPECIFIED_IP6 = { ':', ':' };
    private static final byte[] RTCP = { 'r', 't', 'c', 'p' };
    private static final byte[] RTCP_MUX = { 'r', 't', 'c', 'p', '-', 'm', 'u', 'x' };
    private static final byte[] SENDRECV = { 's', 'e', 'n', 'd', 'r', 'e', 'c', 'v' };
    private static final byte[] SENDONLY = { 's', 'e', 'n', 'd', 'o', 'n', 'l', 'y' };
    private static final byte[] RECVONLY = { 'r', 'e', 'c', 'v', 'o', 'n', 'l', 'y' };
    private static final byte[] INACTIVE = { 'i', 'n', 'a', 'c', 't', 'i', 'v', 'e' };
    private static final byte[] CANDIDATE = { 'c', 'a', 'n', 'd', 'i', 'd', 'a', 't', 'e' };
    private static final byte[] END_OF_CANDIDATES =
        { 'e', 'n', 'd', '-', 'o', 'f', '-', 'c', 'a', 'n', 'd', 'i', 'd', 'a', 't', 'e', 's' };
    private static final byte[] REMOTE_CANDIDATES =
        { 'r', 'e', 'm', 'o', 't', 'e', '-', 'c', 'a', 'n', 'd', 'i', 'd', 'a', 't', 'e', 's' };
    private static final byte[] ICE_PREFIX = { 'i', 'c', 'e', '-' };

    private static final int MAX_PORT = 65535;

    /** The parts of a {@code c=} line, or of the address of an {@code a=rtcp} line. */
    static final class Connection
    {
        int lineStart = -1;
        int addressType;
        int addressTypeOffset;
        int addressOffset;
        int addressLength;
        int addressTokenEnd;
        boolean unspecified;
        /** Number of c= lines of the section (the first one is decoded), for the rewriter's copy of unchanged runs. */
        int lines;

        void reset()
        {
            lineStart = -1;
            addressType = 0;
            addressTypeOffset = 0;
            addressOffset = 0;
            addressLength = 0;
            addressTokenEnd = 0;
            unspecified = false;
            lines = 0;
        }

        boolean present()
        {
            return lineStart >= 0;
        }
    }

    /** The indexed parts of one media description. */
    static final class Media
    {
        int start;
        int end;
        int typeOffset;
        int typeLength;
        int port;
        int portOffset;
        int portLength;
        int portCount;
        int protoOffset;
        int protoLength;
        int formatsOffset;
        int formatsLength;
        final Connection connection = new Connection();
        int rtcpLineStart;
        /** Number of a=rtcp lines of the media description (the first one is decoded). */
        int rtcpLines;
        int rtcpPort;
        int rtcpPortOffset;
        int rtcpPortLength;
        final Connection rtcpAddress = new Connection();
        int directionLineStart;
        int direction;
        boolean rtcpMux;
        int candidateCount;
        boolean iceAttributes;

        void reset(final int start)
        {
            this.start = start;
            end = start;
            typeOffset = 0;
            typeLength = 0;
            port = 0;
            portOffset = 0;
            portLength = 0;
            portCount = 1;
            protoOffset = 0;
            protoLength = 0;
            formatsOffset = 0;
            formatsLength = 0;
            connection.reset();
            rtcpLineStart = -1;
            rtcpLines = 0;
            rtcpPort = 0;
            rtcpPortOffset = 0;
            rtcpPortLength = 0;
            rtcpAddress.reset();
            directionLineStart = -1;
            direction = DIRECTION_NONE;
            rtcpMux = false;
            candidateCount = 0;
            iceAttributes = false;
        }
    }

    private final Media[] media;
    private final Connection sessionConnection = new Connection();
    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    private int offset;
    private int limit;
    private String reason;
    private int mediaCount;
    private int originLineStart;
    private int originVersionOffset;
    private int originVersionLength;
    private int sessionDirection;
    private int sessionDirectionLineStart;
    private boolean sessionIceAttributes;
    private boolean lfLineEnds;

    /**
     * A decoder indexing up to {@link #DEFAULT_MAX_MEDIA} media descriptions.
     */
    public SdpDecoder()
    {
        this(DEFAULT_MAX_MEDIA);
    }

    /**
     * @param maxMedia the most media descriptions a body may hold; more is malformed.
     */
    public SdpDecoder(final int maxMedia)
    {
        if (maxMedia < 1)
        {
            throw new IllegalArgumentException("maxMedia must be at least 1: " + maxMedia);
        }
        media = new Media[maxMedia];
        for (int i = 0; i < maxMedia; i++)
        {
            media[i] = new Media();
        }
    }

    /**
     * Index an SDP body.
     *
     * @param buffer holding the body.
     * @param offset of the body.
     * @param length of the body.
     * @return true if the body is well formed enough to read and rewrite, else false with {@link #reason()}.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + Math.max(0, length);
        if (length > 0)
        {
            // One bounds check for the body: the scan below then reads without a check per byte.
            buffer.boundsCheck(offset, length);
        }
        array = buffer.byteArray();
        address = buffer.addressOffset();
        reason = null;
        mediaCount = 0;
        originLineStart = -1;
        originVersionOffset = 0;
        originVersionLength = 0;
        sessionDirection = DIRECTION_NONE;
        sessionDirectionLineStart = -1;
        sessionIceAttributes = false;
        sessionConnection.reset();
        lfLineEnds = false;

        boolean first = true;
        Media current = null;
        int pos = offset;
        while (pos < limit)
        {
            final int contentEnd = contentEnd(array, address, pos, limit);
            final int next = nextLine(array, address, contentEnd, limit);
            if (contentEnd > pos)
            {
                if (contentEnd - pos < 2 || byteAt(pos + 1) != '=' || !isTypeLetter(byteAt(pos)))
                {
                    return fail(first ? REASON_VERSION : REASON_LINE);
                }
                final byte type = byteAt(pos);
                if (first)
                {
                    if (type != 'v' || SipBytes.trimTrailingWhitespace(array, address, pos, contentEnd) - pos != 3 ||
                        byteAt(pos + 2) != '0')
                    {
                        return fail(REASON_VERSION);
                    }
                    lfLineEnds = next > contentEnd && byteAt(contentEnd) == '\n';
                    first = false;
                }
                else if (type == 'm')
                {
                    if (mediaCount == media.length)
                    {
                        return fail(REASON_TOO_MANY_MEDIA);
                    }
                    if (null != current)
                    {
                        current.end = pos;
                    }
                    current = media[mediaCount++];
                    current.reset(pos);
                    if (!parseMediaLine(current, pos, contentEnd))
                    {
                        return fail(REASON_MEDIA);
                    }
                }
                else if (!onLine(current, type, pos, contentEnd))
                {
                    return false;
                }
            }
            pos = next;
        }
        if (null != current)
        {
            current.end = limit;
        }
        return validate(first);
    }

    /**
     * @return why the last {@link #wrap(DirectBuffer, int, int)} failed, or null if it succeeded.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the offset of the body in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return the length of the body.
     */
    public int length()
    {
        return limit - offset;
    }

    /**
     * @return true if the first line ends with a bare LF rather than CRLF: lines a rewriter adds follow suit.
     */
    public boolean lfLineEnds()
    {
        return lfLineEnds;
    }

    /**
     * @return offset of the {@code sess-version} digits of the {@code o=} line.
     */
    public int originVersionOffset()
    {
        return originVersionOffset;
    }

    /**
     * @return length of the {@code sess-version} digits of the {@code o=} line.
     */
    public int originVersionLength()
    {
        return originVersionLength;
    }

    /**
     * @return true if the session level has a {@code c=} line.
     */
    public boolean hasSessionConnection()
    {
        return sessionConnection.present();
    }

    /**
     * @return {@link #ADDRESS_TYPE_IP4} or {@link #ADDRESS_TYPE_IP6} of the session {@code c=}, 0 if absent.
     */
    public int sessionAddressType()
    {
        return sessionConnection.addressType;
    }

    /**
     * @return offset of the session {@code c=} address (without any multicast {@code /ttl} suffix).
     */
    public int sessionAddressOffset()
    {
        return sessionConnection.addressOffset;
    }

    /**
     * @return length of the session {@code c=} address, 0 if absent.
     */
    public int sessionAddressLength()
    {
        return sessionConnection.addressLength;
    }

    /**
     * @return the session-level direction attribute, or {@link #DIRECTION_NONE}.
     */
    public int sessionDirection()
    {
        return sessionDirection;
    }

    /**
     * @return true if the session level carries {@code a=ice-*} attributes.
     */
    public boolean hasSessionIceAttributes()
    {
        return sessionIceAttributes;
    }

    /**
     * @return the number of media descriptions ({@code m=} sections).
     */
    public int mediaCount()
    {
        return mediaCount;
    }

    /**
     * @param index of the media description.
     * @return offset of its {@code m=} line.
     */
    public int mediaStart(final int index)
    {
        return media[index].start;
    }

    /**
     * @param index of the media description.
     * @return one past its last byte: the start of the next {@code m=} line or the end of the body.
     */
    public int mediaEnd(final int index)
    {
        return media[index].end;
    }

    /**
     * @param index of the media description.
     * @return offset of the media type ({@code audio}, {@code video}, ...).
     */
    public int mediaTypeOffset(final int index)
    {
        return media[index].typeOffset;
    }

    /**
     * @param index of the media description.
     * @return length of the media type.
     */
    public int mediaTypeLength(final int index)
    {
        return media[index].typeLength;
    }

    /**
     * @param index of the media description.
     * @return the {@code m=} port; 0 marks a rejected or disabled stream.
     */
    public int mediaPort(final int index)
    {
        return media[index].port;
    }

    /**
     * @param index of the media description.
     * @return true if the port is 0: a rejected or disabled stream (RFC 3264 §6, §8.2).
     */
    public boolean isMediaDisabled(final int index)
    {
        return media[index].port == 0;
    }

    /**
     * @param index of the media description.
     * @return the number of ports of the {@code m=} line ({@code port/2}), 1 when absent.
     */
    public int mediaPortCount(final int index)
    {
        return media[index].portCount;
    }

    /**
     * @param index of the media description.
     * @return offset of the transport protocol ({@code RTP/AVP}, {@code UDP/TLS/RTP/SAVPF}, ...).
     */
    public int mediaProtoOffset(final int index)
    {
        return media[index].protoOffset;
    }

    /**
     * @param index of the media description.
     * @return length of the transport protocol.
     */
    public int mediaProtoLength(final int index)
    {
        return media[index].protoLength;
    }

    /**
     * @param index of the media description.
     * @return offset of the format list (payload types), trailing whitespace excluded.
     */
    public int mediaFormatsOffset(final int index)
    {
        return media[index].formatsOffset;
    }

    /**
     * @param index of the media description.
     * @return length of the format list, 0 if none.
     */
    public int mediaFormatsLength(final int index)
    {
        return media[index].formatsLength;
    }

    /**
     * @param index of the media description.
     * @return true if the media description has its own {@code c=} line.
     */
    public boolean hasMediaConnection(final int index)
    {
        return media[index].connection.present();
    }

    /**
     * @param index of the media description.
     * @return the address type that applies to the media: its own {@code c=}, else the session's; 0 if none.
     */
    public int addressType(final int index)
    {
        return effectiveConnection(index).addressType;
    }

    /**
     * @param index of the media description.
     * @return offset of the address that applies to the media (its own {@code c=}, else the session's).
     */
    public int addressOffset(final int index)
    {
        return effectiveConnection(index).addressOffset;
    }

    /**
     * @param index of the media description.
     * @return length of the address that applies to the media, 0 if none.
     */
    public int addressLength(final int index)
    {
        return effectiveConnection(index).addressLength;
    }

    /**
     * @param index of the media description.
     * @return true if the address that applies is {@code 0.0.0.0} or {@code ::} (RFC 2543 hold, or ICE placeholder).
     */
    public boolean isAddressUnspecified(final int index)
    {
        return effectiveConnection(index).unspecified;
    }

    /**
     * @param index of the media description.
     * @return the direction that applies: the media's attribute, else the session's, else {@link #DIRECTION_SENDRECV}.
     */
    public int direction(final int index)
    {
        final int direction = media[index].direction;
        if (direction != DIRECTION_NONE)
        {
            return direction;
        }
        return sessionDirection != DIRECTION_NONE ? sessionDirection : DIRECTION_SENDRECV;
    }

    /**
     * @param index of the media description.
     * @return the media's own direction attribute, or {@link #DIRECTION_NONE}.
     */
    public int mediaDirection(final int index)
    {
        return media[index].direction;
    }

    /**
     * @param index of the media description.
     * @return true if the media description has an {@code a=rtcp} attribute (RFC 3605).
     */
    public boolean hasRtcp(final int index)
    {
        return media[index].rtcpLineStart >= 0;
    }

    /**
     * @param index of the media description.
     * @return the {@code a=rtcp} port, 0 if absent.
     */
    public int rtcpPort(final int index)
    {
        return media[index].rtcpPort;
    }

    /**
     * @param index of the media description.
     * @return true if the {@code a=rtcp} attribute carries an address.
     */
    public boolean hasRtcpAddress(final int index)
    {
        return media[index].rtcpAddress.present();
    }

    /**
     * @param index of the media description.
     * @return the address type of the {@code a=rtcp} address, 0 if absent.
     */
    public int rtcpAddressType(final int index)
    {
        return media[index].rtcpAddress.addressType;
    }

    /**
     * @param index of the media description.
     * @return offset of the {@code a=rtcp} address.
     */
    public int rtcpAddressOffset(final int index)
    {
        return media[index].rtcpAddress.addressOffset;
    }

    /**
     * @param index of the media description.
     * @return length of the {@code a=rtcp} address, 0 if absent.
     */
    public int rtcpAddressLength(final int index)
    {
        return media[index].rtcpAddress.addressLength;
    }

    /**
     * @param index of the media description.
     * @return true if the media description has {@code a=rtcp-mux} (RFC 5761).
     */
    public boolean isRtcpMux(final int index)
    {
        return media[index].rtcpMux;
    }

    /**
     * @param index of the media description.
     * @return the number of {@code a=candidate} attributes (ICE, RFC 8839).
     */
    public int candidateCount(final int index)
    {
        return media[index].candidateCount;
    }

    /**
     * @param index of the media description.
     * @return true if the media description carries ICE: candidates or {@code a=ice-*} attributes.
     */
    public boolean hasIce(final int index)
    {
        final Media m = media[index];
        return m.candidateCount > 0 || m.iceAttributes;
    }

    Connection sessionConnection()
    {
        return sessionConnection;
    }

    Media media(final int index)
    {
        return media[index];
    }

    int originLineStart()
    {
        return originLineStart;
    }

    int sessionDirectionLineStart()
    {
        return sessionDirectionLineStart;
    }

    /**
     * @return one past the last content byte of the line starting at {@code pos}: before its LF or CRLF, or before a
     * final CR, or {@code limit}.
     */
    static int contentEnd(final byte[] array, final long address, final int pos, final int limit)
    {
        final int i = SipBytes.indexOf(array, address, pos, limit, (byte)'\n');
        if (i >= 0)
        {
            return i > pos && SipBytes.byteAt(array, address, i - 1) == '\r' ? i - 1 : i;
        }
        return limit > pos && SipBytes.byteAt(array, address, limit - 1) == '\r' ? limit - 1 : limit;
    }

    /**
     * @return the start of the line after the one whose content ends at {@code contentEnd}.
     */
    static int nextLine(final byte[] array, final long address, final int contentEnd, final int limit)
    {
        int i = contentEnd;
        if (i < limit && SipBytes.byteAt(array, address, i) == '\r')
        {
            i++;
        }
        if (i < limit && SipBytes.byteAt(array, address, i) == '\n')
        {
            i++;
        }
        return i;
    }

    /**
     * Classify an {@code a=} line.
     *
     * @return one of the {@code ATTRIBUTE_*} kinds.
     */
    static int attributeKind(final byte[] array, final long address, final int lineStart, final int contentEnd)
    {
        final int nameStart = lineStart + 2;
        if (nameStart >= contentEnd)
        {
            return ATTRIBUTE_OTHER;
        }
        switch (SipBytes.byteAt(array, address, nameStart))
        {
            case 'r': // rtcp, rtcp-mux, recvonly, remote-candidates
            case 's': // sendrecv, sendonly
            case 'i': // inactive, ice-*
            case 'c': // candidate
            case 'e': // end-of-candidates
                break;
            default: // rtpmap, fmtp, ptime and the rest: no decision needed, so no name scan
                return ATTRIBUTE_OTHER;
        }
        int nameEnd = SipBytes.indexOf(array, address, nameStart, contentEnd, (byte)':');
        final boolean hasValue = nameEnd >= 0;
        if (!hasValue)
        {
            nameEnd = SipBytes.trimTrailingWhitespace(array, address, nameStart, contentEnd);
        }
        final int nameLength = nameEnd - nameStart;
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, RTCP))
        {
            return ATTRIBUTE_RTCP;
        }
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, CANDIDATE))
        {
            return ATTRIBUTE_CANDIDATE;
        }
        if (!hasValue)
        {
            if (SipBytes.equalsExact(array, address, nameStart, nameLength, RTCP_MUX))
            {
                return ATTRIBUTE_RTCP_MUX;
            }
            if (directionOf(array, address, nameStart, nameLength) != DIRECTION_NONE)
            {
                return ATTRIBUTE_DIRECTION;
            }
        }
        final boolean icePrefix = nameLength > ICE_PREFIX.length &&
            SipBytes.equalsExact(array, address, nameStart, ICE_PREFIX.length, ICE_PREFIX);
        if (icePrefix ||
            SipBytes.equalsExact(array, address, nameStart, nameLength, END_OF_CANDIDATES) ||
            SipBytes.equalsExact(array, address, nameStart, nameLength, REMOTE_CANDIDATES))
        {
            return ATTRIBUTE_ICE;
        }
        return ATTRIBUTE_OTHER;
    }

    /**
     * @return the direction a direction attribute name stands for, or {@link #DIRECTION_NONE}.
     */
    static int directionOf(final byte[] array, final long address, final int nameStart, final int nameLength)
    {
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, SENDRECV))
        {
            return DIRECTION_SENDRECV;
        }
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, SENDONLY))
        {
            return DIRECTION_SENDONLY;
        }
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, RECVONLY))
        {
            return DIRECTION_RECVONLY;
        }
        if (SipBytes.equalsExact(array, address, nameStart, nameLength, INACTIVE))
        {
            return DIRECTION_INACTIVE;
        }
        return DIRECTION_NONE;
    }

    /**
     * @param direction one of the {@code DIRECTION_*} constants other than {@link #DIRECTION_NONE}.
     * @return the attribute name, or null for {@link #DIRECTION_NONE} or an unknown value.
     */
    static byte[] directionName(final int direction)
    {
        switch (direction)
        {
            case DIRECTION_SENDRECV:
                return SENDRECV;
            case DIRECTION_SENDONLY:
                return SENDONLY;
            case DIRECTION_RECVONLY:
                return RECVONLY;
            case DIRECTION_INACTIVE:
                return INACTIVE;
            default:
                return null;
        }
    }

    private boolean onLine(final Media current, final byte type, final int pos, final int contentEnd)
    {
        switch (type)
        {
            case 'o':
                if (null == current && originLineStart < 0)
                {
                    if (!parseOrigin(pos, contentEnd))
                    {
                        return fail(REASON_ORIGIN);
                    }
                    originLineStart = pos;
                }
                return true;

            case 'c':
            {
                final Connection connection = null == current ? sessionConnection : current.connection;
                connection.lines++;
                if (!connection.present())
                {
                    final String failure = parseAddress(connection, pos + 2, contentEnd);
                    if (null != failure)
                    {
                        return fail(failure);
                    }
                    connection.lineStart = pos;
                }
                return true;
            }

            case 'a':
                return onAttribute(current, pos, contentEnd);

            default:
                return true;
        }
    }

    private boolean onAttribute(final Media current, final int pos, final int contentEnd)
    {
        final int kind = attributeKind(array, address, pos, contentEnd);
        if (null == current)
        {
            if (kind == ATTRIBUTE_DIRECTION && sessionDirectionLineStart < 0)
            {
                sessionDirection = directionOf(array, address, pos + 2, attributeNameLength(pos, contentEnd));
                sessionDirectionLineStart = pos;
            }
            else if (kind == ATTRIBUTE_ICE || kind == ATTRIBUTE_CANDIDATE)
            {
                sessionIceAttributes = true;
            }
            return true;
        }

        switch (kind)
        {
            case ATTRIBUTE_RTCP:
                current.rtcpLines++;
                if (current.rtcpLineStart < 0)
                {
                    if (!parseRtcp(current, pos, contentEnd))
                    {
                        return fail(REASON_RTCP);
                    }
                    current.rtcpLineStart = pos;
                }
                return true;

            case ATTRIBUTE_RTCP_MUX:
                current.rtcpMux = true;
                return true;

            case ATTRIBUTE_DIRECTION:
                if (current.directionLineStart < 0)
                {
                    current.direction = directionOf(array, address, pos + 2, attributeNameLength(pos, contentEnd));
                    current.directionLineStart = pos;
                }
                return true;

            case ATTRIBUTE_CANDIDATE:
                current.candidateCount++;
                return true;

            case ATTRIBUTE_ICE:
                current.iceAttributes = true;
                return true;

            default:
                return true;
        }
    }

    private int attributeNameLength(final int pos, final int contentEnd)
    {
        return SipBytes.trimTrailingWhitespace(array, address, pos + 2, contentEnd) - (pos + 2);
    }

    private boolean validate(final boolean empty)
    {
        if (empty)
        {
            return fail(REASON_EMPTY);
        }
        if (originLineStart < 0)
        {
            return fail(REASON_ORIGIN_MISSING);
        }
        if (!sessionConnection.present())
        {
            for (int i = 0; i < mediaCount; i++)
            {
                if (media[i].port != 0 && !media[i].connection.present())
                {
                    return fail(REASON_NO_CONNECTION);
                }
            }
        }
        return true;
    }

    /**
     * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}: keeps the version digits.
     */
    private boolean parseOrigin(final int pos, final int contentEnd)
    {
        int i = pos + 2;
        for (int field = 0; field < 6; field++)
        {
            i = SipBytes.skipWhitespace(array, address, i, contentEnd);
            final int start = i;
            i = tokenEnd(i, contentEnd);
            if (i == start)
            {
                return false;
            }
            if (field == 2)
            {
                if (!allDigits(start, i))
                {
                    return false;
                }
                originVersionOffset = start;
                originVersionLength = i - start;
            }
        }
        return true;
    }

    /**
     * {@code <nettype> <addrtype> <connection-address>}, the tail of {@code c=} and of {@code a=rtcp}.
     *
     * @return null if well formed, else the reason.
     */
    private String parseAddress(final Connection connection, final int from, final int contentEnd)
    {
        int i = SipBytes.skipWhitespace(array, address, from, contentEnd);
        int start = i;
        i = tokenEnd(i, contentEnd);
        if (!SipBytes.equalsExact(array, address, start, i - start, IN))
        {
            return REASON_CONNECTION;
        }
        i = SipBytes.skipWhitespace(array, address, i, contentEnd);
        start = i;
        i = tokenEnd(i, contentEnd);
        if (i == start)
        {
            return REASON_CONNECTION;
        }
        if (SipBytes.equalsExact(array, address, start, i - start, IP4))
        {
            connection.addressType = ADDRESS_TYPE_IP4;
        }
        else if (SipBytes.equalsExact(array, address, start, i - start, IP6))
        {
            connection.addressType = ADDRESS_TYPE_IP6;
        }
        else
        {
            return REASON_ADDRESS_TYPE;
        }
        connection.addressTypeOffset = start;
        i = SipBytes.skipWhitespace(array, address, i, contentEnd);
        start = i;
        i = tokenEnd(i, contentEnd);
        if (i == start || SipBytes.skipWhitespace(array, address, i, contentEnd) != contentEnd)
        {
            return REASON_CONNECTION;
        }
        final int slash = SipBytes.indexOf(array, address, start, i, (byte)'/');
        final int addressEnd = slash < 0 ? i : slash;
        if (addressEnd == start)
        {
            return REASON_CONNECTION;
        }
        connection.addressOffset = start;
        connection.addressLength = addressEnd - start;
        connection.addressTokenEnd = i;
        connection.unspecified =
            SipBytes.equalsExact(array, address, start, addressEnd - start, UNSPECIFIED_IP4) ||
            SipBytes.equalsExact(array, address, start, addressEnd - start, UNSPECIFIED_IP6);
        return null;
    }

    /**
     * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...}.
     */
    private boolean parseMediaLine(final Media m, final int pos, final int contentEnd)
    {
        int i = pos + 2;
        int start = i;
        i = tokenEnd(i, contentEnd);
        if (i == start)
        {
            return false;
        }
        m.typeOffset = start;
        m.typeLength = i - start;

        i = SipBytes.skipWhitespace(array, address, i, contentEnd);
        start = i;
        while (i < contentEnd && SipBytes.isDigit(byteAt(i)))
        {
            i++;
        }
        final long port = SipBytes.parseUnsigned(array, address, start, i - start, MAX_PORT);
        if (port == SipBytes.INVALID_NUMBER)
        {
            return false;
        }
        m.port = (int)port;
        m.portOffset = start;
        m.portLength = i - start;
        if (i < contentEnd && byteAt(i) == '/')
        {
            start = ++i;
            i = tokenEnd(i, contentEnd);
            final long count = SipBytes.parseUnsigned(array, address, start, i - start, MAX_PORT);
            if (count == SipBytes.INVALID_NUMBER || count == 0)
            {
                return false;
            }
            m.portCount = (int)count;
        }
        if (i == contentEnd || !SipBytes.isWhitespace(byteAt(i)))
        {
            return false;
        }

        i = SipBytes.skipWhitespace(array, address, i, contentEnd);
        start = i;
        i = tokenEnd(i, contentEnd);
        if (i == start)
        {
            return false;
        }
        m.protoOffset = start;
        m.protoLength = i - start;

        start = SipBytes.skipWhitespace(array, address, i, contentEnd);
        m.formatsOffset = start;
        m.formatsLength = SipBytes.trimTrailingWhitespace(array, address, start, contentEnd) - start;
        return true;
    }

    /**
     * {@code a=rtcp:<port> [<nettype> <addrtype> <connection-address>]} (RFC 3605), from the byte after the name.
     */
    private boolean parseRtcp(final Media m, final int lineStart, final int contentEnd)
    {
        final int from = lineStart + 2 + RTCP.length;
        if (from >= contentEnd || byteAt(from) != ':')
        {
            return false;
        }
        int i = SipBytes.skipWhitespace(array, address, from + 1, contentEnd);
        final int start = i;
        while (i < contentEnd && SipBytes.isDigit(byteAt(i)))
        {
            i++;
        }
        final long port = SipBytes.parseUnsigned(array, address, start, i - start, MAX_PORT);
        if (port == SipBytes.INVALID_NUMBER)
        {
            return false;
        }
        m.rtcpPort = (int)port;
        m.rtcpPortOffset = start;
        m.rtcpPortLength = i - start;
        if (SipBytes.skipWhitespace(array, address, i, contentEnd) == contentEnd)
        {
            return true;
        }
        if (!SipBytes.isWhitespace(byteAt(i)) || null != parseAddress(m.rtcpAddress, i, contentEnd))
        {
            return false;
        }
        m.rtcpAddress.lineStart = lineStart;
        return true;
    }

    private boolean allDigits(final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!SipBytes.isDigit(byteAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private int tokenEnd(final int from, final int contentEnd)
    {
        int i = from;
        while (i < contentEnd && !SipBytes.isWhitespace(byteAt(i)))
        {
            i++;
        }
        return i;
    }

    private Connection effectiveConnection(final int index)
    {
        final Connection own = media[index].connection;
        return own.present() ? own : sessionConnection;
    }

    private byte byteAt(final int index)
    {
        return SipBytes.byteAt(array, address, index);
    }

    private boolean fail(final String reason)
    {
        this.reason = reason;
        mediaCount = 0;
        return false;
    }

    private static boolean isTypeLetter(final byte b)
    {
        return b >= 'a' && b <= 'z';
    }
}
