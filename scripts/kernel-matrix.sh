#!/usr/bin/env bash
# TCP Fast Open across kernels: boots Debian kernels under qemu (virtme-ng, the host's root file system), runs the
# jar's functional check and RTT-scale benchmarks in each, runs the same on the host kernel, and prints the
# comparison. One run folder per kernel in the results directory, plus kernel-matrix-<date>.md.
#
# Guests are emulated (qemu TCG: no KVM here; Java runs ~50x slower): their microsecond timings mean nothing,
# so guests run only what is measured in milliseconds: -p rtt=N with N > 0 (netem on lo), where fast open must
# save one round trip against cold. rtt 0 (plain loopback, microseconds) runs on the host only.
#
# Needs Debian (bookworm or later); what it lacks (qemu-system-x86, udev, busybox-static, virtme-ng from trixie, and
# the Debian suites the asked kernels come from: bullseye for 5.10, trixie for 6.12, forky for the newest line, each
# pinned at priority 100 so nothing else upgrades) scripts/setup-kernel-tools.sh installs, as root.
#
# In each guest, after the benchmarks, the kernel's fast open blackhole detection is caused for real (netem drops a
# fast open connection's SYNs, tcp_fastopen_blackhole_timeout_sec at the old default 3600) and the check and a short
# benchmark run where it is active: a second run folder, ...-fastopen-blackholed, with no fast open numbers in it.
set -Eeuo pipefail

usage() {
  cat <<'EOF'
usage: scripts/kernel-matrix.sh [options] [-- JMH options]

  --kernels "5.10 6.1 6.12 newest"
                         Debian kernel lines; the newest linux-image of each in the apt sources is used;
                         "newest" is the highest line there is (forky/sid)
  --rtt "0 10 50"        round-trip times (ms) for -p rtt=; 0 runs on the host only, N > 0 in guests (and
                         on the host when its kernel has netem)
  --check-only           functional check per guest kernel (with the RTT physics test), no benchmarks, no
                         host run (what CI runs)
  --check-rtt MS         RTT of the check's physics test (default: the largest of --rtt)
  --no-host              skip the run on the host kernel
  --results DIR          where run folders go (default: bench-results; not under /tmp, which guests overlay)
  --cache DIR            downloaded kernels (default: ~/.cache/tfo-bench/kernels)
  --jar FILE             the jar to run (default: target/benchmarks.jar, built if missing)
  --kvm on|off           use KVM (default off: qemu TCG; KVM crashes guests on some hosts)
  --tcg-thread M         single (default: both vCPUs on one host thread) or multi (one host thread per
                         vCPU: on a quiet host HotSpot crashed in 2 of 2 guests, SIGSEGV/SIGILL in
                         freshly compiled code; single ran all four guests without one, no slower)
  --guest-timeout SEC    give up on a guest after this long (default 5400)
  --matrix FILE          also write the kernel matrix document of this run's folders to FILE (the way
                         bench-results/KERNEL-MATRIX.md is made: java -jar benchmarks.jar matrix --out FILE)
  -- JMH options         replace the default selection:
                         FirstRequest -p handshake=cold,tfo -p transport=native -p placement=same-cpu
                         -f 1 -wi 1 -w 2s -i 3 -r 2s   (-p rtt= is added from --rtt)
EOF
}

say() { printf '[kernel-matrix] %s\n' "$*"; }
die() { printf '[kernel-matrix] ERROR: %s\n' "$*" >&2; exit 1; }
# Any command that fails without its own message still gets one line saying which and where.
trap 'status=$?; printf "[kernel-matrix] ERROR: line %s: \`%s\` exited with status %s\n" "$LINENO" "$BASH_COMMAND" "$status" >&2; exit "$status"' ERR

