package io.corral.perf.scenario;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a lab invocation can be told; the command line fills it.
 *
 * @param stepSeconds       length of one load step's offer window.
 * @param holdMs            how long calls are held before BYE.
 * @param rate              fixed rate of calls-latency, mixed and register-storm (operations per second).
 * @param startRate         first rate of a search.
 * @param maxRate           highest rate a search tries.
 * @param searchSteps       most steps of a search.
 * @param warmupSeconds     unreported warm-up (at {@code min(rate, 1000)}/s) after every (re)start of a target, and
 *                          again at the rate of each measured step above that.
 * @param overloadSeconds   how long an overload step offers twice the maximum.
 * @param recoverySeconds   how long it then offers half the maximum.
 * @param knownMax          measured maximum calls/s per target for overload (else a short search runs first).
 * @param auth              registrar scenarios use MD5 digest.
 * @param users             users that exist for digest (user numbers wrap at this).
 * @param stormUsers        users re-registering in register-storm.
 * @param turns             turns of a comparison (A B A B ...).
 * @param pauseSeconds      pause between steps.
 * @param kamailioStateless Kamailio proxies statelessly instead of stateful + dialog.
 * @param corralProfile     extra properties for Corral (null: none).
 * @param maxP99Ms          a passing search step's p99 latency (setup or REGISTER) is below this, in ms.
 * @param reference         calls-max: the target at half of whose maximum every target's setup latency is measured
 *                          (null: the last target).
 * @param socketBufferBytes UDP receive buffer every target asks for (Corral's {@code corral.sip.socket.rcvbuf.bytes},
 *                          Kamailio's {@code -b}); the kernel grants at most {@code net.core.rmem_max}.
 */
public record LabOptions(
    int stepSeconds,
    long holdMs,
    double rate,
    double startRate,
    double maxRate,
    int searchSteps,
    int warmupSeconds,
    int overloadSeconds,
    int recoverySeconds,
    Map<String, Double> knownMax,
    boolean auth,
    long users,
    long stormUsers,
    int turns,
    int pauseSeconds,
    boolean kamailioStateless,
    Path corralProfile,
    long maxP99Ms,
    String reference,
    int socketBufferBytes)
{
    /**
     * @return how long in-progress operations may finish after the last one was due, in ms: the hold, the BYE and
     * a margin of 5 s; calls still open then count as unfinished (failed).
     */
    public long drainMs()
    {
        return holdMs + 5_000;
    }
}
