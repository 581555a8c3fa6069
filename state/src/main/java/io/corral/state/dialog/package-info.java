/**
 * Dialogs (RFC 3261 §12) of the farm: {@link io.corral.state.dialog.DialogStore} over
 * {@code <data dir>/state/dialogs.dat}, records laid out by {@link io.corral.state.dialog.DialogDescriptor} and
 * accessed with {@link io.corral.state.dialog.DialogFlyweight}, identified by
 * {@link io.corral.state.dialog.DialogKey} (Call-ID and both tags, either order).
 *
 * <p>Typical engine use: at the first 1xx with a To-tag (or the 2xx) set a key from the message's Call-ID, From-tag
 * and To-tag, fill a record (state, legs, route set, CSeq) and {@code create} it; on the 2xx {@code confirm}; on an
 * in-dialog request {@code find} it (none: answer 481) and {@code touch} it; on BYE or a failure {@code terminate};
 * call {@code sweepExpired} from a duty cycle with a small limit.
 */
package io.corral.state.dialog;
