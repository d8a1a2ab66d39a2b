// reader.js: a transcript turn by turn, its codings as coloured marks and
// margin bars, and coding by selection. All text goes into the page as
// text nodes (never HTML); offsets are converted in offsets.js only.
import { api, toast, h, me, colorOf, tint } from './app.js';
import { rangeToSpan, sliceCodePoints } from './offsets.js';

const root = document.getElementById('reader');
const docID = root.dataset.doc;
const box = document.getElementById('transcript');
let doc = null;        // GET /api/docs/{doc}
let codes = [];        // GET /api/codes
let span = null;       // the current selection as document offsets
let pickMode = null;   // {recode: codingID} when the picker re-codes
let focusTurn = -1;
const filter = { coder: '', code: '' };

const fmtTime = (ms) => {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600), mm = Math.floor(s / 60) % 60, ss = s % 60;
  return (hh ? hh + ':' : '') + String(mm).padStart(hh ? 2 : 1, '0') + ':' + String(ss).padStart(2, '0');
};

// busy reports whether the coder is selecting or picking: re-rendering
// the transcript then would lose the selection, so it waits.
function busy() {
  const sel = getSelection();
  return mouseDown || !picker.hidden || (!sel.isCollapsed && sel.rangeCount > 0 && box.contains(sel.getRangeAt(0).commonAncestorContainer));
}
let renderPending = false;
function renderWhenIdle() {
  if (busy()) { renderPending = true; return; }
  renderPending = false;
  renderAll();
}

async function load() {
  try {
    [doc, codes] = await Promise.all([api('GET', `/api/docs/${docID}`), api('GET', '/api/codes')]);
  } catch (e) {
    toast(e.message, true);
    return;
  }
  renderWhenIdle();
}

function renderAll() {
  renderFilters();
  renderTranscript();
  renderCodings();
  renderShortcuts();
  renderMemos();
}

function visible(c) {
  return (!filter.coder || c.coder === filter.coder) && (!filter.code || c.code === filter.code || c.code.startsWith(filter.code + '/'));
}

function codeByID(id) { return codes.find((c) => c.id === id); }
function colour(c) { return colorOf(codeByID(c.code_id) || { id: c.code_id }); }

function renderFilters() {
  const coders = [...new Set(doc.codings.map((c) => c.coder))].sort();
  const fc = document.getElementById('f-coder');
  const fk = document.getElementById('f-code');
  fc.replaceChildren(h('option', { value: '' }, 'all coders'), ...coders.map((c) => h('option', { value: c, selected: c === filter.coder }, c)));
  fk.replaceChildren(h('option', { value: '' }, 'all codes'), ...codes.map((c) => h('option', { value: c.path, selected: c.path === filter.code }, '  '.repeat(c.depth) + c.name)));
}

