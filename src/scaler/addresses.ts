// Following a guest's address on a libvirt network: its DHCP lease can change
// while it serves, and the balancer must send to the new one. Checked on the
// orphan sweep's listing (it carries every guest's address) and at once when
// a member goes silent; loopback forwards never move (their address is their
// metadata's). The move itself is the actuator's (Actuator.readdress).
import type { GroupContext } from "./group-context.ts";
import type { Member } from "./member.ts";

export class AddressFollower {
  constructor(private readonly ctx: GroupContext) {}

  /**
   * A serving member on a libvirt network whose guest libvirt now reports at
   * another address (its DHCP lease changed): the balancer follows it.
   */
  async follow(name: string, to: { host: string; port: number }): Promise<void> {
    const { o, actuator } = this.ctx;
    if (o.config.vm.network !== "network") return;
    const m = actuator.members.get(name);
    if (!m?.address || m.role !== "serving" || m.busy || to.host === "0.0.0.0" || to.port <= 0) return;
    if (m.address.host === to.host && m.address.port === to.port) return;
    if (await actuator.readdress(name, to)) o.store.log(`${name}: its guest's address changed to ${to.host}:${to.port} (libvirt's lease); the balancer follows`, "warn");
  }

  /** A member on a libvirt network just went silent: its lease may have changed; ask libvirt now, not at the next sweep. */
  recheck(m: Readonly<Member>): void {
    const { o } = this.ctx;
    const read = o.vms.addressOfAsync;
    if (!read || !m.address || o.config.vm.network !== "network") return;
    this.ctx.track(
      (async () => {
        const to = await read.call(o.vms, m.name);
        if (to && !this.ctx.stopped()) await this.follow(m.name, to);
      })(),
    );
  }
}
