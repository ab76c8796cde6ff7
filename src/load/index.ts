export { LoadGenerator, type LoadGeneratorOptions, type LoadViewExt } from "./generator.ts";
export { registerLoadCommands } from "./commands.ts";
export { parseRate, type Rate, type RateName } from "./rate.ts";
