package io.corral.engine.dispatch;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.TransportProtocol;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsFileTest
{
    static final BackendsFile.HostResolver RESOLVER = host ->
    {
        if ("media.example".equals(host))
        {
            return InetAddress.getByAddress(host, new byte[]{10, 0, 0, 9});
        }
        throw new UnknownHostException(host);
    };

    static BackendsFile.Result parse(final String... lines)
    {
        return BackendsFile.parse("backends.conf", List.of(lines), RESOLVER);
    }

    @Test
    void shouldParseSetsBackendsAndRoutesWhenFileIsGood()
    {
        final BackendsFile.Result result = parse(
            "# PSTN gateways",
            "set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:10.0.0.5:5070 weight=10 resources=pstn=32,vm=8 probe=true",
            "set=pstn uri=sip:media.example;transport=tcp resources=pstn=16",
            "",
            "set=vm uri=sips:[2001:db8::1] weight=3",
            "route method=INVITE,MESSAGE user=numeric action=set:pstn",
            "route method=REGISTER action=local",
            "route method=* domain=*.example.com action=local fallback=reject status=404");

        assertTrue(result.isOk(), result.error());
        assertEquals(3, result.backends().size());
        final BackendsFile.Backend first = result.backends().get(0);
        assertEquals("sip:10.0.0.5:5070", first.uri());
        assertEquals(new PeerAddress().ipv4(0x0A00_0005, 5070).toString(), first.address().toString());
        assertEquals(TransportProtocol.UDP, first.transport());
        assertTrue(first.probe());
        assertEquals(Map.of("pstn", 32, "vm", 8), first.resources());
        final BackendsFile.Backend second = result.backends().get(1);
        assertEquals(new PeerAddress().ipv4(0x0A00_0009, 5060).toString(), second.address().toString());
        assertEquals(TransportProtocol.TCP, second.transport());
        assertFalse(second.probe());
        final BackendsFile.Backend third = result.backends().get(2);
        assertEquals(PeerAddress.IPV6, third.address().family());
        assertEquals(5061, third.address().port());
        assertEquals(TransportProtocol.TLS, third.transport());

        assertEquals(2, result.sets().size());
        assertEquals(DispatchAlgorithm.LEAST_LOADED_RELATIVE, result.sets().get(0).algorithm());
        assertEquals("pstn", result.sets().get(0).resource());
        assertEquals(DispatchAlgorithm.ROUND_ROBIN, result.sets().get(1).algorithm());
        assertEquals(10, result.members().get(0).weight());
        assertEquals(1, result.members().get(1).weight());

        assertEquals(3, result.routes().size());
        assertArrayEquals(new int[]{SipMethod.INVITE, SipMethod.MESSAGE}, result.routes().get(0).methods());
        assertEquals("pstn", result.routes().get(0).set());
        assertEquals(RoutingDecision.REJECT, result.routes().get(2).fallback());
        assertEquals(404, result.routes().get(2).status());
        assertEquals(9, result.routes().get(2).line());
    }

    @Test
    void shouldParseTheShippedExampleWhenLoaded()
    {
        final Path example = Paths.get("..", "config", "backends.conf");
        final BackendsFile.Result result = BackendsFile.parse(example, RESOLVER);

        assertTrue(result.isOk(), result.error());
        assertFalse(result.backends().isEmpty());
        assertFalse(result.routes().isEmpty());
    }

    @Test
    void shouldNameFileLineAndTokenWhenKeyIsUnknown()
    {
        final BackendsFile.Result result = parse(
            "set=pstn uri=sip:10.0.0.5",
            "set=pstn uri=sip:10.0.0.6 wieght=2");

        assertEquals("backends.conf:2: bad token 'wieght=2': unknown key (allowed here: set, uri, weight, " +
            "resources, probe)", result.error());
    }

    @Test
    void shouldNameLineAndTokenWhenValueIsBad()
    {
        assertError("backends.conf:1: bad token 'weight=0': weight must be an integer 1..100",
            "set=a uri=sip:10.0.0.5 weight=0");
        assertError("backends.conf:1: bad token 'resources=pstn=x': resources must be an integer 1..1000000",
            "set=a uri=sip:10.0.0.5 resources=pstn=x");
        assertError("backends.conf:1: bad token 'resources=pstn': expected NAME=MAX[,NAME=MAX...], e.g. pstn=32,vm=8",
            "set=a uri=sip:10.0.0.5 resources=pstn");
        assertError("backends.conf:2: bad token 'probe=yes': expected true or false",
            "# comment", "set=a uri=sip:10.0.0.5 probe=yes");
        assertError("backends.conf:1: bad token 'uri=http://10.0.0.5': expected a sip: or sips: URI",
            "set=a uri=http://10.0.0.5");
        assertError("backends.conf:1: bad token 'uri=sip:10.0.0.5:99999': port must be an integer 1..65535",
            "set=a uri=sip:10.0.0.5:99999");
        assertError("backends.conf:1: bad token 'uri=sip:10.0.0.5;transport=sctp': transport must be udp, tcp or tls",
            "set=a uri=sip:10.0.0.5;transport=sctp");
        assertError("backends.conf:1: bad token 'algorithm=fastest': expected one of round-robin, weighted, " +
            "hash-callid, hash-from-user, least-loaded-absolute, least-loaded-relative",
            "set=a algorithm=fastest");
        assertError("backends.conf:1: bad token 'oops': expected key=value", "set=a oops");
    }

    @Test
    void shouldReportHostThatDoesNotResolveWhenLoading()
    {
        assertError("backends.conf:3: bad token 'uri=sip:gw.nowhere:5060': host 'gw.nowhere' does not resolve",
            "set=a uri=sip:10.0.0.5", "", "set=a uri=sip:gw.nowhere:5060");
    }

    @Test
    void shouldReportStructuralErrorsWithTheirLine()
    {
        assertError("backends.conf:1: bad token 'algorithm=least-loaded-absolute': a least-loaded set needs " +
            "resource=NAME (the channels it counts)", "set=a algorithm=least-loaded-absolute");
        assertError("backends.conf:2: bad token 'uri=sip:10.0.0.6': set 'a' balances resource 'pstn' but this " +
            "backend does not offer it (resources=pstn=N)",
            "set=a algorithm=least-loaded-absolute resource=pstn", "set=a uri=sip:10.0.0.6");
        assertError("backends.conf:2: bad token 'uri=sip:10.0.0.5': already in set 'a' on line 1",
            "set=a uri=sip:10.0.0.5", "set=a uri=sip:10.0.0.5");
        assertError("backends.conf:1: bad token 'set=empty': the set has no backends", "set=empty");
        assertError("backends.conf:2: bad token 'uri=sip:10.0.0.5': already defined on line 1 with other resources " +
            "or probe (a backend is one server: give them once, or the same in every set)",
            "set=a uri=sip:10.0.0.5 resources=pstn=4", "set=b uri=sip:10.0.0.5 resources=pstn=8");
        assertError("backends.conf:2: bad token 'action=set:nope': no such set",
            "set=a uri=sip:10.0.0.5", "route method=INVITE action=set:nope");
        assertError("backends.conf:1: bad token 'fallback=forward': a fallback only follows action=local",
            "route action=forward fallback=forward");
        assertError("backends.conf:1: bad token 'method=invite': unknown method 'invite' (methods are upper case, " +
            "e.g. INVITE)", "route method=invite action=local");
        assertError("backends.conf:2: bad token 'set=a': options must come before the set's first backend (line 1)",
            "set=a uri=sip:10.0.0.5", "set=a algorithm=weighted");
    }

    @Test
    void shouldReportUnreadableFileWhenMissing()
    {
        final BackendsFile.Result result = BackendsFile.parse(Paths.get("no-such-dir", "backends.conf"), RESOLVER);

        assertFalse(result.isOk());
        assertTrue(result.error().startsWith("no-such-dir/backends.conf: cannot read"), result.error());
    }

    private static void assertError(final String expected, final String... lines)
    {
        assertEquals(expected, parse(lines).error());
    }
}
