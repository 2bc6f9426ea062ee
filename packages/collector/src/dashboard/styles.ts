/** The dashboard's stylesheet: one column on a phone, tables as cards below 720 px. */
export const DASHBOARD_CSS: string = String.raw`
:root {
  color-scheme: light;
  --fg: #1f2328;
  --muted: #57606a;
  --bg: #ffffff;
  --page: #f6f8fa;
  --border: #d0d7de;
  --link: #0550ae;
  --focus: #0969da;
  --series-a: #0550ae;
  --series-b: #a8440a;
  --grid: #e1e4e8;
  --axis: #6e7781;
  --setup-bg: #dafbe1; --setup-fg: #0f5323;
  --failed-bg: #ffebe9; --failed-fg: #8c0c1f;
  --pending-bg: #fff8c5; --pending-fg: #6b4200;
  --terminated-bg: #eaeef2; --terminated-fg: #32383f;
  --ui-font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font: 15px/1.45 var(--ui-font);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--fg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 0.5rem; }
h1 { font-size: 1.4rem; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1.05rem; }
p { margin: 0 0 0.5rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
.muted { color: var(--muted); }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; background: var(--bg); padding: 0.4rem 0.7rem; z-index: 1; }
.skip-link:focus { top: 0.5rem; }

.top { background: var(--bg); border-bottom: 1px solid var(--border); padding: 0.8rem 1rem; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: baseline; justify-content: space-between; }
.top h1 { margin: 0; }
.status { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.status p { margin: 0; }
.error { flex-basis: 100%; margin: 0.25rem 0 0; color: var(--failed-fg); background: var(--failed-bg); border: 1px solid #ffcecb; border-radius: 6px; padding: 0.4rem 0.6rem; }
button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.8rem; cursor: pointer; }
button[aria-pressed="true"] { background: var(--terminated-bg); }

main { padding: 1rem; display: grid; gap: 1rem; max-width: 1400px; margin: 0 auto; }
main:focus { outline: none; }
.panel { background: var(--bg); border: 1px solid var(--border); border-radius: 8px; padding: 1rem; min-width: 0; }

table.data { width: 100%; border-collapse: collapse; }
table.data th, table.data td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
table.data th { font-weight: 600; background: var(--page); }
table.data .num { text-align: right; }
table.data tr.selected td { background: #ddf4ff; }
table.data tr.selected td:first-child { box-shadow: inset 4px 0 0 var(--focus); }
.ids { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }

.badge { display: inline-block; justify-self: start; border-radius: 999px; padding: 0 0.55rem; font-size: 0.85em; font-weight: 600; border: 1px solid transparent; }
.badge.state-setup { background: var(--setup-bg); color: var(--setup-fg); border-color: #aceebb; }
.badge.state-failed { background: var(--failed-bg); color: var(--failed-fg); border-color: #ffcecb; }
.badge.state-pending { background: var(--pending-bg); color: var(--pending-fg); border-color: #f5e0a0; }
.badge.state-terminated { background: var(--terminated-bg); color: var(--terminated-fg); border-color: var(--border); }
.badge.rtcp-missing { margin-left: 0.4rem; background: var(--pending-bg); color: var(--pending-fg); border-color: #f5e0a0; }
.failures { margin: 0; padding-left: 1.1rem; }

.user-summary + .user-summary { margin-top: 1.25rem; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr)); gap: 0.5rem 1rem; margin: 0 0 1rem; }
.summary div { min-width: 0; }
.summary dt { color: var(--muted); font-size: 0.85em; }
.summary dd { margin: 0; overflow-wrap: anywhere; }

.fabric-layout { display: grid; gap: 1.25rem; grid-template-columns: minmax(0, 1fr); }
.fabric-layout > section { min-width: 0; }
.timeline { list-style: none; margin: 0; padding: 0; border-left: 2px solid var(--border); }
.timeline li { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: 0.6rem; padding: 0.3rem 0 0.3rem 0.6rem; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -6px; top: 0.75rem; width: 10px; height: 10px; border-radius: 50%; background: var(--axis); }
.timeline li.kind-setup::before { background: #1a7f37; }
.timeline li.kind-failed::before { background: #cf222e; }
.timeline li.kind-terminated::before { background: var(--fg); }
.timeline li.kind-action::before { background: var(--series-b); }
.timeline li.kind-other { color: var(--muted); }
.timeline .offset { font-variant-numeric: tabular-nums; color: var(--muted); text-align: right; white-space: nowrap; }
.timeline .what { overflow-wrap: anywhere; }
.timeline .title { font-weight: 600; }
.timeline li.kind-other .title { font-weight: 400; }
.timeline .detail { display: block; }

.charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 320px), 1fr)); }
.chart { margin: 0; min-width: 0; border: 1px solid var(--border); border-radius: 6px; padding: 0.6rem; }
.chart figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.chart .plot { width: 100%; min-width: 0; }
.chart svg { display: block; width: 100%; height: auto; overflow: visible; }
.chart svg text { font: 12px var(--ui-font); fill: var(--muted); }
.chart svg .empty-text { font-size: 14px; fill: var(--muted); }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .axis { stroke: var(--axis); stroke-width: 1; }
.chart .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.chart .series-a .line { stroke: var(--series-a); }
.chart .series-b .line { stroke: var(--series-b); stroke-dasharray: 6 4; }
.chart .series-a .dot { fill: var(--series-a); }
.chart .series-b .dot { fill: none; stroke: var(--series-b); stroke-width: 2; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.3rem 0 0; padding: 0; font-size: 0.9em; }
.legend li { display: flex; align-items: center; gap: 0.35rem; }
.swatch { display: inline-block; width: 1.4rem; height: 0; border-top: 3px solid var(--series-a); }
.swatch.series-b { border-top: 3px dashed var(--series-b); }

@media (min-width: 1100px) {
  .fabric-layout { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
}

@media (max-width: 719px) {
  main { padding: 0.6rem; gap: 0.6rem; }
  .panel { padding: 0.75rem; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 0.6rem; }
  table.stack td { display: grid; grid-template-columns: 7.5rem minmax(0, 1fr); gap: 0.5rem; border-bottom: 1px solid var(--grid); }
  table.stack td:last-child { border-bottom: 0; }
  table.stack td::before { content: attr(data-label); font: 600 0.95rem/1.45 var(--ui-font); color: var(--muted); }
  table.data .num { text-align: left; }
  table.data tr.selected td:first-child { box-shadow: none; }
  table.data tr.selected { box-shadow: inset 4px 0 0 var(--focus); }
  .timeline li { grid-template-columns: 5.2rem minmax(0, 1fr); }
}
`;
