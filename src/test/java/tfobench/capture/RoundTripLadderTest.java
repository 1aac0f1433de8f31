package tfobench.capture;

import org.junit.jupiter.api.Test;
import tfobench.client.SynData;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a guest's capture under netem looks like, packet by packet: with a delay of R/2 on lo every packet is
 * captured as it leaves the delay, so a cold answer arrives 2R after the client's call and a fast open one R
 * after. The ladder's clock and the answer time must say so, and the checks must pass both.
 */
class RoundTripLadderTest {
    private static final long R = 50_000_000L; // 50 ms
    private static final long CALL = 1_000_000_000_000L;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.90.1", 8080);

    @Test
    void aColdAnswerComesTwoRoundTripsAfterTheCall() {
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(1, CALL + R / 2, true, 0x002, 1000, 0, new byte[] {2, 4, (byte) 0xff, (byte) 0xd7}, 0));
        frames.add(frame(2, CALL + R, false, 0x012, 5000, 1001, new byte[] {2, 4, (byte) 0xff, (byte) 0xd7}, 0));
        frames.add(frame(3, CALL + 3 * R / 2, true, 0x010, 1001, 5001, new byte[0], 0));
        frames.add(frame(4, CALL + 3 * R / 2, true, 0x018, 1001, 5001, new byte[0], 79));
        frames.add(frame(5, CALL + 2 * R, false, 0x018, 5001, 1080, new byte[0], 50));
        ExchangeMatch m = only(frames, "cold", SynData.NOT_SENT);

        assertEquals(List.of(), m.problems());
        assertEquals(2 * R, m.answerNanos().orElseThrow());
        assertEquals(2 * R, m.wireAnswerNanos().orElseThrow());
        List<Ladder.Row> rows = Ladder.rows(m.connection().orElseThrow(), m.origin());
        assertEquals("25.000", rows.get(0).time());
        assertEquals("100.000", rows.get(4).time());
        assertEquals("server → client", rows.get(4).direction());
    }

    @Test
    void aFastOpenAnswerComesOneRoundTripAfterTheCall() {
        byte[] cookie = {2, 4, (byte) 0xff, (byte) 0xd7, 34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1};
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(1, CALL + R / 2, true, 0x002, 1000, 0, cookie, 79));
        frames.add(frame(2, CALL + R, false, 0x012, 5000, 1080, new byte[] {2, 4, (byte) 0xff, (byte) 0xd7}, 0));
        frames.add(frame(3, CALL + R, false, 0x018, 5001, 1080, new byte[0], 50));
        ExchangeMatch m = only(frames, "tfo", SynData.ACKED);

        assertEquals(List.of(), m.problems());
        assertEquals(R, m.answerNanos().orElseThrow());
        assertEquals(R, m.wireAnswerNanos().orElseThrow());
    }

    @Test
    void theClientsOwnWorkBeforeItsSynIsNotARoundTrip() {
        long setup = 300_000_000L; // a Netty channel set up under emulation before its SYN leaves
        byte[] cookie = {2, 4, (byte) 0xff, (byte) 0xd7, 34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1};
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(1, CALL + setup + R / 2, true, 0x002, 1000, 0, cookie, 79));
        frames.add(frame(2, CALL + setup + R, false, 0x012, 5000, 1080, new byte[] {2, 4, (byte) 0xff, (byte) 0xd7},
                0));
        frames.add(frame(3, CALL + setup + R, false, 0x018, 5001, 1080, new byte[0], 50));
        ExchangeMatch m = only(frames, "tfo", SynData.ACKED);

        assertEquals(setup + R, m.answerNanos().orElseThrow());
        assertEquals(R, m.wireAnswerNanos().orElseThrow());
    }

    private static ExchangeMatch only(List<Frame> frames, String scenario, SynData tcpInfo) {
        List<ExchangeMatch> matches = ExchangeMatch.match(frames, List.of(new CapturedExchange(scenario, "native", 50,
                SERVER, 1, CALL, tcpInfo, 79)));
        assertEquals(1, matches.size());
        return matches.get(0);
    }

    /** An Ethernet frame between CLIENT and SERVER. */
    private static Frame frame(int number, long nanos, boolean toServer, int flags, long seq, long ack, byte[] options,
                               int payload) {
        InetSocketAddress from = toServer ? CLIENT : SERVER;
        InetSocketAddress to = toServer ? SERVER : CLIENT;
        int tcp = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + tcp + payload);
        b.putShort(12, (short) 0x0800).position(14);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp + payload)).putInt(0x40000000);
        b.put((byte) 64).put((byte) 6).putShort((short) 0);
        b.put(from.getAddress().getAddress()).put(to.getAddress().getAddress());
        b.putShort((short) from.getPort()).putShort((short) to.getPort()).putInt((int) seq).putInt((int) ack);
        b.putShort((short) (((tcp / 4) << 12) | flags)).putShort((short) 65535).putInt(0).put(options);
        return new Frame(number, nanos, TcpSegment.LINKTYPE_ETHERNET, b.array());
    }
}
