package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Receive Packet Steering on the private namespace's loopback: {@code rps_cpus} of {@code lo}'s receive queue set
 * to some CPUs, so that every packet of a flow goes through the backlog of one CPU chosen by the flow's hash,
 * instead of the backlog of whichever CPU sent it. With it a fast open server's first data can no longer overtake
 * its own SYN-ACK on the way to the client (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md): both are queued, in that
 * order, on the same CPU's backlog. It turns the race off without changing where client and server run.
 *
 * <p>{@code rps_cpus} lives in sysfs, which shows the network namespace of whoever mounted it, so it is written
 * through a sysfs mounted inside a mount namespace of its own ({@code unshare --mount}), which vanishes with the
 * command: the host's {@code lo} and mounts are never touched. The kernel accepts the write only with
 * {@code CAP_NET_ADMIN} in the initial user namespace ({@code net/core/net-sysfs.c}, {@code store_rps_map}):
 * real root, not the root of {@code unshare --user}.
 */
public final class LoopbackSteering implements AutoCloseable {
    static final String DEVICE = "lo";
    /** Written by a shell inside its own mount namespace: $0 is the mask. */
    static final String SCRIPT = "d=$(mktemp -d) && mount -t sysfs sysfs \"$d\" && "
            + "{ echo \"$0\" > \"$d/class/net/" + DEVICE + "/queues/rx-0/rps_cpus\"; s=$?; umount \"$d\"; "
            + "rmdir \"$d\"; exit $s; }";

    private final String mask;
    private boolean closed;

    private LoopbackSteering(String mask) {
        this.mask = mask;
    }

    /**
     * Steers every flow on lo through one of {@code cpus}' backlogs until {@link #close()}.
     *
     * @throws MissingCapabilityException outside a private namespace, without real root, or where the kernel has
     *                                    no RPS
     */
    public static LoopbackSteering apply(BitSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("receive packet steering needs at least one CPU");
        }
        whyUnavailable().ifPresent(why -> {
            throw new MissingCapabilityException("cannot steer lo's flows (receive packet steering): " + why);
        });
        String mask = mask(cpus);
        try {
            write(mask);
        } catch (IOException e) {
            throw new MissingCapabilityException("cannot set rps_cpus of lo to " + mask + ": " + e.getMessage());
        }
        return new LoopbackSteering(mask);
    }

    /** The hexadecimal CPU mask sysfs takes: CPUs 0 and 1 are {@code 3}. */
    static String mask(BitSet cpus) {
        StringBuilder hex = new StringBuilder();
        for (int nibble = (cpus.length() - 1) / 4; nibble >= 0; nibble--) {
            int v = 0;
            for (int bit = 3; bit >= 0; bit--) {
                v = v * 2 + (cpus.get(nibble * 4 + bit) ? 1 : 0);
            }
            if (hex.length() > 0 || v != 0) {
                hex.append(Character.forDigit(v, 16));
            }
        }
        return hex.length() == 0 ? "0" : hex.toString();
    }

    /** The mask in effect, e.g. {@code 3}. */
    public String mask() {
        return mask;
    }

    /** Turns steering off again: each packet back on the backlog of the CPU that sent it. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            write("0");
        }
    }

    /** Why lo's flows cannot be steered here, or empty when they can (nothing is changed to find out). */
    public static Optional<String> whyUnavailable() {
        if (!PrivateNetns.isPrivate()) {
            return Optional.of("not in a private network namespace, where alone lo may be changed (the host's "
                    + "lo is never touched)");
        }
        if (!initialUserNamespaceRoot()) {
            return Optional.of("needs real root: the kernel writes rps_cpus only with CAP_NET_ADMIN in the initial "
                    + "user namespace (store_rps_map), and this run is root of a user namespace only; run as root");
        }
        return Optional.empty();
    }

    /** Root in the initial user namespace: uid 0 and an identity uid map. */
    static boolean initialUserNamespaceRoot() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map"), StandardCharsets.US_ASCII).trim();
            String status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII);
            boolean uid0 = status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s+0\\s+0\\s+0"));
            return uid0 && map.matches("0\\s+0\\s+4294967295");
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(String mask) throws IOException {
        Command.run("writing rps_cpus", List.of("unshare", "--mount", "sh", "-c", SCRIPT, mask),
                "apt-get install util-linux");
    }
}
