// The Quiver explorer: lists collections and models, draws a collection's 2-D map (the server's projection route) on
// one canvas, and searches, inspects, clusters and scores it through the server's JSON routes. No library: the map is
// a typed array of coordinates written into one ImageData per frame, which keeps 100,000 points smooth.
'use strict';

const $ = (selector) => document.querySelector(selector);
const SEED = 42;
const BACKGROUND = 0xfffdfbfb; // ABGR: #fbfbfd
const GREY = rgba(176, 182, 194);
const PALETTE = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75],
  [227, 119, 194], [188, 189, 34], [23, 190, 207], [57, 59, 121], [173, 73, 74], [99, 121, 57],
];
const FLAG_HIT = 1;
const FLAG_NEIGHBOUR = 2;
const FLAG_SELECTED = 4;

const state = {
  key: sessionStorage.getItem('quiver-api-key') || '',
  collection: null,
  overview: null,
  count: 0,
  ids: [],
  index: new Map(),
  xs: new Float32Array(0),
  ys: new Float32Array(0),
  payloads: [],
  colours: new Uint32Array(0),
  flags: new Uint8Array(0),
  deleted: new Uint8Array(0),
  view: { cx: 0, cy: 0, scale: 1 },
  clusters: null,
  outliers: null,
  hits: [],
  query: null,
  inspected: -1,
  box: null,
  texts: new Map(),
  naive: new URLSearchParams(location.search).get('draw') === 'rects',
};

// What the browser tests and the benchmark read back: when the map was drawn and how long each frame took.
const stats = { mapDrawnAt: null, frames: [], frameEnds: [], lastFrameMs: 0 };
window.explorer = { state, stats };

function rgba(r, g, b, a = 255) { return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0; }
function css(colour) { return `rgb(${colour & 255},${(colour >> 8) & 255},${(colour >> 16) & 255})`; }
function key(id) { return String(id); }
function status(text) { $('#status').textContent = text; }
function clear(element) { while (element.firstChild) element.removeChild(element.firstChild); }
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') element.className = value; else if (name.startsWith('data-')) element.setAttribute(name, value); else element[name] = value;
  }
  for (const child of children) element.append(child);
  return element;
}
function shorten(text, length) { text = String(text ?? '').replace(/\s+/g, ' ').trim(); return text.length <= length ? text : text.slice(0, length - 1) + '…'; }

class ApiError extends Error {
  constructor(statusCode, message) { super(message); this.statusCode = statusCode; }
}

// Every call sends the key the visitor gave (Qdrant's api-key header); a 401 opens the key dialog.
async function api(method, path, body) {
  const headers = { 'content-type': 'application/json' };
  if (state.key) headers['api-key'] = state.key;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) {
    const message = json?.status?.error ?? json?.error?.message ?? `${response.status} ${response.statusText}`;
    if (response.status === 401) askForKey(message);
    throw new ApiError(response.status, message);
  }
  return json && 'result' in json ? json.result : json;
}

function askForKey(reason) {
  if (reason) $('#key-reason').textContent = `${reason} A read-only key can browse and search; deleting needs the admin key.`;
  $('#key-dialog').hidden = false;
  $('#api-key').focus();
}

$('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.key = $('#api-key').value.trim();
  sessionStorage.setItem('quiver-api-key', state.key);
  $('#key-dialog').hidden = true;
  start();
});
$('#change-key').addEventListener('click', () => askForKey(''));

// ---- collections and models ----

