package io.corral.jmh;

import org.agrona.DirectBuffer;

/**
 * Records every field as text, so a test can compare what each parser produced.
 */
final class CapturingSink implements FieldSink
{
    static final String ABSENT = "<absent>";

    private final String[] values = new String[FIELD_COUNT];

    public void onObject(final int field, final Object value)
    {
        set(field, null == value ? ABSENT : value.toString());
    }

    public void onRange(final int field, final DirectBuffer buffer, final int offset, final int length)
    {
        set(field, length < 0 ? ABSENT : buffer.getStringWithoutLengthAscii(offset, length));
    }

    public void onNumber(final int field, final long value)
    {
        set(field, Long.toString(value));
    }

    String[] values()
    {
        return values.clone();
    }

    private void set(final int field, final String value)
    {
        if (null != values[field])
        {
            throw new IllegalStateException("field " + field + " reported twice");
        }
        values[field] = value;
    }
}
