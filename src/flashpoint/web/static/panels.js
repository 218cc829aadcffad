// flashpoint map page: the place panel (who held a place when, on what evidence) and the actor panel
// (its events by type and the protests against it, month by month). Like app.js, it puts every piece
// of data on the page as text (textContent, DOM nodes), never as HTML.
"use strict";
window.flashpointPanels = function (kit) {
  const { el, $, getJSON, field, colour, safeLink, types, features, showEvent } = kit;
  const PAGE = 1000;
  const MAX_PAGES = 20;

  function open(id, title, subtitle) {
    const view = $(id);
    view.hidden = false;
    const close = el("button", { class: "link", type: "button", text: "close", onclick: () => { view.hidden = true; } });
    view.replaceChildren(el("div", { class: "view-head" }, el("h2", { text: title }), close),
      subtitle ? el("p", { class: "hint", text: subtitle }) : null, el("p", { class: "hint loading", text: "loading…" }));
    return view;
  }

  function finish(view, parts) {
    view.querySelector(".loading").remove();
    view.append(...parts);
    view.scrollIntoView({ block: "start" });  // the side panel scrolls to it
  }

  function table(headers, rows) {
    const t = el("table", { class: "simple" }, el("tr", null, ...headers.map((h) => el("th", { text: h }))));
    for (const row of rows) t.append(el("tr", null, ...row.map((c) => (c instanceof Node ? el("td", null, c) : el("td", { text: c ?? "" })))));
    return t;
  }

  // -- the place panel: its control intervals, oldest first -------------------------------------
  function citation(c) {
    const art = c.article;
    const label = art ? art.title || art.id : c.article_id;
    const cite = el("cite", null, art && art.url ? safeLink(art.url, label) : label, art && art.published ? ` (${art.published})` : "");
    if (c.event_id) {
      cite.append(" · ", el("button", { class: "link", type: "button", text: "event", title: c.event_id, onclick: () => showEvent(c.event_id) }));
    }
    return el("blockquote", { class: "evidence control-evidence" }, el("span", { class: "sentence", text: c.text }), cite);
  }

  function interval(iv) {
    const from = iv.start ? `from ${iv.start}` : "from before the first report";
    const to = iv.end ? `to ${iv.end}` : "to the last report";
    return el("li", { class: "control-interval" },
      el("div", { class: "interval-head" },
        el("strong", { class: "holder", text: iv.holder || "holder unknown" }),
        el("span", { class: "interval-dates", text: `${from} ${to}` }),
        el("span", { class: "hint", text: `confidence ${iv.confidence.toFixed(2)}` })),
      ...iv.evidence.map(citation));
  }

  async function showPlace(name, geonameid) {
    const view = open("place-view", name, "Who held it when, each interval with the sentences that say so.");
    if (!features().includes("control")) { finish(view, [el("p", { class: "hint", text: "this server offers no control view" })]); return; }
    const params = new URLSearchParams({ place: name });
    if (geonameid) params.set("geonameid", String(geonameid));
    let body;
    try {
      body = await getJSON(`/api/control/timeline?${params}`);
    } catch (e) {
      finish(view, [el("p", { class: "hint", text: `control: ${e.message}` })]);
      return;
    }
    if (body.place !== name) view.querySelector("h2").textContent = `${name} (${body.place})`;
    finish(view, [body.intervals.length
      ? el("ol", { class: "control-timeline" }, ...body.intervals.map(interval))
      : el("p", { class: "hint", text: "No control of this place is recorded: no event or sentence says who held it." })]);
  }

  // -- the actor panel: events by type and protests against it, month by month ------------------
  async function actorEvents(name) {
    const params = new URLSearchParams({ actor: name, limit: String(PAGE) });
    const out = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES && offset !== null; page++) {
      params.set("offset", String(offset));
      const body = await getJSON(`/api/events?${params}`);
      out.push(...body.events);
      offset = body.next_offset;
    }
    const key = name.trim().toLowerCase();
    const named = (v) => !!v && v.split(";").some((part) => part.trim().toLowerCase() === key);
    return out.filter((e) => [e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2].some(named));
  }

  function nextMonth(month) {
    const [y, m] = month.split("-").map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }

  // Every month from the first to the last with something to count, so that gaps read as zero.
  function monthRows(events, periods) {
    const byMonth = new Map();
    const row = (month) => {
      if (!byMonth.has(month)) byMonth.set(month, { month, types: new Map(), total: 0, protests: 0 });
      return byMonth.get(month);
    };
    for (const e of events) {
      if (!e.event_date) continue; // undated: in no month
      const r = row(e.event_date.slice(0, 7));
      r.types.set(e.event_type, (r.types.get(e.event_type) || 0) + 1);
      r.total += 1;
    }
    for (const p of periods) row(p.period).protests = p.protests_against;
    const months = [...byMonth.keys()].sort();
    const rows = [];
    for (let m = months[0]; m && m <= months[months.length - 1]; m = nextMonth(m)) rows.push(byMonth.get(m) || row(m));
    return rows;
  }

  function bar(parts, max) {
    const box = el("span", { class: "hbar" });
    for (const [label, value, c] of parts) {
      const seg = el("span", { class: "hbar-seg", title: `${label}: ${value}` });
      seg.style.width = `${(100 * value) / max}%`;
      seg.style.backgroundColor = c;
      box.append(seg);
    }
    return box;
  }

  function monthTable(rows) {
    const max = Math.max(1, ...rows.map((r) => Math.max(r.total, r.protests)));
    const t = el("table", { class: "simple months" },
      el("tr", null, el("th", { text: "month" }), el("th", { text: "its events, by type" }), el("th", { text: "protests against it" })));
    for (const r of rows) {
      const kinds = [...r.types.entries()].sort((a, b) => types.indexOf(a[0]) - types.indexOf(b[0]));
      const breakdown = kinds.map(([type, n]) => `${type} ${n}`).join(" · ");
      t.append(el("tr", { class: "month", "data-month": r.month },
        el("td", { text: r.month }),
        el("td", null, bar(kinds.map(([type, n]) => [type, n, colour(type)]), max),
          el("span", { class: "count", text: r.total ? `${r.total}: ${breakdown}` : "0" })),
        el("td", null, bar(r.protests ? [["protests against", r.protests, "#1f77b4"]] : [], max),
          el("span", { class: "count protests", text: String(r.protests) }))));
    }
    return t;
  }

  async function knowledge(name) {
    try {
      const a = await getJSON(`/api/actors/${encodeURIComponent(name)}`);
      const dl = el("dl", { class: "fields" });
      field(dl, "kind", a.kind);
      field(dl, "inter", a.inter);
      field(dl, "country", a.country);
      field(dl, "aliases", (a.aliases || []).join("; "));
      const relations = a.relations || [];
      return [dl, relations.length ? el("h4", { text: "Lineage and relations" }) : null,
        relations.length ? table(["relation", "actor", "from", "to"], relations.map((r) => [r.kind, r.target, r.start, r.end])) : null];
    } catch (e) {
      return [el("p", { class: "hint", text: `actor: ${e.message}` })];
    }
  }

  async function holdings(name) {
    try {
      const c = await getJSON(`/api/control?actor=${encodeURIComponent(name)}&by=month`);
      const periods = c.periods || [];
      return [el("h4", { text: "Territorial control by month" }), periods.length
        ? table(["month", "places held", "gained", "lost"], periods.map((p) => [p.period, p.places.join(", "), p.gained, p.lost]))
        : el("p", { class: "hint", text: "no control changes recorded for this actor" })];
    } catch (e) {
      return [el("p", { class: "hint", text: `control: ${e.message}` })];
    }
  }

  function otherSigns(periods) {
    const rows = periods.filter((p) => p.force_against_protesters || p.defections || p.surrenders);
    if (!rows.length) return [];
    return [el("h4", { text: "Other signs of support lost" }),
      table(["month", "force vs protesters", "defections", "surrenders"],
        rows.map((p) => [p.period, p.force_against_protesters, p.defections, p.surrenders]))];
  }

  async function showActor(name) {
    const view = open("actor-view", name, "Events by month: its events (as actor 1, actor 2 or an associated actor) by type, and protests against it.");
    const has = features();
    let events = [];
    let periods = [];
    const parts = [];
    try {
      [events, periods] = await Promise.all([actorEvents(name),
        has.includes("support") ? getJSON(`/api/support?actor=${encodeURIComponent(name)}&by=month`).then((s) => s.periods || []) : []]);
    } catch (e) {
      parts.push(el("p", { class: "hint", text: `events: ${e.message}` }));
    }
    const rows = monthRows(events, periods);
    parts.push(rows.length ? monthTable(rows) : el("p", { class: "hint", text: "no dated events of this actor" }));
    const undated = events.filter((e) => !e.event_date).length;
    if (undated) parts.push(el("p", { class: "hint", text: `${undated} undated event(s) of it are in no month.` }));
    parts.push(...otherSigns(periods));
    if (has.includes("actors")) parts.push(...(await knowledge(name)));
    if (has.includes("control")) parts.push(...(await holdings(name)));
    finish(view, parts.filter(Boolean));
  }

  return { showPlace, showActor };
};
