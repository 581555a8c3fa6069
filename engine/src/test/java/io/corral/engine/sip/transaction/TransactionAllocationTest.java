package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once warm, transactions of all four kinds are created, answered and terminated by their timers without
 * allocating.
 */
class TransactionAllocationTest implements TransactionOutput, TransactionListener
{
    private static final int WARM_UP = 20_000;
    private static final int ROUNDS = 100_000;
    private static final long BUDGET_BYTES = 1024;
    private static final String BRANCH = "z9hG4bK00000000";

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private long sentCount;
    private long terminatedCount;
    private long timeoutCount;

    @Test
    void shouldAllocateNothingWhenHundredThousandRoundsOfTransactionsRun()
    {
        final TransactionLayer layer = new TransactionLayer(new TransactionSettings()
            .t1Ms(10).t2Ms(40).t4Ms(50).timerDMs(100).capacity(4096).lingerBytes(1 << 20).lingerEntries(1 << 13), this,
            this, 0);
        final Message invite = new Message("invite.sip", "z9hG4bKup1");
        final Message ack = new Message("ack-non2xx.sip", "z9hG4bKup1");
        final Message options = new Message("options.sip", "z9hG4bKopt1");
        final Message clientInvite = new Message("client-invite.sip", "z9hG4bKc1.out");
        final Message client486 = new Message("client-486.sip", "z9hG4bKc1.out");
        final Message clientOptions = new Message("client-options.sip", "z9hG4bKo1.out");
        final Message clientOptions200 = new Message("client-options-200.sip", "z9hG4bKo1.out");
        final UnsafeBuffer busy = ascii("SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
        final UnsafeBuffer ok = ascii("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final long threadId = Thread.currentThread().getId();
        long before = 0;
        long nowMs = 0;
        for (int i = 0; i < WARM_UP + ROUNDS; i++)
        {
            if (i == WARM_UP)
            {
                before = threads.getThreadAllocatedBytes(threadId);
            }
            nowMs++;
            layer.poll(nowMs);

            assertEquals(TransactionResult.NEW, layer.onRequest(invite.decode(i), 1, TransportProtocol.UDP, 0, nowMs));
            layer.respond(layer.transactionId(), busy, 0, busy.capacity(), 486, nowMs);
            assertEquals(TransactionResult.ACK_FOR_NON2XX_ABSORBED,
                layer.onRequest(ack.decode(i), 1, TransportProtocol.UDP, 0, nowMs));

            assertEquals(TransactionResult.NEW, layer.onRequest(options.decode(i), 1, TransportProtocol.UDP, 0, nowMs));
            layer.respond(layer.transactionId(), ok, 0, ok.capacity(), 200, nowMs);

            clientInvite.write(i);
            assertTrue(layer.startClient(clientInvite.buffer, 0, clientInvite.length, 2, TransportProtocol.UDP, 0,
                nowMs) >= 0);
            assertEquals(TransactionResult.FORWARD_TO_CORE, layer.onResponse(client486.decode(i), nowMs));

            clientOptions.write(i);
            assertTrue(layer.startClient(clientOptions.buffer, 0, clientOptions.length, 2, TransportProtocol.UDP, 0,
                nowMs) >= 0);
            assertEquals(TransactionResult.FORWARD_TO_CORE, layer.onResponse(clientOptions200.decode(i), nowMs));
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        layer.poll(nowMs + 10_000);

        assertEquals(0, layer.activeCount());
        assertEquals(0, layer.lingerDroppedCount(), "the linger ring wrapped without dropping");
        layer.close();
        assertEquals(4L * (WARM_UP + ROUNDS), terminatedCount);
        assertEquals(0, timeoutCount);
        assertEquals(6L * (WARM_UP + ROUNDS), sentCount);
        assertEquals(0, layer.retransmissionCount());
        assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + ROUNDS + " rounds");
    }

    public boolean send(
        final long remoteId,
        final int transport,
        final long connectionId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        sentCount++;
        return true;
    }

    public void onClientTimeout(final long txId)
    {
        timeoutCount++;
    }

    public void onServerTimeout(final long txId)
    {
        timeoutCount++;
    }

    public void onTransportError(final long txId)
    {
        timeoutCount++;
    }

    public void onTerminated(final long txId)
    {
        terminatedCount++;
    }

    public void onTimer(final long cookie)
    {
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A fixture whose top Via branch is rewritten in place with a round number, so each round is a new transaction.
     */
    private final class Message
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final int length;
        final int digitsOffset;

        Message(final String fixture, final String branch)
        {
            final String text = new String(TransactionHarness.fixture(fixture).byteArray(), StandardCharsets.US_ASCII)
                .replaceFirst(branch, BRANCH);
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            buffer.putBytes(0, bytes);
            length = bytes.length;
            digitsOffset = text.indexOf(BRANCH) + 7;
        }

        void write(final int round)
        {
            int value = round;
            for (int i = 7; i >= 0; i--)
            {
                buffer.putByte(digitsOffset + i, (byte)('0' + value % 10));
                value /= 10;
            }
        }

        SipMessageDecoder decode(final int round)
        {
            write(round);
            decoder.wrap(buffer, 0, length);
            return decoder;
        }
    }
}
