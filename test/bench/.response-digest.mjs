import { readFileSync } from "node:fs";
import { fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { outputDigest } from "./support/output-digest.mjs";
const r = fromBinary(CodeGeneratorResponseSchema, readFileSync(process.argv[2]));
console.log(outputDigest(r.file), r.file.length);
