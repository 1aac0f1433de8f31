package tfobench.capture;

import tfobench.client.SynData;

import java.net.InetSocketAddress;

/**
 * One request made while the capture ran, as its client saw it: where it went, when it started, and what
 * {@code TCP_INFO} said about its connection's SYN. The packets are matched to it by server address and order.
 *
 * @param scenario          cold, tfo, tfo-connect, cookie-request or keepalive; for a probe its handshake
 * @param transport         native or netty
 * @param rttMillis         the round trip netem emulated on lo while it ran (0: none)
 * @param server            the address and port the client connected to
 * @param connection        which connection it used, numbered from 1 over the whole capture (keep-alive requests
 *                          share one)
 * @param startedEpochNanos when the client started it (CLOCK_REALTIME, the clock of the capture's timestamps)
 * @param tcpInfo           what the client's {@code TCP_INFO} said about the SYN after the response
 * @param requestBytes      the request's length on the wire
 */
public record CapturedExchange(String scenario, String transport, int rttMillis, InetSocketAddress server,
                               int connection, long startedEpochNanos, SynData tcpInfo, int requestBytes) {
}
