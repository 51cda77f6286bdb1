/** The report's inline stylesheet. */
export const reportStyle = `
:root { color-scheme: light; --ink: #1d2733; --muted: #667280; --line: #e3e7ec; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
header { padding: 20px 32px 8px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 12px 0 4px; font-size: 14px; color: var(--muted); }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); gap: 16px; padding: 16px 32px 32px; }
nav { margin: 6px 0 4px; } nav a, section a { color: var(--accent); text-decoration: none; } nav a:hover, section a:hover { text-decoration: underline; }
h2.part { grid-column: 1 / -1; margin: 12px 0 0; font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
figure { margin: 0; }
figcaption { margin-top: 6px; }
svg { max-width: 100%; height: auto; font-size: 12px; }
figure > svg { width: 100%; }
.map { position: relative; }
svg.topic-map { width: 100%; height: auto; display: block; }
svg .map-ground { fill: #fbfcfd; stroke: var(--line); }
svg circle.topic { fill-opacity: 0.8; stroke: #fff; stroke-width: 0.6; cursor: pointer; }
svg circle.topic:hover { fill-opacity: 1; stroke: var(--ink); stroke-width: 1.5; }
.map-tip { position: absolute; pointer-events: none; max-width: 360px; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0,0,0,0.12); font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0 0; font-size: 12px; }
.legend-item svg { margin-right: 4px; vertical-align: -1px; }
#search { width: min(100%, 520px); padding: 6px 10px; border: 1px solid var(--line); border-radius: 4px; font-size: 14px; }
.search-results { margin: 4px 0; padding-left: 22px; max-height: 360px; overflow-y: auto; }
.search-results li { margin: 3px 0; }
mark { background: #fde68a; }
.topic-list { max-height: 720px; overflow-y: auto; border-top: 1px solid var(--line); }
article.topic { padding: 8px 4px; border-bottom: 1px solid var(--line); scroll-margin-top: 8px; }
article.topic:target { background: #eef4fb; outline: 2px solid var(--accent); }
article.topic h3 { margin: 0; color: var(--ink); }
article.topic .facts, article.topic .keywords { margin: 2px 0; color: var(--muted); font-size: 12px; }
article.topic ol { margin: 4px 0 0; padding-left: 22px; }
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

/** The report's inline script: table filters, the map's hover card, and the search over topics and sentences. */
export const reportScript = `
for (const input of document.querySelectorAll('input.filter')) {
  const rows = document.querySelectorAll('#' + input.dataset.table + ' tbody tr');
  input.addEventListener('input', () => {
    const wanted = input.value.trim().toLowerCase();
    for (const row of rows) row.hidden = wanted !== '' && !row.textContent.toLowerCase().includes(wanted);
  });
}
const tip = document.getElementById('map-tip');
for (const point of document.querySelectorAll('circle.topic')) {
  point.addEventListener('mouseenter', (event) => {
    const box = tip.parentElement.getBoundingClientRect();
    tip.textContent = point.querySelector('title').textContent;
    tip.hidden = false;
    tip.style.left = Math.min(event.clientX - box.left + 12, box.width - 370) + 'px';
    tip.style.top = (event.clientY - box.top + 12) + 'px';
  });
  point.addEventListener('mouseleave', () => { tip.hidden = true; });
}
const search = document.getElementById('search');
if (search) {
  const entries = [];
  for (const article of document.querySelectorAll('article.topic')) {
    const heading = article.querySelector('h3').textContent;
    const about = heading + ' · ' + article.querySelector('.facts').textContent + ' · ' + article.querySelector('.keywords').textContent;
    entries.push({anchor: article.id, heading, text: about, lower: about.toLowerCase(), kind: 'topic'});
    for (const item of article.querySelectorAll('li')) entries.push({anchor: article.id, heading, text: item.textContent, lower: item.textContent.toLowerCase(), kind: 'sentence'});
  }
  const results = document.getElementById('search-results');
  const count = document.getElementById('search-count');
  const shown = 50;
  const snippet = (text, at, length) => {
    const start = Math.max(0, at - 60);
    const fragment = document.createDocumentFragment();
    fragment.append((start > 0 ? '…' : '') + text.slice(start, at));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(at, at + length);
    fragment.append(mark, text.slice(at + length, at + length + 120) + (at + length + 120 < text.length ? '…' : ''));
    return fragment;
  };
  search.addEventListener('input', () => {
    const wanted = search.value.trim().toLowerCase();
    results.replaceChildren();
    if (wanted.length < 2) { count.textContent = ''; return; }
    const found = entries.filter((entry) => entry.lower.includes(wanted));
    const topics = found.filter((entry) => entry.kind === 'topic').length;
    count.textContent = topics + ' topics and ' + (found.length - topics) + ' sentences match' + (found.length > shown ? ' (the first ' + shown + ' shown)' : '') + '.';
    for (const entry of found.slice(0, shown)) {
      const item = document.createElement('li');
      item.className = entry.kind;
      const link = document.createElement('a');
      link.href = '#' + entry.anchor;
      link.textContent = entry.heading;
      item.append(link, entry.kind === 'topic' ? ': topic · ' : ': ', snippet(entry.text, entry.lower.indexOf(wanted), wanted.length));
      results.append(item);
    }
  });
}
`
