/**
 * vitest globalSetup: installs Debian's chromium for the catalog's browser tests when it is
 * missing, once per test run (`command -v chromium` makes it a no-op afterwards). The machine has
 * Debian's packages and runs the tests as root; where the install fails (another system, no
 * root), the browser tests fail on CI and are skipped elsewhere, saying why.
 */
import { spawnSync } from "node:child_process";

export default function installChromium(): void {
  const script = "command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)";
  const run = spawnSync("sh", ["-c", script], { stdio: ["ignore", "inherit", "inherit"], timeout: 15 * 60_000 });
  if (run.status !== 0) {
    process.stderr.write(
      "\n*** chromium is missing and could not be installed (apt-get install chromium): the catalog's browser tests cannot run. ***\n\n",
    );
  }
}
