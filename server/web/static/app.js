// app.js: what every page shares (live updates, messages, JSON calls),
// then the page's own module.
export const me = { name: document.body.dataset.user, admin: document.body.dataset.admin === 'true' };

// api calls the JSON API; it rejects with the server's error message.
export async function api(method, url, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const r = await fetch(url, opt);
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({ error: `${r.status} ${r.statusText}` }));
  if (!r.ok) {
    if (r.status === 401) location.href = '/login?next=' + encodeURIComponent(location.pathname);
    throw new Error(data.error || `${r.status}`);
  }
  return data;
}

let toastTimer;
// toast shows a short message (as text, never as HTML).
export function toast(msg, bad) {
  const t = document.getElementById('toast');
  if (!t) return;
  t.textContent = msg;
  t.className = bad ? 'show bad' : 'show';
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.className = ''; }, bad ? 6000 : 2500);
}

// h builds an element: h('a', {href: '/x', class: 'c'}, 'text', child...).
// Strings become text nodes, so nothing passed here is parsed as HTML.
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

// A code's colour, or a stable one picked from its id.
const palette = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#469990', '#9a6324', '#800000', '#808000', '#000075'];
export function colorOf(code) {
  if (code.color && /^#[0-9a-fA-F]{6}$/.test(code.color)) return code.color;
  return palette[(code.id || code.code_id || 0) % palette.length];
}
export function tint(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

// Live updates: every page listens to the audit log's new events and
// passes them on as 'tacit:event' on window.
function live() {
  const dot = document.getElementById('live');
  if (!dot || !window.EventSource) return;
  const es = new EventSource('/api/events');
  es.onopen = () => { dot.classList.add('on'); dot.title = 'live updates: connected'; };
  es.onerror = () => { dot.classList.remove('on'); dot.title = 'live updates: reconnecting'; };
  es.onmessage = (m) => {
    let e;
    try { e = JSON.parse(m.data); } catch { return; }
    window.dispatchEvent(new CustomEvent('tacit:event', { detail: e }));
  };
  es.addEventListener('lagged', () => window.dispatchEvent(new CustomEvent('tacit:event', { detail: { action: 'lagged' } })));
}

live();
const page = document.body.dataset.page;
const modules = { reader: './reader.js', codebook: './codebook.js', log: './log.js', search: './search.js', reports: './reports.js', stories: './stories.js' };
if (modules[page]) import(modules[page]).catch((e) => toast('This page failed to load: ' + e.message, true));
