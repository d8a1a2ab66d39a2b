// reports.js: the reports of 'tacit report' and 'tacit agreement', shown
// as their HTML rendering in a sandboxed frame (no script runs in it),
// downloadable as CSV, JSON and HTML.
import { toast } from './app.js';

const $ = (id) => document.getElementById(id);
const people = await fetch('/api/stories').then((r) => r.json()).catch(() => ({ coders: [] }));
if (people.coders && people.coders.length >= 2) $('coders').placeholder = `all (agreement: e.g. ${people.coders.slice(0, 2).join(',')})`;

function url(format, download) {
  const kind = $('kind').value;
  const q = new URLSearchParams({ format });
  let coders = $('coders').value.trim();
  if (kind === 'agreement' && !coders && people.coders) coders = people.coders.join(',');
  if (coders) q.set('coders', coders);
  if ($('roles').value.trim()) q.set('roles', $('roles').value.trim());
  if ($('cases').value.trim()) q.set('cases', $('cases').value.trim());
  if (kind === 'matrix') q.set('cols', 'case');
  if (kind === 'agreement') q.set('disagreements', '1');
  if (download) q.set('download', '1');
  return `/api/reports/${kind}?${q}`;
}

async function show() {
  const u = url('html');
  const r = await fetch(u);
  if (!r.ok) {
    const e = await r.json().catch(() => ({ error: r.statusText }));
    toast(e.error, true);
    return;
  }
  $('report').src = u;
  for (const f of ['csv', 'json', 'html']) $('dl-' + f).href = url(f, true);
}

$('report-form').addEventListener('submit', (e) => { e.preventDefault(); show(); });
$('kind').addEventListener('change', show);
let t;
window.addEventListener('tacit:event', () => { clearTimeout(t); t = setTimeout(show, 1000); });
show();