async function loadCollections() {
  const list = await api('GET', '/collections');
  const body = $('#collections tbody');
  clear(body);
  const overviews = await Promise.all(list.collections.map((c) => api('GET', `/collections/${encodeURIComponent(c.name)}/overview`).catch((e) => ({ name: c.name, error: e.message }))));
  for (const o of overviews) {
    const row = o.error
      ? el('tr', { 'data-name': o.name }, el('td', {}, o.name), el('td', { colSpan: 4, class: 'error' }, o.error))
      : el('tr', { 'data-name': o.name, title: o.space.description },
        el('td', {}, o.name),
        el('td', {}, o.points.toLocaleString('en')),
        el('td', {}, o.model ? `${o.model} (${o.space.dimensions}-d ${o.space.distance})` : `raw ${o.space.dimensions}-d ${o.space.distance}`),
        el('td', {}, `${o.index.kind}${o.index.graph_in_use ? ' graph' : ' exact scan'}${o.index.quantization !== 'none' ? ', ' + o.index.quantization : ''}`),
        el('td', {}, o.index.bytes_per_vector.toLocaleString('en')));
    if (!o.error) row.addEventListener('click', () => openCollection(o.name));
    body.append(row);
  }
  return overviews.filter((o) => !o.error);
}

async function loadModels() {
  const { models } = await api('GET', '/models');
  const body = $('#models tbody');
  clear(body);
  for (const m of models) {
    body.append(el('tr', { 'data-name': m.name, title: `${m.description}\nrevision ${m.revision}\nsource ${m.source}\nlicense ${m.license}` },
      el('td', {}, m.name + (m.default ? ' (default)' : '')), el('td', {}, m.kind), el('td', {}, String(m.dimensions)), el('td', {}, m.collections.join(', '))));
  }
}

async function openCollection(name) {
  state.collection = name;
  for (const row of document.querySelectorAll('#collections tbody tr')) row.classList.toggle('current', row.dataset.name === name);
  $('#collection-name').textContent = name;
  state.overview = await api('GET', `/collections/${encodeURIComponent(name)}/overview`);
  const select = $('#colour-by');
  clear(select);
  select.append(el('option', { value: '' }, 'nothing'), el('option', { value: 'cluster' }, 'cluster (k-means)'), el('option', { value: 'outlier' }, 'outlier score'));
  for (const field of state.overview.payload_fields) select.append(el('option', { value: 'field:' + field }, field));
  // ?colour=field:NAME, cluster or outlier opens the map already coloured (a link to share a view).
  const colour = new URLSearchParams(location.search).get('colour');
  if (colour && [...select.options].some((o) => o.value === colour)) select.value = colour;
  // UMAP shows clusters best but costs seconds per thousand points on a small machine; PCA is instant.
  $('#method').value = new URLSearchParams(location.search).get('method') ?? (state.overview.points <= 5000 ? 'umap' : 'pca');
  state.clusters = null;
  state.outliers = null;
  clear($('#clusters'));
  clear($('#outliers'));
  clear($('#hits'));
  $('#inspect').hidden = true;
  $('#selection-panel').hidden = true;
  await loadMap();
}

// ---- the map ----

function mapLimit() { return Math.max(2, Math.min(state.overview.points, state.overview.max_points_per_request)); }

async function loadMap() {
  const canvas = $('#map');
  canvas.dataset.state = 'loading';
  const method = $('#method').value;
  const limit = mapLimit();
  status(`computing the ${method.toUpperCase()} map of ${limit.toLocaleString('en')} points…`);
  const started = performance.now();
  const map = await api('POST', `/collections/${encodeURIComponent(state.collection)}/projection`, { method, limit, seed: SEED, with_payload: true });
  const n = map.points.length;
  state.count = n;
  state.ids = new Array(n);
  state.payloads = new Array(n);
  state.index = new Map();
  state.xs = new Float32Array(n);
  state.ys = new Float32Array(n);
  state.colours = new Uint32Array(n);
  state.flags = new Uint8Array(n);
  state.deleted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = map.points[i];
    state.ids[i] = p.id;
    state.payloads[i] = p.payload;
    state.index.set(key(p.id), i);
    state.xs[i] = p.coordinates[0];
    state.ys[i] = p.coordinates[1];
  }
  state.hits = [];
  state.query = null;
  state.inspected = -1;
  fit();
  await applyColouring();
  draw();
  stats.mapDrawnAt = performance.now();
  canvas.dataset.points = String(n);
  canvas.dataset.total = String(map.total);
  canvas.dataset.cached = String(map.cached);
  canvas.dataset.state = 'drawn';
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  status(`${state.collection}: ${n.toLocaleString('en')} points drawn${map.sampled ? ` (a seeded sample of ${map.total.toLocaleString('en')})` : ''}, ${method.toUpperCase()}${map.cached ? ' (cached)' : ''}, ${seconds} s`);
}

