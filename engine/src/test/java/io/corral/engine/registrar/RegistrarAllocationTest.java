package io.corral.engine.registrar;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationStore;
import io.corral.state.registration.RegistrationStoreContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REGISTER (decode, checks, store read and write, 200 with contacts and Date) and a location lookup allocate
 * nothing once warm.
 */
class RegistrarAllocationTest
{
    private static final int WARM_UP = 100_000;
    private static final int MESSAGES = 100_000;
    /**
     * Far under one byte per message (a per-message allocation is at least 16 B, 1.6 MB here), above what Chronicle
     * Map's internals allocate a few times per run: 2,144–2,752 B on 2026-12-03, under 1 KB before
     * (SipAgentAllocationTest sees the same, 1–5 KB per 20,000 REGISTERs).
     */
    private static final long BUDGET_BYTES = 16 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void shouldAllocateNothingWhenRegistersAreProcessedRepeatedly()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        try (RegistrationStore store = RegistrationStore.open(
            new RegistrationStoreContext().dataDir(dataDir).memberId(1).maxEntries(100)))
        {
            final Registrar registrar = new Registrar(RegistrarFixtures.context(3600), store);
            final LocationService location = new LocationService(store, KnownUsers.NONE);
            final Location targets = new Location(store);
            final AddressOfRecord alice = new AddressOfRecord();
            alice.set("alice@example.com");
            final PeerAddress source = new PeerAddress().ipv4(0xC000020A, 5060);
            final SipMessageDecoder decoder = new SipMessageDecoder();
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));
            // Two Call-IDs for one AOR and contact: each REGISTER replaces the other's binding (RFC 3261 §10.3 7).
            final UnsafeBuffer[] requests = {RegistrarFixtures.load("add"), RegistrarFixtures.load("sips-upper")};
            final long threadId = Thread.currentThread().getId();

            long ok = 0;
            long before = 0;
            long startNs = 0;
            for (int i = 0; i < WARM_UP + MESSAGES; i++)
            {
                if (i == WARM_UP)
                {
                    before = threads.getThreadAllocatedBytes(threadId);
                    startNs = System.nanoTime();
                }
                final UnsafeBuffer request = requests[i & 1];
                decoder.wrap(request, 0, request.capacity());
                final long nowMs = 1_800_000_000_000L + i;
                if (registrar.onRegister(decoder, source, TransportProtocol.UDP, 0, 0, nowMs, out, 0) > 0 &&
                    registrar.status() == SipStatus.OK &&
                    location.lookup(alice, nowMs, targets) == LocationService.FOUND)
                {
                    ok++;
                }
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            System.out.printf("registrar steady state: %d x (REGISTER + 200 + lookup), %d B allocated, %.1f us each%n",
                MESSAGES, allocated, elapsedNs / 1e3 / MESSAGES);

            assertEquals(WARM_UP + MESSAGES, ok);
            assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + MESSAGES + " REGISTERs");
        }
    }
}
