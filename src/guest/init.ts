// The guest's /init (busybox sh) and its DHCP hook. Kept as text here because
// they go into the initramfs as files; their content is part of the image's
// cache key. The service port, work scale and answer function come from the
// kernel command line (virtscale.port=, virtscale.scale=, virtscale.function=)
// so one image serves any config, and also plays a server that is not
// virtscale's (virtscale.function=pow2mod1021: the service.check tests).

export const UDHCPC_SCRIPT = `#!/bin/sh
# udhcpc hook: configure the lease (busybox passes $interface $ip $mask $router).
case "$1" in
  deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "\${router%% *}" dev "$interface"; fi
    echo "virtscale-init: dhcp $1 $interface $ip/\${mask:-24}"
    ;;
esac
exit 0
`;

/** busybox acpid runs <confdir>/PWRF/00000080 when the ACPI power button is pressed (virDomainShutdown). */
export const POWER_BUTTON_SCRIPT = `#!/bin/sh
echo "virtscale-init: power button: powering off"
poweroff -f
`;

export const INIT_SCRIPT = `#!/bin/busybox sh
# virtscale guest init (PID 1): mount the kernel filesystems, load the virtio
# NIC modules, get an address by DHCP, then run the guest server and restart it
# if it ever exits. Progress goes to the serial console (console=ttyS0).
/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp TMPDIR=/tmp
exec </dev/console >/dev/console 2>&1
say() { echo "virtscale-init: $* (t=$(cut -d' ' -f1 /proc/uptime)s)"; }
say "userland up"
for m in $(cat /lib/modules/load-order); do insmod "/lib/modules/$m.ko" || say "insmod $m failed"; done
# The ACPI power button (virDomainShutdown) ends the guest cleanly.
acpid -c /etc/acpi -l /dev/console || say "acpid failed"
ip link set lo up
port=21001
scale=
fn=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    virtscale.port=*) port="\${arg#virtscale.port=}" ;;
    virtscale.scale=*) scale="\${arg#virtscale.scale=}" ;;
    virtscale.function=*) fn="\${arg#virtscale.function=}" ;;
  esac
done
ifname=
for n in /sys/class/net/*; do n="\${n##*/}"; [ "$n" != lo ] && { ifname="$n"; break; }; done
if [ -n "$ifname" ]; then
  ip link set "$ifname" up
  # -b: no lease within the first 10 tries (a busy host under TCG, a DHCP server that answers late) goes on
  # trying in the background; the server starts meanwhile and answers once the lease is there (-n gave up for good).
  udhcpc -i "$ifname" -s /etc/udhcpc.script -t 10 -T 1 -A 1 -b >/dev/null 2>&1 || say "dhcp on $ifname: no lease yet, udhcpc goes on trying in the background"
else
  say "no network interface (virtio-net missing?)"
fi
say "starting server on udp/$port\${fn:+ (function $fn)}"
while :; do
  /bin/virtscale serve --port "$port" --warmup 3000 \${scale:+--scale "$scale"} \${fn:+--function "$fn"}
  say "server exited ($?), restarting"
  sleep 1
done
`;