function renderTranscript() {
  const scroll = window.scrollY;
  const shown = doc.codings.filter(visible);
  const turns = doc.turns.map((t) => {
    const len = Array.from(t.text).length;
    const here = shown.filter((c) => c.start < t.end && c.end > t.start);
    const cuts = new Set([0, len]);
    for (const c of here) {
      cuts.add(Math.max(0, c.start - t.start));
      cuts.add(Math.min(len, c.end - t.start));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const cps = Array.from(t.text);
    const tt = h('div', { class: 'tt', dir: 'auto', 'data-start': t.start });
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const text = cps.slice(a, b).join('');
      const over = here.filter((c) => c.start - t.start <= a && c.end - t.start >= b);
      if (!over.length) { tt.append(document.createTextNode(text)); continue; }
      const top = over[over.length - 1];
      const m = h('mark', { class: over.length > 1 ? 'code multi' : 'code', 'data-codings': over.map((c) => c.id).join(' '),
        title: over.map((c) => `${c.code} (${c.coder})`).join('\n') }, text);
      m.style.backgroundColor = tint(colour(top), over.length > 1 ? 0.45 : 0.3);
      m.style.borderBottomColor = colour(top);
      tt.append(m);
    }
    const bars = h('div', { class: 'bars', 'aria-hidden': 'true' }, here.map((c) => {
      const b = h('span', { class: 'mbar', title: `${c.code} · ${c.coder}`, 'data-coding': c.id });
      b.style.backgroundColor = colour(c);
      return b;
    }));
    const meta = h('div', { class: 'meta' },
      h('span', { class: 'n' }, t.index),
      t.speaker ? h('b', { class: 'speaker', dir: 'auto' }, t.speaker) : null,
      t.role ? h('span', { class: 'role' }, t.role) : null,
      t.has_time ? h('span', { class: 'time' }, fmtTime(t.time_start_ms) + '–' + fmtTime(t.time_end_ms)) : null);
    // The turn (its number, speaker and margin bars) runs in its text's
    // direction, so a Hebrew or Arabic turn whose speaker label is Latin
    // still starts on the right.
    return h('section', { class: 'turn', dir: textDir(t.text), 'data-index': t.index, tabindex: '-1' }, bars, h('div', { class: 'body' }, meta, tt));
  });
  box.replaceChildren(...turns);
  if (focusTurn >= 0) box.children[focusTurn]?.classList.add('focus');
  window.scrollTo(0, scroll);
}

function renderCodings() {
  const list = document.getElementById('codings');
  const shown = doc.codings.filter(visible);
  document.getElementById('n-codings').textContent = shown.length;
  list.replaceChildren(...shown.map((c) => {
    const mine = c.coder === me.name || me.admin;
    const sw = h('span', { class: 'swatch' });
    sw.style.backgroundColor = colour(c);
    return h('li', { 'data-coding': c.id },
      h('div', { class: 'row' }, sw, h('b', {}, c.code), h('span', { class: 'muted small' }, ` ${c.coder} · ${c.start}–${c.end}`)),
      h('q', { dir: 'auto' }, c.text.length > 160 ? Array.from(c.text).slice(0, 159).join('') + '…' : c.text),
      c.memo ? h('p', { class: 'memo small', dir: 'auto' }, c.memo) : null,
      h('div', { class: 'acts' },
        h('button', { type: 'button', onclick: () => showCoding(c) }, 'Show'),
        h('button', { type: 'button', onclick: () => memoOn('coding', c.id, `coding ${c.id} (${c.code})`) }, c.memos ? `Memos (${c.memos})` : 'Memo'),
        mine ? h('button', { type: 'button', onclick: () => openPicker({ recode: c.id }) }, 'Re-code') : null,
        mine ? h('button', { type: 'button', class: 'danger', onclick: () => removeCoding(c) }, 'Remove') : null));
  }));
}

function renderShortcuts() {
  const ol = document.getElementById('shortcuts');
  ol.replaceChildren(...shortcutCodes().map((c, i) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.backgroundColor = colorOf(c);
    return h('li', {}, h('kbd', {}, i + 1), ' ', sw, ' ', c.path);
  }));
}

function renderMemos() {
  const ul = document.getElementById('doc-memos');
  const items = doc.memos.map((m) => h('li', {}, h('p', { dir: 'auto' }, m.text),
    h('span', { class: 'muted small' }, m.author, ' '),
    m.author === me.name || me.admin ? h('button', { type: 'button', class: 'small danger', onclick: () => deleteMemo(m.id) }, 'Delete') : null));
  if (!items.length) items.push(h('li', { class: 'muted small' }, 'No memos yet.'));
  const text = h('textarea', { rows: 2, placeholder: 'A memo on this interview…', 'aria-label': 'memo', dir: 'auto' });
  items.push(h('li', { class: 'memo-form' }, text, h('button', { type: 'button', onclick: async () => {
    if (!text.value.trim()) return;
    try { await api('POST', '/api/memos', { target: 'doc', target_id: doc.id, text: text.value }); toast('Memo added'); load(); } catch (e) { toast(e.message, true); }
  } }, 'Add memo')));
  ul.replaceChildren(...items);
}

