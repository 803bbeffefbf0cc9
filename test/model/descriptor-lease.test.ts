/**
 * The model reaches its descriptors through a lease (plugin/src/model/descriptor-lease.ts): once
 * the run ends it, nothing in the model may keep a descriptor alive, or the registry (most of a
 * run's memory) stays for the formats that render from the model alone. Checked with the garbage
 * collector itself: a descriptor the model pointed at is collected once the lease ended.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../plugin/src/model/build-model.js";
import { DescriptorLease } from "../../plugin/src/model/descriptor-lease.js";
import type { Model } from "../../plugin/src/model/types.js";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.js";
import { requestDescriptors } from "../../plugin/src/protocol/descriptors.js";
import { compileProtos, requestOf } from "../harness/buf/protos.js";
import { PROJECT, proto3 } from "./support.js";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

const compiled = compileProtos({
  "test/v1/meter.proto": proto3(`
message Meter {
  option (entity.v1.entity) = { id_field: "key.serial" };
  Key key = 1;
  string site = 2;
  Reading last = 3;
}
message Key { string serial = 1; }
message Reading { double kwh = 1; }
`),
});

/** The model of the compiled file, and weak references to descriptors it points at; nothing else holds the request. */
function modelAndWeakDescriptors(): { model: Model; file: WeakRef<object>; idField: WeakRef<object>; columnField: WeakRef<object> } {
  const { files, allFiles } = requestDescriptors(requestOf(compiled, PROJECT));
  const model = buildModel({ files, allFiles, options: parsePluginOptions(splitParameter(PROJECT)) });
  const [meter] = model.entities;
  const site = meter!.columns.find((c) => c.name === "site")!;
  if (site.source.kind !== "field") throw new Error("site is not read from a field");
  return { model, file: new WeakRef(meter!.descriptor.file), idField: new WeakRef(meter!.idFieldPath[1]!), columnField: new WeakRef(site.source.field) };
}

/** A WeakRef keeps its target until the current job ends; the collection runs after that. */
async function collectedAfterThisJob(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
}

describe("the model's descriptor lease", () => {
  it("keeps the descriptors while it lasts, and nothing in the model keeps them once it ended", async () => {
    const { model, file, idField, columnField } = modelAndWeakDescriptors();
    await collectedAfterThisJob();
    expect(file.deref()).toBeDefined();
    const [meter] = model.entities;
    expect(meter!.idFieldPath.map((f) => f.name)).toEqual(["key", "serial"]);

    model.descriptors.end();
    await collectedAfterThisJob();
    expect(file.deref()).toBeUndefined();
    expect(idField.deref()).toBeUndefined();
    expect(columnField.deref()).toBeUndefined();
    // The model itself is whole: the formats that render from it alone still can.
    expect(meter!.columns.map((c) => c.name)).toContain("site");
    expect(meter!.typeName).toBe("test.v1.Meter");
  });

  it("says that reading a descriptor after the lease ended is a bug in the order formats render in", () => {
    const { model } = modelAndWeakDescriptors();
    const [meter] = model.entities;
    const site = meter!.columns.find((c) => c.name === "site")!;
    model.descriptors.end();
    expect(model.descriptors.ended).toBe(true);
    const bug = /read a proto descriptor after the run let the descriptors go.*Emitter\.readsDescriptors/;
    expect(() => meter!.descriptor).toThrow(bug);
    expect(() => meter!.idFieldPath).toThrow(bug);
    expect(() => site.source.kind === "field" && site.source.field).toThrow(bug);
    // What the model says of a field without its descriptor stays readable.
    expect(site.source.kind === "field" && site.source.fieldName).toBe("test.v1.Meter.site");
  });

  it("reads back what it holds, by the number it gave", () => {
    const lease = new DescriptorLease();
    const { files } = requestDescriptors(requestOf(compiled, PROJECT));
    const meter = files.flatMap((f) => f.messages).find((m) => m.name === "Meter")!;
    const held = [lease.holdMessage(meter), lease.holdField(meter.fields[1]!), lease.holdField(meter.fields[0]!)];
    expect(lease.message(held[0]!)).toBe(meter);
    expect(lease.field(held[1]!)).toBe(meter.fields[1]);
    expect(lease.field(held[2]!)).toBe(meter.fields[0]);
    expect(lease.ended).toBe(false);
  });
});
