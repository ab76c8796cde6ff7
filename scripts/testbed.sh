#!/usr/bin/env bash
# A testbed of N simulated libvirt hosts on this one machine, for the tests and
# for a person who wants to try virtscale against "remote" hosts and libvirt
# networks without a second machine. Run as root.
#
#   scripts/testbed.sh up N        hosts 1..N up (idempotent: a host that answers is left as it is)
#   scripts/testbed.sh up K-M      hosts K..M up (K-K: host K alone); several test files use disjoint hosts
#   scripts/testbed.sh down [K..]  every testbed host down (or only hosts K..): domains, daemons, namespaces, routes, dirs
#   scripts/testbed.sh status      what is up, per host
#   scripts/testbed.sh crash K     kill -9 every process of host K (a host crash; `down` or `up` cleans up)
#   scripts/testbed.sh restart-libvirtd K   kill -9 host K's libvirtd alone and start it again (its VMs run on)
#   scripts/testbed.sh revive K    after a crash: host K's daemons start again on what it had (its domains defined, shut off)
#   scripts/testbed.sh partition K host K's network drops every packet from here (blackhole routes: no reset, no answer)
#   scripts/testbed.sh heal K      the partition of host K ends
#   scripts/testbed.sh uri K       print host K's libvirt URI
#
# Host K is:
#  - a network namespace vstbK, joined to the root namespace by a veth pair:
#    vstbKh (root side, 10.231.K.1/24) and vstbKn (namespace side, 10.231.K.2/24);
#  - a private mount namespace in it with its own virtlogd and libvirtd, over
#    private copies of libvirt's directories (a copy of /etc/libvirt without the
#    main daemon's domains and networks; empty /run/libvirt, /var/lib/libvirt,
#    /var/cache/libvirt, /var/log/libvirt), pid files inside them, libvirtd
#    listening on TCP at 10.231.K.2 without authentication: qemu+tcp://10.231.K.2/system;
#  - a libvirt network "vsnet" in route mode (no NAT) with DHCP on 10.231.(100+K).0/24,
#    routed from the root namespace through the veth: the root namespace reaches
#    every guest at its leased address, and nothing leaves the machine.
# /dev/kvm is hidden from the host's libvirtd as scripts/start-libvirtd.sh hides
# it from the main one (where KVM does not work here; --kvm hide|keep overrides),
# so guests start in ~0.4 s under TCG instead of re-probing QEMU every time.
# `down` kills only what it started: the pids in the hosts' pid files (and the
# QEMU and dnsmasq processes their libvirtd started), then whatever still runs
# in the host's network namespace (it holds nothing else).
# Needs dnsmasq (Debian dnsmasq-base, in scripts/setup.sh) for the network's DHCP.
set -euo pipefail

ROOT=${VIRTSCALE_TESTBED_DIR:-/run/virtscale-testbed}
NET=vsnet
KVM=auto

say() { printf 'testbed: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

ns_of() { echo "vstb$1"; }
ns_ip() { echo "10.231.$1.2"; }
root_ip() { echo "10.231.$1.1"; }
guest_net() { echo "10.231.$((100 + $1))"; }
uri_of() { echo "qemu+tcp://$(ns_ip "$1")/system"; }
dir_of() { echo "$ROOT/host$1"; }

answers() { timeout 5 virsh -q -c "$(uri_of "$1")" version >/dev/null 2>&1; }
vsh() { local k=$1; shift; timeout 30 virsh -q -c "$(uri_of "$k")" "$@"; }

# Running, not a zombie (a killed daemon's parent is PID 1, which may be slow to reap it, or never).
alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }
pid_in() { [[ -s $1 ]] && tr -dc 0-9 <"$1" || true; }

