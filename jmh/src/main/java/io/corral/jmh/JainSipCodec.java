package io.corral.jmh;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;

import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The JAIN-SIP reference implementation ({@code javax.sip:jain-sip-ri}) doing each benchmarked operation the way a
 * JAIN-SIP proxy does it: {@link StringMsgParser} builds a {@link SIPRequest} with every header parsed into
 * objects, edits go through the header API and {@code encodeAsBytes} re-encodes the whole message; SDP goes through
 * the {@code javax.sdp} API bundled in the same jar.
 */
public final class JainSipCodec
{
    private static final String RTCP = "rtcp";
    private static final String RTCP_PORT = Integer.toString(InviteFixture.MEDIA_PORT + 1);

    private final StringMsgParser parser = new StringMsgParser();
    private final HeaderFactoryImpl headerFactory = new HeaderFactoryImpl();
    private final SdpFactory sdpFactory = SdpFactory.getInstance();
    private final Address recordRoute;

    /**
     * Build a codec; the proxy's own Record-Route address is parsed once, as a proxy caches it.
     */
    public JainSipCodec()
    {
        try
        {
            recordRoute = new AddressFactoryImpl().createAddress(InviteFixture.RECORD_ROUTE);
        }
        catch (final ParseException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Parse a request and read what a proxy reads on every request.
     *
     * @param message the received bytes.
     * @param sink    receives the fields.
     * @return the parsed request.
     * @throws ParseException if JAIN-SIP rejects the message.
     */
    public SIPRequest decode(final byte[] message, final FieldSink sink) throws ParseException
    {
        final SIPRequest request = (SIPRequest)parser.parseSIPMessage(message, true, false, null);
        sink.onObject(FieldSink.METHOD, request.getMethod());
        sink.onObject(FieldSink.REQUEST_URI, request.getRequestURI());
        sink.onObject(FieldSink.VIA_BRANCH, request.getTopmostVia().getBranch());
        sink.onObject(FieldSink.CALL_ID, request.getCallId().getCallId());
        sink.onNumber(FieldSink.CSEQ_NUMBER, request.getCSeq().getSeqNumber());
        sink.onObject(FieldSink.CSEQ_METHOD, request.getCSeq().getMethod());
        sink.onObject(FieldSink.FROM_TAG, request.getFromTag());
        sink.onObject(FieldSink.TO_TAG, request.getToTag());
        sink.onNumber(FieldSink.MAX_FORWARDS, request.getMaxForwards().getMaxForwards());
        sink.onNumber(FieldSink.CONTENT_LENGTH, request.getContentLength().getContentLength());
        return request;
    }

    /**
     * Decode, then forward: push this proxy's Via, decrement Max-Forwards, add its Record-Route, encode.
     *
     * @param message the received bytes.
     * @param sink    receives the decoded fields.
     * @return the bytes to send.
     * @throws ParseException           if JAIN-SIP rejects the message.
     * @throws InvalidArgumentException if JAIN-SIP rejects the new Via.
     * @throws SipException             if JAIN-SIP rejects an edit (Max-Forwards already zero).
     */
    public byte[] forward(final byte[] message, final FieldSink sink)
        throws ParseException, InvalidArgumentException, SipException
    {
        final SIPRequest request = decode(message, sink);
        request.addFirst(headerFactory.createViaHeader(
            InviteFixture.PROXY_HOST, InviteFixture.PROXY_PORT, "UDP", InviteFixture.PROXY_BRANCH));
        request.getMaxForwards().decrementMaxForwards();
        request.addHeader(headerFactory.createRecordRouteHeader(recordRoute));
        return request.encodeAsBytes("UDP");
    }

    /**
     * Parse the request and its SDP, point the {@code c=} address and the first {@code m=} port (and its
     * {@code a=rtcp} port) at the media relay.
     *
     * @param message the received bytes.
     * @return the rewritten SDP body.
     * @throws ParseException if JAIN-SIP rejects the message.
     * @throws SdpException   if JAIN-SIP rejects the SDP or an edit.
     */
    public byte[] rewriteSdp(final byte[] message) throws ParseException, SdpException
    {
        final SIPRequest request = (SIPRequest)parser.parseSIPMessage(message, true, false, null);
        final SessionDescription sdp = sdpFactory.createSessionDescription(
            new String(request.getRawContent(), StandardCharsets.UTF_8));
        sdp.getConnection().setAddress(InviteFixture.MEDIA_ADDRESS);
        final MediaDescription audio = (MediaDescription)sdp.getMediaDescriptions(false).get(0);
        audio.getMedia().setMediaPort(InviteFixture.MEDIA_PORT);
        if (null != audio.getAttribute(RTCP))
        {
            audio.setAttribute(RTCP, RTCP_PORT);
        }
        return sdp.toString().getBytes(StandardCharsets.UTF_8);
    }
}
