package io.corral.engine.dialog;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogDescriptor;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.dialog.DialogKey;
import io.corral.state.dialog.DialogState;
import io.corral.state.dialog.DialogStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteBuffer;

/**
 * Keeps the INVITE dialogs a SIP agent proxies in the {@link DialogStore} (RFC 3261 §12): created at the first 1xx
 * with a To-tag (early) or the 2xx (confirmed), confirmed on 2xx, terminated on BYE or a failure response; in-dialog
 * requests look their dialog up. The store tells the change listener (replication) of every change; this class also
 * keeps the gauges of dialogs by state. One per SIP agent, each with its own writer over the shared map: a dialog is
 * written only by the agent that owns its Call-ID. Allocation-free.
 * <p>
 * Engine flags (bits above {@link DialogDescriptor#STORE_FLAGS_MASK}, e.g. the backend call mark of the dispatcher)
 * are written when a dialog is confirmed, and a dialog that carries them is reported to the {@link CallEndListener}
 * when it ends: BYE, expiry, or removal while live. An early dialog that fails ends with its INVITE, which the
 * proxy accounts for itself.
 */
public final class DialogTracker implements StateChangeListener
{
    /**
     * Told when a confirmed dialog with engine flags ends.
     */
    @FunctionalInterface
    public interface CallEndListener
    {
        /**
         * @param dialog the dialog as it ended (flags and legs as created).
         */
        void onCallEnded(DialogFlyweight dialog);
    }

    /** {@link #onInDialogRequest}: the dialog exists (touched, or terminated for a BYE). */
    public static final int FOUND = 0;
    /** {@link #onInDialogRequest}: no such dialog: answer 481 (RFC 3261 §12.2.2). */
    public static final int NOT_FOUND = 1;
    /** {@link #onInDialogRequest}: not a request this tracker checks (no To-tag, or a subscription's). */
    public static final int NOT_CHECKED = 2;

    private final StateChangeListener downstream;
    private final AtomicCounter early;
    private final AtomicCounter confirmed;
    private final AtomicCounter created;
    private final AtomicCounter terminated;
    private final AtomicCounter expired;
    private final AtomicCounter storeFailures;
    private final DialogKey key = new DialogKey();
    private final DialogFlyweight record = new DialogFlyweight().wrap(
        new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);
    private final DialogFlyweight found = new DialogFlyweight().wrap(
        new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);
    private final NameAddrDecoder contact = new NameAddrDecoder();
    private DialogStore store;
    private CallEndListener callEndListener;

    /**
     * @param downstream    told of every change after the gauges (the change log later).
     * @param early         gauge of early dialogs.
     * @param confirmed     gauge of confirmed dialogs.
     * @param created       dialogs created.
     * @param terminated    dialogs terminated by BYE or a failure response.
     * @param expired       dialogs removed by the expiry sweep.
     * @param storeFailures store refusals (map full, key collision).
     */
    public DialogTracker(
        final StateChangeListener downstream,
        final AtomicCounter early,
        final AtomicCounter confirmed,
        final AtomicCounter created,
        final AtomicCounter terminated,
        final AtomicCounter expired,
        final AtomicCounter storeFailures)
    {
        this.downstream = downstream;
        this.early = early;
        this.confirmed = confirmed;
        this.created = created;
        this.terminated = terminated;
        this.expired = expired;
        this.storeFailures = storeFailures;
    }

    /**
     * @param store the writer this tracker uses; its listener must be this tracker.
     */
    public void store(final DialogStore store)
    {
        this.store = store;
    }

    /**
     * @param listener told when a confirmed dialog with engine flags ends, or null.
     */
    public void callEndListener(final CallEndListener listener)
    {
        this.callEndListener = listener;
    }

    /**
     * Count the dialogs already in the map by state (after a restart); call once, before traffic.
     *
     * @return the dialogs in the map, whatever their state.
     */
    public long countExisting()
    {
        final long[] count = {0};
        store.forEach((dialog) ->
        {
            count[0]++;
            if (dialog.state() == DialogState.EARLY)
            {
                early.incrementRelease();
            }
            else if (dialog.state() == DialogState.CONFIRMED)
            {
                confirmed.incrementRelease();
            }
            return true;
        });
        return count[0];
    }