# Where the main libvirtd runs with /dev/kvm hidden (start-libvirtd.sh), the hosts do too; no main daemon: hide (TCG works everywhere).
hide_kvm() {
  [[ -e /dev/kvm ]] || return 1
  case $KVM in hide) return 0 ;; keep) return 1 ;; esac
  local pid
  pid=$(pid_in /run/libvirtd.pid)
  if alive "$pid" && [[ -e /proc/$pid/root/dev/kvm ]]; then [[ ! -c /proc/$pid/root/dev/kvm ]]; return; fi
  return 0
}

# key = value in a libvirt config file: the uncommented lines of that key go, the new one is appended.
set_conf() {
  local file=$1 key=$2 value=$3
  sed -i -E "/^\s*${key}\s*=/d" "$file"
  printf '%s = %s\n' "$key" "$value" >>"$file"
}

# The directory tree (no files) of a libvirt directory, owners and modes kept: what the packages made.
skeleton() {
  local from=$1 to=$2
  mkdir -p "$to"
  [[ -d $from ]] || return 0
  (cd "$from" && find . -mindepth 1 -type d ! -path './qemu/domain-*' ! -path './qemu/channel/target/*' -print0) |
    while IFS= read -r -d '' d; do
      mkdir -p "$to/$d"
      chown --reference="$from/$d" "$to/$d"
      chmod --reference="$from/$d" "$to/$d"
    done
  chown --reference="$from" "$to"
  chmod --reference="$from" "$to"
}

prepare_dirs() {
  local k=$1 d
  d=$(dir_of "$k")
  mkdir -p "$d"
  rm -rf "$d/etc"
  cp -a /etc/libvirt "$d/etc"
  # Not the main daemon's domains, networks, pools or secrets: this host starts empty.
  find "$d/etc/qemu" -maxdepth 1 -name '*.xml' -delete
  rm -rf "$d/etc/qemu/autostart" "$d/etc/qemu/networks" "$d/etc/storage" "$d/etc/secrets"
  mkdir -p "$d/etc/qemu/networks/autostart"
  local conf=$d/etc/libvirtd.conf
  set_conf "$conf" listen_tls 0
  set_conf "$conf" listen_tcp 1
  set_conf "$conf" auth_tcp '"none"'
  set_conf "$conf" listen_addr "\"$(ns_ip "$k")\""
  set_conf "$conf" log_outputs "\"2:file:/var/log/libvirt/libvirtd.log\""
  if hide_kvm && ! grep -Eq '^\s*namespaces\s*=' "$d/etc/qemu.conf"; then
    printf '\n# added by virtscale scripts/testbed.sh: /dev/kvm is hidden by a bind mount\nnamespaces = [ ]\n' >>"$d/etc/qemu.conf"
  fi
  skeleton /var/lib/libvirt "$d/lib"
  skeleton /var/cache/libvirt "$d/cache"
  skeleton /var/log/libvirt "$d/log"
  rm -rf "$d/run"
  skeleton /run/libvirt "$d/run"
  : >"$d/no-kvm"
  mkdir -p "$d/cgroup-hold"
}

net_up() {
  local k=$1 ns h n
  ns=$(ns_of "$k")
  h="${ns}h"
  n="${ns}n"
  ip netns add "$ns"
  ip link add "$h" type veth peer name "$n"
  ip link set "$n" netns "$ns"
  ip addr add "$(root_ip "$k")/24" dev "$h"
  ip link set "$h" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$(ns_ip "$k")/24" dev "$n"
  ip -n "$ns" link set "$n" up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  ip route replace "$(guest_net "$k").0/24" via "$(ns_ip "$k")" dev "$h"
}

