/** Minimal flag parsing: the commands have few flags and must reject unknown ones. */
export function parseFlags(args: readonly string[], known: readonly string[], knownSwitches: readonly string[] = []): Map<string, string> & { readonly switches: ReadonlySet<string> } {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith("--") ? splitInline(arg.slice(2)) : [undefined, undefined];
    if (name !== undefined && inline === undefined && knownSwitches.includes(name)) {
      switches.add(name);
      continue;
    }
    if (name === undefined || !known.includes(name)) {
      const expected = [...known.map((k) => `--${k} <value>`), ...knownSwitches.map((s) => `--${s}`)];
      throw new Error(`unknown argument "${arg}"; expected ${expected.join(", ")}`);
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values.set(name, value);
  }
  return Object.assign(values, { switches });
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
