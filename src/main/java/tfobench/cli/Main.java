package tfobench.cli;

import tfobench.linux.MissingCapabilityException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jar's entry point. A first argument naming a tool runs that tool; anything else is JMH's command line,
 * so {@code java -jar benchmarks.jar -l}, {@code -p}, {@code -rf json} behave as JMH users expect
 * ({@link BenchmarkLauncher} adds the namespace, preflight, evidence and run folder around it), and {@code -h}
 * names the tools before JMH's own help.
 */
public final class Main {
    /** A named tool: takes its arguments, prints to out/err, returns the exit status. */
    interface Tool {
        /** What follows {@code java -jar benchmarks.jar} in its usage line, e.g. {@code probe [options] HOST:PORT}. */
        String synopsis();

        /** One line: what the tool does, for {@code -h} and the tool's {@code --help}. */
        String summary();

        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    private static final Map<String, Tool> TOOLS = new TreeMap<>();

    static {
        TOOLS.put("compare", new CompareTool());
        TOOLS.put("report", new ReportTool());
        TOOLS.put("server", new ServerTool());
        TOOLS.put("probe", new ProbeTool());
        TOOLS.put("load", new LoadTool());
        TOOLS.put("churn", new ChurnTool());
        TOOLS.put("check", new FunctionalCheckTool());
        TOOLS.put("matrix", new MatrixTool());
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && TOOLS.containsKey(args[0])) {
            int status = runTool(args[0], Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            System.out.flush();
            System.exit(status);
        }
        int status = BenchmarkLauncher.run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Runs a tool, turning the expected failures into one line on err and an exit status. */
    static int runTool(String name, String[] args, PrintStream out, PrintStream err) {
        Tool tool = TOOLS.get(name);
        try {
            return tool.run(args, out, err);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (MissingCapabilityException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        } catch (Exception e) {
            err.println(name + ": unexpected failure: " + e);
            e.printStackTrace(err);
            return 70;
        }
    }

    /** What {@code -h} shows before JMH's own help: the suite's command line, then every tool, one line each. */
    static void printTools(PrintStream out) {
        out.println("tfo-bench: java -jar benchmarks.jar [JMH options] runs the suite in a private network namespace,");
        out.println("with a preflight, TCP Fast Open evidence in every result and a run folder (bench-results/).");
        out.println();
        out.println("Tools: java -jar benchmarks.jar TOOL [options]; TOOL --help gives its options.");
        TOOLS.forEach((name, tool) -> out.printf("  %-8s %s%n", name, tool.summary()));
        out.println();
        out.println("JMH options:");
    }

    /** A tool's {@code --help}: its usage line, what it does, then its options. */
    static void printUsage(Tool tool, joptsimple.OptionParser parser, PrintStream out) throws IOException {
        out.println("usage: java -jar benchmarks.jar " + tool.synopsis());
        out.println(tool.summary());
        parser.printHelpOn(out);
    }
}
