package io.corral.perf.gen;

import java.net.InetSocketAddress;

/**
 * What the UAC of one run does: the workload, its open-loop rate and count, where requests go and the SIP timers.
 *
 * @param workload  what each operation is.
 * @param ratePerS  operations started per second.
 * @param count     operations at {@code ratePerS}.
 * @param tailRatePerS operations per second after the first {@code count} (the recovery window of an overload).
 * @param tailCount operations at the tail rate (0: none).
 * @param holdMs    how long an established call is held before its BYE.
 * @param t1Ms      RFC 3261 T1: first retransmission interval; 64*T1 is the transaction timeout.
 * @param t2Ms      RFC 3261 T2: cap of the non-INVITE retransmission interval.
 * @param nextHop   where out-of-dialog requests go (the target, or the UAS for the generator alone).
 * @param uas       the UAS: host and port of the Request-URI of calls and OPTIONS.
 * @param domain    host of REGISTER's Request-URI and of the users' AORs.
 * @param password  password of every user, answered to digest challenges.
 * @param userBase  operation {@code n} registers user {@code u<(userBase + n) % users>}.
 * @param users     how many users exist.
 * @param run       tag written in every Call-ID and branch of the run.
 */
public record UacSettings(
    Workload workload,
    double ratePerS,
    long count,
    double tailRatePerS,
    long tailCount,
    long holdMs,
    long t1Ms,
    long t2Ms,
    InetSocketAddress nextHop,
    InetSocketAddress uas,
    String domain,
    String password,
    long userBase,
    long users,
    int run)
{
    /**
     * @param number an operation's number.
     * @return the number of the user it registers.
     */
    public long user(final long number)
    {
        return (userBase + number) % users;
    }

    /**
     * @return seconds over which operations are offered.
     */
    public double offerSeconds()
    {
        return count / ratePerS + tailCount / tailRatePerS;
    }

    /**
     * @return operations in the run.
     */
    public long totalCount()
    {
        return count + tailCount;
    }
}
