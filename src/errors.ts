// One way to turn whatever was thrown into the text a user reads: an Error's
// message (a LibvirtError's includes libvirt's code and call), else its string.
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e);
}
