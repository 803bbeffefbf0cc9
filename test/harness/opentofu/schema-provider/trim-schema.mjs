// Makes google-provider-schema.json from `tofu providers schema -json` of the real hashicorp/google
// provider: its provider block and the schemas of the resource and data source types the
// generated module uses (read from generated/terraform/), nothing else. Run from the repository:
//   tofu providers schema -json > /tmp/schema.json   (in a directory initialised with the provider)
//   node test/harness/opentofu/schema-provider/trim-schema.mjs /tmp/schema.json
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [input] = process.argv.slice(2);
const all = JSON.parse(readFileSync(input, "utf8"));
const [address, google] = Object.entries(all.provider_schemas).find(([name]) => name.endsWith("/hashicorp/google"));
const moduleDir = "generated/terraform";
const resources = new Set();
const dataSources = new Set();
for (const file of readdirSync(moduleDir)) {
  const config = JSON.parse(readFileSync(join(moduleDir, file), "utf8"));
  for (const type of Object.keys(config.resource ?? {})) resources.add(type);
  for (const type of Object.keys(config.data ?? {})) dataSources.add(type);
}
const pick = (schemas, names) =>
  Object.fromEntries([...names].sort().map((name) => {
    if (!(name in schemas)) throw new Error(`${address} has no ${name}`);
    return [name, schemas[name]];
  }));
const trimmed = {
  provider: google.provider,
  resource_schemas: pick(google.resource_schemas, resources),
  data_source_schemas: pick(google.data_source_schemas, dataSources),
};
writeFileSync("test/harness/opentofu/schema-provider/google-provider-schema.json", JSON.stringify(trimmed, null, 1) + "\n");
console.log(`${address}: ${resources.size} resource types, ${dataSources.size} data source types`);
