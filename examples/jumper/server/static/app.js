// TSP Jumper: the page's logic. Plain JavaScript, no framework, no network
// access but this server's /api.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const EARTH_RADIUS_KM = 6372.8; // the same sphere as the Go library
const MAX_NAME_BYTES = 200;     // the library's tsp.MaxNameBytes
const DEFAULT_MAX_CITIES = 2000; // the server's -max-cities default
const DEADLINE_SIZES = [9, 10, 11]; // the seed's deadline table: Exhaustive on the first n demo cities
// Big lists (issue 21): the city list shows its first LIST_SHOW cities when
// it holds more than LIST_MAX, the pickers of start and end the first
// PICK_MAX ticked cities, a result's list its first LIST_SHOW stops; a route
// of more than CANVAS_MIN cities is drawn on a canvas (straight legs, no
// dots), not as SVG elements.
const LIST_MAX = 2000, LIST_SHOW = 300, PICK_MAX = 1000, CANVAS_MIN = 2000;

const state = {
  cities: [],        // {name, lat, lon, ticked, custom}
  demo: [],          // the demo cities as the server sent them
  demoTicked: 11,
  startKey: null,    // the start city, as the object itself
  endMode: "start",  // where the route ends: "start" (round trip), "city" (endKey) or "any"
  endKey: null,      // the city to end at, as the object itself
  costs: null,       // the cost matrix being edited, parsed: {names, matrix}, or null
  info: null,        // GET /api/backends
  land: [],          // land rings from land.json: {pts: [lon, lat, ...], x0, x1, y0, y1}, longitudes unwrapped
  seq: 0,            // results numbered in run order
  chosen: null,      // the card whose route is on the map
  series: null,      // the comparison running: {abort: AbortController}
  single: Promise.resolve(), // the single runs, chained one after the other
  singles: 0,        // single runs waiting or in flight
  compare: null,     // the last comparison: {cities, start, k, cells: Map}
  deadline: null,    // the last deadline table: {k, cells: Map}
};

const $ = (sel) => document.querySelector(sel);

// el builds an element: el("div", {class: "x", onclick: fn}, child, "text", ...).
function el(tag, attrs, ...children) {
  const svg = tag.startsWith("svg:");
  const node = svg ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const km = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const int = new Intl.NumberFormat("en-US");

function fmtMs(v) {
  if (v >= 1000) return (v / 1000).toFixed(2) + " s";
  if (v >= 100) return v.toFixed(0) + " ms";
  if (v >= 10) return v.toFixed(1) + " ms";
  if (v >= 1) return v.toFixed(2) + " ms";
  return v.toFixed(3) + " ms";
}

function fmtDeadline(ms) {
  return ms >= 1000 ? (ms / 1000).toLocaleString("en-US") + " s" : ms + " ms";
}

function haversine(a, b) {
  const rad = Math.PI / 180;
  const dp = (b.lat - a.lat) * rad, dl = (b.lon - a.lon) * rad;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, h)));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function maxCities() {
  if (!state.info) return DEFAULT_MAX_CITIES;
  return Math.max(...state.info.algorithms.map((a) => Math.max(a.max_cities, a.max_points_cities || 0)));
}

// isRoundTrip: end (routeEnd's) brings the route back to the start.
function isRoundTrip(end) { return end === undefined || end === "start"; }

// cityLimit is the most cities backend name takes with algorithm a (an
// entry of /api/backends' algorithms) for a route with this end: round
// trips with nearest, 2opt, iterated or auto are solved from the
// coordinates, without a distance matrix, on a backend that can
// (max_points_cities, 20,000 by default); everything else needs the
// matrix (max_cities, 2,000).
function cityLimit(a, name, end) {
  const b = state.info.backends.find((x) => x.name === name);
  return b && b.points && isRoundTrip(end) && a.max_points_cities ? Math.max(a.max_cities, a.max_points_cities) : a.max_cities;
}

// currentEnd is routeEnd for the ticked cities.
function currentEnd() {
  const t = ticked();
  return routeEnd(t, Math.max(0, t.indexOf(state.startKey)));
}

// ---------------------------------------------------------------- API

class APIError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter || 0; // seconds, from a 503's Retry-After
  }
}

// api GETs path, or POSTs body as JSON (with Content-Type application/json,
// which the server requires).
async function api(path, body, signal) {
  const init = body === undefined ? { signal } : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  };
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new APIError(0, "Could not reach the server (" + e.message + "). Is it still running?");
  }
  const text = await resp.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { /* not JSON */ }
  if (!resp.ok) {
    let msg = data && data.error ? data.error : (text.trim() || resp.statusText || "no message");
    const retry = resp.headers.get("Retry-After");
    if (resp.status === 503 && retry) msg += " (retry after " + retry + " s)";
    throw new APIError(resp.status, msg, resp.status === 503 ? Number(retry) || 1 : 0);
  }
  if (data === null) throw new APIError(resp.status, "The server answered something that is not JSON.");
  return data;
}

// streamSolve POSTs body to /api/solve?stream=1 and reads the answer as it
// arrives (issue 20): one JSON object a line, {"progress": …} each time the
// search improves its route or its bound, then {"result": …} or {"error":
// …, "status": …}. onProgress gets each progress; the result is returned.
// Aborting signal closes the connection, which stops the search on the
// server. Errors before the solve starts are plain answers, as in api.
async function streamSolve(body, signal, onProgress) {
  let resp;
  try {
    resp = await fetch("/api/solve?stream=1", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new APIError(0, "Could not reach the server (" + e.message + "). Is it still running?");
  }
  const type = resp.headers.get("Content-Type") || "";
  if (!resp.ok || !type.startsWith("application/x-ndjson") || !resp.body) {
    const text = await resp.text();
    let data = null;
    try { data = JSON.parse(text); } catch (_) { /* not JSON */ }
    let msg = data && data.error ? data.error : (text.trim() || resp.statusText || "no message");
    const retry = resp.headers.get("Retry-After");
    if (resp.status === 503 && retry) msg += " (retry after " + retry + " s)";
    throw new APIError(resp.status, msg, resp.status === 503 ? Number(retry) || 1 : 0);
  }
  const reader = resp.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += dec.decode(value, { stream: true });
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let m;
      try { m = JSON.parse(line); } catch (_) { throw new APIError(resp.status, "The server streamed something that is not JSON."); }
      if (m.progress) onProgress(m.progress);
      else if (m.result) return m.result;
      else if (m.error) throw new APIError(m.status || 500, m.error);
    }
    if (done) throw new APIError(resp.status, "The stream ended without a result.");
  }
}

// showProgress draws a streamed progress into a pending card: the route so
// far on the map, its length, the proven bound and the gap between them.
function showProgress(card, cities, p, path) {
  let live = card.querySelector(".live");
  if (!live) {
    live = el("div", { class: "live" },
      el("p", { class: "live-text", "aria-live": "polite" }),
      el("div", { class: "live-map" }));
    card.querySelector(".pending-body").after(live);
  }
  let t = "Best so far " + km.format(p.length) + " km";
  if (p.lower_bound > 0) t += " · bound " + km.format(p.lower_bound) + " km · gap " + (100 * p.gap).toFixed(2) + "%";
  t += " · " + fmtMs(p.elapsed_ms);
  live.querySelector(".live-text").textContent = t;
  const slot = live.querySelector(".live-map");
  const draw = p.order.length > CANVAS_MIN ? drawRouteCanvas : drawRoute;
  slot.replaceChildren(draw(p.order.map((i) => cities[i]), card.clientWidth - 24, path));
}

// solveBody is the request for cities; end is "start", "any" or the index
// of a city (routeEnd), "start" if left out.
function solveBody(cities, start, backend, algorithm, end) {
  return { cities: cities.map((c) => ({ name: c.name, lat: c.lat, lon: c.lon })), backend, algorithm, start, end: end === undefined ? "start" : end };
}

// routeEnd is the end the person chose for these cities: "start", "any" or
// the index of the end city (never the start).
function routeEnd(cities, start) {
  if (state.endMode === "any") return "any";
  if (state.endMode !== "city" || cities.length < 2) return "start";
  const i = cities.indexOf(state.endKey);
  return i >= 0 && i !== start ? i : "start";
}

// endWords says where a route ends, for the result's summary.
function endWords(r, names) {
  if (!r.path) return "back to start";
  return "ends at " + names[names.length - 1];
}

// ---------------------------------------------------------------- cities

function ticked() { return state.cities.filter((c) => c.ticked); }

function renderCities() {
  const list = $("#city-list");
  const big = state.cities.length > LIST_MAX;
  const shown = big ? state.cities.slice(0, LIST_SHOW) : state.cities;
  const items = shown.map((c, i) => {
    const box = el("input", { type: "checkbox", "data-index": i, "data-name": c.name, "data-lat": c.lat, "data-lon": c.lon });
    box.checked = c.ticked;
    box.addEventListener("change", () => { c.ticked = box.checked; update(); });
    return el("li", {},
      el("label", { title: c.name },
        box,
        el("span", { class: "name", text: c.name }),
        c.custom ? el("span", { class: "tag " + c.custom, title: c.custom }, el("span", { class: "sr", text: c.custom })) : null,
        el("span", { class: "coords", text: c.lat.toFixed(2) + ", " + c.lon.toFixed(2) })),
      c.custom ? el("button", {
        type: "button", class: "remove", title: "Remove " + c.name, "aria-label": "Remove " + c.name,
        onclick: () => { state.cities.splice(i, 1); renderCities(); update(); },
      }, "×") : null);
  });
  if (items.length === 0) items.push(el("li", { class: "muted", text: "No cities." }));
  if (big) {
    items.push(el("li", { class: "muted more", "data-more": state.cities.length - LIST_SHOW,
      text: "… and " + int.format(state.cities.length - LIST_SHOW) + " more cities, not listed (Select all, None and Demo 11 tick them too; the route is drawn once solved)." }));
  }
  list.replaceChildren(...items);
}

function setTicked(pred) {
  state.cities.forEach((c, i) => { c.ticked = pred(c, i); });
  renderCities();
  update();
}

function renderStart() {
  const sel = $("#start");
  const t = ticked();
  if (!t.includes(state.startKey)) state.startKey = t[0] || null;
  sel.replaceChildren(...t.slice(0, PICK_MAX).map((c, i) => {
    const o = el("option", { value: i, text: c.name });
    o.selected = c === state.startKey;
    return o;
  }));
  sel.disabled = t.length === 0;
  if (t.length === 0) sel.append(el("option", { text: "tick a city first" }));
}

function update() {
  const n = ticked().length;
  $("#count").textContent = int.format(n) + " of " + int.format(state.cities.length) + " selected";
  renderStart();
  renderEnd();
  updateButtons();
}

// renderEnd fills the picker of the end city: the ticked cities but the
// start. A route that must end at a city needs two ticked cities.
function renderEnd() {
  const sel = $("#end-city");
  const t = ticked().filter((c) => c !== state.startKey);
  if (!t.includes(state.endKey)) state.endKey = t[0] || null;
  sel.replaceChildren(...t.slice(0, PICK_MAX).map((c, i) => {
    const o = el("option", { value: i, text: c.name });
    o.selected = c === state.endKey;
    return o;
  }));
  if (t.length === 0) sel.append(el("option", { text: "tick two cities first" }));
  sel.disabled = t.length === 0;
  $("#end-city-on").disabled = t.length === 0;
  if (t.length === 0 && state.endMode === "city") setEndMode("start");
  document.querySelectorAll('#end-field input[name="end"]').forEach((r) => { r.checked = r.value === state.endMode; });
}

function setEndMode(mode) {
  state.endMode = mode;
  document.querySelectorAll('#end-field input[name="end"]').forEach((r) => { r.checked = r.value === mode; });
}

function nameError(name) {
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return "names are at most " + MAX_NAME_BYTES + " bytes long";
  return "";
}

