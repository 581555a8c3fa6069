package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The INVITE server transaction of RFC 3261 §17.2.1 (figure 7) with RFC 6026 §7.1's Accepted state, as logic over
 * a {@link TransactionTable} record: Proceeding (100 Trying sent at once, §16.2) → Completed on a non-2xx final
 * (timer G retransmits it over UDP doubling up to T2, timer H gives up) → Confirmed on the ACK (timer I absorbs ACK
 * retransmissions); a 2xx leads to Accepted (timer L), where the core sends 2xx retransmissions itself.
 */
final class InviteServerTransaction
{
    private final TransactionLayer layer;
    private final TransactionTable table;
    private final SipResponseBuilder responseBuilder = new SipResponseBuilder();

    InviteServerTransaction(final TransactionLayer layer, final TransactionTable table)
    {
        this.layer = layer;
        this.table = table;
    }

    void onStart(final int rec, final SipMessageDecoder request)
    {
        table.state(rec, TransactionState.PROCEEDING);
        final UnsafeBuffer scratch = layer.scratch();
        final int length = layer.withTryingTopVia(responseBuilder).buildTrying(request, scratch, 0);
        if (length > 0)
        {
            table.lastStatus[rec] = 100;
            if (table.store(rec, scratch, 0, length))
            {
                layer.sendStored(rec);
            }
        }
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

    int onAck(final int rec, final long nowMs)
    {
        final int s = table.state[rec];
        if (s == TransactionState.COMPLETED)
        {
            layer.cancelTimers(rec);
            table.state(rec, TransactionState.CONFIRMED);
            table.dropMessage(rec);
            layer.schedule(rec, TransactionLayer.TIMER_I,
                nowMs + (TransactionLayer.isReliable(table.transport[rec]) ? 0 : layer.t4Ms()));
            return TransactionResult.ACK_FOR_NON2XX_ABSORBED;
        }
        if (s == TransactionState.CONFIRMED)
        {
            layer.countAbsorbed();
            return TransactionResult.ACK_FOR_NON2XX_ABSORBED;
        }
        if (s == TransactionState.ACCEPTED)
        {
            return TransactionResult.ACK_FOR_2XX;
        }
        return TransactionResult.NO_MATCH;
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
        if (s == TransactionState.ACCEPTED && statusCode >= 200 && statusCode < 300)
        {
            return layer.send(rec, buffer, offset, length);
        }
        if (s != TransactionState.PROCEEDING)
        {
            return false;
        }
        table.lastStatus[rec] = statusCode;
        if (statusCode < 200)
        {
            layer.storeOrCount(rec, buffer, offset, length);
            return layer.send(rec, buffer, offset, length);
        }
        final long t1Ms = layer.t1Ms();
        if (statusCode < 300)
        {
            table.state(rec, TransactionState.ACCEPTED);
            table.dropMessage(rec);
            layer.linger(rec, TransactionLayer.TIMER_L, nowMs + 64 * t1Ms, nowMs);
            return layer.send(rec, buffer, offset, length);
        }
        table.state(rec, TransactionState.COMPLETED);
        layer.storeOrCount(rec, buffer, offset, length);
        layer.storeResponseTag(rec, buffer, offset, length);
        if (!TransactionLayer.isReliable(table.transport[rec]))
        {
            table.intervalMs[rec] = t1Ms;
            layer.schedule(rec, TransactionLayer.TIMER_G, nowMs + t1Ms);
        }
        layer.schedule(rec, TransactionLayer.TIMER_H, nowMs + 64 * t1Ms);
        return layer.send(rec, buffer, offset, length);
    }

    void onTimer(final int rec, final int timer, final long nowMs)
    {
        if (timer == TransactionLayer.TIMER_G)
        {
            if (table.state[rec] == TransactionState.COMPLETED)
            {
                layer.retransmit(rec, timer, Math.min(table.intervalMs[rec] * 2, layer.t2Ms()), nowMs);
            }
        }
        else if (timer == TransactionLayer.TIMER_H)
        {
            layer.serverTimeout(rec);
        }
        else
        {
            layer.terminate(rec);
        }
    }
}
