#!/usr/bin/env bash
# Runs inside a virtme-ng guest started by scripts/kernel-matrix.sh (the host's root file system, read-only,
# with STAGE writable). Loads netem, runs the functional check (with the RTT physics check and the kernel
# behaviours), then, unless MODE=check, the RTT-scale benchmarks, and leaves one run folder in STAGE/runs with the
# check beside it. In MODE=full it then causes the kernel's fast open blackhole detection for real in a namespace of
# its own (the old default timeout, netem dropping a fast open connection's SYNs) and runs the check and a short
# benchmark there, which must see it and refuse to report fast open numbers: a second run folder, in
# STAGE/blackhole-runs.
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
say "netem loaded; $(java -version 2>&1 | sed -n 1p); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"

# Under emulation on a loaded machine a JVM's first Netty exchange alone has taken over a minute.
# The fast open blackhole, caused for real: in a network namespace of its own, with tcp_fastopen_blackhole_timeout_sec
# at the old default (3600), a fast open client whose cookie is cached sends its request in the SYN while netem drops
# every SYN to that server; at the third timeout the kernel disables client fast open in the namespace
# (TCPFastOpenBlackhole +1). Then the check and a short benchmark run there: the check as in a namespace made for it
# (TFOBENCH_NETNS=private), the benchmark as a run in the user's own namespace (TFOBENCH_NETNS=host), the case where
# a blackhole on the machine reaches the measurement (so at RTT 0: netem is only put on a private namespace's lo).
# Both must see it and label it, and neither may report a fast open number: the check fails
# fast-open-not-blackholed and refuses the RTT physics; the benchmark's run folder is named
# ...-fastopen-blackholed, its environment.json says so, cold is measured and tfo refuses to run.
blackhole_stage() {
  local out="$stage/blackhole-runs" ns_script="$stage/blackhole-namespace.sh"
  mkdir -p "$out"
  cat > "$ns_script" <<'NS'
set -u
jar=$1 out=$2 log=$3
shift 3
say() { printf '[guest %s blackhole] %s\n' "$(uname -r)" "$*"; }
counter() { awk '/^TcpExt:/ { if (!names) { for (i = 2; i <= NF; i++) n[i] = $i; names = 1 } else { for (i = 2; i <= NF; i++) if (n[i] == "TCPFastOpenBlackhole") print $i } }' /proc/net/netstat; }
ip link set lo up
sysctl -qw net.ipv4.tcp_fastopen=3 net.ipv4.tcp_fastopen_blackhole_timeout_sec=3600
java -jar "$jar" server --tfo --bind 127.0.66.1 --port 7000 > "$out/blackhole-server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  ss -Hltn 'sport = :7000' | grep -q 7000 && break
  sleep 1
done
say "fast open server up on 127.0.66.1:7000; two fast open requests (the first caches the cookie)"
java -jar "$jar" probe --handshake tfo --count 2 --quiet 127.0.66.1:7000
say "netem now drops every SYN to 127.0.66.1 (tcp_fastopen_blackhole_timeout_sec=3600, TCPFastOpenBlackhole $(counter))"
tc qdisc add dev lo root handle 1: prio
tc qdisc add dev lo parent 1:3 handle 30: netem loss 100%
tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 127.0.66.1/32 match ip protocol 6 0xff \
  match u8 0x02 0x12 at 33 flowid 1:3
java -jar "$jar" probe --handshake tfo --count 1 --quiet --timeout 20000 127.0.66.1:7000 \
  || say "that fast open request timed out, as it must"
tc qdisc del dev lo root
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
after=$(counter)
say "SYNs pass again; TCPFastOpenBlackhole $after"
[ "${after:-0}" -ge 1 ] || { say "ERROR: blackhole detection did not fire"; exit 1; }
say "check --rtt 10 in this namespace (must fail fast-open-not-blackholed and refuse the RTT physics)"
TFOBENCH_NETNS=private java -jar "$jar" check --json "$out/functional-check.json" --rtt 10 --timeout 600000 \
  > "$out/functional-check.log" 2>&1
say "check exited with status $? (1 expected)"
say "benchmark in this namespace: $*"
TFOBENCH_NETNS=host TFOBENCH_RESULTS="$out" java -Dtfobench.calibration=false \
  -jar "$jar" "$@" > "$log" 2>&1
say "benchmark exited with status $? (1 expected: tfo refuses to run)"
NS
  say "blackhole stage: a namespace of its own, fast open blackholed for real, then check and benchmark there"
  unshare --net bash "$ns_script" "$jar" "$out" "$stage/blackhole-console.log" \
    FirstRequest -p handshake=cold,tfo -p transport=native -p placement=same-cpu -f 1 -wi 0 -i 1 -r 2s \
    || return 1
  local folder
  folder=$(find "$out" -mindepth 1 -maxdepth 1 -type d -name '*fastopen-blackholed*' | sed -n 1p)
  if [ -z "$folder" ]; then
    say "ERROR: the benchmark in the blackholed namespace left no ...-fastopen-blackholed run folder"
    return 1
  fi
  mv "$stage/blackhole-console.log" "$folder/console.log"
  mv "$out/functional-check.json" "$out/functional-check.log" "$out/blackhole-server.log" "$folder/" 2>/dev/null || true
  grep -q '"state": "active"' "$folder/environment.json" \
    || { say "ERROR: $folder/environment.json does not say the blackhole was active"; return 1; }
  grep -q 'fast open is disabled in this network namespace' "$folder/console.log" \
    || { say "ERROR: the benchmark did not refuse fast open"; return 1; }
  if grep -q '"handshake" : "tfo"' "$folder/jmh-result.json" 2>/dev/null; then
    say "ERROR: a tfo result was reported while fast open was blackholed"
    return 1
  fi
  grep -q '"fast-open-not-blackholed"' "$folder/functional-check.json" \
    || { say "ERROR: the check in the blackholed namespace wrote no verdict on it"; return 1; }
  say "blackhole stage: fast open was refused and labelled: $(basename "$folder")"
}

