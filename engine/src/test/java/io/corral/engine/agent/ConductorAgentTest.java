package io.corral.engine.agent;

import io.corral.engine.status.StatusCounters;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConductorAgentTest
{
    private final CachedEpochClock clock = new CachedEpochClock();
    private final CachedEpochClock cachedClock = new CachedEpochClock();
    private final StatusCounters counters = new StatusCounters(new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024))));

    private long value(final int id)
    {
        return counters.get(id).get();
    }

    @Test
    void shouldBeatHeartbeatEveryCycleAndRunTimerEveryIntervalWhenDrivenByHand()
    {
        clock.update(1_000);
        final ConductorAgent conductor = new ConductorAgent(clock, cachedClock, counters, 1_000, 100);

        assertEquals(1, conductor.doWork());
        assertEquals(1_000, value(StatusCounters.HEARTBEAT_ID));
        assertEquals(1_000, cachedClock.time());
        assertEquals(1, value(StatusCounters.CONDUCTOR_TIMER_RUNS_ID));

        clock.update(1_050);
        assertEquals(0, conductor.doWork());
        assertEquals(1_050, value(StatusCounters.HEARTBEAT_ID));
        assertEquals(1, value(StatusCounters.CONDUCTOR_TIMER_RUNS_ID));
        assertEquals(0, value(StatusCounters.UPTIME_ID));

        clock.update(1_100);
        assertEquals(1, conductor.doWork());
        assertEquals(2, value(StatusCounters.CONDUCTOR_TIMER_RUNS_ID));
        assertEquals(100, value(StatusCounters.UPTIME_ID));
        assertEquals(3, value(StatusCounters.CONDUCTOR_DUTY_CYCLES_ID));
        assertEquals(AgentConfiguration.ROLE_CONDUCTOR, conductor.roleName());
    }
}