function addCity(ev) {
  ev.preventDefault();
  const err = $("#add-error");
  const name = $("#new-name").value.trim();
  const latS = $("#new-lat").value.trim(), lonS = $("#new-lon").value.trim();
  const lat = Number(latS), lon = Number(lonS);
  let msg = "";
  if (!name) msg = "Give the city a name.";
  else if (nameError(name)) msg = "The name is too long: " + nameError(name) + ".";
  else if (state.cities.some((c) => c.name.toLowerCase() === name.toLowerCase())) msg = "There is already a city called \u201c" + name + "\u201d.";
  else if (latS === "" || !Number.isFinite(lat) || lat < -90 || lat > 90) msg = "Latitude must be a number from -90 to 90.";
  else if (lonS === "" || !Number.isFinite(lon) || lon < -180 || lon > 180) msg = "Longitude must be a number from -180 to 180.";
  if (msg) {
    err.textContent = msg;
    err.hidden = false;
    return;
  }
  err.hidden = true;
  state.cities.push({ name, lat, lon, ticked: true, custom: "added" });
  ev.target.reset();
  renderCities();
  update();
  $("#city-list").lastElementChild.scrollIntoView({ block: "nearest" });
}

// ---------------------------------------------------------------- import

class ImportError extends Error {}

// parseCities reads a city list in the page's formats. It follows the
// library's city reader (tsp.ReadCities) where that reader has a rule, and
// adds TSPLIB:
//
//   CSV    one city a row, commas (or semicolons or tabs, told by the first
//          row), RFC 4180 quotes; blank lines and lines starting with # are
//          skipped; a first row with no number and a known column name is a
//          header naming the columns name (city), lat (latitude), lon (lng,
//          long, longitude) in any order; without one: name, lat, lon.
//   JSON   [{"name": …, "lat": …, "lon": …}, …], or an object with such a
//          list under "cities" or "tour" (a result exported by this page).
//   TSPLIB NODE_COORD_SECTION; GEO coordinates (DDD.MM) are converted as
//          TSPLIB converts them; other types are read as decimal latitude,
//          longitude if every X is within ±90 and every Y within ±180.
//
// It returns {cities, format, note} or throws an ImportError that says where.
function parseCities(text, format) {
  text = text.replace(/^\uFEFF/, "");
  const head = text.trimStart();
  if (head === "") throw new ImportError("Nothing to import: paste cities or choose a file.");
  if (!format || format === "auto") {
    if (head[0] === "[" || head[0] === "{") format = "json";
    else if (/^\s*NODE_COORD_SECTION\s*$/im.test(text) || /^\s*(NAME|TYPE|DIMENSION|EDGE_WEIGHT_TYPE)\s*:/im.test(head.slice(0, 2000))) format = "tsplib";
    else format = "csv";
  }
  let out;
  if (format === "json") out = parseJSON(text);
  else if (format === "tsplib") out = parseTSPLIB(text);
  else out = parseCSV(text);
  if (out.cities.length === 0) throw new ImportError("No cities found in the " + out.format + " input.");
  const max = maxCities();
  if (out.cities.length > max) {
    throw new ImportError("More than " + int.format(max) + " cities: the page solves at most " + int.format(max) + " at once. Split the list.");
  }
  return out;
}

function checkCity(c, where) {
  if (typeof c.lat !== "number" || !Number.isFinite(c.lat) || c.lat < -90 || c.lat > 90) {
    throw new ImportError(where + ": latitude " + String(c.lat).slice(0, 40) + " is not a number from -90 to 90.");
  }
  if (typeof c.lon !== "number" || !Number.isFinite(c.lon) || c.lon < -180 || c.lon > 180) {
    throw new ImportError(where + ": longitude " + String(c.lon).slice(0, 40) + " is not a number from -180 to 180.");
  }
  const ne = nameError(c.name);
  if (ne) throw new ImportError(where + ": " + ne + ".");
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseCSV(text) {
  // The records, with the line each starts on.
  const firstLine = text.split(/\r?\n/, 1)[0];
  const sep = firstLine.includes(",") ? "," : firstLine.includes(";") ? ";" : firstLine.includes("\t") ? "\t" : ",";
  const records = [];
  let i = 0, line = 1;
  while (i < text.length) {
    // at the start of a record: skip blank and comment lines
    const eol = text.indexOf("\n", i);
    const raw = text.slice(i, eol < 0 ? text.length : eol);
    if (raw.trim() === "" || raw[0] === "#") {
      i = eol < 0 ? text.length : eol + 1;
      line++;
      continue;
    }
    const rec = { line, fields: [] };
    let field = "", quoted = false, inQuotes = false;
    for (;;) {
      const ch = text[i];
      if (inQuotes) {
        if (ch === undefined) throw new ImportError("CSV line " + rec.line + ": a quote is not closed.");
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          inQuotes = false; i++; continue;
        }
        if (ch === "\n") line++;
        field += ch; i++;
        continue;
      }
      if (ch === '"' && field.trim() === "" && !quoted) { inQuotes = true; quoted = true; field = ""; i++; continue; }
      if (ch === sep) { rec.fields.push(quoted ? field : field.trim()); field = ""; quoted = false; i++; continue; }
      if (ch === undefined || ch === "\n" || (ch === "\r" && text[i + 1] === "\n")) {
        rec.fields.push(quoted ? field : field.trim());
        i += ch === undefined ? 0 : ch === "\r" ? 2 : 1;
        if (ch !== undefined) line++;
        break;
      }
      if (quoted && ch.trim() !== "") throw new ImportError("CSV line " + line + ": text after a closing quote.");
      if (!quoted || ch.trim() !== "") field += ch;
      i++;
    }
    records.push(rec);
    if (records.length > maxCities() + 1) break; // parseCities reports the count
  }
  if (records.length === 0) throw new ImportError("No cities found in the CSV input.");

  const alias = { name: "name", city: "name", lat: "lat", latitude: "lat", lon: "lon", lng: "lon", long: "lon", longitude: "lon" };
  let cols = ["name", "lat", "lon"];
  const first = records[0].fields;
  const isHeader = first.every((f) => !DECIMAL.test(f)) && first.some((f) => alias[f.toLowerCase()]);
  if (isHeader) {
    cols = first.map((f) => {
      const c = alias[f.toLowerCase()];
      if (!c) throw new ImportError("CSV line " + records[0].line + ": unknown column \u201c" + f.slice(0, 40) + "\u201d: the columns are name, lat and lon.");
      return c;
    });
    for (const need of ["lat", "lon"]) {
      if (!cols.includes(need)) throw new ImportError("CSV line " + records[0].line + ": the header has no " + need + " column.");
    }
    if (new Set(cols).size !== cols.length) throw new ImportError("CSV line " + records[0].line + ": a column is named twice.");
    records.shift();
  }
  const cities = records.map((r, k) => {
    if (r.fields.length !== cols.length) {
      throw new ImportError("CSV line " + r.line + ": " + r.fields.length + " fields, want " + cols.length + " (" + cols.join(",") + ").");
    }
    const c = { name: "" };
    cols.forEach((col, j) => {
      const f = r.fields[j];
      if (col === "name") { c.name = f; return; }
      if (!DECIMAL.test(f)) throw new ImportError("CSV line " + r.line + ": " + col + " \u201c" + f.slice(0, 40) + "\u201d is not a decimal number.");
      c[col] = Number(f);
    });
    if (!c.name) c.name = "city " + (k + 1);
    checkCity(c, "CSV line " + r.line);
    return c;
  });
  return { cities, format: "CSV" + (isHeader ? "" : " without a header (name, lat, lon)") };
}

function parseJSON(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ImportError("Malformed JSON: " + e.message);
  }
  let what = "JSON";
  if (v && !Array.isArray(v) && typeof v === "object") {
    if (Array.isArray(v.cities)) v = v.cities;
    else if (Array.isArray(v.tour)) { v = v.tour; what = "JSON (an exported route)"; }
    else throw new ImportError('JSON: want an array of cities [{"name": \u2026, "lat": \u2026, "lon": \u2026}], or an object with one under "cities" or "tour".');
  }
  if (!Array.isArray(v)) throw new ImportError('JSON: want an array of cities [{"name": \u2026, "lat": \u2026, "lon": \u2026}].');
  const cities = v.map((o, k) => {
    const where = "JSON city " + k;
    if (!o || typeof o !== "object" || Array.isArray(o)) throw new ImportError(where + ': want an object {"name": \u2026, "lat": \u2026, "lon": \u2026}.');
    for (const key of Object.keys(o)) {
      if (key !== "name" && key !== "lat" && key !== "lon") throw new ImportError(where + ": unknown field \u201c" + key.slice(0, 40) + "\u201d: the fields are name, lat and lon.");
    }
    if (!("lat" in o) || !("lon" in o)) throw new ImportError(where + ": lat and lon are required.");
    if (o.name !== undefined && typeof o.name !== "string") throw new ImportError(where + ": the name must be a string.");
    const c = { name: (o.name || "").trim() || "city " + (k + 1), lat: o.lat, lon: o.lon };
    checkCity(c, where);
    return c;
  });
  return { cities, format: what };
}

function geoDegrees(x) { // TSPLIB's DDD.MM: degrees truncated toward zero, the rest minutes
  const deg = Math.trunc(x);
  return deg + 5.0 * (x - deg) / 3.0;
}

function parseTSPLIB(text) {
  const lines = text.split(/\r?\n/);
  const spec = {};
  let k = 0;
  for (; k < lines.length; k++) {
    const l = lines[k].trim();
    if (l === "" ) continue;
    if (/^NODE_COORD_SECTION\b/i.test(l)) break;
    if (/^EOF$/i.test(l) || /_SECTION\b/i.test(l)) {
      throw new ImportError("TSPLIB line " + (k + 1) + ": " + l.slice(0, 40) + " before a NODE_COORD_SECTION: only coordinates can be placed on the map.");
    }
    const m = l.match(/^([A-Z_]+)\s*:\s*(.*)$/i);
    if (!m) throw new ImportError("TSPLIB line " + (k + 1) + ": want KEY : VALUE, got \u201c" + l.slice(0, 40) + "\u201d.");
    spec[m[1].toUpperCase()] = m[2].trim();
  }
  if (k === lines.length) throw new ImportError("TSPLIB: no NODE_COORD_SECTION.");
  const type = (spec.EDGE_WEIGHT_TYPE || "").toUpperCase();
  const nodes = [];
  for (k++; k < lines.length; k++) {
    const l = lines[k].trim();
    if (l === "") continue;
    if (/^EOF$/i.test(l) || /^[A-Z_]+_SECTION\b/i.test(l)) break;
    const f = l.split(/\s+/);
    if (f.length !== 3 || !DECIMAL.test(f[0]) || !DECIMAL.test(f[1]) || !DECIMAL.test(f[2])) {
      throw new ImportError("TSPLIB line " + (k + 1) + ": want \u201cnode x y\u201d, got \u201c" + l.slice(0, 40) + "\u201d.");
    }
    nodes.push({ id: f[0], x: Number(f[1]), y: Number(f[2]), line: k + 1 });
    if (nodes.length > maxCities()) break;
  }
  const dim = Number(spec.DIMENSION);
  if (spec.DIMENSION && nodes.length <= maxCities() && dim !== nodes.length) {
    throw new ImportError("TSPLIB: DIMENSION is " + spec.DIMENSION.slice(0, 20) + " but the NODE_COORD_SECTION has " + nodes.length + " nodes.");
  }
  const base = (spec.NAME || "").slice(0, 60);
  const name = (id) => (base ? base + " " : "node ") + id;
  let note = "";
  let conv;
  if (type === "GEO") {
    conv = (n) => ({ lat: geoDegrees(n.x), lon: geoDegrees(n.y) });
    note = "GEO coordinates (DDD.MM) converted to degrees";
  } else {
    const bad = nodes.find((n) => Math.abs(n.x) > 90 || Math.abs(n.y) > 180);
    if (bad) {
      throw new ImportError("TSPLIB line " + bad.line + ": EDGE_WEIGHT_TYPE " + (type || "unknown").slice(0, 20) +
        " with coordinates (" + bad.x + ", " + bad.y + ") that are not latitude and longitude; only GEO instances, or coordinates within \u00b190 and \u00b1180, can be placed on the map.");
    }
    conv = (n) => ({ lat: n.x, lon: n.y });
    note = (type || "untyped") + " coordinates read as decimal latitude (X) and longitude (Y)";
  }
  const cities = nodes.map((n) => {
    const c = { name: name(n.id), ...conv(n) };
    checkCity(c, "TSPLIB line " + n.line);
    return c;
  });
  return { cities, format: "TSPLIB" + (base ? " (" + base + ")" : ""), note };
}

