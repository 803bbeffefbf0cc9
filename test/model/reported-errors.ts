/**
 * Reads the plugin's error report back into its problems.
 * The format is `<file>:<line>:<column>: <subject>: <problem>` then `  fix: <fix>`, one pair per
 * problem, after a header line.
 */
import { expect } from "vitest";

export interface ReportedProblem {
  /** `file:line:column`, or the file alone when there is no line. */
  readonly location: string;
  readonly subject: string;
  readonly problem: string;
  readonly fix: string;
}

export const HEADER = /^(\d+) problems? in the entity contracts, nothing was generated:$/;

/** The problems of a contract error report; fails the test when the report is malformed. */
export function parseReport(report: string): ReportedProblem[] {
  const lines = report.trimEnd().split("\n");
  const header = HEADER.exec(lines[0]);
  expect(header, `header of:\n${report}`).not.toBeNull();
  const problems: ReportedProblem[] = [];
  for (let i = 1; i < lines.length; i += 2) {
    const first = /^(.+?): (\S+): (.+)$/.exec(lines[i]);
    expect(first, `problem line ${i} of:\n${report}`).not.toBeNull();
    expect(lines[i + 1], `fix line ${i + 1} of:\n${report}`).toMatch(/^ {2}fix: \S/);
    problems.push({ location: first![1], subject: first![2], problem: first![3], fix: lines[i + 1].slice("  fix: ".length) });
  }
  expect(problems).toHaveLength(Number(header![1]));
  return problems;
}
