package io.corral.engine.sdp;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.corral.engine.sdp.SdpDecoder.ATTRIBUTE_CANDIDATE;
import static io.corral.engine.sdp.SdpDecoder.ATTRIBUTE_DIRECTION;
import static io.corral.engine.sdp.SdpDecoder.ATTRIBUTE_ICE;
import static io.corral.engine.sdp.SdpDecoder.ATTRIBUTE_RTCP;

/**
 * Writes an edited copy of the SDP body a {@link SdpDecoder} has wrapped, the way a media relay rewrites an offer or
 * answer: connection addresses, media ports and the matching {@code a=rtcp}, direction, ICE removal and the
 * {@code o=} version. Unchanged bytes are copied range by range, so a rewrite with no edits, or with edits equal to
 * the current values, reproduces the body byte for byte.
 * <p>
 * Usage per body: {@link #reset(SdpDecoder)}, then any edits, then {@link #write(MutableDirectBuffer, int, int)}.
 * Address ranges passed to the edits are referenced, not copied: they must stay unchanged until the write. Reusable;
 * no allocation per body. The caller fixes the SIP Content-Length afterwards.
 * <p>
 * Rules a relay needs:
 * <ul>
 *     <li>{@link #address} is the default for the session {@code c=} and every media {@code c=};
 *     {@link #mediaAddress} overrides it for one media description, inserting a media-level {@code c=} when that
 *     media relied on the session-level one.</li>
 *     <li>The port of a rejected or disabled stream (port 0) is never changed (RFC 3264 §6).</li>
 *     <li>A new media port moves its {@code a=rtcp} port too: to the same port with {@code a=rtcp-mux}, else to the
 *     next port, unless {@link #rtcpPort} says otherwise; an address on the {@code a=rtcp} line follows the media's
 *     new address.</li>
 *     <li>A new address replaces the whole connection address, multicast {@code /ttl} included, and sets
 *     {@code IP4} or {@code IP6} to match it.</li>
 * </ul>
 */
