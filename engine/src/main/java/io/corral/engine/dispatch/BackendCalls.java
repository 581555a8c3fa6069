package io.corral.engine.dispatch;

import io.corral.engine.dialog.DialogTracker;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.dialog.DialogState;
import io.corral.state.dialog.DialogStore;

/**
 * Load "counted from the dialog store": a call the {@link Dispatcher} counted on a backend is marked in the engine
 * flags of its dialog when the dialog is confirmed (the resource id; the backend is the callee leg's address), so
 * the count is released when the dialog ends by BYE, expiry or removal, whichever agent or sweep ends it, and the
 * counts are rebuilt from the store after a restart. Until the 2xx the proxied INVITE holds the count and releases
 * it itself on failure.
 */
public final class BackendCalls implements DialogTracker.CallEndListener
{
    /** Engine flag: the dialog is a call counted on a backend. */
    static final int COUNTED = 1 << 8;
    private static final int RESOURCE_SHIFT = 9;
    private static final int RESOURCE_MASK = 0x1F;

    private final Dispatcher dispatcher;

    /**
     * @param dispatcher whose counts the dialogs carry.
     */
    public BackendCalls(final Dispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    /**
     * @param resource the resource id a call is counted on, or {@link Dispatcher#NONE}.
     * @return the engine flags for its dialog, 0 when not counted.
     */
    public static int dialogFlags(final int resource)
    {
        return resource < 0 || resource > RESOURCE_MASK ? 0 : COUNTED | resource << RESOURCE_SHIFT;
    }

    /**
     * {@inheritDoc}
     */
    public void onCallEnded(final DialogFlyweight dialog)
    {
        final int resource = resourceOf(dialog);
        if (resource >= 0)
        {
            dispatcher.onCallEnded(backendOf(dialog, resource), resource);
        }
    }

    /**
     * Count the confirmed backend calls of a dialog store (after a restart), before traffic.
     *
     * @param store the member's dialogs.
     * @return calls counted.
     */
    public int restore(final DialogStore store)
    {
        final int[] restored = new int[1];
        store.forEach((dialog) ->
        {
            final int resource = resourceOf(dialog);
            if (resource >= 0 && dialog.state() == DialogState.CONFIRMED &&
                dispatcher.onCallRestored(backendOf(dialog, resource), resource))
            {
                restored[0]++;
            }
            return true;
        });
        return restored[0];
    }

    private int backendOf(final DialogFlyweight dialog, final int resource)
    {
        return dispatcher.backendAt(
            dialog.ipv4(DialogFlyweight.CALLEE), dialog.port(DialogFlyweight.CALLEE), resource);
    }

    private static int resourceOf(final DialogFlyweight dialog)
    {
        final int flags = dialog.flags();
        return (flags & COUNTED) == 0 ? Dispatcher.NONE : (flags >>> RESOURCE_SHIFT) & RESOURCE_MASK;
    }
}