function fit() {
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  for (let i = 0; i < state.count; i++) {
    const x = state.xs[i]; const y = state.ys[i];
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  if (state.count === 0) { minX = minY = -1; maxX = maxY = 1; }
  const canvas = $('#map');
  resize();
  const spanX = Math.max(maxX - minX, 1e-9); const spanY = Math.max(maxY - minY, 1e-9);
  state.view = { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: 0.9 * Math.min(canvas.width / spanX, canvas.height / spanY) };
}

function resize() {
  const canvas = $('#map');
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio)); const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; return true; }
  return false;
}

function toScreen(i) {
  const canvas = $('#map');
  const { cx, cy, scale } = state.view;
  return [(state.xs[i] - cx) * scale + canvas.width / 2, (cy - state.ys[i]) * scale + canvas.height / 2];
}

let image = null;
let pixels = null;

// One frame: every point written as a 2×2 or 3×3 block into one ImageData (no per-point canvas call), then the few
// highlighted points, the query and the selection box drawn on top with canvas paths.
function draw() {
  const started = performance.now();
  const canvas = $('#map');
  const context = canvas.getContext('2d');
  const w = canvas.width; const h = canvas.height;
  const { cx, cy, scale } = state.view;
  const hw = w / 2; const hh = h / 2;
  const xs = state.xs; const ys = state.ys; const colours = state.colours; const deleted = state.deleted;
  if (state.naive) {
    // The benchmark's peer: one fillRect per point, the way a map is usually first written.
    context.fillStyle = '#fbfbfd';
    context.fillRect(0, 0, w, h);
    for (let i = 0; i < state.count; i++) {
      if (deleted[i]) continue;
      context.fillStyle = css(colours[i]);
      context.fillRect((xs[i] - cx) * scale + hw, (cy - ys[i]) * scale + hh, 2, 2);
    }
  } else {
    if (!image || image.width !== w || image.height !== h) { image = context.createImageData(w, h); pixels = new Uint32Array(image.data.buffer); }
    pixels.fill(BACKGROUND);
    // 3×3 blocks while few enough points to tell apart; 2×2 beyond, where larger blocks would merge into a blot.
    const big = state.count <= 20000;
    for (let i = 0; i < state.count; i++) {
      if (deleted[i]) continue;
      const px = ((xs[i] - cx) * scale + hw) | 0;
      const py = ((cy - ys[i]) * scale + hh) | 0;
      if (px < 0 || py < 0 || px >= w - 2 || py >= h - 2) continue;
      const c = colours[i]; const o = py * w + px;
      pixels[o] = c; pixels[o + 1] = c; pixels[o + w] = c; pixels[o + w + 1] = c;
      if (big) { pixels[o + 2] = c; pixels[o + w + 2] = c; pixels[o + 2 * w] = c; pixels[o + 2 * w + 1] = c; pixels[o + 2 * w + 2] = c; }
    }
    context.putImageData(image, 0, 0);
  }
  drawMarks(context);
  stats.lastFrameMs = performance.now() - started;
  stats.frames.push(stats.lastFrameMs);
  stats.frameEnds.push(performance.now());
  if (stats.frames.length > 1000) { stats.frames.shift(); stats.frameEnds.shift(); }
}

