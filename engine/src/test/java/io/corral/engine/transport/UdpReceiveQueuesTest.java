package io.corral.engine.transport;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UdpReceiveQueuesTest
{
    private static final String TABLE =
        "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref " +
        "pointer drops            \n" +
        "  311: 0100007F:EB3B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81215 2 " +
        "ffff8a0b4c6e1000 0          \n" +
        "  312: 0100007F:EB3C 00000000:0000 07 00000000:0002D000 00:00000000 00000000     0        0 81216 2 " +
        "ffff8a0b4c6e1400 17         \n" +
        " 1022: 00000000:13C4 00000000:0000 07 00000000:00001200 00:00000000 00000000     0        0 99 2 " +
        "ffff8a0b4c6e1800 0          \n";

    @Test
    void shouldGiveTheFullestReceiveQueueOfTheSocketsAskedFor()
    {
        assertEquals(0x2D000, UdpReceiveQueues.scan(buffer(TABLE), new long[] {81215, 81216}));
        assertEquals(0, UdpReceiveQueues.scan(buffer(TABLE), new long[] {81215}));
        assertEquals(0x1200, UdpReceiveQueues.scan(buffer(TABLE), new long[] {99, 81215}), "a short inode too");
        assertEquals(-1, UdpReceiveQueues.scan(buffer(TABLE), new long[] {12345}), "not in the table");
        assertEquals(-1, UdpReceiveQueues.scan(buffer(TABLE.substring(0, TABLE.indexOf('\n') + 1)),
            new long[] {81215}), "header only");
    }

    @Test
    void shouldNotNameASocketForADescriptorThatIsNone()
    {
        assertEquals(-1, UdpReceiveQueues.inodeOf(Integer.MAX_VALUE));
    }

    private static ByteBuffer buffer(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