// importCities adds the parsed cities to the list: a city already listed
// with the same name and coordinates is reused, a name already taken by
// another place gets a number.
function importCities(text, format) {
  const msg = $("#import-msg"), err = $("#import-error");
  let parsed;
  try {
    parsed = parseCities(text, format);
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    err.textContent = e.message;
    err.hidden = false;
    msg.hidden = true;
    return false;
  }
  err.hidden = true;
  const byName = new Map(state.cities.map((c) => [c.name.toLowerCase(), c]));
  const imported = [], seen = new Set();
  let reused = 0, renamed = 0;
  for (const c of parsed.cities) {
    let name = c.name, have = byName.get(name.toLowerCase());
    if (have && have.lat === c.lat && have.lon === c.lon) {
      if (!seen.has(have)) { imported.push(have); seen.add(have); reused++; }
      continue;
    }
    if (have) {
      renamed++;
      let k = 2;
      while (byName.has((c.name + " (" + k + ")").toLowerCase())) k++;
      name = c.name + " (" + k + ")";
    }
    const city = { name, lat: c.lat, lon: c.lon, ticked: true, custom: "imported" };
    byName.set(name.toLowerCase(), city);
    state.cities.push(city);
    imported.push(city);
  }
  if ($("#import-only").checked) state.cities.forEach((c) => { c.ticked = false; });
  imported.forEach((c) => { c.ticked = true; });
  state.startKey = imported[0];
  renderCities();
  update();
  // Scroll the list (not the page) to the first imported city.
  const list = $("#city-list"), first = list.querySelector('input[data-index="' + state.cities.indexOf(imported[0]) + '"]');
  if (first) list.scrollTop = first.closest("li").offsetTop - 4;
  else list.scrollTop = list.scrollHeight; // not listed: a big list
  let t = "Imported " + int.format(imported.length) + (imported.length === 1 ? " city" : " cities") + " from " + parsed.format + ".";
  if (parsed.note) t += " " + parsed.note[0].toUpperCase() + parsed.note.slice(1) + ".";
  if (reused) t += " " + reused + " already listed.";
  if (renamed) t += " " + renamed + " renamed: the name was taken.";
  msg.textContent = t;
  msg.hidden = false;
  return true;
}

// ---------------------------------------------------------------- random cities

// mulberry32 is a small seeded generator: the same seed gives the same
// cities in every browser.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// randomCities replaces the random cities of the list by n new ones,
// drawn uniformly from the box of tsp.RandomCities (latitude 25 to 49,
// longitude -124 to -67: the contiguous United States) with the seed,
// coordinates to 4 decimals (11 m), and ticks them alone.
function randomCities(ev) {
  ev.preventDefault();
  const err = $("#random-error"), msg = $("#random-msg");
  const n = Math.round(Number($("#random-n").value)), seed = Math.round(Number($("#random-seed").value));
  const max = maxCities();
  let why = "";
  if (!Number.isFinite(n) || n < 1 || n > max) why = "Give a number of cities from 1 to " + int.format(max) + " (the server's limit).";
  else if (!Number.isFinite(seed) || seed < 0) why = "The seed is a whole number ≥ 0.";
  if (why) {
    err.textContent = why;
    err.hidden = false;
    msg.hidden = true;
    return;
  }
  err.hidden = true;
  const rnd = mulberry32(seed);
  const r4 = (x) => Math.round(x * 1e4) / 1e4;
  state.cities = state.cities.filter((c) => c.custom !== "random");
  state.cities.forEach((c) => { c.ticked = false; });
  const made = new Array(n);
  for (let i = 0; i < n; i++) {
    made[i] = { name: "r" + (i + 1), lat: r4(25 + 24 * rnd()), lon: r4(-124 + 57 * rnd()), ticked: true, custom: "random" };
  }
  for (const c of made) state.cities.push(c);
  state.startKey = made[0];
  renderCities();
  update();
  msg.textContent = "Made " + int.format(n) + " random cities (seed " + seed + "), ticked alone.";
  msg.hidden = false;
}

// ---------------------------------------------------------------- backends

function renderServerInfo() {
  const i = state.info;
  const avail = i.backends.filter((b) => b.available).length;
  $("#server-info").replaceChildren(
    el("span", { class: "chip" }, el("b", { text: avail + "/" + i.backends.length }), " backends available"),
    el("span", { class: "chip" }, "deadline ", el("b", { text: fmtDeadline(i.deadline_ms) })),
    el("span", { class: "chip" }, "soft deadline ", el("b", { text: fmtDeadline(i.soft_deadline_ms) })),
    el("span", { class: "chip" }, el("b", { text: i.workers }), " workers · queue ", el("b", { text: i.queue })));
}

// has reports whether the backend called name has the algorithm: a backend
// that lacks some (the pure-Python kernel: exhaustive and nearest) lists
// the ones it has.
function has(name, alg) {
  const b = state.info.backends.find((x) => x.name === name);
  return !b || !b.algorithms || b.algorithms.includes(alg);
}

function runButton(backend, alg) {
  return el("button", {
    type: "button", class: "btn run",
    "data-backend": backend.name, "data-algorithm": alg.name,
    "data-max": alg.max_cities, disabled: !backend.available,
    onclick: () => solveOnce(backend.name, alg.name),
  }, alg.name);
}

function renderBackends() {
  const i = state.info;
  const head = el("tr", {}, el("th", { text: "Backend" }),
    i.algorithms.map((a) => el("th", {}, a.name, el("small", {
      text: (a.proves_optimal ? "proves optimal · " : "heuristic · ") + "≤ " + int.format(a.max_cities) + " cities" +
        (a.max_points_cities > a.max_cities ? ", round trips ≤ " + int.format(a.max_points_cities) + " from coordinates" : ""),
    }))));
  const rows = i.backends.map((b) => el("tr", { class: b.available ? "available" : "unavailable", "data-backend": b.name },
    el("th", { scope: "row" },
      el("span", { class: "bname", text: b.name }),
      el("span", { class: "pill " + (b.available ? "on" : "off"), text: b.available ? "available" : "unavailable" }),
      // only the library's file name: where it lies on the server's disk is none of the page's business
      b.available && b.where ? el("span", { class: "where", text: b.where.split(/[\\/]/).pop() }) : null,
      b.available ? null : el("span", { class: "reason", text: b.error || "unavailable" })),
    i.algorithms.map((a) => el("td", {}, runButton(b, a)))));
  const anyAvail = i.backends.some((b) => b.available);
  const parts = [el("div", { class: "scroll-x" }, el("table", {}, el("thead", {}, head), el("tbody", {}, rows)))];
  if (!anyAvail) {
    parts.push(el("div", { class: "error-box" },
      el("strong", { text: "No backend is available" }),
      el("p", { text: "This server cannot solve anything; the reasons are listed above." })));
  }
  $("#backends").replaceChildren(...parts);
  renderCompareForm();
  renderCostsForm();
  updateButtons();
}

function updateButtons() {
  if (!state.info) return;
  const n = ticked().length;
  const avail = new Set(state.info.backends.filter((b) => b.available).map((b) => b.name));
  const busy = state.series !== null;
  const end = currentEnd();
  document.querySelectorAll("button.run").forEach((btn) => {
    const name = btn.dataset.backend;
    const max = cityLimit(state.info.algorithms.find((a) => a.name === btn.dataset.algorithm), name, end);
    btn.dataset.max = max;
    let why = "";
    if (!avail.has(name)) why = name + " is unavailable on this server";
    else if (!has(name, btn.dataset.algorithm)) why = name + " has " + state.info.backends.find((b) => b.name === name).algorithms.join(" and ") + " only";
    else if (busy) why = "a comparison is running: it measures one request at a time";
    else if (n === 0) why = "tick at least one city";
    else if (n > max) why = btn.dataset.algorithm + " takes at most " + int.format(max) + " cities (" + int.format(n) + " ticked)" +
      (max < maxCities() ? (isRoundTrip(end) ? " on " + name : " on a route with an end; round trips take more, from coordinates") : "");
    btn.disabled = why !== "";
    btn.title = why || "Solve " + n + " cities with " + name + " · " + btn.dataset.algorithm;
  });
  updateCompareForm();
}

// ---------------------------------------------------------------- words

// work describes Nodes in words, with the technical term as a tooltip.
function work(algorithm) {
  switch (algorithm) {
    case "exhaustive":
      return { label: "Partial routes tried", one: "partial route tried", term: "search nodes",
        tip: "Search nodes: every partial route the exhaustive search extended, one city at a time." };
    case "exact":
      return { label: "Subproblems solved", one: "subproblem solved", term: "search nodes",
        tip: "Search nodes: the branch-and-bound subproblems whose lower bound was computed; 1 means the first bound already proved the route shortest." };
    case "2opt":
      return { label: "Improvements made", one: "improvement made", term: "moves",
        tip: "Moves: the improving 2-opt moves applied; each reverses a stretch of the route to make it shorter." };
    case "iterated":
      return { label: "Improvements made", one: "improvement made", term: "moves",
        tip: "Moves: the improving 2-opt and Or-opt moves applied, first to the 2opt route, then after each of the random kicks that shake up a stretch of it (10 kicks a city)." };
    default:
      return { label: "Improvements made", one: "improvement made", term: "moves",
        tip: "Moves: " + algorithm + " builds the route city by city and improves nothing afterwards, so it makes none." };
  }
}

// ---------------------------------------------------------------- results: cards

// Single runs go one at a time too: a click while another run is in
// flight gets a card that waits for it, so that no time shown includes
// another request of this page.
function solveOnce(backend, algorithm) {
  const cities = ticked();
  const start = Math.max(0, cities.indexOf(state.startKey));
  const end = routeEnd(cities, start);
  const card = pendingCard(backend, algorithm, cities.length);
  if (state.singles > 0) card.querySelector(".pending-text").textContent = "Waiting for the previous request…";
  state.singles++;
  state.single = state.single.then(async () => {
    if (!card.isConnected) return; // removed while waiting
    card.querySelector(".pending-text").textContent = "Solving " + int.format(cities.length) + " cities with " + backend + " · " + algorithm +
      (cities.length > (state.info.progress_max_cities || Infinity) ? " from their coordinates (no progress shown above " +
        int.format(state.info.progress_max_cities) + " cities)…" : "…");
    const abort = new AbortController();
    const stop = el("button", { type: "button", class: "stop-solve", text: "Cancel",
      title: "Stop the search (the server stops it when the connection closes)", onclick: () => abort.abort() });
    card.querySelector(".pending-body").append(stop);
    const t0 = performance.now();
    try {
      const res = await streamSolve(solveBody(cities, start, backend, algorithm, end), abort.signal,
        (p) => showProgress(card, cities, p, end !== "start"));
      fillResult(card, res, performance.now() - t0);
      choose(card);
    } catch (e) {
      if (e.name === "AbortError") e = new APIError(0, "Cancelled: the search was stopped.");
      fillError(card, e);
    }
  }).then(() => { state.singles--; });
}

function cardHeader(card, backend, algorithm, ...summary) {
  const fold = el("button", { type: "button", class: "fold", "aria-expanded": "false", title: "Show or fold this result",
    onclick: () => { if (card.classList.contains("open")) fold1(card); else choose(card); } },
    el("span", { class: "chev", "aria-hidden": "true" }),
    el("span", { class: "title" },
      el("span", { class: "backend", text: backend }),
      el("span", { class: "alg", text: algorithm }),
      el("span", { class: "seq", text: "#" + card.dataset.seq })),
    el("span", { class: "summary" }, ...summary));
  return el("header", {}, fold,
    el("button", { type: "button", class: "close", title: "Remove this result", "aria-label": "Remove this result",
      onclick: () => { if (state.chosen === card) state.chosen = null; card.remove(); showEmpty(); } }, "×"));
}

function pendingCard(backend, algorithm, n, source) {
  const card = el("article", { class: "result fresh", "data-state": "pending", "data-backend": backend,
    "data-algorithm": algorithm, "data-seq": ++state.seq, "data-source": source || "run" });
  card.append(cardHeader(card, backend, algorithm, el("span", { class: "status pending", text: "solving" })),
    el("div", { class: "pending-body" }, el("span", { class: "spinner" }),
      el("span", { class: "pending-text", text: "Solving " + n + " cities with " + backend + " · " + algorithm + "…" })));
  $("#results").prepend(card);
  showEmpty();
  return card;
}

