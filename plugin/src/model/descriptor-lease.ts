/**
 * The descriptors the model's entities and columns point at, lent for as long as a run needs them.
 *
 * Once the model is built, the decoded descriptors and protobuf-es's registry are most of what a
 * run holds: about 70 of the 120 MB live after the checks of the 1,000-entity benchmark. Most
 * formats never read them; they render from the model alone. So the model reaches its
 * descriptors through a lease, which the run ends when the formats that read descriptors have
 * rendered (plugin.ts renders those first): the others then render with the registry collected,
 * which lowers both the peak memory and the work of every later garbage collection.
 *
 * A descriptor read after the lease ended is a bug in the order the run renders its formats
 * in, reported as such rather than read from a registry kept alive for it.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { ColumnSource, SourceLocation } from "./types.js";

export class DescriptorLease {
  #messages: DescMessage[] | undefined = [];
  #fields: DescField[] | undefined = [];

  /** Keeps `message` for the lease; its number reads it back. */
  holdMessage(message: DescMessage): number {
    return this.#held(this.#messages).push(message) - 1;
  }

  holdField(field: DescField): number {
    return this.#held(this.#fields).push(field) - 1;
  }

  message(held: number): DescMessage {
    return this.#held(this.#messages)[held]!;
  }

  field(held: number): DescField {
    return this.#held(this.#fields)[held]!;
  }

  /** Lets every descriptor go: what only the lease held is collected. */
  end(): void {
    this.#messages = undefined;
    this.#fields = undefined;
  }

  get ended(): boolean {
    return this.#messages === undefined;
  }

  #held<T>(descriptors: T[] | undefined): T[] {
    if (descriptors === undefined) {
      throw new Error("internal error: a format read a proto descriptor after the run let the descriptors go. Formats that render from descriptors must say so (Emitter.readsDescriptors), so that they render first; this is a bug in protoc-gen-entity.");
    }
    return descriptors;
  }
}

/**
 * A column's field, read through the lease: `field` is a getter on the prototype, so a source
 * holds the field's number in the lease and not the field itself.
 */
export class LeasedFieldSource implements Extract<ColumnSource, { kind: "field" }> {
  readonly kind = "field";
  readonly #lease: DescriptorLease;
  readonly #held: number;

  constructor(lease: DescriptorLease, field: DescField, location: SourceLocation) {
    this.#lease = lease;
    this.#held = lease.holdField(field);
    this.fieldName = `${field.parent.typeName}.${field.name}`;
    this.location = location;
  }

  readonly fieldName: string;
  readonly location: SourceLocation;

  get field(): DescField {
    return this.#lease.field(this.#held);
  }
}
