package tfobench.testing;

import tfobench.Settings;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.PrivateNetns;

import java.io.IOException;

/**
 * The namespace TFO tests need: private (so counters are the tests' alone and the host is untouched) with client
 * and server fast open on. {@link #require()} fails the test with one line naming the fix; it never skips.
 */
public final class FastOpenNamespace {
    private static String problem;
    private static boolean prepared;

    private FastOpenNamespace() {
    }

    static synchronized void prepareOnce() {
        if (prepared) {
            return;
        }
        prepared = true;
        String error = Settings.NETNS_ERROR.value();
        if (!error.isEmpty()) {
            problem = error + ": run the tests as root, or allow unprivileged user namespaces "
                    + "(sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu 23.10+, "
                    + "or sysctl -w user.max_user_namespaces=15000)";
            return;
        }
        if (!PrivateNetns.isPrivate()) {
            problem = "tests are not running in a private network namespace: run them with mvn test (Surefire "
                    + "forks through scripts/netns/bin/java), not from a JVM started another way";
            return;
        }
        try {
            PrivateNetns.prepare();
        } catch (IOException | RuntimeException e) {
            problem = "cannot prepare the private namespace: " + e.getMessage();
        }
    }

    /** Fails (never skips) unless TFO client and server are on in a private namespace. */
    public static void require() {
        prepareOnce();
        if (problem != null) {
            throw new AssertionError(problem);
        }
        try {
            FastOpenSysctl sysctl = FastOpenSysctl.read();
            if (!sysctl.clientEnabled() || !sysctl.serverEnabled()) {
                throw new AssertionError("namespace prepared but " + sysctl);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + FastOpenSysctl.PATH + ": " + e.getMessage(), e);
        }
    }
}
