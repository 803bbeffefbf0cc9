/** The plugin's name: buf.gen.yaml's `protoc-gen-<name>`, and the `generated_by` of every output. */
export const PLUGIN_NAME = "protoc-gen-entity";

/** Kept in step with plugin/package.json by a test. */
export const PLUGIN_VERSION = "0.1.0";