    /**
     * A response to a proxied INVITE arrived from the callee (before it is forwarded).
     *
     * @param response        decoded OK.
     * @param callerContact   buffer holding the caller's Contact URI (from the INVITE), or null.
     * @param contactOffset   of the URI.
     * @param contactLength   of the URI.
     * @param callerRemoteId  where the caller's messages come from and go to.
     * @param callerTransport the caller's {@link TransportProtocol} code.
     * @param calleeRemoteId  the next hop the INVITE went to.
     * @param calleeTransport that hop's {@link TransportProtocol} code.
     * @param engineFlags     flags above {@link DialogDescriptor#STORE_FLAGS_MASK} for a dialog this creates, or 0.
     * @param nowMs           wall clock.
     */
    public void onInviteResponse(
        final SipMessageDecoder response,
        final DirectBuffer callerContact,
        final int contactOffset,
        final int contactLength,
        final long callerRemoteId,
        final int callerTransport,
        final long calleeRemoteId,
        final int calleeTransport,
        final int engineFlags,
        final long nowMs)
    {
        final int status = response.statusCode();
        final NameAddrDecoder to = response.to();
        if (status == 100 || !to.hasTag() || !setKey(response))
        {
            return;
        }
        if (status >= 300)
        {
            // A failed re-INVITE leaves a confirmed dialog as it was, except 481 and 408 (RFC 3261 §12.2.1.2).
            if (store.find(key, found) && (found.state() == DialogState.EARLY ||
                status == SipStatus.CALL_DOES_NOT_EXIST || status == SipStatus.REQUEST_TIMEOUT))
            {
                terminate(status, nowMs);
            }
            return;
        }
        // A provisional response only creates: the store itself answers "already exists" for a dialog it has, so
        // the common 180 costs one map query, not a find and then a create; so does the common 200 of an early
        // dialog without engine flags, confirmed in place.
        final int flags = engineFlags & ~DialogDescriptor.STORE_FLAGS_MASK;
        if (status >= 200 && flags == 0 && store.confirmEarly(key, nowMs) != DialogStore.RESULT_NOT_FOUND)
        {
            return;
        }
        if (status >= 200 && flags != 0 && store.find(key, found))
        {
            if (found.state() == DialogState.EARLY)
            {
                confirm(flags, nowMs);
            }
            return;
        }
        final DirectBuffer buffer = response.buffer();
        final NameAddrDecoder from = response.from();
        record.clear()
            .state(status >= 200 ? DialogState.CONFIRMED : DialogState.EARLY)
            .inviteCSeq(response.cseqNumber())
            .flags(status >= 200 ? flags : 0);
        record.callId(buffer, response.callIdOffset(), response.callIdLength());
        record.tag(DialogFlyweight.CALLER, buffer, from.tagOffset(), from.tagLength());
        record.tag(DialogFlyweight.CALLEE, buffer, to.tagOffset(), to.tagLength());
        record.cseq(DialogFlyweight.CALLER, response.cseqNumber());
        if (callerContact != null && contactLength > 0)
        {
            record.contact(DialogFlyweight.CALLER, callerContact, contactOffset, contactLength);
        }
        final int contactIndex = response.firstIndexOf(HeaderName.CONTACT);
        if (contactIndex >= 0 &&
            contact.wrap(buffer, response.valueOffset(contactIndex), response.valueLength(contactIndex)))
        {
            record.contact(DialogFlyweight.CALLEE, buffer, contact.uriOffset(), contact.uriLength());
        }
        leg(DialogFlyweight.CALLER, callerRemoteId, callerTransport);
        leg(DialogFlyweight.CALLEE, calleeRemoteId, calleeTransport);
        for (int i = response.firstIndexOf(HeaderName.RECORD_ROUTE); i >= 0;
            i = response.nextIndexOf(HeaderName.RECORD_ROUTE, i))
        {
            record.addRoute(buffer, response.valueOffset(i), response.valueLength(i));
        }
        final int result = store.create(key, record, nowMs);
        if (result != DialogStore.RESULT_OK && result != DialogStore.RESULT_ALREADY_EXISTS)
        {
            storeFailures.incrementRelease();
        }
    }

