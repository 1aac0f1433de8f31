package tfobench.capture;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder against frames whose every byte is known: the seed capture's, and ones built field by field. */
class TcpSegmentTest {
    /**
     * The seed capture's fast open SYN (Linux cooked capture, 167 bytes): MSS 65495, SACK permitted, timestamps,
     * window scale 7, the 8-byte cookie 1cf521655382fb70 and the 79-byte request.
     */
    static final String SEED_FAST_OPEN_SYN = ""
            + "00 00 03 04 00 06 00 00 00 00 00 00 00 00 08 00"
            + "45 00 00 97 59 24 40 00 40 06 e3 3a 7f 00 00 01"
            + "7f 00 00 01 98 14 1f 90 cb 3b b6 f1 00 00 00 00"
            + "d0 02 aa aa fe 8b 00 00 02 04 ff d7 04 02 08 0a"
            + "36 41 df b8 00 00 00 00 01 03 03 07 22 0a 1c f5"
            + "21 65 53 82 fb 70 01 01 43 41 4c 43 55 4c 41 54"
            + "45 20 4d 41 54 48 2f 31 2e 31 0a 4f 70 65 72 61"
            + "6e 64 31 3a 20 31 0a 4f 70 65 72 61 74 6f 72 3a"
            + "20 2b 0a 4f 70 65 72 61 6e 64 32 3a 20 31 0a 43"
            + "6f 6e 6e 65 63 74 69 6f 6e 3a 20 4b 65 65 70 2d"
            + "41 6c 69 76 65 0a 0a";

    @Test
    void decodesTheSeedCapturesFastOpenSynAsWiresharkDid() {
        byte[] frame = HexFormat.of().parseHex(SEED_FAST_OPEN_SYN.replace(" ", ""));
        assertEquals(167, frame.length);
        TcpSegment s = TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_LINUX_SLL, frame)).orElseThrow();
        assertEquals(new InetSocketAddress("127.0.0.1", 38932), s.source());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), s.destination());
        assertTrue(s.syn());
        assertEquals("SYN", s.flagNames());
        assertEquals(0x002, s.flags());
        assertEquals(43690, s.window());
        assertEquals(79, s.payloadLength());
        assertEquals("MSS 65495, SACK_PERM, TS val 910286776 ecr 0, WS 7, TFO cookie 1cf521655382fb70 (8 bytes)",
                s.optionSummary());
        TcpOption tfo = s.fastOpen().orElseThrow();
        assertTrue(tfo.fastOpenCookie());
        assertFalse(tfo.fastOpenCookieRequest());
        assertEquals(8, tfo.fastOpenCookieBytes());
        assertEquals(List.of(2, 4, 8, 1, 3, 34, 1, 1), s.options().stream().map(TcpOption::kind).toList());
    }

    @Test
    void aCookieRequestIsTheFastOpenOptionWithoutACookie() {
        TcpSegment s = segment(new byte[] {2, 4, (byte) 0xff, (byte) 0xd7, 34, 2, 1, 1}, 0x002, 0);
        TcpOption tfo = s.fastOpen().orElseThrow();
        assertTrue(tfo.fastOpenCookieRequest());
        assertEquals(0, tfo.fastOpenCookieBytes());
        assertEquals("MSS 65495, TFO cookie request", s.optionSummary());
    }

    @Test
    void theExperimentalFastOpenOptionIsRecognisedByItsMagic() {
        TcpSegment s = segment(new byte[] {(byte) 254, 8, (byte) 0xf9, (byte) 0x89, 1, 2, 3, 4}, 0x012, 0);
        assertEquals(4, s.fastOpen().orElseThrow().fastOpenCookieBytes());
        TcpSegment other = segment(new byte[] {(byte) 254, 4, 0x12, 0x34}, 0x012, 0);
        assertTrue(other.fastOpen().isEmpty());
    }

    @Test
    void anOptionWithABadLengthEndsTheListInsteadOfReadingPastTheHeader() {
        TcpSegment s = segment(new byte[] {2, 4, 0x05, (byte) 0xb4, 34, 40, 1, 1}, 0x002, 5);
        assertEquals(2, s.options().size());
        assertEquals("MSS 1460", s.options().get(0).describe());
        assertTrue(s.options().get(1).describe().startsWith("kind 34"), s.options().get(1).describe());
        assertEquals(5, s.payloadLength());
    }

    @Test
    void payloadLengthComesFromTheIpHeaderEvenWhenTheFrameWasCutShort() {
        byte[] full = ethernetFrame(new byte[0], 0x018, 1000);
        byte[] cut = java.util.Arrays.copyOf(full, 14 + 20 + 20 + 10); // snapshot length shorter than the frame
        TcpSegment s = TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_ETHERNET, cut)).orElseThrow();
        assertEquals(1000, s.payloadLength());
        assertEquals("PSH, ACK", s.flagNames());
    }

    @Test
    void framesThatAreNotTcpAreLeftOut() {
        byte[] udp = ethernetFrame(new byte[0], 0, 10);
        udp[14 + 9] = 17;
        assertTrue(TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_ETHERNET, udp)).isEmpty());
        byte[] arp = ethernetFrame(new byte[0], 0, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertTrue(TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_ETHERNET, arp)).isEmpty());
        assertTrue(TcpSegment.decode(new Frame(1, 0, 9999, udp)).isEmpty());
        assertTrue(TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_ETHERNET, new byte[20])).isEmpty());
    }

    static TcpSegment segment(byte[] options, int flags, int payload) {
        return TcpSegment.decode(new Frame(1, 0, TcpSegment.LINKTYPE_ETHERNET, ethernetFrame(options, flags,
                payload))).orElseThrow();
    }

    /** Ethernet + IPv4 127.0.0.1 -> 127.0.0.2 + TCP 40000 -> 8080 with these options, flags and payload bytes. */
    static byte[] ethernetFrame(byte[] options, int flags, int payload) {
        int tcpLength = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + tcpLength + payload).order(ByteOrder.BIG_ENDIAN);
        b.position(12);
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLength + payload)).putInt(0x40000000);
        b.put((byte) 64).put((byte) 6).putShort((short) 0);
        b.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 2});
        b.putShort((short) 40000).putShort((short) 8080).putInt(1000).putInt(flags == 0x002 ? 0 : 2000);
        b.putShort((short) (((tcpLength / 4) << 12) | flags)).putShort((short) 65535).putInt(0);
        b.put(options);
        return b.array();
    }
}
