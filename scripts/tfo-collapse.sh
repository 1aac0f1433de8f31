#!/usr/bin/env bash
# TCP Fast Open: a server's first data segment overtakes its own SYN-ACK and the client, still in SYN-SENT,
# drops it; the server resends it after a retransmission timeout (~200 ms). One command reproduces it with a
# small C client/server pair (scripts/tfo-collapse/tfo-race.c, no JVM) in a private network namespace, and
# prints: connections, stalls, the namespace's TCPTimeouts, and how many captured connections had the server's
# data before its SYN-ACK. docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md explains the mechanism.
#
# Nothing on the host is changed: the run happens in new network and mount namespaces (as root: unshare --net
# --mount; otherwise also --user --map-current-user --keep-caps). --rps on and --trace on need real root.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/tfo-collapse.sh [options]

  --handshake H        tfo (sendto MSG_FASTOPEN), tfo-connect or cold (default tfo)
  --placement P        cross-cpu (client on the first CPU, server on the next), same-cpu, or none
                       (default cross-cpu)
  --rate N             connections started per second, open loop (default 10000)
  --duration S         seconds of connections (default 5); --warmup S runs the schedule that long first,
                       unmeasured by the client but seen by the counters and the capture (default 0)
  --threads N          client threads sharing the schedule, each blocking on its connection (default 4)
  --link L             lo (default), or veth: client and server in two namespaces joined by a veth pair
  --family F           4 (default) or 6
  --tfo-queue N        the server's TCP_FASTOPEN queue length (default 256, as the suite's servers)
  --nodelay on|off     TCP_NODELAY on every socket (default on, as the suite)
  --server-delay US    the server waits US microseconds before answering (default 0)
  --server-waits-established
                       the server answers only once its socket has left SYN_RECV (the client's ACK of the
                       SYN-ACK has arrived)
  --cc NAME            congestion control of every socket, setsockopt(TCP_CONGESTION) (default: the
                       namespace's default)
  --rps on|off         Receive Packet Steering on the receiving interfaces (rps_cpus = every online CPU):
                       each flow's packets go through one CPU's backlog, whichever CPU sent them (default
                       off). Needs real root: the kernel checks CAP_NET_ADMIN in the initial user namespace.
  --capture on|off     capture with tcpdump and count connections whose data came before the SYN-ACK
                       (default on; off measures without the capture's own cost)
  --trace on|off       also record kernel trace events (netif_rx, netif_receive_skb, kfree_skb, socket
                       states, softirqs, scheduling) into trace.txt under --out, and print which CPU queued
                       and delivered each dropped segment and its SYN-ACK (default off; needs real root)
  --stall-ms MS        a connection taking longer than this is a stall (default 100)
  --out DIR            keep the run's files there (result.txt, client.txt, counters, stalled connections,
                       trace-drops.txt; the capture and the raw trace only with --keep-capture, --keep-trace)
  --keep-capture       keep capture.pcap in --out
  --keep-trace         keep trace.txt (hundreds of MB) in --out
  -h, --help           this text

Prints a summary, then one line of key=value (the same as result.txt) for scripts.
EOF
}

say() { printf '[tfo-collapse] %s\n' "$*" >&2; }
die() { printf 'tfo-collapse: %s\n' "$*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
handshake=tfo placement=cross-cpu rate=10000 duration=5 warmup=0 threads=4 link=lo family=4 queue=256
nodelay=on delay=0 wait_established=0 cc=- rps=off capture=on trace=off stall_ms=100 out= keep_capture=no keep_trace=no
inner=no bin=
args=("$@")
while [ "$#" -gt 0 ]; do
  case "$1" in
    --handshake) handshake=${2:?}; shift 2 ;;
    --placement) placement=${2:?}; shift 2 ;;
    --rate) rate=${2:?}; shift 2 ;;
    --duration) duration=${2:?}; shift 2 ;;
    --warmup) warmup=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --link) link=${2:?}; shift 2 ;;
    --family) family=${2:?}; shift 2 ;;
    --tfo-queue) queue=${2:?}; shift 2 ;;
    --nodelay) nodelay=${2:?}; shift 2 ;;
    --server-delay) delay=${2:?}; shift 2 ;;
    --server-waits-established) wait_established=1; shift ;;
    --cc) cc=${2:?}; shift 2 ;;
    --rps) rps=${2:?}; shift 2 ;;
    --capture) capture=${2:?}; shift 2 ;;
    --trace) trace=${2:?}; shift 2 ;;
    --stall-ms) stall_ms=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --keep-capture) keep_capture=yes; shift ;;
    --keep-trace) keep_trace=yes; shift ;;
    --inner) inner=yes; bin=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

