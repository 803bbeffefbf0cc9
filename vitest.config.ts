import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The catalog's browser tests need Debian's chromium; this installs it when it is missing.
    globalSetup: ["test/harness/chromium/setup.ts"],
    // Suites start buf, ZetaSQL and git; two cores are what CI has.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
