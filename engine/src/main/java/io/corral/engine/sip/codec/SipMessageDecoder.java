package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * A reusable flyweight that indexes one SIP message in place over a {@link DirectBuffer}: the start line, an entry per
 * header <em>value</em> (list headers are split on commas outside quotes and angle brackets), the hot headers decoded
 * into primitives, and the body framed as for a UDP datagram (RFC 3261 §18.3). One instance per agent; nothing is
 * allocated per message and bad input never throws: {@link #wrap(DirectBuffer, int, int)} returns a result code and
 * {@link #reason()} a constant fit for a {@code 400} reason phrase.
 * <p>
 * Work is bounded for any input: one forward pass over the bytes (no backtracking), a maximum message size and a
 * maximum number of indexed header values, both fixed at construction. After indexing, the values a proxy routes on
 * are validated with the typed decoders of this package ({@link SipUriDecoder} for the Request-URI,
 * {@link ViaDecoder} for every Via, {@link NameAddrDecoder} for From and To); the reason of a failing typed decoder
 * becomes {@link #reason()}. Contacts are validated on demand ({@link #validateContacts()}): a proxy forwards what it
 * does not use unchanged (RFC 3261 §16.3 item 1). Consumers read other values on demand, e.g.
 * {@code viaDecoder.wrap(decoder.buffer(), decoder.valueOffset(i), decoder.valueLength(i))}.
 * <p>
 * <b>Folded values.</b> A value continued on the next line (RFC 3261 §7.3.1) is indexed as one range that still holds
 * the CRLF and the leading whitespace of the continuation. Consumers treat CR and LF inside a value as linear white
 * space (the typed decoders of this package do); an editor that copies the range copies the fold unchanged, which is
 * legal on the wire.
 * <p>
 * <b>Line terminators.</b> CRLF is expected; a bare LF is tolerated as a line end, as deployed stacks do.
 */
public final class SipMessageDecoder
{
    /** The message is well formed and indexed. */
    public static final int OK = 0;
    /** The message is malformed; {@link #reason()} says why. A request is answered 400, a response is dropped. */
    public static final int INVALID = 1;
    /** The SIP version is not SIP/2.0: the message is still fully indexed so that a 505 can be built. */
    public static final int VERSION_NOT_SUPPORTED = 2;
    /** The message is larger than the configured maximum; nothing is indexed. */
    public static final int TOO_LARGE = 3;
    /** The datagram holds only CR and LF octets: a keep-alive (RFC 5626 §4.4.1 style), not a message. */
    public static final int KEEP_ALIVE = 4;

    /** Default maximum message size in bytes (the largest UDP payload). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 65_535;
    /** Default maximum number of indexed header values. */
    public static final int DEFAULT_MAX_HEADER_VALUES = 256;

    /**
     * The largest CSeq number accepted: a 32-bit unsigned integer (RFC 3261 §8.1.1.5; senders start below 2**31).
     */
    public static final long MAX_CSEQ = CSeqDecoder.MAX_NUMBER;

    public static final String REASON_OK = "OK";
    public static final String REASON_TOO_LARGE = "Message too large";
    public static final String REASON_KEEP_ALIVE = "Keep-alive";
    public static final String REASON_VERSION = "Version Not Supported";
    public static final String REASON_REQUEST_LINE = "Malformed request line";
    public static final String REASON_STATUS_LINE = "Malformed status line";
    public static final String REASON_STATUS_CODE = "Bad status code";
    public static final String REASON_REQUEST_URI_HEADERS = "Headers in Request-URI";
    public static final String REASON_HEADER = "Malformed header";
    public static final String REASON_HEADER_CHAR = "Invalid character in header";
    public static final String REASON_QUOTE = "Unterminated quoted string";
    public static final String REASON_NO_END_OF_HEADERS = "Missing end of headers";
    public static final String REASON_TOO_MANY_HEADERS = "Too many headers";
    public static final String REASON_MISSING_VIA = "Missing Via";
    public static final String REASON_MISSING_FROM = "Missing From";
    public static final String REASON_MISSING_TO = "Missing To";
    public static final String REASON_MISSING_CALL_ID = "Missing Call-ID";
    public static final String REASON_MISSING_CSEQ = "Missing CSeq";
    public static final String REASON_MULTIPLE_FROM = "Multiple From";
    public static final String REASON_MULTIPLE_TO = "Multiple To";
    public static final String REASON_MULTIPLE_CALL_ID = "Multiple Call-ID";
    public static final String REASON_MULTIPLE_CSEQ = "Multiple CSeq";
    public static final String REASON_MULTIPLE_MAX_FORWARDS = "Multiple Max-Forwards";
    public static final String REASON_MULTIPLE_CONTENT_LENGTH = "Multiple Content-Length";
    public static final String REASON_CONFLICTING_CONTENT_LENGTH = "Conflicting Content-Length";
    public static final String REASON_MULTIPLE_CONTENT_TYPE = "Multiple Content-Type";
    public static final String REASON_MULTIPLE_EXPIRES = "Multiple Expires";
    public static final String REASON_CSEQ = "Bad CSeq";
    public static final String REASON_CSEQ_METHOD = "Bad CSeq method";
    public static final String REASON_CONTENT_LENGTH = "Bad Content-Length";
    public static final String REASON_CONTENT_LENGTH_BEYOND = "Content-Length beyond datagram";
    public static final String REASON_MAX_FORWARDS = "Bad Max-Forwards";
    public static final String REASON_EXPIRES = "Bad Expires";
    public static final String REASON_CALL_ID = "Bad Call-ID";
    public static final String REASON_VIA = "Malformed Via";
    public static final String REASON_EMPTY_VALUE = "Empty header value";

    /** A list header: values are split on commas outside quotes and angle brackets. */
    private static final int LIST = 1;
    /** Double quotes delimit quoted strings (not in free text, which may hold a lone one). */
    private static final int QUOTES = 2;
    /** An empty value is malformed. */
    private static final int NOT_EMPTY = 4;
    /** The line is checked when it ends: a hot header decoded into primitives or a single-value header. */
    private static final int ON_LINE_END = 8;
    /** The headers every message must carry, as bits of {@link #seenIds}. */
    private static final long MANDATORY_IDS = 1L << HeaderName.VIA | 1L << HeaderName.FROM | 1L << HeaderName.TO |
        1L << HeaderName.CALL_ID | 1L << HeaderName.CSEQ;

    private static final int VALUE_ID = 0;
    private static final int VALUE_OFFSET = 1;
    private static final int VALUE_LENGTH = 2;
    private static final int VALUE_LINE = 3;
    private static final int VALUE_SHIFT = 2;
    private static final int LINE_OFFSET = 0;
    private static final int LINE_LENGTH = 1;
    private static final int LINE_NAME_LENGTH = 2;
    private static final int LINE_FIRST_VALUE = 3;
    private static final int LINE_VALUE_COUNT = 4;
    private static final int LINE_NEXT_SAME_ID = 5;
    private static final int LINE_SHIFT = 3;

    private static final String[] REASON_MULTIPLE = new String[HeaderName.ID_COUNT];
    /** Per header id, so the scan of a line reads what it needs to know about its header with one load. */
    private static final byte[] FLAGS = new byte[HeaderName.ID_COUNT];

    static
    {
        if (HeaderName.ID_COUNT > Long.SIZE)
        {
            throw new IllegalStateException("header ids must fit the bits of a long: " + HeaderName.ID_COUNT);
        }
        REASON_MULTIPLE[HeaderName.FROM] = REASON_MULTIPLE_FROM;
        REASON_MULTIPLE[HeaderName.TO] = REASON_MULTIPLE_TO;
        REASON_MULTIPLE[HeaderName.CALL_ID] = REASON_MULTIPLE_CALL_ID;
        REASON_MULTIPLE[HeaderName.CSEQ] = REASON_MULTIPLE_CSEQ;
        REASON_MULTIPLE[HeaderName.MAX_FORWARDS] = REASON_MULTIPLE_MAX_FORWARDS;
        REASON_MULTIPLE[HeaderName.CONTENT_TYPE] = REASON_MULTIPLE_CONTENT_TYPE;
        REASON_MULTIPLE[HeaderName.EXPIRES] = REASON_MULTIPLE_EXPIRES;

        for (int id = 0; id < HeaderName.ID_COUNT; id++)
        {
            FLAGS[id] = (byte)((HeaderName.isMultiValued(id) ? LIST : 0) | QUOTES |
                (REASON_MULTIPLE[id] != null ? ON_LINE_END : 0));
        }
        // Free text may hold a lone double quote, so quotes are not tracked there.
        clear(QUOTES, HeaderName.UNKNOWN, HeaderName.CALL_ID, HeaderName.SUBJECT, HeaderName.USER_AGENT,
            HeaderName.SERVER, HeaderName.ORGANIZATION, HeaderName.DATE);
        set(NOT_EMPTY, HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CONTACT, HeaderName.ROUTE,
            HeaderName.RECORD_ROUTE, HeaderName.PATH, HeaderName.CSEQ);
        set(ON_LINE_END, HeaderName.CONTENT_LENGTH, HeaderName.MAX_FORWARDS, HeaderName.EXPIRES, HeaderName.CALL_ID,
            HeaderName.CSEQ);
    }

    private static void set(final int flag, final int... ids)
    {
        for (final int id : ids)
        {
            FLAGS[id] |= (byte)flag;
        }
    }

    private static void clear(final int flag, final int... ids)
    {
        for (final int id : ids)
        {
            FLAGS[id] &= (byte)~flag;
        }
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long COLONS = ONES * ':';
    private static final long DQUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long CLOSE_ANGLES = ONES * '>';
    private static final long COMMAS = ONES * ',';

    private static final byte[] SIP_VERSION = {'s', 'i', 'p', '/', '2', '.', '0'};
    /** " SIP/2.0" as a little-endian word. */
    private static final long SPACE_SIP_2_0 = 0x302E322F50495320L;
    /** " SIP/2.0\r\n". */
    private static final int SIP_2_0_CRLF_LENGTH = 10;

    private final int maxMessageSize;
    private final int maxHeaderValues;

    private final SipUriDecoder uriDecoder = new SipUriDecoder();
    private final ViaDecoder topViaDecoder = new ViaDecoder();
    private final ViaDecoder viaDecoder = new ViaDecoder();
    private final NameAddrDecoder fromDecoder = new NameAddrDecoder();
    private final NameAddrDecoder toDecoder = new NameAddrDecoder();
    private final NameAddrDecoder nameAddrDecoder = new NameAddrDecoder();

    // Per value, its fields side by side (VALUE_*): one bounds check and one cache line per value written or read.
    private final int[] values;
    /** The commas splitting the values of the line being scanned: {@link #parseValues}. */
    private final int[] splits;
    // Per header line, its fields side by side (LINE_*); every line holds at least one value, so there are no more
    // lines than values. The values of a line are consecutive, so the lines of a header are chained rather than its
    // values: one store per line.
    private final int[] lines;
    // Per header id; an entry is meaningful only while the id's bit is set in seenIds, so reset clears one long.
    private final int[] firstLineById = new int[HeaderName.ID_COUNT];
    private final int[] lastLineById = new int[HeaderName.ID_COUNT];
    private final int[] countById = new int[HeaderName.ID_COUNT];
    private long seenIds;

    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    private int result;
    private String reason;
    private int messageOffset;
    private int messageLength;
    private int limit;
    /** The header id {@link #knownNameLength(int)} found. */
    private int lookupId;

    private boolean request;
    private int method;
    private int methodOffset;
    private int methodLength;
    private int requestUriOffset;
    private int requestUriLength;
    private int versionOffset;
    private int versionLength;
    private boolean versionOk;
    private int statusCode;
    private int reasonPhraseOffset;
    private int reasonPhraseLength;
    private int startLineLength;

    private int headerCount;
    private int lineCount;
    private int headersEndOffset;
    private int bodyOffset;
    private int bodyLength;

    private int contentLength;
    private int contentLengthIndex;
    private long cseqNumber;
    private int cseqMethod;
    private int cseqMethodOffset;
    private int cseqMethodLength;
    private int maxForwards;
    private long expires;
    private int callIdOffset;
    private int callIdLength;

    /**
     * A decoder with the default limits.
     */
    public SipMessageDecoder()
    {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_HEADER_VALUES);
    }

    /**
     * @param maxMessageSize  largest message accepted, in bytes; larger input returns {@link #TOO_LARGE}.
     * @param maxHeaderValues largest number of header values indexed; more makes the message {@link #INVALID}.
     */
    public SipMessageDecoder(final int maxMessageSize, final int maxHeaderValues)
    {
        if (maxMessageSize <= 0 || maxHeaderValues <= 0)
        {
            throw new IllegalArgumentException(
                "limits must be positive: maxMessageSize=" + maxMessageSize + " maxHeaderValues=" + maxHeaderValues);
        }
        this.maxMessageSize = maxMessageSize;
        this.maxHeaderValues = maxHeaderValues;
        values = new int[maxHeaderValues << VALUE_SHIFT];
        splits = new int[maxHeaderValues];
        lines = new int[maxHeaderValues << LINE_SHIFT];
    }

    /**
     * Index one message, e.g. one UDP datagram.
     *
     * @param buffer holding the message; kept (not copied) until the next wrap.
     * @param offset of the first byte.
     * @param length of the datagram; octets after the message's Content-Length are ignored.
     * @return {@link #OK}, {@link #INVALID}, {@link #VERSION_NOT_SUPPORTED}, {@link #TOO_LARGE} or
     * {@link #KEEP_ALIVE}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        reset(buffer, offset, length);
        if (length > maxMessageSize)
        {
            return fail(TOO_LARGE, REASON_TOO_LARGE);
        }
        if (length > 0)
        {
            // One bounds check for the message; the header scan then reads without a check per byte.
            buffer.boundsCheck(offset, length);
        }
        array = buffer.byteArray();
        address = buffer.addressOffset();

        int pos = offset;
        while (pos < limit && (byteAt(pos) == '\r' || byteAt(pos) == '\n'))
        {
            pos++;
        }
        if (pos == limit)
        {
            return fail(KEEP_ALIVE, REASON_KEEP_ALIVE);
        }
        messageOffset = pos;

        pos = parseStartLine(pos);
        if (pos < 0)
        {
            return result;
        }
        pos = parseHeaders(pos);
        if (pos < 0)
        {
            return result;
        }
        if (!validate())
        {
            return result;
        }
        if (!versionOk)
        {
            // Other versions may have other grammars: stop at what a 505 needs.
            return fail(VERSION_NOT_SUPPORTED, REASON_VERSION);
        }
        return validateValues() ? OK : result;
    }

    /**
     * Validate every Contact value of a message {@link #wrap(DirectBuffer, int, int)} accepted, as a registrar and a
     * linter need: {@code wrap} leaves Contacts to the consumers that use them.
     *
     * @return true if the message was accepted and every Contact is well formed (or there is none); false otherwise,
     * with {@link #result()} {@link #INVALID} and {@link #reason()} saying why if a Contact is malformed.
     */
    public boolean validateContacts()
    {
        return result == OK && validateNameAddr(nameAddrDecoder, first(HeaderName.CONTACT));
    }

    /**
     * @return the code {@link #wrap(DirectBuffer, int, int)} returned.
     */
    public int result()
    {
        return result;
    }

    /**
     * The Request-URI as {@link #wrap(DirectBuffer, int, int)} validated it, so that a proxy need not decode it again.
     * Valid until the next wrap, and only for a request that returned {@link #OK}.
     *
     * @return the wrapped Request-URI flyweight.
     */
    public SipUriDecoder requestUri()
    {
        return uriDecoder;
    }

    /**
     * The top (first) Via value as {@link #wrap(DirectBuffer, int, int)} validated it. Valid until the next wrap,
     * and only when it returned {@link #OK}.
     *
     * @return the wrapped top Via flyweight.
     */
    public ViaDecoder topVia()
    {
        return topViaDecoder;
    }

    /**
     * The From value as {@link #wrap(DirectBuffer, int, int)} validated it. Valid until the next wrap, and only
     * when it returned {@link #OK}.
     *
     * @return the wrapped From flyweight.
     */
    public NameAddrDecoder from()
    {
        return fromDecoder;
    }

    /**
     * The To value as {@link #wrap(DirectBuffer, int, int)} validated it. Valid until the next wrap, and only when
     * it returned {@link #OK}.
     *
     * @return the wrapped To flyweight.
     */
    public NameAddrDecoder to()
    {
        return toDecoder;
    }

    /**
     * @return a constant reason fit for a response reason phrase ("OK" when the message is well formed).
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
     * @return offset of the start line (after any leading CRLF, which RFC 3261 §7.5 says to ignore).
     */
    public int messageOffset()
    {
        return messageOffset;
    }

    /**
     * @return length from {@link #messageOffset()} to the end of the body; octets after it in the datagram are not
     * part of the message.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * @return true for a request, false for a response.
     */
    public boolean isRequest()
    {
        return request;
    }

    /**
     * @return the request's {@link SipMethod} code ({@link SipMethod#UNKNOWN} for extension methods or responses).
     */
    public int method()
    {
        return method;
    }

    /**
     * @return offset of the request's method token.
     */
    public int methodOffset()
    {
        return methodOffset;
    }

    /**
     * @return length of the request's method token, 0 for a response.
     */
    public int methodLength()
    {
        return methodLength;
    }

    /**
     * @return offset of the Request-URI.
     */
    public int requestUriOffset()
    {
        return requestUriOffset;
    }

    /**
     * @return length of the Request-URI, 0 for a response.
     */
    public int requestUriLength()
    {
        return requestUriLength;
    }

    /**
     * @return offset of the SIP-Version token of the start line.
     */
    public int versionOffset()
    {
        return versionOffset;
    }

    /**
     * @return length of the SIP-Version token.
     */
    public int versionLength()
    {
        return versionLength;
    }

    /**
     * @return true if the version is SIP/2.0.
     */
    public boolean isVersionOk()
    {
        return versionOk;
    }

    /**
     * @return the response's status code (100–699), 0 for a request.
     */
    public int statusCode()
    {
        return statusCode;
    }

    /**
     * @return offset of the response's reason phrase.
     */
    public int reasonPhraseOffset()
    {
        return reasonPhraseOffset;
    }

    /**
     * @return length of the response's reason phrase (may be 0).
     */
    public int reasonPhraseLength()
    {
        return reasonPhraseLength;
    }

    /**
     * @return length of the start line including its line terminator; headers start at
     * {@code messageOffset() + startLineLength()}.
     */
    public int startLineLength()
    {
        return startLineLength;
    }

    /**
     * @return offset of the empty line that ends the headers (where an editor appends header lines).
     */
    public int headersEndOffset()
    {
        return headersEndOffset;
    }

    /**
     * @return number of indexed header values.
     */
    public int headerCount()
    {
        return headerCount;
    }

    /**
     * @param index of a header value, 0 to {@link #headerCount()} - 1.
     * @return its {@link HeaderName} id.
     */
    public int headerId(final int index)
    {
        return values[(index << VALUE_SHIFT) + VALUE_ID];
    }

    /**
     * @param index of a header value.
     * @return offset of the header name as written (long or compact form).
     */
    public int nameOffset(final int index)
    {
        return line(valueLine(index), LINE_OFFSET);
    }

    /**
     * @param index of a header value.
     * @return length of the header name.
     */
    public int nameLength(final int index)
    {
        return line(valueLine(index), LINE_NAME_LENGTH);
    }

    /**
     * @param index of a header value.
     * @return offset of the value, leading white space trimmed.
     */
    public int valueOffset(final int index)
    {
        return values[(index << VALUE_SHIFT) + VALUE_OFFSET];
    }

    /**
     * @param index of a header value.
     * @return length of the value, trailing white space trimmed; may be 0 for an empty header.
     */
    public int valueLength(final int index)
    {
        return values[(index << VALUE_SHIFT) + VALUE_LENGTH];
    }

    /**
     * @param index of a header value.
     * @return offset of the header line holding the value (its name's first byte).
     */
    public int lineOffset(final int index)
    {
        return line(valueLine(index), LINE_OFFSET);
    }

    /**
     * @param index of a header value.
     * @return length of the header line holding the value, folds and the final line terminator included.
     */
    public int lineLength(final int index)
    {
        return line(valueLine(index), LINE_LENGTH);
    }

    /**
     * @param index of a header value.
     * @return position of the value within its line, from 0.
     */
    public int lineValueIndex(final int index)
    {
        return index - line(valueLine(index), LINE_FIRST_VALUE);
    }

    /**
     * @param index of a header value.
     * @return number of values on the same line.
     */
    public int lineValueCount(final int index)
    {
        return line(valueLine(index), LINE_VALUE_COUNT);
    }

    /**
     * @param headerId a {@link HeaderName} id.
     * @return index of its first value, or -1.
     */
    public int firstIndexOf(final int headerId)
    {
        return headerId >= 0 && headerId < HeaderName.ID_COUNT ? first(headerId) : -1;
    }

    /**
     * @param headerId a {@link HeaderName} id.
     * @param after    an index of a value of that header.
     * @return index of the next value of the same header after {@code after}, or -1.
     */
    public int nextIndexOf(final int headerId, final int after)
    {
        if (after < 0 || after >= headerCount)
        {
            return -1;
        }
        if (headerId(after) == headerId)
        {
            return nextSame(after);
        }
        for (int i = after + 1; i < headerCount; i++)
        {
            if (headerId(i) == headerId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param headerId a {@link HeaderName} id.
     * @return number of values of that header.
     */
    public int count(final int headerId)
    {
        return headerId >= 0 && headerId < HeaderName.ID_COUNT ? countOf(headerId) : 0;
    }

    /**
     * @return offset of the body.
     */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /**
     * @return length of the body: Content-Length, or the rest of the datagram when it is absent.
     */
    public int bodyLength()
    {
        return bodyLength;
    }

    /**
     * @return the Content-Length value, or -1 if absent.
     */
    public int contentLength()
    {
        return contentLength;
    }

    /**
     * @return index of the Content-Length value (its name length says long or compact form), or -1.
     */
    public int contentLengthIndex()
    {
        return contentLengthIndex;
    }

    /**
     * @return the CSeq sequence number.
     */
    public long cseqNumber()
    {
        return cseqNumber;
    }

    /**
     * @return the CSeq method's {@link SipMethod} code.
     */
    public int cseqMethod()
    {
        return cseqMethod;
    }

    /**
     * @return offset of the CSeq method token.
     */
    public int cseqMethodOffset()
    {
        return cseqMethodOffset;
    }

    /**
     * @return length of the CSeq method token.
     */
    public int cseqMethodLength()
    {
        return cseqMethodLength;
    }

    /**
     * @return Max-Forwards (0–255), or -1 if absent.
     */
    public int maxForwards()
    {
        return maxForwards;
    }

    /**
     * @return the Expires header's delta-seconds, or -1 if absent.
     */
    public long expires()
    {
        return expires;
    }

    /**
     * @return offset of the Call-ID value.
     */
    public int callIdOffset()
    {
        return callIdOffset;
    }

    /**
     * @return length of the Call-ID value.
     */
    public int callIdLength()
    {
        return callIdLength;
    }

    private void reset(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        result = OK;
        reason = REASON_OK;
        messageOffset = offset;
        messageLength = 0;
        limit = offset + length;
        request = false;
        method = SipMethod.UNKNOWN;
        methodOffset = offset;
        methodLength = 0;
        requestUriOffset = offset;
        requestUriLength = 0;
        versionOffset = offset;
        versionLength = 0;
        versionOk = false;
        statusCode = 0;
        reasonPhraseOffset = offset;
        reasonPhraseLength = 0;
        startLineLength = 0;
        headerCount = 0;
        lineCount = 0;
        headersEndOffset = offset;
        bodyOffset = offset;
        bodyLength = 0;
        contentLength = -1;
        contentLengthIndex = -1;
        cseqNumber = -1;
        cseqMethod = SipMethod.UNKNOWN;
        cseqMethodOffset = offset;
        cseqMethodLength = 0;
        maxForwards = -1;
        expires = -1;
        callIdOffset = offset;
        callIdLength = 0;
        seenIds = 0;
    }

    private int valueLine(final int index)
    {
        return values[(index << VALUE_SHIFT) + VALUE_LINE];
    }

    private int line(final int line, final int field)
    {
        return lines[(line << LINE_SHIFT) + field];
    }

    private int first(final int id)
    {
        return (seenIds & (1L << id)) != 0 ? line(firstLineById[id], LINE_FIRST_VALUE) : -1;
    }

    /**
     * @return the index of the next value of the header of value {@code index}, or -1.
     */
    private int nextSame(final int index)
    {
        final int line = valueLine(index);
        if (index + 1 < line(line, LINE_FIRST_VALUE) + line(line, LINE_VALUE_COUNT))
        {
            return index + 1;
        }
        final int next = line(line, LINE_NEXT_SAME_ID);
        return next < 0 ? -1 : line(next, LINE_FIRST_VALUE);
    }

    private int countOf(final int id)
    {
        return (seenIds & (1L << id)) != 0 ? countById[id] : 0;
    }

    private int fail(final int code, final String why)
    {
        result = code;
        reason = why;
        return code;
    }

    private int parseStartLine(final int start)
    {
        final int next = parseCommonRequestLine(start);
        if (next > 0)
        {
            return next;
        }
        final int eol = SipBytes.indexOf(array, address, start, limit, (byte)'\n');
        if (eol < 0)
        {
            fail(INVALID, REASON_NO_END_OF_HEADERS);
            return -1;
        }
        startLineLength = eol + 1 - start;
        final int end = eol > start && byteAt(eol - 1) == '\r' ? eol - 1 : eol;

        if (end - start >= 4 && isSipVersionPrefix(start))
        {
            return parseStatusLine(start, end) ? eol + 1 : -1;
        }
        return parseRequestLine(start, end) ? eol + 1 : -1;
    }

    /**
     * The request line nearly every request has: a token, one space, a URI, and " SIP/2.0" right before CRLF. It is
     * read in one pass, without the search for the line end and the version's digit scans of the general path.
     *
     * @return the offset of the first header line, or -1 if the line is not of that shape (then the general path
     * parses it, and gives the reason if it is malformed).
     */
    private int parseCommonRequestLine(final int start)
    {
        final int limit = this.limit;
        int pos = start;
        while (pos < limit && SipBytes.isTokenChar(byteAt(pos)))
        {
            pos++;
        }
        if (pos == start || pos >= limit || byteAt(pos) != ' ')
        {
            return -1;
        }
        final int uriStart = pos + 1;
        final int uriEnd = uriEnd(uriStart, limit);
        if (uriEnd == uriStart || uriEnd > limit - SIP_2_0_CRLF_LENGTH || longAt(uriEnd) != SPACE_SIP_2_0 ||
            byteAt(uriEnd + Long.BYTES) != '\r' || byteAt(uriEnd + Long.BYTES + 1) != '\n')
        {
            return -1;
        }
        request = true;
        methodOffset = start;
        methodLength = pos - start;
        method = SipMethod.lookup(array, address, start, methodLength);
        requestUriOffset = uriStart;
        requestUriLength = uriEnd - uriStart;
        versionOffset = uriEnd + 1;
        versionLength = SIP_VERSION.length;
        versionOk = true;
        startLineLength = uriEnd + SIP_2_0_CRLF_LENGTH - start;
        return uriEnd + SIP_2_0_CRLF_LENGTH;
    }

    private boolean isSipVersionPrefix(final int pos)
    {
        return SipBytes.toLowerCase(byteAt(pos)) == 's' &&
            SipBytes.toLowerCase(byteAt(pos + 1)) == 'i' &&
            SipBytes.toLowerCase(byteAt(pos + 2)) == 'p' &&
            byteAt(pos + 3) == '/';
    }

    private boolean parseRequestLine(final int start, final int end)
    {
        int pos = start;
        while (pos < end && SipBytes.isTokenChar(byteAt(pos)))
        {
            pos++;
        }
        if (pos == start || pos == end || byteAt(pos) != ' ')
        {
            fail(INVALID, REASON_REQUEST_LINE);
            return false;
        }
        request = true;
        methodOffset = start;
        methodLength = pos - start;
        method = SipMethod.lookup(array, address, start, methodLength);

        final int uriStart = ++pos;
        pos = uriEnd(uriStart, end);
        if (pos < end && byteAt(pos) != ' ')
        {
            fail(INVALID, REASON_REQUEST_LINE);
            return false;
        }
        if (pos == uriStart || pos == end)
        {
            fail(INVALID, REASON_REQUEST_LINE);
            return false;
        }
        requestUriOffset = uriStart;
        requestUriLength = pos - uriStart;

        versionOffset = pos + 1;
        versionLength = end - versionOffset;
        if (!checkVersion(versionOffset, versionLength))
        {
            fail(INVALID, REASON_REQUEST_LINE);
            return false;
        }
        return true;
    }

    /**
     * @return the first position from {@code from} before {@code end} holding a space, a control, DEL or a byte with
     * the high bit set (the bytes a Request-URI cannot hold, RFC 3261 §25.1), or {@code end}.
     */
    private int uriEnd(final int from, final int end)
    {
        int pos = from;
        while (pos <= end - Long.BYTES)
        {
            // (b + 1) mod 128 is below 0x22 exactly for the controls, space and DEL.
            final long word = longAt(pos);
            final long next = ((word & LOW7) + ONES) & LOW7;
            final long stop = (~(next + ONES * (0x80 - 0x22)) | word) & HIGHS;
            if (0 != stop)
            {
                return pos + (Long.numberOfTrailingZeros(stop) >>> 3);
            }
            pos += Long.BYTES;
        }
        while (pos < end)
        {
            final byte b = byteAt(pos);
            if (b <= ' ' || b == 0x7F)
            {
                return pos;
            }
            pos++;
        }
        return end;
    }

    /**
     * Sets {@link #versionOk}; a well-formed "SIP/x.y" other than 2.0 is not an error here.
     */
    private boolean checkVersion(final int offset, final int length)
    {
        if (length < 7 || !isSipVersionPrefix(offset))
        {
            return false;
        }
        int pos = offset + 4;
        final int end = offset + length;
        final int major = pos;
        while (pos < end && SipBytes.isDigit(byteAt(pos)))
        {
            pos++;
        }
        if (pos == major || pos == end || byteAt(pos) != '.')
        {
            return false;
        }
        final int minor = ++pos;
        while (pos < end && SipBytes.isDigit(byteAt(pos)))
        {
            pos++;
        }
        if (pos == minor || pos != end)
        {
            return false;
        }
        versionOk = SipBytes.equalsIgnoreCase(array, address, offset, length, SIP_VERSION);
        return true;
    }

    private boolean parseStatusLine(final int start, final int end)
    {
        int pos = start;
        while (pos < end && byteAt(pos) != ' ')
        {
            pos++;
        }
        versionOffset = start;
        versionLength = pos - start;
        if (pos == end || !checkVersion(start, versionLength))
        {
            fail(INVALID, REASON_STATUS_LINE);
            return false;
        }
        final int codeStart = ++pos;
        while (pos < end && byteAt(pos) != ' ')
        {
            pos++;
        }
        final int code = (int)SipBytes.parseUnsigned(array, address, codeStart, pos - codeStart, 999);
        if (pos - codeStart != 3 || code < 100 || code > 699)
        {
            fail(INVALID, REASON_STATUS_CODE);
            return false;
        }
        statusCode = code;
        reasonPhraseOffset = pos < end ? pos + 1 : end;
        reasonPhraseLength = end - reasonPhraseOffset;
        for (int i = reasonPhraseOffset; i < end; i++)
        {
            final byte b = byteAt(i);
            if ((b >= 0 && b < ' ' && b != '\t') || b == 0x7F)
            {
                fail(INVALID, REASON_STATUS_LINE);
                return false;
            }
        }
        return true;
    }

    /**
     * One forward pass over the header lines: names, values split where the header is a list, folds, quotes.
     *
     * @return the offset of the body, or -1 with {@link #result} set.
     */
    private int parseHeaders(final int headersStart)
    {
        final int limit = this.limit;
        int pos = headersStart;
        while (true)
        {
            if (pos >= limit)
            {
                fail(INVALID, REASON_NO_END_OF_HEADERS);
                return -1;
            }
            byte b = byteAt(pos);
            if (b == '\r' || b == '\n')
            {
                headersEndOffset = pos;
                if (b == '\r')
                {
                    if (pos + 1 >= limit || byteAt(pos + 1) != '\n')
                    {
                        fail(INVALID, REASON_NO_END_OF_HEADERS);
                        return -1;
                    }
                    pos++;
                }
                return frameBody(pos + 1);
            }

            final int lineStart = pos;
            int nameLength = knownNameLength(lineStart);
            int id;
            if (nameLength > 0)
            {
                id = lookupId;
                pos = lineStart + nameLength;
            }
            else
            {
                while (pos < limit && SipBytes.isTokenChar(byteAt(pos)))
                {
                    pos++;
                }
                nameLength = pos - lineStart;
                pos = SipBytes.skipWhitespace(array, address, pos, limit);
                if (nameLength == 0 || pos >= limit || byteAt(pos) != ':')
                {
                    fail(INVALID, REASON_HEADER);
                    return -1;
                }
                id = lookupName(lineStart, nameLength);
            }
            final int firstEntry = headerCount;
            final int lines = lineCount;
            pos = parseValues(id, lineStart, nameLength, pos + 1);
            if (pos < 0)
            {
                if (lineCount == lines && headerCount > firstEntry)
                {
                    // The values indexed before the error stay reachable (a 400 copies the Vias), up to the last one.
                    final int last = headerCount - 1;
                    addLine(id, lineStart, valueOffset(last) + valueLength(last) - lineStart, nameLength, firstEntry);
                }
                return -1;
            }
        }
    }

    /**
     * The fast path for a header name: find the colon in the first three words of the line and look the bytes before
     * it up exactly ({@link HeaderName#lookupExact(int, long, long, long)}), which also proves they are token
     * characters. Sets {@link #lookupId}.
     *
     * @return the name's length if it is a known name written without white space before its colon, else 0 (the
     * caller then scans the name byte by byte).
     */
    private int knownNameLength(final int start)
    {
        if (start > limit - 3 * Long.BYTES)
        {
            return 0;
        }
        final long word0 = longAt(start);
        long colons = SipBytes.matches(word0, COLONS) & HIGHS;
        if (colons != 0)
        {
            final int length = Long.numberOfTrailingZeros(colons) >>> 3;
            lookupId = length == 0 ?
                HeaderName.UNKNOWN : HeaderName.lookupExact(length, word0 & lowBytes(length), 0, 0);
            return lookupId == HeaderName.UNKNOWN ? 0 : length;
        }
        final long word1 = longAt(start + Long.BYTES);
        colons = SipBytes.matches(word1, COLONS) & HIGHS;
        if (colons != 0)
        {
            final int length = Long.numberOfTrailingZeros(colons) >>> 3;
            lookupId = HeaderName.lookupExact(Long.BYTES + length, word0, word1 & lowBytes(length), 0);
            return lookupId == HeaderName.UNKNOWN ? 0 : Long.BYTES + length;
        }
        final long word2 = longAt(start + 2 * Long.BYTES);
        colons = SipBytes.matches(word2, COLONS) & HIGHS;
        if (colons != 0)
        {
            final int length = Long.numberOfTrailingZeros(colons) >>> 3;
            lookupId = HeaderName.lookupExact(2 * Long.BYTES + length, word0, word1, word2 & lowBytes(length));
            return lookupId == HeaderName.UNKNOWN ? 0 : 2 * Long.BYTES + length;
        }
        return 0;
    }

    /**
     * @return a mask of the low {@code count} bytes of a word, {@code count} 0 to 7.
     */
    private static long lowBytes(final int count)
    {
        return (1L << (count << 3)) - 1;
    }

    /**
     * Identify a header name of token characters by reading it a word at a time (see
     * {@link HeaderName#lookupWords(int, long, long, long)}).
     */
    private int lookupName(final int start, final int length)
    {
        if (length > HeaderName.MAX_WORDS_LENGTH)
        {
            return HeaderName.UNKNOWN;
        }
        return HeaderName.lookupWords(
            length,
            nameWord(start, length),
            nameWord(start + Long.BYTES, length - Long.BYTES),
            nameWord(start + 2 * Long.BYTES, length - 2 * Long.BYTES));
    }

    /**
     * Up to eight bytes of a name from {@code from}, case folded, zero past the name's end.
     */
    private long nameWord(final int from, final int remaining)
    {
        if (remaining <= 0)
        {
            return 0;
        }
        final int count = Math.min(remaining, Long.BYTES);
        final long word;
        if (from <= limit - Long.BYTES)
        {
            word = longAt(from);
        }
        else
        {
            long bytes = 0;
            for (int i = count - 1; i >= 0; i--)
            {
                bytes = (bytes << 8) | (byteAt(from + i) & 0xFF);
            }
            word = bytes;
        }
        final long mask = count == Long.BYTES ? -1L : (1L << (count << 3)) - 1;
        return (word | HeaderName.FOLD_CASE) & mask;
    }

    /**
     * Scan one header's value from after its colon to the end of its (possibly folded) line, then index an entry per
     * value. Eight bytes per read: {@link #specialBytes(long, int, boolean)} flags exactly the bytes that need a
     * decision in the current state, and every flagged byte of a word is handled from the word already read; the word
     * is read again only after a byte that changes which bytes are flagged (a quote, an escape, a fold).
     *
     * @return the offset of the next line, or -1 with {@link #result} set.
     */
    private int parseValues(final int id, final int lineStart, final int nameLength, final int valueStart)
    {
        // The rare branches (folds, escapes, bad bytes) are methods of their own and a list's commas are only noted
        // here, their values indexed at the line's end (indexSplits): the smaller loop compiles to faster code.
        final int limit = this.limit;
        final int flags = FLAGS[id];
        final int[] splits = this.splits;
        int splitCount = 0;
        boolean inQuotes = false;
        boolean inAngle = false;
        int pos = valueStart;
        scan:
        while (pos < limit)
        {
            final long word = pos <= limit - Long.BYTES ? longAt(pos) : tailWord(pos);
            long special = specialBytes(word, flags, inQuotes);
            while (special != 0)
            {
                final int bit = Long.numberOfTrailingZeros(special);
                final int at = pos + (bit >>> 3);
                final byte b = (byte)(word >>> (bit - 7));
                special &= special - 1;
                if (b == ',')
                {
                    // The most frequent flagged byte of a list (Allow, Supported), so it is tested first.
                    if (!inAngle)
                    {
                        if (splitCount == splits.length)
                        {
                            return indexSplits(id, flags, valueStart, splitCount) < 0 ?
                                -1 : failed(REASON_TOO_MANY_HEADERS);
                        }
                        splits[splitCount++] = at;
                    }
                }
                else if (b == '\r' || b == '\n')
                {
                    final int next =
                        endLine(id, flags, lineStart, nameLength, valueStart, splitCount, at, inQuotes);
                    if (next >= -1)
                    {
                        return next;
                    }
                    // A fold: the value goes on after the line break and its white space.
                    pos = ~next;
                    continue scan;
                }
                else if (b == '"')
                {
                    inQuotes = !inQuotes;
                    pos = at + 1;
                    continue scan;
                }
                else if (b == '<' || b == '>')
                {
                    inAngle = b == '<';
                }
                else if (b != '\t')
                {
                    pos = escapedEnd(id, flags, valueStart, splitCount, b, at);
                    if (pos < 0)
                    {
                        return -1;
                    }
                    continue scan;
                }
            }
            pos += Long.BYTES;
        }
        return indexSplits(id, flags, valueStart, splitCount) < 0 ? -1 : failed(REASON_NO_END_OF_HEADERS);
    }

    /**
     * A backslash, which {@link #specialBytes} flags only inside quotes, or a byte no header value may hold. On an
     * error the line's values before it are indexed first, so they stay reachable.
     *
     * @return the offset after the quoted-pair it starts, or -1 with {@link #result} set.
     */
    private int escapedEnd(
        final int id, final int flags, final int valueStart, final int splitCount, final byte b, final int at)
    {
        if (b == '\\' && !(at + 1 < limit && (byteAt(at + 1) == '\r' || byteAt(at + 1) == '\n')))
        {
            // The escaped byte is skipped.
            return at + 2;
        }
        if (indexSplits(id, flags, valueStart, splitCount) < 0)
        {
            return -1;
        }
        // A quoted-pair cannot end a line.
        return failed(b == '\\' ? REASON_QUOTE : REASON_HEADER_CHAR);
    }

    /**
     * Index the values of a line before each of its first {@code splitCount} commas noted in {@link #splits}.
     *
     * @return the offset where the line's last value starts, or -1 with {@link #result} set.
     */
    private int indexSplits(final int id, final int flags, final int valueStart, final int splitCount)
    {
        final int[] splits = this.splits;
        int start = valueStart;
        for (int i = 0; i < splitCount; i++)
        {
            if (!addValue(id, flags, start, splits[i]))
            {
                return -1;
            }
            start = splits[i] + 1;
        }
        return start;
    }

    private int failed(final String why)
    {
        fail(INVALID, why);
        return -1;
    }

    /**
     * At a CR or LF flagged by the value scan: a fold goes on with the value; otherwise index the line's last value and
     * the line itself, then decode the line if it is a hot header.
     *
     * @return the offset of the next line; -1 with {@link #result} set; or, for a fold, the complement of the offset
     * where the value goes on (below -1).
     */
    private int endLine(
        final int id,
        final int flags,
        final int lineStart,
        final int nameLength,
        final int valueStart,
        final int splitCount,
        final int at,
        final boolean inQuotes)
    {
        final int lineEnd;
        if (byteAt(at) == '\n')
        {
            lineEnd = at + 1;
        }
        else if (at + 1 < limit && byteAt(at + 1) == '\n')
        {
            lineEnd = at + 2;
        }
        else
        {
            lineEnd = -1;
        }
        if (lineEnd >= 0 && lineEnd < limit && SipBytes.isWhitespace(byteAt(lineEnd)))
        {
            return ~(lineEnd + 1);
        }
        final int firstEntry = headerCount;
        final int elementStart = indexSplits(id, flags, valueStart, splitCount);
        if (elementStart < 0)
        {
            return -1;
        }
        if (lineEnd < 0)
        {
            return failed(REASON_HEADER_CHAR);
        }
        if (inQuotes)
        {
            return failed(REASON_QUOTE);
        }
        if (!addValue(id, flags, elementStart, at))
        {
            return -1;
        }
        addLine(id, lineStart, lineEnd - lineStart, nameLength, firstEntry);
        return (flags & ON_LINE_END) == 0 || decodeHot(id, firstEntry) ? lineEnd : -1;
    }

    /**
     * Index a line whose values are the entries from {@code firstEntry} to the last added, and chain it to the
     * previous line of the same header.
     */
    private void addLine(
        final int id, final int lineStart, final int lineLength, final int nameLength, final int firstEntry)
    {
        final int line = lineCount++;
        final int valueCount = headerCount - firstEntry;
        final int[] lines = this.lines;
        final int at = line << LINE_SHIFT;
        lines[at + LINE_OFFSET] = lineStart;
        lines[at + LINE_LENGTH] = lineLength;
        lines[at + LINE_NAME_LENGTH] = nameLength;
        lines[at + LINE_FIRST_VALUE] = firstEntry;
        lines[at + LINE_VALUE_COUNT] = valueCount;
        lines[at + LINE_NEXT_SAME_ID] = -1;
        final long bit = 1L << id;
        if ((seenIds & bit) == 0)
        {
            seenIds |= bit;
            firstLineById[id] = line;
            countById[id] = valueCount;
        }
        else
        {
            lines[(lastLineById[id] << LINE_SHIFT) + LINE_NEXT_SAME_ID] = line;
            countById[id] += valueCount;
        }
        lastLineById[id] = line;
    }

    /**
     * The last bytes of the message as a word, padded with a letter (a byte never flagged) past the end.
     */
    private long tailWord(final int from)
    {
        long word = ONES * 'a';
        for (int i = limit - 1; i >= from; i--)
        {
            word = (word << 8) | (byteAt(i) & 0xFF);
        }
        return word;
    }

    /**
     * SWAR over eight little-endian bytes: sets the high bit of exactly the bytes the value scan must look at in its
     * current state (no carries between bytes, so every flag is exact). Always controls (tab included) and DEL; for a
     * header with {@link #QUOTES} a DQUOTE; inside a quoted string a backslash; in a {@link #LIST} value outside quotes
     * angle brackets and commas.
     */
    private static long specialBytes(final long word, final int flags, final boolean inQuotes)
    {
        // (b + 1) mod 128 is below 0x21 exactly for the controls and DEL; bytes with the high bit set are text.
        final long next = ((word & LOW7) + ONES) & LOW7;
        long found = ~(next + ONES * (0x80 - 0x21)) & ~word;
        if ((flags & QUOTES) != 0)
        {
            found |= SipBytes.matches(word, DQUOTES);
        }
        if (inQuotes)
        {
            found |= SipBytes.matches(word, BACKSLASHES);
        }
        else if ((flags & LIST) != 0)
        {
            found |= SipBytes.matches(word | (ONES * 0x02), CLOSE_ANGLES) | SipBytes.matches(word, COMMAS);
        }
        return found & HIGHS;
    }

    /**
     * A byte of the message range, which {@link #wrap(DirectBuffer, int, int)} checked once against the buffer.
     */
    private byte byteAt(final int index)
    {
        return SipBytes.byteAt(array, address, index);
    }

    /**
     * Eight bytes of the message range, the one at {@code index} in the lowest bits.
     */
    private long longAt(final int index)
    {
        return SipBytes.longAt(array, address, index);
    }

    private boolean addValue(final int id, final int flags, final int from, final int to)
    {
        final int index = headerCount;
        if (index == maxHeaderValues)
        {
            fail(INVALID, REASON_TOO_MANY_HEADERS);
            return false;
        }
        // Nearly every value has one space before it, after the colon or the comma: tested alone, the loops below
        // then stop at their first test.
        int start = from < to && byteAt(from) == ' ' ? from + 1 : from;
        int end = to;
        while (start < end && isLws(byteAt(start)))
        {
            start++;
        }
        while (end > start && isLws(byteAt(end - 1)))
        {
            end--;
        }
        if (start == end && (flags & NOT_EMPTY) != 0)
        {
            fail(INVALID, id == HeaderName.VIA ? REASON_VIA : REASON_EMPTY_VALUE);
            return false;
        }
        final int[] values = this.values;
        final int at = index << VALUE_SHIFT;
        values[at + VALUE_ID] = id;
        values[at + VALUE_OFFSET] = start;
        values[at + VALUE_LENGTH] = end - start;
        values[at + VALUE_LINE] = lineCount;
        headerCount = index + 1;
        return true;
    }

    private static boolean isLws(final byte b)
    {
        // Most bytes tested are a value's first or last, text above the space: one compare rules them out.
        return (b & 0xFF) <= ' ' && (b == ' ' || b == '\t' || b == '\r' || b == '\n');
    }

    /**
     * Decode the hot single-value headers as soon as their line is indexed, and reject repeats of single-value
     * headers.
     */
    private boolean decodeHot(final int id, final int index)
    {
        if (REASON_MULTIPLE[id] != null && countById[id] > 1)
        {
            fail(INVALID, REASON_MULTIPLE[id]);
            return false;
        }
        final int offset = valueOffset(index);
        final int length = valueLength(index);
        switch (id)
        {
            case HeaderName.CONTENT_LENGTH:
            {
                final int value = (int)SipScalars.parse(array, address, offset, length, SipScalars.MAX_CONTENT_LENGTH);
                if (value < 0)
                {
                    fail(INVALID, REASON_CONTENT_LENGTH);
                    return false;
                }
                if (contentLengthIndex >= 0)
                {
                    fail(INVALID, value == contentLength ?
                        REASON_MULTIPLE_CONTENT_LENGTH : REASON_CONFLICTING_CONTENT_LENGTH);
                    return false;
                }
                contentLength = value;
                contentLengthIndex = index;
                return true;
            }
            case HeaderName.MAX_FORWARDS:
            {
                final int value = (int)SipScalars.parse(array, address, offset, length, SipScalars.MAX_MAX_FORWARDS);
                if (value < 0)
                {
                    fail(INVALID, REASON_MAX_FORWARDS);
                    return false;
                }
                maxForwards = value;
                return true;
            }
            case HeaderName.EXPIRES:
            {
                final long value = SipScalars.parse(array, address, offset, length, SipScalars.MAX_EXPIRES);
                if (value < 0)
                {
                    fail(INVALID, REASON_EXPIRES);
                    return false;
                }
                expires = value;
                return true;
            }
            case HeaderName.CALL_ID:
            {
                if (!SipBytes.isCallId(array, address, offset, length))
                {
                    fail(INVALID, REASON_CALL_ID);
                    return false;
                }
                callIdOffset = offset;
                callIdLength = length;
                return true;
            }
            case HeaderName.CSEQ:
                return decodeCSeq(offset, length);
            default:
                return true;
        }
    }

    private boolean decodeCSeq(final int offset, final int length)
    {
        final int end = offset + length;
        int pos = offset;
        while (pos < end && SipBytes.isDigit(byteAt(pos)))
        {
            pos++;
        }
        final long number = SipBytes.parseUnsigned(array, address, offset, pos - offset, MAX_CSEQ);
        final int methodStart = skipLws(pos, end);
        if (number == SipBytes.INVALID_NUMBER || methodStart == pos || methodStart == end)
        {
            fail(INVALID, REASON_CSEQ);
            return false;
        }
        pos = methodStart;
        while (pos < end && SipBytes.isTokenChar(byteAt(pos)))
        {
            pos++;
        }
        if (pos != end)
        {
            fail(INVALID, REASON_CSEQ);
            return false;
        }
        cseqNumber = number;
        cseqMethodOffset = methodStart;
        cseqMethodLength = end - methodStart;
        cseqMethod = SipMethod.lookup(array, address, methodStart, cseqMethodLength);
        return true;
    }

    private int skipLws(final int from, final int end)
    {
        int pos = from;
        while (pos < end && isLws(byteAt(pos)))
        {
            pos++;
        }
        return pos;
    }

    private int frameBody(final int start)
    {
        bodyOffset = start;
        if (contentLengthIndex >= 0)
        {
            if (contentLength > limit - start)
            {
                fail(INVALID, REASON_CONTENT_LENGTH_BEYOND);
                return -1;
            }
            bodyLength = contentLength;
        }
        else
        {
            bodyLength = limit - start;
        }
        messageLength = start + bodyLength - messageOffset;
        return start;
    }

    private boolean validate()
    {
        if ((seenIds & MANDATORY_IDS) != MANDATORY_IDS)
        {
            fail(INVALID, missingReason());
            return false;
        }
        if (request && !cseqMethodMatches())
        {
            fail(INVALID, REASON_CSEQ_METHOD);
            return false;
        }
        return true;
    }

    /**
     * Both methods were looked up exactly ({@link SipMethod#lookup}), so a known one matches only its own bytes: only
     * two extension methods need their bytes compared.
     */
    private boolean cseqMethodMatches()
    {
        if (method != SipMethod.UNKNOWN || cseqMethod != SipMethod.UNKNOWN)
        {
            return method == cseqMethod;
        }
        return SipBytes.rangesEqualExact(
            buffer, methodOffset, methodLength, buffer, cseqMethodOffset, cseqMethodLength);
    }

    private String missingReason()
    {
        return countOf(HeaderName.VIA) == 0 ? REASON_MISSING_VIA :
            countOf(HeaderName.FROM) == 0 ? REASON_MISSING_FROM :
            countOf(HeaderName.TO) == 0 ? REASON_MISSING_TO :
            countOf(HeaderName.CALL_ID) == 0 ? REASON_MISSING_CALL_ID : REASON_MISSING_CSEQ;
    }

    /**
     * Validate the values a proxy routes on with the typed decoders of this package: the Request-URI, every Via,
     * From and To. Other headers are checked when a consumer decodes them: a proxy forwards the components it does not
     * use unchanged, well formed or not (RFC 3261 §16.3 item 1), so a Contact is validated where it is used
     * ({@link #validateContacts()}).
     */
    private boolean validateValues()
    {
        final DirectBuffer buffer = this.buffer;
        if (request)
        {
            if (!uriDecoder.wrap(buffer, requestUriOffset, requestUriLength))
            {
                fail(INVALID, uriDecoder.reason());
                return false;
            }
            final int scheme = uriDecoder.scheme();
            if ((scheme == SipUriDecoder.SIP || scheme == SipUriDecoder.SIPS) && uriDecoder.hasHeaders())
            {
                // RFC 3261 §19.1.5: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
                fail(INVALID, REASON_REQUEST_URI_HEADERS);
                return false;
            }
        }
        final int topVia = first(HeaderName.VIA);
        if (!topViaDecoder.wrap(buffer, valueOffset(topVia), valueLength(topVia)))
        {
            fail(INVALID, topViaDecoder.reason());
            return false;
        }
        for (int i = nextSame(topVia); i >= 0; i = nextSame(i))
        {
            if (!viaDecoder.wrap(buffer, valueOffset(i), valueLength(i)))
            {
                fail(INVALID, viaDecoder.reason());
                return false;
            }
        }
        // From and To are single-valued (validate() and decodeHot() checked), so their decoders keep the one value.
        return validateNameAddr(fromDecoder, first(HeaderName.FROM)) &&
            validateNameAddr(toDecoder, first(HeaderName.TO));
    }

    private boolean validateNameAddr(final NameAddrDecoder decoder, final int first)
    {
        for (int i = first; i >= 0; i = nextSame(i))
        {
            if (!decoder.wrap(buffer, valueOffset(i), valueLength(i)))
            {
                fail(INVALID, decoder.reason());
                return false;
            }
        }
        return true;
    }
}
