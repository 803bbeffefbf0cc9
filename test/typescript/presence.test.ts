/**
 * The presence rule end to end: events made by the generated package, decoded with the topic
 * schema buf compiled (as Pub/Sub's BigQuery subscription reads them), written as rows of the
 * generated table and read through the generated events view on ZetaSQL's reference engine.
 * Unset fields and zero values of implicit presence land as NULL; a set zero of an
 * explicit-presence field stays a value.
 */
import { create, fromBinary, toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { compileExample, exampleParameter } from "../harness/buf/protos.js";
import { startZetaSql, type Row, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { viewQuery } from "../bigquery/support.js";
import type { GeneratedModule } from "./support/example-fixtures.js";
import { generatePackage, type GeneratedPackage } from "./support/package.js";

let pkg: GeneratedPackage;
let mod: GeneratedModule;
let zetasql: ZetaSqlSession;

beforeAll(async () => {
  pkg = generatePackage(compileExample(), exampleParameter());
  pkg.build();
  mod = await pkg.load();
  zetasql = await startZetaSql();
}, 300_000);

afterAll(async () => {
  pkg?.dispose();
  await zetasql?.stop();
});

/** A topic field's proto JSON as the BigQuery subscription writes it into a column. */
function columnValue(field: BigQueryField, value: JsonValue): unknown {
  if (field.mode === "REPEATED") return (value as JsonValue[]).map((v) => columnValue({ ...field, mode: "NULLABLE" }, v));
  switch (field.type as string) {
    case "TIMESTAMP":
      return new Date(Number(BigInt(value as string) / 1000n));
    case "DATE":
      return new Date((value as number) * 86_400_000).toISOString().slice(0, 10);
    case "RECORD":
    case "STRUCT":
      return rowOf(field.fields ?? [], value as JsonObject);
    case "JSON":
      return JSON.parse(value as string);
    default:
      return value;
  }
}

/** The row of one topic message: a column per present field, the others left NULL. */
function rowOf(schema: readonly BigQueryField[], json: JsonObject): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of schema) {
    const value = json[field.name];
    // Proto JSON leaves out an empty list; BigQuery has no NULL arrays, only empty ones.
    if (value !== undefined) row[field.name] = columnValue(field, value);
    else if (field.mode === "REPEATED") row[field.name] = [];
  }
  return row;
}

interface Table {
  readonly name: string;
  readonly schema: readonly BigQueryField[];
  /** The query the rows are read through. */
  readonly view: string;
}

/** A table read through its generated events view, or directly (`SELECT *`). */
function table(dataset: string, name: string, through: "events view" | "table"): Table {
  return {
    name: `acme-energy.${dataset}.${name}`,
    schema: JSON.parse(pkg.files.get(`bigquery/${dataset}/${name}.schema.json`)!) as BigQueryField[],
    view: through === "table" ? `SELECT * FROM \`acme-energy.${dataset}.${name}\`` : viewQuery(pkg.files.get(`bigquery/${dataset}/${name}_events.sql`)!),
  };
}

/** Publishes the events (binary, as the topic is set), lands them as rows, reads the events view. */
async function landed(t: Table, events: readonly { toPubSubMessage(o?: object): { data: Uint8Array }; eventId: string }[], schemaTypeName: string): Promise<Map<string, Row>> {
  const topic = pkg.topicSchemas.getMessage(schemaTypeName)!;
  const rows = events.map((event, i) => {
    const decoded = fromBinary(topic, event.toPubSubMessage().data, { readUnknownFields: false });
    const json = toJson(topic, decoded, { useProtoFieldName: true }) as JsonObject;
    return { ...rowOf(t.schema, json), message_id: `m${i}`, publish_time: new Date(Date.UTC(2025, 0, 1, 0, i)) };
  });
  const out = await zetasql.evaluate(t.view, [{ name: t.name, schema: t.schema, rows }]);
  return new Map(out.map((r) => [r.event_id as string, r]));
}

