#!/usr/bin/env bash
# Installs what scripts/kernel-matrix.sh needs to boot Debian kernels under qemu, on a Debian machine (bookworm or
# later), as root: qemu-system-x86, udev, busybox-static and the JDK's java from the machine's own release, and
# virtme-ng from trixie. It also adds the Debian suites whose kernels are asked for (--suites), so that
# `apt-get download linux-image-...` finds them.
#
# Added suites come from the machine's own Debian mirror and keyring, each pinned at priority 100 (below the
# installed release's 500): apt takes nothing from them unless asked by name (virtme-ng/trixie), so nothing else is
# upgraded. Works with deb822 sources only (/etc/apt/sources.list.d/*.sources, no /etc/apt/sources.list), with
# one-line sources, or with both.
#
# Every way out prints one line that says why; exit status 0 only when everything is in place.
set -Eeuo pipefail

say() { printf '[setup-kernel-tools] %s\n' "$*"; }
die() { printf '[setup-kernel-tools] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'status=$?; printf "[setup-kernel-tools] ERROR: line %s: \`%s\` exited with status %s\n" "$LINENO" "$BASH_COMMAND" "$status" >&2; exit "$status"' ERR

usage() {
  cat <<'EOF'
usage: scripts/setup-kernel-tools.sh [--suites "trixie forky"] [--check]

  --suites LIST   Debian suites to add, pinned at priority 100, for their kernels and packages
                  (default: trixie, where virtme-ng comes from)
  --check         say what is missing and exit 1 if anything is, without installing
EOF
}

suites="trixie"
check_only=no
while [ "$#" -gt 0 ]; do
  case "$1" in
    --suites) [ "$#" -ge 2 ] || die "--suites needs a list, e.g. --suites \"trixie bullseye\""; suites=$2; shift 2 ;;
    --check) check_only=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

# apt waits for a dpkg lock held by someone else (unattended upgrades, another install) instead of failing at once.
apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

# The machine's Debian mirror: the first non-security http(s) URI of a deb822 (URIs:) or one-line (deb ...) source.
mirror_uri() {
  local files=() f uri
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }
             /^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' \
          "${files[@]}" </dev/null | grep -E '/debian/?$' | grep -v security | sed -n 1p || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Adds SUITE from the machine's mirror, pinned at priority 100, unless this script added it before.
add_pinned_suite() {
  local suite=$1 keyring=/usr/share/keyrings/debian-archive-keyring.gpg uri
  local sources=/etc/apt/sources.list.d/tfo-bench-$suite.sources pin=/etc/apt/preferences.d/tfo-bench-$suite
  if [ -f "$sources" ] && [ -f "$pin" ]; then
    return
  fi
  [ -e "$keyring" ] || die "no $keyring (apt-get install debian-archive-keyring): is this Debian?"
  uri=$(mirror_uri)
  cat > "$sources" <<EOF
Types: deb
URIs: $uri
Suites: $suite
Components: main
Signed-By: $keyring
EOF
  cat > "$pin" <<EOF
Package: *
Pin: release n=$suite
Pin-Priority: 100
EOF
  say "added $suite from $uri, pinned at priority 100 (nothing is taken from it unless asked by name)"
}

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v udevadm >/dev/null 2>&1 || missing+=(udev)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
need_vng=no
command -v vng >/dev/null 2>&1 || need_vng=yes
need_suites=()
for s in $suites; do
  case "$s" in *[!a-z-]*|'') die "--suites takes Debian suite names such as trixie, got '$s'" ;; esac
  if [ ! -f "/etc/apt/sources.list.d/tfo-bench-$s.sources" ] \
      && ! grep -qsE "^(Suites:.*[[:space:]]$s([[:space:]]|\$)|deb[[:space:]].*[[:space:]]$s[[:space:]])" \
           /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
    need_suites+=("$s")
  fi
done

if [ "${#missing[@]}" -eq 0 ] && [ "$need_vng" = no ] && [ "${#need_suites[@]}" -eq 0 ]; then
  say "everything is in place (qemu, udev, busybox, virtme-ng $(vng --version 2>/dev/null | awk '{print $2}'); suites: $suites)"
  exit 0
fi
what="${missing[*]}$( [ "$need_vng" = yes ] && printf ' virtme-ng')$( [ "${#need_suites[@]}" -gt 0 ] && printf ' suites: %s' "${need_suites[*]}")"
if [ "$check_only" = yes ]; then
  say "missing:$what (run scripts/setup-kernel-tools.sh as root to install)"
  exit 1
fi
[ "$(id -u)" = 0 ] || die "missing:$what; run this script as root (it installs with apt-get)"
command -v apt-get >/dev/null 2>&1 || die "no apt-get: install qemu-system-x86, udev, busybox-static and virtme-ng yourself"
export DEBIAN_FRONTEND=noninteractive

for s in "${need_suites[@]}"; do
  add_pinned_suite "$s"
done
if [ "$need_vng" = yes ] && ! grep -qsE 'trixie' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources; then
  add_pinned_suite trixie
fi
t0=$SECONDS
say "apt-get update"
apt-get "${apt_opts[@]}" update -qq || die "apt-get update failed (is the Debian mirror reachable?)"
install=("${missing[@]}")
[ "$need_vng" = no ] || install+=(virtme-ng/trixie)
if [ "${#install[@]}" -gt 0 ]; then
  say "installing ${install[*]}"
  apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${install[@]}" >/dev/null \
    || die "apt-get install ${install[*]} failed (see apt's message above)"
fi
command -v vng >/dev/null 2>&1 || die "virtme-ng was installed but vng is not on PATH"
command -v qemu-system-x86_64 >/dev/null 2>&1 || die "qemu-system-x86 was installed but qemu-system-x86_64 is not on PATH"
say "ready in $(( SECONDS - t0 )) s: virtme-ng $(vng --version 2>/dev/null | awk '{print $2}'), $(qemu-system-x86_64 --version | sed -n 1p)"
