/**
 * The jar's entry ({@link tfobench.cli.Main}): JMH's command line passes straight through the launcher, which adds
 * the private namespace, the preflight, the evidence profiler, the run folder and the C calibration around it;
 * a first argument naming a tool ({@code server}, {@code probe}, {@code check}, {@code compare}, {@code report},
 * {@code load}, {@code churn}, {@code matrix}) runs that tool instead. Every tool's usage is its {@code --help}.
 *
 * <p>The top of the layers: it may use every package, and none uses it. Bad input is one line and exit status 2,
 * a missing capability one line naming the fix and exit status 1.
 */
package tfobench.cli;