function fillError(card, e) {
  card.dataset.state = "error";
  const title = e.status ? "Request failed · HTTP " + e.status : "Request failed";
  card.classList.add("open");
  card.replaceChildren(
    cardHeader(card, card.dataset.backend, card.dataset.algorithm, el("span", { class: "status error", text: "error" })),
    el("div", { class: "error-box", role: "alert" },
      el("strong", { text: title }),
      el("p", { class: "error-message", text: e.message || String(e) })));
  card.querySelector(".fold").setAttribute("aria-expanded", "true");
}

// fillResult turns a pending card into a folded result. stats, from a
// comparison, are the medians of the repeated runs.
function fillResult(card, r, roundTripMs, stats) {
  if (!Array.isArray(r.tour) || r.tour.length === 0) {
    fillError(card, new APIError(0, "The server answered without a tour."));
    return;
  }
  card.dataset.state = "done";
  card.dataset.status = r.status;
  card.result = r;
  const soft = state.info ? state.info.soft_deadline_ms : 1000;
  const w = work(r.algorithm);
  const ends = endWords(r, r.tour.map((c) => c.name));
  card.dataset.end = r.path ? r.tour[r.tour.length - 1].name : "start";
  const metrics = el("dl", { class: "metrics" },
    metric("Length", el("dd", { class: "big length", title: r.path ? "no way back: a path from the start to its end" : "back to the start included", text: km.format(r.length_km) + " km" })),
    metric("Route", el("dd", { class: "route-end", text: ends })),
    metric("Backend", el("dd", { class: "backend-ms", title: "time in the backend's Solve", text: fmtMs(r.backend_ms) })),
    metric("Request", el("dd", { class: "total-ms", title: "server time from arrival to answer, queueing included" }, fmtMs(r.total_ms),
      " ", el("small", { class: r.soft_deadline_met ? "met" : "missed",
        title: "soft deadline " + fmtDeadline(soft),
        text: r.soft_deadline_met ? "✓ soft" : "✗ soft" }))),
    metric("Cities", el("dd", { text: int.format(r.tour.length) })),
    metric("Input", el("dd", { class: "via", "data-coordinates": r.coordinates ? "true" : "false",
      title: r.coordinates ? "solved from the coordinates: no distance matrix (issue 21)" : "solved on the distance matrix",
      text: r.coordinates ? "coordinates" : "matrix" })),
    el("div", {}, el("dt", {}, el("abbr", { class: "term", title: w.tip, "data-term": w.term, text: w.label })),
      el("dd", { class: "nodes", text: int.format(r.nodes) })),
    metric("Round trip", el("dd", { class: "rtt", title: "measured by the browser", text: roundTripMs === null ? "–" : fmtMs(roundTripMs) })));
  let note = null;
  if (r.status === "stopped") {
    let t = "Stopped at the deadline: this is the best tour found so far, not proven optimal.";
    if (r.lower_bound_km > 0) {
      const gap = (r.length_km - r.lower_bound_km) / r.length_km * 100;
      t += " Proven lower bound " + km.format(r.lower_bound_km) + " km (gap ≤ " + gap.toFixed(1) + "%).";
    }
    note = el("p", { class: "note stopped", text: t });
  }
  const statsNote = stats ? el("p", { class: "note stats", text: stats }) : null;
  const body = el("div", { class: "card-body" },
    metrics, note, statsNote,
    el("div", { class: "view" }, el("div", { class: "map-slot" }), tourList(r.tour, card, r)),
    exportLinks(r));
  card.replaceChildren(
    cardHeader(card, r.backend, r.algorithm,
      el("span", { class: "status " + r.status, text: r.status }),
      el("span", { class: "sum-length", text: km.format(r.length_km) + " km" }),
      el("span", { class: "sum-end", text: ends }),
      el("span", { class: "sum-ms", text: fmtMs(r.backend_ms) })),
    body);
  card.classList.remove("open");
}

function metric(label, dd) { return el("div", {}, el("dt", { text: label }), dd); }

// tourList is the cities in visiting order; the leg back to the start sits
// below the scrolling list, so it is always in view. A path has no leg back
// and its last city is marked as the end. The legs are the server's (r.legs)
// where it sent them.
function tourList(tour, card, r) {
  const path = !!(r && r.path);
  const legKm = (i) => (r && Array.isArray(r.legs) && r.legs.length > i - 1 ? r.legs[i - 1] : haversine(tour[i - 1], tour[i % tour.length]));
  const shown = tour.length > LIST_MAX ? tour.slice(0, LIST_SHOW) : tour;
  const items = shown.map((c, i) => {
    const leg = i === 0 ? null : legKm(i);
    const li = el("li", { class: "stop", "data-i": i },
      el("span", { class: "idx", text: i + 1 }),
      el("span", { class: "nm", title: c.name, text: c.name }),
      i === 0 ? el("span", { class: "badge", text: "start" }) : null,
      path && i === tour.length - 1 && i > 0 ? el("span", { class: "badge end", text: "end" }) : null,
      leg === null ? null : el("span", { class: "leg", text: "+" + int.format(Math.round(leg)) + " km" }));
    li.addEventListener("mouseenter", () => highlight(card, i, true));
    li.addEventListener("mouseleave", () => highlight(card, i, false));
    return li;
  });
  if (shown.length < tour.length) {
    items.push(el("li", { class: "more muted", "data-more": tour.length - shown.length,
      text: "… and " + int.format(tour.length - shown.length) + " more stops (the JSON and GPX exports have them all)" }));
  }
  const home = tour.length > 1 && !path ? el("div", { class: "home" },
    el("span", { class: "idx", text: "↩" }),
    el("span", { class: "nm", text: "back to " + tour[0].name }),
    el("span", { class: "leg", text: "+" + int.format(Math.round(legKm(tour.length))) + " km" })) : null;
  return el("div", { class: "tour-box" }, el("ol", { class: "tour" }, items), home);
}

function highlight(card, i, on) {
  const dot = card.querySelector('svg [data-i="' + i + '"]');
  if (dot && dot.classList.contains("stop")) dot.classList.toggle("hl", on);
}

// choose opens card, folds every other and moves the one map into it.
function choose(card) {
  state.chosen = card;
  document.querySelectorAll("#results .result").forEach((c) => {
    const on = c === card;
    if (!on && c.dataset.state !== "done") return; // errors and pending cards stay as they are
    c.classList.toggle("open", on);
    c.querySelector(".fold").setAttribute("aria-expanded", String(on));
    if (!on) c.querySelectorAll(".map-slot").forEach((s) => s.replaceChildren());
  });
  const slot = card.querySelector(".map-slot");
  if (slot && card.result) {
    const view = card.querySelector(".view");
    const wide = window.matchMedia("(min-width: 901px)").matches;
    const draw = card.result.tour.length > CANVAS_MIN ? drawRouteCanvas : drawRoute;
    slot.replaceChildren(draw(card.result.tour, view.clientWidth - (wide ? 300 : 0), card.result.path));
    // Beside the map, the list is as tall as the map (and scrolls), with the leg home below it.
    const box = card.querySelector(".tour-box");
    box.style.maxHeight = wide ? Math.max(240, Math.round(slot.firstChild.getBoundingClientRect().height)) + "px" : "";
  }
}

function fold1(card) {
  card.classList.remove("open");
  card.querySelector(".fold").setAttribute("aria-expanded", "false");
  card.querySelectorAll(".map-slot").forEach((s) => s.replaceChildren());
  if (state.chosen === card) state.chosen = null;
}

// ---------------------------------------------------------------- export

