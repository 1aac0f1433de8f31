package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short system command run to its end, for the few namespace settings only a command-line tool changes. */
final class Command {
    static final long TIMEOUT_SECONDS = 10;

    private Command() {
    }

    /**
     * Runs {@code command} and returns its output (standard output and error, trimmed).
     *
     * @param what    how failures name the command, e.g. its command line
     * @param install what to install when the program is missing, e.g. {@code apt-get install iproute2}
     * @throws IOException naming {@code what} and the command's own words when it fails or does not end in time
     */
    static String run(String what, List<String> command, String install) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " not found (" + install + ")", e);
        }
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not return within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String why = output.replace('\n', ' ');
                throw new IOException(what + ": " + (why.isEmpty() ? "exit status " + p.exitValue() : why));
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
