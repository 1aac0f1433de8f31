package tfobench.load;

/**
 * The CPU an open-loop point used over its measured window, from thread CPU clocks: the server's threads (when the
 * server runs in this JVM) and the load generator's (its client threads and their Netty event loops).
 *
 * @param windowNanos      wall time of the window
 * @param serverNanos      CPU time of the server's threads in it; -1 when unknown (server in another process)
 * @param clientNanos      CPU time of the generator's threads in it
 * @param connections      connections completed in it
 * @param serverCoreBusy   share of the window the server's CPU was busy by {@code /proc/stat}, with anything else
 *                         that ran there; NaN when the server is not pinned to one CPU
 */
public record LoadCpu(long windowNanos, long serverNanos, long clientNanos, long connections,
                      double serverCoreBusy) {

    /** Server CPU microseconds per completed connection; NaN when unknown. */
    public double serverMicrosPerConnection() {
        return serverNanos < 0 || connections == 0 ? Double.NaN : serverNanos / 1000.0 / connections;
    }

    /** Generator CPU microseconds per completed connection. */
    public double clientMicrosPerConnection() {
        return connections == 0 ? Double.NaN : clientNanos / 1000.0 / connections;
    }

    /** The server threads' CPU time as a share of one core over the window. */
    public double serverUtilization() {
        return serverNanos < 0 || windowNanos <= 0 ? Double.NaN : (double) serverNanos / windowNanos;
    }

    /** The generator's CPU time as a share of one core over the window. */
    public double clientUtilization() {
        return windowNanos <= 0 ? Double.NaN : (double) clientNanos / windowNanos;
    }
}
