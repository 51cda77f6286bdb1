/** The report's inline stylesheet. */
export const reportStyle = `
:root { color-scheme: light; --ink: #1d2733; --muted: #667280; --line: #e3e7ec; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
header { padding: 20px 32px 8px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 12px 0 4px; font-size: 14px; color: var(--muted); }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(680px, 1fr)); gap: 16px; padding: 16px 32px 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; min-width: 0; }
#overview, #firm-topics, #failure-list, #slowest-firms { grid-column: 1 / -1; }
figure { margin: 0; }
figcaption { margin-top: 6px; }
svg { max-width: 100%; height: auto; font-size: 12px; }
svg .label, svg .tick, svg .value { fill: var(--ink); }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .bar:hover rect { opacity: 0.8; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.figure { display: flex; flex-direction: column; padding: 8px 16px; border: 1px solid var(--line); border-radius: 6px; min-width: 110px; }
.figure .number { font-size: 22px; font-weight: 600; }
.status-succeeded { color: #3b9a5a; } .status-failed { color: #c23b3b; } .status-cancelled { color: #d9822b; }
.table { overflow-x: auto; max-height: 560px; overflow-y: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: #fff; font-weight: 600; text-transform: capitalize; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
input.filter { margin-bottom: 8px; padding: 4px 8px; width: 280px; border: 1px solid var(--line); border-radius: 4px; }
`

/** The report's inline script: filters the rows of a table by the text typed above it. */
export const reportScript = `
for (const input of document.querySelectorAll('input.filter')) {
  const rows = document.querySelectorAll('#' + input.dataset.table + ' tbody tr');
  input.addEventListener('input', () => {
    const wanted = input.value.trim().toLowerCase();
    for (const row of rows) row.hidden = wanted !== '' && !row.textContent.toLowerCase().includes(wanted);
  });
}
`