function xmlEscape(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

function exportJSON(r) {
  return JSON.stringify({
    backend: r.backend, algorithm: r.algorithm, status: r.status,
    length_km: r.length_km, lower_bound_km: r.lower_bound_km, nodes: r.nodes,
    backend_ms: r.backend_ms, total_ms: r.total_ms, path: !!r.path, legs_km: r.legs,
    tour: r.tour.map((c) => ({ name: c.name, lat: c.lat, lon: c.lon })),
  }, null, 1) + "\n";
}

function exportGPX(r) {
  const title = (r.path ? "TSP route" : "TSP round trip") + ": " + r.tour.length + " cities, " + r.backend + " " + r.algorithm;
  const pt = (tag, c) => "  <" + tag + ' lat="' + c.lat + '" lon="' + c.lon + '"><name>' + xmlEscape(c.name) + "</name></" + tag + ">\n";
  return '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<gpx version="1.1" creator="TSP Jumper" xmlns="http://www.topografix.com/GPX/1/1">\n' +
    " <metadata><name>" + xmlEscape(title) + "</name><desc>" + xmlEscape(km.format(r.length_km) + " km great-circle, " + r.status) + "</desc></metadata>\n" +
    r.tour.map((c) => pt("wpt", c)).join("") +
    " <rte>\n  <name>" + xmlEscape(title) + "</name>\n" +
    (r.path ? r.tour : r.tour.concat([r.tour[0]])).map((c) => " " + pt("rtept", c)).join("") +
    " </rte>\n</gpx>\n";
}

// exportLinks are download links made in the browser: data: URLs, so that
// nothing but this page's data is involved.
function exportLinks(r) {
  const base = "tsp-" + r.backend + "-" + r.algorithm + "-" + r.tour.length;
  // A big route's file (megabytes) is made when its link is clicked, as a
  // Blob, not beforehand as a data: URL.
  const lazy = r.tour.length > LIST_MAX;
  const link = (cls, type, ext, make) => {
    const a = el("a", { class: "btn small " + cls, download: base + "." + ext,
      href: lazy ? "#" : "data:" + type + ";charset=utf-8," + encodeURIComponent(make()) }, "Download " + ext.toUpperCase());
    if (lazy) {
      a.addEventListener("click", () => {
        if (!a.dataset.made) a.href = URL.createObjectURL(new Blob([make()], { type }));
        a.dataset.made = "true";
      });
    }
    return a;
  };
  return el("div", { class: "exports" },
    el("span", { class: "muted", text: "Export this route:" }),
    link("export-json", "application/json", "json", () => exportJSON(r)),
    link("export-gpx", "application/gpx+xml", "gpx", () => exportGPX(r)));
}

// ---------------------------------------------------------------- the map

// wrap180 maps a longitude difference to (-180, 180].
function wrap180(d) {
  while (d > 180) d -= 360;
  while (d <= -180) d += 360;
  return d;
}

// greatCircle returns points along the great-circle arc from a to b, every
// 2° of arc at most, as [lon, lat] with longitudes unwrapped from a.lon (so
// the arc never jumps by 360°).
function greatCircle(a, b) {
  const rad = Math.PI / 180;
  const v = (c) => [Math.cos(c.lat * rad) * Math.cos(c.lon * rad), Math.cos(c.lat * rad) * Math.sin(c.lon * rad), Math.sin(c.lat * rad)];
  const A = v(a), B = v(b);
  const dot = Math.max(-1, Math.min(1, A[0] * B[0] + A[1] * B[1] + A[2] * B[2]));
  const d = Math.acos(dot);
  const n = Math.max(1, Math.ceil(d / rad / 2));
  const out = [[a.lon, a.lat]];
  if (d < 1e-9 || Math.PI - d < 1e-9) { // the same place, or antipodes (no one arc): straight
    out.push([a.lon + wrap180(b.lon - a.lon), b.lat]);
    return out;
  }
  let lon = a.lon, prev = a.lon;
  for (let i = 1; i <= n; i++) {
    const t = i / n, sa = Math.sin((1 - t) * d) / Math.sin(d), sb = Math.sin(t * d) / Math.sin(d);
    const x = sa * A[0] + sb * B[0], y = sa * A[1] + sb * B[1], z = sa * A[2] + sb * B[2];
    const lat = i === n ? b.lat : Math.atan2(z, Math.hypot(x, y)) / rad;
    const raw = i === n ? b.lon : Math.atan2(y, x) / rad;
    lon += wrap180(raw - prev);
    prev = raw;
    out.push([lon, lat]);
  }
  return out;
}

// prepareLand unwraps the longitudes of one land ring so that it never
// jumps by 360° where it crosses the antimeridian (Eurasia, Fiji, Wrangel
// Island), and closes a ring around a pole (Antarctica) along the pole, in
// steps of at most 45°. The map then draws each ring once per copy of the
// world it reaches, and no segment is longer than 180° of longitude.
function prepareLand(raw) {
  const pts = [raw[0], raw[1]];
  for (let i = 2; i < raw.length; i += 2) {
    pts.push(pts[i - 2] + wrap180(raw[i] - raw[i - 2]), raw[i + 1]);
  }
  const n = pts.length;
  const turn = pts[n - 2] - pts[0];
  if (Math.abs(turn) > 180) { // around a pole
    let sum = 0;
    for (let i = 1; i < n; i += 2) sum += pts[i];
    const pole = sum < 0 ? -90 : 90;
    const from = pts[n - 2], to = pts[0];
    const steps = Math.ceil(Math.abs(from - to) / 45);
    for (let s = 0; s <= steps; s++) pts.push(from + (to - from) * s / steps, pole);
  }
  const r = { pts, x0: Infinity, x1: -Infinity, y0: 90, y1: -90 };
  for (let i = 0; i < pts.length; i += 2) {
    r.x0 = Math.min(r.x0, pts[i]); r.x1 = Math.max(r.x1, pts[i]);
    r.y0 = Math.min(r.y0, pts[i + 1]); r.y1 = Math.max(r.y1, pts[i + 1]);
  }
  return r;
}

// fitMap fits the box x0..x1, y0..y1 (degrees, y = -lat), grown to at
// least 4° by 3°, into a drawing W wide: the scale s, the height H, the
// offsets, the projection px, py and the visible range in degrees (for the
// land and the graticule).
function fitMap(W, x0, x1, y0, y1) {
  const MAXH = Math.round(W * 0.55), MINH = Math.round(W * 0.33), PAD = 26;
  const grow = (a, b, min) => { const m = (a + b) / 2, h = Math.max((b - a) / 2, min / 2); return [m - h, m + h]; };
  [x0, x1] = grow(x0, x1, 4);
  [y0, y1] = grow(y0, y1, 3);
  const s = Math.min((W - 2 * PAD) / (x1 - x0), (MAXH - 2 * PAD) / (y1 - y0));
  const H = Math.max(MINH, Math.round((y1 - y0) * s + 2 * PAD));
  const ox = (W - (x1 - x0) * s) / 2, oy = (H - (y1 - y0) * s) / 2;
  return { x0, y0, s, H, ox, oy, px: (x) => ox + (x - x0) * s, py: (y) => oy + (y - y0) * s,
    vx0: x0 - ox / s, vx1: x0 + (W - ox) / s, vy0: y0 - oy / s, vy1: y0 + (H - oy) / s };
}

// drawRoute draws the tour on an equirectangular projection (x = longitude,
// y = latitude) fitted to the cities and the legs; a path (no way back) has
// no closing leg, and its end is marked in red. The map is cut at the
// widest empty band of longitudes, so a route around the Pacific stays in
// one piece; each leg is a great-circle arc, drawn twice (once on each side)
// when it crosses the cut.
function drawRoute(tour, width, path) {
  // The drawing's own size follows the space it gets, up to 800 px, so that
  // its text stays legible on a phone.
  const W = Math.round(Math.min(800, Math.max(320, width || 800)));
  const lons = tour.map((c) => c.lon).sort((a, b) => a - b);
  let cut = lons[0], gap = lons[0] + 360 - lons[lons.length - 1];
  for (let i = 0; i + 1 < lons.length; i++) {
    if (lons[i + 1] - lons[i] > gap) { gap = lons[i + 1] - lons[i]; cut = lons[i + 1]; }
  }
  const X = (lon) => (lon < cut ? lon + 360 : lon);
  const xs = tour.map((c) => X(c.lon)), ys = tour.map((c) => -c.lat);
  // The legs, in map x (unwrapped from the leg's start) and y = -lat.
  const legs = tour.length < 2 ? [] : (path ? tour.slice(0, -1) : tour).map((c, i) => {
    const next = tour[(i + 1) % tour.length];
    const shift = xs[i] - c.lon;
    return greatCircle(c, next).map(([lon, lat]) => [lon + shift, -lat]);
  });
  let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  for (const leg of legs) for (const [, y] of leg) { y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  let s, H, ox, oy, px, py, vx0, vx1, vy0, vy1;
  ({ x0, y0, s, H, ox, oy, px, py, vx0, vx1, vy0, vy1 } = fitMap(W, x0, x1, y0, y1));

  const svg = el("svg:svg", { class: "map route-map", viewBox: "0 0 " + W + " " + H,
    role: "img", "aria-label": "Route through " + tour.length + " cities, starting at " + tour[0].name +
      (path && tour.length > 1 ? ", ending at " + tour[tour.length - 1].name + " (no way back)" : ", back to the start"),
    // how to read the drawing back into degrees: lon = x0 + (x - ox) / s, lat = -(y0 + (y - oy) / s)
    "data-proj": JSON.stringify({ ox, oy, s, x0, y0 }) });
  svg.append(el("svg:rect", { class: "sea", x: 0, y: 0, width: W, height: H }));

  // Land, drawn once per copy of the world that the view reaches.
  let d = "";
  for (const r of state.land) {
    if (-r.y1 > vy1 || -r.y0 < vy0) continue;
    for (const k of [-720, -360, 0, 360, 720]) {
      if (r.x1 + k < vx0 || r.x0 + k > vx1) continue;
      const p = r.pts;
      d += "M" + px(p[0] + k).toFixed(1) + "," + py(-p[1]).toFixed(1);
      for (let i = 2; i < p.length; i += 2) d += "L" + px(p[i] + k).toFixed(1) + "," + py(-p[i + 1]).toFixed(1);
      d += "Z";
    }
  }
  if (d) svg.append(el("svg:path", { class: "land", d, "fill-rule": "evenodd" }));

  const grid = el("svg:g", { class: "grid" });
  const span = Math.max(vx1 - vx0, vy1 - vy0);
  const step = [1, 2, 5, 10, 15, 20, 30, 45].find((st) => span / st <= 9) || 60;
  for (let x = Math.ceil(vx0 / step) * step; x <= vx1; x += step) {
    const lon = ((x + 540) % 360) - 180;
    grid.append(el("svg:line", { x1: px(x), y1: 0, x2: px(x), y2: H }),
      el("svg:text", { x: px(x) + 3, y: H - 4, text: Math.abs(lon) + "°" + (lon < 0 ? "W" : lon > 0 ? "E" : "") }));
  }
  for (let y = Math.ceil(vy0 / step) * step; y <= vy1; y += step) {
    const lat = -y;
    grid.append(el("svg:line", { x1: 0, y1: py(y), x2: W, y2: py(y) }),
      el("svg:text", { x: W - 3, y: py(y) - 3, "text-anchor": "end", text: Math.abs(lat) + "°" + (lat < 0 ? "S" : lat > 0 ? "N" : "") }));
  }
  svg.append(grid);

  // The route: one subpath per leg, plus a copy shifted by 360° where a leg
  // ends on the other side of the cut.
  let rd = "";
  legs.forEach((leg, i) => {
    const endX = xs[(i + 1) % tour.length], lastX = leg[leg.length - 1][0];
    const shifts = [0];
    if (Math.abs(lastX - endX) > 1) shifts.push(endX - lastX);
    for (const k of shifts) {
      rd += leg.map(([x, y], j) => (j ? "L" : "M") + px(x + k).toFixed(1) + "," + py(y).toFixed(1)).join("");
    }
  });
  if (rd) {
    svg.append(el("svg:path", { class: "halo", d: rd }),
      el("svg:path", { class: "route", d: rd, "data-legs": legs.length }));
  }
  const pts = tour.map((c, i) => [px(xs[i]), py(ys[i])]);
  // Numbers: at most 60, and none closer than 18 px to one already placed
  // (or to the start), in visiting order; every stop keeps its tooltip.
  const placed = [pts[0]];
  const r = tour.length > 300 ? 2.5 : 4;
  const labels = [];
  const last = path && tour.length > 1 ? tour.length - 1 : -1; // the end of a path, drawn below
  pts.forEach((p, i) => {
    if (i === 0) return;
    if (i !== last) {
      svg.append(el("svg:circle", { class: "stop", "data-i": i, cx: p[0].toFixed(1), cy: p[1].toFixed(1), r },
        el("svg:title", { text: (i + 1) + ". " + tour[i].name })));
    }
    if (labels.length < 60 && placed.every((q) => Math.abs(q[0] - p[0]) > 18 || Math.abs(q[1] - p[1]) > 13)) {
      placed.push(p);
      labels.push(el("svg:text", { class: "num", x: (p[0] + 5).toFixed(1), y: (p[1] - 4).toFixed(1), text: i + 1 }));
    }
  });
  svg.append(...labels);
  if (last > 0) {
    const [ex, ey] = pts[last];
    svg.append(el("svg:circle", { class: "end-ring", cx: ex.toFixed(1), cy: ey.toFixed(1), r: 11 }),
      el("svg:circle", { class: "end", "data-i": last, cx: ex.toFixed(1), cy: ey.toFixed(1), r: 6.5 },
        el("svg:title", { text: "End: " + (last + 1) + ". " + tour[last].name })));
  }
  const [sx, sy] = pts[0];
  svg.append(el("svg:circle", { class: "start-ring", cx: sx.toFixed(1), cy: sy.toFixed(1), r: 11 }),
    el("svg:circle", { class: "start", "data-i": 0, cx: sx.toFixed(1), cy: sy.toFixed(1), r: 6.5 },
      el("svg:title", { text: "Start: " + tour[0].name })));

  // legend, top left
  const hidden = tour.length - 1 - labels.length;
  const text = "start · " + tour[0].name + (hidden > 0 ? " · " + labels.length + " of " + (tour.length - 1) + " stops numbered" : "");
  // a path's end on a second line
  const endText = last > 0 ? "end · " + tour[last].name + " (no way back)" : "";
  const lw = Math.min(W - 16, 30 + Math.max(text.length, endText.length) * 6.1);
  const legend = el("svg:g", { class: "legend" },
    el("svg:rect", { x: 8, y: 8, width: lw.toFixed(0), height: endText ? 40 : 22, rx: 5 }),
    el("svg:circle", { class: "start", cx: 20, cy: 19, r: 5 }),
    el("svg:text", { x: 31, y: 23, text }));
  if (endText) {
    legend.append(el("svg:circle", { class: "end", cx: 20, cy: 37, r: 5 }),
      el("svg:text", { class: "end-text", x: 31, y: 41, text: endText }));
  }
  svg.append(legend);
  return svg;
}

// drawRouteCanvas draws a big route (more than CANVAS_MIN cities) on a
// canvas, in one pass over the tour: the projection and the cut of
// drawRoute, the land, the legs as straight lines in the projection (at
// this density they are short; a leg across the cut is left out), the start
// and a path's end. 100,000 cities draw in some 50 ms; an SVG of as many
// elements would take seconds and keep the page slow.
function drawRouteCanvas(tour, width, path) {
  const W = Math.round(Math.min(800, Math.max(320, width || 800)));
  const n = tour.length;
  const lons = new Float64Array(n);
  for (let i = 0; i < n; i++) lons[i] = tour[i].lon;
  lons.sort();
  let cut = lons[0], gap = lons[0] + 360 - lons[n - 1];
  for (let i = 0; i + 1 < n; i++) {
    if (lons[i + 1] - lons[i] > gap) { gap = lons[i + 1] - lons[i]; cut = lons[i + 1]; }
  }
  const xs = new Float64Array(n), ys = new Float64Array(n);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = tour[i].lon < cut ? tour[i].lon + 360 : tour[i].lon, y = -tour[i].lat;
    xs[i] = x; ys[i] = y;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  let s, H, ox, oy, px, py, vx0, vx1, vy0, vy1;
  ({ x0, y0, s, H, ox, oy, px, py, vx0, vx1, vy0, vy1 } = fitMap(W, x0, x1, y0, y1));

  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const canvas = el("canvas", { class: "map route-map canvas-map", width: Math.round(W * dpr), height: Math.round(H * dpr),
    role: "img", "aria-label": "Route through " + int.format(n) + " cities, starting at " + tour[0].name +
      (path ? ", ending at " + tour[n - 1].name + " (no way back)" : ", back to the start") + "; drawn with straight legs",
    "data-proj": JSON.stringify({ ox, oy, s, x0, y0 }) });
  const g = canvas.getContext("2d");
  g.scale(dpr, dpr);
  g.fillStyle = "#eef4fa";
  g.fillRect(0, 0, W, H);
  g.beginPath();
  for (const r of state.land) {
    if (-r.y1 > vy1 || -r.y0 < vy0) continue;
    for (const k of [-720, -360, 0, 360, 720]) {
      if (r.x1 + k < vx0 || r.x0 + k > vx1) continue;
      const p = r.pts;
      g.moveTo(px(p[0] + k), py(-p[1]));
      for (let i = 2; i < p.length; i += 2) g.lineTo(px(p[i] + k), py(-p[i + 1]));
      g.closePath();
    }
  }
  g.fillStyle = "#e0e7db";
  g.fill("evenodd");
  g.strokeStyle = "#c3cdbf";
  g.lineWidth = 0.7;
  g.stroke();

  // The route, one path; a leg that crosses the cut (over 180° of
  // longitude in the projection) is left out.
  let legs = 0;
  g.beginPath();
  g.moveTo(px(xs[0]), py(ys[0]));
  const last = path ? n - 1 : n;
  for (let k = 1; k <= last; k++) {
    const i = k % n, j = k - 1;
    if (Math.abs(xs[i] - xs[j]) > 180) g.moveTo(px(xs[i]), py(ys[i]));
    else { g.lineTo(px(xs[i]), py(ys[i])); legs++; }
  }
  g.strokeStyle = "#2563eb";
  g.lineWidth = n > 20000 ? 0.5 : 0.8;
  g.lineJoin = "round";
  g.stroke();
  canvas.dataset.legs = legs;
  canvas.dataset.cities = n;

  const dot = (i, color) => {
    g.beginPath();
    g.arc(px(xs[i]), py(ys[i]), 6, 0, 2 * Math.PI);
    g.fillStyle = color;
    g.fill();
    g.lineWidth = 2;
    g.strokeStyle = "#fff";
    g.stroke();
  };
  if (path && n > 1) dot(n - 1, "#dc2626");
  dot(0, "#16a34a");
  g.font = "12px system-ui, sans-serif";
  const text = "start · " + tour[0].name + " · " + int.format(n) + " cities" + (path && n > 1 ? " · end · " + tour[n - 1].name : "");
  g.fillStyle = "rgba(255, 255, 255, .88)";
  g.fillRect(8, 8, Math.min(W - 16, g.measureText(text).width + 16), 22);
  g.fillStyle = "#1f2937";
  g.fillText(text, 16, 23);
  return canvas;
}

// ---------------------------------------------------------------- comparison

function renderCompareForm() {
  const i = state.info;
  const avail = i.backends.filter((b) => b.available);
  const box = (name, group, checked, label) => {
    const input = el("input", { type: "checkbox", name: group, value: name, "data-name": name });
    input.checked = checked;
    input.addEventListener("change", updateCompareForm);
    return el("label", { class: "check" }, input, el("span", { text: label || name }));
  };
  $("#cmp-backends").replaceChildren(...(avail.length ? avail.map((b) => box(b.name, "cmp-backend", true)) :
    [el("span", { class: "muted", text: "no backend available" })]));
  $("#cmp-algorithms").replaceChildren(...i.algorithms.map((a) => box(a.name, "cmp-algorithm", a.name === "exact" || a.name === "2opt" || a.name === "nearest" || a.name === "iterated")));
}

function checkedValues(group) {
  return [...document.querySelectorAll('input[name="' + group + '"]:checked')].map((x) => x.value);
}

function updateCompareForm() {
  if (!state.info) return;
  const busy = state.series !== null;
  const n = ticked().length;
  const bs = checkedValues("cmp-backend"), as = checkedValues("cmp-algorithm");
  const end = currentEnd();
  const fits = as.filter((a) => bs.some((b) => n <= cityLimit(state.info.algorithms.find((x) => x.name === a), b, end)));
  let why = "";
  if (busy) why = "a comparison is running";
  else if (bs.length === 0) why = "choose at least one backend";
  else if (as.length === 0) why = "choose at least one algorithm";
  else if (n === 0) why = "tick at least one city";
  else if (fits.length === 0) why = "none of the chosen algorithms takes " + n + " cities";
  const run = $("#cmp-run");
  run.disabled = why !== "";
  run.title = why || "Solve the " + n + " ticked cities with each chosen backend and algorithm, one request at a time";
  const dl = $("#dl-run");
  dl.disabled = busy || bs.length === 0 || state.demo.length < DEADLINE_SIZES[DEADLINE_SIZES.length - 1];
  dl.title = dl.disabled ? (busy ? "a comparison is running" : "choose at least one backend") :
    "Exhaustive search on the first 9, 10 and 11 demo cities with each chosen backend, one request at a time";
  $("#cmp-stop").disabled = !busy;
  document.querySelectorAll('#compare input[type="checkbox"], #cmp-k').forEach((x) => { x.disabled = busy; });
}

function repeats() {
  const k = Math.round(Number($("#cmp-k").value));
  return Number.isFinite(k) ? Math.min(20, Math.max(1, k)) : 3;
}

// runSeries solves jobs one at a time, never two at once, so that the times
// compare backends and not queueing. After each answer it calls onResult.
async function runSeries(kind, jobs, onResult) {
  const abort = new AbortController();
  state.series = { abort };
  const panel = $("#compare");
  panel.dataset.state = "running";
  panel.dataset.kind = kind;
  updateButtons();
  const bar = $("#cmp-progress"), text = $("#cmp-status");
  bar.hidden = false;
  bar.max = jobs.length;
  let done = 0;
  try {
    if (state.singles > 0) text.textContent = "Waiting for the single runs to finish…";
    await state.single; // never beside a single run either
    for (const j of jobs) {
      if (abort.signal.aborted) break;
      bar.value = done;
      text.textContent = "Running " + (done + 1) + " of " + jobs.length + ": " + j.backend + " · " + j.algorithm +
        " on " + j.cities.length + " cities, run " + (j.round + 1) + " of " + j.k + "…";
      let res = null, err = null, t0 = 0;
      // A busy server (503, other clients' load) is asked again after its
      // Retry-After, twice at most; the wait is not part of any time measured.
      for (let attempt = 0; ; attempt++) {
        try {
          t0 = performance.now();
          res = await api("/api/solve", solveBody(j.cities, j.start, j.backend, j.algorithm, j.end), abort.signal);
          err = null;
        } catch (e) {
          if (e.name === "AbortError") break;
          err = e;
        }
        if (!err || err.status !== 503 || attempt === 2) break;
        text.textContent = "The server is busy; asking again in " + Math.min(10, err.retryAfter) + " s…";
        await new Promise((ok) => {
          const timer = setTimeout(ok, Math.min(10, err.retryAfter) * 1000);
          abort.signal.addEventListener("abort", () => { clearTimeout(timer); ok(); }, { once: true });
        });
        if (abort.signal.aborted) break;
      }
      if (abort.signal.aborted) break;
      onResult(j, res, err, performance.now() - t0);
      done++;
    }
  } finally {
    const stopped = done < jobs.length;
    bar.value = done;
    bar.hidden = true;
    text.textContent = (stopped ? "Stopped after " : "Done: ") + done + " of " + jobs.length + " requests, one at a time.";
    state.series = null;
    panel.dataset.state = stopped ? "stopped" : "done";
    updateButtons();
  }
}

function addRun(cells, key, j, res, err, rtt) {
  let cell = cells.get(key);
  if (!cell) { cell = { backend: j.backend, algorithm: j.algorithm, n: j.cities.length, runs: [], errors: [] }; cells.set(key, cell); }
  if (err) cell.errors.push(err);
  else cell.runs.push({ res, rtt });
}

// summary of one cell: medians and spread of the runs that answered.
function summarize(cell) {
  const ok = cell.runs;
  if (ok.length === 0) return null;
  const b = ok.map((x) => x.res.backend_ms), t = ok.map((x) => x.res.total_ms);
  const mb = median(b);
  // the representative run: the one whose backend time is the median's
  const rep = [...ok].sort((p, q) => p.res.backend_ms - q.res.backend_ms)[(ok.length - 1) >> 1];
  return {
    median: mb, min: Math.min(...b), max: Math.max(...b), total: median(t), totalMax: Math.max(...t),
    length: median(ok.map((x) => x.res.length_km)), rep,
    status: ok.some((x) => x.res.status === "stopped") ? "stopped" : rep.res.status,
  };
}

function startCompare() {
  const cities = ticked();
  const start = Math.max(0, cities.indexOf(state.startKey));
  const end = routeEnd(cities, start);
  const k = repeats();
  const bs = checkedValues("cmp-backend");
  const algs = state.info.algorithms.filter((a) => checkedValues("cmp-algorithm").includes(a.name));
  const fitsOn = (a, b) => cities.length <= cityLimit(a, b, end);
  const fit = algs.filter((a) => bs.some((b) => fitsOn(a, b)));
  const skipped = algs.filter((a) => !bs.some((b) => fitsOn(a, b)));
  // Pairs whose backend cannot take this many cities with the algorithm (a
  // backend without a coordinate solver, above the matrix's limit).
  const tooMany = new Map();
  for (const a of fit) for (const b of bs) if (!fitsOn(a, b)) tooMany.set(a.name + "|" + b, cityLimit(a, b, end));
  const jobs = [];
  // Rounds interleave the backends, so that a slow phase of the machine
  // falls on all of them alike.
  for (let round = 0; round < k; round++) {
    for (const a of fit) for (const b of bs) if (has(b, a.name) && fitsOn(a, b)) jobs.push({ backend: b, algorithm: a.name, cities, start, end, round, k });
  }
  state.compare = { cities, start, end, k, backends: bs, algorithms: fit.map((a) => a.name), skipped, tooMany, cells: new Map(), id: ++state.seq };
  const cmp = state.compare;
  renderCompareTable();
  runSeries("compare", jobs, (j, res, err, rtt) => {
    addRun(cmp.cells, j.algorithm + "|" + j.backend, j, res, err, rtt);
    renderCompareTable();
  });
}

function startDeadline() {
  const k = repeats();
  const bs = checkedValues("cmp-backend");
  const jobs = [];
  for (let round = 0; round < k; round++) {
    for (const n of DEADLINE_SIZES) for (const b of bs) {
      jobs.push({ backend: b, algorithm: "exhaustive", cities: state.demo.slice(0, n), start: 0, round, k });
    }
  }
  state.deadline = { k, backends: bs, cells: new Map() };
  const dl = state.deadline;
  renderDeadlineTable();
  runSeries("deadline", jobs, (j, res, err, rtt) => {
    addRun(dl.cells, j.cities.length + "|" + j.backend, j, res, err, rtt);
    renderDeadlineTable();
  });
}

function renderCompareTable() {
  const cmp = state.compare;
  const out = $("#cmp-result");
  if (!cmp) { out.replaceChildren(); return; }
  const sums = new Map();
  for (const [key, cell] of cmp.cells) sums.set(key, summarize(cell));
  let best = Infinity, bestBy = null, optimal = false;
  for (const [key, s] of sums) {
    if (!s) continue;
    if (s.length < best - 1e-9 || (Math.abs(s.length - best) <= 1e-9 && s.rep.res.status === "optimal")) {
      best = s.length; bestBy = cmp.cells.get(key);
    }
    if (s.rep.res.status === "optimal") optimal = true;
  }
  const head = el("tr", {},
    el("th", { text: "Algorithm" }), el("th", { text: "Backend" }),
    el("th", { title: "median time in the backend's Solve, with the fastest and slowest run" }, "Time ", el("small", { text: "median · min–max" })),
    el("th", { title: "median server time per request, from arrival to answer" }, "Request"),
    el("th", { title: "the slowest backend's median time for this algorithm divided by this one's" }, "Speed-up ", el("small", { text: "vs slowest" })),
    el("th", { text: "Length" }),
    el("th", { title: "how much longer than the shortest route any run found" }, "Gap ", el("small", { text: "to best known" })),
    el("th", { text: "Result" }), el("th", {}, el("span", { class: "sr", text: "Map" })));
  const rows = [];
  for (const alg of cmp.algorithms) {
    const group = cmp.backends.map((b) => ({ b, cell: cmp.cells.get(alg + "|" + b), s: sums.get(alg + "|" + b) }));
    const slowest = Math.max(0, ...group.map((g) => (g.s ? g.s.median : 0)));
    group.forEach((g, idx) => {
      const first = idx === 0;
      const algCell = first ? el("th", { scope: "rowgroup", rowspan: group.length, class: "alg-cell", text: alg }) : null;
      const attrs = { "data-backend": g.b, "data-algorithm": alg, class: first ? "group-start" : null };
      if (!g.cell && cmp.tooMany.has(alg + "|" + g.b)) {
        rows.push(el("tr", { ...attrs, "data-too-many": "true" }, algCell, el("th", { scope: "row", class: "bname", text: g.b }),
          el("td", { colspan: 7, class: "muted", text: "not run: " + g.b + " solves distance matrices only, at most " +
            int.format(cmp.tooMany.get(alg + "|" + g.b)) + " cities" })));
        return;
      }
      if (!g.cell) {
        const lacks = !has(g.b, alg);
        rows.push(el("tr", { ...attrs, "data-lacks": lacks ? "true" : null }, algCell, el("th", { scope: "row", class: "bname", text: g.b }),
          el("td", { colspan: 7, class: "muted", text: lacks ? "not run: " + g.b + " has " +
            state.info.backends.find((b) => b.name === g.b).algorithms.join(" and ") + " only" : "waiting…" })));
        return;
      }
      if (!g.s) {
        const e = g.cell.errors[g.cell.errors.length - 1];
        rows.push(el("tr", { ...attrs, "data-error": "true" }, algCell, el("th", { scope: "row", class: "bname", text: g.b }),
          el("td", { colspan: 7, class: "cell-error", text: (e.status ? "HTTP " + e.status + ": " : "") + e.message })));
        return;
      }
      const s = g.s, res = s.rep.res;
      const gap = (s.length - best) / best * 100;
      const speed = slowest / s.median;
      const w = slowest > 0 ? Math.max(2, s.median / slowest * 100) : 0;
      rows.push(el("tr", { ...attrs, "data-median-ms": s.median, "data-runs": g.cell.runs.length, "data-length-km": s.length },
        algCell,
        el("th", { scope: "row", class: "bname", text: g.b }),
        el("td", { class: "time" },
          el("span", { class: "median", text: fmtMs(s.median) }),
          bar(w),
          el("small", { class: "spread", title: g.cell.runs.map((x) => fmtMs(x.res.backend_ms)).join(", "),
            text: fmtMs(s.min) + "–" + fmtMs(s.max) + " · " + g.cell.runs.length + (g.cell.runs.length === 1 ? " run" : " runs") +
              (g.cell.errors.length ? " · " + g.cell.errors.length + " failed" : "") })),
        el("td", { class: "req", text: fmtMs(s.total) }),
        el("td", { class: "speedup" + (speed < 1.2 && speed > 1 ? " noise" : ""), text: speed.toFixed(2) + "×",
          title: speed < 1.2 ? "under 1.2×: within this machine's noise, read it as the same" : null }),
        el("td", { class: "length", text: km.format(s.length) + " km" }),
        el("td", { class: "gap" + (gap < 1e-9 ? " best" : ""), text: gap < 1e-9 ? "best" : "+" + gap.toFixed(2) + " %" }),
        el("td", {}, el("span", { class: "status " + s.status, text: s.status }),
          " ", el("abbr", { class: "term work", title: work(alg).tip, "data-term": work(alg).term, text: int.format(res.nodes) + " " + (res.nodes === 1 ? work(alg).one : work(alg).label.toLowerCase()) })),
        el("td", {}, el("button", { type: "button", class: "btn small show", title: "Show this route on the map",
          onclick: () => showCompared(cmp, alg, g.b) }, "Map"))));
    });
  }
  const csv = [["algorithm", "backend", "runs", "failed", "median_ms", "min_ms", "max_ms", "request_median_ms", "speedup_vs_slowest", "length_km", "gap_pct", "status", "nodes"]];
  for (const alg of cmp.algorithms) {
    const group = cmp.backends.map((b) => ({ b, cell: cmp.cells.get(alg + "|" + b), s: sums.get(alg + "|" + b) }));
    const slowest = Math.max(0, ...group.map((g) => (g.s ? g.s.median : 0)));
    for (const g of group) {
      if (!g.s) continue;
      csv.push([alg, g.b, g.cell.runs.length, g.cell.errors.length, g.s.median, g.s.min, g.s.max, g.s.total,
        (slowest / g.s.median).toFixed(3), g.s.length.toFixed(3), ((g.s.length - best) / best * 100).toFixed(3), g.s.status, g.s.rep.res.nodes]);
    }
  }
  const parts = [
    el("p", { class: "cmp-caption" },
      el("b", { text: int.format(cmp.cities.length) + " cities" }), " from " + cmp.cities[cmp.start].name +
        (cmp.end === "any" ? " ending anywhere" : typeof cmp.end === "number" ? " to " + cmp.cities[cmp.end].name : " and back") + ", ",
      el("b", { text: cmp.k + (cmp.k === 1 ? " run" : " runs") }), " of each backend and algorithm, one request at a time. ",
      best < Infinity ? ["Best known: ", el("b", { class: "best-known", text: km.format(best) + " km" }),
        optimal ? " (proven shortest by " + bestBy.algorithm + ")." : " (no run proved it shortest)."] : null),
    el("div", { class: "scroll-x" }, el("table", { class: "cmp", id: "cmp-table" }, el("thead", {}, head), el("tbody", {}, rows))),
    el("p", { class: "hint" }, "Speed-ups under about 1.2× are within the noise of a shared machine: read them as \u201cthe same\u201d. ",
      csvLink("export-csv", "tsp-compare-" + cmp.cities.length + "-cities.csv", csv)),
  ];
  if (cmp.skipped.length) {
    parts.push(el("p", { class: "hint", text: "Skipped: " + cmp.skipped.map((a) => a.name + " (at most " + int.format(a.max_cities) + " cities)").join(", ") + "." }));
  }
  const coords = [...cmp.cells.values()].some((c) => c.runs.some((x) => x.res.coordinates));
  if (coords) {
    parts.push(el("p", { class: "hint via", text: "Solved from the coordinates, without a distance matrix: " +
      cmp.algorithms.filter((a) => [...cmp.cells.values()].some((c) => c.algorithm === a && c.runs.some((x) => x.res.coordinates))).join(", ") +
      " (round trips with a heuristic: the k-d tree and the local search of issue 21, the same tour on every backend; its tours may differ from the matrix path's)." }));
  }
  out.replaceChildren(...parts);
}

// bar is a horizontal bar w% full. Its width is set through the CSSOM: the
// server's Content-Security-Policy forbids style attributes.
function bar(w) {
  const fill = el("span", {});
  fill.style.width = w.toFixed(1) + "%";
  return el("span", { class: "bar", "aria-hidden": "true" }, fill);
}

// showCompared makes a card of a compared backend and algorithm (its run
// of median time) and puts it on the map.
function showCompared(cmp, alg, backend) {
  const key = cmp.id + "|" + alg + "|" + backend;
  let card = document.querySelector('#results .result[data-key="' + CSS.escape(key) + '"]');
  if (!card) {
    const cell = cmp.cells.get(alg + "|" + backend), s = summarize(cell);
    card = pendingCard(backend, alg, cmp.cities.length, "compare");
    card.dataset.key = key;
    fillResult(card, s.rep.res, s.rep.rtt, "Comparison: median of " + cell.runs.length + " runs: backend " + fmtMs(s.median) +
      " (" + fmtMs(s.min) + "–" + fmtMs(s.max) + "), request " + fmtMs(s.total) + ". Shown: the run of median time.");
  }
  choose(card);
  card.scrollIntoView({ block: "start" });
}

function renderDeadlineTable() {
  const dl = state.deadline;
  const out = $("#dl-result");
  if (!dl) { out.replaceChildren(); return; }
  const soft = state.info.soft_deadline_ms, hard = state.info.deadline_ms;
  const head = el("tr", {}, el("th", { text: "Cities" }), dl.backends.map((b) => el("th", { text: b })));
  const rows = DEADLINE_SIZES.map((n) => el("tr", { "data-cities": n },
    el("th", { scope: "row", text: n + " (demo)" }),
    dl.backends.map((b) => {
      const cell = dl.cells.get(n + "|" + b);
      if (!cell) return el("td", { class: "muted", text: "…" });
      const s = summarize(cell);
      if (!s) {
        const e = cell.errors[cell.errors.length - 1];
        return el("td", { class: "cell-error", "data-verdict": "error", text: (e.status ? "HTTP " + e.status + ": " : "") + e.message });
      }
      // The verdict: on the request's median time, as the server measures it.
      const verdict = s.status === "stopped" ? "stopped" : s.total <= soft ? "soft" : s.total <= hard ? "hard" : "missed";
      return el("td", { "data-backend": b, "data-verdict": verdict, "data-median-ms": s.median, "data-runs": cell.runs.length,
        title: "request median " + fmtMs(s.total) + ", backend " + fmtMs(s.min) + "–" + fmtMs(s.max) + " over " + cell.runs.length + " runs" },
        el("span", { class: "median", text: fmtMs(s.median) }), " ",
        el("span", { class: "verdict " + verdict, text: verdict }));
    })));
  out.replaceChildren(
    el("h3", { text: "Deadline table, measured live" }),
    el("p", { class: "cmp-caption" }, "Exhaustive search on the first 9, 10 and 11 demo cities, median backend time of ",
      el("b", { text: dl.k + (dl.k === 1 ? " run" : " runs") }), " per cell. ",
      el("span", { class: "verdict soft", text: "soft" }), " the request met the " + fmtDeadline(soft) + " soft deadline (and the " + fmtDeadline(hard) + " hard one), ",
      el("span", { class: "verdict hard", text: "hard" }), " only the " + fmtDeadline(hard) + " one, ",
      el("span", { class: "verdict missed", text: "missed" }), " neither, ",
      el("span", { class: "verdict stopped", text: "stopped" }), " the deadline stopped the search."),
    el("div", { class: "scroll-x" }, el("table", { class: "cmp deadline", id: "dl-table" }, el("thead", {}, head), el("tbody", {}, rows))),
    el("p", { class: "hint" }, csvLink("export-csv", "tsp-deadlines.csv", dlCSV(dl, soft, hard))));
}

function dlCSV(dl, soft, hard) {
  const out = [["cities", "backend", "runs", "failed", "median_ms", "min_ms", "max_ms", "request_median_ms", "verdict"]];
  for (const n of DEADLINE_SIZES) {
    for (const b of dl.backends) {
      const cell = dl.cells.get(n + "|" + b), s = cell && summarize(cell);
      if (!s) continue;
      const verdict = s.status === "stopped" ? "stopped" : s.total <= soft ? "soft" : s.total <= hard ? "hard" : "missed";
      out.push([n, b, cell.runs.length, cell.errors.length, s.median, s.min, s.max, s.total, verdict]);
    }
  }
  return out;
}

// csvLink is a download link of rows as CSV (RFC 4180), made in the browser.
function csvLink(cls, name, rows) {
  const q = (v) => (/[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));
  const text = rows.map((r) => r.map(q).join(",")).join("\r\n") + "\r\n";
  return el("a", { class: "btn small " + cls, download: name, href: "data:text/csv;charset=utf-8," + encodeURIComponent(text) }, "Download table (CSV)");
}

// ---------------------------------------------------------------- cost matrix

// An example: driving minutes between five places of a town, one-way
// streets making some trips longer one way than the other.
const COSTS_EXAMPLE = {
  names: ["depot", "bakery", "school", "market", "clinic"],
  matrix: [
    [0, 7, 9, 8, 3],
    [6, 0, 4, 5, 9],
    [8, 5, 0, 2, 7],
    [4, 9, 3, 0, 6],
    [2, 8, 6, 5, 0],
  ],
};

const cost = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

// parseCosts reads the text of the cost matrix form as far as the page
// needs to offer a start and an end: {names, matrix}, or an Error with a
// message. The server checks the rest (every value, the diagonal, ...).
function parseCosts(text) {
  if (text.trim() === "") return new Error("Paste a cost matrix or choose a file.");
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return new Error("This is not JSON: " + e.message);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v) || !Array.isArray(v.matrix)) {
    return new Error('Want a JSON object {"names": [...], "matrix": [[...], ...]} with the matrix as an array of rows.');
  }
  const n = v.matrix.length;
  if (n === 0) return new Error("The matrix is empty.");
  const limit = (state.info && state.info.max_matrix_cities) || 250;
  if (n > limit) return new Error("The matrix has " + n + " rows; this server takes at most " + limit + " places.");
  const bad = v.matrix.findIndex((row) => !Array.isArray(row) || row.length !== n);
  if (bad >= 0) return new Error("Row " + (bad + 1) + " is not a list of " + n + " costs: the matrix must be square, one row a place.");
  if (v.names !== undefined && (!Array.isArray(v.names) || v.names.length !== n)) {
    return new Error('"names" must list one name a row: ' + n + " names.");
  }
  const names = v.names ? v.names.map(String) : v.matrix.map((_, i) => "place " + (i + 1));
  return { names, hasNames: !!v.names, matrix: v.matrix, body: v };
}

