/**
 * Run folders, written and read back: creating {@code <results>/<date>-<kernel>-<label>/}, the environment
 * snapshot ({@code environment.json}, never the fast open key), every Markdown table the suite writes
 * ({@link tfobench.report.MarkdownTable}), and from folders alone: the comparison of runs with its statistics,
 * {@code summary.md} with plots and packets, the open-loop report and the kernel matrix.
 *
 * <p>Uses {@code linux} (to capture the environment) and {@code capture} (to read a run's packets); knows nothing
 * of benchmarks, servers or clients: it reads what a run left in its folder, JMH's JSON included, never a live run.
 */
package tfobench.report;
