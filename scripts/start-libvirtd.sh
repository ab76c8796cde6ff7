#!/usr/bin/env bash
# Start libvirt's daemons on a machine where no service manager runs them
# (containers, CI sandboxes, WSL). Safe to run again: does nothing when
# qemu:///system already answers. Run as root.
#
# KVM quirk: on some hosts /dev/kvm exists but nested KVM is broken (QEMU
# aborts with "failed to set MSR" for -cpu host, or hangs at boot). libvirt
# 9.x then re-probes QEMU's capabilities on every domain start, which makes
# each start take 40+ s. When the probe below finds KVM unusable, libvirtd is
# started in a private mount namespace where /dev/kvm is hidden, and QEMU's
# own /dev namespace is switched off (it cannot copy the bind-mounted node).
# Guests then run under TCG, which virtscale detects and reports.
#
#   scripts/start-libvirtd.sh [--kvm auto|hide|keep]
set -euo pipefail

mode=auto
[[ "${1:-}" == "--kvm" ]] && mode="${2:-auto}"

say() { printf 'start-libvirtd: %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then say "must run as root"; exit 1; fi
for bin in libvirtd virtlogd qemu-system-x86_64; do
  command -v "$bin" >/dev/null || { say "$bin not found: apt-get install libvirt-daemon-system qemu-system-x86"; exit 1; }
done

answers() { timeout 5 virsh -q -c qemu:///system version >/dev/null 2>&1; }

if answers; then say "libvirtd already answers on qemu:///system"; exit 0; fi

if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  say "systemd present: starting libvirtd.service"
  systemctl start virtlogd.socket libvirtd.socket libvirtd.service || systemctl start libvirtd
  for _ in $(seq 50); do answers && exit 0; sleep 0.2; done
  say "libvirtd did not answer after systemctl start"; exit 1
fi

# Does KVM work? -cpu host on a broken nested setup aborts at once; on a
# working one QEMU sits paused (-S) until the timeout kills it.
# QEMU runs as qemu.conf's `user` (Debian: libvirt-qemu), not as root: a
# /dev/kvm that only root may open (no udev rule gave it to group kvm) is as
# unusable as a broken one ("Could not access KVM kernel module: Permission
# denied" at every domain start), though libvirt still offers kvm domains.
qemu_user() {
  local u
  u=$(sed -nE 's/^\s*user\s*=\s*"([^"]+)".*/\1/p' /etc/libvirt/qemu.conf 2>/dev/null | tail -1)
  echo "${u:-libvirt-qemu}"
}
kvm_usable() {
  [[ -c /dev/kvm ]] || return 1
  local user
  user=$(qemu_user)
  if [[ $user != root ]] && id "$user" >/dev/null 2>&1 && ! runuser -u "$user" -- test -r /dev/kvm -a -w /dev/kvm; then
    say "/dev/kvm cannot be opened by QEMU's user '$user' ($(stat -c '%A %U:%G' /dev/kvm))"
    return 1
  fi
  local out rc
  out=$(timeout 3 qemu-system-x86_64 -accel kvm -cpu host -display none -nodefaults \
        -no-reboot -S -monitor none -serial none 2>&1) && rc=0 || rc=$?
  [[ $rc -eq 124 ]] && ! grep -qi 'failed to set MSR\|could not access KVM' <<<"$out"
}

hide=no
case "$mode" in
  hide) hide=yes ;;
  keep) hide=no ;;
  auto) if [[ -c /dev/kvm ]] && ! kvm_usable; then hide=yes; fi ;;
  *) say "--kvm takes auto|hide|keep"; exit 2 ;;
esac

mkdir -p /run/libvirt /var/run/libvirt /var/lib/libvirt/images /var/log/libvirt/qemu
pgrep -x virtlogd >/dev/null || virtlogd -d

conf=/etc/libvirt/qemu.conf
if [[ $hide == yes ]]; then
  say "/dev/kvm is present but KVM does not work here: hiding it from libvirtd (guests use TCG)"
  if ! grep -Eq '^\s*namespaces\s*=' "$conf"; then
    printf '\n# added by virtscale scripts/start-libvirtd.sh: /dev/kvm is hidden by a bind mount\nnamespaces = [ ]\n' >> "$conf"
  fi
  empty=/run/libvirt/virtscale-no-kvm
  : > "$empty"
  unshare --mount --propagation private sh -c "mount --bind '$empty' /dev/kvm && exec libvirtd -d"
else
  libvirtd -d
fi

for _ in $(seq 100); do
  if answers; then say "libvirtd answers on qemu:///system (kvm: $([[ $hide == yes ]] && echo hidden || echo as-is))"; exit 0; fi
  sleep 0.2
done
say "libvirtd did not answer within 20 s; see /var/log/libvirt"
exit 1
