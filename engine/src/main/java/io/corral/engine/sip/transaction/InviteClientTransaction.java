package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipRequestBuilder;
import io.corral.engine.sip.codec.SipStatus;

/**
 * The INVITE client transaction of RFC 3261 §17.1.1 (figure 5) with RFC 6026 §7.2's Accepted state, as logic over
 * a {@link TransactionTable} record: Calling (timer A retransmits over UDP, doubling without cap; timer B gives up)
 * → Proceeding on a provisional (the proxy's timer C takes over) → Completed on a non-2xx final, which the layer
 * ACKs and keeps ACKing on retransmissions until timer D; a 2xx leads to Accepted (timer M), where every 2xx
 * retransmission goes to the core.
 */
final class InviteClientTransaction
{
    private final TransactionLayer layer;
    private final TransactionTable table;
    private final SipMessageDecoder invite = new SipMessageDecoder(
        TransactionTable.LARGE_SLOT_BYTES - 1, SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES);
    private final SipRequestBuilder requestBuilder = new SipRequestBuilder();

    InviteClientTransaction(final TransactionLayer layer, final TransactionTable table)
    {
        this.layer = layer;
        this.table = table;
    }

    void onStart(final int rec, final long nowMs)
    {
        table.state(rec, TransactionState.CALLING);
        final long t1Ms = layer.t1Ms();
        if (!TransactionLayer.isReliable(table.transport[rec]))
        {
            table.intervalMs[rec] = t1Ms;
            layer.schedule(rec, TransactionLayer.TIMER_A, nowMs + t1Ms);
        }
        layer.schedule(rec, TransactionLayer.TIMER_B, nowMs + 64 * t1Ms);
    }

    int onResponse(final int rec, final SipMessageDecoder response, final long nowMs)
    {
        final int status = response.statusCode();
        final int s = table.state[rec];
        if (s == TransactionState.CALLING || s == TransactionState.PROCEEDING)
        {
            table.lastStatus[rec] = status;
            layer.cancelTimers(rec);
            if (status < SipStatus.OK)
            {
                table.state(rec, TransactionState.PROCEEDING);
            }
            else if (status < 300)
            {
                table.state(rec, TransactionState.ACCEPTED);
                table.dropMessage(rec);
                layer.linger(rec, TransactionLayer.TIMER_M, nowMs + 64 * layer.t1Ms(), nowMs);
            }
            else
            {
                table.state(rec, TransactionState.COMPLETED);
                sendAck(rec, response);
                layer.linger(rec, TransactionLayer.TIMER_D,
                    nowMs + (TransactionLayer.isReliable(table.transport[rec]) ? 0 : layer.timerDMs()), nowMs);
            }
            return TransactionResult.FORWARD_TO_CORE;
        }
        if (s == TransactionState.ACCEPTED && status >= SipStatus.OK && status < 300)
        {
            return TransactionResult.FORWARD_TO_CORE;
        }
        layer.countAbsorbed();
        if (s == TransactionState.COMPLETED && status >= 300 && table.messageLength[rec] > 0)
        {
            layer.resend(rec);
        }
        return TransactionResult.RETRANSMISSION_ABSORBED;
    }

    void onTimer(final int rec, final int timer, final long nowMs)
    {
        if (timer == TransactionLayer.TIMER_A)
        {
            if (table.state[rec] == TransactionState.CALLING)
            {
                layer.retransmit(rec, timer, table.intervalMs[rec] * 2, nowMs);
            }
        }
        else if (timer == TransactionLayer.TIMER_B)
        {
            layer.clientTimeout(rec);
        }
        else
        {
            layer.terminate(rec);
        }
    }

    /**
     * Build the ACK from the INVITE still in the record's slot and the response (§17.1.1.3), keep it in place of
     * the INVITE so that a retransmitted final response is answered with the same bytes, and send it.
     */
    private void sendAck(final int rec, final SipMessageDecoder response)
    {
        final int result = invite.wrap(table.messageBuffer(rec), table.messageOffset(rec), table.messageLength[rec]);
        if (result != SipMessageDecoder.OK)
        {
            table.dropMessage(rec);
            return;
        }
        final int length = requestBuilder.buildAck(invite, response, layer.scratch(), 0);
        if (length <= 0 || !table.store(rec, layer.scratch(), 0, length))
        {
            layer.countStoreFailure();
            table.dropMessage(rec);
            return;
        }
        layer.sendStored(rec);
    }
}