number() { case "$2" in ''|*[!0-9.]*) die "$1 takes a number, got '$2'" ;; esac; }
number --rate "$rate"; number --duration "$duration"; number --warmup "$warmup"; number --threads "$threads"
number --tfo-queue "$queue"; number --server-delay "$delay"; number --stall-ms "$stall_ms"
case "$handshake" in tfo|tfo-connect|cold) ;; *) die "--handshake takes tfo, tfo-connect or cold, got '$handshake'" ;; esac
case "$placement" in cross-cpu|same-cpu|none) ;; *) die "--placement takes cross-cpu, same-cpu or none, got '$placement'" ;; esac
case "$link" in lo|veth) ;; *) die "--link takes lo or veth, got '$link'" ;; esac
case "$family" in 4|6) ;; *) die "--family takes 4 or 6, got '$family'" ;; esac
for o in nodelay rps capture trace; do
  case "${!o}" in on|off) ;; *) die "--$o takes on or off, got '${!o}'" ;; esac
done

# ---------------------------------------------------------------- outside: tools, build, namespace
if [ "$inner" = no ]; then
  missing=()
  for tool in gcc unshare nsenter ip; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ "$capture" = on ] && ! command -v tcpdump >/dev/null 2>&1; then missing+=(tcpdump); fi
  if [ "${#missing[@]}" -gt 0 ]; then
    pkgs=$(printf '%s\n' "${missing[@]}" | sed 's/^unshare$/util-linux/; s/^nsenter$/util-linux/; s/^ip$/iproute2/' \
           | sort -u | tr '\n' ' ')
    die "missing ${missing[*]}: apt-get install ${pkgs% }$( [ "$capture" = on ] && echo ' (or run with --capture off)')"
  fi
  if [ "$(id -u)" != 0 ]; then
    [ "$rps" = off ] || die "--rps on needs real root: rps_cpus is written only with CAP_NET_ADMIN in the initial user namespace (net/core/net-sysfs.c store_rps_map)"
    [ "$trace" = off ] || die "--trace on needs real root (tracefs)"
  fi
  if [ -n "$out" ]; then mkdir -p "$out"; out=$(cd "$out" && pwd); fi
  build=$(mktemp -d "${TMPDIR:-/tmp}/tfo-collapse.XXXXXX")
  trap 'rm -rf "$build"' EXIT
  gcc -O2 -Wall -pthread -o "$build/tfo-race" "$here/tfo-collapse/tfo-race.c" \
    || die "gcc failed on $here/tfo-collapse/tfo-race.c (its C library headers come with: apt-get install libc6-dev)"
  # Without root: a user namespace in which we keep our own uid and, through --keep-caps, the capabilities the
  # namespace grants (CAP_NET_ADMIN, CAP_NET_RAW in the new network namespace). Not --map-root-user: tcpdump
  # started as uid 0 gives its file to its own user and switches to it, which such a namespace cannot do
  # ("Couldn't change ownership of savefile").
  if [ "$(id -u)" = 0 ]; then ns=(--net --mount); else ns=(--user --map-current-user --keep-caps --net --mount); fi
  # ip link: a namespace may be allowed and still grant no capability in it (AppArmor's user namespace rule)
  why=$(unshare "${ns[@]}" ip link set lo up 2>&1) \
    || die "cannot create a private network namespace (unshare ${ns[*]}: ${why:-failed}): run as root, or allow user namespaces (sysctl kernel.unprivileged_userns_clone=1 / kernel.apparmor_restrict_unprivileged_userns=0)"
  inner_args=("${args[@]}")
  [ -z "$out" ] || inner_args+=(--out "$out")
  status=0
  unshare "${ns[@]}" -- bash "$0" "${inner_args[@]}" --inner "$build/tfo-race" || status=$?
  exit "$status"
fi