# The daemons, inside the host's network namespace and a private mount namespace.
daemons_up() {
  local k=$1 d hide=no
  d=$(dir_of "$k")
  hide_kvm && hide=yes
  cat >"$d/start.sh" <<EOF
set -e
# A sysfs of this network namespace (libvirt reads its bridges and taps there), with the machine's cgroups kept under it.
held=no
if mountpoint -q /sys/fs/cgroup; then mount --rbind /sys/fs/cgroup '$d/cgroup-hold'; held=yes; fi
mount -t sysfs sysfs /sys
if [ \$held = yes ]; then mount --move '$d/cgroup-hold' /sys/fs/cgroup; fi
mount --bind '$d/etc' /etc/libvirt
mount --bind '$d/run' /run/libvirt
mount --bind '$d/lib' /var/lib/libvirt
mount --bind '$d/cache' /var/cache/libvirt
mount --bind '$d/log' /var/log/libvirt
if [ $hide = yes ]; then mount --bind '$d/no-kvm' /dev/kvm; fi
virtlogd -d -p /run/libvirt/testbed-virtlogd.pid
exec libvirtd -d --listen -p /run/libvirt/testbed-libvirtd.pid
EOF
  # 9>&-: the daemons must not inherit the testbed's lock (they would hold it for as long as they run).
  nsenter --net="/run/netns/$(ns_of "$k")" -- unshare --mount --propagation private -- sh "$d/start.sh" 9>&- </dev/null >"$d/start.log" 2>&1 ||
    die "host $k: starting its daemons failed: $(tail -3 "$d/start.log")"
  for _ in $(seq 100); do
    answers "$k" && return 0
    sleep 0.2
  done
  die "host $k: libvirtd did not answer on $(uri_of "$k") within 20 s; see $d/log/libvirtd.log"
}

network_up() {
  local k=$1 d g
  d=$(dir_of "$k")
  g=$(guest_net "$k")
  # Not `| grep -q`: with pipefail, grep's early exit fails virsh with SIGPIPE.
  [[ $(vsh "$k" net-info "$NET" 2>/dev/null) =~ Active:[[:space:]]+yes ]] && return 0
  # dnsmasq's no-ping: by default it pings an address before it offers it and waits for no answer,
  # which made each lease here take ~6 s instead of ~1 s; this subnet holds only the host's own guests.
  cat >"$d/$NET.xml" <<EOF
<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
  <name>$NET</name>
  <forward mode='route'/>
  <bridge name='vsbr$k' stp='off' delay='0'/>
  <ip address='$g.1' netmask='255.255.255.0'>
    <dhcp><range start='$g.10' end='$g.250'/></dhcp>
  </ip>
  <dnsmasq:options><dnsmasq:option value='no-ping'/></dnsmasq:options>
</network>
EOF
  vsh "$k" net-info "$NET" >/dev/null 2>&1 || vsh "$k" net-define "$d/$NET.xml" >/dev/null
  vsh "$k" net-start "$NET" >/dev/null
}

host_up() {
  local k=$1
  if answers "$k"; then
    network_up "$k"
    say "host $k already up: $(uri_of "$k"), network $NET on $(guest_net "$k").0/24"
    return 0
  fi
  [[ -e $(dir_of "$k") || -e /run/netns/$(ns_of "$k") ]] && host_down "$k"
  prepare_dirs "$k"
  net_up "$k"
  daemons_up "$k"
  network_up "$k"
  say "host $k up: $(uri_of "$k"), network $NET on $(guest_net "$k").0/24"
}

# TERM, then KILL after 5 s, for each pid given; returns when all are gone.
stop_pids() {
  local p left
  for p in "$@"; do alive "$p" && kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    left=no
    for p in "$@"; do alive "$p" && left=yes; done
    [[ $left == no ]] && return 0
    sleep 0.1
  done
  for p in "$@"; do alive "$p" && kill -KILL "$p" 2>/dev/null || true; done
  sleep 0.2
}

