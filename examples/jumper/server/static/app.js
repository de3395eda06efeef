// TSP Jumper: the page's logic. Plain JavaScript, no framework, no network
// access but this server's /api.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const EARTH_RADIUS_KM = 6372.8; // the same sphere as the Go library

const state = {
  cities: [],        // {name, lat, lon, ticked, custom}
  demoTicked: 11,
  startKey: null,    // the start city, as the object itself
  info: null,        // GET /api/backends
  land: [],          // land rings from land.json: {pts: [lon, lat, ...], x0, x1, y0, y1}
  seq: 0,            // results numbered in run order
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

// ---------------------------------------------------------------- API

class APIError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new APIError(0, "Could not reach the server (" + e.message + "). Is it still running?");
  }
  const text = await resp.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { /* not JSON */ }
  if (!resp.ok) {
    let msg = data && data.error ? data.error : (text.trim() || resp.statusText || "no message");
    const retry = resp.headers.get("Retry-After");
    if (resp.status === 503 && retry) msg += " (retry after " + retry + " s)";
    throw new APIError(resp.status, msg);
  }
  if (data === null) throw new APIError(resp.status, "The server answered something that is not JSON.");
  return data;
}

// ---------------------------------------------------------------- cities

function ticked() { return state.cities.filter((c) => c.ticked); }

function renderCities() {
  const list = $("#city-list");
  list.replaceChildren();
  state.cities.forEach((c, i) => {
    const box = el("input", { type: "checkbox", "data-index": i, "data-name": c.name });
    box.checked = c.ticked;
    box.addEventListener("change", () => { c.ticked = box.checked; update(); });
    list.append(el("li", {},
      el("label", { title: c.name },
        box,
        el("span", { class: "name", text: c.name }),
        c.custom ? el("span", { class: "tag", text: "added" }) : null,
        el("span", { class: "coords", text: c.lat.toFixed(2) + ", " + c.lon.toFixed(2) })),
      c.custom ? el("button", {
        type: "button", class: "remove", title: "Remove " + c.name, "aria-label": "Remove " + c.name,
        onclick: () => { state.cities.splice(i, 1); renderCities(); update(); },
      }, "×") : null));
  });
  if (state.cities.length === 0) list.append(el("li", { class: "muted", text: "No cities." }));
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
  sel.replaceChildren(...t.map((c, i) => {
    const o = el("option", { value: i, text: c.name });
    o.selected = c === state.startKey;
    return o;
  }));
  sel.disabled = t.length === 0;
  if (t.length === 0) sel.append(el("option", { text: "tick a city first" }));
}

function update() {
  const n = ticked().length;
  $("#count").textContent = n + " of " + state.cities.length + " selected";
  renderStart();
  updateButtons();
}

