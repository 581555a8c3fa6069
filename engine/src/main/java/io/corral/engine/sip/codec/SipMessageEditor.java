package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Builds an outgoing message from a decoded incoming one by copying byte ranges: each operation records an edit
 * (a source range of the message and the bytes that replace it; an insertion is an empty source range), kept sorted
 * by position, and {@link #encode(MutableDirectBuffer, int)} writes the result in one pass. Whatever is not edited,
 * including unknown headers, unknown parameters, compact names and folded lines, is copied byte for byte; with no
 * edits the output is the input message exactly (from its start line to the end of its body).
 * <p>
 * Operations address the message as decoded: header indexes are the decoder's, and a value added in this session is
 * not seen by later operations (so {@link #popVia()} after {@link #pushVia} removes the received top Via). Each
 * operation returns false, and changes nothing, when it cannot apply (no message, an index out of range, an edit
 * overlapping an earlier one, too many edits, scratch space full); none throws for bad input.
 * <p>
 * Replacement bytes are copied into an internal scratch buffer, except the body given to
 * {@link #replaceBody(DirectBuffer, int, int)}, which is referenced and must stay unchanged until the last encode.
 * The decoded message must also stay unchanged until then.
 * <p>
 * Reusable and allocation-free in steady state: one instance per agent. Not thread-safe.
 */
public final class SipMessageEditor
{
    /** Default maximum number of edits per session. */
    public static final int DEFAULT_MAX_EDITS = 64;
    /** Default scratch capacity in bytes for inserted and replacement bytes. */
    public static final int DEFAULT_SCRATCH_CAPACITY = 4096;
    /** The Max-Forwards value a proxy adds when the request has none (RFC 3261 §16.6 step 3). */
    public static final int DEFAULT_MAX_FORWARDS = 70;

    private static final int OWNER_NONE = -1;
    private static final int OWNER_REPLACE = -2;
    private static final int OWNER_BODY = -3;
    private static final int OWNER_CONTENT_LENGTH = -4;
    private static final int OWNER_MAX_FORWARDS = -5;
    private static final int OWNER_VIA = -6;

    private final int maxEdits;
    private final int[] editStarts;
    private final int[] editEnds;
    private final int[] editOwners;
    private final int[] replacementOffsets;
    private final int[] replacementLengths;
    private final DirectBuffer[] replacementBuffers;
    private final int[] rangeStarts;
    private final int[] rangeEnds;
    private final UnsafeBuffer scratch;
    private final SipAsciiWriter writer = new SipAsciiWriter();

    private boolean[] removed;
    private boolean[] replaced;

    private SipMessageDecoder decoder;
    private DirectBuffer source;
    private boolean active;
    private int messageStart;
    private int messageEnd;
    private int editCount;
    private int lengthDelta;

    /**
     * An editor with {@link #DEFAULT_MAX_EDITS} and {@link #DEFAULT_SCRATCH_CAPACITY}.
     */
    public SipMessageEditor()
    {
        this(DEFAULT_MAX_EDITS, DEFAULT_SCRATCH_CAPACITY);
    }

    /**
     * @param maxEdits        most edits one session records (a removal of several values of one line may take a few).
     * @param scratchCapacity bytes available per session for inserted lines and replacement values.
     */
    public SipMessageEditor(final int maxEdits, final int scratchCapacity)
    {
        if (maxEdits <= 0 || scratchCapacity <= 0)
        {
            throw new IllegalArgumentException(
                "limits must be positive: maxEdits=" + maxEdits + " scratchCapacity=" + scratchCapacity);
        }
        this.maxEdits = maxEdits;
        editStarts = new int[maxEdits];
        editEnds = new int[maxEdits];
        editOwners = new int[maxEdits];
        replacementOffsets = new int[maxEdits];
        replacementLengths = new int[maxEdits];
        replacementBuffers = new DirectBuffer[maxEdits];
        rangeStarts = new int[maxEdits];
        rangeEnds = new int[maxEdits];
        scratch = new UnsafeBuffer(new byte[scratchCapacity]);
        removed = new boolean[SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES];
        replaced = new boolean[SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES];
    }

    /**
     * Start an edit session over a decoded message, dropping the edits of the previous session.
     *
     * @param decoder holding a message decoded {@link SipMessageDecoder#OK}.
     * @return false if the decoder does not hold a well-formed message; every operation then returns false and
     * {@link #encode} returns -1.
     */
    public boolean wrap(final SipMessageDecoder decoder)
    {
        this.decoder = decoder;
        for (int i = 0; i < editCount; i++)
        {
            replacementBuffers[i] = null;
        }
        editCount = 0;
        lengthDelta = 0;
        writer.wrap(scratch, 0, scratch.capacity());
        active = decoder.result() == SipMessageDecoder.OK;
        if (!active)
        {
            source = null;
            return false;
        }
        source = decoder.buffer();
        messageStart = decoder.messageOffset();
        messageEnd = messageStart + decoder.messageLength();
        final int headerCount = decoder.headerCount();
        if (headerCount > removed.length)
        {
            removed = new boolean[headerCount];
            replaced = new boolean[headerCount];
        }
        Arrays.fill(removed, 0, headerCount, false);
        Arrays.fill(replaced, 0, headerCount, false);
        return true;
    }

    /**
     * @return number of edits recorded in this session.
     */
    public int editCount()
    {
        return editCount;
    }

    /**
     * @return length of the message {@link #encode} would write, or -1 without a message.
     */
    public int encodedLength()
    {
        return active ? messageEnd - messageStart + lengthDelta : -1;
    }

    /**
     * Write the edited message: unchanged ranges copied from the source, edits written in their place. May be
     * called several times per session (e.g. once per fork target).
     *
     * @param dst       to write into; must not overlap the decoded message.
     * @param dstOffset of the first byte.
     * @return the message length, or -1 if there is no message or it does not fit (the caller counts a drop).
     */
    public int encode(final MutableDirectBuffer dst, final int dstOffset)
    {
        final int total = encodedLength();
        if (total < 0 || dstOffset < 0 || total > dst.capacity() - dstOffset)
        {
            return -1;
        }
        final DirectBuffer source = this.source;
        int position = messageStart;
        int out = dstOffset;
        for (int i = 0, count = editCount; i < count; i++)
        {
            final int start = editStarts[i];
            final int copy = start - position;
            if (copy > 0)
            {
                dst.putBytes(out, source, position, copy);
                out += copy;
            }
            final int replacementLength = replacementLengths[i];
            if (replacementLength > 0)
            {
                dst.putBytes(out, replacementBuffers[i], replacementOffsets[i], replacementLength);
                out += replacementLength;
            }
            position = editEnds[i];
        }
        final int rest = messageEnd - position;
        if (rest > 0)
        {
            dst.putBytes(out, source, position, rest);
        }
        return total;
    }

    /**
     * Push a Via: insert a {@code Via: value} line above the first Via line (RFC 3261 §16.6 step 8). A second call
     * in the same session replaces the Via pushed by the first, so that one session can encode one copy per fork
     * target: push a Via with the target's branch, set the Request-URI, encode, and repeat.
     *
     * @param src    holding the Via value, e.g. {@code SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK...}.
     * @param offset of the value.
     * @param length of the value.
     * @return false if it cannot apply.
     */
    public boolean pushVia(final DirectBuffer src, final int offset, final int length)
    {
        if (!active)
        {
            return false;
        }
        final int top = decoder.firstIndexOf(HeaderName.VIA);
        return insertLine(top >= 0 ? decoder.lineOffset(top) : headersStart(), HeaderName.name(HeaderName.VIA),
            src, offset, length, OWNER_VIA);
    }

    /**
     * Pop the top Via value (RFC 3261 §16.7 step 3): its whole line when it is the line's only value left, else the
     * value and its separating comma.
     *
     * @return false if there is no Via value left or it cannot apply.
     */
    public boolean popVia()
    {
        return active && removeHeader(firstRemaining(HeaderName.VIA));
    }

    /**
     * Insert a {@code Record-Route: value} line above any existing Record-Route values (RFC 3261 §16.6 step 4), or
     * as the first header line when there are none. Several calls in one session keep their call order.
     *
     * @param src    holding the value, e.g. {@code <sip:192.0.2.1;lr>}.
     * @param offset of the value.
     * @param length of the value.
     * @return false if it cannot apply.
     */
    public boolean addRecordRoute(final DirectBuffer src, final int offset, final int length)
    {
        if (!active)
        {
            return false;
        }
        final int first = decoder.firstIndexOf(HeaderName.RECORD_ROUTE);
        return insertLine(first >= 0 ? decoder.lineOffset(first) : headersStart(),
            HeaderName.name(HeaderName.RECORD_ROUTE), src, offset, length, OWNER_NONE);
    }

    /**
     * Remove the first Route value (RFC 3261 §16.4, §16.12: a proxy removes the value that names it), by the rules
     * of {@link #popVia()}.
     *
     * @return false if there is no Route value left or it cannot apply.
     */
    public boolean removeTopRoute()
    {
        return active && removeHeader(firstRemaining(HeaderName.ROUTE));
    }

    /**
     * Decrement Max-Forwards in place, or add {@code Max-Forwards: 70} at the end of the headers when absent
     * (RFC 3261 §16.6 step 3).
     *
     * @return false if Max-Forwards is 0 (the request must be answered 483, not forwarded) or it cannot apply.
     */
    public boolean decrementMaxForwards()
    {
        if (!active)
        {
            return false;
        }
        final int index = decoder.firstIndexOf(HeaderName.MAX_FORWARDS);
        if (index < 0 || removed[index])
        {
            return insertNumberLine(HeaderName.name(HeaderName.MAX_FORWARDS), DEFAULT_MAX_FORWARDS, OWNER_MAX_FORWARDS);
        }
        final int value = decoder.maxForwards();
        return value > 0 && replaceWithNumber(index, value - 1);
    }

    /**
     * Rewrite the Request-URI.
     *
     * @param src    holding the new URI.
     * @param offset of the URI.
     * @param length of the URI, at least 1.
     * @return false for a response or if it cannot apply.
     */
    public boolean setRequestUri(final DirectBuffer src, final int offset, final int length)
    {
        if (!active || !decoder.isRequest() || length <= 0)
        {
            return false;
        }
        final int start = decoder.requestUriOffset();
        return replaceRange(start, start + decoder.requestUriLength(), src, offset, length, OWNER_REPLACE);
    }

    /**
     * Insert a header line at the end of the headers.
     *
     * @param name   header name as written, e.g. {@link HeaderName#name(int)}.
     * @param src    holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return false if it cannot apply.
     */
    public boolean addHeader(final byte[] name, final DirectBuffer src, final int offset, final int length)
    {
        return active && insertLine(decoder.headersEndOffset(), name, src, offset, length, OWNER_NONE);
    }

    /**
     * Insert a header line with the canonical name of a known header at the end of the headers.
     *
     * @param headerId a {@link HeaderName} id other than {@link HeaderName#UNKNOWN}.
     * @param src      holding the value.
     * @param offset   of the value.
     * @param length   of the value.
     * @return false if it cannot apply.
     */
    public boolean addHeader(final int headerId, final DirectBuffer src, final int offset, final int length)
    {
        final byte[] name = HeaderName.name(headerId);
        return name.length > 0 && addHeader(name, src, offset, length);
    }

    /**
     * Replace one header value, keeping its name, the other values of its line and the white space around it.
     *
     * @param index  of the value in the decoder.
     * @param src    holding the new value.
     * @param offset of the new value.
     * @param length of the new value.
     * @return false if the value was removed in this session or it cannot apply.
     */
    public boolean replaceHeaderValue(final int index, final DirectBuffer src, final int offset, final int length)
    {
        if (!isLive(index))
        {
            return false;
        }
        final int start = decoder.valueOffset(index);
        if (!replaceRange(start, start + decoder.valueLength(index), src, offset, length, OWNER_REPLACE))
        {
            return false;
        }
        replaced[index] = true;
        return true;
    }

    /**
     * Insert bytes right after one header value, e.g. {@code ;received=192.0.2.7;rport=5060} after the top Via
     * (RFC 3261 §18.2.1, RFC 3581 §4), or a parameter after a Record-Route URI.
     *
     * @param index  of the value in the decoder.
     * @param src    holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return false if the value was removed or replaced in this session or it cannot apply.
     */
    public boolean appendToValue(final int index, final DirectBuffer src, final int offset, final int length)
    {
        if (!isLive(index) || replaced[index])
        {
            return false;
        }
        final int at = decoder.valueOffset(index) + decoder.valueLength(index);
        return replaceRange(at, at, src, offset, length, OWNER_NONE);
    }

    /**
     * Replace any range of the message's bytes, or insert at an offset when the range is empty: for edits inside a
     * value located with a typed decoder, e.g. giving a bare {@code ;rport} of the top Via its value (RFC 3581 §4)
     * by inserting {@code =5060} after the parameter name.
     *
     * @param sourceStart offset of the range in the decoded buffer, within the message.
     * @param sourceEnd   one past the range, at least {@code sourceStart}.
     * @param src         holding the replacement.
     * @param offset      of the replacement.
     * @param length      of the replacement, 0 to delete the range.
     * @return false if the range is outside the message, overlaps an earlier edit, or it cannot apply.
     */
    public boolean replaceSourceRange(
        final int sourceStart, final int sourceEnd, final DirectBuffer src, final int offset, final int length)
    {
        return active && replaceRange(sourceStart, sourceEnd, src, offset, length, OWNER_NONE);
    }

    /**
     * Remove one header value: its whole line when no other value of the line is left, else the value and its
     * separating comma and white space.
     *
     * @param index of the value in the decoder.
     * @return false if the value was already removed or replaced, or it cannot apply.
     */
    public boolean removeHeader(final int index)
    {
        if (!isLive(index) || replaced[index])
        {
            return false;
        }
        removed[index] = true;
        if (!applyLineRemovals(index - decoder.lineValueIndex(index), decoder.lineValueCount(index)))
        {
            removed[index] = false;
            return false;
        }
        return true;
    }

    /**
     * Remove the whole header line holding a value, with all its values.
     *
     * @param index of any value of the line.
     * @return false if a value of the line was replaced or the line already removed, or it cannot apply.
     */
    public boolean removeHeaderLine(final int index)
    {
        if (!isLive(index))
        {
            return false;
        }
        final int first = index - decoder.lineValueIndex(index);
        final int end = first + decoder.lineValueCount(index);
        for (int i = first; i < end; i++)
        {
            if (replaced[i])
            {
                return false;
            }
        }
        final int lineStart = decoder.lineOffset(first);
        final int lineEnd = lineStart + decoder.lineLength(first);
        if (!canReplaceOwned(first, lineStart, lineEnd))
        {
            return false;
        }
        for (int i = first; i < end; i++)
        {
            removed[i] = true;
        }
        deleteOwned(first);
        addEdit(lineStart, lineEnd, source, 0, 0, first);
        return true;
    }

    /**
     * Replace the body and set Content-Length to its length: the existing value is rewritten in place (so a compact
     * {@code l:} stays compact), or a {@code Content-Length} line is added at the end of the headers.
     *
     * @param src    holding the new body; referenced, not copied, until the last {@link #encode}.
     * @param offset of the body.
     * @param length of the body, 0 for none.
     * @return false if it cannot apply.
     */
    public boolean replaceBody(final DirectBuffer src, final int offset, final int length)
    {
        if (!active || length < 0 || offset < 0 || offset > src.capacity() - length)
        {
            return false;
        }
        final int start = decoder.bodyOffset();
        final int end = start + decoder.bodyLength();
        final int bodyEdit = find(start, end, OWNER_BODY);
        // Room for the body edit and a Content-Length edit, so that a failure changes nothing.
        if ((bodyEdit < 0 && editCount + 2 > maxEdits) || !setContentLength(length))
        {
            return false;
        }
        if (bodyEdit >= 0)
        {
            update(bodyEdit, src, offset, length);
            return true;
        }
        return addEdit(start, end, src, offset, length, OWNER_BODY);
    }

    /**
     * Set Content-Length: rewrite the existing value in place, or add a {@code Content-Length} line at the end of
     * the headers. {@link #replaceBody} calls this; call it directly only when the body is changed otherwise.
     *
     * @param length the new body length.
     * @return false if it cannot apply.
     */
    public boolean setContentLength(final int length)
    {
        if (!active || length < 0)
        {
            return false;
        }
        final int index = decoder.contentLengthIndex();
        if (index >= 0 && !removed[index])
        {
            return replaceWithNumber(index, length);
        }
        return insertNumberLine(HeaderName.name(HeaderName.CONTENT_LENGTH), length, OWNER_CONTENT_LENGTH);
    }

    private int headersStart()
    {
        return decoder.messageOffset() + decoder.startLineLength();
    }

    private boolean isLive(final int index)
    {
        return active && index >= 0 && index < decoder.headerCount() && !removed[index];
    }

    private int firstRemaining(final int headerId)
    {
        int index = decoder.firstIndexOf(headerId);
        while (index >= 0 && removed[index])
        {
            index = decoder.nextIndexOf(headerId, index);
        }
        return index;
    }

    private boolean replaceWithNumber(final int index, final long value)
    {
        final int mark = writer.position();
        writer.putNatural(value);
        if (writer.isOverflow())
        {
            writer.rewind(mark);
            return false;
        }
        final int start = decoder.valueOffset(index);
        if (!addEdit(start, start + decoder.valueLength(index), scratch, mark, writer.position() - mark,
            OWNER_REPLACE))
        {
            writer.rewind(mark);
            return false;
        }
        replaced[index] = true;
        return true;
    }

    private boolean insertNumberLine(final byte[] name, final long value, final int owner)
    {
        final int at = decoder.headersEndOffset();
        final int mark = writer.position();
        writer.name(name).putNatural(value).crlf();
        if (writer.isOverflow() || !addEdit(at, at, scratch, mark, writer.position() - mark, owner))
        {
            writer.rewind(mark);
            return false;
        }
        return true;
    }

    private boolean insertLine(
        final int at, final byte[] name, final DirectBuffer src, final int offset, final int length, final int owner)
    {
        if (name.length == 0 || length < 0)
        {
            return false;
        }
        final int mark = writer.position();
        writer.name(name).put(src, offset, length).crlf();
        if (writer.isOverflow() || !addEdit(at, at, scratch, mark, writer.position() - mark, owner))
        {
            writer.rewind(mark);
            return false;
        }
        return true;
    }

    private boolean replaceRange(
        final int start, final int end, final DirectBuffer src, final int offset, final int length, final int owner)
    {
        if (length < 0)
        {
            return false;
        }
        final int mark = writer.position();
        writer.put(src, offset, length);
        if (writer.isOverflow() || !addEdit(start, end, scratch, mark, length, owner))
        {
            writer.rewind(mark);
            return false;
        }
        return true;
    }

    /**
     * Recompute the removal edits of one header line from the removed flags of its values, replacing the edits
     * recorded for it before. Ranges: a removed value followed by a kept one takes its separator with it; removed
     * values after the last kept one go with the separator before them; no kept value removes the whole line.
     */
    private boolean applyLineRemovals(final int first, final int valueCount)
    {
        final SipMessageDecoder decoder = this.decoder;
        final int end = first + valueCount;
        int lastKept = -1;
        for (int i = first; i < end; i++)
        {
            if (!removed[i])
            {
                lastKept = i;
            }
        }
        int ranges = 0;
        if (lastKept < 0)
        {
            rangeStarts[0] = decoder.lineOffset(first);
            rangeEnds[0] = rangeStarts[0] + decoder.lineLength(first);
            ranges = 1;
        }
        else
        {
            for (int i = first; i < end; i++)
            {
                if (!removed[i])
                {
                    continue;
                }
                final int start;
                final int stop;
                if (i < lastKept)
                {
                    start = decoder.valueOffset(i);
                    stop = decoder.valueOffset(i + 1);
                }
                else
                {
                    start = decoder.valueOffset(lastKept) + decoder.valueLength(lastKept);
                    stop = decoder.valueOffset(end - 1) + decoder.valueLength(end - 1);
                }
                if (ranges > 0 && rangeEnds[ranges - 1] == start)
                {
                    rangeEnds[ranges - 1] = stop;
                }
                else if (ranges == maxEdits)
                {
                    return false;
                }
                else
                {
                    rangeStarts[ranges] = start;
                    rangeEnds[ranges] = stop;
                    ranges++;
                }
                if (i > lastKept)
                {
                    break;
                }
            }
        }

        int owned = 0;
        for (int i = 0; i < editCount; i++)
        {
            if (editOwners[i] == first)
            {
                owned++;
            }
        }
        if (editCount - owned + ranges > maxEdits)
        {
            return false;
        }
        for (int r = 0; r < ranges; r++)
        {
            if (overlapsOther(rangeStarts[r], rangeEnds[r], first))
            {
                return false;
            }
        }
        deleteOwned(first);
        for (int r = 0; r < ranges; r++)
        {
            addEdit(rangeStarts[r], rangeEnds[r], source, 0, 0, first);
        }
        return true;
    }

    private boolean canReplaceOwned(final int owner, final int start, final int end)
    {
        int owned = 0;
        for (int i = 0; i < editCount; i++)
        {
            if (editOwners[i] == owner)
            {
                owned++;
            }
        }
        return editCount - owned < maxEdits && !overlapsOther(start, end, owner);
    }

    private boolean overlapsOther(final int start, final int end, final int owner)
    {
        for (int i = 0; i < editCount; i++)
        {
            if (editOwners[i] != owner && overlaps(i, start, end))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Two non-empty ranges may not overlap; an insertion may sit at either end of a range but not inside it.
     */
    private boolean overlaps(final int edit, final int start, final int end)
    {
        final int s = editStarts[edit];
        final int e = editEnds[edit];
        if (e > s)
        {
            return end > start ? start < e && s < end : start > s && start < e;
        }
        return end > start && s > start && s < end;
    }

    private void deleteOwned(final int owner)
    {
        int kept = 0;
        for (int i = 0; i < editCount; i++)
        {
            if (editOwners[i] == owner)
            {
                lengthDelta += (editEnds[i] - editStarts[i]) - replacementLengths[i];
                continue;
            }
            if (kept != i)
            {
                move(i, kept);
            }
            kept++;
        }
        for (int i = kept; i < editCount; i++)
        {
            replacementBuffers[i] = null;
        }
        editCount = kept;
    }

    private int find(final int start, final int end, final int owner)
    {
        for (int i = 0; i < editCount; i++)
        {
            if (editStarts[i] == start && editEnds[i] == end && editOwners[i] == owner)
            {
                return i;
            }
        }
        return -1;
    }

    private void update(final int edit, final DirectBuffer buffer, final int offset, final int length)
    {
        lengthDelta += length - replacementLengths[edit];
        replacementBuffers[edit] = buffer;
        replacementOffsets[edit] = offset;
        replacementLengths[edit] = length;
    }

    /**
     * Record an edit at its sorted place: by start, insertions before a range starting at the same offset, and in
     * call order among insertions at one offset (new ones go after the existing ones). A replacement of a range
     * already replaced by the same kind of operation updates that edit.
     */
    private boolean addEdit(
        final int start, final int end, final DirectBuffer buffer, final int offset, final int length, final int owner)
    {
        if (start < messageStart || end > messageEnd || start > end)
        {
            return false;
        }
        if (owner < OWNER_NONE)
        {
            final int existing = find(start, end, owner);
            if (existing >= 0)
            {
                update(existing, buffer, offset, length);
                return true;
            }
        }
        for (int i = 0; i < editCount; i++)
        {
            if (overlaps(i, start, end))
            {
                return false;
            }
        }
        if (editCount == maxEdits)
        {
            return false;
        }
        final boolean range = end > start;
        int at = editCount;
        for (int i = 0; i < editCount; i++)
        {
            final int s = editStarts[i];
            if (s > start || (s == start && !range && editEnds[i] > s))
            {
                at = i;
                break;
            }
        }
        for (int i = editCount; i > at; i--)
        {
            move(i - 1, i);
        }
        editStarts[at] = start;
        editEnds[at] = end;
        editOwners[at] = owner;
        replacementBuffers[at] = buffer;
        replacementOffsets[at] = offset;
        replacementLengths[at] = length;
        editCount++;
        lengthDelta += length - (end - start);
        return true;
    }

    private void move(final int from, final int to)
    {
        editStarts[to] = editStarts[from];
        editEnds[to] = editEnds[from];
        editOwners[to] = editOwners[from];
        replacementBuffers[to] = replacementBuffers[from];
        replacementOffsets[to] = replacementOffsets[from];
        replacementLengths[to] = replacementLengths[from];
    }
}