function costsError(msg) {
  $("#costs-error").textContent = msg;
  $("#costs-error").hidden = !msg;
}

// renderCostsOptions fills the start and end pickers from the matrix's
// names, keeping what was chosen where it still exists.
function renderCostsOptions() {
  const c = parseCosts($("#costs-text").value);
  state.costs = c instanceof Error ? null : c;
  const start = $("#costs-start"), end = $("#costs-end");
  const oldStart = Number(start.value) || 0, oldEnd = end.value || "start";
  if (!state.costs) {
    start.replaceChildren(el("option", { value: 0, text: "–" }));
    end.replaceChildren(el("option", { value: "start", text: "return to start" }), el("option", { value: "any", text: "end anywhere" }));
    end.value = oldEnd === "any" ? "any" : "start";
    return;
  }
  const names = state.costs.names;
  const s = oldStart < names.length ? oldStart : 0;
  start.replaceChildren(...names.map((nm, i) => el("option", { value: i, text: nm })));
  start.value = String(s);
  end.replaceChildren(el("option", { value: "start", text: "return to start" }), el("option", { value: "any", text: "end anywhere" }),
    ...names.map((nm, i) => (i === s ? null : el("option", { value: i, text: "end at " + nm }))).filter(Boolean));
  end.value = [...end.options].some((o) => o.value === oldEnd) ? oldEnd : "start";
}

