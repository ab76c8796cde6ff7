// The config's `vm` section: the server VMs (size, accel, network mode,
// ports, directories, work scale, boot timeout).
// docs/config.md is generated from this schema and its doc comments
// (src/commands/config-doc.ts); src/config/schema.ts puts the sections together.
import { z } from "zod";
import { DEFAULT_WORK_SCALE } from "../protocol.ts";
import { port } from "./fields.ts";

export const VmSchema = z.strictObject({
  /** 512: the guest's initramfs (~115 MB, the server binary) unpacks into RAM next to its own copy. */
  memory_mib: z.number().int().min(64).default(512),
  /** vCPUs of each VM. */
  vcpus: z.number().int().min(1).default(1),
  /** "auto": KVM when it works here, TCG otherwise (detected and reported). */
  accel: z.enum(["auto", "kvm", "tcg"]).default("auto"),
  /** "user": QEMU user networking with a loopback UDP forward per VM; "network": a libvirt network, address from virDomainInterfaceAddresses. */
  network: z.enum(["user", "network"]).default("user"),
  /** The libvirt network with network "network". */
  network_name: z.string().default("default"),
  /** Host ports for loopback forwards are taken from here upwards. */
  port_base: port.default(22001),
  /** Where the guest image is built and cached. Unset: /var/lib/virtscale/images as root, else $XDG_CACHE_HOME/virtscale/images. */
  image_dir: z.string().optional(),
  /** Where snapshots are written and restore and the API's paths must resolve. Unset: /var/lib/virtscale/snapshots as root, else $XDG_DATA_HOME/virtscale/snapshots. */
  snapshot_dir: z.string().optional(),
  /** Where POST /create's kernel_path must resolve. Unset: the guest image's directory. */
  kernel_dir: z.string().optional(),
  /** Iterations of the work function per unit of n (guest server); at the default 200, a request at the default req_num_high (20000) costs ~35 ms of guest CPU under TCG here (measured per image and host, src/load/cost.ts). */
  work_scale: z.number().int().min(0).default(DEFAULT_WORK_SCALE),
  /** How long to wait for a new VM's first correct protocol answer. */
  boot_timeout_s: z.number().positive().default(90),
});
