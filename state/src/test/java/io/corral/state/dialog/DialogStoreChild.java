package io.corral.state.dialog;

import java.io.IOException;
import java.nio.file.Paths;

/**
 * Main of the child JVMs started by {@link DialogStoreProcessTest}.
 * <ul>
 *   <li>{@code write DATA_DIR COUNT}: create COUNT dialogs {@code crash-i} (tags {@code f-i}, {@code t-i}), confirm
 *   the even ones, print {@code READY}, then refresh dialogs in a loop, printing {@code TOUCHING} after 10,000 (so a
 *   segment lock is likely held when the parent kills it), until killed or stdin has input.</li>
 *   <li>{@code read DATA_DIR CALL_ID TAG_A TAG_B}: open read-only, print {@code FOUND <state>} or
 *   {@code NOT_FOUND}.</li>
 * </ul>
 */
public final class DialogStoreChild
{
    private DialogStoreChild()
    {
    }

    /**
     * @param args see the class comment.
     * @throws IOException if stdin fails.
     */
    public static void main(final String[] args) throws IOException
    {
        if ("write".equals(args[0]))
        {
            write(args[1], Integer.parseInt(args[2]));
        }
        else
        {
            read(args[1], args[2], args[3], args[4]);
        }
    }

    private static void write(final String dataDir, final int count) throws IOException
    {
        final DialogStore store = DialogStore.open(new DialogStoreContext().dataDir(Paths.get(dataDir)).memberId(3));
        final DialogFixture fixture = new DialogFixture();
        final DialogKey key = new DialogKey();
        final DialogFlyweight record = DialogFixture.newRecord();
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++)
        {
            fixture.set("crash-" + i, "f-" + i, "t-" + i);
            check(store.create(fixture.fromCaller(key), fixture.fill(record, DialogState.EARLY), now));
            if ((i & 1) == 0)
            {
                check(store.confirm(fixture.fromCallee(key), now));
            }
        }
        System.out.println("READY");
        System.out.flush();
        final DialogKey[] keys = new DialogKey[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = new DialogFixture().set("crash-" + i, "f-" + i, "t-" + i).fromCaller(new DialogKey());
        }
        for (long n = 0; System.in.available() == 0 && n < 50_000_000L; n++)
        {
            check(store.touch(keys[(int)(n % count)], ++now));
            if (n == 10_000)
            {
                System.out.println("TOUCHING");
                System.out.flush();
            }
        }
    }

    private static void check(final int result)
    {
        if (result != DialogStore.RESULT_OK)
        {
            throw new IllegalStateException("result " + result);
        }
    }

    private static void read(final String dataDir, final String callId, final String tagA, final String tagB)
    {
        try (DialogStore store = DialogStore.open(
            new DialogStoreContext().dataDir(Paths.get(dataDir)).readOnly(true)))
        {
            final DialogFlyweight record = DialogFixture.newRecord();
            final DialogKey key = new DialogFixture().set(callId, tagA, tagB).fromCaller(new DialogKey());
            System.out.println(store.find(key, record) ? "FOUND " + DialogState.name(record.state()) : "NOT_FOUND");
        }
    }
}
