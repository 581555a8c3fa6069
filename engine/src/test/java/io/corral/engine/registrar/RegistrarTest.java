package io.corral.engine.registrar;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import io.corral.state.registration.RegistrationStoreContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistrarTest
{
    private static final long NOW = 1_289_690_940_000L;
    private static final PeerAddress SOURCE = new PeerAddress().ipv4(0xC000020A, 5060);

    @TempDir
    Path dataDir;

    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(16384));
    private RegistrationStore store;
    private Registrar registrar;
    private LocationService location;
    private Location targets;

    private void open(final int maxContacts, final long defaultExpires, final KnownUsers users)
    {
        store = RegistrationStore.open(new RegistrationStoreContext().dataDir(dataDir).memberId(2).maxEntries(100)
            .maxContacts(maxContacts));
        registrar = new Registrar(RegistrarFixtures.context(defaultExpires), store);
        location = new LocationService(store, users);
        targets = new Location(store);
    }

    @AfterEach
    void close()
    {
        if (store != null)
        {
            store.close();
        }
    }

    private String register(final String fixture, final long nowMs)
    {
        final int length = registrar.onRegister(RegistrarFixtures.decode(fixture), SOURCE, TransportProtocol.UDP, 1,
            0, nowMs, out, 0);
        assertTrue(length > 0, fixture);
        return out.getStringWithoutLengthAscii(0, length);
    }

    private static AddressOfRecord alice()
    {
        final AddressOfRecord aor = new AddressOfRecord();
        aor.set("alice@example.com");
        return aor;
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<String> contactLines(final String response)
    {
        return response.lines().filter(l -> l.startsWith("Contact:")).toList();
    }

    @Test
    void shouldStoreBindingAndListItWhenAdded()
    {
        open(10, 3600, KnownUsers.NONE);
        final String response = register("add", NOW);
        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-add-1;rport=5060;received=192.0.2.10\r\n"), response);
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=3600"), contactLines(response));
        assertTrue(response.contains("\r\nDate: Sat, 13 Nov 2010 23:29:00 GMT\r\n"), response);
        assertTrue(response.contains("\r\nCall-ID: reg-1@192.0.2.10\r\n"), response);
        assertFalse(response.contains("Path:"), response);

        final RegistrationFlyweight record = store.newRecord();
        assertTrue(store.find(alice(), record) > 0);
        assertEquals(1, record.contactCount());
        assertEquals("sip:alice@192.0.2.10:5060", record.uriAsString(0));
        assertEquals("reg-1@192.0.2.10", record.callIdAsString(0));
        assertEquals(1, record.cseq(0));
        assertEquals(NOW + 3_600_000, record.expiresMs(0));
        assertEquals(0xC000020A, record.ipv4(0));
        assertEquals(5060, record.port(0));
        assertEquals(TransportProtocol.UDP, record.transport(0));
        assertEquals(1, record.agentIndex(0));
        assertFalse(record.isNat(0));
    }

    @Test
    void shouldSweepExpiredBindingsAtMostOncePerInterval()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final long expiresMs = NOW + 3_600_000;

        assertEquals(0, registrar.sweep(expiresMs - 500, 100), "nothing expired yet");
        assertEquals(0, registrar.sweep(expiresMs + 400, 100), "expired, but the next sweep is not due");
        assertTrue(store.find(alice(), store.newRecord()) > 0);
        assertEquals(1, registrar.sweep(expiresMs + 500, 100));
        assertEquals(0, store.find(alice(), store.newRecord()));
    }

    @Test
    void shouldNotMarkNatWhenContactNamesTheSourceAddressWithAnotherPort()
    {
        open(10, 3600, KnownUsers.NONE);
        final PeerAddress otherPort = new PeerAddress().ipv4(0xC000020A, 40_000);
        assertTrue(registrar.onRegister(RegistrarFixtures.decode("add"), otherPort, TransportProtocol.UDP, 0, 0, NOW,
            out, 0) > 0);
        final RegistrationFlyweight record = store.newRecord();
        store.find(alice(), record);
        assertFalse(record.isNat(0), "the UA knows its address: reached at its Contact");
        assertEquals(40_000, record.port(0));
    }

    @Test
    void shouldRefreshBindingWhenCSeqIsHigher()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final String response = register("refresh", NOW + 10_000);
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=1800"), contactLines(response));
        final RegistrationFlyweight record = store.newRecord();
        store.find(alice(), record);
        assertEquals(1, record.contactCount());
        assertEquals(2, record.cseq(0));
    }

    @Test
    void shouldRejectWhenCSeqIsNotHigherForSameCallId()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        register("refresh", NOW);
        assertTrue(register("lower-cseq", NOW).startsWith("SIP/2.0 400 Out of order CSeq\r\n"));
        assertTrue(register("refresh", NOW + 1).startsWith("SIP/2.0 400 Out of order CSeq\r\n"));
        final RegistrationFlyweight record = store.newRecord();
        store.find(alice(), record);
        assertEquals(2, record.cseq(0));
        assertEquals(NOW + 1_800_000, record.expiresMs(0));
    }

    @Test
    void shouldListContactsByQWhenSeveralRegister()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final String response = register("two-contacts", NOW);
        assertEquals(List.of(
            "Contact: <sip:alice@192.0.2.10:5060>;expires=600;q=0.5",
            "Contact: <sip:alice@10.0.0.8:5070>;expires=120;q=1"), contactLines(response));

        assertEquals(LocationService.FOUND, location.lookup(alice(), NOW, targets));
        assertEquals(2, targets.count());
        assertEquals("sip:alice@10.0.0.8:5070", targets.uriAsString(0));
        assertTrue(targets.isNat(0), "contact URI is not the source it registered from");
        assertEquals(0xC000020A, targets.ipv4(0));
        assertEquals(5060, targets.port(0));
        assertEquals("sip:alice@192.0.2.10:5060", targets.uriAsString(1));
        assertEquals(500, targets.q(1));

        assertEquals(LocationService.FOUND, location.lookup(alice(), NOW + 120_000, targets));
        assertEquals(1, targets.count(), "the expired contact is not a target");
        assertEquals("sip:alice@192.0.2.10:5060", targets.uriAsString(0));
    }

    @Test
    void shouldRemoveOnlyTheFailedFlowsBindingWhenAskedTo()
    {
        open(10, 3600, KnownUsers.NONE);
        register("two-contacts", NOW);
        final SipUriDecoder user = new SipUriDecoder();
        final UnsafeBuffer uri = ascii("sip:alice@EXAMPLE.com:5060;transport=tcp");
        assertTrue(user.wrap(uri, 0, uri.capacity()));
        final UnsafeBuffer flow = ascii("sip:alice@10.0.0.8:5070");

        assertTrue(registrar.removeBinding(user, flow, 0, flow.capacity(), NOW + 1000));
        assertFalse(registrar.removeBinding(user, flow, 0, flow.capacity(), NOW + 2000), "already gone");

        assertEquals(LocationService.FOUND, location.lookup(alice(), NOW + 3000, targets));
        assertEquals(1, targets.count());
        assertEquals("sip:alice@192.0.2.10:5060", targets.uriAsString(0));
    }

    @Test
    void shouldRemoveContactWhenExpiresParamIsZero()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final String response = register("expires-param-zero", NOW);
        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n"), response);
        assertEquals(List.of(), contactLines(response));
        assertEquals(0, store.size());
    }

    @Test
    void shouldRemoveEveryBindingWhenStarWithExpiresZero()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        register("two-contacts", NOW);
        final String response = register("star", NOW);
        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n"), response);
        assertEquals(List.of(), contactLines(response));
        assertEquals(0, store.size());
        assertEquals(LocationService.UNKNOWN_USER, location.lookup(alice(), NOW, targets));
    }

    @Test
    void shouldAnswer400WhenStarHasNonZeroExpiresOrOtherContacts()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        assertTrue(register("star-nonzero", NOW).startsWith("SIP/2.0 400 "));
        assertTrue(register("star-with-other", NOW).startsWith("SIP/2.0 400 "));
        assertEquals(1, store.size());
    }

    @Test
    void shouldAnswer400AndStoreNothingWhenAnyContactIsMalformed()
    {
        open(10, 3600, KnownUsers.NONE);

        assertTrue(register("bad-contact", NOW).startsWith("SIP/2.0 400 Bad Contact\r\n"));
        assertEquals(0, store.size());
    }

    @Test
    void shouldRequireOutboundWhenTheUaSupportsItAndRegistersAFlow()
    {
        open(10, 3600, KnownUsers.NONE);

        final String flow = register("outbound", NOW);
        final String instanceWithoutOutbound = register("path", NOW);
        final String plain = register("add", NOW);

        assertTrue(flow.startsWith("SIP/2.0 200 OK\r\n"), flow);
        assertTrue(flow.contains("\r\nRequire: outbound\r\n"), flow);
        assertFalse(instanceWithoutOutbound.contains("Require:"), instanceWithoutOutbound);
        assertFalse(plain.contains("Require:"), plain);
    }

    @Test
    void shouldAnswer423WithMinExpiresWhenTooBrief()
    {
        open(10, 3600, KnownUsers.NONE);
        final String response = register("brief", NOW);
        assertTrue(response.startsWith("SIP/2.0 423 Interval Too Brief\r\n"), response);
        assertTrue(response.contains("\r\nMin-Expires: 60\r\n"), response);
        assertEquals(0, store.size());
    }

    @Test
    void shouldCapExpiresWhenAboveMaximumAndUseDefaultWhenNone()
    {
        open(10, 1200, KnownUsers.NONE);
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=3600"),
            contactLines(register("long", NOW)));
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=1200"),
            contactLines(register("no-expires", NOW)));
    }

    @Test
    void shouldStorePathAndInstanceAndEchoPathWhenPathIsPresent()
    {
        open(10, 3600, KnownUsers.NONE);
        final String response = register("path", NOW);
        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n"), response);
        assertTrue(response.contains("\r\nPath: <sip:edge1.example.com;lr>,<sip:edge2.example.com;lr>\r\n"), response);
        assertTrue(response.contains("\r\nSupported: path\r\n"), response);

        assertEquals(LocationService.FOUND, location.lookup(alice(), NOW, targets));
        assertEquals("<sip:edge1.example.com;lr>,<sip:edge2.example.com;lr>",
            targets.buffer().getStringWithoutLengthAscii(targets.pathOffset(0), targets.pathLength(0)));
        assertEquals("\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"",
            targets.buffer().getStringWithoutLengthAscii(targets.instanceOffset(0), targets.instanceLength(0)));
        assertEquals(1, targets.regId(0));
    }

    @Test
    void shouldTellANattedUaItsPublicAddressInTheTopVia()
    {
        open(10, 3600, KnownUsers.NONE);
        final String response = register("add-nat", NOW);

        assertTrue(response.startsWith("SIP/2.0 200 OK\r\n" +
            "Via: SIP/2.0/UDP 10.0.0.5:5062;rport=5060;branch=z9hG4bK-nat-1;received=192.0.2.10\r\n"), response);
        assertEquals(List.of("Contact: <sip:alice@10.0.0.5:5062>;expires=600"), contactLines(response));
        final RegistrationFlyweight record = store.newRecord();
        assertTrue(store.find(alice(), record) > 0);
        assertTrue(record.isNat(0));
        assertEquals(5060, record.port(0));
    }

    @Test
    void shouldAnswer403AndStoreNothingWhenTooManyContacts()
    {
        open(3, 3600, KnownUsers.NONE);
        final String response = register("four-contacts", NOW);
        assertTrue(response.startsWith("SIP/2.0 403 Too many registered contacts\r\n"), response);
        assertEquals(0, store.size());
    }

    @Test
    void shouldAnswer404WhenDomainIsNotServed()
    {
        open(10, 3600, KnownUsers.NONE);
        assertTrue(register("other-domain", NOW).startsWith("SIP/2.0 404 Not Found\r\n"));
        assertTrue(register("no-user", NOW).startsWith("SIP/2.0 400 No user in To URI\r\n"));
        assertEquals(0, store.size());
    }

    @Test
    void shouldServeOwnHostsWhenNoDomainIsConfigured()
    {
        store = RegistrationStore.open(new RegistrationStoreContext().dataDir(dataDir).memberId(2).maxEntries(100));
        registrar = new Registrar(new RegistrarContext(List.of(), RegistrarFixtures.proxyContext("example.com"), 60,
            3600, 3600, 1000), store);
        assertTrue(register("add", NOW).startsWith("SIP/2.0 200 OK\r\n"));
        assertTrue(register("other-domain", NOW).startsWith("SIP/2.0 404 Not Found\r\n"));
    }

    @Test
    void shouldFoldSchemeAndHostCaseWhenNormalisingAor()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final String response = register("sips-upper", NOW);
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=3600"), contactLines(response));
        assertEquals(1, store.size());
        final RegistrationFlyweight record = store.newRecord();
        store.find(alice(), record);
        assertEquals("reg-5@192.0.2.10", record.callIdAsString(0));
    }

    @Test
    void shouldListBindingsWithoutChangeWhenQueried()
    {
        open(10, 3600, KnownUsers.NONE);
        register("add", NOW);
        final RegistrationFlyweight before = store.newRecord();
        final long version = store.find(alice(), before);
        assertEquals(List.of("Contact: <sip:alice@192.0.2.10:5060>;expires=3590"),
            contactLines(register("query", NOW + 10_000)));
        assertEquals(version, store.find(alice(), store.newRecord()));
    }

    @Test
    void shouldTellUnknownFromNotRegisteredWhenNoContact()
    {
        final UnsafeBuffer alice = new UnsafeBuffer("alice".getBytes(StandardCharsets.US_ASCII));
        open(10, 3600, (buffer, offset, length) -> length == alice.capacity() &&
            buffer.getStringWithoutLengthAscii(offset, length).equals("alice"));
        final SipUriDecoder uri = new SipUriDecoder();
        final UnsafeBuffer text = new UnsafeBuffer("sip:alice@example.com;transport=udp".getBytes(
            StandardCharsets.US_ASCII));
        uri.wrap(text, 0, text.capacity());
        assertEquals(LocationService.NOT_REGISTERED, location.lookup(uri, NOW, targets));
        final UnsafeBuffer bob = new UnsafeBuffer("sips:bob@Example.com".getBytes(StandardCharsets.US_ASCII));
        uri.wrap(bob, 0, bob.capacity());
        assertEquals(LocationService.UNKNOWN_USER, location.lookup(uri, NOW, targets));

        register("add", NOW);
        uri.wrap(text, 0, text.capacity());
        assertEquals(LocationService.FOUND, location.lookup(uri, NOW, targets));
        assertEquals(LocationService.NOT_REGISTERED, location.lookup(uri, NOW + 3_600_000, targets));
        assertEquals(0, targets.count());
        assertEquals(SipStatus.TEMPORARILY_UNAVAILABLE, LocationService.NOT_REGISTERED);
    }
}