function drawMarks(context) {
  const ring = (i, radius, colour, width) => {
    const [x, y] = toScreen(i);
    context.beginPath(); context.arc(x, y, radius, 0, 2 * Math.PI); context.lineWidth = width; context.strokeStyle = colour; context.stroke();
  };
  for (let i = 0; i < state.count; i++) {
    const f = state.flags[i];
    if (f === 0 || state.deleted[i]) continue;
    if (f & FLAG_SELECTED) ring(i, 3, '#1d2330', 1);
    if (f & FLAG_NEIGHBOUR) ring(i, 6, '#f59e0b', 2);
    if (f & FLAG_HIT) ring(i, 7, '#d6336c', 2.5);
  }
  if (state.inspected >= 0) ring(state.inspected, 9, '#0b57d0', 3);
  if (state.query) {
    const { cx, cy, scale } = state.view; const canvas = $('#map');
    const x = (state.query[0] - cx) * scale + canvas.width / 2; const y = (cy - state.query[1]) * scale + canvas.height / 2;
    context.beginPath(); context.moveTo(x - 8, y); context.lineTo(x + 8, y); context.moveTo(x, y - 8); context.lineTo(x, y + 8);
    context.lineWidth = 3; context.strokeStyle = '#d6336c'; context.stroke();
    context.font = '12px sans-serif'; context.fillStyle = '#d6336c'; context.fillText('query', x + 10, y - 6);
  }
  if (state.box) {
    const [x0, y0, x1, y1] = state.box;
    context.setLineDash([4, 3]); context.lineWidth = 1; context.strokeStyle = '#1d2330';
    context.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0)); context.setLineDash([]);
  }
}

let frameRequested = false;
function redraw() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => { frameRequested = false; draw(); });
}

function nearest(sx, sy, within) {
  let best = -1; let bestDistance = within * within;
  for (let i = 0; i < state.count; i++) {
    if (state.deleted[i]) continue;
    const [x, y] = toScreen(i);
    const d = (x - sx) * (x - sx) + (y - sy) * (y - sy);
    if (d < bestDistance) { bestDistance = d; best = i; }
  }
  return best;
}

function canvasPoint(event) {
  const canvas = $('#map'); const rect = canvas.getBoundingClientRect(); const ratio = canvas.width / rect.width;
  return [(event.clientX - rect.left) * ratio, (event.clientY - rect.top) * ratio];
}

