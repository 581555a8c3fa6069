package io.corral.engine.status;

import java.nio.file.Paths;

/**
 * Run in a child JVM by {@link StatusFileTest}: reads a status file from another process and tries the member lock.
 */
public final class StatusFileChild
{
    private StatusFileChild()
    {
    }

    /**
     * @param args the data dir.
     */
    public static void main(final String[] args)
    {
        try (StatusFileReader reader = StatusFileReader.openDataDir(Paths.get(args[0])))
        {
            System.out.println("ready=" + reader.isReady() + " member=" + reader.memberId() + " pid=" + reader.pid() +
                " alive=" + reader.isMemberAlive());
            reader.countersReader().forEach((counterId, typeId, keyBuffer, label) -> System.out.println(
                "counter " + counterId + "=" + reader.countersReader().getCounterValue(counterId) + " " + label));
        }
        try
        {
            MemberLock.acquire(Paths.get(args[0])).close();
            System.out.println("lock acquired");
        }
        catch (final MemberLockedException ex)
        {
            System.out.println("lock refused: " + ex.getMessage());
        }
    }
}
