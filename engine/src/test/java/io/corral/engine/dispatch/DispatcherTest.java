package io.corral.engine.dispatch;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest
{
    private final Dispatcher dispatcher = new Dispatcher(null, BackendsFileTest.RESOLVER);

    private void load(final String... lines)
    {
        final ReloadResult result = dispatcher.apply("backends.conf", BackendsFileTest.parse(lines));
        assertTrue(result.isOk(), result.error());
    }

    private int[] countSelections(final String set, final int selections)
    {
        final int setId = dispatcher.setId(set);
        final int[] counts = new int[BackendsFile.MAX_BACKENDS];
        for (int i = 0; i < selections; i++)
        {
            counts[dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0)]++;
        }
        return counts;
    }

    @Test
    void shouldTakeEachBackendInTurnWhenRoundRobin()
    {
        load("set=a uri=sip:10.0.0.1", "set=a uri=sip:10.0.0.2", "set=a uri=sip:10.0.0.3");
        final int setId = dispatcher.setId("a");

        final int[] order = new int[6];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0);
        }

        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, order);
        final int[] counts = countSelections("a", 300);
        assertEquals(100, counts[0]);
        assertEquals(100, counts[1]);
        assertEquals(100, counts[2]);
    }

    @Test
    void shouldSplitThreeToOneWhenWeighted()
    {
        load("set=a algorithm=weighted", "set=a uri=sip:10.0.0.1 weight=3", "set=a uri=sip:10.0.0.2 weight=1");

        final int[] counts = countSelections("a", 400);

        assertEquals(300, counts[0]);
        assertEquals(100, counts[1]);
    }

    @Test
    void shouldGiveDownBackendsShareToOthersWhenWeighted()
    {
        load("set=a algorithm=weighted", "set=a uri=sip:10.0.0.1 weight=3", "set=a uri=sip:10.0.0.2 weight=1",
            "set=a uri=sip:10.0.0.3 weight=1");
        dispatcher.markUp(0, false);

        final int[] counts = countSelections("a", 500);

        assertEquals(0, counts[0]);
        assertEquals(500, counts[1] + counts[2]);
        assertTrue(counts[1] > 0 && counts[2] > 0);
    }

    @Test
    void shouldKeepCallOnOneBackendAndMoveOnlyDownBackendsKeysWhenHashing()
    {
        load("set=a algorithm=hash-callid", "set=a uri=sip:10.0.0.1", "set=a uri=sip:10.0.0.2",
            "set=a uri=sip:10.0.0.3");
        final int setId = dispatcher.setId("a");
        assertEquals(DispatchAlgorithm.HASH_CALL_ID, dispatcher.hashKeyOf(setId));
        final int keys = 300;
        final int[] before = new int[keys];
        final int[] counts = new int[3];
        for (int k = 0; k < keys; k++)
        {
            final UnsafeBuffer key = callId(k);
            before[k] = dispatcher.select(setId, Dispatcher.SET_RESOURCE, key, 0, key.capacity());
            assertEquals(before[k], dispatcher.select(setId, Dispatcher.SET_RESOURCE, key, 0, key.capacity()));
            counts[before[k]]++;
        }
        assertTrue(counts[0] > 60 && counts[1] > 60 && counts[2] > 60, counts[0] + "/" + counts[1] + "/" + counts[2]);

        dispatcher.markUp(1, false);

        for (int k = 0; k < keys; k++)
        {
            final UnsafeBuffer key = callId(k);
            final int after = dispatcher.select(setId, Dispatcher.SET_RESOURCE, key, 0, key.capacity());
            if (before[k] != 1)
            {
                assertEquals(before[k], after);
            }
            else
            {
                assertNotEquals(1, after);
            }
        }
    }

    @Test
    void shouldFillMostFreeChannelsFirstWhenLeastLoadedAbsolute()
    {
        load("set=pstn algorithm=least-loaded-absolute resource=pstn",
            "set=pstn uri=sip:10.0.0.1 resources=pstn=32", "set=pstn uri=sip:10.0.0.2 resources=pstn=16",
            "set=pstn uri=sip:10.0.0.3 resources=pstn=8");

        assertArrayEquals(new int[]{10, 0, 0}, startCalls("pstn", 10));
        assertArrayEquals(new int[]{22, 6, 0}, startCalls("pstn", 18));
        assertArrayEquals(new int[]{27, 11, 2}, startCalls("pstn", 12));
        assertArrayEquals(new int[]{32, 16, 8}, startCalls("pstn", 16));
        assertEquals(Dispatcher.NONE, dispatcher.select(dispatcher.setId("pstn"), Dispatcher.SET_RESOURCE, null, 0,
            0));
    }

    @Test
    void shouldKeepEqualPercentagesWhenLeastLoadedRelative()
    {
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:10.0.0.1 resources=pstn=32", "set=pstn uri=sip:10.0.0.2 resources=pstn=16",
            "set=pstn uri=sip:10.0.0.3 resources=pstn=8");

        assertArrayEquals(new int[]{5, 3, 2}, startCalls("pstn", 10));
        assertArrayEquals(new int[]{16, 8, 4}, startCalls("pstn", 18));
        assertArrayEquals(new int[]{23, 11, 6}, startCalls("pstn", 12));
        assertArrayEquals(new int[]{32, 16, 8}, startCalls("pstn", 16));
    }

    @Test
    void shouldNotChooseBackendAtMaxUntilCallEnds()
    {
        load("set=a resource=vm", "set=a uri=sip:10.0.0.1 resources=vm=1", "set=a uri=sip:10.0.0.2 resources=vm=1");
        final int setId = dispatcher.setId("a");
        final int vm = dispatcher.resourceOf(setId);

        assertTrue(dispatcher.onCallStarted(0, vm));
        assertFalse(dispatcher.onCallStarted(0, vm));
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertTrue(dispatcher.onCallStarted(1, vm));
        assertEquals(Dispatcher.NONE, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertNotEquals(Dispatcher.NONE, dispatcher.select(setId, Dispatcher.NO_RESOURCE, null, 0, 0));

        dispatcher.onCallEnded(0, vm);
        dispatcher.onCallEnded(0, vm);

        assertEquals(0, dispatcher.used(0, vm));
        assertEquals(0, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
    }

    @Test
    void shouldRestoreCallsBeyondMaxWhenRebuiltFromDialogStore()
    {
        load("set=a resource=vm", "set=a uri=sip:10.0.0.1 resources=vm=1", "set=a uri=sip:10.0.0.2 resources=vm=4");
        final int first = dispatcher.backendId("sip:10.0.0.1");
        final int vm = dispatcher.resourceId("vm");

        assertTrue(dispatcher.onCallRestored(first, vm));
        assertTrue(dispatcher.onCallRestored(first, vm));

        assertEquals(2, dispatcher.used(first, vm));
        assertEquals(Dispatcher.NONE, dispatcher.backendId("sip:10.0.0.9"));
        assertFalse(dispatcher.onCallStarted(first, vm));
        dispatcher.onCallEnded(first, vm);
        assertFalse(dispatcher.onCallStarted(first, vm));
        dispatcher.onCallEnded(first, vm);
        assertTrue(dispatcher.onCallStarted(first, vm));
    }

    @Test
    void shouldFailOverInLoadOrderThenGiveNoneWhenAllTried()
    {
        load("set=pstn algorithm=least-loaded-absolute resource=pstn",
            "set=pstn uri=sip:10.0.0.1 resources=pstn=10", "set=pstn uri=sip:10.0.0.2 resources=pstn=30",
            "set=pstn uri=sip:10.0.0.3 resources=pstn=20");
        final int setId = dispatcher.setId("pstn");

        final int first = dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0);
        final int second = dispatcher.next(setId, Dispatcher.SET_RESOURCE, 1L << first);
        final int third = dispatcher.next(setId, Dispatcher.SET_RESOURCE, (1L << first) | (1L << second));
        final long all = (1L << first) | (1L << second) | (1L << third);

        assertArrayEquals(new int[]{1, 2, 0}, new int[]{first, second, third});
        assertEquals(Dispatcher.NONE, dispatcher.next(setId, Dispatcher.SET_RESOURCE, all));
    }

    @Test
    void shouldSkipDownBackendsAndGiveNoneWhenAllDown()
    {
        load("set=a uri=sip:10.0.0.1", "set=a uri=sip:10.0.0.2");
        final int setId = dispatcher.setId("a");

        assertTrue(dispatcher.markUp(0, false));
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        dispatcher.markUp(1, false);
        assertEquals(Dispatcher.NONE, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertEquals(Dispatcher.NONE, dispatcher.select(Dispatcher.NONE, Dispatcher.SET_RESOURCE, null, 0, 0));
    }

    @Test
    void shouldGiveAddressAndTransportOfChosenBackend()
    {
        load("set=a uri=sip:media.example:5080;transport=tcp");
        final PeerAddress address = new PeerAddress();

        assertTrue(dispatcher.address(0, address));

        assertEquals(new PeerAddress().ipv4(0x0A00_0009, 5080).toString(), address.toString());
        assertEquals(TransportProtocol.TCP, dispatcher.transport(0));
        assertFalse(dispatcher.address(5, address));
    }

    @Test
    void shouldKeepPreviousSetsWhenReloadFails(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("backends.conf");
        Files.writeString(file, "set=a uri=sip:10.0.0.1\nset=a uri=sip:10.0.0.2\n", StandardCharsets.US_ASCII);
        final Dispatcher fromFile = new Dispatcher(file, BackendsFileTest.RESOLVER);
        assertTrue(fromFile.reload().isOk());
        final BackendSets loaded = fromFile.current();

        Files.writeString(file, "set=a uri=sip:10.0.0.1\nset=a uri=sip:10.0.0.2 weight=abc\n",
            StandardCharsets.US_ASCII);
        final ReloadResult failed = fromFile.reload();

        assertFalse(failed.isOk());
        assertEquals(file + ":2: bad token 'weight=abc': weight must be an integer 1..100", failed.error());
        assertEquals(1, failed.version());
        assertEquals(2, failed.backends());
        assertEquals(loaded, fromFile.current());
        assertEquals(0, fromFile.select(fromFile.setId("a"), Dispatcher.SET_RESOURCE, null, 0, 0));
    }

    @Test
    void shouldKeepSlotsCountsAndStateOfSameUrisWhenReloaded()
    {
        load("set=a resource=pstn", "set=a uri=sip:10.0.0.1 resources=pstn=4", "set=a uri=sip:10.0.0.2 " +
            "resources=pstn=4 probe=true");
        final int pstn = dispatcher.resourceId("pstn");
        assertTrue(dispatcher.onCallStarted(0, pstn));
        assertTrue(dispatcher.onCallStarted(1, pstn));
        dispatcher.markUp(1, false);

        load("set=b resource=pstn", "set=b uri=sip:10.0.0.3 resources=pstn=4",
            "set=b uri=sip:10.0.0.2 resources=pstn=4 probe=true");

        assertEquals(Dispatcher.NONE, dispatcher.setId("a"));
        assertEquals(List.of("sip:10.0.0.3", "sip:10.0.0.2"),
            List.of(dispatcher.current().uri(2), dispatcher.current().uri(1)));
        assertEquals(1, dispatcher.used(1, pstn));
        assertFalse(dispatcher.isUp(1));
        assertFalse(dispatcher.current().isPresent(0));
        assertEquals(1, dispatcher.used(0, pstn));

        dispatcher.onCallEnded(0, pstn);
        load("set=b uri=sip:10.0.0.3", "set=b uri=sip:10.0.0.4");

        assertEquals("sip:10.0.0.4", dispatcher.current().uri(3));
        assertTrue(dispatcher.isUp(3));
        assertEquals(1, dispatcher.used(1, pstn));
    }

    @Test
    void shouldNotAllocateWhenSelecting()
    {
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:10.0.0.1 resources=pstn=32", "set=pstn uri=sip:10.0.0.2 resources=pstn=16",
            "set=h algorithm=hash-callid", "set=h uri=sip:10.0.0.1", "set=h uri=sip:10.0.0.2",
            "set=w algorithm=weighted", "set=w uri=sip:10.0.0.1 weight=5", "set=w uri=sip:10.0.0.2 weight=2");
        final int pstn = dispatcher.setId("pstn");
        final int hash = dispatcher.setId("h");
        final int weighted = dispatcher.setId("w");
        final int resource = dispatcher.resourceOf(pstn);
        final UnsafeBuffer key = callId(42);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 100_000; i++)
            {
                final int backend = dispatcher.select(pstn, Dispatcher.SET_RESOURCE, null, 0, 0);
                if (dispatcher.onCallStarted(backend, resource))
                {
                    dispatcher.onCallEnded(backend, resource);
                }
                sink += dispatcher.select(hash, Dispatcher.SET_RESOURCE, key, 0, key.capacity());
                sink += dispatcher.next(weighted, Dispatcher.SET_RESOURCE, 1L);
            }
            final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 2)
            {
                assertEquals(0, allocated, "bytes allocated by 300k selects");
            }
        }
        assertTrue(sink > 0);
    }

    private int[] startCalls(final String set, final int calls)
    {
        final int setId = dispatcher.setId(set);
        final int resource = dispatcher.resourceOf(setId);
        for (int i = 0; i < calls; i++)
        {
            final int backend = dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0);
            assertTrue(dispatcher.onCallStarted(backend, resource));
        }
        return new int[]{dispatcher.used(0, resource), dispatcher.used(1, resource), dispatcher.used(2, resource)};
    }

    private static UnsafeBuffer callId(final int k)
    {
        return new UnsafeBuffer(("a84b4c76e66710-" + k + "@pc33.atlanta.example.com")
            .getBytes(StandardCharsets.US_ASCII));
    }
}
