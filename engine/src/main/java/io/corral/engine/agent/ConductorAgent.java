package io.corral.engine.agent;

import io.corral.engine.status.StatusCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The member's housekeeping agent: beats the heartbeat counter every duty cycle, keeps the shared cached clock, and
 * runs the housekeeping timer every {@code corral.conductor.interval.ms}. Later issues hang their periodic work
 * (backend probes, NAT keepalives, config reload) on that timer.
 */
public final class ConductorAgent implements Agent
{
    private final EpochClock clock;
    private final CachedEpochClock cachedClock;
    private final long startTimeMs;
    private final long intervalMs;
    private final AtomicCounter heartbeat;
    private final AtomicCounter uptime;
    private final AtomicCounter dutyCycles;
    private final AtomicCounter timerRuns;
    private long lastHeartbeatMs;
    private long nextTimerMs;

    /**
     * @param clock       the time source, read once per duty cycle.
     * @param cachedClock updated every duty cycle, for agents that need a cheap coarse time.
     * @param counters    the member's counters.
     * @param startTimeMs when the member started, epoch ms.
     * @param intervalMs  period of the housekeeping timer.
     */
    public ConductorAgent(
        final EpochClock clock,
        final CachedEpochClock cachedClock,
        final StatusCounters counters,
        final long startTimeMs,
        final long intervalMs)
    {
        this.clock = clock;
        this.cachedClock = cachedClock;
        this.startTimeMs = startTimeMs;
        this.intervalMs = intervalMs;
        this.heartbeat = counters.get(StatusCounters.HEARTBEAT_ID);
        this.uptime = counters.get(StatusCounters.UPTIME_ID);
        this.dutyCycles = counters.get(StatusCounters.CONDUCTOR_DUTY_CYCLES_ID);
        this.timerRuns = counters.get(StatusCounters.CONDUCTOR_TIMER_RUNS_ID);
        this.nextTimerMs = startTimeMs;
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        final long nowMs = clock.time();
        dutyCycles.incrementRelease();
        int workCount = 0;
        if (nowMs != lastHeartbeatMs)
        {
            lastHeartbeatMs = nowMs;
            cachedClock.update(nowMs);
            heartbeat.setRelease(nowMs);
        }
        if (nowMs >= nextTimerMs)
        {
            nextTimerMs = nowMs + intervalMs;
            onHousekeepingTimer(nowMs);
            workCount++;
        }
        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return AgentConfiguration.ROLE_CONDUCTOR;
    }

    private void onHousekeepingTimer(final long nowMs)
    {
        uptime.setRelease(nowMs - startTimeMs);
        timerRuns.incrementRelease();
    }
}
