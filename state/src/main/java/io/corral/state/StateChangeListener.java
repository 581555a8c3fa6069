package io.corral.state;

import io.corral.state.dialog.DialogFlyweight;

/**
 * Told of every change to the state stores, in order, on the writer's thread, before the change becomes visible in
 * the map (write-ahead: the change log appends it first). If it throws, the change is not applied and the exception
 * reaches the caller. The flyweight is valid only during the call: copy what must be kept. Implementations must not
 * call back into the store.
 */
public interface StateChangeListener
{
    /** A dialog was created (early or confirmed). */
    int DIALOG_CREATED = 1;
    /** An early dialog was confirmed by a 2xx. */
    int DIALOG_CONFIRMED = 2;
    /** A dialog changed without changing state: refreshed by in-dialog activity or new targets. */
    int DIALOG_UPDATED = 3;
    /** A dialog terminated (BYE, failure); it stays until removed. */
    int DIALOG_TERMINATED = 4;
    /** A dialog was removed from the store. */
    int DIALOG_REMOVED = 5;
    /** A dialog timed out (maximum duration, silence, or never confirmed) and was removed by the sweep. */
    int DIALOG_EXPIRED = 6;

    /** A listener that ignores every change. */
    StateChangeListener NO_OP = (dialog, changeType) ->
    {
    };

    /**
     * @param dialog     the record after the change (for removals: the record as it was).
     * @param changeType one of the {@code DIALOG_*} constants.
     */
    void onDialogChanged(DialogFlyweight dialog, int changeType);

    /**
     * @param changeType one of the {@code DIALOG_*} constants.
     * @return its name, for tools and logs.
     */
    static String changeTypeName(final int changeType)
    {
        switch (changeType)
        {
            case DIALOG_CREATED:
                return "DIALOG_CREATED";
            case DIALOG_CONFIRMED:
                return "DIALOG_CONFIRMED";
            case DIALOG_UPDATED:
                return "DIALOG_UPDATED";
            case DIALOG_TERMINATED:
                return "DIALOG_TERMINATED";
            case DIALOG_REMOVED:
                return "DIALOG_REMOVED";
            case DIALOG_EXPIRED:
                return "DIALOG_EXPIRED";
            default:
                return "UNKNOWN(" + changeType + ")";
        }
    }
}
