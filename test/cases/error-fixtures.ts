/**
 * The contracts the plugin must refuse: test/cases/errors/<name>.proto, each compiled as
 * test/v1/errors.proto (package test.v1, entity/v1/options.proto and google/type to import) with
 * the plugin options its first line names (`// plugin options: project=test-project,...`), and
 * <name>.expected.txt beside it holding the plugin's exact error message.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ERROR_CASES_DIR = join(import.meta.dirname, "errors");
/** Where every error case is compiled, and so the file its messages name. */
export const ERROR_FILE = "test/v1/errors.proto";
const OPTIONS_LINE = /^\/\/ plugin options:(.*)\n/;

export interface ErrorFixture {
  readonly name: string;
  /** Sources by path, as compileProtos takes them. */
  readonly files: Readonly<Record<string, string>>;
  /** The plugin parameter, as buf passes it (`a=1,b=2`). */
  readonly parameter: string;
  /** The file holding the expected message. */
  readonly expectedPath: string;
}

export function errorFixtures(): ErrorFixture[] {
  return readdirSync(ERROR_CASES_DIR)
    .filter((file) => file.endsWith(".proto"))
    .sort()
    .map((file) => {
      const source = readFileSync(join(ERROR_CASES_DIR, file), "utf8");
      const options = OPTIONS_LINE.exec(source);
      if (options === null) throw new Error(`${file} must start with a line "// plugin options: <parameter>"`);
      const name = file.slice(0, -".proto".length);
      return { name, files: { [ERROR_FILE]: source }, parameter: options[1].trim(), expectedPath: join(ERROR_CASES_DIR, `${name}.expected.txt`) };
    });
}
