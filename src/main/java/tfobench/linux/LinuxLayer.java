package tfobench.linux;

/**
 * Which binding this JVM's system calls go through, recorded with every calibration: {@code jna} (JNA direct
 * mapping, {@link LibC}).
 */
public final class LinuxLayer {
    private LinuxLayer() {
    }

    public static String name() {
        return "jna";
    }
}