describe("the presence rule, from the TypeScript package to the events view", () => {
  it("a deleted() event by id lands with every column but the id and the envelope NULL", async () => {
    const t = table("energy_customer_v1", "house", "events view");
    const byId = mod.HouseEvent.deleted("h-1", { eventId: "e-deleted" });
    const byEntity = mod.HouseEvent.deleted(create(mod.HouseSchema, { id: "h-2" }), { eventId: "e-deleted-entity" });
    const rows = await landed(t, [byId, byEntity], mod.HouseEvent.schemaTypeName);
    for (const [eventId, id] of [["e-deleted", "h-1"], ["e-deleted-entity", "h-2"]] as const) {
      const row = rows.get(eventId)!;
      expect(row.id).toBe(id);
      expect(row.operation).toBe("DELETED");
      expect(row.occurred_at).toBeInstanceOf(Date);
      const entityColumns = Object.entries(row).filter(([k]) => !["id", "event_id", "operation", "occurred_at", "message_id", "publish_time", "subscription_name", "attributes"].includes(k));
      expect(entityColumns.length).toBeGreaterThan(5);
      for (const [column, value] of entityColumns) {
        // Repeated columns are empty, never NULL; every other column is NULL.
        expect(value, column).toEqual(column === "installations" ? [] : null);
      }
    }
  });

  it("an entity with unset fields and zeros: implicit zeros and UNSPECIFIED are NULL, set explicit zeros stay values", async () => {
    const t = table("energy_customer_v1", "house", "events view");
    const house = create(mod.HouseSchema, {
      id: "h-3",
      ownerUserId: "",
      buildingType: 0,
      floorAreaM2: 0,
      constructionYear: 1990,
      feedsIn: false,
      address: { city: "Berlin" },
      installations: [{ device: { case: "solarPanels", value: { peakPowerKw: 0, panelCount: 12 } } }, {}],
    });
    const rows = await landed(t, [mod.HouseEvent.created(house, { eventId: "e-created" })], mod.HouseEvent.schemaTypeName);
    const row = rows.get("e-created")!;
    expect(row.owner_user_id).toBeNull();
    expect(row.building_type).toBeNull();
    expect(row.floor_area_m2).toBeNull();
    expect(row.registered_at).toBeNull();
    expect(row.construction_year).toBe(1990);
    // proto3 optional, set to false: present.
    expect(row.feeds_in).toBe(false);
    expect(row.address).toEqual({ street: null, postal_code: null, city: "Berlin", country_code: null, location: null });
    expect(row.installations).toEqual([
      { heat_pump: null, solar_panels: { peak_power_kw: null, panel_count: 12 }, ev_charger_model: null, installed_at: null },
      { heat_pump: null, solar_panels: null, ev_charger_model: null, installed_at: null },
    ]);
  });

  it("a proto2 entity: unset fields, even with a declared default, are NULL; a set default stays a value", async () => {
    // Read from the table: MeterReading requires a partition filter, and its views are another matter.
    const t = table("energy_metering_v1", "meter_readings", "table");
    const unset = create(mod.MeterReadingSchema, { readingId: "r-1", meterId: "m-1" });
    const setToDefault = create(mod.MeterReadingSchema, { readingId: "r-2", meterId: "m-1", tariffRegister: 1, plausible: true });
    const rows = await landed(
      t,
      [mod.MeterReadingEvent.created(unset, { eventId: "e-unset" }), mod.MeterReadingEvent.created(setToDefault, { eventId: "e-default" })],
      mod.MeterReadingEvent.schemaTypeName,
    );
    expect(rows.get("e-unset")).toMatchObject({ reading_id: "r-1", tariff_register: null, plausible: null, quality: null });
    expect(rows.get("e-default")).toMatchObject({ reading_id: "r-2", tariff_register: 1, plausible: true, quality: null });
  });

  it("decoding reverses the rule: absent columns come back as the entity's unset fields", () => {
    const house = create(mod.HouseSchema, { id: "h-4", feedsIn: false });
    const back = mod.HouseEvent.fromPubSubMessage(mod.HouseEvent.created(house).toPubSubMessage());
    expect(back.entity.ownerUserId).toBe("");
    expect(back.entity.buildingType).toBe(0);
    expect(back.entity.address).toBeUndefined();
    expect(back.entity.feedsIn).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(back.entity, "feedsIn")).toBe(true);
    const deleted = mod.HouseEvent.fromPubSubMessage(mod.HouseEvent.deleted("h-5").toPubSubMessage());
    expect(deleted.id).toBe("h-5");
    expect(deleted.entity.feedsIn).toBeUndefined();
  });
});