host_down() {
  local k=$1 d ns f pids=()
  d=$(dir_of "$k")
  ns=$(ns_of "$k")
  if answers "$k"; then
    # Through libvirt first: QEMU ends cleanly and libvirt removes its taps and cgroups.
    for dom in $(vsh "$k" list --name 2>/dev/null); do vsh "$k" destroy "$dom" >/dev/null 2>&1 || true; done
    vsh "$k" net-destroy "$NET" >/dev/null 2>&1 || true
  fi
  for f in "$d/run/testbed-libvirtd.pid" "$d/run/testbed-virtlogd.pid" "$d"/run/qemu/*.pid "$d"/run/network/*.pid; do
    [[ -f $f ]] && pids+=("$(pid_in "$f")")
  done
  ((${#pids[@]})) && stop_pids "${pids[@]}"
  if [[ -e /run/netns/$ns ]]; then
    # Anything still in the namespace is this host's (it was made for it alone).
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
    ((${#pids[@]})) && stop_pids "${pids[@]}"
    ip netns del "$ns"
  fi
  ip link del "${ns}h" 2>/dev/null || true
  ip route del "$(guest_net "$k").0/24" 2>/dev/null || true
  ip route del blackhole "$(ns_ip "$k")/32" 2>/dev/null || true
  [[ -n $d && $d == "$ROOT"/host* ]] && rm -rf "$d"
  say "host $k down"
}

hosts_known() {
  {
    for d in "$ROOT"/host*; do [[ -d $d ]] && echo "${d##*/host}"; done
    ip netns list 2>/dev/null | sed -nE 's/^vstb([0-9]+)( .*)?$/\1/p'
  } | sort -un
}

status() {
  local any=no k d lpid state
  for k in $(hosts_known); do
    any=yes
    d=$(dir_of "$k")
    lpid=$(pid_in "$d/run/testbed-libvirtd.pid")
    if answers "$k"; then state="answers on $(uri_of "$k")"; else state="libvirtd does not answer"; fi
    printf 'host %s: netns %s %s, libvirtd %s, %s\n' "$k" "$(ns_of "$k")" "$([[ -e /run/netns/$(ns_of "$k") ]] && echo up || echo missing)" \
      "$(alive "$lpid" && echo "pid $lpid" || echo "not running")" "$state"
    if answers "$k"; then
      printf '  network %s: %s, guests on %s.0/24 (route: %s)\n' "$NET" \
        "$(vsh "$k" net-info "$NET" 2>/dev/null | sed -nE 's/^Active:\s+//p' | sed 's/yes/active/;s/no/inactive/')" "$(guest_net "$k")" \
        "$(ip route show "$(guest_net "$k").0/24" | head -1)"
      vsh "$k" list --all 2>/dev/null | sed 's/^/  /'
      vsh "$k" net-dhcp-leases "$NET" 2>/dev/null | sed -n '3,$p' | sed 's/^/  lease /'
    fi
  done
  [[ $any == yes ]] || say "no testbed host is up"
}

