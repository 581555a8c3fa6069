package io.corral.engine.sip.transaction;

import org.agrona.DirectBuffer;

/**
 * The non-INVITE server transaction of RFC 3261 §17.2.2 (figure 8), as logic over a {@link TransactionTable}
 * record: Trying → Proceeding on a provisional → Completed on a final response, which answers every retransmitted
 * request until timer J (64*T1 over UDP, 0 over reliable transports) ends it.
 */
final class NonInviteServerTransaction
{
    private final TransactionLayer layer;
    private final TransactionTable table;

    NonInviteServerTransaction(final TransactionLayer layer, final TransactionTable table)
    {
        this.layer = layer;
        this.table = table;
    }

    void onStart(final int rec)
    {
        table.state(rec, TransactionState.TRYING);
    }

    int onRetransmission(final int rec)
    {
        final int s = table.state[rec];
        if ((s == TransactionState.PROCEEDING || s == TransactionState.COMPLETED) && table.messageLength[rec] > 0)
        {
            layer.resend(rec);
        }
        return TransactionResult.RETRANSMISSION_ABSORBED;
    }

    boolean respond(
        final int rec,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int statusCode,
        final long nowMs)
    {
        final int s = table.state[rec];
        if (s != TransactionState.TRYING && s != TransactionState.PROCEEDING)
        {
            return false;
        }
        table.lastStatus[rec] = statusCode;
        layer.storeOrCount(rec, buffer, offset, length);
        if (statusCode < 200)
        {
            table.state(rec, TransactionState.PROCEEDING);
        }
        else
        {
            table.state(rec, TransactionState.COMPLETED);
            layer.linger(rec, TransactionLayer.TIMER_J,
                nowMs + (TransactionLayer.isReliable(table.transport[rec]) ? 0 : 64 * layer.t1Ms()), nowMs);
        }
        return layer.send(rec, buffer, offset, length);
    }

    void onTimer(final int rec)
    {
        layer.terminate(rec);
    }
}
