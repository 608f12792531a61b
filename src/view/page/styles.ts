/** The page's stylesheet (inlined into the HTML, so the page needs no other file). */
export const PAGE_CSS = `
:root {
  --bg: #fbfbfa; --fg: #1d2125; --dim: #5f6b76; --line: #d9dde1; --accent: #0b5cad; --bad: #b3261e; --warn: #8a5a00;
  --mem-removed: #d62728; --mem-added: #2ca02c; --mem-kernel: #1f5fa8; --mem-user: #9467bd;
  --mem-unmapped: #8fb8de; --mem-absent: #e4e6e8;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
}
body { margin: 0; }
#app { max-width: 1200px; margin: 0 auto; padding: 16px 24px 64px; }
h1 { font-size: 20px; margin: 8px 0; word-break: break-all; }
h2 { font-size: 16px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, pre { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
nav { position: sticky; top: 0; background: var(--bg); padding: 6px 0; border-bottom: 1px solid var(--line); z-index: 1; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
.kv dt { color: var(--dim); }
.kv dd { margin: 0; }
.note { color: var(--dim); }
.error, .violation { color: var(--bad); }
li.warning { color: var(--warn); } li.error { color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; }
th[data-key] { cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
.bugcheck-name { font-size: 18px; } .bugcheck-name .code { color: var(--bad); }
.registers { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 2px 12px; }
.reg b { display: inline-block; min-width: 48px; color: var(--dim); font-weight: normal; }
.panel { border: 1px solid var(--line); background: #fff; padding: 8px 12px; margin-top: 8px; overflow-x: auto; }
.hex { margin: 8px 0; white-space: pre; }
button { font: inherit; padding: 2px 10px; margin-left: 6px; cursor: pointer; }
.memory { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
#memory-map { image-rendering: pixelated; border: 1px solid var(--line); background: #fff; }
.legend { list-style: none; padding: 0; margin: 0; }
.legend li { margin: 3px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.mem-removed { background: var(--mem-removed); } .mem-added { background: var(--mem-added); }
.mem-kernel { background: var(--mem-kernel); } .mem-user { background: var(--mem-user); }
.mem-unmapped { background: var(--mem-unmapped); } .mem-absent { background: var(--mem-absent); }
table.timeline th.phase { font-size: 12px; writing-mode: horizontal-tb; min-width: 62px; }
table.timeline td[data-phase] { text-align: center; }
td.took { font-size: 15px; } td.took.finished { color: #2a7a2a; } td.took.incomplete { color: var(--bad); }
td.took.other, td.took.not-called { color: var(--dim); }
tr.has-violation > th { color: var(--bad); }
#drop { border: 2px dashed var(--line); padding: 28px; text-align: center; margin: 16px 0; }
#drop.over { border-color: var(--accent); }
#status { margin: 12px 0; }
`;