async function deleteMemo(id) {
  try { await api('DELETE', `/api/memos/${id}`); toast('Memo deleted'); load(); } catch (e) { toast(e.message, true); }
}

// memoOn shows the memos on a coding and asks for a new one.
async function memoOn(target, id, what) {
  let ms = [];
  try { ms = await api('GET', `/api/memos?target=${target}&target_id=${id}`); } catch (e) { toast(e.message, true); return; }
  const prior = ms.map((m) => `${m.author}: ${m.text}`).join('\n\n');
  const text = prompt((prior ? prior + '\n\n' : '') + `New memo on ${what}:`);
  if (!text || !text.trim()) return;
  try { await api('POST', '/api/memos', { target, target_id: id, text }); toast('Memo added'); load(); } catch (e) { toast(e.message, true); }
}

// The shortcut codes: the ones this browser used last, then the codebook
// in tree order.
function shortcutCodes() {
  const recent = JSON.parse(localStorage.getItem('tacit.recent') || '[]');
  const out = [];
  for (const p of recent) { const c = codes.find((x) => x.path === p); if (c && !out.includes(c)) out.push(c); }
  for (const c of codes) { if (out.length >= 9) break; if (!out.includes(c)) out.push(c); }
  return out.slice(0, 9);
}
function remember(path) {
  const recent = JSON.parse(localStorage.getItem('tacit.recent') || '[]').filter((p) => p !== path);
  recent.unshift(path);
  localStorage.setItem('tacit.recent', JSON.stringify(recent.slice(0, 9)));
}