crash() {
  local k=$1 pids
  [[ -e /run/netns/$(ns_of "$k") ]] || die "host $k is not up"
  mapfile -t pids < <(ip netns pids "$(ns_of "$k")")
  ((${#pids[@]})) && kill -KILL "${pids[@]}" 2>/dev/null || true
  say "host $k crashed: killed ${#pids[@]} process(es) ($(echo "${pids[@]}"))"
}

# libvirtd alone dies and comes back (the VMs, virtlogd and dnsmasq run on): in the mount namespace virtlogd runs in.
restart_libvirtd() {
  local k=$1 d pid lpid
  d=$(dir_of "$k")
  pid=$(pid_in "$d/run/testbed-libvirtd.pid")
  lpid=$(pid_in "$d/run/testbed-virtlogd.pid")
  alive "$lpid" || die "host $k: its virtlogd is not running (crashed? 'up' brings the host back)"
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  nsenter --mount="/proc/$lpid/ns/mnt" --net="/run/netns/$(ns_of "$k")" -- libvirtd -d --listen -p /run/libvirt/testbed-libvirtd.pid 9>&- </dev/null >>"$d/start.log" 2>&1 ||
    die "host $k: starting libvirtd again failed: $(tail -3 "$d/start.log")"
  for _ in $(seq 100); do
    answers "$k" && { say "host $k: libvirtd restarted (was pid ${pid:-none})"; return 0; }
    sleep 0.2
  done
  die "host $k: libvirtd did not answer again within 20 s; see $d/log/libvirtd.log"
}

usage() { sed -n '6,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

args=()
while (($#)); do
  case $1 in
    --kvm) KVM=${2:-}; shift 2 ;;
    -h | --help) usage ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
[[ $KVM == auto || $KVM == hide || $KVM == keep ]] || die "--kvm takes auto|hide|keep"
cmd=${1:-}
[[ -n $cmd ]] || usage
[[ $cmd == uri ]] && { [[ ${2:-} =~ ^[0-9]+$ ]] || usage; uri_of "$2"; exit 0; }
[[ $(id -u) -eq 0 ]] || die "must run as root"
case $cmd in
  up)
    spec=${2:-1}
    if [[ $spec =~ ^([0-9]+)-([0-9]+)$ ]]; then first=${BASH_REMATCH[1]} last=${BASH_REMATCH[2]}
    elif [[ $spec =~ ^[0-9]+$ ]]; then first=1 last=$spec
    else die "up takes a host count N or a range K-M (1..99), got '$spec'"; fi
    ((first >= 1 && last <= 99 && first <= last)) || die "up: hosts must be within 1..99, first <= last, got '$spec'"
    ;;
  crash | restart-libvirtd | revive | partition | heal) [[ ${2:-} =~ ^[0-9]+$ ]] || usage ;;
  down) for k in "${@:2}"; do [[ $k =~ ^[0-9]+$ ]] || die "down takes host numbers, got '$k'"; done ;;
  status) ;;
  *) usage ;;
esac

mkdir -p "$ROOT"
# One testbed command at a time (tests may bring hosts up in parallel).
exec 9>"$ROOT.lock"
flock 9

case $cmd in
  up)
    for bin in libvirtd virtlogd virsh qemu-system-x86_64 nsenter unshare; do command -v "$bin" >/dev/null || die "$bin not found (scripts/setup.sh installs it)"; done
    command -v dnsmasq >/dev/null || die "dnsmasq not found: apt-get install dnsmasq-base (scripts/setup.sh installs it); the testbed's network needs it for DHCP"
    for k in $(seq "$first" "$last"); do host_up "$k"; done
    ;;
  down)
    if (($# > 1)); then for k in "${@:2}"; do host_down "$k"; done
    else for k in $(hosts_known); do host_down "$k"; done; fi
    rmdir "$ROOT" 2>/dev/null || true
    ;;
  status) status ;;
  crash) crash "$2" ;;
  restart-libvirtd) restart_libvirtd "$2" ;;
  # Blackhole routes in the root namespace: what is sent to the host or its guests is dropped without a word,
  # so established connections hang (as behind a dead switch) while the host and its VMs run on.
  partition)
    [[ -e /run/netns/$(ns_of "$2") ]] || die "host $2 is not up"
    ip route replace blackhole "$(ns_ip "$2")/32"
    ip route replace blackhole "$(guest_net "$2").0/24"
    say "host $2 partitioned: $(ns_ip "$2") and $(guest_net "$2").0/24 dropped"
    ;;
  heal)
    ip route del blackhole "$(ns_ip "$2")/32" 2>/dev/null || true
    ip route del blackhole "$(guest_net "$2").0/24" 2>/dev/null || true
    [[ -e /run/netns/$(ns_of "$2") ]] && ip route replace "$(guest_net "$2").0/24" via "$(ns_ip "$2")" dev "vstb$2h"
    say "host $2 healed"
    ;;
  revive)
    [[ -d $(dir_of "$2") && -e /run/netns/$(ns_of "$2") ]] || die "host $2 was never up (nothing to revive; 'up' makes it)"
    answers "$2" && die "host $2 answers: it is not down"
    daemons_up "$2"
    network_up "$2"
    say "host $2 revived: $(uri_of "$2")"
    ;;
esac
