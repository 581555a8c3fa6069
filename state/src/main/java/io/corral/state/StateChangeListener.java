package io.corral.state;

import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.registration.RegistrationFlyweight;

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
    /** A registration gained a contact (or was created). */
    int REGISTRATION_ADDED = 7;
    /** A registration's contacts were refreshed or updated; none was added or removed. */
    int REGISTRATION_REFRESHED = 8;
    /** A registration lost contacts by a REGISTER (expires 0, {@code *}) or was removed: the record after it. */
    int REGISTRATION_REMOVED = 9;
    /** The sweep removed expired contacts: the record after it, with no contacts when it was removed. */
    int REGISTRATION_EXPIRED = 10;

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
     * A registration changed. Default: ignored, so dialog-only listeners need not implement it.
     *
     * @param registration the record after the change (no contacts when the record was removed).
     * @param changeType   one of the {@code REGISTRATION_*} constants.
     */
    default void onRegistrationChanged(RegistrationFlyweight registration, int changeType)
    {
    }

    /**
     * @param changeType one of the {@code DIALOG_*} or {@code REGISTRATION_*} constants.
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
            case REGISTRATION_ADDED:
                return "REGISTRATION_ADDED";
            case REGISTRATION_REFRESHED:
                return "REGISTRATION_REFRESHED";
            case REGISTRATION_REMOVED:
                return "REGISTRATION_REMOVED";
            case REGISTRATION_EXPIRED:
                return "REGISTRATION_EXPIRED";
            default:
                return "UNKNOWN(" + changeType + ")";
        }
    }
}
