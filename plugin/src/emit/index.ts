/** The output formats, in the order they run. Each reads only the model. */
import { bigqueryEmitter } from "./bigquery/index.js";
import { catalogEmitter } from "./catalog/index.js";
import { dbtEmitter } from "./dbt/index.js";
import type { Emitter } from "./emitter.js";
import { lookmlEmitter } from "./lookml/index.js";
import { migrationsEmitter } from "./migrations/index.js";
import { pubsubEmitter } from "./pubsub/index.js";
import { terraformEmitter } from "./terraform/index.js";
import { typescriptEmitter } from "./typescript/index.js";

export const EMITTERS: readonly Emitter[] = [
  pubsubEmitter,
  bigqueryEmitter,
  migrationsEmitter,
  typescriptEmitter,
  lookmlEmitter,
  dbtEmitter,
  terraformEmitter,
  catalogEmitter,
];
