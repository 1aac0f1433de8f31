/**
 * The in-process CALCULATE MATH/1.1 servers: native (pre-forked threads blocking in {@code accept}, as the seed's
 * C server) and Netty epoll, each plain or with {@code TCP_FASTOPEN} on the listener. Owns their lifecycle (bind
 * to port 0, listening when {@link tfobench.server.Servers#start} returns, {@code close()} leaves no thread or
 * descriptor or throws saying which) and their bounds against hostile clients (connections, header size, request
 * deadline, idle timeout; the native server's slow lane, so slow clients never hold its threads).
 *
 * <p>Uses {@code protocol} and {@code linux}; knows nothing of clients, benchmarks, JMH or reports.
 */
package tfobench.server;