repo=$(cd "$(dirname "$0")/.." && pwd)
kernels="5.10 6.1 6.12 newest"
rtts="0 10 50"
check_only=no
check_rtt=
host=yes
results="$repo/bench-results"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tfo-bench/kernels"
jar="$repo/target/benchmarks.jar"
kvm=off
tcg_thread=single
guest_timeout=5400
matrix_file=
jmh=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --kernels) kernels=${2:?--kernels needs a list}; shift 2 ;;
    --rtt) rtts=${2:?--rtt needs a list}; shift 2 ;;
    --check-only) check_only=yes; shift ;;
    --check-rtt) check_rtt=${2:?--check-rtt needs a value}; shift 2 ;;
    --no-host) host=no; shift ;;
    --results) results=${2:?--results needs a directory}; shift 2 ;;
    --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
    --jar) jar=${2:?--jar needs a file}; shift 2 ;;
    --kvm) kvm=${2:?--kvm needs on or off}; shift 2 ;;
    --tcg-thread) tcg_thread=${2:?--tcg-thread needs single or multi}; shift 2 ;;
    --guest-timeout) guest_timeout=${2:?--guest-timeout needs seconds}; shift 2 ;;
    --matrix) matrix_file=${2:?--matrix needs a file}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; jmh=("$@"); break ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$kvm" in on|off) ;; *) die "--kvm takes on or off, got '$kvm'" ;; esac
case "$tcg_thread" in single|multi) ;; *) die "--tcg-thread takes single or multi, got '$tcg_thread'" ;; esac
if [ "${#jmh[@]}" -eq 0 ]; then
  jmh=(FirstRequest -p handshake=cold,tfo -p transport=native -p placement=same-cpu -f 1 -wi 1 -w 2s -i 3 -r 2s)
fi

# rtt lists: guests get the values > 0, the host 0 (and > 0 only if its kernel has netem)
guest_rtts=() host_rtts=()
for r in $rtts; do
  case "$r" in ''|*[!0-9]*) die "--rtt takes whole milliseconds, got '$r'" ;; esac
  if [ "$r" -gt 0 ]; then guest_rtts+=("$r"); else host_rtts+=(0); fi
done
if [ -z "$check_rtt" ]; then
  check_rtt=0
  for r in "${guest_rtts[@]}"; do [ "$r" -gt "$check_rtt" ] && check_rtt=$r; done
  [ "$check_rtt" -gt 0 ] || check_rtt=20
fi
comma() { local IFS=,; echo "$*"; }

