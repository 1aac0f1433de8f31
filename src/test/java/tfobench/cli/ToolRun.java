package tfobench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a jar tool printed and returned, run in this JVM through {@link Main#runTool}. */
record ToolRun(int status, String out, String err) {

    static ToolRun of(String tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runTool(tool, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The cells of the comparison row for these params (exactly) and run number. */
    String[] row(String params, int run) {
        return out.lines().filter(l -> l.startsWith("| ")).map(ToolRun::cells)
                .filter(c -> c.length > 2 && c[0].equals(params) && c[1].equals(String.valueOf(run))).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + params + "' for run " + run + " in:\n" + out));
    }

    static String[] cells(String markdownRow) {
        String inner = markdownRow.substring(2, markdownRow.length() - 2);
        return java.util.Arrays.stream(inner.split(" \\| ", -1)).map(String::trim).toArray(String[]::new);
    }
}
