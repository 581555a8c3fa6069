package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.corral.engine.proxy.ProxyFixtures.TRUSTED_SOURCE;
import static io.corral.engine.proxy.ProxyFixtures.decode;
import static io.corral.engine.proxy.ProxyFixtures.decodeBytes;
import static io.corral.engine.proxy.ProxyFixtures.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancelHandlerTest
{
    private final ProxyCore core = new ProxyCore(ProxyFixtures.context(), NextHopResolver.IP_LITERALS, 13);
    private final ResponseContext invite = new ResponseContext(185_000, 2048);
    private final CancelHandler handler = new CancelHandler(4096);
    private final SipResponseBuilder builder = new SipResponseBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
    private final List<SipMessageDecoder> sentInvites = new ArrayList<>();
    private final List<String> cancels = new ArrayList<>();
    private final CancelHandler.Branches branches = new CancelHandler.Branches()
    {
        public SipMessageDecoder sentInvite(final int branch)
        {
            return sentInvites.get(branch);
        }

        public void sendCancel(final int branch, final DirectBuffer buffer, final int offset, final int length)
        {
            cancels.add(branch + ":" + buffer.getStringWithoutLengthAscii(offset, length));
        }
    };

    private void forwardBranch()
    {
        assertEquals(ProxyCore.FORWARD, core.onRequest(
            decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        sentInvites.add(decodeBytes(out, core.length()));
        invite.addBranch(0);
    }

    private int respond(final int branch, final int status)
    {
        final int length = builder.buildResponse(sentInvites.get(branch), status, null, null, 0, -1, out, 0);
        return invite.onResponse(branch, status, out, 0, length, 0);
    }

    @Test
    void shouldAnswer200AndCancelBranchesAndForward487WhenCancelBeforeAnswer()
    {
        invite.reset(true);
        forwardBranch();
        forwardBranch();
        assertEquals(ResponseContext.FORWARD_THIS, respond(0, 180));

        final int length = handler.onCancel(decode("cancel.sip"), invite, branches, builder, out, 0);
        assertTrue(length > 0);
        final SipMessageDecoder ok = decodeBytes(out, length);
        assertEquals(SipStatus.OK, ok.statusCode());
        assertEquals(SipMethod.CANCEL, ok.cseqMethod());
        assertEquals(1, handler.cancelsSent());
        assertEquals(1, cancels.size());
        assertTrue(cancels.get(0).startsWith("0:CANCEL sip:bob@192.0.2.20 SIP/2.0\r\n"), cancels.get(0));
        final SipMessageDecoder cancel = ProxyFixtures.decodeText(cancels.get(0).substring(2));
        assertEquals(SipMessageDecoder.OK, cancel.result());
        assertEquals(header(sentInvites.get(0), HeaderName.VIA), header(cancel, HeaderName.VIA));
        assertEquals(1, cancel.count(HeaderName.VIA));
        assertEquals(314159, cancel.cseqNumber());

        // Branch 1 had no provisional yet: it is cancelled when its first one arrives (RFC 3261 §9.1).
        final int action = respond(1, 180);
        assertEquals(ResponseContext.FORWARD_THIS | ResponseContext.CANCEL_THIS, action);
        assertTrue(handler.cancelBranch(1, branches));
        assertTrue(cancels.get(1).startsWith("1:CANCEL "));

        assertEquals(ResponseContext.ABSORB, respond(0, SipStatus.REQUEST_TERMINATED));
        assertEquals(ResponseContext.FORWARD_BEST, respond(1, SipStatus.REQUEST_TERMINATED));
        assertEquals(SipStatus.REQUEST_TERMINATED, invite.bestStatus());
        final SipMessageDecoder best = decodeBytes((UnsafeBuffer)invite.bestResponse(), invite.bestResponseLength());
        assertEquals(SipStatus.REQUEST_TERMINATED, best.statusCode());
    }

    @Test
    void shouldReportNoMatchWhenNoInviteTransaction()
    {
        assertEquals(CancelHandler.NO_MATCH, handler.onCancel(decode("cancel.sip"), null, branches, builder, out, 0));
        assertTrue(cancels.isEmpty());
    }

    @Test
    void shouldAnswer200WithoutCancelsWhenInviteAlreadyAnswered()
    {
        invite.reset(true);
        forwardBranch();
        respond(0, 180);
        respond(0, 486);
        final int length = handler.onCancel(decode("cancel.sip"), invite, branches, builder, out, 0);
        assertEquals(SipStatus.OK, decodeBytes(out, length).statusCode());
        assertTrue(cancels.isEmpty());
    }
}
