/**
 * A synthetic but realistic domain for benchmarks: packages of entity files, each entity with the
 * mix of fields real contracts have (scalars, enums, timestamps, wrappers, nested and shared
 * messages, repeated fields, maps, oneofs, google.type Money/Date/..., comments on every field,
 * governance options). Deterministic: the same sizes always give the same sources.
 */

const DOMAINS = ["orders", "catalog", "shipping", "billing", "customers", "inventory", "payments", "support", "marketing", "analytics"];
const NOUNS = ["Shipment", "Parcel", "Voucher", "Ticket", "Booking", "Refund", "Quote", "Listing", "Account", "Device", "Campaign", "Visit", "Claim", "Transfer", "Subscription"];

/**
 * Returns the .proto sources by path, and the fully qualified names of the entities.
 * `entity/v1/options.proto` and google/type are imported, not included.
 */
export function synthesizeDomain({ packages = 10, filesPerPackage = 10, entitiesPerFile = 10 } = {}) {
  const random = seededRandom(20240917);
  const sources = {};
  const entities = [];
  let entityNumber = 0;
  for (let p = 0; p < packages; p++) {
    const domain = DOMAINS[p % DOMAINS.length] + (p >= DOMAINS.length ? String(Math.floor(p / DOMAINS.length)) : "");
    const pkg = `bench.${domain}.v1`;
    const dir = `bench/${domain}/v1`;
    sources[`${dir}/types.proto`] = sharedTypesFile(pkg, domain);
    for (let f = 0; f < filesPerPackage; f++) {
      const names = [];
      for (let e = 0; e < entitiesPerFile; e++) {
        names.push(`${pascal(domain)}${NOUNS[entityNumber % NOUNS.length]}${String(entityNumber).padStart(4, "0")}`);
        entityNumber++;
      }
      sources[`${dir}/file_${String(f).padStart(2, "0")}.proto`] = entityFile({ pkg, dir, domain, fileIndex: f, names, random });
      entities.push(...names.map((n) => `${pkg}.${n}`));
    }
  }
  return { sources, entities };
}

/** Messages and enums a package shares between its entities. */
function sharedTypesFile(pkg, domain) {
  return `// Types shared by the entities of the ${domain} domain.
syntax = "proto3";

package ${pkg};

import "entity/v1/options.proto";
import "google/protobuf/timestamp.proto";
import "google/type/latlng.proto";

// Sales region an entity belongs to.
enum Region {
  // Not set.
  REGION_UNSPECIFIED = 0;
  // Europe, Middle East and Africa.
  REGION_EMEA = 1;
  // North and South America.
  REGION_AMERICAS = 2;
  // Asia and Pacific.
  REGION_APAC = 3;
}

// A postal address.
message Address {
  // Street and house number.
  string street = 1 [(entity.v1.field).pii = true];
  // Postal code, as written in the country.
  string postal_code = 2;
  // City or town.
  string city = 3;
  // ISO 3166-1 alpha-2 country code.
  string country_code = 4;
  // Where the address is on the map; personal, since it locates a home.
  google.type.LatLng location = 5 [(entity.v1.field).pii = true];
}

// How to reach a person.
message Contact {
  // E-mail address.
  string email = 1 [(entity.v1.field) = {
    pii: true
    policy_tag: "projects/bench-project/locations/eu/taxonomies/1/policyTags/2"
  }];
  // Telephone number in E.164 format.
  string phone = 2 [(entity.v1.field).pii = true];
  // Name to address the person by.
  string display_name = 3 [(entity.v1.field).pii = true];
}

// Who changed something, when and why.
message AuditInfo {
  // Account or service that made the change.
  string actor = 1;
  // When the change was made.
  google.protobuf.Timestamp at = 2;
  // Free-text reason given by the actor.
  string reason = 3;
}
`;
}

function entityFile({ pkg, domain, fileIndex, names, random }) {
  const statusEnum = `${pascal(domain)}State${fileIndex}`;
  const prefix = screamingSnake(statusEnum);
  const messages = names.map((name, i) => entityMessage({ pkg, domain, name, statusEnum, referenced: i === 0 ? name : names[0], random }));
  return `// Entities of the ${domain} domain, part ${fileIndex}.
syntax = "proto3";

package ${pkg};

import "bench/${domain}/v1/types.proto";
import "entity/v1/options.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "google/type/date.proto";
import "google/type/decimal.proto";
import "google/type/latlng.proto";
import "google/type/money.proto";
import "google/type/timeofday.proto";

// Life cycle of the entities in this file.
enum ${statusEnum} {
  // Not set.
  ${prefix}_UNSPECIFIED = 0;
  // Created, not yet confirmed.
  ${prefix}_DRAFT = 1;
  // Confirmed and in progress.
  ${prefix}_ACTIVE = 2;
  // Waiting for someone else.
  ${prefix}_ON_HOLD = 3;
  // Done; no further changes expected.
  ${prefix}_COMPLETED = 4;
  // Abandoned before completion.
  ${prefix}_CANCELLED = 5;
}
${messages.join("")}`;
}

