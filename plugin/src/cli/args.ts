/** Minimal `--flag value` parsing: the commands have few flags and must reject unknown ones. */
export function parseFlags(args: readonly string[], known: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith("--") ? splitInline(arg.slice(2)) : [undefined, undefined];
    if (name === undefined || !known.includes(name)) {
      throw new Error(`unknown argument "${arg}"; expected ${known.map((k) => `--${k} <value>`).join(", ")}`);
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
