package tfobench.client;

import tfobench.protocol.Response;

/**
 * One request and its response, with the evidence of how the connection was opened.
 *
 * @param response      the parsed response
 * @param synData       what happened to data in the SYN on this request's connection
 * @param rttMicros     the kernel's smoothed RTT for the connection ({@code tcpi_rtt})
 * @param totalRetrans  retransmitted segments on the connection so far ({@code tcpi_total_retrans})
 */
public record Exchange(Response response, SynData synData, int rttMicros, int totalRetrans) {
}
