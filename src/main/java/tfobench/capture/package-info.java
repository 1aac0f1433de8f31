/**
 * Packets as the third source of proof, beside {@code TCP_INFO} and the TcpExt counters: a capture of a few
 * exchanges per scenario taken with Wireshark's {@code dumpcap} ({@link tfobench.capture.Dumpcap}), read back from
 * its pcapng (or pcap) file ({@link tfobench.capture.CaptureFile}), decoded down to the TCP options
 * ({@link tfobench.capture.TcpSegment}, {@link tfobench.capture.TcpOption}), grouped into connections
 * ({@link tfobench.capture.Connection}) and checked against what each exchange's {@code TCP_INFO} said
 * ({@link tfobench.capture.PacketCheck}). {@link tfobench.capture.HandshakeCapture} runs the exchanges with the
 * suite's own servers and clients. Knows nothing of JMH; never runs inside a measured iteration.
 *
 * <p>The decoder is ours: the Java pcap libraries on Maven Central either read files only through the native
 * libpcap and treat option kind 34 as opaque bytes (pcap4j, last released 2019) or do not expose TCP options at
 * all (pkts). Every field it reads is checked against tshark's dissector in the tests.
 */
package tfobench.capture;
