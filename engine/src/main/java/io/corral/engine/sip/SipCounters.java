package io.corral.engine.sip;

import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.transaction.TransactionState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The status-file counters of one SIP agent: messages in and out by method and status class, transactions and
 * dialogs by state, retransmissions, hand-overs and drops by reason. The agent bumps the per-message ones inline
 * (plain ordered increments of its own counters) and copies the components' totals at housekeeping.
 */
public final class SipCounters
{
    /** Type id of the SIP agent counters. */
    public static final int SIP_COUNTER_TYPE_ID = 20;

    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "other"};
    private static final int OTHER_METHOD = METHODS.length - 1;
    private static final String[] TRANSACTION_STATES =
        {"calling", "trying", "proceeding", "completed", "confirmed", "accepted"};

    private final AtomicCounter[] requestsIn = new AtomicCounter[METHODS.length];
    private final AtomicCounter[] requestsOut = new AtomicCounter[METHODS.length];
    private final AtomicCounter[] responsesIn = new AtomicCounter[6];
    private final AtomicCounter[] responsesOut = new AtomicCounter[6];
    private final AtomicCounter[] transactions = new AtomicCounter[TRANSACTION_STATES.length];
    private final long[] transactionStates = new long[TransactionState.ACCEPTED + 1];

    final AtomicCounter retransmissions;
    final AtomicCounter absorbed;
    final AtomicCounter handedOver;
    final AtomicCounter handoverDropped;
    final AtomicCounter clientTimeouts;
    final AtomicCounter serverTimeouts;
    final AtomicCounter transactionTableFull;
    final AtomicCounter dropMalformedRequest;
    final AtomicCounter dropMalformedResponse;
    final AtomicCounter dropForeignResponse;
    final AtomicCounter dropStrayResponse;
    final AtomicCounter dropOtherMember;
    final AtomicCounter dropUnanswerable;
    final AtomicCounter dropSendFailed;
    final AtomicCounter relayDenied;
    final AtomicCounter noDialog;
    final AtomicCounter overloadRejected;
    final AtomicCounter overloadDropped;
    final AtomicCounter overloadAckAbsorbed;
    final AtomicCounter overloadAdmittedPercent;
    final AtomicCounter overloadCycleUs;
    final AtomicCounter overloadSignals;
    final AtomicCounter transactionTablePercent;
    final AtomicCounter lingering;
    final AtomicCounter lingerRingPercent;
    final AtomicCounter lingerDropped;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogsEarly;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogsConfirmed;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogsCreated;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogsTerminated;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogsExpired;
    /** Dialog gauge or count, for the {@link io.corral.engine.dialog.DialogTracker}. */
    public final AtomicCounter dialogStoreFailures;

    /**
     * @param countersManager of the status file.
     * @param agentIndex      the agent's index, in every label.
     */
    public SipCounters(final CountersManager countersManager, final int agentIndex)
    {
        final String prefix = "SIP agent " + agentIndex + ": ";
        for (int i = 0; i < METHODS.length; i++)
        {
            requestsIn[i] = newCounter(countersManager, prefix + METHODS[i] + " requests in");
        }
        for (int i = 0; i < responsesIn.length; i++)
        {
            responsesIn[i] = newCounter(countersManager, prefix + (i + 1) + "xx responses in");
        }
        for (int i = 0; i < METHODS.length; i++)
        {
            requestsOut[i] = newCounter(countersManager, prefix + METHODS[i] + " requests out");
        }
        for (int i = 0; i < responsesOut.length; i++)
        {
            responsesOut[i] = newCounter(countersManager, prefix + (i + 1) + "xx responses out");
        }
        for (int i = 0; i < TRANSACTION_STATES.length; i++)
        {
            transactions[i] = newCounter(countersManager, prefix + "transactions " + TRANSACTION_STATES[i]);
        }
        retransmissions = newCounter(countersManager, prefix + "retransmissions sent");
        absorbed = newCounter(countersManager, prefix + "retransmissions absorbed");
        handedOver = newCounter(countersManager, prefix + "packets handed over to another agent");
        handoverDropped = newCounter(countersManager, prefix + "drops: hand-over queue full");
        clientTimeouts = newCounter(countersManager, prefix + "client transaction timeouts");
        serverTimeouts = newCounter(countersManager, prefix + "server transaction timeouts (no ACK)");
        transactionTableFull = newCounter(countersManager, prefix + "drops: transaction table full (503)");
        dropMalformedRequest = newCounter(countersManager, prefix + "malformed requests (answered 400)");
        dropMalformedResponse = newCounter(countersManager, prefix + "drops: malformed response");
        dropForeignResponse = newCounter(countersManager, prefix + "drops: response not via this farm");
        dropStrayResponse = newCounter(countersManager, prefix + "drops: response matching no transaction");
        dropOtherMember = newCounter(countersManager, prefix + "drops: packet for another member");
        dropUnanswerable = newCounter(countersManager, prefix + "drops: unanswerable request");
        dropSendFailed = newCounter(countersManager, prefix + "drops: send failed");
        relayDenied = newCounter(countersManager, prefix + "relaying denied (403)");
        noDialog = newCounter(countersManager, prefix + "in-dialog requests for no dialog (481)");
        overloadRejected = newCounter(countersManager, prefix + "overload: new requests shed (503)");
        overloadDropped = newCounter(countersManager, prefix + "overload: new requests shed (dropped)");
        overloadAckAbsorbed = newCounter(countersManager, prefix + "overload: ACKs of shed 503s absorbed");
        overloadAdmittedPercent = newCounter(countersManager, prefix + "overload: % of new requests admitted");
        overloadCycleUs = newCounter(countersManager, prefix + "overload: duty cycle average (us)");
        overloadSignals = newCounter(countersManager,
            prefix + "overload: signals over high threshold (1 read, 2 cycle, 4 table, 8 queue)");
        dialogsEarly = newCounter(countersManager, prefix + "dialogs early");
        dialogsConfirmed = newCounter(countersManager, prefix + "dialogs confirmed");
        dialogsCreated = newCounter(countersManager, prefix + "dialogs created");
        dialogsTerminated = newCounter(countersManager, prefix + "dialogs terminated");
        dialogsExpired = newCounter(countersManager, prefix + "dialogs expired");
        dialogStoreFailures = newCounter(countersManager, prefix + "dialog store failures");
        transactionTablePercent = newCounter(countersManager, prefix + "transaction table % used (in progress)");
        lingering = newCounter(countersManager, prefix + "transactions lingering (linger ring)");
        lingerRingPercent = newCounter(countersManager, prefix + "linger ring % used");
        lingerDropped = newCounter(countersManager, prefix + "lingering transactions dropped early (ring full)");
    }

    /**
     * Count a decoded message that arrived.
     *
     * @param isRequest  true for a request.
     * @param method     its {@link SipMethod} code (requests).
     * @param statusCode its status (responses).
     */
    void onIn(final boolean isRequest, final int method, final int statusCode)
    {
        if (isRequest)
        {
            requestsIn[methodIndex(method)].incrementRelease();
        }
        else if (statusCode >= 100 && statusCode < 700)
        {
            responsesIn[statusCode / 100 - 1].incrementRelease();
        }
    }

    /**
     * Count a message sent, classified from its first bytes.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length of the message.
     */
    void onOut(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 12)
        {
            return;
        }
        final byte first = buffer.getByte(offset);
        if (first == 'S' && buffer.getByte(offset + 1) == 'I' && buffer.getByte(offset + 3) == '/')
        {
            final int digit = buffer.getByte(offset + 8) - '1';
            if (digit >= 0 && digit < responsesOut.length)
            {
                responsesOut[digit].incrementRelease();
            }
            return;
        }
        requestsOut[methodIndexOf(first, buffer.getByte(offset + 2))].incrementRelease();
    }

    /**
     * @param counts transactions by {@link TransactionState} state, from the transaction layer.
     */
    void transactionStates(final long[] counts)
    {
        for (int state = TransactionState.CALLING; state <= TransactionState.ACCEPTED; state++)
        {
            transactions[state - TransactionState.CALLING].setRelease(counts[state]);
        }
    }

    /**
     * @return scratch array for {@link io.corral.engine.sip.transaction.TransactionLayer#countByState(long[])}.
     */
    long[] transactionStateScratch()
    {
        return transactionStates;
    }

    private static int methodIndex(final int method)
    {
        switch (method)
        {
            case SipMethod.INVITE:
                return 0;
            case SipMethod.ACK:
                return 1;
            case SipMethod.BYE:
                return 2;
            case SipMethod.CANCEL:
                return 3;
            case SipMethod.OPTIONS:
                return 4;
            case SipMethod.REGISTER:
                return 5;
            default:
                return OTHER_METHOD;
        }
    }

    private static int methodIndexOf(final byte first, final byte third)
    {
        // The third byte tells INVITE from INFO and REGISTER from REFER.
        switch (first)
        {
            case 'I':
                return third == 'V' ? 0 : OTHER_METHOD;
            case 'A':
                return 1;
            case 'B':
                return 2;
            case 'C':
                return 3;
            case 'O':
                return 4;
            case 'R':
                return third == 'G' ? 5 : OTHER_METHOD;
            default:
                return OTHER_METHOD;
        }
    }

    private static AtomicCounter newCounter(final CountersManager countersManager, final String label)
    {
        return countersManager.newCounter(label, SIP_COUNTER_TYPE_ID);
    }
}