// Pan by dragging, select by shift-dragging, inspect by clicking, zoom with the wheel around the cursor.
let drag = null;
const canvas = $('#map');
canvas.addEventListener('pointerdown', (event) => {
  const [x, y] = canvasPoint(event);
  drag = { x, y, startX: x, startY: y, moved: false, select: event.shiftKey };
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener('pointermove', (event) => {
  const [x, y] = canvasPoint(event);
  if (!drag) { hover(x, y, event); return; }
  if (Math.abs(x - drag.startX) + Math.abs(y - drag.startY) > 3) drag.moved = true;
  if (drag.select) {
    state.box = [drag.startX, drag.startY, x, y];
  } else {
    state.view.cx -= (x - drag.x) / state.view.scale;
    state.view.cy += (y - drag.y) / state.view.scale;
  }
  drag.x = x; drag.y = y;
  $('#tooltip').hidden = true;
  redraw();
});
canvas.addEventListener('pointerup', (event) => {
  const [x, y] = canvasPoint(event);
  const done = drag; drag = null;
  if (!done) return;
  if (done.select && done.moved) { selectBox(done.startX, done.startY, x, y); state.box = null; redraw(); return; }
  if (!done.moved) {
    const i = nearest(x, y, 8);
    if (i >= 0) inspect(i).catch(showError);
  }
});
canvas.addEventListener('wheel', (event) => {
  event.preventDefault();
  const [x, y] = canvasPoint(event);
  const factor = Math.exp(-event.deltaY * 0.0015);
  const { cx, cy, scale } = state.view; const hw = canvas.width / 2; const hh = canvas.height / 2;
  const dataX = cx + (x - hw) / scale; const dataY = cy - (y - hh) / scale;
  const next = scale * factor;
  state.view = { cx: dataX - (x - hw) / next, cy: dataY + (y - hh) / next, scale: next };
  redraw();
}, { passive: false });
canvas.addEventListener('pointerleave', () => { $('#tooltip').hidden = true; });
window.addEventListener('resize', () => { if (resize()) redraw(); });

let hoverTimer = 0;
function hover(x, y, event) {
  const tip = $('#tooltip');
  const i = nearest(x, y, 8);
  if (i < 0) { tip.hidden = true; return; }
  const rect = canvas.getBoundingClientRect();
  tip.style.left = `${event.clientX - rect.left + 14}px`;
  tip.style.top = `${event.clientY - rect.top + 14}px`;
  const render = () => {
    const text = state.texts.get(key(state.ids[i]));
    tip.textContent = `id ${JSON.stringify(state.ids[i])}${describeColour(i)}\n${text ? shorten(text, 240) + '\n' : ''}${shorten(JSON.stringify(state.payloads[i] ?? {}), 300)}`;
  };
  render();
  tip.hidden = false;
  clearTimeout(hoverTimer);
  if (!state.texts.has(key(state.ids[i]))) hoverTimer = setTimeout(() => fetchPoint(i).then(render).catch(() => {}), 120);
}

// Through Quiver's inspect route, which takes any stored id: chunks that quiver index names "file.md#3" included.
async function fetchPoint(i, neighbours = 0) {
  const point = await api('POST', `/collections/${encodeURIComponent(state.collection)}/points/inspect`, { id: state.ids[i], limit: neighbours });
  state.texts.set(key(state.ids[i]), point.text ?? '');
  return point;
}

function selectBox(x0, y0, x1, y1) {
  const [left, right] = [Math.min(x0, x1), Math.max(x0, x1)]; const [top, bottom] = [Math.min(y0, y1), Math.max(y0, y1)];
  const chosen = [];
  for (let i = 0; i < state.count; i++) {
    state.flags[i] &= ~FLAG_SELECTED;
    if (state.deleted[i]) continue;
    const [x, y] = toScreen(i);
    if (x >= left && x <= right && y >= top && y <= bottom) { state.flags[i] |= FLAG_SELECTED; chosen.push(i); }
  }
  const list = $('#selection');
  clear(list);
  $('#selection-count').textContent = `(${chosen.length.toLocaleString('en')} points)`;
  for (const i of chosen.slice(0, 200)) {
    const item = el('li', { 'data-id': key(state.ids[i]) }, `${JSON.stringify(state.ids[i])} ${shorten(JSON.stringify(state.payloads[i] ?? {}), 120)}`);
    item.addEventListener('click', () => inspect(i).catch(showError));
    list.append(item);
  }
  if (chosen.length > 200) list.append(el('li', {}, `… and ${(chosen.length - 200).toLocaleString('en')} more`));
  $('#selection-panel').hidden = false;
}

// ---- inspect: text, payload, nearest neighbours ----

async function inspect(i) {
  state.inspected = i;
  const id = state.ids[i];
  $('#inspect').hidden = false;
  $('#inspect-error').hidden = true;
  $('#inspect-id').textContent = JSON.stringify(id);
  $('#inspect').dataset.id = key(id);
  const point = await fetchPoint(i, 10);
  $('#inspect-text').textContent = point.text ?? '(no text)';
  $('#inspect-payload').textContent = JSON.stringify(point.payload ?? {}, null, 2);
  for (let j = 0; j < state.count; j++) state.flags[j] &= ~FLAG_NEIGHBOUR;
  const list = $('#neighbours');
  clear(list);
  for (const n of point.neighbours) {
    const at = state.index.get(key(n.id));
    if (at !== undefined) state.flags[at] |= FLAG_NEIGHBOUR;
    const item = el('li', { 'data-id': key(n.id) }, el('span', { class: 'score' }, n.score.toFixed(3)), `${JSON.stringify(n.id)} ${shorten(n.text ?? JSON.stringify(n.payload ?? {}), 100)}`);
    if (at === undefined) item.append(el('span', { class: 'off-map' }, ' (not on the map)'));
    else item.addEventListener('click', () => inspect(at).catch(showError));
    list.append(item);
  }
  $('#neighbours').dataset.count = String(point.neighbours.length);
  redraw();
}

$('#delete-point').addEventListener('click', async () => {
  const i = state.inspected;
  if (i < 0) return;
  const id = state.ids[i];
  if (!confirm(`Delete point ${JSON.stringify(id)} from ${state.collection}? This cannot be undone.`)) return;
  try {
    await api('POST', `/collections/${encodeURIComponent(state.collection)}/points/delete?wait=true`, { points: [id] });
    state.deleted[i] = 1;
    state.inspected = -1;
    $('#inspect').hidden = true;
    status(`deleted point ${JSON.stringify(id)}`);
    redraw();
    loadCollections().catch(showError);
  } catch (error) {
    const box = $('#inspect-error');
    box.textContent = error.statusCode === 403 ? `Not deleted: ${error.message}` : `Not deleted: ${error.message}`;
    box.hidden = false;
  }
});

// ---- search ----

// "field=value, n>=2": each clause a Qdrant condition, all of them must hold.
function parseFilter(text) {
  const must = [];
  const mustNot = [];
  for (const clause of text.split(',').map((c) => c.trim()).filter(Boolean)) {
    const match = /^([^=<>!]+?)\s*(>=|<=|!=|=|>|<)\s*(.+)$/.exec(clause);
    if (!match) throw new Error(`'${clause}' is not a filter clause; write field=value, field!=value or field>=number, separated by commas.`);
    const [, field, op, raw] = match;
    const number = Number(raw);
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(number) && raw.trim() !== '' ? number : raw.replace(/^"(.*)"$/, '$1');
    if (op === '=') must.push({ key: field, match: { value } });
    else if (op === '!=') mustNot.push({ key: field, match: { value } });
    else {
      if (typeof value !== 'number') throw new Error(`'${clause}': ${op} compares numbers; '${raw}' is not one.`);
      must.push({ key: field, range: { [{ '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' }[op]]: value } });
    }
  }
  return must.length || mustNot.length ? { must, must_not: mustNot } : undefined;
}

$('#search').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!state.collection) return;
  const text = $('#query').value.trim();
  if (!text) return;
  try {
    const filter = parseFilter($('#filter').value);
    const hits = await api('POST', `/collections/${encodeURIComponent(state.collection)}/points/search/text`, { text, mode: $('#mode').value, limit: 10, filter });
    showHits(hits);
  } catch (error) { showError(error); }
});

