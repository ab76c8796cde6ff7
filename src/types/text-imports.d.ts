// Files imported as text (`with { type: "text" }`): the libvirtd start script
// that the demo embeds so a lone binary can start libvirtd.
declare module "*.sh" {
  const text: string;
  export default text;
}
