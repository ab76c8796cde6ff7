#!/usr/bin/env bash
# Everything virtscale needs on a fresh Debian/Ubuntu machine, as root:
# Debian packages (libvirt, QEMU, busybox for the guest image, nginx and
# python3-libvirt as benchmark peers, tmux for the terminal tests), the npm
# dependencies (Bun and Deno come from the npm registry), and a running
# libvirtd. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
[[ $(id -u) -eq 0 ]] || { say "run as root (sudo $0)"; exit 1; }

APT_PACKAGES=(
  libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients libvirt0 libvirt-dev
  qemu-system-x86 qemu-utils
  busybox-static cpio gzip xz-utils zstd kmod
  python3 python3-libvirt
  nginx libnginx-mod-stream
  tmux procps iproute2 ca-certificates
  # dnsmasq: the DHCP server of libvirt's networks; scripts/testbed.sh's simulated hosts give their
  # guests leases with it (network mode, test/testbed/). libvirt runs it; no dnsmasq service is started.
  dnsmasq-base
  # promtool, Prometheus' own linter: test/api/metrics-lint.test.ts runs `promtool check metrics` on a
  # scrape of /metrics (it fails in CI without it). Only promtool is used; no Prometheus server is run.
  prometheus
)
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x node_modules/.bin/bun || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

scripts/start-libvirtd.sh
say "ready: $(node_modules/.bin/bun --version | sed 's/^/bun /'), $(node_modules/.bin/deno --version | head -1), $(virsh -v | sed 's/^/libvirt /')"
