// codebook.js: the codebook as a tree with counts; admins edit it through
// the operations of 'tacit code' (POST /api/op/code.*).
import { api, toast, h, me, colorOf } from './app.js';

const tree = document.getElementById('tree');
let codes = [];

async function op(name, body, done) {
  try {
    await api('POST', '/api/op/' + name, body);
    toast(done);
    load();
  } catch (e) { toast(e.message, true); }
}

function editor(c) {
  const name = h('input', { value: c.name, 'aria-label': 'name', dir: 'auto' });
  const desc = h('textarea', { rows: 2, 'aria-label': 'description', dir: 'auto' }, c.description || '');
  const color = h('input', { type: 'color', value: colorOf(c), 'aria-label': 'colour' });
  const parent = h('select', { 'aria-label': 'parent' }, h('option', { value: '' }, '(top level)'),
    codes.filter((x) => x.id !== c.id && !x.path.startsWith(c.path + '/')).map((x) => h('option', { value: x.path, selected: x.id === c.parent }, x.path)));
  const into = h('select', { 'aria-label': 'merge into' }, h('option', { value: '' }, 'merge into…'),
    codes.filter((x) => x.id !== c.id).map((x) => h('option', { value: x.path }, x.path)));
  return h('div', { class: 'editor' },
    h('label', {}, 'Name ', name, ' ', h('button', { type: 'button', onclick: () => op('code.rename', { code: c.path, new: name.value }, `Renamed to ${name.value}`) }, 'Rename')),
    h('label', {}, 'Description ', desc, ' ', h('button', { type: 'button', onclick: () => op('code.edit', { code: c.path, description: desc.value }, 'Description saved') }, 'Save')),
    h('label', {}, 'Colour ', color, ' ', h('button', { type: 'button', onclick: () => op('code.edit', { code: c.path, color: color.value }, 'Colour saved') }, 'Save')),
    h('label', {}, 'Parent ', parent, ' ', h('button', { type: 'button', onclick: () => op('code.move', parent.value ? { code: c.path, parent: parent.value } : { code: c.path, root: true }, 'Moved') }, 'Move')),
    h('label', {}, into, ' ', h('button', { type: 'button', onclick: () => { if (into.value && confirm(`Merge ${c.path} into ${into.value}? Its codings move there.`)) op('code.merge', { from: c.path, into: into.value }, `Merged into ${into.value}`); } }, 'Merge')),
    h('button', { type: 'button', class: 'danger', onclick: () => {
      const force = c.codings > 0;
      if (confirm(force ? `Delete ${c.path} and its ${c.codings} codings?` : `Delete ${c.path}?`)) op('code.delete', { code: c.path, force }, `Deleted ${c.path}`);
    } }, 'Delete'));
}

async function load() {
  try { codes = await api('GET', '/api/codes'); } catch (e) { toast(e.message, true); return; }
  if (!codes.length) { tree.replaceChildren(h('li', { class: 'muted' }, 'The codebook is empty.')); return; }
  const open = new Set([...tree.querySelectorAll('li.open')].map((li) => li.dataset.code));
  tree.replaceChildren(...codes.map((c) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.backgroundColor = colorOf(c);
    const li = h('li', { 'data-code': c.id, 'data-path': c.path, class: open.has(String(c.id)) ? 'open' : '' },
      h('div', { class: 'row' }, sw, h('b', { dir: 'auto' }, c.name),
        h('span', { class: 'muted small' }, ` ${c.codings} codings in ${c.documents} interviews `),
        h('a', { href: '/search?q=&codes=' + encodeURIComponent(c.path), class: 'small' }, 'passages'),
        me.admin ? h('button', { type: 'button', class: 'small edit', onclick: () => { li.classList.toggle('open'); } }, 'Edit') : null),
      c.description ? h('p', { class: 'desc small', dir: 'auto' }, c.description) : null,
      me.admin ? editor(c) : null);
    li.style.marginInlineStart = (c.depth * 1.5) + 'em';
    return li;
  }));
}

const add = document.getElementById('add-code');
if (add) {
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    const path = document.getElementById('new-path').value.trim();
    op('code.add', { path, description: document.getElementById('new-desc').value.trim(), color: document.getElementById('new-color').value }, `Added ${path}`);
    add.reset();
  });
}

let t;
window.addEventListener('tacit:event', () => { clearTimeout(t); t = setTimeout(() => { if (!tree.querySelector('li.open')) load(); }, 150); });
load();
