package io.corral.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * Answers RFC 5389 Binding requests that arrive on the SIP UDP port: the keep-alive of an RFC 5626 outbound flow
 * (§4.4.2, §8). The answer is a Binding success response carrying XOR-MAPPED-ADDRESS, the sender's address as seen
 * here, so the UA notices when its NAT binding changed; nothing is authenticated and nothing is allocated (this is
 * not TURN). A SIP message never starts with a byte below 0x20, so a datagram whose first two bits are zero and that
 * carries the magic cookie is STUN (RFC 7983 §7).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0|     STUN Message Type     |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Magic Cookie (0x2112A442)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Transaction ID (96 bits)                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  XOR-MAPPED-ADDRESS 0x0020    |  Length (8 or 20)             |
 *  |  0x00         | Family        |  X-Port                       |
 *  |  X-Address (32 or 128 bits): address XOR cookie [+ txn id]    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * One instance per transport; not thread-safe.
 */
final class StunBindingResponder
{
    /** Bytes of the STUN header. */
    static final int HEADER_BYTES = 20;
    /** RFC 5389 §6 magic cookie. */
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int XOR_MAPPED_ADDRESS = 0x0020;

    private static final int TRANSACTION_ID_OFFSET = 8;
    private static final int TRANSACTION_ID_BYTES = 12;
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    private final UnsafeBuffer response = new UnsafeBuffer(new byte[HEADER_BYTES + 4 + 20]);

    /**
     * @return true if the datagram is a STUN message (whatever its class): it is not SIP, never deliver it.
     */
    static boolean isStun(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_BYTES && (buffer.getByte(offset) & 0xC0) == 0 &&
            buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN) == MAGIC_COOKIE;
    }

    /**
     * Build the answer to a Binding request.
     *
     * @param request  holding a datagram for which {@link #isStun} is true.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     * @param remoteId its sender.
     * @param remotes  resolves an IPv6 sender.
     * @return length of the success response in {@link #buffer()}, or 0 when there is nothing to answer (not a
     * well-formed Binding request, e.g. a response or an indication).
     */
    int answer(
        final DirectBuffer request, final int offset, final int length, final long remoteId,
        final RemoteAddressTable remotes)
    {
        final int type = request.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int bodyLength = request.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (type != BINDING_REQUEST || bodyLength != length - HEADER_BYTES || (bodyLength & 3) != 0)
        {
            return 0;
        }
        final UnsafeBuffer out = response;
        out.putShort(0, (short)BINDING_SUCCESS, ByteOrder.BIG_ENDIAN);
        out.putInt(4, MAGIC_COOKIE, ByteOrder.BIG_ENDIAN);
        out.putBytes(TRANSACTION_ID_OFFSET, request, offset + TRANSACTION_ID_OFFSET, TRANSACTION_ID_BYTES);
        out.putShort(HEADER_BYTES, (short)XOR_MAPPED_ADDRESS, ByteOrder.BIG_ENDIAN);
        out.putByte(HEADER_BYTES + 4, (byte)0);
        final int addressLength;
        if (RemoteAddressTable.isIpv4(remoteId))
        {
            out.putByte(HEADER_BYTES + 5, (byte)FAMILY_IPV4);
            xorPort(out, RemoteAddressTable.ipv4Port(remoteId));
            out.putInt(HEADER_BYTES + 8, RemoteAddressTable.ipv4Address(remoteId) ^ MAGIC_COOKIE, ByteOrder.BIG_ENDIAN);
            addressLength = 4;
        }
        else
        {
            final InetSocketAddress address = remotes.socketAddress(remoteId);
            if (address == null)
            {
                return 0;
            }
            final byte[] bytes = address.getAddress().getAddress();
            out.putByte(HEADER_BYTES + 5, (byte)(bytes.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
            xorPort(out, address.getPort());
            // X-Address: the address XOR the cookie and, for IPv6, the transaction id (the response's bytes 4..19).
            for (int i = 0; i < bytes.length; i++)
            {
                out.putByte(HEADER_BYTES + 8 + i, (byte)(bytes[i] ^ out.getByte(4 + i)));
            }
            addressLength = bytes.length;
        }
        final int attributeLength = 4 + addressLength;
        out.putShort(HEADER_BYTES + 2, (short)attributeLength, ByteOrder.BIG_ENDIAN);
        out.putShort(2, (short)(4 + attributeLength), ByteOrder.BIG_ENDIAN);
        return HEADER_BYTES + 4 + attributeLength;
    }

    /**
     * @return the response written by {@link #answer}, from offset 0.
     */
    DirectBuffer buffer()
    {
        return response;
    }

    private static void xorPort(final UnsafeBuffer out, final int port)
    {
        out.putShort(HEADER_BYTES + 6, (short)(port ^ (MAGIC_COOKIE >>> 16)), ByteOrder.BIG_ENDIAN);
    }
}
