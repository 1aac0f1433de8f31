package tfobench.cli;

import tfobench.linux.MissingCapabilityException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jar's entry point. A first argument naming a tool runs that tool; anything else is JMH's command line,
 * so {@code java -jar benchmarks.jar -l}, {@code -h}, {@code -p}, {@code -rf json} behave as JMH users expect
 * ({@link BenchmarkLauncher} adds the namespace, preflight, evidence and run folder around it).
 */
public final class Main {
    /** A named tool: takes its arguments, prints to out/err, returns the exit status. */
    interface Tool {
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

    /** The tools' names, for help texts. */
    static String toolNames() {
        return String.join(", ", TOOLS.keySet());
    }
}
