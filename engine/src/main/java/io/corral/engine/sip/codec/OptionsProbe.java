package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The fields of an OPTIONS keep-alive probe, for {@link SipRequestBuilder#buildOptions}: set the fixed ones once
 * (target URI, own sent-by, From/To URIs) and the per-probe ones (branch, tag, Call-ID, CSeq) before each build.
 * Setters copy the bytes into fixed storage and return false, keeping the old value, when they do not fit.
 * Reusable; not thread-safe.
 */
public final class OptionsProbe
{
    /** Largest length of any one field. */
    public static final int MAX_FIELD_LENGTH = 256;

    private static final int REQUEST_URI = 0;
    private static final int SENT_BY = 1;
    private static final int BRANCH = 2;
    private static final int FROM_URI = 3;
    private static final int FROM_TAG = 4;
    private static final int TO_URI = 5;
    private static final int CALL_ID = 6;
    private static final int FIELD_COUNT = 7;

    private static final byte[][] TRANSPORTS = {
        bytes(""), bytes("UDP"), bytes("TCP"), bytes("TLS"), bytes("SCTP"), bytes("WS"), bytes("WSS")};

    private final UnsafeBuffer storage = new UnsafeBuffer(new byte[FIELD_COUNT * MAX_FIELD_LENGTH]);
    private final int[] lengths = new int[FIELD_COUNT];
    private int transport = TransportProtocol.UDP;
    private long cseq = 1;

    /**
     * @param src    holding the Request-URI, e.g. {@code sip:192.0.2.9:5060}.
     * @param offset of the URI.
     * @param length of the URI.
     * @return false if it does not fit.
     */
    public boolean requestUri(final DirectBuffer src, final int offset, final int length)
    {
        return set(REQUEST_URI, src, offset, length);
    }

    /**
     * @param src    holding the Via sent-by of this member, {@code host[:port]}.
     * @param offset of the sent-by.
     * @param length of the sent-by.
     * @return false if it does not fit.
     */
    public boolean sentBy(final DirectBuffer src, final int offset, final int length)
    {
        return set(SENT_BY, src, offset, length);
    }

    /**
     * @param transport a {@link TransportProtocol} code from UDP to WSS, for the Via sent-protocol.
     * @return false for any other code.
     */
    public boolean transport(final int transport)
    {
        if (transport < TransportProtocol.UDP || transport > TransportProtocol.WSS)
        {
            return false;
        }
        this.transport = transport;
        return true;
    }

    /**
     * @param src    holding the Via branch, starting with {@code z9hG4bK} (see {@link TagGenerator#writeBranch}).
     * @param offset of the branch.
     * @param length of the branch.
     * @return false if it does not fit.
     */
    public boolean branch(final DirectBuffer src, final int offset, final int length)
    {
        return set(BRANCH, src, offset, length);
    }

    /**
     * @param src    holding the From URI.
     * @param offset of the URI.
     * @param length of the URI.
     * @return false if it does not fit.
     */
    public boolean fromUri(final DirectBuffer src, final int offset, final int length)
    {
        return set(FROM_URI, src, offset, length);
    }

    /**
     * @param src    holding the From tag.
     * @param offset of the tag.
     * @param length of the tag.
     * @return false if it does not fit.
     */
    public boolean fromTag(final DirectBuffer src, final int offset, final int length)
    {
        return set(FROM_TAG, src, offset, length);
    }

    /**
     * @param src    holding the To URI.
     * @param offset of the URI.
     * @param length of the URI.
     * @return false if it does not fit.
     */
    public boolean toUri(final DirectBuffer src, final int offset, final int length)
    {
        return set(TO_URI, src, offset, length);
    }

    /**
     * @param src    holding the Call-ID.
     * @param offset of the Call-ID.
     * @param length of the Call-ID.
     * @return false if it does not fit.
     */
    public boolean callId(final DirectBuffer src, final int offset, final int length)
    {
        return set(CALL_ID, src, offset, length);
    }

    /**
     * @param cseq sequence number, 0 to 2^31-1.
     * @return false if out of range.
     */
    public boolean cseq(final long cseq)
    {
        if (cseq < 0 || cseq > SipMessageDecoder.MAX_CSEQ)
        {
            return false;
        }
        this.cseq = cseq;
        return true;
    }

    /**
     * @return true when the Request-URI, sent-by, branch, From URI and tag, To URI and Call-ID are all set.
     */
    public boolean isComplete()
    {
        for (int i = 0; i < FIELD_COUNT; i++)
        {
            if (lengths[i] == 0)
            {
                return false;
            }
        }
        return true;
    }

    void write(final SipAsciiWriter writer)
    {
        final byte[] options = SipMethod.name(SipMethod.OPTIONS);
        writer.put(options).put((byte)' ');
        field(writer, REQUEST_URI).put(SipRequestBuilder.SIP_VERSION_LINE_END);
        writer.name(HeaderName.name(HeaderName.VIA)).put(SipRequestBuilder.SIP_VERSION_SLASH)
            .put(TRANSPORTS[transport]).put((byte)' ');
        field(writer, SENT_BY).put(SipRequestBuilder.BRANCH_PARAMETER);
        field(writer, BRANCH).crlf();
        writer.put(SipRequestBuilder.MAX_FORWARDS_LINE);
        writer.name(HeaderName.name(HeaderName.TO)).put((byte)'<');
        field(writer, TO_URI).put((byte)'>').crlf();
        writer.name(HeaderName.name(HeaderName.FROM)).put((byte)'<');
        field(writer, FROM_URI).put((byte)'>').put(SipRequestBuilder.TAG_PARAMETER);
        field(writer, FROM_TAG).crlf();
        writer.name(HeaderName.name(HeaderName.CALL_ID));
        field(writer, CALL_ID).crlf();
        writer.name(HeaderName.name(HeaderName.CSEQ)).putNatural(cseq).put((byte)' ').put(options).crlf();
    }

    private SipAsciiWriter field(final SipAsciiWriter writer, final int field)
    {
        return writer.put(storage, field * MAX_FIELD_LENGTH, lengths[field]);
    }

    private boolean set(final int field, final DirectBuffer src, final int offset, final int length)
    {
        if (length <= 0 || length > MAX_FIELD_LENGTH || offset < 0 || offset > src.capacity() - length)
        {
            return false;
        }
        storage.putBytes(field * MAX_FIELD_LENGTH, src, offset, length);
        lengths[field] = length;
        return true;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
