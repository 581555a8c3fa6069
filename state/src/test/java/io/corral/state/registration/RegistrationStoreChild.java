package io.corral.state.registration;

import java.io.IOException;
import java.nio.file.Paths;

/**
 * Main of the child JVMs started by {@link RegistrationStoreProcessTest}.
 * <ul>
 *   <li>{@code write DATA_DIR COUNT EXPIRES_MS}: register {@code user-i@example.com} with two contacts each, print
 *   {@code READY}, then refresh them in a loop, printing {@code REFRESHING} after 10,000 (so a segment lock is likely
 *   held when the parent kills it), until killed or stdin has input.</li>
 *   <li>{@code read DATA_DIR AOR}: open read-only, print {@code FOUND <contact count>} or {@code NOT_FOUND}.</li>
 * </ul>
 */
public final class RegistrationStoreChild
{
    private RegistrationStoreChild()
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
            write(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
        }
        else
        {
            try (RegistrationStore store = RegistrationStore.open(
                new RegistrationStoreContext().dataDir(Paths.get(args[1])).readOnly(true)))
            {
                final RegistrationFlyweight record = store.newRecord();
                System.out.println(store.find(RegistrationFixture.aor(args[2]), record) != 0 ?
                    "FOUND " + record.contactCount() : "NOT_FOUND");
            }
        }
    }

    private static void write(final String dataDir, final int count, final long expiresMs) throws IOException
    {
        final RegistrationStore store = RegistrationStore.open(
            new RegistrationStoreContext().dataDir(Paths.get(dataDir)).memberId(3).maxEntries(count * 2L));
        final AddressOfRecord[] aors = new AddressOfRecord[count];
        final RegistrationFlyweight record = store.newRecord();
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++)
        {
            aors[i] = RegistrationFixture.aor("user-" + i + "@example.com");
            record.clear();
            RegistrationFixture.addContact(record, "sip:user-" + i + "@192.0.2.1:5060", 1000, expiresMs, "c-" + i, 1);
            RegistrationFixture.addContact(record, "sip:user-" + i + "@192.0.2.2:5060", 500, expiresMs, "d-" + i, 1);
            check(store.put(aors[i], record, 0, now));
        }
        System.out.println("READY");
        System.out.flush();
        for (long n = 0; System.in.available() == 0 && n < 50_000_000L; n++)
        {
            final AddressOfRecord aor = aors[(int)(n % count)];
            final long version = store.find(aor, record);
            record.cseq(0, record.cseq(0) + 1);
            check(store.put(aor, record, version, ++now));
            if (n == 10_000)
            {
                System.out.println("REFRESHING");
                System.out.flush();
            }
        }
    }

    private static void check(final int result)
    {
        if (result != RegistrationStore.RESULT_OK)
        {
            throw new IllegalStateException("result " + result);
        }
    }
}