function showHits(hits) {
  for (let i = 0; i < state.count; i++) state.flags[i] &= ~FLAG_HIT;
  const list = $('#hits');
  clear(list);
  const onMap = [];
  let sx = 0; let sy = 0; let sw = 0;
  hits.forEach((hit, rank) => {
    const at = state.index.get(key(hit.id));
    const item = el('li', { 'data-id': key(hit.id) }, el('span', { class: 'score' }, hit.score.toFixed(3)), `${JSON.stringify(hit.id)} ${shorten(hit.text ?? JSON.stringify(hit.payload ?? {}), 120)}`);
    if (hit.text) state.texts.set(key(hit.id), hit.text);
    if (at === undefined) {
      item.append(el('span', { class: 'off-map' }, ' (not on the map)'));
    } else {
      state.flags[at] |= FLAG_HIT;
      onMap.push(key(hit.id));
      // The query sits where its best hits are: their positions weighted by rank.
      const weight = 1 / (rank + 1);
      sx += weight * state.xs[at]; sy += weight * state.ys[at]; sw += weight;
      item.addEventListener('click', () => inspect(at).catch(showError));
    }
    list.append(item);
  });
  state.query = sw > 0 ? [sx / sw, sy / sw] : null;
  $('#map').dataset.highlighted = onMap.join(',');
  status(`${hits.length} hits, ${onMap.length} of them on the map`);
  redraw();
}

// ---- colouring, clusters, outliers ----

$('#colour-by').addEventListener('change', () => applyColouring().then(redraw).catch(showError));
$('#method').addEventListener('change', () => { if (state.collection) loadMap().catch(showError); });