mkdir -p "$results"
results=$(cd "$results" && pwd)
case "$results" in /tmp|/tmp/*) die "--results $results is under /tmp, which guests see as an overlay: pick another" ;; esac
# The guests start in the checkout (vng runs from it); from a checkout under /var/tmp vng exited 255 without a word
# here (from /tmp it started).
case "$repo" in /var/tmp/*)
  die "the checkout $repo is under /var/tmp, where the guests cannot start in it: clone it elsewhere" ;; esac
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
stage_root="$results/.kernel-matrix-$stamp"
report="$results/kernel-matrix-$stamp.md"

# ---------------------------------------------------------------- tools
# The Debian suite each kernel line comes from (6.1 is bookworm's own; trixie also brings virtme-ng).
suite_for() {
  case "$1" in
    5.10) echo bullseye ;;
    6.1) echo bookworm ;;
    6.12) echo trixie ;;
    newest|7.*) echo forky ;;
    *) echo "" ;;
  esac
}

# qemu, virtme-ng and the suites the kernels need come from scripts/setup-kernel-tools.sh, which runs only when
# something is missing and says in one line what it did or why it could not.
install_tools() {
  local suites="trixie" line s
  for line in $kernels; do
    s=$(suite_for "$line")
    case " $suites " in *" $s "*) ;; *) [ -z "$s" ] || suites="$suites $s" ;; esac
  done
  if ! "$repo/scripts/setup-kernel-tools.sh" --suites "$suites" --check >/dev/null 2>&1; then
    "$repo/scripts/setup-kernel-tools.sh" --suites "$suites" \
      || die "scripts/setup-kernel-tools.sh failed: its last line says why"
  fi
}

ensure_jar() {
  if [ ! -f "$jar" ]; then
    command -v mvn >/dev/null 2>&1 || die "$jar is missing and mvn is not installed (apt-get install maven)"
    say "building $jar (mvn -B -q -ntp -DskipTests package)"
    (cd "$repo" && mvn -B -q -ntp -DskipTests package)
  fi
  jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
  source_id="jar sha256 $(sha256sum "$jar" | cut -c1-64)"
  if git -C "$repo" rev-parse HEAD >/dev/null 2>&1; then
    local dirty=""
    [ -z "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=" (uncommitted changes)"
    source_id="commit $(git -C "$repo" rev-parse HEAD)$dirty, $source_id"
  fi
  say "jar: $jar ($source_id)"
}

# ---------------------------------------------------------------- kernels
# The package for a line such as 6.1, 6.12 or newest: the newest linux-image-<line>.*-amd64 in the apt sources (the
# -unsigned one if that is all there is); "newest" is the highest version of any line.
kernel_package() {
  local line=$1 prefix re pkg
  if [ "$line" = newest ]; then
    prefix='[0-9]+\.[0-9]+'
  else
    prefix=${line//./\\.}
  fi
  re="^linux-image-${prefix}\\.[0-9]+(-[0-9]+)?(\\+[a-z0-9.~]+)?-amd64"
  pkg=$(apt-cache search --names-only '^linux-image-[0-9]' 2>/dev/null | awk '{print $1}' \
        | grep -E "$re\$" | sort -V | tail -1 || true)
  if [ -z "$pkg" ]; then
    pkg=$(apt-cache search --names-only '^linux-image-[0-9]' 2>/dev/null | awk '{print $1}' \
          | grep -E "$re-unsigned\$" | sort -V | tail -1 || true)
  fi
  echo "$pkg"
}

# Prints the extracted kernel's directory for a line, downloaded once into the cache. Since Debian 14 (forky)
# linux-image-<ver> is a small metapackage: the kernel is in linux-binary-<ver> (usr/lib/modules/<ver>/vmlinuz)
# and its modules in linux-modules-<ver>; both are unpacked and the vmlinuz put where vng looks, boot/.
fetch_kernel() {
  local line=$1 pkg dir tmp kver extra
  pkg=$(kernel_package "$line")
  [ -n "$pkg" ] || die "no linux-image-$line.*-amd64 in the apt sources (apt-cache search linux-image-$line): 5.10 is in bullseye, 6.1 in bookworm, 6.12 in trixie, the newest line in forky (scripts/setup-kernel-tools.sh --suites adds them)"
  dir="$cache/$pkg"
  if [ ! -e "$dir/.complete" ]; then
    say "$line: downloading $pkg" >&2
    tmp=$(mktemp -d "$cache/.download.XXXXXX")
    chmod 755 "$tmp"
    local t0=$SECONDS
    (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) \
      || { rm -rf "$tmp"; die "apt-get download $pkg failed (is the mirror reachable?)"; }
    kver=${pkg#linux-image-}
    kver=${kver%-unsigned}
    if ! dpkg -c "$tmp"/*.deb | grep -q "/vmlinuz-$kver\$"; then
      for extra in "linux-binary-$kver" "linux-modules-$kver"; do
        if apt-cache show "$extra" >/dev/null 2>&1; then
          (cd "$tmp" && apt-get download -qq "$extra" >/dev/null 2>&1) \
            || { rm -rf "$tmp"; die "apt-get download $extra failed (is the mirror reachable?)"; }
        fi
      done
    fi
    rm -rf "$dir"
    for deb in "$tmp"/*.deb; do
      dpkg -x "$deb" "$dir"
    done
    rm -rf "$tmp"
    # merged /usr (trixie on): modules are in usr/lib/modules; virtme-ng looks for <root>/lib/modules
    if [ ! -e "$dir/lib" ] && [ -d "$dir/usr/lib/modules" ]; then ln -s usr/lib "$dir/lib"; fi
    if [ ! -e "$dir/boot/vmlinuz-$kver" ] && [ -e "$dir/usr/lib/modules/$kver/vmlinuz" ]; then
      mkdir -p "$dir/boot"
      cp "$dir/usr/lib/modules/$kver/vmlinuz" "$dir/boot/vmlinuz-$kver"
    fi
    [ -e "$dir/boot/vmlinuz-$kver" ] || die "$pkg (and linux-binary-$kver, if any) holds no vmlinuz-$kver"
    touch "$dir/.complete"
    say "$line: $pkg downloaded and unpacked in $(( SECONDS - t0 )) s ($(du -sh "$dir" | cut -f1))" >&2
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- runs
folders=() check_folders=() summary=() retried=()
# What the functional check leaves in a guest's stage: its results and its packets.
check_files=(functional-check.json functional-check.log check-capture.pcapng check-capture.json)

# Adds one row to the summary table: kernel, package, where it ran, seconds, exit status, mode (full or check) and
# the folder it left (a run folder, or the check's own; empty: none).
summary_row() {
  local kernel=$1 package=$2 where=$3 took=$4 status=$5 mode=$6 folder=$7 result
  if [ "$mode" = check ]; then
    result="check $( [ "$status" = 0 ] && echo passed || echo "FAILED ($status)")"
  elif [ -z "$folder" ]; then
    result="FAILED ($status), no run folder"
  else
    result=$( [ "$status" = 0 ] && echo ok || echo "FAILED ($status)")
  fi
  summary+=("| $kernel | $package | $where | $took s | $result | ${folder:+\`$(basename "$folder")\`} |")
}

# Moves the one run folder in $1/runs to the results directory, with the check beside it; prints its path.
collect() {
  local stage=$1 folder
  folder=$(find "$stage/runs" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sed -n 1p)
  [ -n "$folder" ] || return 1
  for f in "${check_files[@]}" console.log; do
    if [ -e "$stage/$f" ]; then mv "$stage/$f" "$folder/"; fi
  done
  mv "$folder" "$results/"
  echo "$results/$(basename "$folder")"
}

# Moves the blackhole stage's run folder (see kernel-matrix-guest.sh) to the results directory; prints its path.
collect_blackhole() {
  local stage=$1 folder
  folder=$(find "$stage/blackhole-runs" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sed -n 1p)
  [ -n "$folder" ] || return 1
  mv "$folder" "$results/"
  echo "$results/$(basename "$folder")"
}

host_has_netem() {
  local flags=(--net)
  [ "$(id -u)" = 0 ] || flags=(--user --map-root-user --net)
  unshare "${flags[@]}" sh -c 'ip link set lo up && tc qdisc add dev lo root netem delay 1ms' >/dev/null 2>&1
}

run_host() {
  local stage="$stage_root/host" list=("${host_rtts[@]}") t0=$SECONDS status=0 folder
  mkdir -p "$stage"
  if host_has_netem; then
    list+=("${guest_rtts[@]}")
  elif [ "${#guest_rtts[@]}" -gt 0 ]; then
    say "host $(uname -r): no netem in this kernel: rtt $(comma "${guest_rtts[@]}") runs in the guests only"
  fi
  if [ "${#list[@]}" -eq 0 ]; then
    say "host $(uname -r): nothing to run (no rtt 0 asked and no netem)"
    return
  fi
  say "host $(uname -r): functional check, then ${jmh[*]} -p rtt=$(comma "${list[@]}")"
  java -jar "$jar" check --json "$stage/functional-check.json" 2>&1 | tee "$stage/functional-check.log" || status=$?
  TFOBENCH_RESULTS="$stage/runs" TFOBENCH_LABEL=kernel-matrix-host TFOBENCH_SOURCE="$source_id" \
    java -jar "$jar" "${jmh[@]}" -p "rtt=$(comma "${list[@]}")" 2>&1 | tee "$stage/console.log" || status=$?
  folder=$(collect "$stage") && folders+=("$folder") || folder=
  summary_row "host $(uname -r)" "running kernel" measured "$(( SECONDS - t0 ))" "$status" full "$folder"
  say "host $(uname -r): done in $(( SECONDS - t0 )) s, status $status"
}

run_guest() {
  local line=$1 index=$2 total=$3 dir vmlinuz kver stage accel emulation mode cmd t0 status=0 folder
  dir=$(fetch_kernel "$line")
  vmlinuz=$(find "$dir/boot" -name 'vmlinuz-*' | sed -n 1p)
  [ -n "$vmlinuz" ] || die "no vmlinuz in $dir/boot"
  kver=${vmlinuz##*/vmlinuz-}
  stage="$stage_root/$kver"
  mkdir -p "$stage"
  if [ "$kvm" = on ]; then
    accel=() emulation="qemu KVM guest, virtme-ng $(vng --version 2>/dev/null | awk '{print $2}')"
  else
    accel=(--disable-kvm "--qemu-opts=-accel tcg,thread=$tcg_thread")
    emulation="qemu TCG $tcg_thread-threaded (no KVM), virtme-ng $(vng --version 2>/dev/null | awk '{print $2}')"
  fi
  mode=full
  if [ "$check_only" = yes ] || [ "${#guest_rtts[@]}" -eq 0 ]; then mode=check; fi
  cmd=$(printf '%q ' env "TFOBENCH_EMULATION=$emulation" "TFOBENCH_SOURCE=$source_id" \
        "TFOBENCH_LABEL=emulated-$( [ "$kvm" = on ] && echo kvm || echo tcg)" \
        bash "$stage/kernel-matrix-guest.sh" "$stage/benchmarks.jar" "$stage" "$mode" "$check_rtt" \
        "$(comma "${guest_rtts[@]:-$check_rtt}")" "${jmh[@]}")
  t0=$SECONDS
  local attempt
  for attempt in 1 2; do
    say "[$index/$total] $kver: booting ($emulation, 2 CPUs, 2G), $mode run"
    # The guest sees the host's files read-only, except /tmp and /var/tmp, which it overlays; its --rwdir (the
    # stage) is shared. So the jar and the guest script go into the stage, wherever the checkout is.
    cp "$jar" "$stage/benchmarks.jar"
    cp "$repo/scripts/kernel-matrix-guest.sh" "$stage/kernel-matrix-guest.sh"
    status=0
    (cd "$repo" && timeout "$guest_timeout" vng -r "$vmlinuz" --user root --memory 2G --cpus 2 "${accel[@]}" \
        --rwdir "$stage=$stage" --exec "$cmd" 2>&1 | sed -u "s/^/  [$kver] /") || status=$?
    # 134: a JVM aborted. Under multi-threaded TCG HotSpot has died with SIGSEGV or SIGILL in freshly compiled
    # code (the default is single-threaded for that); that is the emulator, not the kernel: boot once more.
    # 255 within seconds and no guest output: vng/qemu did not come up (seen once here, then fine): same.
    if { [ "$status" = 134 ] || [ "$status" = 255 ]; } && [ "$attempt" = 1 ]; then
      say "[$index/$total] $kver: guest failed with exit $status (JVM crash under emulation, or qemu did not start): retrying once"
      rm -rf "${stage:?}"/*
      retried+=("$kver")
      continue
    fi
    break
  done
  local took=$(( SECONDS - t0 ))
  [ "$status" != 124 ] || say "[$index/$total] $kver: guest timed out after $guest_timeout s"
  folder=
  if [ "$mode" = full ]; then
    folder=$(collect "$stage") && folders+=("$folder") || folder=
  else
    # check only: no run folder; the check's results and packets are kept in one of their own
    folder="$results/$stamp-$kver-check"
    mkdir -p "$folder"
    for f in "${check_files[@]}"; do
      if [ -e "$stage/$f" ]; then mv "$stage/$f" "$folder/"; fi
    done
    check_folders+=("$folder")
  fi
  summary_row "$kver" "$(basename "$dir")" emulated "$took" "$status" "$mode" "$folder"
  if [ "$mode" = full ] && folder=$(collect_blackhole "$stage"); then
    folders+=("$folder")
    summary+=("| $kver | fast open blackholed | emulated | (same boot) | $( [ "$status" = 0 ] && echo "refused fast open" || echo "FAILED ($status)") | \`$(basename "$folder")\` |")
  fi
  say "[$index/$total] $kver: boot + guest work took $took s, status $status"
  [ "$status" = 0 ] || failures=$(( failures + 1 ))
}

# ---------------------------------------------------------------- main
t_all=$SECONDS
failures=0
install_tools
ensure_jar
mkdir -p "$cache" "$stage_root"
# The run uses a copy, so rebuilding target/benchmarks.jar meanwhile cannot mix two builds in one run.
cp "$jar" "$stage_root/benchmarks.jar"
jar="$stage_root/benchmarks.jar"
[ "${#guest_rtts[@]}" -gt 0 ] || [ "$check_only" = yes ] \
  || say "no rtt > 0 asked: guests run the functional check only"

set -- $kernels
n=0
for line in "$@"; do
  n=$(( n + 1 ))
  run_guest "$line" "$n" "$#"
done
if [ "$host" = yes ] && [ "$check_only" = no ]; then
  run_host
fi
{
  echo "# Kernel matrix $stamp"
  echo
  echo "\`scripts/kernel-matrix.sh --kernels \"$kernels\" --rtt \"$rtts\"$( [ "$check_only" = yes ] && echo " --check-only") -- ${jmh[*]}\`"
  echo "on $(uname -r) ($(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $source_id."
  echo "Guests: qemu $( [ "$kvm" = on ] && echo KVM || echo "TCG without KVM"), 2 CPUs, 2 GiB, the host's root file system; their timings are"
  echo "emulated: only the millisecond (RTT) effects mean something there."
  echo
  echo "| kernel | package | where | boot + run | status | run folder |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${summary[@]}"
  echo
  if [ "${#retried[@]}" -gt 0 ]; then
    echo "Booted twice after a JVM crash in the guest (emulator fault, exit 134): ${retried[*]}."
    echo
  fi
  if [ "$(( ${#folders[@]} + ${#check_folders[@]} ))" -gt 0 ]; then
    java -jar "$jar" matrix "${folders[@]}" "${check_folders[@]}"
  fi
} > "$report"
for folder in "${folders[@]}"; do
  java -jar "$jar" report "$folder" >/dev/null 2>&1 || say "report $(basename "$folder") failed (status $?)"
done
if [ -n "$matrix_file" ] && [ "$(( ${#folders[@]} + ${#check_folders[@]} ))" -gt 0 ]; then
  (cd "$(dirname "$matrix_file")" && java -jar "$jar" matrix --out "$(basename "$matrix_file")" \
      $(for f in "${folders[@]}" "${check_folders[@]}"; do printf '%q ' "$(realpath --relative-to=. "$f")"; done) >/dev/null) \
    && say "kernel matrix document: $matrix_file"
fi
echo
cat "$report"
echo
if [ "${#folders[@]}" -gt 0 ]; then
  if [ "${#folders[@]}" -lt 2 ]; then
    say "one run folder: nothing for the compare tool to set side by side"
  else
    say "comparison (java -jar benchmarks.jar compare):"
    java -jar "$jar" compare "${folders[@]}" || say "compare failed (status $?)"
  fi
fi
rm -rf "$stage_root"
say "report: $report"
say "all done in $(( SECONDS - t_all )) s, $failures kernel(s) failed"
[ "$failures" = 0 ] || die "$failures kernel(s) failed: the table above names them, their guest lines say why"

