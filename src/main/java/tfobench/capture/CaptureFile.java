package tfobench.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of a capture file: pcapng (what dumpcap writes; section header, interface description and
 * enhanced packet blocks, any byte order, any timestamp resolution) or classic pcap (microsecond or nanosecond
 * magic, either byte order). Other pcapng blocks (statistics, name resolution, comments) are skipped.
 *
 * <p>A file still being written may end in the middle of a block: {@link #readAvailable(Path)} stops there, while
 * {@link #read(Path)} treats it as damage.
 */
public final class CaptureFile {
    private static final int PCAPNG_SECTION_HEADER = 0x0A0D0D0A;
    private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int PCAPNG_INTERFACE_DESCRIPTION = 1;
    private static final int PCAPNG_SIMPLE_PACKET = 3;
    private static final int PCAPNG_ENHANCED_PACKET = 6;
    private static final int IF_TSRESOL = 9;
    private static final int PCAP_MICROS = 0xA1B2C3D4;
    private static final int PCAP_NANOS = 0xA1B23C4D;

    private CaptureFile() {
    }

    /** Every frame of a complete file. @throws IOException unreadable, not a capture file, or damaged */
    public static List<Frame> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString(), false);
    }

    /** The frames written so far to a file another process is still writing (a partial last block is left out). */
    public static List<Frame> readAvailable(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString(), true);
    }

    static List<Frame> parse(byte[] bytes, String name, boolean partialTailAllowed) throws IOException {
        if (bytes.length < 4) {
            if (partialTailAllowed) {
                return List.of();
            }
            throw new IOException(name + ": not a capture file (" + bytes.length + " bytes)");
        }
        int magic = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (magic == PCAPNG_SECTION_HEADER) {
            return pcapng(bytes, name, partialTailAllowed);
        }
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            int m = ByteBuffer.wrap(bytes, 0, 4).order(order).getInt();
            if (m == PCAP_MICROS || m == PCAP_NANOS) {
                return pcap(bytes, order, m == PCAP_NANOS ? 1 : 1000, name, partialTailAllowed);
            }
        }
        throw new IOException(name + ": not a pcap or pcapng file (magic " + String.format("%08x", magic) + ")");
    }

    private static List<Frame> pcap(byte[] bytes, ByteOrder order, long nanosPerUnit, String name, boolean partial)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        if (bytes.length < 24) {
            return partialOrThrow(partial, name, "pcap header cut short", List.of());
        }
        int linkType = b.getInt(20) & 0x0FFFFFFF; // the top bits carry FCS information
        List<Frame> frames = new ArrayList<>();
        int at = 24;
        while (at < bytes.length) {
            if (bytes.length - at < 16) {
                return partialOrThrow(partial, name, "record header cut short at byte " + at, frames);
            }
            long seconds = Integer.toUnsignedLong(b.getInt(at));
            long fraction = Integer.toUnsignedLong(b.getInt(at + 4));
            int captured = b.getInt(at + 8);
            if (captured < 0 || captured > bytes.length - at - 16) {
                return partialOrThrow(partial, name, "record at byte " + at + " runs past the end", frames);
            }
            byte[] data = new byte[captured];
            System.arraycopy(bytes, at + 16, data, 0, captured);
            frames.add(new Frame(frames.size() + 1, seconds * 1_000_000_000L + fraction * nanosPerUnit, linkType,
                    data));
            at += 16 + captured;
        }
        return frames;
    }

    private static List<Frame> pcapng(byte[] bytes, String name, boolean partial) throws IOException {
        List<Frame> frames = new ArrayList<>();
        List<Integer> linkTypes = new ArrayList<>(); // per interface of the current section
        List<Integer> resolutions = new ArrayList<>(); // per interface, as timestampResolution() returns it
        ByteBuffer b = ByteBuffer.wrap(bytes);
        ByteBuffer bigEndian = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int at = 0;
        while (at < bytes.length) {
            if (bytes.length - at < 12) {
                return partialOrThrow(partial, name, "block header cut short at byte " + at, frames);
            }
            int type = bigEndian.getInt(at); // the section header's type reads the same in both orders
            if (type == PCAPNG_SECTION_HEADER) {
                b.order(bigEndian.getInt(at + 8) == PCAPNG_BYTE_ORDER_MAGIC ? ByteOrder.BIG_ENDIAN
                        : ByteOrder.LITTLE_ENDIAN);
                if (b.getInt(at + 8) != PCAPNG_BYTE_ORDER_MAGIC) {
                    throw new IOException(name + ": section header at byte " + at + " has no byte-order magic");
                }
                linkTypes.clear(); // interface ids are per section
                resolutions.clear();
            } else {
                type = b.getInt(at);
            }
            int length = b.getInt(at + 4);
            if (length < 12 || length % 4 != 0) {
                throw new IOException(name + ": block at byte " + at + " has length " + length);
            }
            if (length > bytes.length - at) {
                return partialOrThrow(partial, name, "block at byte " + at + " runs past the end", frames);
            }
            int body = at + 8;
            int bodyEnd = at + length - 4;
            if (type == PCAPNG_INTERFACE_DESCRIPTION) {
                linkTypes.add(Short.toUnsignedInt(b.getShort(body)));
                resolutions.add(timestampResolution(b, body + 8, bodyEnd));
            } else if (type == PCAPNG_ENHANCED_PACKET) {
                int id = b.getInt(body);
                if (id < 0 || id >= linkTypes.size()) {
                    throw new IOException(name + ": packet at byte " + at + " names unknown interface " + id);
                }
                long units = (Integer.toUnsignedLong(b.getInt(body + 4)) << 32)
                        | Integer.toUnsignedLong(b.getInt(body + 8));
                int captured = b.getInt(body + 12);
                if (captured < 0 || body + 20 + captured > bodyEnd) {
                    throw new IOException(name + ": packet at byte " + at + " is longer than its block");
                }
                byte[] data = new byte[captured];
                System.arraycopy(bytes, body + 20, data, 0, captured);
                frames.add(new Frame(frames.size() + 1, toNanos(units, resolutions.get(id)),
                        linkTypes.get(id), data));
            } else if (type == PCAPNG_SIMPLE_PACKET) {
                if (linkTypes.isEmpty()) {
                    throw new IOException(name + ": simple packet at byte " + at + " before any interface");
                }
                int original = b.getInt(body);
                int captured = Math.min(original, bodyEnd - body - 4);
                byte[] data = new byte[captured];
                System.arraycopy(bytes, body + 4, data, 0, captured);
                frames.add(new Frame(frames.size() + 1, 0, linkTypes.get(0), data));
            }
            at += length;
        }
        return frames;
    }

    /**
     * The interface's {@code if_tsresol} option: top bit clear means units of 10^-n s (returned as -n), set means
     * 2^-n s (returned as n). Without the option, microseconds (-6).
     */
    private static int timestampResolution(ByteBuffer b, int options, int end) {
        int at = options;
        while (at + 4 <= end) {
            int code = Short.toUnsignedInt(b.getShort(at));
            int length = Short.toUnsignedInt(b.getShort(at + 2));
            if (code == 0) {
                break;
            }
            if (code == IF_TSRESOL && length >= 1) {
                int v = b.get(at + 4) & 0xFF;
                if ((v & 0x80) == 0) {
                    return -(v & 0x7F); // negative: a power of ten
                }
                return v & 0x7F; // positive: a power of two
            }
            at += 4 + ((length + 3) & ~3);
        }
        return -6;
    }

    private static long toNanos(long units, int resolution) {
        if (resolution <= 0) {
            int digits = -resolution;
            if (digits <= 9) {
                return units * pow10(9 - digits);
            }
            return units / pow10(digits - 9);
        }
        return java.math.BigInteger.valueOf(units).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .shiftRight(resolution).longValue();
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }

    private static List<Frame> partialOrThrow(boolean partial, String name, String what, List<Frame> sofar)
            throws IOException {
        if (partial) {
            return sofar;
        }
        throw new IOException(name + ": damaged capture file (" + what + ")");
    }
}
