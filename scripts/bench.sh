#!/usr/bin/env bash
# Runs the tfo-bench suite and leaves a complete run folder: builds target/benchmarks.jar when it is missing or
# older than the sources, runs the suite (the jar moves itself into a private network namespace with TCP Fast
# Open on, prints its preflight and JMH's progress with an ETA), keeps the console output as console.log, then
# writes summary.md and the plots into the folder with the jar's report tool.
#
#   scripts/bench.sh [--label NAME] [--results DIR] [JMH options...]
#
# Every other argument goes to JMH unchanged: a benchmark regex, -p, -f, -wi, -i, -r, -prof...
# Exit status: the suite's (non-zero if a benchmark failed), else the report's.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/benchmarks.jar"
label=""
results="$root/bench-results"
jmh_args=()

usage() {
  cat <<EOF
usage: scripts/bench.sh [--label NAME] [--results DIR] [JMH options...]

  --label NAME    last part of the run folder's name (default: run)
  --results DIR   where run folders go (default: $root/bench-results)
  --help          this text; JMH's own options: java -jar target/benchmarks.jar -h

Writes DIR/<date>-<kernel>-<label>/ with jmh-result.json, environment.json, the .hgrm/.hlog latency
files, tcpext-delta.json, console.log, summary.md and plots (PNG, SVG).
Quick try: scripts/bench.sh --label quick -f 1 -wi 1 -i 3 -r 1s
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --label) [ $# -ge 2 ] || { echo "bench.sh: --label needs a value" >&2; exit 2; }; label="$2"; shift 2 ;;
    --label=*) label="${1#--label=}"; shift ;;
    --results) [ $# -ge 2 ] || { echo "bench.sh: --results needs a value" >&2; exit 2; }; results="$2"; shift 2 ;;
    --results=*) results="${1#--results=}"; shift ;;
    --help) usage; exit 0 ;;
    *) jmh_args+=("$1"); shift ;;
  esac
done

if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  command -v mvn >/dev/null || { echo "bench.sh: $jar needs building and mvn is not installed (apt-get install maven)" >&2; exit 1; }
  echo "# bench.sh: building $jar (mvn -B -q -DskipTests package)"
  mvn -B -q -f "$root/pom.xml" -DskipTests package || { echo "bench.sh: the build failed" >&2; exit 1; }
fi

handoff="$(mktemp)"
console="$(mktemp)"
trap 'rm -f "$handoff" "$console"' EXIT

props=("-Dtfobench.results=$results")
[ -n "$label" ] && props+=("-Dtfobench.label=$label")
TFOBENCH_RUN_DIR_FILE="$handoff" java "${props[@]}" -jar "$jar" ${jmh_args[@]+"${jmh_args[@]}"} 2>&1 | tee "$console"
suite_status=${PIPESTATUS[0]}

run_dir="$(head -n 1 "$handoff")"
if [ -z "$run_dir" ] || [ ! -d "$run_dir" ]; then
  # No run folder: JMH only listed or helped (-l, -lp, -h), or the suite stopped before measuring.
  [ "$suite_status" -ne 0 ] && echo "bench.sh: the suite stopped before creating a run folder (exit status $suite_status)" >&2
  exit "$suite_status"
fi
cp "$console" "$run_dir/console.log"
if [ ! -f "$run_dir/jmh-result.json" ]; then
  echo "bench.sh: $run_dir has no jmh-result.json (did the run fail, or was -rf set to another format?): no report" >&2
  exit $(( suite_status == 0 ? 1 : suite_status ))
fi
java -jar "$jar" report "$run_dir"
report_status=$?
echo "# bench.sh: run folder $run_dir"
[ "$suite_status" -ne 0 ] && exit "$suite_status"
exit "$report_status"
