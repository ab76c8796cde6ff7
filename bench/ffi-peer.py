# The python3-libvirt side of bench/ffi.ts (Debian's reference binding).
# usage: python3 ffi-peer.py URI MODE SECONDS [DOMAIN]
#   MODE info:   virDomainGetInfo on DOMAIN in a loop for SECONDS -> calls/s
#   MODE stats:  virConnectGetAllDomainStats(stats=0) in a loop   -> calls/s
#   MODE sample: N bulk CPU samples -> process CPU seconds per sample
import json, resource, sys, time
import libvirt

uri, mode, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open(uri)
CPU_STATS = (libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_CPU_TOTAL
             | libvirt.VIR_DOMAIN_STATS_VCPU | libvirt.VIR_DOMAIN_STATS_BALLOON)

def loop(f, batch):
    for _ in range(batch):  # warm-up
        f()
    n = 0
    t0 = time.perf_counter()
    while True:
        for _ in range(batch):
            f()
        n += batch
        t = time.perf_counter() - t0
        if t >= secs:
            return n, t

if mode == "info":
    d = c.lookupByName(sys.argv[4])
    n, t = loop(d.info, 5000)
    print(json.dumps({"calls": n, "secs": t}))
elif mode == "stats":
    n, t = loop(lambda: c.getAllDomainStats(0), 1 if len(c.listAllDomainsID() if hasattr(c, "listAllDomainsID") else c.listDomainsID()) > 100 else 2000)
    print(json.dumps({"calls": n, "secs": t}))
elif mode == "sample":
    samples = int(secs)
    c.getAllDomainStats(CPU_STATS)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    for _ in range(samples):
        recs = c.getAllDomainStats(CPU_STATS)
        # what a monitor does with a sample: cpu.time per domain by UUID
        cur = {dom.UUIDString(): p.get("cpu.time") for dom, p in recs}
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(json.dumps({"samples": samples, "cpuSecs": cpu, "wallSecs": time.perf_counter() - t0, "domains": len(cur)}))