// renderCostsForm offers the available backends and the algorithms.
function renderCostsForm() {
  const i = state.info;
  $("#costs-backend").replaceChildren(...i.backends.filter((b) => b.available).map((b) => el("option", { value: b.name, text: b.name })));
  $("#costs-algorithm").replaceChildren(el("option", { value: "auto", text: "auto" }),
    ...i.algorithms.map((a) => el("option", { value: a.name, text: a.name })));
  if (i.max_matrix_cities) $("#costs-limit").textContent = int.format(i.max_matrix_cities);
  $("#costs-bytes").textContent = int.format(i.max_body);
}

function solveCosts(ev) {
  ev.preventDefault();
  renderCostsOptions();
  const parsed = parseCosts($("#costs-text").value);
  if (parsed instanceof Error) { costsError(parsed.message); return; }
  costsError("");
  const backend = $("#costs-backend").value || "go", algorithm = $("#costs-algorithm").value || "auto";
  const start = Number($("#costs-start").value) || 0;
  const endValue = $("#costs-end").value;
  const end = endValue === "start" || endValue === "any" ? endValue : Number(endValue);
  const body = { costs: parsed.body, backend, algorithm, start, end };
  const n = parsed.matrix.length;
  const size = new TextEncoder().encode(JSON.stringify(body)).length;
  if (state.info && size > state.info.max_body) {
    costsError("The request would be " + int.format(size) + " bytes; this server takes at most " + int.format(state.info.max_body) +
      " (its -max-body). Round the costs, send fewer places, or start the server with a larger -max-body.");
    return;
  }
  const card = pendingCard(backend, algorithm, n, "matrix");
  card.classList.add("matrix-card");
  if (state.singles > 0) card.querySelector(".pending-text").textContent = "Waiting for the previous request…";
  state.singles++;
  state.single = state.single.then(async () => {
    if (!card.isConnected) return;
    card.querySelector(".pending-text").textContent = "Solving a cost matrix of " + n + " places with " + backend + " · " + algorithm + "…";
    const t0 = performance.now();
    try {
      const res = await api("/api/solve", body);
      fillMatrixResult(card, res, parsed.names, performance.now() - t0);
      choose(card);
    } catch (e) {
      fillError(card, e);
    }
  }).then(() => { state.singles--; });
}

