/**
 * Reads a V8 .cpuprofile of the plugin and says where the time went: per area of the plugin
 * (model, each emitter, the rest) and the functions with the most self time.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Each sample goes to the outermost plugin frame that names an area (`emit/<name>/`, `model/`),
 * so an emitter's calls into shared helpers count for that emitter; failing that, to the outermost
 * plugin folder it ran in (`protocol/` reads the request and writes the response, around every
 * emitter). Samples with no plugin frame are the framework (decoding, the registry, start-up).
 */
const AREAS = [
  [/\/plugin\/dist\/emit\/(\w+)\//, (m) => `emit/${m[1]}`],
  [/\/plugin\/dist\/model\//, () => "model"],
];
const FOLDER = /\/plugin\/dist\/(\w+)\//;

export function summarizeCpuProfile(path, { top = 10 } = {}) {
  const profile = JSON.parse(readFileSync(path, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const byArea = new Map();
  const bySelf = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    add(bySelf, frameName(nodes.get(id)), us);
    add(byArea, areaOf(id, nodes, parents), us);
  });
  const rows = (map, limit) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, us]) => [name, `${(us / 1000).toFixed(0)} ms`, `${((100 * us) / total).toFixed(1)} %`]);
  return { totalMs: total / 1000, areas: rows(byArea, Infinity), hottest: rows(bySelf, top) };
}

function areaOf(id, nodes, parents) {
  let area = "framework";
  let specific = false;
  for (let current = id; current !== undefined; current = parents.get(current)) {
    const frame = nodes.get(current).callFrame;
    if (frame.functionName === "(garbage collector)") return "gc";
    const url = moduleUrl(frame);
    const named = AREAS.map(([pattern, name]) => [pattern.exec(url), name]).find(([match]) => match !== null);
    if (named !== undefined) {
      area = named[1](named[0]);
      specific = true;
    } else if (!specific) {
      const folder = FOLDER.exec(url);
      if (folder !== null) area = folder[1];
    }
  }
  return area;
}

/**
 * The executable is one bundle (plugin/scripts/bundle.mjs); esbuild heads each module it took in
 * with a `// <path>` comment, which gives a frame's module back from its line. Plugin modules are
 * named as their dist/ counterparts, which the areas above match.
 */
const BUNDLE = /\/plugin\/dist\/protoc-gen-entity\.js$/;
const bundleModules = new Map();

function moduleUrl(frame) {
  if (!BUNDLE.test(frame.url)) return frame.url;
  let starts = bundleModules.get(frame.url);
  if (starts === undefined) {
    starts = [];
    readFileSync(fileURLToPath(frame.url), "utf8").split("\n").forEach((line, i) => {
      const heading = /^\/\/ ((?:\.\.\/)*(?:src|node_modules)\/\S+\.[jt]s)$/.exec(line);
      if (heading !== null) starts.push([i, heading[1].replace(/^(\.\.\/)+/, "/").replace(/^src\/(.*)\.ts$/, "dist/$1.js")]);
    });
    bundleModules.set(frame.url, starts);
  }
  let module = "";
  for (const [start, path] of starts) {
    if (start > frame.lineNumber) break;
    module = path;
  }
  return module.startsWith("dist/") ? `/plugin/${module}` : module;
}

function frameName({ callFrame }) {
  const module = moduleUrl(callFrame);
  const where = (module === callFrame.url ? callFrame.url : module).replace(/^.*\/node_modules\//, "").replace(/^.*\/plugin\/dist\//, "plugin/dist/");
  return `${callFrame.functionName || "(anonymous)"} ${where}${where ? `:${callFrame.lineNumber + 1}` : ""}`;
}

function add(map, key, value) {
  map.set(key, (map.get(key) ?? 0) + value);
}
