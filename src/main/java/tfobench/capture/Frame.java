package tfobench.capture;

/**
 * One captured frame, as a capture file holds it.
 *
 * @param number     its position in the file, counted from 1 as Wireshark and tshark number frames
 * @param epochNanos when it was captured (CLOCK_REALTIME, nanoseconds since 1970)
 * @param linkType   the link-layer header type of its interface (LINKTYPE_ETHERNET 1, LINUX_SLL 113, ...)
 * @param data       the captured bytes, from the link-layer header on
 */
public record Frame(int number, long epochNanos, int linkType, byte[] data) {
}
