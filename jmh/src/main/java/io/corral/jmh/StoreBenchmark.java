package io.corral.jmh;

import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogDescriptor;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.dialog.DialogKey;
import io.corral.state.dialog.DialogState;
import io.corral.state.dialog.DialogStore;
import io.corral.state.dialog.DialogStoreContext;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import io.corral.state.registration.RegistrationStoreContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The dialog and registration stores (Chronicle Map files in a temporary directory) holding 10,000 entries: get a
 * dialog by its key, create and remove one (a call's life), get an address-of-record's bindings, and put a refreshed
 * binding (a re-REGISTER).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StoreBenchmark
{
    private static final int ENTRIES = 10_000;
    private static final long NOW_MS = 1_800_000_000_000L;

    private Path dir;
    private DialogStore dialogs;
    private RegistrationStore registrations;
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * ENTRIES + 64));
    private final DialogKey[] keys = new DialogKey[ENTRIES];
    private final DialogKey extraKey = new DialogKey();
    private final DialogFlyweight dialog =
        new DialogFlyweight().wrap(new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);
    private final AddressOfRecord[] aors = new AddressOfRecord[ENTRIES];
    private RegistrationFlyweight binding;
    private final long[] versions = new long[ENTRIES];
    private int next;
    private long nowMs = NOW_MS;

    /**
     * Open both stores and fill them.
     *
     * @throws IOException if the temporary directory cannot be made.
     */
    @Setup
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("corral-jmh-store");
        dialogs = DialogStore.open(new DialogStoreContext().dataDir(dir).memberId(1).maxEntries(ENTRIES * 2)
            .listener(StateChangeListener.NO_OP));
        registrations = RegistrationStore.open(new RegistrationStoreContext().dataDir(dir).memberId(1)
            .maxEntries(ENTRIES * 2).listener(StateChangeListener.NO_OP));
        binding = registrations.newRecord();
        for (int i = 0; i < ENTRIES; i++)
        {
            keys[i] = key(new DialogKey(), i);
            fill(i);
            dialogs.create(keys[i], dialog, NOW_MS);
            aors[i] = new AddressOfRecord();
            aors[i].set("user" + i + "@example.com");
            bind(i);
            registrations.put(aors[i], binding, 0, NOW_MS);
            versions[i] = registrations.find(aors[i], binding);
        }
        key(extraKey, ENTRIES);
    }

    /**
     * Close the stores and delete their files.
     *
     * @throws IOException if a file cannot be deleted.
     */
    @TearDown
    public void tearDown() throws IOException
    {
        dialogs.close();
        registrations.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }

    /**
     * @return whether the dialog was found, for JMH to consume.
     */
    @Benchmark
    public boolean dialogGet()
    {
        next = (next + 1) % ENTRIES;
        return dialogs.find(keys[next], dialog);
    }

    /**
     * @return the remove result, for JMH to consume.
     */
    @Benchmark
    public int dialogCreateAndRemove()
    {
        fill(ENTRIES);
        dialogs.create(extraKey, dialog, nowMs);
        return dialogs.remove(extraKey, nowMs);
    }

    /**
     * @return the version found, for JMH to consume.
     */
    @Benchmark
    public long registrationGet()
    {
        next = (next + 1) % ENTRIES;
        return registrations.find(aors[next], binding);
    }

    /**
     * @return the put result, for JMH to consume.
     */
    @Benchmark
    public int registrationRefresh()
    {
        next = (next + 1) % ENTRIES;
        versions[next] = registrations.find(aors[next], binding);
        nowMs++;
        binding.expiresMs(0, nowMs + 3_600_000).cseq(0, nowMs);
        return registrations.put(aors[next], binding, versions[next], nowMs);
    }

    private DialogKey key(final DialogKey key, final int i)
    {
        final int at = i * 64;
        final int callIdLength = message.putStringWithoutLengthAscii(at, "call-" + i + "@10.0.0.1");
        final int fromLength = message.putStringWithoutLengthAscii(at + 40, "f" + i);
        final int toLength = message.putStringWithoutLengthAscii(at + 52, "t" + i);
        return key.set(message, at, callIdLength, at + 40, fromLength, at + 52, toLength);
    }

    private void fill(final int i)
    {
        final int at = i * 64;
        dialog.clear();
        dialog.state(DialogState.CONFIRMED);
        dialog.callId(message, at, callIdLength(at));
        dialog.tag(DialogFlyweight.CALLER, message, at + 40, tagLength(at + 40));
        dialog.tag(DialogFlyweight.CALLEE, message, at + 52, tagLength(at + 52));
        dialog.cseq(DialogFlyweight.CALLER, 1);
        dialog.inviteCSeq(1);
    }

    private int callIdLength(final int at)
    {
        int length = 0;
        while (length < 40 && message.getByte(at + length) != 0)
        {
            length++;
        }
        return length;
    }

    private int tagLength(final int at)
    {
        int length = 0;
        while (length < 12 && message.getByte(at + length) != 0)
        {
            length++;
        }
        return length;
    }

    private void bind(final int i)
    {
        binding.clear();
        final int contact = binding.addContact();
        final byte[] uri = ("sip:user" + i + "@192.0.2.1:5060").getBytes(StandardCharsets.US_ASCII);
        final byte[] callId = ("reg-" + i).getBytes(StandardCharsets.US_ASCII);
        binding.uri(contact, new UnsafeBuffer(uri), 0, uri.length);
        binding.callId(contact, new UnsafeBuffer(callId), 0, callId.length);
        binding.q(contact, 1000).expiresMs(contact, NOW_MS + 3_600_000).cseq(contact, 1)
            .registeredMs(contact, NOW_MS);
        binding.sourceIpv4(contact, 1, 0xC0000201, 5060).localSocket(contact, 0, 0);
    }
}