# ---------------------------------------------------------------- inside the private namespaces
work=$(mktemp -d "${TMPDIR:-/tmp}/tfo-collapse-run.XXXXXX")
pids=()
holder=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -z "$holder" ] || kill "$holder" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# As the suite's private namespace (tfobench.linux.PrivateNetns): fast open for client and server, TIME_WAIT
# ports reused after 1 ms (kernels with tcp_tw_reuse_delay, 6.13+) and the widest port range, so that tens of
# thousands of connections a second do not make every connect() search the port range.
prepare_namespace='ip link set lo up && echo 3 > /proc/sys/net/ipv4/tcp_fastopen &&
  echo "1024 65535" > /proc/sys/net/ipv4/ip_local_port_range &&
  { [ ! -e /proc/sys/net/ipv4/tcp_tw_reuse_delay ] || echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse_delay; }'
sh -c "$prepare_namespace"

# CPUs this process may use, lowest first
cpus=()
IFS=, read -ra ranges < <(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
for r in "${ranges[@]}"; do
  lo_cpu=${r%-*} hi_cpu=${r#*-}
  for ((c = lo_cpu; c <= hi_cpu; c++)); do cpus+=("$c"); done
done
case "$placement" in
  none) client_cpu=-1 server_cpu=-1 ;;
  same-cpu) client_cpu=${cpus[0]} server_cpu=${cpus[0]} ;;
  cross-cpu)
    [ "${#cpus[@]}" -ge 2 ] || die "--placement cross-cpu needs two CPUs, this process may use only CPU ${cpus[0]}"
    client_cpu=${cpus[0]} server_cpu=${cpus[1]} ;;
esac

in_server=()   # command prefix that runs in the server's namespace
if [ "$link" = lo ]; then
  dev=lo
  if [ "$family" = 4 ]; then server_addr=127.0.0.3; else server_addr=::1; fi
