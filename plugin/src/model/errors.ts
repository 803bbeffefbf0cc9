import type { SourceLocation } from "./types.js";

/**
 * One thing in a contract that cannot be mapped. The message names the place, the declaration,
 * what is wrong and how to fix it, because the reader is usually not the author of the proto.
 */
export class ContractError extends Error {
  constructor(
    readonly location: SourceLocation,
    /** The declaration at fault: `pkg.Message` or `pkg.Message.field`. */
    readonly subject: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${formatLocation(location)}: ${subject}: ${problem}\n  fix: ${fix}`);
    this.name = "ContractError";
  }
}

/** All problems found in one run: generation reports them together and writes nothing. */
export class ContractErrors extends Error {
  constructor(readonly errors: readonly ContractError[]) {
    super(
      `${errors.length} problem${errors.length === 1 ? "" : "s"} in the entity contracts, nothing was generated:\n` +
        errors.map((e) => e.message).join("\n"),
    );
    this.name = "ContractErrors";
  }
}

export function formatLocation(location: SourceLocation): string {
  if (location.line === 0) return location.file;
  return `${location.file}:${location.line}:${location.column}`;
}

/** Collects problems so that one run reports all of them, not only the first. */
export class Problems {
  private readonly list: ContractError[] = [];
  private readonly seen = new Set<string>();

  add(location: SourceLocation, subject: string, problem: string, fix: string): void {
    const error = new ContractError(location, subject, problem, fix);
    // A message used by several entities, or twice in one, is checked once per use: say it once.
    if (this.seen.has(error.message)) return;
    this.seen.add(error.message);
    this.list.push(error);
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws every problem collected so far, if any. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort(
      (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column,
    );
    throw new ContractErrors(sorted);
  }
}