check_args=(--json "$stage/functional-check.json" --timeout 600000)
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
  # A JMH fork that aborted (SIGSEGV or SIGILL in freshly compiled code: the emulator, not the kernel) fails its
  # benchmark; 134 makes the host boot the guest once more instead of keeping a run with that benchmark missing.
  if [ "$bench_status" -ne 0 ] && grep -q "forked VM failed with exit code 134" "$stage/console.log"; then
    say "a benchmark's JVM aborted under emulation: exiting 134 so that the host retries"
    bench_status=134
  fi
  folder=
  if [ -d "$stage/runs" ]; then
    folder=$(find "$stage/runs" -mindepth 1 -maxdepth 1 -type d | sed -n 1p)
  fi
  if [ -z "$folder" ]; then
    # Its own status, not 1: the host retries a guest whose JVM aborted (134), which can happen before the
    # launcher has made the run folder.
    say "ERROR: the benchmark run wrote no run folder (it exited with status $bench_status)"
    [ "$bench_status" -ne 0 ] && exit "$bench_status"
    exit 1
  fi
  for f in functional-check.json functional-check.log check-capture.pcapng check-capture.json console.log; do
    if [ -e "$stage/$f" ]; then mv "$stage/$f" "$folder/"; fi
  done
  if [ "$bench_status" -ne 0 ]; then
    exit "$bench_status"
  fi
  blackhole_started=$(date +%s)
  blackhole_status=0
  blackhole_stage "$@" || blackhole_status=$?
  say "blackhole stage finished in $(( $(date +%s) - blackhole_started )) s with status $blackhole_status"
  [ "$blackhole_status" -eq 0 ] || exit "$blackhole_status"
fi
say "guest work took $(( $(date +%s) - started )) s"
exit "$check_status"