// fillMatrixResult shows the route through a cost matrix: no map, but a
// table of the legs with their costs and the running total.
function fillMatrixResult(card, r, names, roundTripMs) {
  if (!Array.isArray(r.order) || r.order.length === 0 || !Array.isArray(r.legs)) {
    fillError(card, new APIError(0, "The server answered without a route."));
    return;
  }
  card.dataset.state = "done";
  card.dataset.status = r.status;
  card.result = null; // nothing to draw
  const nm = (i) => names[i];
  const order = r.order.map(nm);
  card.dataset.end = r.path ? order[order.length - 1] : "start";
  const ends = endWords(r, order);
  const w = work(r.algorithm);
  let total = 0;
  const rows = r.legs.map((c, k) => {
    total += c;
    const back = !r.path && k === r.legs.length - 1;
    return el("tr", { class: back ? "back leg-row" : "leg-row" },
      el("td", { class: "num", text: k + 1 }),
      el("td", { class: "from", text: order[k] }),
      el("td", { class: "to", text: back ? order[0] + " (back to start)" : order[k + 1] }),
      el("td", { class: "num cost", text: cost.format(c) }),
      el("td", { class: "num total", text: cost.format(total) }));
  });
  const table = el("table", { class: "legs-table" },
    el("thead", {}, el("tr", {}, el("th", { class: "num", text: "Leg" }), el("th", { text: "From" }), el("th", { text: "To" }),
      el("th", { class: "num", text: "Cost" }), el("th", { class: "num", text: "Total" }))),
    el("tbody", {}, rows));
  const metrics = el("dl", { class: "metrics" },
    metric("Length", el("dd", { class: "big length", title: "the sum of the legs, in the matrix's unit" + (r.path ? "; no way back" : ""), text: cost.format(r.length) })),
    metric("Route", el("dd", { class: "route-end", text: ends })),
    metric("Backend", el("dd", { class: "backend-ms", text: fmtMs(r.backend_ms) })),
    metric("Places", el("dd", { text: r.order.length })),
    el("div", {}, el("dt", {}, el("abbr", { class: "term", title: w.tip, "data-term": w.term, text: w.label })),
      el("dd", { class: "nodes", text: int.format(r.nodes) })),
    metric("Round trip", el("dd", { class: "rtt", title: "measured by the browser", text: fmtMs(roundTripMs) })));
  const note = r.status === "stopped" ? el("p", { class: "note stopped", text: "Stopped at the deadline: this is the best route found so far, not proven optimal." }) : null;
  const route = el("p", { class: "matrix-route" }, el("b", { text: "Route: " }), order.join(" → ") + (r.path ? "" : " → " + order[0]));
  card.replaceChildren(
    cardHeader(card, r.backend, r.algorithm,
      el("span", { class: "status " + r.status, text: r.status }),
      el("span", { class: "sum-length", text: cost.format(r.length) }),
      el("span", { class: "sum-end", text: ends }),
      el("span", { class: "sum-ms", text: fmtMs(r.backend_ms) })),
    el("div", { class: "card-body" }, metrics, note, route, el("div", { class: "scroll-x" }, table)));
  card.classList.remove("open");
}

function initCosts() {
  $("#costs-form").addEventListener("submit", solveCosts);
  $("#costs-text").addEventListener("input", () => { costsError(""); renderCostsOptions(); });
  $("#costs-start").addEventListener("change", () => {
    const keep = $("#costs-end").value;
    renderCostsOptions();
    if ([...$("#costs-end").options].some((o) => o.value === keep)) $("#costs-end").value = keep;
  });
  $("#costs-example").addEventListener("click", () => {
    $("#costs-text").value = JSON.stringify(COSTS_EXAMPLE, null, 1).replace(/\[\n\s+([^\[\]]*?)\n\s+\]/g, (m, inner) => "[" + inner.replace(/\s*\n\s*/g, " ") + "]");
    costsError("");
    renderCostsOptions();
  });
  $("#costs-file").addEventListener("change", async (e) => {
    const f = e.target.files && e.target.files[0];
    if (!f) return;
    if (f.size > 8 << 20) { costsError("The file is " + int.format(f.size) + " bytes; the page reads at most 8 MB."); return; }
    $("#costs-text").value = await f.text();
    e.target.value = "";
    const c = parseCosts($("#costs-text").value);
    costsError(c instanceof Error ? c.message : "");
    renderCostsOptions();
  });
  renderCostsOptions();
}

// ---------------------------------------------------------------- glue

function showEmpty() {
  $("#empty").hidden = $("#results").querySelector(".result") !== null;
}

function fatal(where, e) {
  const box = el("div", { class: "error-box run-error", role: "alert" },
    el("strong", { text: "Could not load this part of the page" + (e.status ? " (HTTP " + e.status + ")" : "") }),
    el("p", { text: e.message || String(e) }));
  where.replaceChildren(where.tagName === "UL" ? el("li", {}, box) : box);
}

async function init() {
  $("#select-all").addEventListener("click", () => setTicked(() => true));
  $("#select-none").addEventListener("click", () => setTicked(() => false));
  $("#select-demo").addEventListener("click", () => setTicked((c, i) => !c.custom && i < state.demoTicked));
  $("#start").addEventListener("change", (e) => { state.startKey = ticked()[Number(e.target.value)] || null; renderEnd(); });
  document.querySelectorAll('#end-field input[name="end"]').forEach((r) => r.addEventListener("change", () => { if (r.checked) state.endMode = r.value; updateButtons(); }));
  $("#end-city").addEventListener("change", (e) => {
    state.endKey = ticked().filter((c) => c !== state.startKey)[Number(e.target.value)] || null;
    setEndMode("city");
    updateButtons();
  });
  $("#random-form").addEventListener("submit", randomCities);
  initCosts();
  $("#add-city").addEventListener("submit", addCity);
  $("#import-form").addEventListener("submit", (e) => {
    e.preventDefault();
    importCities($("#import-text").value, $("#import-format").value);
  });
  $("#import-file").addEventListener("change", async (e) => {
    const f = e.target.files && e.target.files[0];
    if (!f) return;
    if (f.size > 8 << 20) {
      $("#import-error").textContent = "The file is " + int.format(f.size) + " bytes; the page reads at most 8 MB.";
      $("#import-error").hidden = false;
      return;
    }
    const text = await f.text();
    $("#import-text").value = text;
    let format = $("#import-format").value;
    if (format === "auto") format = /\.json$/i.test(f.name) ? "json" : /\.tsp$/i.test(f.name) ? "tsplib" : /\.csv$/i.test(f.name) ? "csv" : "auto";
    importCities(text, format);
    e.target.value = "";
  });
  $("#clear").addEventListener("click", () => {
    document.querySelectorAll("#results .result").forEach((c) => c.remove());
    state.chosen = null;
    showEmpty();
  });
  $("#cmp-run").addEventListener("click", startCompare);
  $("#dl-run").addEventListener("click", startDeadline);
  $("#cmp-stop").addEventListener("click", () => { if (state.series) state.series.abort.abort(); });
  $("#cmp-k").addEventListener("change", () => { $("#cmp-k").value = repeats(); });

  const [cities, info, land] = await Promise.allSettled([api("/api/cities"), api("/api/backends"), api("land.json")]);
  if (land.status === "fulfilled" && Array.isArray(land.value)) {
    // The maps draw without land if it is missing: it is decoration.
    state.land = land.value.filter((p) => Array.isArray(p) && p.length >= 6).map(prepareLand);
  }
  if (cities.status === "fulfilled") {
    state.demoTicked = cities.value.ticked;
    state.demo = cities.value.cities;
    state.cities = cities.value.cities.map((c, i) => ({ ...c, ticked: i < cities.value.ticked, custom: false }));
    renderCities();
  } else {
    fatal($("#city-list"), cities.reason);
  }
  if (info.status === "fulfilled") {
    state.info = info.value;
    renderServerInfo();
    renderBackends();
  } else {
    fatal($("#backends"), info.reason);
    fatal($("#cmp-result"), info.reason);
  }
  $("#import-limit").textContent = int.format(maxCities());
  $("#random-limit").textContent = int.format(maxCities());
  $("#random-n").max = maxCities();
  update();
  document.body.dataset.ready = "true";
}

init();
