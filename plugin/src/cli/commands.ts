/** The CLI's commands. Each takes its arguments and resolves to an exit code. */
import { generateCommand } from "./generate.js";

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
};

export function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

export function runCommand(name: string, args: readonly string[]): Promise<number> {
  return COMMANDS[name](args);
}