async function applyColouring() {
  const choice = $('#colour-by').value;
  const n = state.count;
  const legend = $('#legend');
  clear(legend);
  legend.hidden = choice === '';
  legend.dataset.by = choice;
  if (choice === '') { state.colours.fill(rgba(...PALETTE[0])); return; }
  if (choice === 'cluster') {
    if (!state.clusters) await runClusters();
    const topics = state.clusters.clusters;
    legend.append(el('div', { class: 'title' }, `cluster (k-means, k = ${state.clusters.k})`));
    const label = new Map(state.clusters.points.map((p) => [key(p.id), p.cluster]));
    for (let i = 0; i < n; i++) { const c = label.get(key(state.ids[i])); state.colours[i] = c === undefined ? GREY : rgba(...PALETTE[c % PALETTE.length]); }
    for (const t of topics) legendEntry(legend, rgba(...PALETTE[t.cluster % PALETTE.length]), `${t.cluster}: ${t.name || '(no text)'} (${t.size})`);
    return;
  }
  if (choice === 'outlier') {
    if (!state.outliers) await runOutliers();
    const score = new Map(state.outliers.points.map((p) => [key(p.id), p.score]));
    const values = state.outliers.points.map((p) => p.score);
    ramp(legend, `outlier score (${state.outliers.method})`, Math.min(...values), Math.max(...values), (i) => score.get(key(state.ids[i])));
    return;
  }
  const field = choice.slice('field:'.length);
  const values = state.payloads.map((p) => (p == null ? undefined : p[field]));
  const numbers = values.filter((v) => typeof v === 'number');
  if (numbers.length > 0 && numbers.length === values.filter((v) => v !== undefined && v !== null).length && new Set(numbers).size > 12) {
    let min = Infinity; let max = -Infinity;
    for (const v of numbers) { if (v < min) min = v; if (v > max) max = v; }
    ramp(legend, field, min, max, (i) => (typeof values[i] === 'number' ? values[i] : undefined));
    return;
  }
  // Categories: the 11 commonest values get colours of their own, the rest share grey.
  const counts = new Map();
  for (const v of values) { const k = v === undefined ? '(missing)' : typeof v === 'string' ? v : JSON.stringify(v); counts.set(k, (counts.get(k) || 0) + 1); }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, PALETTE.length - 1);
  const colourOf = new Map(top.map(([k], at) => [k, rgba(...PALETTE[at])]));
  legend.append(el('div', { class: 'title' }, field));
  for (let i = 0; i < n; i++) {
    const v = values[i]; const k = v === undefined ? '(missing)' : typeof v === 'string' ? v : JSON.stringify(v);
    state.colours[i] = colourOf.get(k) ?? GREY;
  }
  for (const [k, count] of top) legendEntry(legend, colourOf.get(k), `${k} (${count})`);
  if (counts.size > top.length) legendEntry(legend, GREY, `${counts.size - top.length} other values`);
}

function legendEntry(legend, colour, text) {
  legend.append(el('div', { class: 'entry' }, el('span', { class: 'swatch', style: `background:${css(colour)}` }), el('span', {}, text)));
}

// A numeric field or score: a blue-to-yellow ramp (viridis's ends), grey where a point has no value.
function ramp(legend, title, min, max, valueOf) {
  const low = [68, 1, 84]; const mid = [33, 145, 140]; const high = [253, 231, 37];
  const colour = (t) => {
    const [a, b, u] = t < 0.5 ? [low, mid, t * 2] : [mid, high, (t - 0.5) * 2];
    return rgba(...a.map((x, at) => Math.round(x + (b[at] - x) * u)));
  };
  const span = max - min || 1;
  for (let i = 0; i < state.count; i++) {
    const v = valueOf(i);
    state.colours[i] = v === undefined ? GREY : colour(Math.min(1, Math.max(0, (v - min) / span)));
  }
  legend.append(el('div', { class: 'title' }, title));
  legend.append(el('div', { class: 'ramp', style: `background:linear-gradient(to right, ${css(colour(0))}, ${css(colour(0.5))}, ${css(colour(1))})` }));
  legend.append(el('div', { class: 'ends' }, el('span', {}, formatNumber(min)), el('span', {}, formatNumber(max))));
}