function showCoding(c) {
  const marks = [...box.querySelectorAll('mark.code')].filter((m) => m.dataset.codings.split(' ').includes(String(c.id)));
  if (!marks.length) { toast('This coding is hidden by the filter.'); return; }
  marks[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
  for (const m of marks) { m.classList.add('flash'); setTimeout(() => m.classList.remove('flash'), 1500); }
}

async function removeCoding(c) {
  try {
    await api('DELETE', `/api/codings/${c.id}`);
    toast(`Removed ${c.code}`);
    await load();
  } catch (e) { toast(e.message, true); }
}

// ---- selection ----

function currentSpan() {
  const sel = getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return null;
  const segs = [...box.querySelectorAll('.tt')];
  return rangeToSpan(sel.getRangeAt(0), segs);
}

function textOf(sp) {
  const parts = [];
  for (const t of doc.turns) {
    if (sp.start < t.end && sp.end > t.start) parts.push(sliceCodePoints(t.text, Math.max(0, sp.start - t.start), Math.min(t.end, sp.end) - t.start));
  }
  return parts.join(' … ');
}

function noteSelection() {
  // Focusing the picker's field moves the page's selection; keep the
  // passage that was selected when it opened.
  if (!picker.hidden) return;
  span = currentSpan();
  root.dataset.selStart = span ? span.start : '';
  root.dataset.selEnd = span ? span.end : '';
}
document.addEventListener('selectionchange', noteSelection);
let mouseDown = false;
box.addEventListener('mousedown', () => { mouseDown = true; });
document.addEventListener('mouseup', () => {
  mouseDown = false;
  noteSelection();
  if (renderPending) setTimeout(renderWhenIdle, 0);
});
// A render that waited for the coder runs once the selection is gone.
document.addEventListener('selectionchange', () => { if (renderPending) setTimeout(renderWhenIdle, 0); });

async function applyCode(path, sp) {
  sp = sp || span || currentSpan();
  if (!sp) { toast('Select some text first.', true); return; }
  try {
    const res = await api('POST', `/api/docs/${docID}/codings`, { code: path, start: sp.start, end: sp.end });
    remember(path);
    toast(res.existed ? `You had coded this with ${path} already` : `Coded with ${path}`);
    getSelection().removeAllRanges();
    span = null;
    await load();
  } catch (e) { toast(e.message, true); }
}

async function recode(id, path) {
  try {
    await api('PATCH', `/api/codings/${id}`, { code: path });
    remember(path);
    toast(`Re-coded as ${path}`);
    await load();
  } catch (e) { toast(e.message, true); }
}

// textDir is the direction of a text's first strong letter: rtl for
// Hebrew, Arabic, Syriac, Thaana and N'Ko, else ltr (auto when it has no
// letter at all).
function textDir(s) {
  const m = /\p{L}/u.exec(s || '');
  if (!m) return 'auto';
  return /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(m[0]) ? 'rtl' : 'ltr';
}

// ---- the code picker ----

// placePicker puts the picker just below the selection (above it when the
// window has no room below), so that the text being coded stays visible.
function placePicker() {
  picker.style.top = '';
  picker.style.left = '';
  const sel = window.getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return;
  const r = sel.getRangeAt(0).getBoundingClientRect();
  if (!r.height) return;
  const ph = picker.offsetHeight, pw = picker.offsetWidth, gap = 10;
  let top = r.bottom + gap;
  if (top + ph > window.innerHeight - gap) top = r.top - ph - gap;
  if (top < gap) {
    // No room above or below: beside the selection, on the other half of
    // the window, level with it.
    top = Math.min(Math.max(gap, r.top - 40), window.innerHeight - ph - gap);
    const left = (r.left + r.right) / 2 < window.innerWidth / 2 ? window.innerWidth - pw / 2 - gap : pw / 2 + gap;
    picker.style.left = left + 'px';
  }
  picker.style.top = Math.max(gap, top) + 'px';
}

const picker = document.getElementById('picker');
const pq = document.getElementById('picker-q');
const plist = document.getElementById('picker-list');
let pickIdx = 0;

function openPicker(mode) {
  pickMode = mode || null;
  if (!pickMode) {
    span = span || currentSpan();
    if (!span) { toast('Select some text first.', true); return; }
    document.getElementById('picker-sel').textContent = '“' + Array.from(textOf(span)).slice(0, 120).join('') + '”';
  } else {
    const c = doc.codings.find((x) => x.id === pickMode.recode);
    document.getElementById('picker-sel').textContent = `Re-code coding ${c.id} (${c.code})`;
  }
  picker.hidden = false;
  pq.value = '';
  pickIdx = 0;
  fillPicker();
  placePicker();
  pq.focus();
  openedAt = performance.now();
}

// The key that opened the picker must not land in its field (synthetic
// and some input-method key events deliver its character after keydown).
let openedAt = 0;
pq.addEventListener('keypress', (e) => {
  if (e.key === 'c' && pq.value === '' && performance.now() - openedAt < 150) e.preventDefault();
});
pq.addEventListener('beforeinput', (e) => {
  if (e.data === 'c' && pq.value === '' && performance.now() - openedAt < 150) e.preventDefault();
});
function closePicker() {
  picker.hidden = true;
  pickMode = null;
  if (renderPending) setTimeout(renderWhenIdle, 0);
}

// matches ranks the codes for the picker's query: a name that starts with
// it, then a path that holds it, then a description that does.
function matches() {
  const q = pq.value.trim().toLowerCase();
  if (!q) return codes;
  const rank = (c) => c.name.toLowerCase().startsWith(q) ? 0 : c.path.toLowerCase().includes(q) ? 1 : (c.description || '').toLowerCase().includes(q) ? 2 : 3;
  return codes.map((c) => [rank(c), c]).filter(([r]) => r < 3).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}
function fillPicker() {
  const ms = matches();
  pickIdx = Math.min(pickIdx, Math.max(0, ms.length - 1));
  plist.replaceChildren(...ms.map((c, i) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.backgroundColor = colorOf(c);
    return h('li', { role: 'option', 'aria-selected': i === pickIdx ? 'true' : 'false', 'data-path': c.path,
      onmousedown: (e) => { e.preventDefault(); choose(c.path); } }, sw, ' ', c.path, h('span', { class: 'muted small' }, ` ${c.codings}`));
  }));
  if (!ms.length) plist.append(h('li', { class: 'muted' }, 'No code matches.'));
  plist.children[pickIdx]?.scrollIntoView({ block: 'nearest' });
}
function choose(path) {
  const mode = pickMode, sp = span;
  closePicker();
  if (mode) recode(mode.recode, path); else applyCode(path, sp);
}
pq.addEventListener('input', () => { pickIdx = 0; fillPicker(); });
pq.addEventListener('keydown', (e) => {
  const ms = matches();
  if (e.key === 'ArrowDown') { pickIdx = Math.min(ms.length - 1, pickIdx + 1); fillPicker(); e.preventDefault(); }
  else if (e.key === 'ArrowUp') { pickIdx = Math.max(0, pickIdx - 1); fillPicker(); e.preventDefault(); }
  else if (e.key === 'Enter') { if (ms[pickIdx]) choose(ms[pickIdx].path); e.preventDefault(); }
  else if (e.key === 'Escape') { closePicker(); e.preventDefault(); }
});
pq.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== pq) closePicker(); }, 150));

