// codebook.js: the codebook as a tree with counts.
import { api, toast, h, colorOf } from './app.js';

const tree = document.getElementById('tree');

async function load() {
  let codes;
  try { codes = await api('GET', '/api/codes'); } catch (e) { toast(e.message, true); return; }
  if (!codes.length) { tree.replaceChildren(h('li', { class: 'muted' }, 'The codebook is empty.')); return; }
  tree.replaceChildren(...codes.map((c) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.backgroundColor = colorOf(c);
    const li = h('li', { 'data-code': c.id, 'data-path': c.path },
      h('div', { class: 'row' }, sw, h('b', { dir: 'auto' }, c.name),
        h('span', { class: 'muted small' }, ` ${c.codings} codings in ${c.documents} interviews`)),
      c.description ? h('p', { class: 'desc small', dir: 'auto' }, c.description) : null);
    li.style.marginInlineStart = (c.depth * 1.5) + 'em';
    return li;
  }));
}

let t;
window.addEventListener('tacit:event', () => { clearTimeout(t); t = setTimeout(load, 150); });
load();
