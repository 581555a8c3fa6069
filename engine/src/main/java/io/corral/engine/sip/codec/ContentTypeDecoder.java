package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over a Content-Type value, {@code m-type SLASH m-subtype *(SEMI m-parameter)} (RFC 3261 §20.15),
 * e.g. {@code application/sdp} or {@code multipart/mixed;boundary=unique-boundary-1}.
 * <p>
 * Not thread-safe; reuse one instance per agent. After a failed {@link #wrap} only {@link #reason()} is
 * meaningful.
 */
public final class ContentTypeDecoder
{
    public static final String REASON_MEDIA_TYPE = "Bad Content-Type";
    public static final String REASON_PARAMETER = "Bad Content-Type parameter";
    public static final String REASON_TOO_MANY_PARAMETERS = "Too many Content-Type parameters";
    public static final String REASON_UNTERMINATED_QUOTE = "Unterminated quoted string";

    private static final byte[] APPLICATION = bytes("application");
    private static final byte[] SDP = bytes("sdp");
    private static final byte[] MULTIPART = bytes("multipart");

    private final SipParameters parameters = new SipParameters();
    private DirectBuffer buffer;
    private String reason;
    private int typeOffset;
    private int typeLength;
    private int subtypeOffset;
    private int subtypeLength;

    /**
     * Decode a Content-Type value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return true if well-formed; false with {@link #reason()} set otherwise.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        reason = null;
        typeOffset = -1;
        typeLength = 0;
        subtypeOffset = -1;
        subtypeLength = 0;
        parameters.reset(buffer);

        final int limit = SipBytes.trimTrailingLws(buffer, offset, offset + Math.max(length, 0));
        int i = SipBytes.skipLws(buffer, offset, limit);
        final int typeStart = i;
        i = scanToken(i, limit);
        final int typeEnd = i;
        i = SipBytes.skipLws(buffer, i, limit);
        if (typeEnd == typeStart || i == limit || buffer.getByte(i) != '/')
        {
            return fail(REASON_MEDIA_TYPE);
        }
        final int subtypeStart = SipBytes.skipLws(buffer, i + 1, limit);
        i = scanToken(subtypeStart, limit);
        if (i == subtypeStart)
        {
            return fail(REASON_MEDIA_TYPE);
        }
        final int result = parameters.parseHeaderParameters(buffer, i, limit, (byte)';', true);
        if (result != SipParameters.OK)
        {
            return fail(result == SipParameters.ERROR_TOO_MANY ? REASON_TOO_MANY_PARAMETERS :
                result == SipParameters.ERROR_UNTERMINATED_QUOTE ? REASON_UNTERMINATED_QUOTE : REASON_PARAMETER);
        }
        for (int p = 0, count = parameters.count(); p < count; p++)
        {
            if (!parameters.hasValue(p))
            {
                return fail(REASON_PARAMETER);
            }
        }
        typeOffset = typeStart;
        typeLength = typeEnd - typeStart;
        subtypeOffset = subtypeStart;
        subtypeLength = i - subtypeStart;
        return true;
    }

    /**
     * @return the reason phrase for the last failed {@link #wrap}, fit for a 400 response; null after success.
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
     * @return offset of the media type (e.g. "application").
     */
    public int typeOffset()
    {
        return typeOffset;
    }

    /**
     * @return length of the media type.
     */
    public int typeLength()
    {
        return typeLength;
    }

    /**
     * @return offset of the subtype (e.g. "sdp").
     */
    public int subtypeOffset()
    {
        return subtypeOffset;
    }

    /**
     * @return length of the subtype.
     */
    public int subtypeLength()
    {
        return subtypeLength;
    }

    /**
     * @return true for {@code application/sdp}, ignoring case.
     */
    public boolean isSdp()
    {
        return SipBytes.equalsIgnoreCase(buffer, typeOffset, typeLength, APPLICATION) &&
            SipBytes.equalsIgnoreCase(buffer, subtypeOffset, subtypeLength, SDP);
    }

    /**
     * @return true for any {@code multipart/*} type, ignoring case.
     */
    public boolean isMultipart()
    {
        return SipBytes.equalsIgnoreCase(buffer, typeOffset, typeLength, MULTIPART);
    }

    /**
     * @return the media-type parameters in order; raw values (quoted ones keep their quotes).
     */
    public SipParameters parameters()
    {
        return parameters;
    }

    /**
     * @param lowerCaseName parameter name in lower case.
     * @return index into {@link #parameters()}, or -1.
     */
    public int findParameter(final byte[] lowerCaseName)
    {
        return parameters.find(lowerCaseName);
    }

    private int scanToken(final int start, final int limit)
    {
        int i = start;
        while (i < limit && SipBytes.isTokenChar(buffer.getByte(i)))
        {
            i++;
        }
        return i;
    }

    private boolean fail(final String reason)
    {
        this.reason = reason;
        return false;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
