package tfobench.capture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The TCP header of one captured frame, decoded from the link layer down: Ethernet (what {@code dumpcap -i lo}
 * records), Linux cooked v1 and v2 ({@code -i any}) and raw IP; IPv4 and IPv6 (without extension headers).
 * The payload length comes from the IP header, so a frame cut short by a snapshot length still counts its
 * bytes as Wireshark's {@code tcp.len} does.
 *
 * @param frame          the frame's number in its file
 * @param epochNanos     its capture time
 * @param source         sender's address and port
 * @param destination    receiver's address and port
 * @param sequence       sequence number (absolute)
 * @param acknowledgment acknowledgment number (absolute; meaningful with ACK)
 * @param flags          the 9 flag bits (FIN 0x001 ... CWR 0x080, AE/NS 0x100), as tshark's {@code tcp.flags}
 * @param window         window field, unscaled
 * @param options        the options in order, NOP and end of list included
 * @param payloadLength  data bytes after the header
 */
public record TcpSegment(int frame, long epochNanos, InetSocketAddress source, InetSocketAddress destination,
                         long sequence, long acknowledgment, int flags, int window, List<TcpOption> options,
                         int payloadLength) {
    public static final int FIN = 0x001;
    public static final int SYN = 0x002;
    public static final int RST = 0x004;
    public static final int PSH = 0x008;
    public static final int ACK = 0x010;
    public static final int URG = 0x020;
    public static final int ECE = 0x040;
    public static final int CWR = 0x080;
    public static final int AE = 0x100;
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};

    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int PROTOCOL_TCP = 6;

    public TcpSegment {
        options = List.copyOf(options);
    }

    /** The TCP segment in this frame, or empty when it holds something else (UDP, ARP, a fragment...). */
    public static Optional<TcpSegment> decode(Frame frame) {
        ByteBuffer b = ByteBuffer.wrap(frame.data());
        int ip;
        int etherType;
        switch (frame.linkType()) {
            case LINKTYPE_ETHERNET:
                if (b.limit() < 14) {
                    return Optional.empty();
                }
                ip = 14;
                etherType = Short.toUnsignedInt(b.getShort(12));
                while (etherType == ETHERTYPE_VLAN && b.limit() >= ip + 4) {
                    etherType = Short.toUnsignedInt(b.getShort(ip + 2));
                    ip += 4;
                }
                break;
            case LINKTYPE_LINUX_SLL:
                if (b.limit() < 16) {
                    return Optional.empty();
                }
                ip = 16;
                etherType = Short.toUnsignedInt(b.getShort(14));
                break;
            case LINKTYPE_LINUX_SLL2:
                if (b.limit() < 20) {
                    return Optional.empty();
                }
                ip = 20;
                etherType = Short.toUnsignedInt(b.getShort(0));
                break;
            case LINKTYPE_RAW:
            case LINKTYPE_IPV4:
            case LINKTYPE_IPV6:
                ip = 0;
                etherType = b.limit() > 0 && (b.get(0) & 0xF0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
                break;
            default:
                return Optional.empty();
        }
        try {
            if (etherType == ETHERTYPE_IPV4) {
                return ipv4(frame, b, ip);
            }
            if (etherType == ETHERTYPE_IPV6) {
                return ipv6(frame, b, ip);
            }
            return Optional.empty();
        } catch (IndexOutOfBoundsException | UnknownHostException cutShort) {
            return Optional.empty(); // a frame cut before its TCP header ends is not a segment we can read
        }
    }

    private static Optional<TcpSegment> ipv4(Frame frame, ByteBuffer b, int ip) throws UnknownHostException {
        int versionAndLength = b.get(ip) & 0xFF;
        if (versionAndLength >> 4 != 4) {
            return Optional.empty();
        }
        int headerLength = (versionAndLength & 0x0F) * 4;
        int totalLength = Short.toUnsignedInt(b.getShort(ip + 2));
        int fragment = Short.toUnsignedInt(b.getShort(ip + 6));
        if ((b.get(ip + 9) & 0xFF) != PROTOCOL_TCP || (fragment & 0x3FFF) != 0) {
            return Optional.empty(); // not TCP, or a fragment (more fragments set, or an offset)
        }
        InetAddress source = InetAddress.getByAddress(bytes(b, ip + 12, 4));
        InetAddress destination = InetAddress.getByAddress(bytes(b, ip + 16, 4));
        return tcp(frame, b, ip + headerLength, totalLength - headerLength, source, destination);
    }

    private static Optional<TcpSegment> ipv6(Frame frame, ByteBuffer b, int ip) throws UnknownHostException {
        if ((b.get(ip) & 0xF0) != 0x60 || (b.get(ip + 6) & 0xFF) != PROTOCOL_TCP) {
            return Optional.empty(); // extension headers are not followed: the suite speaks IPv4
        }
        int payloadLength = Short.toUnsignedInt(b.getShort(ip + 4));
        InetAddress source = InetAddress.getByAddress(bytes(b, ip + 8, 16));
        InetAddress destination = InetAddress.getByAddress(bytes(b, ip + 24, 16));
        return tcp(frame, b, ip + 40, payloadLength, source, destination);
    }

    private static Optional<TcpSegment> tcp(Frame frame, ByteBuffer b, int at, int ipPayload, InetAddress source,
                                            InetAddress destination) {
        int sourcePort = Short.toUnsignedInt(b.getShort(at));
        int destinationPort = Short.toUnsignedInt(b.getShort(at + 2));
        long sequence = Integer.toUnsignedLong(b.getInt(at + 4));
        long acknowledgment = Integer.toUnsignedLong(b.getInt(at + 8));
        int offsetAndFlags = Short.toUnsignedInt(b.getShort(at + 12));
        int headerLength = (offsetAndFlags >> 12) * 4;
        int flags = offsetAndFlags & 0x1FF;
        int window = Short.toUnsignedInt(b.getShort(at + 14));
        if (headerLength < 20 || headerLength > ipPayload) {
            return Optional.empty();
        }
        List<TcpOption> options = options(b, at + 20, at + headerLength);
        return Optional.of(new TcpSegment(frame.number(), frame.epochNanos(),
                new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort),
                sequence, acknowledgment, flags, window, options, ipPayload - headerLength));
    }

    /** RFC 9293 3.1: kind 0 ends the list, kind 1 is one byte, every other kind has a length byte. */
    private static List<TcpOption> options(ByteBuffer b, int at, int end) {
        List<TcpOption> options = new ArrayList<>();
        while (at < end) {
            int kind = b.get(at) & 0xFF;
            if (kind == TcpOption.END || kind == TcpOption.NOP) {
                options.add(new TcpOption(kind, new byte[0]));
                at++;
                if (kind == TcpOption.END) {
                    break;
                }
                continue;
            }
            if (at + 1 >= end) {
                break; // a kind without its length: the rest is not readable
            }
            int length = b.get(at + 1) & 0xFF;
            if (length < 2 || at + length > end) {
                options.add(new TcpOption(kind, bytes(b, at + 2, Math.max(0, end - at - 2)), true));
                break; // a bad length: nothing after it can be trusted
            }
            options.add(new TcpOption(kind, bytes(b, at + 2, length - 2)));
            at += length;
        }
        return Collections.unmodifiableList(options);
    }

    private static byte[] bytes(ByteBuffer b, int at, int length) {
        byte[] out = new byte[length];
        b.get(at, out);
        return out;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** A connection's opening SYN (SYN without ACK). */
    public boolean syn() {
        return has(SYN) && !has(ACK);
    }

    /** The server's answer to a SYN. */
    public boolean synAck() {
        return has(SYN) && has(ACK);
    }

    /** The fast open option, if the segment carries one. */
    public Optional<TcpOption> fastOpen() {
        return options.stream().filter(TcpOption::fastOpen).findFirst();
    }

    /** Flag names as Wireshark lists them, lowest bit first: {@code SYN, ACK}. */
    public String flagNames() {
        StringJoiner j = new StringJoiner(", ");
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                j.add(FLAG_NAMES[bit]);
            }
        }
        return j.toString();
    }

    /** The options without padding (NOP, end of list), comma-separated; {@code -} when none. */
    public String optionSummary() {
        StringJoiner j = new StringJoiner(", ");
        for (TcpOption o : options) {
            if (o.kind() != TcpOption.NOP && o.kind() != TcpOption.END) {
                j.add(o.describe());
            }
        }
        return j.length() == 0 ? "-" : j.toString();
    }
}