    /**
     * An in-dialog request that came through this member's Record-Route.
     *
     * @param request decoded OK.
     * @param nowMs   wall clock.
     * @return {@link #FOUND}, {@link #NOT_FOUND} or {@link #NOT_CHECKED}.
     */
    public int onInDialogRequest(final SipMessageDecoder request, final long nowMs)
    {
        final int method = request.method();
        // Subscription dialogs (RFC 6665) are not INVITE dialogs: this tracker does not keep them.
        if (method == SipMethod.SUBSCRIBE || method == SipMethod.NOTIFY || !request.to().hasTag() || !setKey(request))
        {
            return NOT_CHECKED;
        }
        if (method == SipMethod.BYE)
        {
            // One map query: the store tells a dialog it ends now from a missing or already terminated one.
            return store.terminate(key, DialogState.REASON_BYE, nowMs) == DialogStore.RESULT_OK ? FOUND : NOT_FOUND;
        }
        if (!store.find(key, found) || found.state() == DialogState.TERMINATED)
        {
            return NOT_FOUND;
        }
        if (method != SipMethod.ACK)
        {
            store.touch(key, nowMs);
        }
        return FOUND;
    }

    /**
     * Sweep expired dialogs.
     *
     * @param nowMs wall clock.
     * @param limit most dialogs removed.
     * @return dialogs removed.
     */
    public int sweep(final long nowMs, final int limit)
    {
        return store.sweepExpired(nowMs, limit);
    }

    /**
     * {@inheritDoc}
     */
    public void onDialogChanged(final DialogFlyweight dialog, final int changeType)
    {
        switch (changeType)
        {
            case DIALOG_CREATED:
                created.incrementRelease();
                gauge(dialog.state(), 1);
                break;
            case DIALOG_CONFIRMED:
                gauge(DialogState.EARLY, -1);
                gauge(DialogState.CONFIRMED, 1);
                break;
            case DIALOG_TERMINATED:
                terminated.incrementRelease();
                gauge(store.priorState(), -1);
                onEnded(dialog);
                break;
            case DIALOG_REMOVED:
                gauge(dialog.state(), -1);
                if (dialog.state() != DialogState.TERMINATED)
                {
                    onEnded(dialog);
                }
                break;
            case DIALOG_EXPIRED:
                expired.incrementRelease();
                gauge(dialog.state(), -1);
                onEnded(dialog);
                break;
            default:
                break;
        }
        downstream.onDialogChanged(dialog, changeType);
    }

    private void onEnded(final DialogFlyweight dialog)
    {
        if (callEndListener != null && (dialog.flags() & ~DialogDescriptor.STORE_FLAGS_MASK) != 0)
        {
            callEndListener.onCallEnded(dialog);
        }
    }

    private void confirm(final int engineFlags, final long nowMs)
    {
        found.state(DialogState.CONFIRMED).flags(found.flags() | engineFlags);
        if (store.update(key, found, nowMs) != DialogStore.RESULT_OK)
        {
            storeFailures.incrementRelease();
        }
    }

    /**
     * Terminate the dialog {@link #found} holds, just read by the caller.
     */
    private void terminate(final int reason, final long nowMs)
    {
        if (found.state() != DialogState.TERMINATED)
        {
            store.terminate(key, reason, nowMs);
        }
    }

    private boolean setKey(final SipMessageDecoder message)
    {
        final NameAddrDecoder from = message.from();
        final NameAddrDecoder to = message.to();
        if (!from.hasTag())
        {
            return false;
        }
        key.set(message.buffer(), message.callIdOffset(), message.callIdLength(),
            from.tagOffset(), from.tagLength(), to.tagOffset(), to.tagLength());
        return true;
    }

    private void leg(final int leg, final long remoteId, final int transport)
    {
        if (RemoteAddressTable.isIpv4(remoteId))
        {
            record.remoteIpv4(leg, dialogTransport(transport), RemoteAddressTable.ipv4Address(remoteId),
                RemoteAddressTable.ipv4Port(remoteId));
        }
    }

    private void gauge(final int state, final int delta)
    {
        if (state == DialogState.EARLY)
        {
            early.getAndAddRelease(delta);
        }
        else if (state == DialogState.CONFIRMED)
        {
            confirmed.getAndAddRelease(delta);
        }
    }

    private static byte dialogTransport(final int transport)
    {
        switch (transport)
        {
            case TransportProtocol.UDP:
                return DialogDescriptor.TRANSPORT_UDP;
            case TransportProtocol.TCP:
                return DialogDescriptor.TRANSPORT_TCP;
            case TransportProtocol.TLS:
                return DialogDescriptor.TRANSPORT_TLS;
            case TransportProtocol.WS:
                return DialogDescriptor.TRANSPORT_WS;
            case TransportProtocol.WSS:
                return DialogDescriptor.TRANSPORT_WSS;
            case TransportProtocol.SCTP:
                return DialogDescriptor.TRANSPORT_SCTP;
            default:
                return DialogDescriptor.TRANSPORT_NONE;
        }
    }
}
