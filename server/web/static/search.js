// search.js: the query language of 'tacit search', hits in context, and
// coding from the results. Hit fragments come with their matches between
// U+E000 and U+E001; they are shown as text with <mark> elements.
import { api, toast, h, me } from './app.js';

const $ = (id) => document.getElementById(id);
let codes = [];

function fragment(s) {
  const out = [];
  const parts = s.split(/([\ue000\ue001])/);
  let inMark = false;
  for (const p of parts) {
    if (p === '\ue000') { inMark = true; continue; }
    if (p === '\ue001') { inMark = false; continue; }
    if (p) out.push(inMark ? h('mark', { class: 'hit' }, p) : document.createTextNode(p));
  }
  return out;
}

function codeSelect(id) {
  return h('select', { id, 'aria-label': 'code' }, codes.map((c) => h('option', { value: c.path }, c.path)));
}

function params() {
  const q = new URLSearchParams({ q: $('q').value.trim(), limit: '100' });
  if ($('f-cases').value.trim()) q.set('cases', $('f-cases').value.trim());
  if ($('f-roles').value.trim()) q.set('roles', $('f-roles').value.trim());
  if ($('f-codes').value.trim()) q.set('codes', $('f-codes').value.trim());
  return q;
}

async function run() {
  if (!$('q').value.trim() && !$('f-codes').value.trim()) return;
  history.replaceState(null, '', '/search?' + params());
  let res;
  try { res = await api('GET', '/api/search?' + params()); } catch (e) { toast(e.message, true); return; }
  $('results-panel').hidden = false;
  $('total').textContent = `${res.total} hit${res.total === 1 ? '' : 's'}` + (res.total > res.hits.length ? ` (first ${res.hits.length} shown)` : '');
  $('hits').replaceChildren(...res.hits.map((hit, i) => {
    const sel = codeSelect('hit-code-' + i);
    const btn = h('button', { type: 'button', onclick: async () => {
      try {
        const r = await api('POST', `/api/docs/${hit.doc}/codings`, { code: sel.value, start: hit.turn_start, end: hit.turn_end });
        toast(r.existed ? 'Coded that way already' : `Coded turn ${hit.turn} of ${hit.doc_name} with ${sel.value}`);
      } catch (e) { toast(e.message, true); }
    } }, 'Code this hit');
    return h('li', {},
      h('div', { class: 'row' }, h('a', { href: `/read/${hit.doc}` }, hit.doc_name), h('span', { class: 'muted small' }, ` ${hit.case} · turn ${hit.turn} · `, h('b', { dir: 'auto' }, hit.speaker), hit.role ? ` (${hit.role})` : '')),
      h('p', { class: 'fragment', dir: 'auto' }, fragment(hit.fragment)),
      h('div', { class: 'acts' }, sel, ' ', btn));
  }));
}

$('search-form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
$('all-go').addEventListener('click', async () => {
  if (!me.admin) { toast('Only an admin may code all hits at once.', true); return; }
  const q = params();
  const sel = {};
  if (q.get('cases')) sel.cases = q.get('cases').split(',');
  if (q.get('roles')) sel.roles = q.get('roles').split(',');
  if (q.get('codes')) sel.codes = q.get('codes').split(',');
  try {
    const r = await api('POST', '/api/op/autocode', { code: $('all-code').value, query: q.get('q'), selection: sel });
    toast(`Coded ${r.added} passages with ${$("all-code").value} (${r.skipped} coded already)`);
  } catch (e) { toast(e.message, true); }
});

codes = await api('GET', '/api/codes').catch(() => []);
$('all-code').replaceChildren(...codes.map((c) => h('option', { value: c.path }, c.path)));
const init = new URLSearchParams(location.search);
if (init.get('q') || init.get('codes')) { $('q').value = init.get('q'); $('f-cases').value = init.get('cases') || ''; $('f-roles').value = init.get('roles') || ''; $('f-codes').value = init.get('codes') || ''; run(); }
