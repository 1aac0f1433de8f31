#!/usr/bin/env bash
# The runs behind docs/COST.md's "harness against the minimal C floor": one JMH run per harness setting, same
# scenarios, each with its own C calibration (calib.c and floor.c) where the ratios to the floor are wanted.
# Run it on a quiet machine (uptime's load under 1), from the repository, after building the jar with JDK 22+
# (JAVA_HOME=<jdk 22+> mvn -B -ntp package) so that the FFM layer is in it:
#   scripts/cost-runs.sh [RESULTS_DIR]        (default bench-results)
# FORKS_AND_TIMES replaces the JMH forks and times (default "-f 2 -wi 3 -i 5 -r 1s"), CALIB_SECONDS the seconds per C
# scenario (default 5), RUNS the labels to make (default all: after before toggles ffm jna).
# Then: java -jar target/benchmarks.jar compare <after> <before>, and the same for each switch run.
set -euo pipefail
results=${1:-bench-results}
jar=${JAR:-target/benchmarks.jar}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk22=${JDK22:-/usr/lib/jvm/temurin-25-jdk-amd64}
read -r -a times <<< "${FORKS_AND_TIMES:--f 2 -wi 3 -i 5 -r 1s}"
calib=${CALIB_SECONDS:-5}
runs=" ${RUNS:-after before toggles ffm jna} "
bench=(-jar "$jar" "FirstRequest|KeepAlive" -p transport=native,netty -p placement=same-cpu -p handshake=cold,tfo
       "${times[@]}")
run() { # label, java home, extra -D options...
    local label=$1 home=$2; shift 2
    [[ $runs == *" ${label#cost-} "* || ( $label == cost-toggle && $runs == *" toggles "* ) ]] || return 0
    # A run with a failed benchmark still has the others' results: go on, and say so at the end.
    "$home/bin/java" -Dtfobench.results="$results" -Dtfobench.label="$label" "$@" "${bench[@]}" \
        || failed="$failed $label($*)"
}
failed=""
# The harness as it is, JDK 17 (JNA), with both C floors measured right after it:
run cost-after "$jdk17" -Dtfobench.calibration.seconds="$calib"
# As it was before issue 16: TCP_NODELAY on every client socket, four native server workers:
run cost-before "$jdk17" -Dtfobench.calibration.seconds="$calib" -Dtfobench.harness=client-nodelay,server-workers-4
# What stays, each taken out once (no calibration needed: compare with cost-after):
run cost-toggle "$jdk17" -Dtfobench.calibration=false -Dtfobench.harness=client-timeouts-off
run cost-toggle "$jdk17" -Dtfobench.calibration=false -Dtfobench.harness=latency-log-off
# JDK 22+: the FFM layer (default there), then JNA on the same JDK:
run cost-ffm "$jdk22" -Dtfobench.calibration.seconds="$calib"
run cost-jna "$jdk22" -Dtfobench.calibration.seconds="$calib" -Dtfobench.linux=jna
if [[ -n $failed ]]; then
    echo "cost-runs: a benchmark failed in:$failed" >&2
    exit 1
fi
