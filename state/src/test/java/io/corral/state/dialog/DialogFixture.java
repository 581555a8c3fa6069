package io.corral.state.dialog;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A dialog's identity laid out in a direct buffer the way a decoded SIP message holds it, and a filled record.
 */
final class DialogFixture
{
    final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    int callIdOffset;
    int callIdLength;
    int fromTagOffset;
    int fromTagLength;
    int toTagOffset;
    int toTagLength;
    private int end;

    DialogFixture set(final String callId, final String fromTag, final String toTag)
    {
        end = 0;
        callIdOffset = append(callId);
        callIdLength = callId.length();
        fromTagOffset = append(fromTag);
        fromTagLength = fromTag.length();
        toTagOffset = append(toTag);
        toTagLength = toTag.length();
        return this;
    }

    /** Key of a request from the caller: From-tag is the caller's tag. */
    DialogKey fromCaller(final DialogKey key)
    {
        return key.set(message, callIdOffset, callIdLength, fromTagOffset, fromTagLength, toTagOffset, toTagLength);
    }

    /** Key of a request from the callee: its From-tag is the callee's tag, so the tags are swapped. */
    DialogKey fromCallee(final DialogKey key)
    {
        return key.set(message, callIdOffset, callIdLength, toTagOffset, toTagLength, fromTagOffset, fromTagLength);
    }

    DialogFlyweight fill(final DialogFlyweight dialog, final int state)
    {
        dialog.clear();
        dialog.state(state);
        dialog.callId(message, callIdOffset, callIdLength);
        dialog.tag(DialogFlyweight.CALLER, message, fromTagOffset, fromTagLength);
        dialog.tag(DialogFlyweight.CALLEE, message, toTagOffset, toTagLength);
        final int callerContact = append("sip:alice@192.0.2.10:5060");
        dialog.contact(DialogFlyweight.CALLER, message, callerContact, 25);
        final int calleeContact = append("sip:bob@198.51.100.20:5080;transport=tcp");
        dialog.contact(DialogFlyweight.CALLEE, message, calleeContact, 40);
        dialog.remoteIpv4(DialogFlyweight.CALLER, DialogDescriptor.TRANSPORT_UDP, 0xC000_020A, 5060);
        dialog.remoteIpv4(DialogFlyweight.CALLEE, DialogDescriptor.TRANSPORT_TCP, 0xC633_6414, 5080);
        dialog.cseq(DialogFlyweight.CALLER, 101);
        dialog.inviteCSeq(101);
        final int route = append("<sip:10.0.0.1;lr;m=7>");
        dialog.addRoute(message, route, 21);
        end -= 25 + 40 + 21;
        return dialog;
    }

    static DialogFlyweight newRecord()
    {
        return new DialogFlyweight().wrap(new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);
    }

    private int append(final String text)
    {
        final int at = end;
        message.putStringWithoutLengthAscii(at, text);
        end += text.length();
        return at;
    }
}
