/** catalog.css: system fonts, no external asset, light and dark schemes, readable when printed. */
export const STYLESHEET_TEXT = `:root {
  --bg: #f6f7f9;
  --surface: #ffffff;
  --text: #1c2230;
  --muted: #5d6678;
  --faint: #8a93a5;
  --line: #e2e5eb;
  --accent: #3b5bdb;
  --accent-soft: #e8edff;
  --pii: #b4233c;
  --pii-soft: #fde8ec;
  --ok: #1f7a4d;
  --ok-soft: #e3f5eb;
  --warn: #9a5b00;
  --warn-soft: #fff1d6;
  --code-bg: #f1f3f7;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08);
  --radius: 10px;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151c;
    --surface: #1a1e27;
    --text: #e6e9ef;
    --muted: #a3abbb;
    --faint: #7a8396;
    --line: #2c323f;
    --accent: #8ea6ff;
    --accent-soft: #232c4a;
    --pii: #ff8fa3;
    --pii-soft: #3d1d25;
    --ok: #6fd3a0;
    --ok-soft: #173326;
    --warn: #f3c06b;
    --warn-soft: #3a2c12;
    --code-bg: #222733;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
/* The script hides with the hidden attribute; display rules below must not bring an element back. */
[hidden] { display: none !important; }
html { scroll-padding-top: 72px; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.55 var(--sans); -webkit-font-smoothing: antialiased; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, kbd { font-family: var(--mono); font-size: 0.86em; }
code { background: var(--code-bg); padding: 0.1em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.2rem 0 0.3rem; letter-spacing: -0.01em; }
h2 { font-size: 1.15rem; margin: 0 0 0.8rem; }
button { font: inherit; color: inherit; cursor: pointer; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.topbar { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 1rem; padding: 0.7rem 1.5rem; background: var(--surface); border-bottom: 1px solid var(--line); }
.brand { display: flex; align-items: center; gap: 0.55rem; font-weight: 650; color: var(--text); font-size: 1.05rem; white-space: nowrap; }
.brand:hover { text-decoration: none; }
.brand-mark { width: 22px; height: 22px; border-radius: 6px; background: linear-gradient(135deg, var(--accent), #7c4dff); display: inline-block; }
.topbar-project { color: var(--muted); font-family: var(--mono); font-size: 0.85rem; padding: 0.15rem 0.5rem; border: 1px solid var(--line); border-radius: 999px; white-space: nowrap; }
.search { position: relative; margin-left: auto; flex: 0 1 440px; }
.search input { width: 100%; padding: 0.5rem 2.2rem 0.5rem 0.8rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--text); font: inherit; }
.search input:focus { outline: 2px solid var(--accent); outline-offset: -1px; background: var(--surface); }
.search kbd { position: absolute; right: 0.6rem; top: 50%; transform: translateY(-50%); color: var(--faint); border: 1px solid var(--line); border-radius: 4px; padding: 0 0.35rem; font-size: 0.75rem; }

.layout { display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 2rem; max-width: 1480px; margin: 0 auto; padding: 1.5rem; }
.sidebar { position: sticky; top: 76px; align-self: start; display: flex; flex-direction: column; gap: 0.9rem; }
.sidebar-title { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--faint); margin: 0.4rem 0 0; }
.field { display: flex; flex-direction: column; gap: 0.3rem; font-size: 0.85rem; color: var(--muted); font-weight: 550; }
.field select { padding: 0.45rem 0.5rem; border: 1px solid var(--line); border-radius: 8px; background: var(--surface); color: var(--text); font: inherit; font-weight: 400; }
.check { display: flex; gap: 0.5rem; align-items: center; font-size: 0.9rem; }
.button-quiet { border: 1px solid var(--line); background: var(--surface); border-radius: 8px; padding: 0.35rem 0.75rem; font-size: 0.85rem; color: var(--muted); }
.button-quiet:hover { color: var(--text); border-color: var(--faint); }
.stats { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.5rem; margin: 0.5rem 0 0; }
.stats div { background: var(--surface); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem; text-align: center; }
.stats dt { font-size: 0.7rem; color: var(--faint); text-transform: uppercase; letter-spacing: 0.05em; }
.stats dd { margin: 0; font-weight: 650; font-size: 1.1rem; }
.toc { display: flex; flex-direction: column; }
.toc a { padding: 0.3rem 0.6rem; border-left: 2px solid var(--line); color: var(--muted); }
.toc a:hover { color: var(--text); border-color: var(--accent); text-decoration: none; }
.back { font-weight: 550; }

.content { min-width: 0; }
.lede { color: var(--muted); max-width: 70ch; margin: 0 0 1rem; }
.result-count { color: var(--faint); font-size: 0.85rem; margin: 0 0 0.6rem; }
.empty { color: var(--muted); padding: 2rem; text-align: center; border: 1px dashed var(--line); border-radius: var(--radius); }

.entity-list { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 1rem; }
.entity-card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.1rem; box-shadow: var(--shadow); display: flex; flex-direction: column; gap: 0.55rem; min-width: 0; }
.entity-card:hover { border-color: var(--accent); }
.card-head { display: flex; flex-direction: column; gap: 0.15rem; }
.entity-link { font-size: 1.1rem; font-weight: 650; }
.type-name { background: none; padding: 0; color: var(--faint); font-size: 0.78rem; }
.description { overflow-wrap: anywhere; margin: 0; }
.entity-card .description { color: var(--muted); font-size: 0.92rem; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.column-hits { list-style: none; margin: 0; padding: 0.5rem 0 0; border-top: 1px solid var(--line); display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; }
.hit-type { color: var(--faint); font-size: 0.75rem; font-family: var(--mono); }

.badges { display: flex; flex-wrap: wrap; gap: 0.35rem; }
.badge { display: inline-flex; align-items: center; padding: 0.1rem 0.55rem; border-radius: 999px; font-size: 0.76rem; font-weight: 550; white-space: nowrap; border: 1px solid transparent; }
.badge-small { font-size: 0.68rem; padding: 0 0.4rem; margin-left: 0.3rem; vertical-align: 1px; }
.badge-dataset { background: var(--accent-soft); color: var(--accent); }
.badge-owner { background: var(--code-bg); color: var(--text); border-color: var(--line); }
.badge-pii { background: var(--pii-soft); color: var(--pii); }
.badge-fresh { background: var(--ok-soft); color: var(--ok); }
.badge-warn { background: var(--warn-soft); color: var(--warn); }
.badge-muted { background: transparent; color: var(--faint); border-color: var(--line); }

.crumbs { font-size: 0.85rem; color: var(--faint); display: flex; gap: 0.4rem; }
.type-line { margin: 0 0 0.6rem; }
.type-line code { font-size: 0.85rem; }
.lead-description { font-size: 1.02rem; max-width: 80ch; margin: 1rem 0 0; }
section { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.2rem 1.3rem; margin-top: 1.4rem; box-shadow: var(--shadow); }
.section-head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }
.tools { display: flex; gap: 0.4rem; }
.count { color: var(--faint); font-weight: 500; font-size: 0.9rem; margin-left: 0.3rem; }
.hint { color: var(--faint); font-size: 0.85rem; margin: -0.4rem 0 0.8rem; }

.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 0.2rem 1.5rem; margin: 0; }
.facts div { display: grid; grid-template-columns: 140px minmax(0, 1fr); gap: 0.6rem; padding: 0.45rem 0; border-bottom: 1px solid var(--line); }
.facts dt { color: var(--muted); font-size: 0.88rem; }
.facts dd { margin: 0; min-width: 0; }

.lineage { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 0.7rem; counter-reset: step; }
.step { position: relative; display: flex; flex-direction: column; gap: 0.2rem; padding: 0.75rem 0.8rem; border: 1px solid var(--line); border-top: 3px solid var(--accent); border-radius: 8px; background: var(--bg); min-width: 0; }
.step-stage { font-size: 0.7rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--faint); }
.step-stage::before { counter-increment: step; content: counter(step) ". "; }
.step-name { font-family: var(--mono); font-size: 0.82rem; }
.step-detail { color: var(--muted); font-size: 0.8rem; }
.step-file { font-family: var(--mono); font-size: 0.75rem; }

.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table.columns { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
.columns th { position: sticky; top: 0; background: var(--code-bg); text-align: left; font-weight: 600; color: var(--muted); padding: 0.55rem 0.7rem; border-bottom: 1px solid var(--line); }
.columns td { padding: 0.5rem 0.7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.columns tr:last-child td { border-bottom: none; }
.columns td code { font-size: 0.8rem; overflow-wrap: normal; }
.columns .col-description code { overflow-wrap: anywhere; }
.columns td.nowrap code { white-space: nowrap; }
.columns .none { color: var(--faint); font-size: 0.78rem; }
.columns .mode { display: block; }
.columns tr:target, .columns tr.highlight { background: var(--warn-soft); }
.columns .kind-metadata, .columns .kind-envelope { color: var(--muted); }
.columns .kind-retired { opacity: 0.7; }
.col-name { font-weight: 550; min-width: 170px; max-width: 300px; }
.col-link { color: var(--text); font-family: var(--mono); font-size: 0.84rem; }
.mode { color: var(--faint); font-size: 0.72rem; }
.col-description { min-width: 240px; overflow-wrap: anywhere; }
.col-description .meta { display: block; color: var(--muted); font-size: 0.8rem; margin-top: 0.2rem; }
.toggle { width: 1.3rem; height: 1.3rem; border: 1px solid var(--line); border-radius: 4px; background: var(--surface); margin-right: 0.35rem; padding: 0; line-height: 1; vertical-align: 1px; }
.toggle::before { content: "−"; color: var(--muted); }
.toggle[aria-expanded="false"]::before { content: "+"; }
${Array.from({ length: 17 }, (_, depth) => `.depth-${depth} { padding-left: ${0.7 + depth * 1.25}rem !important; }`).join("\n")}

.snippet { margin: 0 0 1rem; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.snippet figcaption { display: flex; justify-content: space-between; align-items: center; padding: 0.45rem 0.75rem; background: var(--code-bg); font-size: 0.85rem; font-weight: 550; color: var(--muted); }
.snippet pre { margin: 0; padding: 0.9rem 1rem; overflow-x: auto; background: var(--surface); line-height: 1.5; }
.snippet pre code { background: none; padding: 0; font-size: 0.83rem; white-space: pre; }

.history { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.7rem; }
.history-entry { border-left: 3px solid var(--line); padding: 0.2rem 0 0.2rem 0.9rem; }
.history-entry.status-pending { border-color: var(--warn); }
.history-head { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.history-entry ul { margin: 0.3rem 0 0; padding-left: 1.2rem; color: var(--muted); font-size: 0.9rem; }

.footer { max-width: 1480px; margin: 0 auto; padding: 1rem 1.5rem 2.5rem; color: var(--faint); font-size: 0.8rem; }

@media (max-width: 860px) {
  .layout { grid-template-columns: 1fr; }
  .sidebar { position: static; }
  .topbar { flex-wrap: wrap; }
  .search { flex-basis: 100%; }
}
@media print {
  .topbar, .sidebar, .tools, .copy { display: none; }
  .layout { display: block; }
  .columns tr[hidden] { display: table-row; }
}
`;