function addCity(ev) {
  ev.preventDefault();
  const err = $("#add-error");
  const name = $("#new-name").value.trim();
  const latS = $("#new-lat").value.trim(), lonS = $("#new-lon").value.trim();
  const lat = Number(latS), lon = Number(lonS);
  let msg = "";
  if (!name) msg = "Give the city a name.";
  else if (state.cities.some((c) => c.name.toLowerCase() === name.toLowerCase())) msg = "There is already a city called \u201c" + name + "\u201d.";
  else if (latS === "" || !Number.isFinite(lat) || lat < -90 || lat > 90) msg = "Latitude must be a number from -90 to 90.";
  else if (lonS === "" || !Number.isFinite(lon) || lon < -180 || lon > 180) msg = "Longitude must be a number from -180 to 180.";
  if (msg) {
    err.textContent = msg;
    err.hidden = false;
    return;
  }
  err.hidden = true;
  state.cities.push({ name, lat, lon, ticked: true, custom: true });
  ev.target.reset();
  renderCities();
  update();
  $("#city-list").lastElementChild.scrollIntoView({ block: "nearest" });
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

function runButton(backend, alg, all) {
  return el("button", {
    type: "button", class: "btn run" + (all ? " all" : ""),
    "data-backend": backend ? backend.name : "*", "data-algorithm": alg.name,
    "data-max": alg.max_cities, disabled: backend && !backend.available,
    onclick: () => {
      if (all) state.info.backends.filter((b) => b.available).forEach((b) => solve(b.name, alg.name));
      else solve(backend.name, alg.name);
    },
  }, all ? "all " + alg.name : alg.name);
}

function renderBackends() {
  const i = state.info;
  const head = el("tr", {}, el("th", { text: "Backend" }),
    i.algorithms.map((a) => el("th", {}, a.name, el("small", {
      text: (a.proves_optimal ? "proves optimal · " : "heuristic · ") + "≤ " + int.format(a.max_cities) + " cities",
    }))));
  const rows = i.backends.map((b) => el("tr", { class: b.available ? "available" : "unavailable", "data-backend": b.name },
    el("th", { scope: "row" },
      el("span", { class: "bname", text: b.name }),
      el("span", { class: "pill " + (b.available ? "on" : "off"), text: b.available ? "available" : "unavailable" }),
      b.available && b.where ? el("span", { class: "where", text: b.where }) : null,
      b.available ? null : el("span", { class: "reason", text: b.error || "unavailable" })),
    i.algorithms.map((a) => el("td", {}, runButton(b, a, false)))));
  const anyAvail = i.backends.some((b) => b.available);
  if (anyAvail) {
    rows.push(el("tr", { class: "all-row" },
      el("th", { scope: "row" }, el("span", { class: "muted", text: "every available backend" })),
      i.algorithms.map((a) => el("td", {}, runButton(null, a, true)))));
  }
  const parts = [el("table", {}, el("thead", {}, head), el("tbody", {}, rows))];
  if (!anyAvail) {
    parts.push(el("div", { class: "error-box" },
      el("strong", { text: "No backend is available" }),
      el("p", { text: "This server cannot solve anything; the reasons are listed above." })));
  }
  $("#backends").replaceChildren(...parts);
  updateButtons();
}

function updateButtons() {
  if (!state.info) return;
  const n = ticked().length;
  const avail = new Set(state.info.backends.filter((b) => b.available).map((b) => b.name));
  document.querySelectorAll("button.run").forEach((btn) => {
    const name = btn.dataset.backend, max = Number(btn.dataset.max);
    let why = "";
    if (name !== "*" && !avail.has(name)) why = name + " is unavailable on this server";
    else if (name === "*" && avail.size === 0) why = "no backend is available";
    else if (n === 0) why = "tick at least one city";
    else if (n > max) why = btn.dataset.algorithm + " takes at most " + max + " cities (" + n + " ticked)";
    btn.disabled = why !== "";
    btn.title = why || "Solve " + n + " cities with " + (name === "*" ? "every available backend" : name) + " · " + btn.dataset.algorithm;
  });
}

// ---------------------------------------------------------------- solving

async function solve(backend, algorithm) {
  const cities = ticked();
  const start = Math.max(0, cities.indexOf(state.startKey));
  const card = pendingCard(backend, algorithm, cities.length);
  const t0 = performance.now();
  try {
    const res = await api("/api/solve", {
      cities: cities.map((c) => ({ name: c.name, lat: c.lat, lon: c.lon })),
      backend, algorithm, start,
    });
    fillResult(card, res, performance.now() - t0);
  } catch (e) {
    fillError(card, e);
  }
}

function cardHeader(card, backend, algorithm, statusNode) {
  return el("header", {},
    el("div", { class: "title" },
      el("span", { class: "backend", text: backend }),
      el("span", { class: "alg", text: algorithm }),
      el("span", { class: "seq", text: "#" + card.dataset.seq })),
    statusNode,
    el("button", { type: "button", class: "close", title: "Remove this result", "aria-label": "Remove this result",
      onclick: () => { card.remove(); showEmpty(); } }, "×"));
}

function pendingCard(backend, algorithm, n) {
  const card = el("article", { class: "result fresh", "data-state": "pending", "data-backend": backend,
    "data-algorithm": algorithm, "data-seq": ++state.seq });
  card.append(cardHeader(card, backend, algorithm, el("span", { class: "status pending", text: "solving" })),
    el("div", { class: "pending-body" }, el("span", { class: "spinner" }),
      "Solving " + n + " cities with " + backend + " · " + algorithm + "…"));
  $("#results").append(card);
  showEmpty();
  card.scrollIntoView({ block: "nearest" }); // not smooth: a moving page makes clicks land elsewhere
  return card;
}

function fillError(card, e) {
  card.dataset.state = "error";
  const title = e.status ? "Request failed · HTTP " + e.status : "Request failed";
  card.replaceChildren(
    cardHeader(card, card.dataset.backend, card.dataset.algorithm, el("span", { class: "status error", text: "error" })),
    el("div", { class: "error-box", role: "alert" },
      el("strong", { text: title }),
      el("p", { class: "error-message", text: e.message || String(e) })));
}

function fillResult(card, r, roundTripMs) {
  if (!Array.isArray(r.tour) || r.tour.length === 0) {
    fillError(card, new APIError(0, "The server answered without a tour."));
    return;
  }
  card.dataset.state = "done";
  card.dataset.status = r.status;
  const soft = state.info ? state.info.soft_deadline_ms : 1000;
  const metrics = el("dl", { class: "metrics" },
    metric("Length", el("dd", { class: "big length", text: km.format(r.length_km) + " km" })),
    metric("Backend", el("dd", { class: "backend-ms", title: "time in the backend's Solve", text: fmtMs(r.backend_ms) })),
    metric("Request", el("dd", { class: "total-ms", title: "server time from arrival to answer, queueing included" }, fmtMs(r.total_ms),
      " ", el("small", { class: r.soft_deadline_met ? "met" : "missed",
        title: "soft deadline " + fmtDeadline(soft),
        text: r.soft_deadline_met ? "✓ soft" : "✗ soft" }))),
    metric("Cities", el("dd", { text: r.tour.length })),
    metric(r.algorithm === "exhaustive" || r.algorithm === "exact" ? "Search nodes" : "Moves", el("dd", { text: int.format(r.nodes) })),
    metric("Round trip", el("dd", { class: "rtt", title: "measured by the browser", text: fmtMs(roundTripMs) })));
  let note = null;
  if (r.status === "stopped") {
    let t = "Stopped at the deadline: this is the best tour found so far, not proven optimal.";
    if (r.lower_bound_km > 0) {
      const gap = (r.length_km - r.lower_bound_km) / r.length_km * 100;
      t += " Proven lower bound " + km.format(r.lower_bound_km) + " km (gap ≤ " + gap.toFixed(1) + "%).";
    }
    note = el("p", { class: "note stopped", text: t });
  }
  const map = drawRoute(r.tour);
  const list = tourList(r.tour, map);
  card.replaceChildren(...[
    cardHeader(card, r.backend, r.algorithm, el("span", { class: "status " + r.status, text: r.status })),
    metrics, note, map, list].filter(Boolean));
}

function metric(label, dd) { return el("div", {}, el("dt", { text: label }), dd); }

function tourList(tour, map) {
  const items = tour.map((c, i) => {
    const leg = i === 0 ? null : haversine(tour[i - 1], c);
    const li = el("li", { class: "stop", "data-i": i },
      el("span", { class: "idx", text: i + 1 }),
      el("span", { class: "nm", title: c.name, text: c.name }),
      i === 0 ? el("span", { class: "badge", text: "start" }) : null,
      leg === null ? null : el("span", { class: "leg", text: "+" + int.format(Math.round(leg)) + " km" }));
    li.addEventListener("mouseenter", () => highlight(map, i, true));
    li.addEventListener("mouseleave", () => highlight(map, i, false));
    return li;
  });
  if (tour.length > 1) {
    items.push(el("li", { class: "home" },
      el("span", { class: "idx", text: "↩" }),
      el("span", { class: "nm", text: "back to " + tour[0].name }),
      el("span", { class: "leg", text: "+" + int.format(Math.round(haversine(tour[tour.length - 1], tour[0]))) + " km" })));
  }
  return el("ol", { class: "tour" }, items);
}

function highlight(map, i, on) {
  const dot = map.querySelector('[data-i="' + i + '"]');
  if (dot && dot.classList.contains("stop")) dot.classList.toggle("hl", on);
}

// ---------------------------------------------------------------- the map

// drawRoute draws the tour on an equirectangular projection (x = longitude,
// y = latitude) fitted to the cities. The map is cut at the widest empty
// band of longitudes, so a route around the Pacific stays in one piece.
function drawRoute(tour) {
  const W = 400, MAXH = 300, PAD = 24;
  const lons = tour.map((c) => c.lon).sort((a, b) => a - b);
  let cut = lons[0], gap = lons[0] + 360 - lons[lons.length - 1];
  for (let i = 0; i + 1 < lons.length; i++) {
    if (lons[i + 1] - lons[i] > gap) { gap = lons[i + 1] - lons[i]; cut = lons[i + 1]; }
  }
  const X = (lon) => (lon < cut ? lon + 360 : lon);
  const xs = tour.map((c) => X(c.lon)), ys = tour.map((c) => -c.lat);
  let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const grow = (a, b, min) => { const m = (a + b) / 2, h = Math.max((b - a) / 2, min / 2); return [m - h, m + h]; };
  [x0, x1] = grow(x0, x1, 4);
  [y0, y1] = grow(y0, y1, 3);
  const s = Math.min((W - 2 * PAD) / (x1 - x0), (MAXH - 2 * PAD) / (y1 - y0));
  const H = Math.max(190, Math.round((y1 - y0) * s + 2 * PAD));
  const ox = (W - (x1 - x0) * s) / 2, oy = (H - (y1 - y0) * s) / 2;
  const px = (x) => ox + (x - x0) * s, py = (y) => oy + (y - y0) * s;
  // the visible range in degrees, for the graticule
  const vx0 = x0 - ox / s, vx1 = x0 + (W - ox) / s, vy0 = y0 - oy / s, vy1 = y0 + (H - oy) / s;

  const svg = el("svg:svg", { class: "map route-map", viewBox: "0 0 " + W + " " + H, width: W, height: H,
    role: "img", "aria-label": "Route through " + tour.length + " cities, starting at " + tour[0].name });
  svg.append(el("svg:rect", { class: "sea", x: 0, y: 0, width: W, height: H }));

  // Land, drawn once per copy of the world that the view reaches, so that
  // nothing breaks at the antimeridian or at the cut.
  let d = "";
  for (const r of state.land) {
    if (-r.y1 > vy1 || -r.y0 < vy0) continue;
    for (const k of [-360, 0, 360, 720]) {
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
  const step = [1, 2, 5, 10, 15, 20, 30, 45].find((st) => span / st <= 7) || 60;
  for (let x = Math.ceil(vx0 / step) * step; x <= vx1; x += step) {
    const lon = ((x + 540) % 360) - 180;
    grid.append(el("svg:line", { x1: px(x), y1: 0, x2: px(x), y2: H }),
      el("svg:text", { x: px(x) + 3, y: H - 4, text: Math.abs(lon) + "°" + (lon < 0 ? "W" : lon > 0 ? "E" : "") }));
  }
  for (let y = Math.ceil(vy0 / step) * step; y <= vy1; y += step) {
    const lat = -y;
    grid.append(el("svg:line", { x1: 0, y1: py(y), x2: W, y2: py(y) }),
      el("svg:text", { x: 3, y: py(y) - 3, text: Math.abs(lat) + "°" + (lat < 0 ? "S" : lat > 0 ? "N" : "") }));
  }
  svg.append(grid);

  const pts = tour.map((c, i) => [px(xs[i]), py(ys[i])]);
  const ring = pts.concat([pts[0]]).map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ");
  if (tour.length > 1) {
    svg.append(el("svg:polyline", { class: "halo", points: ring }),
      el("svg:polyline", { class: "route", points: ring, "data-stops": tour.length }));
  }
  const label = tour.length <= 16;
  pts.forEach((p, i) => {
    if (i === 0) return;
    svg.append(el("svg:circle", { class: "stop", "data-i": i, cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 4 },
      el("svg:title", { text: (i + 1) + ". " + tour[i].name })));
    if (label) svg.append(el("svg:text", { class: "num", x: (p[0] + 6).toFixed(1), y: (p[1] - 4).toFixed(1), text: i + 1 }));
  });
  const [sx, sy] = pts[0];
  svg.append(el("svg:circle", { class: "start-ring", cx: sx.toFixed(1), cy: sy.toFixed(1), r: 11 }),
    el("svg:circle", { class: "start", "data-i": 0, cx: sx.toFixed(1), cy: sy.toFixed(1), r: 6.5 },
      el("svg:title", { text: "Start: " + tour[0].name })));

  // legend, top left
  const text = "start · " + tour[0].name;
  const lw = Math.min(W - 16, 30 + text.length * 6.1);
  svg.append(el("svg:g", { class: "legend" },
    el("svg:rect", { x: 8, y: 8, width: lw.toFixed(0), height: 22, rx: 5 }),
    el("svg:circle", { class: "start", cx: 20, cy: 19, r: 5 }),
    el("svg:text", { x: 31, y: 23, text })));
  return svg;
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
  $("#start").addEventListener("change", (e) => { state.startKey = ticked()[Number(e.target.value)] || null; });
  $("#add-city").addEventListener("submit", addCity);
  $("#clear").addEventListener("click", () => {
    document.querySelectorAll("#results .result").forEach((c) => c.remove());
    showEmpty();
  });

  const [cities, info, land] = await Promise.allSettled([api("/api/cities"), api("/api/backends"), api("land.json")]);
  if (land.status === "fulfilled" && Array.isArray(land.value)) {
    // The maps draw without land if it is missing: it is decoration.
    state.land = land.value.map((pts) => {
      const r = { pts, x0: 180, x1: -180, y0: 90, y1: -90 };
      for (let i = 0; i < pts.length; i += 2) {
        r.x0 = Math.min(r.x0, pts[i]); r.x1 = Math.max(r.x1, pts[i]);
        r.y0 = Math.min(r.y0, pts[i + 1]); r.y1 = Math.max(r.y1, pts[i + 1]);
      }
      return r;
    });
  }
  if (cities.status === "fulfilled") {
    state.demoTicked = cities.value.ticked;
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
  }
  update();
  document.body.dataset.ready = "true";
}

init();