public final class SdpRewriter
{
    /** Reason: {@link #write} was called without a decoder holding a well-formed body. */
    public static final String REASON_NOT_WRAPPED = "decoder holds no well-formed SDP";
    /** Reason: the decoder indexes more media descriptions than this rewriter was built for. */
    public static final String REASON_TOO_MANY_MEDIA = "more media descriptions than the rewriter holds";
    /** Reason: the rewritten body does not fit the destination. */
    public static final String REASON_TOO_SMALL = "destination too small for the rewritten SDP";

    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] LF = { '\n' };
    private static final byte[] CONNECTION_IP4 = { 'c', '=', 'I', 'N', ' ', 'I', 'P', '4', ' ' };
    private static final byte[] CONNECTION_IP6 = { 'c', '=', 'I', 'N', ' ', 'I', 'P', '6', ' ' };
    private static final byte[] IP4 = { 'I', 'P', '4' };
    private static final byte[] IP6 = { 'I', 'P', '6' };
    private static final byte[] ATTRIBUTE = { 'a', '=' };
    private static final int MAX_PORT = 65535;
    private static final int NOT_SET = -1;
    private static final int LINE_END_LF = 0;
    private static final int LINE_END_CR = 1;
    private static final int LINE_END_NONE = 2;

    private final int[] mediaPort;
    private final int[] rtcpPort;
    private final int[] mediaDirection;
    private final int[] mediaAddressType;
    private final DirectBuffer[] mediaAddressBuffer;
    private final int[] mediaAddressOffset;
    private final int[] mediaAddressLength;

    private SdpDecoder decoder;
    private int addressType;
    private DirectBuffer addressBuffer;
    private int addressOffset;
    private int addressLength;
    private boolean stripIce;
    private boolean incrementVersion;
    private boolean keepUnspecifiedAddress;
    private String reason;

    private DirectBuffer src;
    private byte[] srcArray;
    private long srcAddress;
    private MutableDirectBuffer dst;
    private int dstPos;
    private int dstLimit;
    private int pendingFrom;
    private int pendingTo;
    private boolean overflow;
    private int lastLineEnd;

    /**
     * A rewriter for bodies of up to {@link SdpDecoder#DEFAULT_MAX_MEDIA} media descriptions.
     */
    public SdpRewriter()
    {
        this(SdpDecoder.DEFAULT_MAX_MEDIA);
    }

    /**
     * @param maxMedia the most media descriptions, as given to the {@link SdpDecoder} it works with.
     */
    public SdpRewriter(final int maxMedia)
    {
        mediaPort = new int[maxMedia];
        rtcpPort = new int[maxMedia];
        mediaDirection = new int[maxMedia];
        mediaAddressType = new int[maxMedia];
        mediaAddressBuffer = new DirectBuffer[maxMedia];
        mediaAddressOffset = new int[maxMedia];
        mediaAddressLength = new int[maxMedia];
        reset(null);
    }

    /**
     * Start a new edit of the body {@code decoder} holds, clearing every previous edit and option.
     *
     * @param decoder that has wrapped the body to rewrite.
     * @return this for chaining.
     */
    public SdpRewriter reset(final SdpDecoder decoder)
    {
        this.decoder = decoder;
        for (int i = 0; i < mediaPort.length; i++)
        {
            mediaPort[i] = NOT_SET;
            rtcpPort[i] = NOT_SET;
            mediaDirection[i] = SdpDecoder.DIRECTION_NONE;
            mediaAddressBuffer[i] = null;
        }
        addressBuffer = null;
        stripIce = false;
        incrementVersion = false;
        keepUnspecifiedAddress = false;
        reason = null;
        src = null;
        dst = null;
        return this;
    }

    /**
     * Set the connection address of the session and of every media description without its own
     * {@link #mediaAddress}.
     *
     * @param addressType {@link SdpDecoder#ADDRESS_TYPE_IP4} or {@link SdpDecoder#ADDRESS_TYPE_IP6}.
     * @param buffer      holding the address in ASCII.
     * @param offset      of the address.
     * @param length      of the address.
     * @return this for chaining.
     */
    public SdpRewriter address(final int addressType, final DirectBuffer buffer, final int offset, final int length)
    {
        this.addressType = checkAddressType(addressType);
        addressBuffer = buffer;
        addressOffset = offset;
        addressLength = length;
        return this;
    }

    /**
     * Set the connection address of one media description; it gets its own {@code c=} if it had none.
     *
     * @param index       of the media description.
     * @param addressType {@link SdpDecoder#ADDRESS_TYPE_IP4} or {@link SdpDecoder#ADDRESS_TYPE_IP6}.
     * @param buffer      holding the address in ASCII.
     * @param offset      of the address.
     * @param length      of the address.
     * @return this for chaining.
     */
    public SdpRewriter mediaAddress(
        final int index, final int addressType, final DirectBuffer buffer, final int offset, final int length)
    {
        mediaAddressType[index] = checkAddressType(addressType);
        mediaAddressBuffer[index] = buffer;
        mediaAddressOffset[index] = offset;
        mediaAddressLength[index] = length;
        return this;
    }

    /**
     * Set the port of a media description; ignored for a disabled stream (port 0).
     *
     * @param index of the media description.
     * @param port  1..65535.
     * @return this for chaining.
     */
    public SdpRewriter mediaPort(final int index, final int port)
    {
        mediaPort[index] = checkPort(port);
        return this;
    }

    /**
     * Set the {@code a=rtcp} port of a media description that has one, instead of the port derived from
     * {@link #mediaPort}; ignored for a disabled stream.
     *
     * @param index of the media description.
     * @param port  1..65535.
     * @return this for chaining.
     */
    public SdpRewriter rtcpPort(final int index, final int port)
    {
        rtcpPort[index] = checkPort(port);
        return this;
    }

    /**
     * Set the direction of every media description.
     *
     * @param direction one of the {@code SdpDecoder.DIRECTION_*} constants other than NONE.
     * @return this for chaining.
     */
    public SdpRewriter direction(final int direction)
    {
        checkDirection(direction);
        for (int i = 0; i < mediaDirection.length; i++)
        {
            mediaDirection[i] = direction;
        }
        return this;
    }

    /**
     * Set the direction of one media description: its direction attribute is replaced, or added when the direction
     * that applied before differs.
     *
     * @param index     of the media description.
     * @param direction one of the {@code SdpDecoder.DIRECTION_*} constants other than NONE.
     * @return this for chaining.
     */
    public SdpRewriter mediaDirection(final int index, final int direction)
    {
        checkDirection(direction);
        mediaDirection[index] = direction;
        return this;
    }

    /**
     * @param stripIce true to drop {@code a=candidate}, {@code a=ice-*}, {@code a=end-of-candidates} and
     *                 {@code a=remote-candidates} at every level, as a relay that anchors media must.
     * @return this for chaining.
     */
    public SdpRewriter stripIce(final boolean stripIce)
    {
        this.stripIce = stripIce;
        return this;
    }

    /**
     * @param incrementVersion true to add one to the {@code o=} sess-version, as RFC 3264 §8 requires of a modified
     *                         offer.
     * @return this for chaining.
     */
    public SdpRewriter incrementVersion(final boolean incrementVersion)
    {
        this.incrementVersion = incrementVersion;
        return this;
    }

    /**
     * @param keepUnspecifiedAddress true to leave {@code 0.0.0.0} and {@code ::} connection addresses as they are
     *                               (RFC 2543 hold) rather than replace them.
     * @return this for chaining.
     */
    public SdpRewriter keepUnspecifiedAddress(final boolean keepUnspecifiedAddress)
    {
        this.keepUnspecifiedAddress = keepUnspecifiedAddress;
        return this;
    }

    /**
     * @return why the last {@link #write} returned -1, or null.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * Write the edited body.
     *
     * @param destination to write into; must not overlap the decoder's body.
     * @param offset      where to start writing.
     * @param capacity    the most bytes to write.
     * @return the length written, or -1 with {@link #reason()} if the body does not fit, none is wrapped or it has
     * more media descriptions than this rewriter holds.
     */
    public int write(final MutableDirectBuffer destination, final int offset, final int capacity)
    {
        reason = null;
        if (null == decoder || null != decoder.reason() || null == decoder.buffer())
        {
            reason = REASON_NOT_WRAPPED;
            return -1;
        }
        if (decoder.mediaCount() > mediaPort.length)
        {
            reason = REASON_TOO_MANY_MEDIA;
            return -1;
        }
        src = decoder.buffer();
        if (decoder.length() > 0)
        {
            // The decoder checked the same range; checking it again here keeps the unchecked reads below local.
            src.boundsCheck(decoder.offset(), decoder.length());
        }
        srcArray = src.byteArray();
        srcAddress = src.addressOffset();
        dst = destination;
        dstPos = offset;
        dstLimit = offset + capacity;
        pendingFrom = 0;
        pendingTo = 0;
        overflow = false;
        lastLineEnd = LINE_END_LF;

        final int limit = decoder.offset() + decoder.length();
        int section = -1;
        boolean connectionPending = false;
        int pos = decoder.offset();
        while (pos < limit)
        {
            final int runEnd = unchangedRunEnd(section, pos, limit);
            if (runEnd > pos)
            {
                copyRun(pos, runEnd);
                pos = runEnd;
                continue;
            }
            final int contentEnd = SdpDecoder.contentEnd(srcArray, srcAddress, pos, limit);
            final int next = SdpDecoder.nextLine(srcArray, srcAddress, contentEnd, limit);
            final byte type = contentEnd - pos >= 2 ? SipBytes.byteAt(srcArray, srcAddress, pos) : 0;
            if (type == 'm' && section + 1 < decoder.mediaCount() && decoder.mediaStart(section + 1) == pos)
            {
                if (section >= 0)
                {
                    finishMedia(section, connectionPending);
                }
                section++;
                connectionPending = needsConnectionLine(section);
                writeMediaLine(section, pos, contentEnd, next);
            }
            else if (section < 0)
            {
                writeSessionLine(type, pos, contentEnd, next);
            }
            else
            {
                if (connectionPending && type != 'i' && type != 0)
                {
                    writeConnectionLine(section);
                    connectionPending = false;
                }
                writeMediaDescriptionLine(section, type, pos, contentEnd, next);
            }
            pos = next;
        }
        if (section >= 0)
        {
            finishMedia(section, connectionPending);
        }
        flush();

        final int length = dstPos - offset;
        src = null;
        dst = null;
        if (overflow)
        {
            reason = REASON_TOO_SMALL;
            return -1;
        }
        return length;
    }

    /**
     * Where the run of lines from {@code pos} that the line-by-line path would copy unchanged ends: at the next line
     * the decoder located that this rewrite edits, or at the end of the section. Returns {@code pos} (no run) at such
     * a line, and anywhere in a section with lines the decoder did not locate that this rewrite would edit, drop or
     * insert before (a repeated c= or a=rtcp, ICE lines to strip, a c= to add, a direction to set), so that the
     * line-by-line path decides each of those lines.
     */
    private int unchangedRunEnd(final int section, final int pos, final int limit)
    {
        int end = section + 1 < decoder.mediaCount() ? decoder.mediaStart(section + 1) : limit;
        if (section < 0)
        {
            if (stripIce && decoder.hasSessionIceAttributes())
            {
                return pos;
            }
            if (incrementVersion)
            {
                end = editBefore(end, pos, decoder.originLineStart());
            }
            if (null != addressBuffer)
            {
                final SdpDecoder.Connection connection = decoder.sessionConnection();
                if (connection.lines > 1)
                {
                    return pos;
                }
                end = editBefore(end, pos, connection.lineStart);
            }
            return end;
        }
        final SdpDecoder.Media media = decoder.media(section);
        if (mediaDirection[section] != SdpDecoder.DIRECTION_NONE || needsConnectionLine(section) ||
            (stripIce && decoder.hasIce(section)))
        {
            return pos;
        }
        if (null != mediaAddress(section))
        {
            if (media.connection.lines > 1)
            {
                return pos;
            }
            end = editBefore(end, pos, media.connection.lineStart);
        }
        if (rtcpPortFor(section) != NOT_SET || rtcpAddressChanges(section))
        {
            if (media.rtcpLines > 1)
            {
                return pos;
            }
            end = editBefore(end, pos, media.rtcpLineStart);
        }
        return end;
    }

    private static int editBefore(final int end, final int pos, final int lineStart)
    {
        return lineStart >= pos && lineStart < end ? lineStart : end;
    }

    /**
     * Copy whole lines unchanged and note how the last one ended, as {@link #copyLineRest} does line by line.
     */
    private void copyRun(final int from, final int to)
    {
        copy(from, to);
        final byte last = SipBytes.byteAt(srcArray, srcAddress, to - 1);
        lastLineEnd = last == '\n' ? LINE_END_LF : last == '\r' ? LINE_END_CR : LINE_END_NONE;
    }

    private void writeSessionLine(final byte type, final int pos, final int contentEnd, final int next)
    {
        if (type == 'o' && incrementVersion && pos == decoder.originLineStart())
        {
            final int versionOffset = decoder.originVersionOffset();
            final int versionEnd = versionOffset + decoder.originVersionLength();
            copy(pos, versionOffset);
            writeIncremented(versionOffset, versionEnd);
            copyLineRest(versionEnd, contentEnd, next);
        }
        else if (type == 'c' && null != addressBuffer)
        {
            final SdpDecoder.Connection connection = decoder.sessionConnection();
            if (pos != connection.lineStart)
            {
                return;
            }
            if (keepUnspecifiedAddress && connection.unspecified)
            {
                copyLine(pos, contentEnd, next);
            }
            else
            {
                copy(pos, connection.addressTypeOffset);
                writeAddress(connection, addressType, addressBuffer, addressOffset, addressLength);
                copyLineRest(connection.addressTokenEnd, contentEnd, next);
            }
        }
        else if (type == 'a' && stripIce && isIce(pos, contentEnd))
        {
            return;
        }
        else
        {
            copyLine(pos, contentEnd, next);
        }
    }

    private void writeMediaLine(final int section, final int pos, final int contentEnd, final int next)
    {
        final SdpDecoder.Media media = decoder.media(section);
        if (mediaPort[section] != NOT_SET && media.port != 0)
        {
            final int portEnd = media.portOffset + media.portLength;
            copy(pos, media.portOffset);
            writeNumber(mediaPort[section]);
            copyLineRest(portEnd, contentEnd, next);
        }
        else
        {
            copyLine(pos, contentEnd, next);
        }
    }

    private void writeMediaDescriptionLine(
        final int section, final byte type, final int pos, final int contentEnd, final int next)
    {
        final SdpDecoder.Media media = decoder.media(section);
        if (type == 'c' && null != mediaAddress(section))
        {
            if (pos != media.connection.lineStart)
            {
                return;
            }
            if (!replacesAddress(section))
            {
                copyLine(pos, contentEnd, next);
                return;
            }
            copy(pos, media.connection.addressTypeOffset);
            writeAddress(
                media.connection, mediaAddressType(section), mediaAddress(section),
                mediaAddressOffset(section), mediaAddressLength(section));
            copyLineRest(media.connection.addressTokenEnd, contentEnd, next);
            return;
        }
        if (type != 'a')
        {
            copyLine(pos, contentEnd, next);
            return;
        }

        final int kind = SdpDecoder.attributeKind(srcArray, srcAddress, pos, contentEnd);
        if (kind == ATTRIBUTE_RTCP && (rtcpPortFor(section) != NOT_SET || rtcpAddressChanges(section)))
        {
            if (pos == media.rtcpLineStart)
            {
                writeRtcpLine(section, media, pos, contentEnd, next);
            }
        }
        else if (kind == ATTRIBUTE_DIRECTION && mediaDirection[section] != SdpDecoder.DIRECTION_NONE)
        {
            if (pos == media.directionLineStart)
            {
                write(ATTRIBUTE);
                write(SdpDecoder.directionName(mediaDirection[section]));
                copyLineRest(contentEnd, contentEnd, next);
            }
        }
        else if (!(stripIce && (kind == ATTRIBUTE_CANDIDATE || kind == ATTRIBUTE_ICE)))
        {
            copyLine(pos, contentEnd, next);
        }
    }

    private void writeRtcpLine(
        final int section, final SdpDecoder.Media media, final int pos, final int contentEnd, final int next)
    {
        final int port = rtcpPortFor(section);
        final int portEnd = media.rtcpPortOffset + media.rtcpPortLength;
        copy(pos, media.rtcpPortOffset);
        if (port != NOT_SET)
        {
            writeNumber(port);
        }
        else
        {
            copy(media.rtcpPortOffset, portEnd);
        }
        if (rtcpAddressChanges(section))
        {
            final SdpDecoder.Connection address = media.rtcpAddress;
            copy(portEnd, address.addressTypeOffset);
            writeAddress(
                address, mediaAddressType(section), mediaAddress(section),
                mediaAddressOffset(section), mediaAddressLength(section));
            copyLineRest(address.addressTokenEnd, contentEnd, next);
        }
        else
        {
            copyLineRest(portEnd, contentEnd, next);
        }
    }

    private void finishMedia(final int section, final boolean connectionPending)
    {
        if (connectionPending)
        {
            terminateLastLine();
            writeConnectionLine(section);
        }
        final int direction = mediaDirection[section];
        if (direction != SdpDecoder.DIRECTION_NONE && decoder.media(section).directionLineStart < 0 &&
            direction != decoder.direction(section))
        {
            terminateLastLine();
            write(ATTRIBUTE);
            write(SdpDecoder.directionName(direction));
            writeLineEnd();
        }
    }

    private boolean needsConnectionLine(final int section)
    {
        return null != mediaAddressBuffer[section] && !decoder.media(section).connection.present() &&
            !(keepUnspecifiedAddress && decoder.isAddressUnspecified(section) && decoder.hasSessionConnection());
    }

    private void writeConnectionLine(final int section)
    {
        write(mediaAddressType[section] == SdpDecoder.ADDRESS_TYPE_IP6 ? CONNECTION_IP6 : CONNECTION_IP4);
        write(mediaAddressBuffer[section], mediaAddressOffset[section], mediaAddressLength[section]);
        writeLineEnd();
    }

    /**
     * Write {@code <addrtype> <address>} over the parts of {@code connection} from its address type to the end of its
     * address token: the caller has copied what precedes the address type.
     */
    private void writeAddress(
        final SdpDecoder.Connection connection, final int type, final DirectBuffer buffer, final int offset,
        final int length)
    {
        write(type == SdpDecoder.ADDRESS_TYPE_IP6 ? IP6 : IP4);
        copy(connection.addressTypeOffset + IP4.length, connection.addressOffset);
        write(buffer, offset, length);
    }

    private boolean replacesAddress(final int section)
    {
        return null != mediaAddress(section) && !(keepUnspecifiedAddress && decoder.isAddressUnspecified(section));
    }

    private boolean rtcpAddressChanges(final int section)
    {
        final SdpDecoder.Connection address = decoder.media(section).rtcpAddress;
        return address.present() && replacesAddress(section) && !(keepUnspecifiedAddress && address.unspecified);
    }

    private int rtcpPortFor(final int section)
    {
        final SdpDecoder.Media media = decoder.media(section);
        if (media.port == 0)
        {
            return NOT_SET;
        }
        if (rtcpPort[section] != NOT_SET)
        {
            return rtcpPort[section];
        }
        final int port = mediaPort[section];
        if (port == NOT_SET)
        {
            return NOT_SET;
        }
        return media.rtcpMux || port == MAX_PORT ? port : port + 1;
    }

    private DirectBuffer mediaAddress(final int section)
    {
        return null != mediaAddressBuffer[section] ? mediaAddressBuffer[section] : addressBuffer;
    }

    private int mediaAddressType(final int section)
    {
        return null != mediaAddressBuffer[section] ? mediaAddressType[section] : addressType;
    }

    private int mediaAddressOffset(final int section)
    {
        return null != mediaAddressBuffer[section] ? mediaAddressOffset[section] : addressOffset;
    }

    private int mediaAddressLength(final int section)
    {
        return null != mediaAddressBuffer[section] ? mediaAddressLength[section] : addressLength;
    }

    private boolean isIce(final int pos, final int contentEnd)
    {
        final int kind = SdpDecoder.attributeKind(srcArray, srcAddress, pos, contentEnd);
        return kind == ATTRIBUTE_CANDIDATE || kind == ATTRIBUTE_ICE;
    }

    /**
     * Write the decimal digits of {@code [from, to)} plus one, growing by a digit when they are all nines.
     */
    private void writeIncremented(final int from, final int to)
    {
        int lastNotNine = to - 1;
        while (lastNotNine >= from && SipBytes.byteAt(srcArray, srcAddress, lastNotNine) == '9')
        {
            lastNotNine--;
        }
        if (lastNotNine < from)
        {
            writeByte((byte)'1');
        }
        else
        {
            copy(from, lastNotNine);
            writeByte((byte)(SipBytes.byteAt(srcArray, srcAddress, lastNotNine) + 1));
        }
        for (int i = lastNotNine + 1; i < to; i++)
        {
            writeByte((byte)'0');
        }
    }

    private void writeNumber(final int value)
    {
        flush();
        if (dstPos + 10 > dstLimit)
        {
            int digits = 1;
            for (int v = value; v >= 10; v /= 10)
            {
                digits++;
            }
            if (dstPos + digits > dstLimit)
            {
                overflow = true;
                return;
            }
        }
        dstPos += dst.putIntAscii(dstPos, value);
    }

    /**
     * Before appending a line after the last line of the body: that line may end without LF (or with a bare CR), and
     * the appended line must not merge into it.
     */
    private void terminateLastLine()
    {
        if (lastLineEnd == LINE_END_CR)
        {
            write(LF);
        }
        else if (lastLineEnd == LINE_END_NONE)
        {
            write(decoder.lfLineEnds() ? LF : CRLF);
        }
        lastLineEnd = LINE_END_LF;
    }

    private void writeLineEnd()
    {
        write(decoder.lfLineEnds() ? LF : CRLF);
        lastLineEnd = LINE_END_LF;
    }

    private void copyLine(final int pos, final int contentEnd, final int next)
    {
        copyLineRest(pos, contentEnd, next);
    }

    private void copyLineRest(final int from, final int contentEnd, final int next)
    {
        copy(from, next);
        if (next == contentEnd)
        {
            lastLineEnd = LINE_END_NONE;
        }
        else
        {
            lastLineEnd = SipBytes.byteAt(srcArray, srcAddress, next - 1) == '\n' ? LINE_END_LF : LINE_END_CR;
        }
    }

    /**
     * Unchanged source ranges that follow each other (most lines) are copied with one {@code putBytes}: the copy is
     * held back until a written byte or a gap in the source ends the run.
     */
    private void copy(final int from, final int to)
    {
        if (to <= from)
        {
            return;
        }
        if (from != pendingTo)
        {
            flush();
            pendingFrom = from;
        }
        pendingTo = to;
    }

    private void flush()
    {
        final int length = pendingTo - pendingFrom;
        pendingFrom = pendingTo;
        copyNow(src, pendingFrom - length, length);
    }

    private void write(final DirectBuffer buffer, final int offset, final int length)
    {
        flush();
        copyNow(buffer, offset, length);
    }

    private void copyNow(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (overflow || length > dstLimit - dstPos)
        {
            overflow = true;
            return;
        }
        dst.putBytes(dstPos, buffer, offset, length);
        dstPos += length;
    }

    private void write(final byte[] bytes)
    {
        flush();
        if (overflow || bytes.length > dstLimit - dstPos)
        {
            overflow = true;
            return;
        }
        dst.putBytes(dstPos, bytes);
        dstPos += bytes.length;
    }

    private void writeByte(final byte b)
    {
        flush();
        if (overflow || dstPos >= dstLimit)
        {
            overflow = true;
            return;
        }
        dst.putByte(dstPos++, b);
    }

    private static int checkAddressType(final int addressType)
    {
        if (addressType != SdpDecoder.ADDRESS_TYPE_IP4 && addressType != SdpDecoder.ADDRESS_TYPE_IP6)
        {
            throw new IllegalArgumentException("address type must be IP4 or IP6: " + addressType);
        }
        return addressType;
    }

    private static int checkPort(final int port)
    {
        if (port < 1 || port > MAX_PORT)
        {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        return port;
    }

    private static void checkDirection(final int direction)
    {
        if (null == SdpDecoder.directionName(direction))
        {
            throw new IllegalArgumentException("not a direction: " + direction);
        }
    }
}