// ---- keyboard ----

function setFocusTurn(i) {
  const turns = box.querySelectorAll('.turn');
  if (!turns.length) return;
  focusTurn = Math.max(0, Math.min(turns.length - 1, i));
  turns.forEach((t, j) => t.classList.toggle('focus', j === focusTurn));
  turns[focusTurn].scrollIntoView({ block: 'nearest' });
}

document.addEventListener('keydown', (e) => {
  if (!picker.hidden || e.target.closest('input, textarea, select, button') || e.ctrlKey || e.metaKey || e.altKey) return;
  const sel = getSelection();
  if (e.shiftKey && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key) && sel.rangeCount && sel.modify) {
    const back = e.key === 'ArrowLeft' || e.key === 'ArrowUp';
    const unit = e.key === 'ArrowUp' || e.key === 'ArrowDown' ? 'line' : 'character';
    // In a right-to-left turn the left arrow moves forward.
    const rtl = getComputedStyle(sel.focusNode.parentElement || box).direction === 'rtl';
    const dir = (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && rtl ? (back ? 'forward' : 'backward') : (back ? 'backward' : 'forward');
    sel.modify('extend', dir, unit);
    noteSelection();
    e.preventDefault();
    return;
  }
  if (e.key === 'j') { setFocusTurn(focusTurn + 1); e.preventDefault(); }
  else if (e.key === 'k') { setFocusTurn(focusTurn - 1); e.preventDefault(); }
  else if (e.key === 'Enter' && focusTurn >= 0) {
    const tt = box.querySelectorAll('.turn')[focusTurn].querySelector('.tt');
    const r = document.createRange();
    r.selectNodeContents(tt);
    sel.removeAllRanges();
    sel.addRange(r);
    noteSelection();
    e.preventDefault();
  } else if (e.key === 'c') { openPicker(); e.preventDefault(); }
  else if (/^[1-9]$/.test(e.key)) {
    const c = shortcutCodes()[+e.key - 1];
    if (c) { applyCode(c.path); e.preventDefault(); }
  } else if (e.key === 'Escape') { sel.removeAllRanges(); noteSelection(); }
});

document.getElementById('f-coder').addEventListener('change', (e) => { filter.coder = e.target.value; renderTranscript(); renderCodings(); });
document.getElementById('f-code').addEventListener('change', (e) => { filter.code = e.target.value; renderTranscript(); renderCodings(); });

// Reload when someone else changes something (the event stream).
let reloadTimer;
window.addEventListener('tacit:event', () => {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(load, 100);
});

load();
