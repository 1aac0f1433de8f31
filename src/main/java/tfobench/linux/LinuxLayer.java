package tfobench.linux;

import java.lang.reflect.InvocationTargetException;

/**
 * Which binding this JVM's per-operation socket calls go through ({@link SocketCalls}), chosen once when the first
 * is made and recorded with every calibration:
 * <ul>
 *   <li>{@code ffm}: the Foreign Function and Memory API (final in JDK 22), the default on JDK 22 and later when the
 *       jar has it. It is compiled only when the jar is built with a JDK 22+ ({@code src/main/java22}, Maven profile
 *       {@code ffm}), at release 22, and never loaded on an older JVM.</li>
 *   <li>{@code jna}: JNA direct mapping, everywhere else.</li>
 * </ul>
 * {@code -Dtfobench.linux=jna} or {@code =ffm} chooses by hand (to set the two side by side on one JDK); asking for
 * {@code ffm} where it cannot be had fails with the reason.
 */
public final class LinuxLayer {
    public static final String PROPERTY = tfobench.Settings.LINUX.property();
    static final String FFM_CLASS = "tfobench.linux.ffm.FfmSocketCalls";

    private static final String WHY_NOT_FFM = whyNotFfm();
    /** "jna", "ffm", or why the setting cannot be followed (then every use throws it). */
    private static final String CHOSEN = choose();

    private LinuxLayer() {
    }

    /**
     * {@code jna} or {@code ffm}: the binding of this JVM's per-operation calls.
     *
     * @throws IllegalStateException one line, when {@code -Dtfobench.linux} asks for what cannot be had
     */
    public static String name() {
        if (!CHOSEN.equals("jna") && !CHOSEN.equals("ffm")) {
            throw new IllegalStateException(CHOSEN);
        }
        return CHOSEN;
    }

    /** Why the FFM binding cannot be used in this JVM, or null when it can. */
    public static String whyNotFfm() {
        if (Runtime.version().feature() < 22) {
            return "JDK " + Runtime.version().feature() + " has no final FFM API (JDK 22+)";
        }
        try {
            Class.forName(FFM_CLASS, false, LinuxLayer.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException e) {
            return "this jar was built on a JDK older than 22, without the FFM binding (build it with JDK 22+)";
        }
    }

    private static String choose() {
        String asked = tfobench.Settings.LINUX.value();
        switch (asked) {
            case "jna":
                return "jna";
            case "ffm":
                return WHY_NOT_FFM == null ? "ffm" : "-D" + PROPERTY + "=ffm: " + WHY_NOT_FFM;
            case "auto":
                return WHY_NOT_FFM == null ? "ffm" : "jna";
            default:
                return "-D" + PROPERTY + " is jna, ffm or auto, got '" + asked + "'";
        }
    }

    /** The binding chosen. */
    static SocketCalls calls() {
        if (name().equals("jna")) {
            return new JnaSocketCalls();
        }
        try {
            return (SocketCalls) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new IllegalStateException("cannot load the FFM binding: " + e, e);
        }
    }

    /** A fresh instance of the named binding, for tests that set the two side by side. */
    static SocketCalls create(String name) throws ReflectiveOperationException {
        return name.equals("jna") ? new JnaSocketCalls()
                : (SocketCalls) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
    }
}