/** One entity: ~22 fixed fields plus 0–6 optional ones, a nested detail message and line items. */
function entityMessage({ pkg, domain, name, statusEnum, referenced, random }) {
  const fields = [];
  let number = 0;
  const field = (comment, declaration, options = "") => {
    number++;
    fields.push(`  // ${comment}\n  ${declaration} = ${number}${options ? ` [${options}]` : ""};`);
  };
  field("Stable id, assigned when the record is created.", "string id");
  field("Human-readable name shown in back-office tools.", "string name");
  field(`Where the ${lower(name)} is in its life cycle.`, `${statusEnum} status`);
  field("Sales region, for reporting by region.", "Region region");
  field("When the record was created.", "google.protobuf.Timestamp created_at");
  field("When the record last changed.", "google.protobuf.Timestamp updated_at");
  field("Amount due, taxes included.\n  // Zero for free items; never negative.", "google.type.Money amount");
  field("Day the amount is due, in the customer's time zone.", "google.type.Date due_date");
  field("Number of units ordered.", "int32 quantity");
  field("Units handled over the record's lifetime.", "int64 total_units");
  field("Quality score between 0 and 1, from the scoring service.", "double score");
  field("Whether the record is still in use.", "bool active");
  field("Postal address the record refers to.", "Address address");
  field("Who to contact about the record.", "Contact contact");
  field("Search tags, lowercase.", "repeated string tags");
  field("One line per item, in the order entered.", "repeated Item items");
  field("Free-form labels set by operators.", "map<string, string> labels");
  field("Counters by event kind.", "map<string, int64> counters");
  field("Processing details, filled in by the fulfilment service.", "Details details");
  field(`The record this one derives from.`, "string parent_id", `(entity.v1.field).references = "${pkg}.${referenced}"`);
  fields.push("  // Who the record is for: a customer or a business account.\n  oneof party {");
  field("Id of the customer, for consumer records.", "  string customer_id");
  field("Id of the business account, for B2B records.", "  string business_account_id");
  fields.push("  }");
  field("Note from the customer; not set when none was given.", "google.protobuf.StringValue customer_note", "(entity.v1.field).pii = true");
  field("Delivery attempts so far; not set before the first attempt.", "google.protobuf.Int32Value attempts");
  field("Token for the partner API: never leaves the service.", "string api_token", "(entity.v1.field).ignore = true");
  field("Code in the legacy system, kept for reconciliation.", "string legacy_code", '(entity.v1.field).column = "legacy_reference"');
  const optional = [
    () => field("Share of the amount paid by vouchers.", "float voucher_ratio"),
    () => field("Bytes transferred; may exceed 2^63.", "uint64 bytes_transferred"),
    () => field("Change since the previous revision.", "sint32 delta"),
    () => field("Checksum of the payload.", "fixed64 checksum"),
    () => field("Raw measurements, in arrival order.", "repeated int64 samples"),
    () => field("Items by SKU, for quick lookup.", "map<string, Item> items_by_sku"),
    () => field("Time of day the record becomes visible.", "google.type.TimeOfDay opens_at"),
    () => field("How long the record stays valid.", "google.protobuf.Duration ttl"),
    () => field("Extra data from integrations, schema-less.", "google.protobuf.Struct extra"),
    () => field("Where the record was created.", "google.type.LatLng origin", "(entity.v1.field).pii = true"),
    () => field("Exchange rate applied, exact.", "google.type.Decimal exchange_rate"),
    () => field("Whether the customer opted in; not set when never asked.", "google.protobuf.BoolValue opted_in"),
    () => field("Last change, for audit.", "AuditInfo last_change"),
    () => field("Opaque payload from the partner.", "bytes payload"),
  ];
  const extras = Math.floor(random() * 7);
  for (const add of shuffled(optional, random).slice(0, extras)) add();
  return `
// A ${lower(name)} of the ${domain} domain.
// One event per creation, change or deletion; consumers rebuild the latest state from the events.
message ${name} {
  option (entity.v1.entity) = {
${entityOptions(domain, random)}  };

${fields.join("\n")}

  // Processing details of a ${lower(name)}.
  message Details {
    // How long processing took.
    google.protobuf.Duration processing_time = 1;
    // Retries before processing succeeded; not set when unknown.
    google.protobuf.Int64Value retries = 2;
    // Processing priority, lowest first.
    Priority priority = 3;
    // Whether a human reviewed the record.
    google.protobuf.BoolValue reviewed = 4;
    // Last change, for audit.
    AuditInfo audit = 5;
    // Processing cost, in the ledger currency.
    google.type.Money cost = 6;
  }

  // Processing priority.
  enum Priority {
    // Not set.
    PRIORITY_UNSPECIFIED = 0;
    // Whenever there is capacity.
    PRIORITY_LOW = 1;
    // Within the service level.
    PRIORITY_NORMAL = 2;
    // Before everything else.
    PRIORITY_URGENT = 3;
  }

  // One item of a ${lower(name)}.
  message Item {
    // Stock-keeping unit.
    string sku = 1;
    // Units of this item.
    int32 quantity = 2;
    // Price of one unit.
    google.type.Money unit_price = 3;
    // Free-text description shown to the customer.
    string description = 4;
  }
}
`;
}

function entityOptions(domain, random) {
  const lines = [`    owner: "${domain}-team"`];
  if (random() < 0.6) lines.push('    freshness: { warn_after: "6h" error_after: "2d" }');
  if (random() < 0.3) lines.push("    partitioning: { column: \"created_at\" granularity: GRANULARITY_MONTH }");
  if (random() < 0.2) lines.push('    cluster_by: ["region", "status"]');
  if (random() < 0.3) lines.push("    retention_days: 730");
  return lines.map((l) => `${l}\n`).join("");
}

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const pascal = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const lower = (name) => name.replace(/([a-z])([A-Z0-9])/g, "$1 $2").toLowerCase();
const screamingSnake = (name) => name.replace(/([a-z])([A-Z0-9])/g, "$1_$2").toUpperCase();
