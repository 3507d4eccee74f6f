/**
 * The web UI's page and style; its script is in ui-script.ts. No build step and no dependencies: the
 * page is plain DOM code, served as is.
 *
 * @module
 */
export { PAGE_JS } from './ui-script.js';

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>duraflow dev server</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="#/">duraflow</a>
  <nav>
    <a id="nav-workflows" href="#/">Workflows</a>
    <a id="nav-schedules" href="#/">Schedules</a>
  </nav>
  <label class="ns">Namespace <select id="namespace"></select></label>
  <span id="server" class="muted"></span>
</header>
<main id="main"><p class="muted">Loading…</p></main>
</body>
</html>
`;

export const PAGE_CSS = `
:root { --bg: #fff; --fg: #1d2330; --muted: #6b7280; --line: #e5e7eb; --panel: #f8fafc; --accent: #4f46e5;
  --ok: #15803d; --bad: #b91c1c; --warn: #b45309; --run: #1d4ed8; font: 14px/1.45 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --bg: #0f131a; --fg: #e5e7eb; --muted: #9ca3af; --line: #262c38;
  --panel: #161b24; --accent: #a5b4fc; --ok: #4ade80; --bad: #f87171; --warn: #fbbf24; --run: #93c5fd; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 1rem; }
header nav a.active { font-weight: 600; text-decoration: underline; }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); }
.ns { margin-left: auto; }
main { padding: 1rem 1.2rem; }
h1 { font-size: 1.25rem; margin: .2rem 0 1rem; word-break: break-all; }
h2 { font-size: 1rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .85rem; }
tr.event { cursor: pointer; }
tr.event:hover, tbody tr:hover { background: var(--panel); }
td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
td.summary { max-width: 60vw; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .6rem; overflow: auto; max-height: 30rem; margin: .3rem 0; }
.muted { color: var(--muted); }
.status { font-weight: 600; font-size: .8rem; padding: .1rem .45rem; border-radius: .3rem; border: 1px solid currentColor; }
.s-RUNNING { color: var(--run); } .s-COMPLETED { color: var(--ok); }
.s-FAILED, .s-TIMED_OUT, .s-TERMINATED { color: var(--bad); } .s-CANCELED, .s-CONTINUED_AS_NEW { color: var(--warn); }
.toolbar { display: flex; gap: .5rem; align-items: center; margin-bottom: .8rem; flex-wrap: wrap; }
.toolbar input[type=search] { flex: 1; min-width: 20rem; }
input, select, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: .3rem; padding: .3rem .55rem; }
button { cursor: pointer; } button:hover { border-color: var(--accent); }
button.danger { color: var(--bad); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .4rem 1.5rem; margin-bottom: .5rem; }
.card dt { color: var(--muted); font-size: .8rem; } .card dd { margin: 0; word-break: break-all; }
.chips { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .8rem; }
.error { color: var(--bad); white-space: pre-wrap; }
`;
