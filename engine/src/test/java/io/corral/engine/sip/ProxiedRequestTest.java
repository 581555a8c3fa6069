package io.corral.engine.sip;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.transaction.TransactionLayer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxiedRequestTest
{
    private final ProxiedRequest request = new ProxiedRequest(185_000, 1024);
    private final PeerAddress address = new PeerAddress().ipv4(0x7F00_0001, 5080);

    private void addContacts(final int... qs)
    {
        request.targetKind = ProxiedRequest.TARGET_CONTACTS;
        for (int i = 0; i < qs.length; i++)
        {
            final UnsafeBuffer uri = new UnsafeBuffer(("sip:bob@127.0.0.1:" + (5080 + i))
                .getBytes(StandardCharsets.US_ASCII));
            assertTrue(request.addContact(uri, 0, uri.capacity(), qs[i], address, TransportProtocol.UDP,
                TransactionLayer.NULL_ID));
        }
    }

    @Test
    void shouldStartEveryContactAtOnceWhenParallel()
    {
        addContacts(1000, 500, 500);

        assertEquals(3, request.nextContactGroup());
        request.nextContact += 3;
        assertEquals(0, request.nextContactGroup());
        assertFalse(request.hasMoreTargets(SipStatus.NOT_FOUND));
    }

    @Test
    void shouldStartEqualQTogetherByDescendingQWhenSerial()
    {
        request.serialForking = true;
        addContacts(1000, 500, 500, 100);

        assertEquals(1, request.nextContactGroup());
        request.nextContact += 1;
        assertTrue(request.hasMoreTargets(486));
        assertEquals(2, request.nextContactGroup());
        request.nextContact += 2;
        assertEquals(1, request.nextContactGroup());
        request.nextContact += 1;
        assertFalse(request.hasMoreTargets(486));
    }

    @Test
    void shouldKeepTheContactUriForItsBranch()
    {
        addContacts(1000, 1000);

        final int offset = ProxiedRequest.contactUriOffset(1);
        assertEquals("sip:bob@127.0.0.1:5081", request.contactUris.getStringWithoutLengthAscii(
            offset, request.contactUriLength[1]));
        assertEquals(5080, request.contactAddress[1].port());
    }

    @Test
    void shouldFailOverToTheNextBackendOnlyAfterTimeoutOrServerError()
    {
        request.targetKind = ProxiedRequest.TARGET_BACKENDS;

        assertTrue(request.hasMoreTargets(SipStatus.REQUEST_TIMEOUT));
        assertTrue(request.hasMoreTargets(SipStatus.SERVICE_UNAVAILABLE));
        assertTrue(request.hasMoreTargets(500));
        assertFalse(request.hasMoreTargets(486));
        assertFalse(request.hasMoreTargets(603));
    }
}
