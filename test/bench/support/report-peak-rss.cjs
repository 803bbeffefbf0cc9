// Preloaded (node --require) into a benchmarked child process: at exit, writes the peak resident
// set size of this process alone, in bytes, and the CPU time it used (user + system, ms), as
// `<bytes> <ms>`, to the file named by BENCH_PEAK_RSS_FILE. The CPU time is what a busy machine
// disturbs least: wall time waits for the cores others use, CPU time mostly does not. Works for
// CommonJS and ESM programs alike, and adds nothing measurable to the program itself.
//
// Why not process.resourceUsage().maxRSS: on Linux, getrusage's ru_maxrss survives exec, so a
// child forked from the benchmark runner starts with the runner's own RSS as its "peak" (the
// runner holds the request and every earlier response, hundreds of MB), and every plugin showed
// the same number. VmHWM in /proc/self/status is the high-water mark of this process's own
// address space, which exec replaced: the plugin's peak, since a plugin spawns no children.
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const target = process.env.BENCH_PEAK_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(target, `${ownPeakRssBytes()} ${(user + system) / 1000}`);
  });
}

function ownPeakRssBytes() {
  const status = readFileSync("/proc/self/status", "utf8");
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (kilobytes === null) throw new Error("no VmHWM line in /proc/self/status: the benchmark's peak RSS needs Linux");
  return Number(kilobytes[1]) * 1024;
}
