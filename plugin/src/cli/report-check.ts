/**
 * `check`'s look at the package's API report: the committed report must be the one the current
 * contracts produce, so that a change of API is in the diff that review reads, before release.
 * When it is, check says which release the change would make.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ReleasedState } from "./released-state.js";
import { API_REPORT_FILE, findStagedPackage, planPackageRelease, stageApiReport } from "../release/package-release.js";

export interface ReportCheck {
  readonly failure?: { readonly check: string; readonly explanation: string };
  /** The release the change would make, for the command's report. */
  readonly outlook?: string;
}

export async function checkApiReport(staging: string, state: ReleasedState, imagePath: string): Promise<ReportCheck | undefined> {
  const pkg = findStagedPackage(staging);
  if (pkg === undefined) return undefined;
  const report = await stageApiReport(staging, pkg);
  const committedPath = join(pkg.dir, API_REPORT_FILE);
  const committed = existsSync(committedPath) ? readFileSync(committedPath, "utf8") : undefined;
  if (committed !== report) {
    return {
      failure: {
        check: "API report",
        explanation:
          `${committedPath} ${committed === undefined ? "is missing" : "is not the API the contracts generate"}: ` +
          `${pkg.name}'s API changed without its report, so review would not see it.\n` +
          "  fix: run `npm run generate` (protoc-gen-entity generate) and commit the report with the contract change.\n",
      },
    };
  }
  const plan = planPackageRelease(staging, pkg, report, state.lock, imagePath);
  if (plan.previousVersion === undefined) return { outlook: `${pkg.name} has not been released; the next release publishes ${plan.version}.` };
  if (plan.bump === undefined) return { outlook: `${pkg.name} is as released (${plan.previousVersion}).` };
  return {
    outlook: `${pkg.name}: the next release is a ${plan.bump} one, ${plan.previousVersion} → ${plan.version} ` +
      `(${plan.api.removed.length} API lines removed or changed, ${plan.api.added.length} added; see the diff of ${committedPath}).`,
  };
}