function formatNumber(x) { return Math.abs(x) >= 1000 || Number.isInteger(x) ? x.toLocaleString('en') : x.toPrecision(3); }

async function runClusters() {
  const k = Number($('#k').value) || 8;
  status(`clustering into ${k}…`);
  state.clusters = await api('POST', `/collections/${encodeURIComponent(state.collection)}/clusters`, { k, seed: SEED, limit: mapLimit() });
  const list = $('#clusters');
  clear(list);
  for (const t of state.clusters.clusters) {
    const item = el('li', { 'data-cluster': String(t.cluster) },
      el('span', { class: 'swatch', style: `display:inline-block;width:10px;height:10px;margin-right:4px;background:${css(rgba(...PALETTE[t.cluster % PALETTE.length]))}` }),
      `${t.cluster} (${t.size}): ${t.keywords.map((w) => w.word).join(', ') || '(no text)'}`);
    item.addEventListener('click', () => selectCluster(t.cluster));
    list.append(item);
  }
  status(`${state.clusters.clusters.length} clusters`);
}

function selectCluster(cluster) {
  const members = new Set(state.clusters.points.filter((p) => p.cluster === cluster).map((p) => key(p.id)));
  for (let i = 0; i < state.count; i++) {
    if (members.has(key(state.ids[i]))) state.flags[i] |= FLAG_SELECTED; else state.flags[i] &= ~FLAG_SELECTED;
  }
  redraw();
}

async function runOutliers() {
  status('scoring outliers…');
  // Exact neighbours are quadratic in the points, so scores cover at most 5,000 of them (the same seeded sample's ids).
  const limit = Math.min(mapLimit(), 5000);
  state.outliers = await api('POST', `/collections/${encodeURIComponent(state.collection)}/outliers`, { method: $('#outlier-method').value, seed: SEED, limit, top: 15 });
  const list = $('#outliers');
  clear(list);
  for (const o of state.outliers.top) {
    const item = el('li', { 'data-id': key(o.id) }, el('span', { class: 'score' }, o.score.toFixed(2)), `${JSON.stringify(o.id)} ${shorten(o.text ?? JSON.stringify(o.payload ?? {}), 100)}`);
    const at = state.index.get(key(o.id));
    if (at !== undefined) item.addEventListener('click', () => inspect(at).catch(showError));
    list.append(item);
  }
  status(`outlier scores of ${state.outliers.points.length.toLocaleString('en')} points (median ${state.outliers.median.toFixed(2)})`);
}

$('#clusters-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!state.collection) return;
  state.clusters = null;
  $('#colour-by').value = 'cluster';
  applyColouring().then(redraw).catch(showError);
});
$('#outliers-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!state.collection) return;
  state.outliers = null;
  $('#colour-by').value = 'outlier';
  applyColouring().then(redraw).catch(showError);
});

function describeColour(i) {
  const choice = $('#colour-by').value;
  if (choice === 'cluster' && state.clusters) { const p = state.clusters.points.find((q) => key(q.id) === key(state.ids[i])); return p ? ` · cluster ${p.cluster}` : ''; }
  if (choice === 'outlier' && state.outliers) { const p = state.outliers.points.find((q) => key(q.id) === key(state.ids[i])); return p ? ` · score ${p.score.toFixed(2)}` : ''; }
  return '';
}

function showError(error) {
  status(`error: ${error.message}`);
  $('#status').classList.add('error');
  setTimeout(() => $('#status').classList.remove('error'), 4000);
}

// ---- start ----

async function start() {
  try {
    const collections = await loadCollections();
    await loadModels();
    const wanted = new URLSearchParams(location.search).get('collection');
    const first = collections.find((c) => c.name === wanted) ?? collections[0];
    if (first) await openCollection(first.name);
    else status('no collections yet: index some with quiver index, or PUT /collections/{name}');
  } catch (error) {
    if (error.statusCode !== 401) showError(error);
    else status('waiting for an API key');
  }
}

start();
