package tfobench.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drops every pure ACK (TCP flags exactly ACK) sent to one address and port over {@code lo}, with nothing but
 * iproute2's {@code tc}: an htb root qdisc whose second class ends in a pfifo of limit 0, and a u32 filter
 * sending those segments there. A fast open connection whose final handshake ACK is lost stays in the server's
 * fast open queue ({@code TCP_FASTOPEN} queue length counts children not yet acknowledged), so this is how a
 * test fills that queue. Segments with data or FIN still pass. Close removes the qdisc.
 */
public final class AckDropper implements AutoCloseable {
    private AckDropper() {
    }

    public static AckDropper to(InetSocketAddress server) throws IOException, InterruptedException {
        String address = server.getAddress().getHostAddress();
        AckDropper dropper = new AckDropper();
        try {
            tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "1", "r2q", "1000000");
            tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit");
            tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:2", "htb", "rate", "10gbit");
            tc("qdisc", "add", "dev", "lo", "parent", "1:2", "handle", "20:", "pfifo", "limit", "0");
            // IPv4 header without options is 20 bytes; TCP flags are byte 13 of the TCP header.
            tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                    "match", "ip", "dst", address + "/32",
                    "match", "ip", "dport", Integer.toString(server.getPort()), "0xffff",
                    "match", "u8", "0x10", "0xff", "at", "33",
                    "flowid", "1:2");
            return dropper;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            dropper.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("tc", "qdisc", "del", "dev", "lo", "root"), true);
    }

    private static void tc(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("tc");
        command.addAll(List.of(args));
        run(command, false);
    }

    private static void run(List<String> command, boolean quiet) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("tc not found, needed to drop ACKs: apt-get install iproute2", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": no answer within 10 s");
        }
        if (p.exitValue() != 0 && !quiet) {
            throw new AssertionError(String.join(" ", command) + " failed (" + output + "): the kernel needs "
                    + "sch_htb, sch_fifo and cls_u32");
        }
    }
}
