// The catalog's search: filters the models and sources (list, sections, graph) to those whose name,
// description or one of whose columns matches, and lists the matching columns. A query can come
// with the address: index.html?q=amount or index.html#q=amount.
const entries = JSON.parse(document.getElementById('search-index').textContent);
const box = document.getElementById('q');
const hits = document.getElementById('hits');

function matches(text, q) {
  return text.toLowerCase().includes(q);
}

function filter(raw) {
  const q = raw.trim().toLowerCase();
  const shown = new Set();
  const found = [];
  for (const e of entries) {
    const columns = q ? e.columns.filter(([name, , text]) => matches(name + ' ' + text, q)) : [];
    if (!q || matches(e.relation + ' ' + e.description, q) || columns.length) shown.add(e.relation);
    for (const column of columns) found.push([e.relation, column]);
  }
  for (const el of document.querySelectorAll('#nav [data-relation], main section.entry')) {
    el.classList.toggle('filtered', !shown.has(el.dataset.relation));
  }
  for (const el of document.querySelectorAll('#graph .node')) {
    el.classList.toggle('dim', Boolean(q) && !shown.has(el.dataset.relation));
  }
  for (const el of document.querySelectorAll('#graph .edge')) {
    el.classList.toggle('dim', Boolean(q) && !(shown.has(el.dataset.from) && shown.has(el.dataset.to)));
  }
  const list = hits.querySelector('ul');
  list.replaceChildren(...found.slice(0, 300).map(([relation, [name, type, text]]) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#' + relation;
    a.textContent = relation + '.' + name;
    li.append(a, ' ', Object.assign(document.createElement('span'), {className: 'type', textContent: type}),
              ' ' + text);
    return li;
  }));
  hits.hidden = !found.length;
  document.getElementById('count').textContent =
    q ? `${shown.size} tables, ${found.length} columns match` : `${entries.length} tables`;
}

function highlightEdges(relation, on) {
  for (const edge of document.querySelectorAll('#graph .edge')) {
    if (edge.dataset.from === relation || edge.dataset.to === relation) edge.classList.toggle('hl', on);
  }
}

for (const node of document.querySelectorAll('#graph .node')) {
  node.addEventListener('mouseenter', () => highlightEdges(node.dataset.relation, true));
  node.addEventListener('mouseleave', () => highlightEdges(node.dataset.relation, false));
}
box.addEventListener('input', () => filter(box.value));
const initial = new URLSearchParams(location.search).get('q')
  ?? new URLSearchParams(location.hash.slice(1)).get('q');
if (initial) box.value = initial;
filter(box.value);
document.body.dataset.ready = 'yes';
