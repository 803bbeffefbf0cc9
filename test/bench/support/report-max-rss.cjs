// Preloaded (node --require) into a benchmarked child process: at exit, writes the process's peak
// resident set size in bytes to the file named by BENCH_MAX_RSS_FILE. Works for CommonJS and ESM
// programs alike, and adds nothing measurable to the program itself.
"use strict";
const { writeFileSync } = require("node:fs");
const target = process.env.BENCH_MAX_RSS_FILE;
if (target) {
  process.on("exit", () => {
    // resourceUsage().maxRSS is in kilobytes.
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
