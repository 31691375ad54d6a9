/// The viewer page's script: decodes frames lazily, draws them on a canvas, handles the controls.
/// Plain JavaScript with no dependencies, so the page works from disk with no network.
enum ViewerScript {
    static let source = #"""
"use strict";
const DATA = JSON.parse(document.getElementById("tessera-data").textContent);
const $ = (id) => document.getElementById(id);
const fmtInt = (n) => n.toLocaleString("en-US");
const fmtNum = (x) => (x === 0 ? "0" : Math.abs(x) >= 0.01 && Math.abs(x) < 1e5 ? x.toPrecision(4) : x.toExponential(3));

function bytes(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
async function inflate(raw) {
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
// Colour lookup tables: pattern fill by colour key, class fill by class and key.
const PATTERN_LUT = bytes(DATA.patternLUT), CLASS_LUT = bytes(DATA.classLUT);

// Unpacks a frame's stream (the layout is documented on ViewerFrame in tessera's sources).
function unpack(f, buf) {
  let at = 0;
  const next = () => {
    const b = buf[at++];
    if (b < 128) return b;
    let v = b & 127, scale = 128, c;
    do { c = buf[at++]; v += (c & 127) * scale; scale *= 128; } while (c & 128);
    return v;
  };
  const signed = () => { const v = next(); return v % 2 ? -(v + 1) / 2 : v / 2; };
  const n = f.regions, c = f.counts, [e, ox, oy] = f.grid, h = 2 ** e;
  const ro = new Uint32Array(n + 1);
  for (let r = 0; r < n; r++) ro[r + 1] = ro[r] + next();
  const back = new Uint32Array(c.corners);
  for (let k = 0; k < c.corners; k++) back[k] = next();
  const rc = new Uint32Array(c.corners), vq = new Int32Array(2 * c.vertices + 4 * c.looseEdges);
  let numbered = 0, px = 0, py = 0;
  for (let k = 0; k < c.corners; k++) {
    let v;
    if (back[k] === 0) { v = numbered++; px += signed(); py += signed(); vq[2 * v] = px; vq[2 * v + 1] = py; }
    else { v = numbered - back[k]; px = vq[2 * v]; py = vq[2 * v + 1]; }
    rc[k] = v;
  }
  // Edges: one record per distinct region side, then the loose edges with vertices of their own.
  const E = c.edges, ea = new Uint32Array(2 * E), el = new Uint8Array(E), eu0 = new Uint16Array(E), ed0 = new Uint8Array(E);
  // Sides met so far: an open-addressing table of vertex pairs (a Set of numbers is several times slower).
  let size = 1024;
  while (size < 4 * c.sides) size *= 2;
  const table = new Int32Array(2 * size).fill(-1), mask = size - 1;
  const firstTime = (p, q) => {
    const lo = p < q ? p : q, hi = p < q ? q : p;
    let slot = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b)) & mask;
    while (table[2 * slot] !== -1) {
      if (table[2 * slot] === lo && table[2 * slot + 1] === hi) return false;
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = lo; table[2 * slot + 1] = hi;
    return true;
  };
  let m = 0;
  for (let r = 0; r < n; r++) {
    const a = ro[r], b = ro[r + 1];
    for (let k = a; k < b; k++) {
      const p = rc[k], q = rc[k + 1 < b ? k + 1 : a];
      if (!firstTime(p, q)) continue;
      const layer = next();
      if (layer === 0) continue;
      ea[2 * m] = p; ea[2 * m + 1] = q; el[m] = layer - 1; eu0[m] = next(); ed0[m] = Math.min(255, next()); m++;
    }
  }
  let extra = c.vertices;
  for (let k = 0; k < c.looseEdges; k++, m++) {
    for (let j = 0; j < 2; j++) { vq[2 * extra] = signed(); vq[2 * extra + 1] = signed(); ea[2 * m + j] = extra++; }
    el[m] = next(); eu0[m] = next(); ed0[m] = 0;
  }
  // Edges grouped by layer (0 = the domain boundary), in the order met.
  const eo = new Array(c.layers + 1).fill(0);
  for (let k = 0; k < E; k++) eo[el[k] + 1]++;
  for (let l = 0; l < c.layers; l++) eo[l + 1] += eo[l];
  const fill = eo.slice(0, c.layers), ev = new Uint32Array(2 * E), eu = new Uint16Array(E), ed = new Uint8Array(E);
  for (let k = 0; k < E; k++) { const j = fill[el[k]]++; ev[2 * j] = ea[2 * k]; ev[2 * j + 1] = ea[2 * k + 1]; eu[j] = eu0[k]; ed[j] = ed0[k]; }
  const cls = new Uint16Array(n);
  for (let r = 0; r < n; r++) cls[r] = next();
  const key = new Uint16Array(n);
  for (let r = 0; r < n; r++) key[r] = buf[at + r] | buf[at + n + r] << 8;
  at += 2 * n;
  const planes = () => {
    const out = new Float32Array(n), words = new Uint32Array(out.buffer);
    for (let r = 0; r < n; r++) words[r] = (buf[at + r] << 24 | buf[at + n + r] << 16 | buf[at + 2 * n + r] << 8) >>> 0;
    at += 3 * n;
    return out;
  };
  const area = planes(), slope = planes();
  px = 0; py = 0;
  const point = (out, i) => { px += signed(); py += signed(); out[2 * i] = (px + ox) * h; out[2 * i + 1] = (py + oy) * h; };
  const bd = new Float64Array(4 * c.boundary);
  for (let k = 0; k < 2 * c.boundary; k++) point(bd, k);
  const co = [0], ccr = new Uint32Array(c.cells), ccl = new Uint16Array(c.cells), cpts = [];
  let region = 0, total = 0;
  for (let k = 0; k < c.cells; k++) {
    region += next(); ccr[k] = region; ccl[k] = next();
    const count = next(), pts = new Float64Array(2 * count);
    for (let i = 0; i < count; i++) point(pts, i);
    cpts.push(pts); total += count; co.push(total);
  }
  const cc = new Float64Array(2 * total);
  cpts.forEach((pts, k) => cc.set(pts, 2 * co[k]));
  const vx = new Float64Array(vq.length);
  for (let i = 0; i < vq.length; i += 2) { vx[i] = (vq[i] + ox) * h; vx[i + 1] = (vq[i + 1] + oy) * h; }
  if (at !== buf.length) throw new Error(`frame ${f.step}: ${buf.length - at} bytes left over`);
  return {
    step: f.step, title: f.title, regions: n, vertexCount: vq.length / 2, vq, vx, ro, rc, cls, key, area, slope,
    e: ev, eu, ed, eo, b: bd, cc, co: Uint32Array.from(co), ccr, ccl, anchors: f.anchors, domain: f.domain,
  };
}

// Frames are decoded in a Web Worker made from this script's own functions (an inline blob: nothing
// is fetched), so the page stays responsive while a frame is read; without workers, on the page itself.
let decodesInWorker = false;
const decoder = (() => {
  const main = `
onmessage = async (event) => {
  const { i, text, f } = event.data;
  try {
    const d = unpack(f, await inflate(bytes(text.trim())));
    const buffers = new Set(Object.values(d).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer));
    postMessage({ i, d }, [...buffers]);
  } catch (error) { postMessage({ i, error: String(error) }); }
};`;
  try {
    const source = ['"use strict";', bytes, inflate, unpack].map(String).join("\n") + main;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    const waiting = new Map();
    worker.onmessage = (event) => {
      const { i, d, error } = event.data, w = waiting.get(i);
      waiting.delete(i);
      if (error) w.reject(new Error(error)); else w.resolve(d);
    };
    decodesInWorker = true;
    return (i) => new Promise((resolve, reject) => {
      waiting.set(i, { resolve, reject });
      worker.postMessage({ i, text: document.getElementById("frame-" + i).textContent, f: DATA.frames[i] });
    });
  } catch (error) {
    return (i) => inflate(bytes(document.getElementById("frame-" + i).textContent.trim())).then((buf) => unpack(DATA.frames[i], buf));
  }
})();

// Decoded frames (a few, most recent last) and frames being decoded.
const CACHE = 8;
const cache = new Map(), decoding = new Map();
const frame = (i) => cache.get(i);
function load(i) {
  if (cache.has(i)) { const d = cache.get(i); cache.delete(i); cache.set(i, d); return Promise.resolve(d); }
  if (decoding.has(i)) return decoding.get(i);
  const promise = decoder(i).then((d) => {
    decoding.delete(i);
    if (cache.size >= CACHE) cache.delete(cache.keys().next().value);
    cache.set(i, d);
    return d;
  }, (error) => { decoding.delete(i); throw error; });
  decoding.set(i, promise);
  return promise;
}
// Decodes ahead, one frame at a time while nothing else is being decoded: the frames next to the one
// shown, nearest first, as many as the cache keeps beside it, so stepping finds them ready.
function decodeAhead() {
  if (decoding.size) return;
  const at = state.frame, wanted = [];
  for (let k = 1; wanted.length < CACHE - 2 && k < DATA.frames.length; k++) {
    for (const j of [at + k, at - k]) if (j >= 0 && j < DATA.frames.length && wanted.length < CACHE - 2) wanted.push(j);
  }
  const next = wanted.find((j) => !cache.has(j) && present(j));
  if (next !== undefined) load(next).then(() => setTimeout(decodeAhead, 0), () => {});
}

// Region bounding boxes, a uniform grid for hit tests, and the edge of every region side.
function boxes(d) {
  if (d.box) return d.box;
  const n = d.regions, box = new Float32Array(4 * n);
  for (let r = 0; r < n; r++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let k = d.ro[r]; k < d.ro[r + 1]; k++) {
      const v = d.rc[k], x = d.vx[2 * v], y = d.vx[2 * v + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    box.set([x0, y0, x1, y1], 4 * r);
  }
  return (d.box = box);
}
function grid(d) {
  if (d.grid) return d.grid;
  const box = boxes(d), dom = DATA.bounds, side = Math.max(4, Math.ceil(Math.sqrt(d.regions) / 2));
  const cw = (dom[2] - dom[0]) / side, ch = (dom[3] - dom[1]) / side;
  const cells = Array.from({ length: side * side }, () => []);
  const cell = (x, y) => [Math.min(side - 1, Math.max(0, Math.floor((x - dom[0]) / cw))), Math.min(side - 1, Math.max(0, Math.floor((y - dom[1]) / ch)))];
  for (let r = 0; r < d.regions; r++) {
    const [a, b] = cell(box[4 * r], box[4 * r + 1]), [c, e] = cell(box[4 * r + 2], box[4 * r + 3]);
    for (let j = b; j <= e; j++) for (let i = a; i <= c; i++) cells[j * side + i].push(r);
  }
  return (d.grid = { side, cells, cell });
}
function regionAt(d, x, y) {
  const g = grid(d), [i, j] = g.cell(x, y);
  for (const r of g.cells[j * g.side + i]) {
    let inside = true;
    const a = d.ro[r], b = d.ro[r + 1];
    for (let k = a; k < b && inside; k++) {
      const p = d.rc[k], q = d.rc[k + 1 < b ? k + 1 : a];
      const px = d.vx[2 * p], py = d.vx[2 * p + 1], qx = d.vx[2 * q], qy = d.vx[2 * q + 1];
      if ((qx - px) * (y - py) - (qy - py) * (x - px) < 0) inside = false;
    }
    if (inside) return r;
  }
  return -1;
}
function edgeIndex(d) {
  if (d.edges) return d.edges;
  const map = new Map(), V = d.vertexCount + 1;
  for (let k = 0; k < d.e.length / 2; k++) {
    const a = d.e[2 * k], b = d.e[2 * k + 1];
    map.set(Math.min(a, b) * V + Math.max(a, b), k);
  }
  d.edgeV = V;
  return (d.edges = map);
}
function layerOf(d, k) { let l = 0; while (k >= d.eo[l + 1]) l++; return l; }

const state = { frame: 0, fill: DATA.fill, edges: DATA.edgeStyle, layers: [], boundary: true, anchors: true,
                cx: 0, cy: 0, scale: 1, hover: -1, playing: null };
const view = $("view"), overlay = $("overlay"), ctx = view.getContext("2d"), octx = overlay.getContext("2d");
let W = 0, H = 0, dpr = 1;

function fitView() {
  const b = DATA.bounds;
  state.cx = (b[0] + b[2]) / 2; state.cy = (b[1] + b[3]) / 2;
  state.scale = Math.min(W / (b[2] - b[0]), H / (b[3] - b[1]));
}
function resize() {
  const rect = view.parentElement.getBoundingClientRect();
  dpr = window.devicePixelRatio || 1;
  // The partition takes the window's height under the controls, the curves beside it; in a narrow
  // window (the curves stacked below) it leaves them room to fit below it.
  const beside = $("side").getBoundingClientRect().left >= rect.right - 1;
  const below = beside ? 12 : CURVES_HEIGHT + 64, top = rect.top + window.scrollY;
  W = Math.max(200, Math.floor(rect.width)); H = Math.max(260, Math.min(Math.floor(window.innerHeight - top - below), W));
  for (const c of [view, overlay]) { c.width = W * dpr; c.height = H * dpr; c.style.width = W + "px"; c.style.height = H + "px"; }
  view.parentElement.style.height = H + "px";
}
const sx = (x) => (x - state.cx) * state.scale + W / 2;
const sy = (y) => H / 2 - (y - state.cy) * state.scale;
const ux = (px) => (px - W / 2) / state.scale + state.cx;
const uy = (py) => (H / 2 - py) / state.scale + state.cy;

// Packed RGBA (little-endian ABGR) per region for one fill mode.
const abgr = (lut, i) => (255 << 24 | lut[3 * i + 2] << 16 | lut[3 * i + 1] << 8 | lut[3 * i]) >>> 0;
const classIndex = (label, key) => (label % DATA.classColors.length) * 8 + ((key >> 8) & 7);
function packedColors(d, mode) {
  const name = "colors_" + mode;
  if (d[name]) return d[name];
  const out = new Uint32Array(d.regions), slopes = DATA.slopeLUT;
  for (let r = 0; r < d.regions; r++) {
    if (mode === "slope") {
      const k = Math.round(Math.max(0, Math.min(1, d.slope[r] / DATA.slopeMax)) * 255);
      out[r] = (255 << 24 | slopes[3 * k + 2] << 16 | slopes[3 * k + 1] << 8 | slopes[3 * k]) >>> 0;
    } else out[r] = mode === "class" ? abgr(CLASS_LUT, classIndex(d.cls[r], d.key[r])) : abgr(PATTERN_LUT, d.key[r]);
  }
  return (d[name] = out);
}

// Fills a convex polygon into a pixel buffer: a pixel belongs to the polygon whose half-open span
// holds its centre. Every side is evaluated from its lower endpoint, so two regions sharing a side
// split the pixels along it exactly: the regions tile the image with no gap and no overlap.
function fillConvex(pixels, w, h, xs, ys, n, color) {
  let top = Infinity, bottom = -Infinity;
  for (let i = 0; i < n; i++) { if (ys[i] < top) top = ys[i]; if (ys[i] > bottom) bottom = ys[i]; }
  const j0 = Math.max(0, Math.ceil(top - 0.5)), j1 = Math.min(h - 1, Math.ceil(bottom - 0.5) - 1);
  for (let j = j0; j <= j1; j++) {
    const yc = j + 0.5;
    let left = Infinity, right = -Infinity;
    for (let i = 0; i < n; i++) {
      const k = i + 1 < n ? i + 1 : 0;
      let ax = xs[i], ay = ys[i], bx = xs[k], by = ys[k];
      if (ay === by) continue;
      if (ay > by || (ay === by && ax > bx)) { const tx = ax, ty = ay; ax = bx; ay = by; bx = tx; by = ty; }
      if (yc < ay || yc >= by) continue;
      const x = ax + (yc - ay) * (bx - ax) / (by - ay);
      if (x < left) left = x; if (x > right) right = x;
    }
    if (!(right > left)) continue;
    const i0 = Math.max(0, Math.ceil(left - 0.5)), i1 = Math.min(w - 1, Math.ceil(right - 0.5) - 1);
    if (i1 >= i0) pixels.fill(color, j * w + i0, j * w + i1 + 1);
  }
}

function draw() {
  if (!current) return;
  const d = current, box = boxes(d);
  const x0 = ux(0), x1 = ux(W), y0 = uy(H), y1 = uy(0);
  // Fills are rasterised directly into pixels (one pass, no path per region), then the lines on top.
  const w = view.width, h = view.height, image = ctx.createImageData(w, h), pixels = new Uint32Array(image.data.buffer);
  pixels.fill(0xffffffff);
  const colors = packedColors(d, state.fill), cut = state.fill === "class" ? new Set(d.ccr) : null;
  let xs = new Float64Array(256), ys = new Float64Array(256);
  for (let r = 0; r < d.regions; r++) {
    if (box[4 * r] > x1 || box[4 * r + 2] < x0 || box[4 * r + 1] > y1 || box[4 * r + 3] < y0) continue;
    if (cut && cut.has(r)) continue;
    const a = d.ro[r], n = d.ro[r + 1] - a;
    if (n > xs.length) { xs = new Float64Array(2 * n); ys = new Float64Array(2 * n); }
    for (let k = 0; k < n; k++) { const v = d.rc[a + k]; xs[k] = sx(d.vx[2 * v]) * dpr; ys[k] = sy(d.vx[2 * v + 1]) * dpr; }
    fillConvex(pixels, w, h, xs, ys, n, colors[r]);
  }
  if (cut) {
    for (let c = 0; c + 1 < d.co.length; c++) {
      const a = d.co[c], n = d.co[c + 1] - a;
      if (n > xs.length) { xs = new Float64Array(2 * n); ys = new Float64Array(2 * n); }
      for (let k = 0; k < n; k++) { xs[k] = sx(d.cc[2 * (a + k)]) * dpr; ys[k] = sy(d.cc[2 * (a + k) + 1]) * dpr; }
      fillConvex(pixels, w, h, xs, ys, n, abgr(CLASS_LUT, classIndex(d.ccl[c], d.key[d.ccr[c]])));
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineJoin = "round";
  const screen = new Float32Array(d.vx.length);
  for (let i = 0; i < d.vx.length; i += 2) { screen[i] = sx(d.vx[i]); screen[i + 1] = sy(d.vx[i + 1]); }
  // Neuron edges, one path per layer; the domain boundary (layer 0) always.
  const density = Math.sqrt(d.regions / 2000);
  for (let l = d.eo.length - 2; l >= 0; l--) {
    if (l > 0 && !state.layers[l - 1]) continue;
    ctx.beginPath();
    for (let k = d.eo[l]; k < d.eo[l + 1]; k++) {
      const p = d.e[2 * k], q = d.e[2 * k + 1];
      ctx.moveTo(screen[2 * p], screen[2 * p + 1]); ctx.lineTo(screen[2 * q], screen[2 * q + 1]);
    }
    if (l === 0) { ctx.strokeStyle = "#222"; ctx.lineWidth = 1.2; }
    else if (state.edges === "layer") { ctx.strokeStyle = DATA.layerColors[l - 1]; ctx.lineWidth = Math.max(0.5, 1.1 / Math.max(1, density)); }
    else { ctx.strokeStyle = "rgba(34,34,34,0.55)"; ctx.lineWidth = Math.max(0.35, 0.8 / Math.max(1, density)); }
    ctx.stroke();
  }
  if (state.boundary && d.b.length) {
    ctx.beginPath();
    for (let k = 0; k < d.b.length; k += 4) { ctx.moveTo(sx(d.b[k]), sy(d.b[k + 1])); ctx.lineTo(sx(d.b[k + 2]), sy(d.b[k + 3])); }
    ctx.strokeStyle = DATA.boundaryColor; ctx.lineWidth = 2.2; ctx.lineCap = "round"; ctx.stroke(); ctx.lineCap = "butt";
  }
  if (state.anchors) {
    ctx.font = "13px sans-serif";
    d.anchors.forEach(([x, y], i) => {
      const X = sx(x), Y = sy(y);
      ctx.beginPath(); ctx.arc(X, Y, 5, 0, 2 * Math.PI);
      ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#222"; ctx.stroke();
      const label = DATA.anchorLabels[i] || `x${i + 1}`;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.85)"; ctx.strokeText(label, X + 8, Y - 8);
      ctx.fillStyle = "#222"; ctx.fillText(label, X + 8, Y - 8);
    });
  }
  drawOverlay();
}

let pending = 0;
function redraw() { if (!pending) pending = requestAnimationFrame(() => { pending = 0; draw(); }); }

function drawOverlay() {
  octx.setTransform(dpr, 0, 0, dpr, 0, 0);
  octx.clearRect(0, 0, W, H);
  if (state.hover < 0 || !current) return;
  const d = current, a = d.ro[state.hover], b = d.ro[state.hover + 1];
  octx.beginPath();
  for (let k = a; k < b; k++) { const v = d.rc[k]; k === a ? octx.moveTo(sx(d.vx[2 * v]), sy(d.vx[2 * v + 1])) : octx.lineTo(sx(d.vx[2 * v]), sy(d.vx[2 * v + 1])); }
  octx.closePath();
  octx.fillStyle = "rgba(20,20,20,0.28)"; octx.fill();
  octx.lineJoin = "round"; octx.lineWidth = 5; octx.strokeStyle = "rgba(255,255,255,0.9)"; octx.stroke();
  octx.lineWidth = 2.2; octx.strokeStyle = "#000"; octx.stroke();
}

// The card goes beside the cursor on the first side where it stays on the canvas and covers no
// anchor (nor its label); failing that, where it covers the fewest.
function placeCard(tip, px, py) {
  const w = tip.offsetWidth, h = tip.offsetHeight, gap = 18;
  ctx.font = "13px sans-serif";
  const marks = state.anchors && current ? current.anchors.map(([x, y], i) => [sx(x), sy(y), ctx.measureText(DATA.anchorLabels[i] || `x${i + 1}`).width]) : [];
  // An anchor's dot and its label (to the upper right of the dot).
  const covers = (left, top) => marks.filter(([X, Y, L]) => X + 12 + L > left && X - 8 < left + w && Y + 8 > top && Y - 24 < top + h).length;
  const sides = [[px + gap, py + gap], [px - gap - w, py + gap], [px + gap, py - gap - h], [px - gap - w, py - gap - h]]
    .map(([l, t]) => [Math.max(4, Math.min(l, W - w - 4)), Math.max(4, Math.min(t, H - h - 4))])
    .filter(([l, t]) => !(px >= l && px <= l + w && py >= t && py <= t + h));
  const best = sides.reduce((a, b) => (covers(b[0], b[1]) < covers(a[0], a[1]) ? b : a), sides[0] || [4, 4]);
  tip.style.left = best[0] + "px"; tip.style.top = best[1] + "px";
}

function className(k) { return DATA.classNames && k < DATA.classNames.length ? `${DATA.classNames[k]} (${k})` : `class ${k}`; }

function describe(d, r) {
  const map = edgeIndex(d), a = d.ro[r], b = d.ro[r + 1], sides = [];
  let domainSides = 0;
  for (let k = a; k < b; k++) {
    const p = d.rc[k], q = d.rc[k + 1 < b ? k + 1 : a];
    const e = map.get(Math.min(p, q) * d.edgeV + Math.max(p, q));
    if (e === undefined) continue;
    const l = layerOf(d, e);
    if (l === 0) { domainSides++; continue; }
    const extra = d.ed[e] > 1 ? ` (+${d.ed[e] - 1} more)` : "";
    sides.push(`L${l}·u${d.eu[e]}${extra}`);
  }
  const neighbours = sides.length;
  return `<b>region ${fmtInt(r)}</b><br>class: <span id="tip-class">${className(d.cls[r])}</span><br>` +
    `area: <span id="tip-area">${fmtNum(d.area[r])}</span> (squared input-space units)<br>vertices: <span id="tip-vertices">${b - a}</span><br>` +
    `slope: ${fmtNum(d.slope[r])} (how fast the winning logit changes in the plane, per input-space unit)<br>` +
    `${neighbours} neighbour${neighbours === 1 ? "" : "s"}, each across one unit flipped:<br><span id="tip-neighbours">${sides.join(", ") || "none"}</span>` +
    (domainSides ? `<br>${domainSides} side${domainSides === 1 ? "" : "s"} on the domain boundary` : "");
}

// Frames after the first are still being read while the page is already in use: a frame is there
// once the element after it is (or the page is read), not while its text is still arriving.
const present = (i) => {
  if (document.readyState !== "loading") return true;
  const element = document.getElementById("frame-" + i);
  return !!(element && element.nextElementSibling);
};
let current = null, request = 0;
function setFrame(i) {
  state.frame = Math.max(0, Math.min(DATA.frames.length - 1, i | 0));
  state.hover = -1; $("tip").style.display = "none";
  $("slider").value = state.frame;
  $("title").textContent = DATA.frames[state.frame].title;
  $("frame-label").textContent = `frame ${state.frame + 1} / ${DATA.frames.length}`;
  drawCurves();
  const ticket = ++request;
  if (!present(state.frame)) {
    $("frame-label").textContent += " (loading…)";
    return new Promise((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(ticket === request && setFrame(state.frame)), { once: true }));
  }
  return load(state.frame).then((d) => {
    if (ticket !== request) return;
    current = d;
    draw();
    decodeAhead();
  });
}

// Interaction: hover, wheel zoom about the cursor, drag to pan, double-click to reset.
let drag = null;
overlay.addEventListener("mousemove", (ev) => {
  const rect = overlay.getBoundingClientRect(), px = ev.clientX - rect.left, py = ev.clientY - rect.top;
  if (drag) {
    state.cx = drag.cx - (px - drag.x) / state.scale; state.cy = drag.cy + (py - drag.y) / state.scale;
    redraw(); return;
  }
  if (!current) return;
  const d = current, r = regionAt(d, ux(px), uy(py)), tip = $("tip");
  if (r !== state.hover) { state.hover = r; drawOverlay(); if (r >= 0) tip.innerHTML = describe(d, r); }
  if (r < 0) { tip.style.display = "none"; return; }
  tip.style.display = "block";
  placeCard(tip, px, py);
});
overlay.addEventListener("mouseleave", () => { state.hover = -1; drawOverlay(); $("tip").style.display = "none"; drag = null; });
overlay.addEventListener("mousedown", (ev) => {
  const rect = overlay.getBoundingClientRect();
  drag = { x: ev.clientX - rect.left, y: ev.clientY - rect.top, cx: state.cx, cy: state.cy };
  $("tip").style.display = "none";
});
window.addEventListener("mouseup", () => { drag = null; });
overlay.addEventListener("wheel", (ev) => {
  ev.preventDefault();
  const rect = overlay.getBoundingClientRect(), px = ev.clientX - rect.left, py = ev.clientY - rect.top;
  const x = ux(px), y = uy(py), factor = Math.exp(-ev.deltaY * 0.0015);
  state.scale *= factor;
  state.cx = x - (px - W / 2) / state.scale; state.cy = y + (py - H / 2) / state.scale;
  redraw();
}, { passive: false });
overlay.addEventListener("dblclick", () => { fitView(); redraw(); });
$("reset").addEventListener("click", () => { fitView(); redraw(); });

$("slider").addEventListener("input", (ev) => setFrame(+ev.target.value));
function updateLegend() {
  const legend = $("legend");
  if (state.fill === "class") {
    legend.innerHTML = DATA.classColors.map((c, k) => `<span><span class="box" style="background:${c}"></span>${className(k)}</span>`).join(" ");
  } else if (state.fill === "slope") {
    const stops = [0, 64, 128, 192, 255].map((k) => `rgb(${DATA.slopeLUT[3 * k]},${DATA.slopeLUT[3 * k + 1]},${DATA.slopeLUT[3 * k + 2]})`);
    legend.innerHTML = `slope of the winning logit: 0 <span class="bar" style="background:linear-gradient(to right,${stops.join(",")})"></span> ${fmtNum(DATA.slopeMax)}`;
  } else {
    legend.textContent = "fill: a colour per activation pattern (the same as in the PNG frames)";
  }
}
$("fill").addEventListener("change", (ev) => { state.fill = ev.target.value; updateLegend(); draw(); });
$("edge-style").addEventListener("change", (ev) => { state.edges = ev.target.value; draw(); });
$("show-boundary").addEventListener("change", (ev) => { state.boundary = ev.target.checked; draw(); });
$("show-anchors").addEventListener("change", (ev) => { state.anchors = ev.target.checked; draw(); });
$("play").addEventListener("click", () => {
  if (state.playing) { clearInterval(state.playing); state.playing = null; $("play").textContent = "▶ play"; return; }
  if (state.frame === DATA.frames.length - 1) setFrame(0);
  $("play").textContent = "❚❚ pause";
  state.playing = setInterval(() => {
    if (state.frame >= DATA.frames.length - 1) { $("play").click(); return; }
    setFrame(state.frame + 1);
  }, 1000 / DATA.fps);
});
document.addEventListener("keydown", (ev) => {
  if (ev.target.tagName === "SELECT" || ev.target.tagName === "INPUT") return;
  if (ev.key === "ArrowRight") setFrame(state.frame + 1);
  if (ev.key === "ArrowLeft") setFrame(state.frame - 1);
});

function buildLayerToggles() {
  const box = $("layers");
  DATA.layerColors.forEach((color, i) => {
    state.layers[i] = true;
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" id="layer-${i + 1}" checked> <span class="swatch" style="background:${color}"></span>layer ${i + 1}`;
    label.querySelector("input").addEventListener("change", (ev) => { state.layers[i] = ev.target.checked; draw(); });
    box.appendChild(label);
  });
}

// Curves: LC and accuracy against step + 1 on a log axis (so step 0 sits at 1, as in every tessera plot);
// the current frame marked; a click jumps to the nearest frame.
const CURVES_HEIGHT = 290;
const curves = $("curves"), cctx = curves.getContext("2d");
const plot = { left: 64, right: 64, top: 26, bottom: 40 };
let curveX = null;
function curveGeometry() {
  const steps = [];
  DATA.curves.forEach((c) => c.x.forEach((x) => { if (x >= 0) steps.push(x + 1); }));
  DATA.frames.forEach((f) => steps.push(f.step + 1));
  const lo = Math.log10(Math.min(...steps, 1)), hi = Math.log10(Math.max(...steps, 10));
  let leftMax = 0;
  DATA.curves.forEach((c) => { if (c.axis === "left") c.y.forEach((y, i) => { const top = y + (c.band ? c.band[i] : 0); if (isFinite(top) && top > leftMax) leftMax = top; }); });
  return { lo, hi: hi > lo ? hi : lo + 1, leftMax: leftMax > 0 ? leftMax * 1.08 : 1 };
}
function drawCurves() {
  const rect = curves.parentElement.getBoundingClientRect(), w = Math.floor(rect.width) - 2, h = CURVES_HEIGHT;
  curves.width = w * dpr; curves.height = h * dpr; curves.style.width = w + "px"; curves.style.height = h + "px";
  const c = cctx; c.setTransform(dpr, 0, 0, dpr, 0, 0); c.clearRect(0, 0, w, h);
  if (!DATA.curves.length) { c.fillStyle = "#666"; c.font = "13px sans-serif"; c.fillText("no LC or accuracy curves for this run", 12, 24); return; }
  // The legend above the plot, in as many rows as the panel's width needs: each name after a sample
  // of its line (dashed for accuracy), then what the bands are.
  c.font = "11px sans-serif";
  const named = DATA.curves.filter((s) => s.x.some((x, i) => x >= 0 && isFinite(s.y[i])));
  const items = named.map((s) => ({ s, w: 34 + c.measureText(s.name).width }));
  if (DATA.curves.some((s) => s.band)) items.push({ note: DATA.bandNote, w: c.measureText(DATA.bandNote).width + 6 });
  let lx = 10, row = 0;
  items.forEach((item) => { if (lx > 10 && lx + item.w > w - 10) { lx = 10; row++; } item.x = lx; item.row = row; lx += item.w + 6; });
  plot.top = 14 + 16 * (row + 1);
  items.forEach((item) => {
    const y = 12 + 16 * item.row;
    if (item.note !== undefined) { c.fillStyle = "#666"; c.textAlign = "left"; c.fillText(item.note, item.x, y + 4); return; }
    c.beginPath(); c.moveTo(item.x, y); c.lineTo(item.x + 22, y); c.setLineDash(item.s.dashed ? [5, 4] : []);
    c.strokeStyle = item.s.color; c.lineWidth = 2; c.stroke(); c.setLineDash([]);
    c.fillStyle = "#333"; c.textAlign = "left"; c.fillText(item.s.name, item.x + 27, y + 4);
  });
  const g = curveGeometry(), pw = w - plot.left - plot.right, ph = h - plot.top - plot.bottom;
  const X = (s) => plot.left + (Math.log10(Math.max(s + 1, 1e-12)) - g.lo) / (g.hi - g.lo) * pw;
  curveX = X;
  const YL = (v) => plot.top + ph - v / g.leftMax * ph, YR = (v) => plot.top + ph - v * ph;
  c.strokeStyle = "#bbb"; c.lineWidth = 1; c.strokeRect(plot.left, plot.top, pw, ph);
  c.fillStyle = "#444"; c.font = "11px sans-serif"; c.textAlign = "center";
  for (let p = Math.ceil(g.lo); p <= Math.floor(g.hi); p++) { const x = X(10 ** p - 1); c.fillText(p === 0 ? "1" : `10${"⁰¹²³⁴⁵⁶⁷⁸⁹"[p] || "^" + p}`, x, plot.top + ph + 14); c.fillRect(x, plot.top + ph, 1, 4); }
  c.fillText("training step + 1 (log scale)", plot.left + pw / 2, h - 6);
  c.textAlign = "right";
  const raw = g.leftMax / 4, unit = 10 ** Math.floor(Math.log10(raw)), tick = [1, 2, 5, 10].map((m) => m * unit).find((t) => t >= raw);
  for (let v = 0; v <= g.leftMax; v += tick) c.fillText(String(+v.toPrecision(6)), plot.left - 6, YL(v) + 4);
  c.textAlign = "left";
  for (let k = 0; k <= 4; k++) c.fillText(`${25 * k}%`, plot.left + pw + 6, YR(k / 4) + 4);
  c.save(); c.translate(14, plot.top + ph / 2); c.rotate(-Math.PI / 2); c.textAlign = "center"; c.fillText(DATA.leftLabel, 0, 0); c.restore();
  c.save(); c.translate(w - 8, plot.top + ph / 2); c.rotate(-Math.PI / 2); c.textAlign = "center"; c.fillText("accuracy (dashed)", 0, 0); c.restore();
  DATA.curves.forEach((s) => {
    const Y = s.axis === "left" ? YL : YR, pts = s.x.map((x, i) => [x, s.y[i], s.band ? s.band[i] : 0]).filter((p) => p[0] >= 0 && isFinite(p[1]));
    if (!pts.length) return;
    if (s.band) {
      c.beginPath(); pts.forEach((p, i) => (i ? c.lineTo(X(p[0]), Y(p[1] + p[2])) : c.moveTo(X(p[0]), Y(p[1] + p[2]))));
      for (let i = pts.length - 1; i >= 0; i--) c.lineTo(X(pts[i][0]), Y(pts[i][1] - pts[i][2]));
      c.closePath(); c.globalAlpha = 0.18; c.fillStyle = s.color; c.fill(); c.globalAlpha = 1;
    }
    c.beginPath(); pts.forEach((p, i) => (i ? c.lineTo(X(p[0]), Y(p[1])) : c.moveTo(X(p[0]), Y(p[1]))));
    c.setLineDash(s.dashed ? [5, 4] : []); c.strokeStyle = s.color; c.lineWidth = 1.8; c.stroke(); c.setLineDash([]);
  });
  // Rendered frames as ticks, the current one as a line.
  c.fillStyle = "rgba(0,0,0,0.35)";
  DATA.frames.forEach((f) => c.fillRect(X(f.step) - 0.5, plot.top + ph - 6, 1, 6));
  const step = DATA.frames[state.frame].step;
  c.fillStyle = "#d7191c"; c.fillRect(X(step) - 1, plot.top, 2, ph);
  curves.onclick = (ev) => {
    const r = curves.getBoundingClientRect(), x = ev.clientX - r.left;
    if (x < plot.left || x > plot.left + pw) return;
    const target = g.lo + (x - plot.left) / pw * (g.hi - g.lo);
    let best = 0, bestDistance = Infinity;
    DATA.frames.forEach((f, i) => { const dd = Math.abs(Math.log10(f.step + 1) - target); if (dd < bestDistance) { bestDistance = dd; best = i; } });
    setFrame(best);
  };
}

// Hooks for scripted checks (browser tests): frame control, plane-to-page coordinates, readiness,
// and each frame's decoded geometry (counts, and an FNV-1a hash of every region's corner count and
// grid points, in order).
function fnv(hash, value) {
  for (let k = 0; k < 4; k++) { hash = Math.imul(hash ^ ((value >>> (8 * k)) & 255), 16777619) >>> 0; }
  return hash;
}
window.tesseraViewer = {
  frames: DATA.frames.length,
  get frame() { return state.frame; },
  get decodesInWorker() { return decodesInWorker; },
  setFrame,
  clientPoint(x, y) { const r = overlay.getBoundingClientRect(); return { x: r.left + sx(x), y: r.top + sy(y) }; },
  regionAt(x, y) { return regionAt(current, x, y); },
  curvePoint(step) { const r = curves.getBoundingClientRect(); return curveX ? { x: r.left + curveX(step), y: r.top + 100 } : null; },
  async geometry(i) {
    const d = await load(i);
    let hash = 2166136261, classes = 2166136261;
    for (let r = 0; r < d.regions; r++) {
      hash = fnv(hash, d.ro[r + 1] - d.ro[r]);
      for (let k = d.ro[r]; k < d.ro[r + 1]; k++) { const v = d.rc[k]; hash = fnv(fnv(hash, d.vq[2 * v]), d.vq[2 * v + 1]); }
      classes = fnv(classes, d.cls[r]);
    }
    return { regions: d.regions, vertices: DATA.frames[i].counts.vertices, edges: d.e.length / 2, boundary: d.b.length / 4,
             hash, classes, grid: DATA.frames[i].grid };
  },
  async decodeAll() {
    const start = performance.now();
    for (let i = 0; i < DATA.frames.length; i++) await load(i);
    return performance.now() - start;
  },
  ready: false,
};

resize(); fitView(); buildLayerToggles(); updateLegend();
$("slider").max = DATA.frames.length - 1;
$("fill").value = state.fill; $("edge-style").value = state.edges;
setFrame(DATA.frames.length - 1).then(() => {
  window.tesseraViewer.usableMs = performance.now();
  window.tesseraViewer.ready = true;
  // The hover index, once the first frame is on the screen.
  setTimeout(() => { if (current) grid(current); }, 0);
});
document.addEventListener("DOMContentLoaded", () => { window.tesseraViewer.allFrames = true; });
window.addEventListener("resize", () => { resize(); fitView(); draw(); drawCurves(); });
"""#
}
