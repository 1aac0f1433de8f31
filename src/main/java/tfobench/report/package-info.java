/**
 * Run folders, written and read back: creating {@code <results>/<date>-<kernel>-<label>/}, the environment
 * snapshot ({@code environment.json}, never the fast open key), every JSON and Markdown file the suite writes
 * ({@link tfobench.report.JsonFile}, {@link tfobench.report.MarkdownTable}), and from folders alone: the comparison
 * of runs with its statistics, {@code summary.md} with plots, the open-loop report and the kernel matrix.
 *
 * <p>Uses {@code linux} (to capture the environment); knows nothing of benchmarks, servers or clients: it reads
 * what a run left in its folder, JMH's JSON included, never a live run.
 */
package tfobench.report;
