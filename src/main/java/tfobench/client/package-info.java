/**
 * One client interface, {@link tfobench.client.CalcClient}, for every handshake (cold, fast open with
 * {@code sendto(MSG_FASTOPEN)}, {@code TCP_FASTOPEN_CONNECT}, keep-alive) over both transports, each exchange
 * returning its per-connection evidence: what happened to the data in the SYN ({@link tfobench.client.SynData}),
 * read from {@code TCP_INFO}. Also the closed-loop connection load the churn tool drives.
 *
 * <p>Uses {@code protocol}, {@code linux} and the server package's thread pinning; knows nothing of JMH, run
 * folders or reports. A client never decides a fast open "worked": it reports the kernel's evidence and the caller
 * judges it.
 */
package tfobench.client;
