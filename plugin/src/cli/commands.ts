/** The CLI's commands. Each takes its arguments and resolves to an exit code. */
import { catalogCommand } from "./catalog.js";
import { checkCommand } from "./check.js";
import { generateCommand } from "./generate.js";
import { releaseCommand } from "./release.js";
import { syncLookmlCommand } from "./sync-lookml.js";
import { verifyCommand } from "./verify.js";

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  verify: verifyCommand,
  release: releaseCommand,
  check: checkCommand,
  "sync-lookml": syncLookmlCommand,
  catalog: catalogCommand,
};

export function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

export function runCommand(name: string, args: readonly string[]): Promise<number> {
  return COMMANDS[name](args);
}
