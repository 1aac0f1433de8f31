#!/usr/bin/env bash
# Runs inside a virtme-ng guest started by scripts/kernel-matrix.sh (the host's root file system, read-only,
# with STAGE writable). Loads netem, runs the functional check (with the RTT physics check), then, unless
# MODE=check, the RTT-scale benchmarks, and leaves one run folder in STAGE/runs with the check beside it.
#
# usage: kernel-matrix-guest.sh JAR STAGE MODE CHECK_RTT RTTS [JMH options...]
#   MODE       full (check + benchmarks) or check (functional check only)
#   CHECK_RTT  RTT in ms for the check's physics test (0: none)
#   RTTS       comma-separated rtt values for -p rtt=
# Environment: TFOBENCH_EMULATION (describes the emulation; marks the run folder), TFOBENCH_SOURCE.
set -euo pipefail

if [ "$#" -lt 5 ]; then
  echo "usage: $0 JAR STAGE MODE CHECK_RTT RTTS [JMH options...]" >&2
  exit 2
fi
jar=$1 stage=$2 mode=$3 check_rtt=$4 rtts=$5
shift 5

say() { printf '[guest %s] %s\n' "$(uname -r)" "$*"; }
started=$(date +%s)
mkdir -p "$stage"

if ! modprobe sch_netem 2>"$stage/modprobe.err"; then
  say "ERROR: modprobe sch_netem failed: $(cat "$stage/modprobe.err")"
  say "the kernel's modules must come from the same package as its vmlinuz (see kernel-matrix.sh)"
  exit 1
fi
say "netem loaded; $(java -version 2>&1 | head -1); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"

check_args=(--json "$stage/functional-check.json")
if [ "$check_rtt" -gt 0 ]; then
  check_args+=(--rtt "$check_rtt")
fi
# The guest shares the host's root file system: dumpcap is here when the host has it. The check then captures
# every scenario (at the check's RTT) and checks the packets: two round trips for cold, one for fast open.
if command -v dumpcap >/dev/null 2>&1; then
  check_args+=(--capture "$stage/check-capture.pcapng")
else
  say "no packet capture: dumpcap is not installed on the host (apt-get install wireshark-common)"
fi
say "functional check: java -jar $jar check ${check_args[*]}"
check_status=0
java -jar "$jar" check "${check_args[@]}" 2>&1 | tee "$stage/functional-check.log" || check_status=$?
say "functional check finished in $(( $(date +%s) - started )) s with status $check_status"

if [ "$mode" = full ]; then
  bench_started=$(date +%s)
  say "benchmarks: java -jar $jar $* -p rtt=$rtts"
  bench_status=0
  # No C calibration in a guest: Java/C ratios of emulated microseconds mean nothing.
  TFOBENCH_RESULTS="$stage/runs" java -Dtfobench.calibration=false -jar "$jar" "$@" -p "rtt=$rtts" 2>&1 | tee "$stage/console.log" \
    || bench_status=$?
  say "benchmarks finished in $(( $(date +%s) - bench_started )) s with status $bench_status"
  folder=$(find "$stage/runs" -mindepth 1 -maxdepth 1 -type d | head -1)
  if [ -z "$folder" ]; then
    say "ERROR: the benchmark run wrote no run folder"
    exit 1
  fi
  for f in functional-check.json functional-check.log check-capture.pcapng check-capture.json console.log; do
    if [ -e "$stage/$f" ]; then mv "$stage/$f" "$folder/"; fi
  done
  if [ "$bench_status" -ne 0 ]; then
    exit "$bench_status"
  fi
fi
say "guest work took $(( $(date +%s) - started )) s"
exit "$check_status"
