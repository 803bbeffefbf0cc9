/**
 * `node --import tsx --import ./plugin/scripts/register-raw-text.mjs`: the plugin's sources with
 * their `?raw` imports (see raw-text.mjs). Hooks registered last run first, so this one sees a
 * `?raw` import before tsx would load the file as a module.
 */
import { register } from "node:module";

register("./raw-text.mjs", import.meta.url);
