#!/usr/bin/env bash
# The fast open data-before-SYN-ACK race (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md) across kernels: boots Debian
# kernels under qemu (virtme-ng, the host's root file system, as scripts/kernel-matrix.sh does), runs
# scripts/tfo-collapse-sweep.sh in each guest, runs the same sweep on the host, and writes one table of all of them.
#
# Guests are emulated (qemu TCG, no KVM here): they run much slower than the host, so they run at a lower rate, and
# their timing relations (which CPU gets there first) are the emulator's. A race seen in a guest shows that the
# kernel's code allows it; its frequency there says nothing about hardware, and a race not seen proves nothing.
#
# Needs root (apt-get, qemu) and what scripts/setup-kernel-tools.sh installs; that script also adds the Debian
# suites the kernels come from (bullseye for 5.10, forky for the newest), pinned so that nothing else upgrades.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/tfo-collapse-kernels.sh [options] [-- options for every run of the sweep]

  --kernels LIST     Debian kernel lines (default "5.10 6.1 6.12 newest"); newest = forky's newest kernel
  --cpus N           vCPUs per guest (default 2: client on the first, server on the second)
  --rate N           connections per second asked of the guests (default 50; they manage fewer) and of the
                     host's run of the same sweep
  --duration S       seconds per run (default 10)
  --repeat N         runs per condition (default 1)
  --groups LIST      the sweep's conditions (default "essentials": baseline, same-cpu, rps on, cold)
  --results DIR      where run folders go (default bench-results; not under /tmp, which guests overlay)
  --cache DIR        downloaded kernels (default ~/.cache/tfo-bench/kernels, shared with kernel-matrix.sh)
  --no-host          skip the host's run
  --table-only DIR...  only write the table of these run folders
  --guest-timeout S  give up on a guest after this long (default 3600)
EOF
}

say() { printf '[tfo-collapse-kernels] %s\n' "$*" >&2; }
die() { printf '[tfo-collapse-kernels] ERROR: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
kernels="5.10 6.1 6.12 newest" cpus=2 rate=50 duration=10 repeat=1 groups="essentials"
results="$repo/bench-results" cache="${XDG_CACHE_HOME:-$HOME/.cache}/tfo-bench/kernels" host=yes guest_timeout=3600
extra=() table_only=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --kernels) kernels=${2:?}; shift 2 ;;
    --cpus) cpus=${2:?}; shift 2 ;;
    --rate) rate=${2:?}; shift 2 ;;
    --duration) duration=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --groups) groups=${2:?}; shift 2 ;;
    --results) results=${2:?}; shift 2 ;;
    --cache) cache=${2:?}; shift 2 ;;
    --no-host) host=no; shift ;;
    --guest-timeout) guest_timeout=${2:?}; shift 2 ;;
    --table-only) shift; table_only=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
mkdir -p "$results"
results=$(cd "$results" && pwd)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
table="$results/tfo-collapse-kernels-$stamp.md"

if [ "${#table_only[@]}" -gt 0 ]; then
  "$repo/scripts/tfo-collapse-sweep.sh" --kernels "$table" "${table_only[@]}"
  say "table: $table"
  exit 0
