#!/usr/bin/env bash
# Off loopback: the suite measured across a veth pair between two network namespaces, as two hosts on a link with
# an MTU of 1500. The server (`benchmarks.jar server --tfo`) runs in one namespace, the suite in the other with
# -p host=SERVER:PORT, so the first request crosses a real link with a real MSS: what a SYN can carry shows. Both
# namespaces are private (made with unshare, as root or not) and vanish with the script: the host is untouched.
#
#   scripts/veth-run.sh [--family ipv4|ipv6] [--rtt MS] [--label NAME] [--results DIR] [--jar FILE] [-- JMH options]
#
# --rtt MS delays every packet the client sends by MS (netem on its end of the link), so a round trip takes MS:
# needs sch_netem (Debian's kernels have it; run it in a kernel-matrix guest where the host has none).
# Default JMH options: the first request, cold against tfo, at sizes around what one SYN carries (1,420 bytes
# over IPv4, 1,400 over IPv6 at MTU 1500):
#   FirstRequest -p handshake=cold,tfo -p transport=native -p placement=none -p requestBytes=SIZES
#   -f 2 -wi 1 -i 3 -r 1s        (with --rtt: -w 2s -r 2s)
set -Eeuo pipefail

say() { printf '[veth-run] %s\n' "$*"; }
die() { printf '[veth-run] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'status=$?; printf "[veth-run] ERROR: line %s: \`%s\` exited with status %s\n" "$LINENO" "$BASH_COMMAND" "$status" >&2; exit "$status"' ERR

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

repo=$(cd "$(dirname "$0")/.." && pwd)
family=ipv4
rtt=0
label=
results="$repo/bench-results"
jar="$repo/target/benchmarks.jar"
jmh=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --family) [ "$#" -ge 2 ] || die "--family needs ipv4 or ipv6"; family=$2; shift 2 ;;
    --rtt) [ "$#" -ge 2 ] || die "--rtt needs milliseconds"; rtt=$2; shift 2 ;;
    --label) [ "$#" -ge 2 ] || die "--label needs a name"; label=$2; shift 2 ;;
    --results) [ "$#" -ge 2 ] || die "--results needs a directory"; results=$2; shift 2 ;;
    --jar) [ "$#" -ge 2 ] || die "--jar needs a file"; jar=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; jmh=("$@"); break ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$family" in
  ipv4) server=10.77.0.1 client=10.77.0.2 prefix=24 target=10.77.0.1:8080 sizes=79,1000,1420,1421,2000,2840 ;;
  ipv6) server=fd74:666f:77::1 client=fd74:666f:77::2 prefix=64 target='[fd74:666f:77::1]:8080'
        sizes=79,1000,1400,1401,2000,2800 ;;
  *) die "--family takes ipv4 or ipv6, got '$family'" ;;
esac
case "$rtt" in ''|*[!0-9]*) die "--rtt takes whole milliseconds, got '$rtt'" ;; esac
if [ -z "$label" ]; then
  label=veth-$family
  if [ "$rtt" -gt 0 ]; then label=$label-rtt$rtt; fi
fi
if [ "${#jmh[@]}" -eq 0 ]; then
  timing=(-f 2 -wi 1 -i 3 -r 1s)
  [ "$rtt" -eq 0 ] || timing=(-f 1 -wi 1 -w 2s -i 3 -r 2s)
  jmh=(FirstRequest -p handshake=cold,tfo -p transport=native -p placement=none -p "requestBytes=$sizes" "${timing[@]}")
fi
[ -f "$jar" ] || die "no $jar: build it first (mvn -B -q -DskipTests package)"
for tool in unshare ip java; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install util-linux iproute2 openjdk-17-jre-headless)"
done
mkdir -p "$results"
results=$(cd "$results" && pwd)
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")

# 1. Into a private network namespace of our own (and a user namespace unless root), once.
if [ "${TFOBENCH_VETH_INSIDE:-}" != yes ]; then
  flags=(--net)
  [ "$(id -u)" = 0 ] || flags=(--user --map-root-user --net)
  exec unshare "${flags[@]}" env TFOBENCH_VETH_INSIDE=yes "$0" --family "$family" --rtt "$rtt" --label "$label" \
    --results "$results" --jar "$jar" -- "${jmh[@]}"
fi
ip link set lo up
echo 3 > /proc/sys/net/ipv4/tcp_fastopen

# 2. The server's namespace: it waits until its end of the link exists, configures it and runs the server.
log=$(mktemp)
unshare --net sh -c '
  while ! ip link show tfo0 >/dev/null 2>&1; do sleep 0.1; done
  ip link set lo up && echo 3 > /proc/sys/net/ipv4/tcp_fastopen
  if [ "$3" = ipv6 ]; then nodad=nodad; else nodad=; fi
  ip addr add "$1/$2" dev tfo0 $nodad && ip link set tfo0 up
  exec java -jar "$4" server --tfo --bind "$1" --port 8080 --max-header-bytes 70000 --threads 8' \
  sh "$server" "$prefix" "$family" "$jar" >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT

# 3. The link, our end configured (and delayed by the RTT), once the server's process is in its own namespace.
for _ in $(seq 1 100); do
  [ "$(readlink "/proc/$server_pid/ns/net")" = "$(readlink /proc/self/ns/net)" ] || break
  sleep 0.05
done
ip link add tfo0 type veth peer name tfo0 netns "$server_pid" \
  || die "cannot create a veth pair (ip link add ... type veth): needs the veth driver"
nodad=()
[ "$family" = ipv4 ] || nodad=(nodad)
ip addr add "$client/$prefix" dev tfo0 "${nodad[@]}"
ip link set tfo0 up
if [ "$rtt" -gt 0 ]; then
  tc qdisc add dev tfo0 root netem delay "${rtt}ms" limit 100000 \
    || die "no netem on this kernel (tc qdisc add ... netem): run --rtt in a kernel-matrix guest"
fi
for _ in $(seq 1 300); do
  grep -q '^listening on ' "$log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "the server did not start (its output is above)"; }
  sleep 0.1
done
grep -q '^listening on ' "$log" || die "the server did not listen within 30 s"
mtu=$(ip -o link show tfo0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
say "server $(grep '^listening on ' "$log"), client $client, MTU $mtu, rtt ${rtt} ms"

# 4. The suite, against it. The launcher stays in this namespace (-p host= names a server it must reach).
link="veth pair between two private network namespaces, MTU $mtu, $family"
[ "$rtt" -eq 0 ] || link="$link, netem delay $rtt ms on the client's egress (round trip $rtt ms)"
TFOBENCH_LABEL="$label" TFOBENCH_RESULTS="$results" TFOBENCH_LINK="$link" \
  java -jar "$jar" "${jmh[@]}" -p "host=$target" -p "family=$family" \
  || die "the suite failed (its FAILED: lines are above)"
