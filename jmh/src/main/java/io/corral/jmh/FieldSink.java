package io.corral.jmh;

import org.agrona.DirectBuffer;

/**
 * Receives the values a proxy reads from every request, whatever shape a parser produces them in. Benchmarks pass
 * them to a JMH {@code Blackhole} so that no lazy parser can skip the work; tests capture them to check each parser
 * really produced the right values.
 */
public interface FieldSink
{
    /** Request method. */
    int METHOD = 0;

    /** Request-URI. */
    int REQUEST_URI = 1;

    /** Branch parameter of the top Via. */
    int VIA_BRANCH = 2;

    /** Call-ID. */
    int CALL_ID = 3;

    /** CSeq sequence number. */
    int CSEQ_NUMBER = 4;

    /** CSeq method. */
    int CSEQ_METHOD = 5;

    /** From tag. */
    int FROM_TAG = 6;

    /** To tag (absent on an initial INVITE). */
    int TO_TAG = 7;

    /** Max-Forwards. */
    int MAX_FORWARDS = 8;

    /** Content-Length. */
    int CONTENT_LENGTH = 9;

    /** Number of fields. */
    int FIELD_COUNT = 10;

    /**
     * A value as an object of the parser's own type ({@code String}, a URI object, a pkts {@code Buffer}).
     *
     * @param field one of the field constants.
     * @param value the value, or null when the message does not carry it.
     */
    void onObject(int field, Object value);

    /**
     * A value as a range of the received bytes (zero-copy parsers).
     *
     * @param field  one of the field constants.
     * @param buffer holding the message.
     * @param offset of the value.
     * @param length of the value, or -1 when the message does not carry it.
     */
    void onRange(int field, DirectBuffer buffer, int offset, int length);

    /**
     * A numeric value.
     *
     * @param field one of the field constants.
     * @param value the value.
     */
    void onNumber(int field, long value);
}