fi
case "$results" in /tmp|/tmp/*) die "--results $results is under /tmp, which guests see as an overlay: pick another" ;; esac
[ "$(id -u)" = 0 ] || die "run as root: guests are booted with qemu and the kernels fetched with apt-get"

# ---------------------------------------------------------------- tools and kernels
suites="trixie"
for line in $kernels; do
  case "$line" in 5.10) suites+=" bullseye" ;; newest) suites+=" forky" ;; esac
done
"$repo/scripts/setup-kernel-tools.sh" --check >/dev/null 2>&1 && [ "$suites" = trixie ] \
  || "$repo/scripts/setup-kernel-tools.sh" --suites "$suites" >&2 \
  || die "scripts/setup-kernel-tools.sh failed: its last line says why"

# The newest package of a kernel line: linux-image-<line>.*-amd64 (a real image up to trixie); for "newest",
# forky's linux-binary-<ver>-amd64, whose linux-image is a metapackage: the kernel is in linux-binary and the
# modules in linux-modules.
newest_package() {
  local pattern
  if [ "$1" = newest ]; then pattern='^linux-binary-[0-9][0-9.]*\+deb[0-9]+-amd64$'
  else pattern="^linux-image-${1//./\\.}\\.[0-9]+(-[0-9]+)?(\\+deb[0-9]+)?-amd64\$"; fi
  apt-cache search --names-only "${pattern%$}" 2>/dev/null | awk '{print $1}' | grep -E "$pattern" | sort -V | tail -1
}

# Prints the directory of an unpacked kernel (boot/vmlinuz-<ver>, lib/modules/<ver>), downloaded once.
fetch() {
  local line=$1 pkg dir tmp ver
  pkg=$(newest_package "$line")
  [ -n "$pkg" ] || die "no kernel package for line '$line' in the apt sources"
  dir="$cache/$pkg"
  if [ ! -e "$dir/.complete" ]; then
    say "$line: downloading $pkg"
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/.download.XXXXXX")
    chmod 755 "$tmp"
    if [ "$line" = newest ]; then
      ver=${pkg#linux-binary-}
      (cd "$tmp" && apt-get download -qq "$pkg" "linux-modules-$ver" >/dev/null 2>&1) \
        || { rm -rf "$tmp"; die "apt-get download $pkg linux-modules-$ver failed"; }
    else
      (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
    fi
    rm -rf "$dir"
    for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir"; done
    rm -rf "$tmp"
    if [ ! -e "$dir/lib" ] && [ -d "$dir/usr/lib/modules" ]; then ln -s usr/lib "$dir/lib"; fi
    if ! find "$dir/boot" -name 'vmlinuz-*' 2>/dev/null | grep -q .; then
      mkdir -p "$dir/boot"
      for v in "$dir"/usr/lib/modules/*/vmlinuz; do cp "$v" "$dir/boot/vmlinuz-$(basename "$(dirname "$v")")"; done
    fi
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- runs
sweep=("$repo/scripts/tfo-collapse-sweep.sh" --repeat "$repeat" --duration "$duration" --groups "$groups")
folders=()
stage_root="$results/.tfo-collapse-kernels-$stamp"
mkdir -p "$stage_root"
for line in $kernels; do
  dir=$(fetch "$line")
  vmlinuz=$(find "$dir/boot" -name 'vmlinuz-*' | sed -n 1p)
  kver=${vmlinuz##*/vmlinuz-}
  stage="$stage_root/$kver"
  mkdir -p "$stage"
  emulation="qemu TCG multi-threaded (no KVM), virtme-ng $(vng --version 2>/dev/null | awk '{print $2}'), $cpus vCPUs, 2 GiB"
  cmd=$(printf '%q ' "${sweep[@]}" --results "$stage" --label emulated-tcg -- --rate "$rate" "${extra[@]}")
  say "$kver: booting ($emulation), sweep at $rate connections/s"
  t0=$SECONDS
  status=0
  (cd "$repo" && timeout "$guest_timeout" vng -r "$vmlinuz" --user root --memory 2G --cpus "$cpus" --disable-kvm \
      "--qemu-opts=-accel tcg,thread=multi" --rwdir "$stage=$stage" --exec "$cmd" 2>&1 | sed -u "s/^/  [$kver] /") \
    || status=$?
  folder=$(find "$stage" -mindepth 1 -maxdepth 1 -type d -name '*-tfo-collapse-*' | sed -n 1p)
  if [ -n "$folder" ] && [ -f "$folder/runs.txt" ]; then
    echo "emulation: $emulation; boot and sweep took $(( SECONDS - t0 )) s, exit status $status" >> "$folder/environment.txt"
    mv "$folder" "$results/"
    folders+=("$results/$(basename "$folder")")
  else
    say "$kver: no results (exit status $status)"
  fi
done
if [ "$host" = yes ]; then
  say "host $(uname -r): the same sweep at $rate connections/s"
  "${sweep[@]}" --results "$results" --label "rate-$rate" -- --rate "$rate" "${extra[@]}" >&2 || true
  folders+=("$(ls -d "$results"/*-"$(uname -r)"-tfo-collapse-rate-"$rate" | tail -1)")
fi
rm -rf "$stage_root"
[ "${#folders[@]}" -gt 0 ] || die "no kernel produced results"
"$repo/scripts/tfo-collapse-sweep.sh" --kernels "$table" "${folders[@]}"
say "table: $table"