else
  # The server's namespace lives as long as this holder process; the veth pair goes with it.
  unshare --net sleep 1000000 &
  holder=$!
  for _ in $(seq 50); do [ "$(readlink /proc/$holder/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
  in_server=(nsenter -t "$holder" -n)
  ip link add veth-c type veth peer name veth-s netns "$holder"
  ip addr add 10.77.0.1/24 dev veth-c
  ip -6 addr add fd00:77::1/64 dev veth-c nodad
  ip link set veth-c up
  "${in_server[@]}" sh -c "$prepare_namespace"' && ip addr add 10.77.0.2/24 dev veth-s &&
    ip -6 addr add fd00:77::2/64 dev veth-s nodad && ip link set veth-s up'
  # tcp_tw_reuse=2 (the default) reuses TIME_WAIT ports for loopback traffic only
  echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse
  dev=veth-c
  if [ "$family" = 4 ]; then server_addr=10.77.0.2; else server_addr=fd00:77::2; fi
fi

if [ "$rps" = on ]; then
  # rps_cpus of each receiving interface, written through a sysfs mounted from inside its namespace (this
  # mount namespace is private: the mounts vanish with it).
  mask=0
  for c in "${cpus[@]}"; do mask=$(( mask | (1 << c) )); done
  mask=$(printf '%x' "$mask")
  set_rps() { # device, then the command prefix of its namespace
    local d=$1; shift
    local sys="$work/sys-$d"
    mkdir -p "$sys"
    "$@" mount -t sysfs sysfs "$sys"
    echo "$mask" > "$sys/class/net/$d/queues/rx-0/rps_cpus" \
      || die "--rps on: cannot write rps_cpus of $d (needs real root)"
    umount "$sys"
  }
  if [ "$link" = lo ]; then set_rps lo env; else set_rps veth-c env; set_rps veth-s "${in_server[@]}"; fi
fi

# ---- counters: TcpExt of the client's and the server's namespace (the same one on lo)
tcpext() { "$@" awk '/^TcpExt:/ { if (!n) { for (i = 2; i <= NF; i++) k[i] = $i; n = 1 } else { for (i = 2; i <= NF; i++) print k[i], $i } }' /proc/net/netstat; }
counter() { awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$1"; }

# ---- server
nd=0; [ "$nodelay" = off ] || nd=1
coproc server { exec "${in_server[@]}" "$bin" server "$server_addr" "$server_cpu" $(( threads + 2 )) "$queue" "$nd" "$delay" "$wait_established" "$cc" 2>&1; }
pids+=("$server_PID")
read -r word port <&"${server[0]}" || die "the server did not start"
[ "$word" = port ] || die "the server failed: $word $port"

# ---- capture on the client's interface (on lo libpcap keeps only the received copy of each packet, so the
# order in the file is the order in which the CPUs' receive paths handed the packets to the stack)
if [ "$capture" = on ]; then
  # -Q in on lo: only the received copy (libpcap would discard the transmitted one anyway, after copying it)
  direction=(); [ "$dev" != lo ] || direction=(-Q in)
  tcpdump -i "$dev" "${direction[@]}" -nn -s 128 -B 65536 -w "$work/capture.pcap" "tcp port $port" 2> "$work/tcpdump.log" &
  pids+=("$!")
  capture_pid=$!
  for _ in $(seq 100); do grep -q 'listening on' "$work/tcpdump.log" && break; sleep 0.05; done
  grep -q 'listening on' "$work/tcpdump.log" || die "tcpdump did not start: $(cat "$work/tcpdump.log")"
fi

# ---- kernel trace (a tracefs instance of our own, removed afterwards)
if [ "$trace" = on ]; then
  tracefs=$work/tracefs
  mkdir -p "$tracefs"
  mount -t tracefs tracefs "$tracefs"
  instance=$tracefs/instances/tfo-collapse-$$
  mkdir "$instance"
  echo 65536 > "$instance/buffer_size_kb"
  for e in net/netif_rx net/netif_receive_skb skb/kfree_skb sock/inet_sock_set_state tcp/tcp_retransmit_skb \
           irq/softirq_entry irq/softirq_exit irq/softirq_raise sched/sched_switch sched/sched_wakeup \
           ipi/ipi_send_cpu irq/irq_handler_entry irq/irq_handler_exit irq_vectors/local_timer_entry \
           irq_vectors/local_timer_exit irq_vectors/reschedule_entry irq_vectors/reschedule_exit \
           irq_vectors/call_function_single_entry irq_vectors/call_function_single_exit; do
    echo 1 > "$instance/events/$e/enable"
  done
  echo 'vec == 3' > "$instance/events/irq/softirq_entry/filter"
  echo 'vec == 3' > "$instance/events/irq/softirq_exit/filter"
  echo 'vec == 3' > "$instance/events/irq/softirq_raise/filter"
  echo 'reason == 30' > "$instance/events/skb/kfree_skb/filter" || true  # SKB_DROP_REASON_TCP_FLAGS (6.x)
  echo 1 > "$instance/options/fields" 2>/dev/null || true
  echo 1 > "$instance/tracing_on"
fi

# the second column of /proc/net/softnet_stat: packets dropped because a CPU's backlog was full (all
# namespaces: only a change during the run matters)
softnet_dropped() {
  awk 'function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
       { n += hex($2) } END { print n + 0 }' /proc/net/softnet_stat
}
softnet_before=$(softnet_dropped)
tcpext > "$work/before"; "${in_server[@]:-env}" bash -c "$(declare -f tcpext); tcpext" > "$work/before-server"
"$bin" client "$server_addr" "$port" "$client_cpu" "$threads" "$rate" "$duration" "$warmup" "$handshake" "$nd" "$cc" \
  "$stall_ms" > "$work/client.txt" || die "the client failed: $(cat "$work/client.txt")"
tcpext > "$work/after"; "${in_server[@]:-env}" bash -c "$(declare -f tcpext); tcpext" > "$work/after-server"

if [ "$trace" = on ]; then
  echo 0 > "$instance/tracing_on"
  cat "$instance/trace" > "$work/trace.txt"
  rmdir "$instance"
  umount "$tracefs"
  : > "$work/trace-drops-context.txt"
  awk -v server_port="$port" -v context="$work/trace-drops-context.txt" -f "$here/tfo-collapse/trace-drops.awk" \
    "$work/trace.txt" > "$work/trace-drops.txt"
fi
if [ "$capture" = on ]; then
  sleep 1.5   # TPACKET_V3 hands a partly filled block to tcpdump only after its 1 s timeout
  kill -INT "$capture_pid"
  wait "$capture_pid" 2>/dev/null || true
fi

delta() { echo $(( $(counter "$work/after$1" "$2") - $(counter "$work/before$1" "$2") )); }
server_side=""; [ "$link" = lo ] || server_side=-server
timeouts=$(delta "$server_side" TCPTimeouts)
client_timeouts=0; [ "$link" = lo ] || client_timeouts=$(delta "" TCPTimeouts)
fo_active=$(delta "" TCPFastOpenActive)
fo_passive=$(delta "$server_side" TCPFastOpenPassive)
fo_overflow=$(delta "$server_side" TCPFastOpenListenOverflow)
softnet_drops=$(( $(softnet_dropped) - softnet_before ))
client=$(cat "$work/client.txt")
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$client"; }

captured=- early=- retrans=- stalled_cap=- stalled_retrans=- dropped=-
if [ "$capture" = on ]; then
  dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel.*/\1/p' "$work/tcpdump.log"); dropped=${dropped:-0}
  tcpdump -r "$work/capture.pcap" -nn -tt -S 2>/dev/null \
    | awk -v server_port="$port" -v stall_ms="$stall_ms" -v examples="$work/examples.txt" -f "$here/tfo-collapse/capture.awk" \
    > "$work/capture-counts"
  read -r captured early retrans stalled_cap stalled_retrans < "$work/capture-counts"
fi
trace_drops=- trace_synack_first=- trace_other_cpu=- trace_backlog=-
if [ "$trace" = on ]; then
  summary=$(tail -1 "$work/trace-drops.txt")
  tfield() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$summary"; }
  trace_drops=$(tfield drops_in_syn_sent); trace_synack_first=$(tfield synack_queued_first)
  trace_other_cpu=$(tfield data_queued_on_other_cpu); trace_backlog=$(tfield dropped_from_socket_backlog)
fi

kernel=$(uname -r)
result="kernel=$kernel handshake=$handshake placement=$placement link=$link family=ipv$family rate=$rate"
result+=" duration_s=$duration threads=$threads tfo_queue=$queue nodelay=$nodelay server_delay_us=$delay"
result+=" server_waits_established=$( [ "$wait_established" = 1 ] && echo yes || echo no)"
result+=" cc=$( [ "$cc" = - ] && cat /proc/sys/net/ipv4/tcp_congestion_control || echo "$cc") rps=$rps"
result+=" capture=$capture trace=$trace client_cpu=$client_cpu server_cpu=$server_cpu server_port=$port"
result+=" connections=$(field connections) completed=$(field completed) errors=$(field errors)"
result+=" stalls=$(field stalls) syn_data_acked=$(field syn_data_acked) tcp_timeouts=$timeouts"
result+=" client_tcp_timeouts=$client_timeouts fastopen_active=$fo_active fastopen_passive=$fo_passive"
result+=" fastopen_listen_overflow=$fo_overflow softnet_drops=$softnet_drops"
result+=" captured_connections=$captured data_before_synack=$early data_retransmitted=$retrans"
result+=" captured_stalls=$stalled_cap stalls_with_data_retransmitted=$stalled_retrans capture_dropped=$dropped"
result+=" trace_drops_in_syn_sent=$trace_drops trace_synack_queued_first=$trace_synack_first"
result+=" trace_data_queued_on_other_cpu=$trace_other_cpu trace_dropped_from_socket_backlog=$trace_backlog"
result+=" p50_us=$(field p50_us) p99_us=$(field p99_us) max_us=$(field max_us)"
result+=" achieved_rate=$(field achieved_rate) late_starts=$(field late_starts)"

echo "# $handshake, $placement, $link, IPv$family, $rate connections/s for $duration s, kernel $kernel:"
echo "#   connections $(field connections), stalls (> $stall_ms ms) $(field stalls), TCPTimeouts $timeouts, SYN data acked $(field syn_data_acked)"
if [ "$capture" = on ]; then
  echo "#   captured connections $captured: server data before its SYN-ACK $early, server data retransmitted $retrans; capture dropped $dropped packets"
fi
if [ "$trace" = on ]; then
  echo "#   trace: $trace_drops segments dropped in SYN-SENT; their SYN-ACK queued first $trace_synack_first, data queued on another CPU $trace_other_cpu, dropped from the socket backlog $trace_backlog"
fi
echo "$result"

if [ -n "$out" ]; then
  echo "$result" > "$out/result.txt"
  cp "$work/client.txt" "$out/client.txt"
  for f in before after before-server after-server; do cp "$work/$f" "$out/tcpext-$f.txt"; done
  [ ! -f "$work/examples.txt" ] || cp "$work/examples.txt" "$out/affected-connections.txt"
  [ ! -f "$work/trace-drops.txt" ] || cp "$work/trace-drops.txt" "$work/trace-drops-context.txt" "$out/"
  [ ! -f "$work/tcpdump.log" ] || cp "$work/tcpdump.log" "$out/tcpdump.log"
  [ "$keep_capture" = no ] || [ ! -f "$work/capture.pcap" ] || cp "$work/capture.pcap" "$out/capture.pcap"
  [ "$keep_trace" = no ] || [ ! -f "$work/trace.txt" ] || cp "$work/trace.txt" "$out/trace.txt"
fi
