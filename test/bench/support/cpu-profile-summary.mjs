/**
 * Reads a V8 .cpuprofile of the plugin and says where the time went: per area of the plugin
 * (model, each emitter, the rest) and the functions with the most self time.
 */
import { readFileSync } from "node:fs";

/**
 * Each sample goes to the outermost plugin frame that names an area (`emit/<name>/`, `model/`,
 * ...), so an emitter's calls into shared helpers count for that emitter; samples with no plugin
 * frame are the framework (request decoding, registry, response encoding, Node start-up).
 */
const AREAS = [
  [/\/plugin\/dist\/emit\/(\w+)\//, (m) => `emit/${m[1]}`],
  [/\/plugin\/dist\/model\//, () => "model"],
  [/\/plugin\/dist\/(\w+)\//, (m) => m[1]],
];

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
  for (let current = id; current !== undefined; current = parents.get(current)) {
    const frame = nodes.get(current).callFrame;
    if (frame.functionName === "(garbage collector)") return "gc";
    for (const [pattern, name] of AREAS) {
      const match = pattern.exec(frame.url);
      if (match !== null) {
        area = name(match);
        break;
      }
    }
  }
  return area;
}

function frameName({ callFrame }) {
  const where = callFrame.url.replace(/^.*\/node_modules\//, "").replace(/^.*\/plugin\/dist\//, "plugin/dist/");
  return `${callFrame.functionName || "(anonymous)"} ${where}${where ? `:${callFrame.lineNumber + 1}` : ""}`;
}

function add(map, key, value) {
  map.set(key, (map.get(key) ?? 0) + value);
}
