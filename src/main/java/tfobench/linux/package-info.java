/**
 * The kernel as the suite uses it, through JNA: socket system calls ({@code sendto(MSG_FASTOPEN)},
 * {@code TCP_FASTOPEN_CONNECT}, {@code getsockopt(TCP_INFO)}) with errno, the fast open sysctl and TcpExt counters,
 * CPU affinity, the tcp_metrics cookie cache over netlink, the private network namespace and netem on its
 * {@code lo}. Each binding's comment quotes the man page or kernel source it relies on.
 *
 * <p>Knows nothing of the wire protocol, servers, clients, Netty or JMH; the only tfo-bench type it uses is
 * {@link tfobench.Settings}. Never writes the host's settings: {@link tfobench.linux.PrivateNetns#prepare()} refuses
 * outside a namespace made for the run, and nothing reads {@code tcp_fastopen_key}.
 */
package tfobench.linux;
