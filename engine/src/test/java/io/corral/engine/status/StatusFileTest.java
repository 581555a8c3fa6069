package io.corral.engine.status;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusFileTest
{
    private static final int COUNTERS_LENGTH = 4096;
    private static final int ERROR_LOG_LENGTH = 65536;
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dataDir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private StatusFile create(final int memberId)
    {
        return StatusFile.create(dataDir, memberId, COUNTERS_LENGTH, ERROR_LOG_LENGTH, clock);
    }

    @Test
    void shouldWriteHeaderAtDescribedOffsetsWhenCreated() throws IOException
    {
        clock.update(1_700_000_000_123L);
        try (StatusFile statusFile = create(5))
        {
            final Path file = dataDir.resolve("status").resolve("corral.dat");
            assertEquals(file, statusFile.file());
            final ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());

            assertEquals(StatusFileDescriptor.fileLength(COUNTERS_LENGTH, ERROR_LOG_LENGTH), raw.capacity());
            assertEquals(StatusFileDescriptor.LAYOUT_VERSION, raw.getInt(0));
            assertEquals(5, raw.getInt(4));
            assertEquals(PID, raw.getLong(8));
            assertEquals(1_700_000_000_123L, raw.getLong(16));
            assertEquals(COUNTERS_LENGTH * 4, raw.getInt(24));
            assertEquals(COUNTERS_LENGTH, raw.getInt(28));
            assertEquals(ERROR_LOG_LENGTH, raw.getInt(32));
            assertTrue(Files.exists(file.resolveSibling(MemberLock.FILE_NAME)));
        }
    }

    @Test
    void shouldAllocateMemberCountersWithStableIdsAndLabelsWhenCreated()
    {
        try (StatusFile statusFile = create(1);
            StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            final CountersReader counters = reader.countersReader();
            assertEquals("Member state: 0 starting, 1 running, 2 closing, 3 closed",
                counters.getCounterLabel(StatusCounters.MEMBER_STATE_ID));
            assertEquals("Conductor heartbeat (epoch ms)", counters.getCounterLabel(StatusCounters.HEARTBEAT_ID));
            assertEquals("Member uptime (ms)", counters.getCounterLabel(StatusCounters.UPTIME_ID));
            assertEquals("Conductor duty cycles", counters.getCounterLabel(StatusCounters.CONDUCTOR_DUTY_CYCLES_ID));
            assertEquals("Conductor housekeeping timer runs",
                counters.getCounterLabel(StatusCounters.CONDUCTOR_TIMER_RUNS_ID));
            assertEquals("Errors (bin/corral-errors lists them)", counters.getCounterLabel(StatusCounters.ERRORS_ID));
            assertEquals(StatusCounters.SYSTEM_COUNTER_TYPE_ID, counters.getCounterTypeId(StatusCounters.ERRORS_ID));
            assertEquals(StatusCounters.STATE_STARTING, reader.memberState());

            statusFile.counters().get(StatusCounters.UPTIME_ID).set(77);
            assertEquals(77, counters.getCounterValue(StatusCounters.UPTIME_ID));
        }
    }

    @Test
    void shouldShowCounterWrittenByMemberWhenReadFromAnotherProcess() throws Exception
    {
        try (StatusFile statusFile = create(9))
        {
            statusFile.counters().get(StatusCounters.MEMBER_STATE_ID).set(StatusCounters.STATE_RUNNING);
            final AtomicCounter counter = statusFile.countersManager().newCounter("Test datagrams received");
            counter.set(424_242);

            final String output = runChild(dataDir);

            assertTrue(output.contains("ready=true member=9 pid=" + PID + " alive=true"), output);
            assertTrue(output.contains("counter " + counter.id() + "=424242 Test datagrams received"), output);
            assertTrue(output.contains("counter 0=1 Member state"), output);
            assertTrue(output.contains("lock refused: another member (pid " + PID + ") is running with data dir"),
                output);
        }
    }

    @Test
    void shouldRefuseSecondStatusFileWhenDataDirIsLockedAndAllowItAfterClose()
    {
        try (StatusFile first = create(1))
        {
            final MemberLockedException ex = assertThrows(MemberLockedException.class, () -> create(2));
            assertEquals("another member (pid " + PID + ") is running with data dir " + dataDir, ex.getMessage());
            assertNotNull(first.counters());
        }
        try (StatusFile again = create(2); StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertEquals(again.file(), reader.file());
            assertEquals(2, reader.memberId());
        }
    }

    @Test
    void shouldMarkClosedAndKeepFileWhenClosed()
    {
        create(1).close();

        try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertTrue(reader.isReady());
            assertEquals(StatusCounters.STATE_CLOSED, reader.memberState());
            assertFalse(reader.isMemberAlive());
        }
    }

    @Test
    void shouldListDistinctErrorsWithCountsAndTimesWhenRecorded()
    {
        clock.update(1_000);
        try (StatusFile statusFile = create(1); StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertEquals("", reader.errorsText());
            final IllegalStateException boom = new IllegalStateException("boom");
            statusFile.errorLog().record(boom);
            clock.update(2_000);
            statusFile.errorLog().record(boom);
            statusFile.errorLog().record(new IllegalArgumentException("bad"));

            final String text = reader.errorsText();
            assertTrue(text.contains("2 observations from 1970-01-01T00:00:01Z to 1970-01-01T00:00:02Z for:\n " +
                "java.lang.IllegalStateException: boom"), text);
            assertTrue(text.contains("1 observation from 1970-01-01T00:00:02Z"), text);
            assertTrue(text.endsWith("2 distinct errors observed.\n"), text);
        }
    }

    @Test
    void shouldSaveThePreviousErrorsAndStartEmptyWhenRestarted() throws IOException
    {
        clock.update(5_000);
        try (StatusFile first = create(1))
        {
            assertNull(first.savedErrorLog());
            first.errorLog().record(new IllegalStateException("before restart"));
        }
        try (StatusFile second = create(1); StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            final Path saved = second.savedErrorLog();
            assertEquals(dataDir.resolve("status").resolve("errors-5000.log"), saved);
            assertTrue(Files.readString(saved).contains("java.lang.IllegalStateException: before restart"));
            assertFalse(reader.hasErrors());
        }
    }

    @Test
    void shouldExplainWhenThereIsNoStatusFile()
    {
        final StatusFileException ex =
            assertThrows(StatusFileException.class, () -> StatusFileReader.openDataDir(dataDir));
        assertTrue(ex.getMessage().startsWith("no status file "), ex.getMessage());
    }

    private static String runChild(final Path dataDir) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(StatusFileChild.class.getName());
        command.add(dataDir.toString());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        return output;
    }
}
