// log.js: the audit log, newest first, and undo of one's own last change.
import { api, toast, h } from './app.js';

const body = document.getElementById('log');

async function load() {
  let evs;
  try { evs = await api('GET', '/api/log?limit=200'); } catch (e) { toast(e.message, true); return; }
  body.replaceChildren(...evs.map((e) => h('tr', { class: e.undone ? 'undone' : '' },
    h('td', { class: 'num' }, e.id),
    h('td', { class: 'nowrap' }, new Date(e.time).toLocaleString()),
    h('td', {}, e.actor), h('td', {}, e.action),
    h('td', { dir: 'auto' }, e.summary, e.undone ? h('span', { class: 'muted small' }, ' (undone)') : null))));
}

document.getElementById('undo').addEventListener('click', async () => {
  try {
    const e = await api('POST', '/api/undo', {});
    toast(`Undid: ${e.summary}`);
  } catch (err) { toast(err.message, true); }
  load();
});

let t;
window.addEventListener('tacit:event', () => { clearTimeout(t); t = setTimeout(load, 150); });
load();
