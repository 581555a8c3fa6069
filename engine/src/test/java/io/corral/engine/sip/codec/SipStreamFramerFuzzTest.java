package io.corral.engine.sip.codec;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link SipStreamFramer} with Jazzer: a TCP byte stream arrives split into chunks of
 * fuzzer-chosen sizes; the frames found (messages, pings, the invalid verdict) must be those found when the whole
 * stream is there at once, every boundary must lie within the bytes received so far, and the framer must never read a
 * byte that has not arrived (each call sees a buffer sized exactly to the unconsumed bytes). The framed messages go
 * through {@link SipMessageDecoder}, which must not throw either.
 */
class SipStreamFramerFuzzTest
{
    private static final int MAX_MESSAGE_SIZE = 1024;
    private static final int MAX_FRAMES = 4096;

    private final SipStreamFramer framer = new SipStreamFramer(MAX_MESSAGE_SIZE);
    private final SipMessageDecoder decoder = new SipMessageDecoder(MAX_MESSAGE_SIZE, 64);

    @FuzzTest(maxDuration = "60s")
    void frame(final FuzzedDataProvider data)
    {
        final int chunkCount = data.consumeInt(1, 8);
        final int[] chunkSizes = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            chunkSizes[i] = data.consumeInt(1, 300);
        }
        final byte[] stream = data.consumeRemainingAsBytes();

        final List<String> whole = frames(stream, new int[] { Math.max(1, stream.length) });
        final List<String> chunked = frames(stream, chunkSizes);
        assertEquals(whole, chunked);
    }

    /**
     * Feed the stream in chunks, cycling through the sizes, and frame after each one as a connection would.
     *
     * @return one entry per frame: kind, message length, consumed bytes and reason.
     */
    private List<String> frames(final byte[] stream, final int[] chunkSizes)
    {
        framer.reset();
        final List<String> frames = new ArrayList<>();
        int start = 0;
        int received = 0;
        int chunk = 0;
        while (received < stream.length)
        {
            received = Math.min(stream.length, received + chunkSizes[chunk++ % chunkSizes.length]);
            while (true)
            {
                final int unconsumed = received - start;
                final UnsafeBuffer view = new UnsafeBuffer(stream, start, unconsumed);
                final int result = framer.frame(view, 0, unconsumed);
                if (result == SipStreamFramer.NEED_MORE)
                {
                    break;
                }
                if (result == SipStreamFramer.INVALID)
                {
                    assertEquals(0, framer.consumed());
                    frames.add("INVALID " + framer.reason());
                    return frames;
                }
                final int consumed = framer.consumed();
                assertTrue(consumed > 0 && consumed <= unconsumed, "consumed " + consumed + " of " + unconsumed);
                if (result == SipStreamFramer.PING)
                {
                    assertEquals(4, consumed);
                    frames.add("PING");
                }
                else
                {
                    assertEquals(SipStreamFramer.MESSAGE, result);
                    final int offset = framer.messageOffset();
                    final int length = framer.messageLength();
                    assertTrue(offset >= 0 && length > 0 && offset + length == consumed,
                        offset + "+" + length + " != " + consumed);
                    assertSame(SipStreamFramer.REASON_OK, framer.reason());
                    decoder.wrap(view, offset, length);
                    frames.add("MESSAGE " + length + " at " + (start + offset));
                }
                start += consumed;
                assertTrue(frames.size() <= MAX_FRAMES);
            }
        }
        return frames;
    }
}
