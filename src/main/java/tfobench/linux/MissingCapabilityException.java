package tfobench.linux;

/**
 * Something this machine lacks for what was asked (a sysctl bit, the epoll native library, a namespace, netem).
 * The message is one line that names the fix; callers print it as it is, never a stack trace.
 */
public final class MissingCapabilityException extends RuntimeException {
    public MissingCapabilityException(String oneLineWithFix) {
        super(oneLineWithFix);
    }

    /** The server side of fast open is off in this namespace. */
    public static MissingCapabilityException fastOpenServerOff(FastOpenSysctl sysctl) {
        return new MissingCapabilityException("TCP Fast Open server support is off (net.ipv4.tcp_fastopen="
                + sysctl.value() + ", needs bit 0x2): run inside a private namespace (java -jar benchmarks.jar does "
                + "this itself; tests use scripts/netns/bin/java) or, on a machine you own, "
                + "sysctl -w net.ipv4.tcp_fastopen=" + (sysctl.value() | FastOpenSysctl.SERVER_ENABLE));
    }

    /** The client side of fast open is off in this namespace. */
    public static MissingCapabilityException fastOpenClientOff(FastOpenSysctl sysctl) {
        return new MissingCapabilityException("TCP Fast Open client support is off (net.ipv4.tcp_fastopen="
                + sysctl.value() + ", needs bit 0x1): sysctl -w net.ipv4.tcp_fastopen="
                + (sysctl.value() | FastOpenSysctl.CLIENT_ENABLE) + " (or run inside a private namespace)");
    }
}
