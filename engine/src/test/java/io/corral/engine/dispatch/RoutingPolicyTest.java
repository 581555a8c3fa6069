package io.corral.engine.dispatch;

import io.corral.engine.sip.codec.SipMethod;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingPolicyTest
{
    private final Dispatcher dispatcher = new Dispatcher(null, BackendsFileTest.RESOLVER);

    private RoutingDecision decide(final int method, final String user, final String host)
    {
        final byte[] bytes = (user + "@" + host).getBytes(StandardCharsets.US_ASCII);
        return dispatcher.policy().decide(method, new UnsafeBuffer(bytes), user.length() + 1, host.length(), 0,
            user.length());
    }

    @Test
    void shouldApplyFirstMatchingRuleWhenRouting()
    {
        assertTrue(dispatcher.apply("backends.conf", BackendsFileTest.parse(
            "set=pstn uri=sip:10.0.0.5",
            "set=vm uri=sip:10.0.0.6",
            "route method=REGISTER action=local",
            "route method=INVITE user=numeric action=local fallback=set:pstn",
            "route method=INVITE user=vm-* domain=*.example.com action=set:vm",
            "route method=INVITE domain=example.com action=local",
            "route method=OPTIONS action=forward",
            "route method=MESSAGE,PUBLISH action=reject")).isOk());

        assertEquals(RoutingDecision.LOCAL, decide(SipMethod.REGISTER, "alice", "example.com").action());
        final RoutingDecision number = decide(SipMethod.INVITE, "+15551234", "example.com");
        assertEquals(RoutingDecision.LOCAL, number.action());
        assertEquals(RoutingDecision.SET, number.fallback());
        assertEquals(dispatcher.setId("pstn"), number.fallbackSetId());
        assertEquals("pstn", number.fallbackSetName());
        assertEquals(4, number.line());
        final RoutingDecision voicemail = decide(SipMethod.INVITE, "vm-alice", "Voice.EXAMPLE.com");
        assertEquals(RoutingDecision.SET, voicemail.action());
        assertEquals(dispatcher.setId("vm"), voicemail.setId());
        assertEquals(RoutingDecision.LOCAL, decide(SipMethod.INVITE, "vm-alice", "example.com").action());
        assertEquals(6, decide(SipMethod.INVITE, "bob", "EXAMPLE.COM").line());
        assertSame(RoutingDecision.DEFAULT, decide(SipMethod.INVITE, "bob", "other.net"));
        assertEquals(RoutingDecision.FORWARD, decide(SipMethod.OPTIONS, "x", "other.net").action());
        final RoutingDecision rejected = decide(SipMethod.PUBLISH, "alice", "example.com");
        assertEquals(RoutingDecision.REJECT, rejected.action());
        assertEquals(405, rejected.status());
        assertSame(RoutingDecision.DEFAULT, decide(SipMethod.BYE, "alice", "example.com"));
        assertEquals(RoutingDecision.LOCAL, decide(SipMethod.INVITE, "+1", "a.b").action());
        assertSame(RoutingDecision.DEFAULT, decide(SipMethod.INVITE, "+", "a.b"));
    }

    @Test
    void shouldGiveRegistrarThenProxyWhenNoRules()
    {
        final RoutingDecision decision = decide(SipMethod.INVITE, "alice", "example.com");

        assertSame(RoutingDecision.DEFAULT, decision);
        assertEquals(RoutingDecision.LOCAL, decision.action());
        assertEquals(RoutingDecision.NONE, decision.fallback());
        assertEquals(Dispatcher.NONE, decision.setId());
    }
}
