/**
 * Entry point of the `protoc-gen-entity` executable. Without arguments it is a protoc plugin
 * (buf sends a CodeGeneratorRequest on stdin); with a command it is the project's CLI.
 */
import { runCommand, isCommand } from "./cli/commands.js";
import { HELP_FLAGS, helpText } from "./cli/help.js";
import { runPluginOnStdio } from "./edge/run-node.js";

const args = process.argv.slice(2);
if (args.length === 1 && HELP_FLAGS.includes(args[0])) {
  process.stdout.write(helpText(), () => process.exit(0));
} else if (args.length > 0 && isCommand(args[0])) {
  runCommand(args[0], args.slice(1)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`protoc-gen-entity ${args[0]}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  runPluginOnStdio(args).then((code) => process.exit(code));
}
