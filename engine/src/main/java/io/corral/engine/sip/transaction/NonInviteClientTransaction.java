package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipStatus;

/**
 * The non-INVITE client transaction of RFC 3261 §17.1.2 (figure 6), as logic over a {@link TransactionTable}
 * record: Trying (timer E retransmits over UDP, doubling up to T2; timer F gives up) → Proceeding on a provisional
 * (E keeps firing every T2) → Completed on a final response, absorbing its retransmissions until timer K (T4 over
 * UDP, 0 over reliable transports).
 */
final class NonInviteClientTransaction
{
    private final TransactionLayer layer;
    private final TransactionTable table;

    NonInviteClientTransaction(final TransactionLayer layer, final TransactionTable table)
    {
        this.layer = layer;
        this.table = table;
    }

    void onStart(final int rec, final long nowMs)
    {
        table.state(rec, TransactionState.TRYING);
        final long t1Ms = layer.t1Ms();
        if (!TransactionLayer.isReliable(table.transport[rec]))
        {
            table.intervalMs[rec] = t1Ms;
            layer.schedule(rec, TransactionLayer.TIMER_E, nowMs + t1Ms);
        }
        layer.schedule(rec, TransactionLayer.TIMER_F, nowMs + 64 * t1Ms);
    }

    int onResponse(final int rec, final SipMessageDecoder response, final long nowMs)
    {
        final int s = table.state[rec];
        if (s != TransactionState.TRYING && s != TransactionState.PROCEEDING)
        {
            layer.countAbsorbed();
            return TransactionResult.RETRANSMISSION_ABSORBED;
        }
        final int status = response.statusCode();
        table.lastStatus[rec] = status;
        if (status < SipStatus.OK)
        {
            table.state(rec, TransactionState.PROCEEDING);
        }
        else
        {
            table.state(rec, TransactionState.COMPLETED);
            layer.cancelTimers(rec);
            table.dropMessage(rec);
            layer.linger(rec, TransactionLayer.TIMER_K,
                nowMs + (TransactionLayer.isReliable(table.transport[rec]) ? 0 : layer.t4Ms()), nowMs);
        }
        return TransactionResult.FORWARD_TO_CORE;
    }

    void onTimer(final int rec, final int timer, final long nowMs)
    {
        if (timer == TransactionLayer.TIMER_E)
        {
            final int s = table.state[rec];
            if (s == TransactionState.TRYING)
            {
                layer.retransmit(rec, timer, Math.min(table.intervalMs[rec] * 2, layer.t2Ms()), nowMs);
            }
            else if (s == TransactionState.PROCEEDING)
            {
                layer.retransmit(rec, timer, layer.t2Ms(), nowMs);
            }
        }
        else if (timer == TransactionLayer.TIMER_F)
        {
            layer.clientTimeout(rec);
        }
        else
        {
            layer.terminate(rec);
        }
    }
}
