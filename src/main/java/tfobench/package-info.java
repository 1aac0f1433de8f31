/**
 * tfo-bench: what TCP Fast Open buys over a three-way handshake on Linux, measured with JMH and proven per
 * operation. This root package holds only what every layer shares: {@link tfobench.Transport} (native or Netty),
 * {@link tfobench.Settings}, every {@code tfobench.*} / {@code TFOBENCH_*} knob, and {@link tfobench.JsonFile}, how
 * every JSON file is written. It knows nothing of the layers.
 *
 * <p>The layers, lowest first (a package may use those before it, never those after): {@code protocol} and
 * {@code linux}; {@code server}; {@code client}; {@code capture}; {@code report}; {@code bench}, {@code load} and
 * {@code calibration}; {@code cli}, the jar's entry.
 */
package tfobench;
