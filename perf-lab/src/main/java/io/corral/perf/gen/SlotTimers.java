package io.corral.perf.gen;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * At most one timer per slot of a fixed table, over an Agrona {@link DeadlineTimerWheel} of nanosecond deadlines:
 * scheduling a slot again replaces its timer. Expiry hands the slot, not the wheel's timer id, to the handler.
 */
final class SlotTimers
{
    /** Receives expired slots. */
    @FunctionalInterface
    interface Handler
    {
        /**
         * @param slot  the slot whose timer expired (it has no timer now).
         * @param nowNs the time of the poll.
         */
        void onSlotTimer(int slot, long nowNs);
    }

    private static final long NONE = -1;
    private static final int TICKS_PER_WHEEL = 4096;
    private static final long TICK_NS = 1L << 20;

    private final DeadlineTimerWheel wheel;
    private final Long2LongHashMap slotByTimer;
    private final long[] timerBySlot;
    private final DeadlineTimerWheel.TimerHandler onExpiry = this::onExpiry;
    private Handler handler;

    /**
     * @param slots   slots in the table.
     * @param startNs the clock's current time.
     */
    SlotTimers(final int slots, final long startNs)
    {
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startNs, TICK_NS, TICKS_PER_WHEEL);
        slotByTimer = new Long2LongHashMap(Math.max(64, slots / 4), 0.65f, NONE);
        timerBySlot = new long[slots];
        Arrays.fill(timerBySlot, NONE);
    }

    /**
     * Replace the slot's timer (if any) by one at the deadline.
     *
     * @param slot       the slot.
     * @param deadlineNs when it fires.
     */
    void schedule(final int slot, final long deadlineNs)
    {
        cancel(slot);
        final long timerId = wheel.scheduleTimer(deadlineNs);
        timerBySlot[slot] = timerId;
        slotByTimer.put(timerId, slot);
    }

    /**
     * @param slot the slot whose timer, if any, is cancelled.
     */
    void cancel(final int slot)
    {
        final long timerId = timerBySlot[slot];
        if (timerId != NONE)
        {
            wheel.cancelTimer(timerId);
            slotByTimer.remove(timerId);
            timerBySlot[slot] = NONE;
        }
    }

    /**
     * @param slot the slot.
     * @return true if it has a timer.
     */
    boolean isScheduled(final int slot)
    {
        return timerBySlot[slot] != NONE;
    }

    /**
     * @return timers pending.
     */
    long pending()
    {
        return wheel.timerCount();
    }

    /**
     * Fire every timer due by {@code nowNs}, at most {@code limit}.
     *
     * @param nowNs   the current time.
     * @param handler receives each expired slot.
     * @param limit   most expiries handled in this call.
     * @return expiries handled.
     */
    int poll(final long nowNs, final Handler handler, final int limit)
    {
        this.handler = handler;
        int expired = 0;
        long tickTime;
        do
        {
            tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowNs, onExpiry, limit - expired);
        }
        while (expired < limit && wheel.currentTickTime() != tickTime && wheel.timerCount() > 0);
        return expired;
    }

    private boolean onExpiry(final TimeUnit timeUnit, final long nowNs, final long timerId)
    {
        final long slot = slotByTimer.remove(timerId);
        if (slot != NONE)
        {
            timerBySlot[(int)slot] = NONE;
            handler.onSlotTimer((int)slot, nowNs);
        }
        return true;
    }
}
