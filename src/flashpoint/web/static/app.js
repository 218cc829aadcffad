// flashpoint map page. Every piece of data is put on the page as text (textContent, DOM nodes):
// never as HTML, so nothing an article says can run here.
"use strict";
(function () {
  const TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#8c2d9e",
    "Protests": "#1f77b4",
    "Riots": "#e5c100",
    "Strategic developments": "#2ca02c",
  };
  const OTHER_COLOUR = "#7f7f7f";
  const PRECISION_LABELS = [
    ["town", "town"],
    ["near", "near a town / district"],
    ["region", "province (halo)"],
    ["country", "country only (hollow ring)"],
  ];
  const REVIEW_FIELDS = ["sub_event_type", "actor1", "actor2", "location", "latitude", "longitude", "event_date", "fatalities"];
  const PAGE = 1000;
  const MAX_PAGES = 50;
  const DAY = 86400000;

  const state = { config: null, events: [], days: [], selected: null };
  let panels = null; // the place and actor panels (panels.js), made at start

  // -- small DOM helpers: text only ------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === null || value === undefined) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = String(value);
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const colour = (type) => TYPE_COLOURS[type] || OTHER_COLOUR;
  const status = (msg) => { $("status").textContent = msg; };

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(`${response.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    }
    return response.json();
  }

  // -- map ------------------------------------------------------------------------------------
  const map = L.map("map", { worldCopyJump: true, preferCanvas: false, minZoom: 2, maxZoom: 18 }).setView([30, 20], 3);
  map.attributionControl.setPrefix(false);
  // Cluster bubbles in one neutral grey: the legend's colours mean event types, never counts.
  const clusters = L.markerClusterGroup({
    maxClusterRadius: 40, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
    iconCreateFunction: (cluster) => L.divIcon({
      html: el("div", null, el("span", { text: cluster.getChildCount() })),
      className: "marker-cluster fp-cluster",
      iconSize: L.point(40, 40),
    }),
  });
  map.addLayer(clusters);

  async function loadOutlines() {
    try {
      const data = await getJSON("/static/vendor/outlines/countries-110m.geojson");
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#6b7785", weight: 0.8, fillColor: "#f3f1ea", fillOpacity: 1, className: "fp-outline" },
      }).addTo(map).bringToBack();
      map.attributionControl.addAttribution("Outlines: Natural Earth");
    } catch (e) {
      status(`country outlines not loaded (${e.message})`);
    }
  }

  function addTiles(config) {
    if (!config.tile_url) return;
    const layer = L.tileLayer(config.tile_url, { maxZoom: 18 });
    layer.addTo(map);
    if (config.tile_attribution) map.attributionControl.addAttribution(config.tile_attribution);
  }

  function buildLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const [type, c] of Object.entries(TYPE_COLOURS)) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.backgroundColor = c;
      legend.append(el("span", null, swatch, type));
      $("f-type").append(el("option", { value: type, text: type }));
    }
    const places = el("div", { class: "legend-precision" });
    for (const [kind, label] of PRECISION_LABELS) {
      places.append(el("span", null, el("span", { class: `swatch prec-${kind}` }), label));
    }
    places.append(el("span", null, el("span", { class: "swatch prec-cluster" }), "several events (count)"));
    legend.append(places);
  }

  // -- data -----------------------------------------------------------------------------------
  function query() {
    const params = new URLSearchParams();
    for (const name of ["type", "actor", "country", "q"]) {
      const value = $(`f-${name}`).value.trim();
      if (value) params.set(name, value);
    }
    if ($("f-all").checked) params.set("modality", "all");
    return params;
  }

  async function loadEvents() {
    const params = query();
    $("export-csv").href = `/api/export/acled.csv?${params}`;
    $("export-geojson").href = `/api/export/events.geojson?${params}`;
    status("loading events…");
    const events = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES && offset !== null; page++) {
      params.set("limit", String(PAGE));
      params.set("offset", String(offset));
      const body = await getJSON(`/api/events?${params}`);
      events.push(...body.events);
      offset = body.next_offset;
    }
    state.events = events;
    setupTimeline();
    draw();
  }

  // -- timeline -------------------------------------------------------------------------------
  function dayIndex(iso) { return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY); }
  function isoOf(index) { return new Date(index * DAY).toISOString().slice(0, 10); }

  function setupTimeline() {
    const days = state.events.filter((e) => e.event_date).map((e) => dayIndex(e.event_date)); // undated: no day
    const lo = days.length ? Math.min(...days) : 0;
    const hi = days.length ? Math.max(...days) : 0;
    for (const input of [$("t-from"), $("t-to")]) {
      input.min = String(lo);
      input.max = String(hi);
    }
    $("t-from").value = String(lo);
    $("t-to").value = String(hi);
    updateLabel();
  }

  function window_() {
    let a = Number($("t-from").value);
    let b = Number($("t-to").value);
    if (a > b) [a, b] = [b, a];
    return [a, b];
  }

  function updateLabel() {
    const [a, b] = window_();
    $("t-label").textContent = state.events.length ? `${isoOf(a)} – ${isoOf(b)}` : "no events";
  }

  // -- markers --------------------------------------------------------------------------------
  // How exactly the event is placed: a town is a point; near a town or a district a small halo; a
  // province a larger halo; a country (only its centre is known) a hollow dashed ring.
  function precisionOf(e) {
    if (e.geo_precision === 3) {
      return !e.location || !e.admin1 || e.location === e.country ? "country" : "region";
    }
    return e.geo_precision === 2 ? "near" : "town";
  }

  function markerStyle(e) {
    const c = colour(e.event_type);
    const kind = precisionOf(e);
    const base = { fillColor: c, fillOpacity: 0.9, className: `fp-marker fp-prec-${kind}` };
    if (kind === "near") return { ...base, radius: 7, color: c, weight: 8, opacity: 0.35 };
    if (kind === "region") return { ...base, radius: 7, color: c, weight: 20, opacity: 0.25 };
    if (kind === "country") {
      return { ...base, radius: 11, color: c, weight: 3, opacity: 1, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.5 };
    }
    return { ...base, radius: 7, color: "#222", weight: 1, opacity: 1 };
  }

  function draw() {
    const [a, b] = window_();
    clusters.clearLayers();
    const markers = [];
    let unplaced = 0;
    let shown = 0;
    for (const e of state.events) {
      const d = e.event_date ? dayIndex(e.event_date) : null; // an undated event shows whatever the range
      if (d !== null && (d < a || d > b)) continue;
      shown++;
      if (e.latitude === null || e.longitude === null) { unplaced++; continue; }
      const marker = L.circleMarker([e.latitude, e.longitude], markerStyle(e));
      // A tooltip given a string treats it as HTML: give it a text-only element.
      marker.bindTooltip(el("span", { text: `${e.event_date || "undated"} · ${e.sub_event_type}${e.location ? " · " + e.location : ""}` }));
      marker.on("click", () => showEvent(e.event_id));
      marker.on("add", () => {
        const path = marker.getElement();
        if (path) path.setAttribute("data-event-id", e.event_id);
      });
      markers.push(marker);
    }
    clusters.addLayers(markers);
    if (markers.length && !state.fitted) {
      map.fitBounds(clusters.getBounds().pad(0.3), { maxZoom: 6 });  // wide enough to show the country outlines
      state.fitted = true;
    }
    status(`${shown} events in the time window (${unplaced} without coordinates); ${state.events.length} loaded`);
  }

  // -- side panel: one event ------------------------------------------------------------------
  function field(dl, label, value) {
    if (value === null || value === undefined || value === "") return;
    dl.append(el("dt", { text: label }), value instanceof Node ? el("dd", null, value) : el("dd", { text: value }));
  }

  // A name in the event's fields that opens a panel: an actor's months, a place's control timeline.
  function opener(cls, text, title, open) {
    return el("button", { class: `link ${cls}`, type: "button", text, title, onclick: () => open().catch((err) => status(err.message)) });
  }

  function actorField(name, inter) {
    if (!name) return null;
    return el("span", null, opener("actor-link", name, "events and protests against it by month", () => panels.showActor(name)),
      inter ? ` [inter ${inter}]` : "");
  }

  function placeField(e) {
    const rest = [e.admin2, e.admin1, e.country].filter(Boolean).filter((p) => p !== e.location);
    if (!e.location) return rest.join(", ");
    return el("span", null, opener("place-link", e.location, "who held it when", () => panels.showPlace(e.location, e.geonameid)),
      rest.length ? `, ${rest.join(", ")}` : "");
  }

  // The evidence sentence with the spans the coder used for each field marked inside it.
  function evidenceBlock(event, context) {
    const ev = event.evidence;
    const block = el("blockquote", { class: "evidence" });
    if (context && context.before) block.append(el("span", { class: "context", text: context.before }));
    const sentence = el("mark", { class: "evidence-sentence" });
    const spans = Object.entries(event.field_evidence || {})
      .map(([name, s]) => ({ name, start: s.start - ev.start, end: s.end - ev.start }))
      .filter((s) => s.start >= 0 && s.end <= ev.text.length && s.start < s.end)
      .sort((x, y) => x.start - y.start);
    let pos = 0;
    for (const s of spans) {
      if (s.start < pos) continue; // overlapping spans: keep the first
      sentence.append(ev.text.slice(pos, s.start));
      sentence.append(el("span", { class: `field field-${s.name}`, title: s.name, text: ev.text.slice(s.start, s.end) }));
      pos = s.end;
    }
    sentence.append(ev.text.slice(pos));
    block.append(sentence);
    if (context && context.after) block.append(el("span", { class: "context", text: context.after }));
    return block;
  }

  function safeLink(url, text) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank", text });
      }
    } catch (e) { /* not a URL */ }
    return el("span", { text });
  }

  async function showEvent(id, fromReview) {
    const detail = $("detail");
    let body;
    try {
      body = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    } catch (e) {
      detail.replaceChildren(el("p", { class: "hint", text: `could not load event: ${e.message}` }));
      return;
    }
    const e = body.event;
    state.selected = e;
    if (!fromReview) history.replaceState(null, "", `#event=${encodeURIComponent(e.event_id)}`);
    const dl = el("dl", { class: "fields" });
    field(dl, "date", e.event_date ? `${e.event_date} (precision ${e.time_precision}, ${e.date_basis})` : "undated: the text gives no date and no publication date");
    field(dl, "event type", e.event_type);
    field(dl, "disorder", e.disorder_type);
    field(dl, "actor 1", actorField(e.actor1, e.inter1));
    field(dl, "assoc. actor 1", e.assoc_actor_1);
    field(dl, "actor 2", actorField(e.actor2, e.inter2));
    field(dl, "assoc. actor 2", e.assoc_actor_2);
    field(dl, "target", actorField(e.target));
    field(dl, "location", placeField(e));
    field(dl, "coordinates", e.latitude !== null ? `${e.latitude.toFixed(4)}, ${e.longitude.toFixed(4)} (precision ${e.geo_precision})` : null);
    field(dl, "fatalities", String(e.fatalities));
    field(dl, "modality", e.modality);
    field(dl, "confidence", e.confidence.toFixed(2));
    field(dl, "notes", e.notes);
    field(dl, "review", e.review_status);
    const was = Object.entries(e.machine_values || {});
    field(dl, "coder's values", was.length ? was.map(([k, v]) => `${k}: ${v === null ? "empty" : v}`).join("; ") : null);
    field(dl, "event id", e.event_id);
    const parts = [el("h2", { text: e.sub_event_type }), dl];
    if (e.evidence) parts.push(el("h3", { text: "Evidence" }), evidenceBlock(e, body.context));
    const sources = el("ul", { class: "sources" });
    const art = body.article;
    if (art) {
      const label = art.title || art.id;
      sources.append(el("li", null, art.url ? safeLink(art.url, label) : label,
        art.source ? ` — ${art.source}` : "", art.published ? ` (${art.published})` : ""));
    }
    for (const s of e.sources || []) {
      if (art && s.article_id === art.id) continue;
      sources.append(el("li", { text: `${s.article_id}: “${s.text}”` }));
    }
    parts.push(el("h3", { text: "Sources" }), sources);
    if (!fromReview) {
      parts.push(el("p", null, el("button", { class: "link review-this", type: "button", text: "Review this event",
        onclick: () => openReview(e.event_id).catch((err) => status(err.message)) })));
    }
    detail.replaceChildren(...parts);
  }

  // -- review panel -----------------------------------------------------------------------------
  // The article with every evidence sentence of the event marked, and inside them the span behind
  // each field; the fields as controls; c confirms (or saves the corrections), x rejects, n moves on.
  const review = { queue: [], pos: -1, event: null, busy: false };

  function articleBlock(text, event) {
    const sentences = [event.evidence, ...(event.sources || [])]
      .filter((s) => s && (s.article_id === undefined || s.article_id === event.article_id))
      .map((s) => ({ start: s.start, end: s.end }))
      .filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end)
      .sort((a, b) => a.start - b.start);
    const fields = Object.entries(event.field_evidence || {})
      .map(([name, s]) => ({ name, start: s.start, end: s.end }))
      .filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end)
      .sort((a, b) => a.start - b.start);
    const withFields = (node, lo, hi) => {
      let pos = lo;
      for (const f of fields) {
        const a = Math.max(f.start, lo);
        const b = Math.min(f.end, hi);
        if (a >= b || a < pos) continue;
        node.append(text.slice(pos, a), el("span", { class: `field field-${f.name}`, title: f.name, text: text.slice(a, b) }));
        pos = b;
      }
      node.append(text.slice(pos, hi));
      return node;
    };
    const block = el("div", { class: "article-body" });
    let pos = 0;
    for (const s of sentences) {
      if (s.start < pos) continue;
      withFields(block, pos, s.start);
      block.append(withFields(el("mark", { class: "evidence-sentence" }), s.start, s.end));
      pos = s.end;
    }
    withFields(block, pos, text.length);
    return block;
  }

  function fillSubTypes() {
    const select = $("r-sub_event_type");
    if (select.options.length) return;
    const groups = (state.config && state.config.sub_event_types) || {};
    for (const [type, subs] of Object.entries(groups)) {
      const group = el("optgroup", { label: type });
      for (const sub of subs) group.append(el("option", { value: sub, text: sub }));
      select.append(group);
    }
  }

  function showReviewed(e, articleText) {
    review.event = e;
    fillSubTypes();
    const select = $("r-sub_event_type");
    if (![...select.options].some((o) => o.value === e.sub_event_type)) select.append(el("option", { value: e.sub_event_type, text: e.sub_event_type }));
    for (const name of REVIEW_FIELDS) {
      const value = e[name];
      $(`r-${name}`).value = value === null || value === undefined ? "" : String(value);
    }
    $("r-duplicate_of").value = "";
    const badge = $("review-status");
    badge.textContent = e.review_status;
    badge.setAttribute("data-status", e.review_status);
    const was = Object.entries(e.machine_values || {}).map(([k, v]) => `${k} was ${v === null ? "empty" : v}`);
    $("review-message").textContent = was.length ? `Corrected: ${was.join("; ")}.` : "";
    if (articleText !== undefined) {
      const box = $("review-article");
      box.replaceChildren(articleText === null ? el("p", { class: "hint", text: "article text not stored" }) : articleBlock(articleText, e));
      const mark = box.querySelector("mark");
      box.scrollTop = mark ? Math.max(0, mark.offsetTop - box.offsetTop - 40) : 0;  // the evidence in view
    }
    $("review-pos").textContent = review.pos >= 0 ? `queue ${review.pos + 1} of ${review.queue.length}` : "";
  }

  async function openReview(id) {
    $("review").hidden = false;
    $("review-token").value = sessionStorage.getItem("fp-token") || "";
    if (!id) {
      const body = await getJSON("/api/review/queue?limit=200");
      review.queue = body.events.map((e) => e.event_id);
      review.pos = review.queue.length ? 0 : -1;
      id = review.queue[0];
      if (!id) { $("review-message").textContent = "Nothing left to review."; return; }
    } else {
      review.pos = review.queue.indexOf(id);
    }
    const body = await getJSON(`/api/events/${encodeURIComponent(id)}?text=true`);
    history.replaceState(null, "", `#review=${encodeURIComponent(id)}`);
    showReviewed(body.event, body.article_text);
    await showEvent(id, true);
  }

  function corrections() {
    const e = review.event;
    const out = {};
    for (const name of REVIEW_FIELDS) {
      const value = $(`r-${name}`).value.trim();
      const current = e[name] === null || e[name] === undefined ? "" : String(e[name]);
      if (value !== current) out[name] = value === "" ? null : value;
    }
    return out;
  }

  async function sendReview(body) {
    if (!review.event || review.busy) return;
    const token = $("review-token").value.trim();
    if (!token) { $("review-message").textContent = "Give the server's token first."; $("review-token").focus(); return; }
    sessionStorage.setItem("fp-token", token);
    review.busy = true;
    try {
      const response = await fetch(`/api/events/${encodeURIComponent(review.event.event_id)}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        $("review-message").textContent = `not saved (${response.status}): ${answer.detail || response.statusText}`;
        return;
      }
      showReviewed(answer.event);
      $("review-message").textContent = `${answer.event.review_status} by ${answer.review.by}. ${$("review-message").textContent}`;
      await loadEvents();
      await showEvent(answer.event.event_id, true);
    } finally {
      review.busy = false;
    }
  }

  function confirmOrSave() {
    const changed = corrections();
    return sendReview(Object.keys(changed).length ? { set: changed } : { confirm: true });
  }

  async function nextInQueue() {
    if (review.pos < 0 || review.pos + 1 >= review.queue.length) return openReview(null);
    review.pos += 1;
    return openReview(review.queue[review.pos]);
  }

  function onKey(ev) {
    if ($("review").hidden || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = ev.target && ev.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    const actions = { c: confirmOrSave, x: () => sendReview({ reject: true }), n: nextInQueue };
    const action = actions[ev.key];
    if (!action) return;
    ev.preventDefault();
    action().catch((e) => { $("review-message").textContent = e.message; });
  }

  function setupReview() {
    document.addEventListener("keydown", onKey);
    $("review-form").addEventListener("submit", (ev) => { ev.preventDefault(); confirmOrSave(); });
    $("r-reject").addEventListener("click", () => sendReview({ reject: true }));
    $("r-next").addEventListener("click", () => nextInQueue().catch((e) => status(e.message)));
    $("r-duplicate").addEventListener("click", () => {
      const other = $("r-duplicate_of").value.trim();
      if (other) sendReview({ duplicate_of: other });
    });
    $("review-open").addEventListener("click", () => openReview(null).catch((e) => status(e.message)));
    $("review-close").addEventListener("click", () => {
      $("review").hidden = true;
      if (review.event) history.replaceState(null, "", `#event=${encodeURIComponent(review.event.event_id)}`);
    });
  }

  // -- start ----------------------------------------------------------------------------------
  async function start() {
    panels = window.flashpointPanels({
      el, $, getJSON, field, colour, safeLink, showEvent,
      types: Object.keys(TYPE_COLOURS),
      features: () => (state.config && state.config.features) || [],
    });
    buildLegend();
    setupReview();
    $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); loadEvents().catch((e) => status(e.message)); });
    for (const id of ["t-from", "t-to"]) $(id).addEventListener("input", () => { updateLabel(); draw(); });
    try {
      state.config = await getJSON("/api/config");
      addTiles(state.config);
    } catch (e) {
      status(`config: ${e.message}`);
    }
    await loadOutlines();
    await loadEvents();
    const linked = /^#event=(.+)$/.exec(location.hash);
    if (linked) await showEvent(decodeURIComponent(linked[1]));
    const reviewing = /^#review(?:=(.+))?$/.exec(location.hash);
    if (reviewing) await openReview(reviewing[1] ? decodeURIComponent(reviewing[1]) : null).catch((e) => status(e.message));
    document.body.setAttribute("data-ready", "true");
  }
  start().catch((e) => status(`error: ${e.message}`));
})();
