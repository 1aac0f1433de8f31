package tfobench.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import tfobench.linux.PrivateNetns;

/**
 * Runs once per test JVM, before any test class loads (so before Netty reads the sysctl): when Surefire started
 * the JVM inside a private namespace (scripts/netns/bin/java), brings lo up and sets tcp_fastopen=3 there.
 * A failure is remembered and reported by {@link FastOpenNamespace#require()}, which TFO tests call.
 */
public final class NetnsSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        FastOpenNamespace.prepareOnce();
    }
}
