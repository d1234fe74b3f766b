// spread-web's one script: builds the page named by <body data-page> from /api/* and the WebSocket (/ws).
"use strict";
(function () {
  var page = document.body.getAttribute("data-page");
  var main = document.getElementById("main");
  var conn = document.getElementById("conn");

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) { if (k === "text") e.textContent = attrs[k]; else if (k === "cls") e.className = attrs[k]; else e.setAttribute(k, attrs[k]); }
    if (kids) kids.forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function num(v, d) { return v == null || !isFinite(v) ? "–" : Number(v).toFixed(d); }
  function price(v) { return v == null || !isFinite(v) ? "–" : v >= 1 ? v.toFixed(4) : v.toPrecision(6); }
  function dur(s) { if (s == null) return "–"; if (s < 120) return s.toFixed(1) + "s"; if (s < 7200) return (s / 60).toFixed(1) + "m"; return (s / 3600).toFixed(2) + "h"; }
  function age(ms) { return ms == null ? "–" : ms < 1000 ? Math.round(ms) + " ms" : ms < 60000 ? (ms / 1000).toFixed(1) + " s" : (ms / 60000).toFixed(0) + " min"; }
  function venue(source) { return source.replace(/_(spot|futures)$/, ""); }
  function signCls(v) { return v > 0 ? "pos" : v < 0 ? "neg" : ""; }
  function getJson(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { if (r.status === 401) location.href = "/login"; return r.json(); }); }

  function socket(topics, onMsg) {
    var delay = 500;
    function open() {
      var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws?topics=" + topics);
      ws.onopen = function () { delay = 500; conn.textContent = "live"; conn.className = "conn ok"; };
      ws.onmessage = function (ev) { try { onMsg(JSON.parse(ev.data)); } catch (e) { console.error(e); } };
      ws.onclose = function () { conn.textContent = "disconnected, retrying"; conn.className = "conn bad"; setTimeout(open, delay); delay = Math.min(delay * 2, 10000); };
    }
    open();
  }

  /** A sortable table: cols = [{key, label, left, fmt(row) -> string|Node, cls(row)}]. */
  function sortable(cols, initialKey, initialDesc) {
    var state = { key: initialKey, desc: initialDesc };
    var table = el("table"), thead = el("thead"), tbody = el("tbody");
    var tr = el("tr");
    cols.forEach(function (c) {
      var th = el("th", { cls: c.left ? "l" : "", text: c.label });
      th.addEventListener("click", function () { if (state.key === c.key) state.desc = !state.desc; else { state.key = c.key; state.desc = !c.left; } if (table.onsort) table.onsort(); });
      c.th = th;
      tr.appendChild(th);
    });
    thead.appendChild(tr); table.appendChild(thead); table.appendChild(tbody);
    table.render = function (rows, rowCls) {
      cols.forEach(function (c) { c.th.className = (c.left ? "l " : "") + (c.key === state.key ? "sorted" + (state.desc ? "" : " asc") : ""); });
      var sorted = rows.slice().sort(function (a, b) {
        var x = a[state.key], y = b[state.key];
        if (x == null) return 1; if (y == null) return -1;
        var r = typeof x === "string" ? x.localeCompare(y) : x - y;
        return state.desc ? -r : r;
      });
      var body = el("tbody");
      sorted.forEach(function (r) {
        var row = el("tr", { cls: rowCls ? rowCls(r) : "" });
        cols.forEach(function (c) {
          var v = c.fmt ? c.fmt(r) : r[c.key];
          var td = el("td", { cls: (c.left ? "l " : "") + (c.cls ? c.cls(r) : "") });
          if (v instanceof Node) td.appendChild(v); else td.textContent = v == null ? "–" : String(v);
          row.appendChild(td);
        });
        body.appendChild(row);
      });
      table.replaceChild(body, table.tBodies[0]);
    };
    return table;
  }

  // Cards chart the gross spread; a tracking's own page adds the net (after both taker fees) and a legend.
  function chart(container, height, withNet) {
    if (typeof uPlot === "undefined") return null;
    var series = [{}, { label: "gross %", stroke: "#58a6ff", width: 1.5, spanGaps: false }];
    if (withNet) series.push({ label: "net %", stroke: "#d29922", width: 1.2, spanGaps: false });
    var opts = {
      width: Math.max(300, container.clientWidth || 400), height: height,
      scales: { x: { time: true } }, legend: { show: !!withNet }, cursor: { show: true },
      axes: [{ stroke: "#7d8a99", grid: { stroke: "#26303b" } }, { stroke: "#7d8a99", grid: { stroke: "#26303b" }, size: 56, label: withNet ? "spread %" : undefined, labelSize: 18 }],
      series: series,
    };
    return new uPlot(opts, withNet ? [[], [], []] : [[], []], container);
  }

  // The server's clock at the last message, and ours then: ages and countdowns are computed here from the update
  // and settlement times the rows carry, so a row is only re-sent when its prices (or state) change.
  var clock = { server: 0, local: 0 };
  function serverNow() { return clock.server ? clock.server + (Date.now() - clock.local) : Date.now(); }
  function fundingRate(r) {
    if (r.funding_rate == null) return "–";
    return (r.funding_rate >= 0 ? "+" : "") + (r.funding_rate * 100).toFixed(4) + "%" + (r.funding_interval_h != null ? " / " + r.funding_interval_h + "h" : "");
  }
  function countdown(ms) {
    if (ms == null) return "–";
    var m = Math.max(0, Math.floor(ms / 60000));
    return Math.floor(m / 60) + "h" + String(m % 60).padStart(2, "0") + "m";
  }

  // ---- Spreads ----
  function spreadsPage() {
    var rows = new Map(), order = [], head = {}, lastDraw = 0;
    var fDir = el("select", {}, [el("option", { value: "", text: "all directions" })]);
    var fSym = el("input", { placeholder: "symbol (BTC, ETH-USDT)", size: "18" });
    var fMin = el("input", { type: "number", step: "0.05", placeholder: "min %" });
    fMin.className = "min";
    var fStale = el("input", { type: "checkbox" }); fStale.checked = true;
    // Suspects (above the engine's plausibility ceiling: ticker collisions, bad quotes) are never signalled, and their
    // absurd gross would head every sort; hidden unless asked for.
    var fSuspect = el("input", { type: "checkbox" }); fSuspect.checked = false;
    var summary = el("div", { cls: "summary" });
    var cols = [
      { key: "symbol", label: "symbol", left: true },
      { key: "direction", label: "spot → futures", left: true, fmt: function (r) { return el("span", { text: venue(r.spot_source) + " → " + venue(r.futures_source), title: r.spot_source + " → " + r.futures_source }); } },
      { key: "spot_ask", label: "spot ask", fmt: function (r) { return price(r.spot_ask); }, cls: function (r) { return r.spot_stale ? "stale" : ""; } },
      { key: "futures_bid", label: "futures bid", fmt: function (r) { return price(r.futures_bid); }, cls: function (r) { return r.futures_stale ? "stale" : ""; } },
      { key: "gross_pct", label: "gross %", fmt: function (r) { return num(r.gross_pct, 3); }, cls: function (r) { return signCls(r.gross_pct); } },
      { key: "net_pct", label: "net %", fmt: function (r) { return num(r.net_pct, 3); }, cls: function (r) { return signCls(r.net_pct); } },
      { key: "net_round_trip_pct", label: "round trip %", fmt: function (r) { return num(r.net_round_trip_pct, 3); }, cls: function (r) { return signCls(r.net_round_trip_pct); } },
      { key: "funding_rate", label: "funding", fmt: fundingRate, cls: function (r) { return "funding " + signCls(r.funding_rate); } },
      { key: "next_funding_in", label: "next", fmt: function (r) { return countdown(r.next_funding_in); } },
      { key: "net_funding_pct", label: "net+fund %", fmt: function (r) { return num(r.net_funding_pct, 3); }, cls: function (r) { return signCls(r.net_funding_pct); } },
      { key: "age_max_ms", label: "age S / F", fmt: function (r) { return el("span", {}, [el("span", { cls: r.spot_stale ? "stale" : "", text: age(r.spot_age_ms) }), " / ", el("span", { cls: r.futures_stale ? "stale" : "", text: age(r.futures_age_ms) })]); } },
      { key: "tracked", label: "", left: true, fmt: function (r) {
        if (suspect(r)) return el("span", { cls: "tag suspect", text: "suspect", title: "above the engine's plausibility ceiling (max_spread_pct): a ticker collision or a bad quote, never signalled" });
        return r.tracked === "free" ? "" : el("span", { cls: "tag " + r.tracked, text: r.tracked });
      } },
    ];
    function suspect(r) { return head.max_spread_pct != null && r.gross_pct > head.max_spread_pct; }
    var table = sortable(cols, "gross_pct", true);
    cols[7].th.title = "futures funding rate per interval (positive: longs pay shorts, so the short futures leg earns it)";
    cols[8].th.title = "time to the next funding settlement";
    cols[9].th.title = "net % plus the funding the short futures leg gets at the next settlement";
    cols[10].th.title = "time since each leg's last update (spot / futures); grey = stale";
    main.replaceChildren(el("div", { cls: "filters" }, [fDir, fSym, fMin, el("label", {}, [fStale, " show stale legs"]), el("label", {}, [fSuspect, " show suspects"])]), summary, table);
    var dirsSeen = {};
    function draw() {
      lastDraw = Date.now();
      var now = serverNow();
      var sym = fSym.value.trim().toUpperCase(), min = parseFloat(fMin.value), dir = fDir.value;
      var list = order.map(function (k) { return rows.get(k); }).filter(function (r) {
        if (!r) return false;
        if (!dirsSeen[r.direction]) { dirsSeen[r.direction] = 1; fDir.appendChild(el("option", { value: r.direction, text: r.spot_source + " → " + r.futures_source })); }
        if (dir && r.direction !== dir) return false;
        if (sym && r.symbol.indexOf(sym) !== 0 && r.symbol.replace(/-USDT$/, "") !== sym) return false;
        if (isFinite(min) && !(r.gross_pct >= min)) return false;
        if (!fStale.checked && (r.spot_stale || r.futures_stale)) return false;
        if (!fSuspect.checked && suspect(r)) return false;
        return true;
      });
      list.forEach(function (r) {
        r.spot_age_ms = Math.max(0, now - r.spot_updated_at);
        r.futures_age_ms = Math.max(0, now - r.futures_updated_at);
        r.age_max_ms = Math.max(r.spot_age_ms, r.futures_age_ms);
        r.next_funding_in = r.next_funding_at == null ? null : r.next_funding_at - now;
      });
      summary.textContent = (head.problem ? "⚠ " + head.problem + " · " : "") + (head.pairs || 0) + " pairs, " + (head.priced || 0) + " with both legs fresh; top " + order.length + " by " + (head.by || "gross") + "; showing " + list.length + (clock.server ? " · " + new Date(now).toISOString().slice(11, 23) + " UTC" : "");
      table.render(list, function (r) { return r.spot_stale || r.futures_stale || suspect(r) ? "stale" : ""; });
    }
    table.onsort = draw;
    [fDir, fSym, fMin, fStale, fSuspect].forEach(function (i) { i.addEventListener("input", draw); });
    // Nothing changed for a second: ages and countdowns still move.
    setInterval(function () { if (Date.now() - lastDraw >= 900) draw(); }, 1000);
    socket("spreads", function (m) {
      var s = m.spreads;
      if (!s) return;
      if (s.full) rows.clear();
      if (s.head) head = s.head;
      if (s.remove) s.remove.forEach(function (k) { rows.delete(k); });
      // An upsert of a row the page has carries only its changed fields (plus the key fields).
      if (s.upsert) s.upsert.forEach(function (r) { var k = r.direction_id + ":" + r.symbol_id, cur = rows.get(k); if (cur) Object.assign(cur, r); else rows.set(k, r); });
      if (s.order) order = s.order;
      clock.server = s.now; clock.local = Date.now();
      draw();
    });
  }

  // ---- Trackings ----
  function closedTable(list) {
    var t = sortable([
      { key: "symbol", label: "symbol", left: true, fmt: function (r) { return el("a", { href: "/track?file=" + encodeURIComponent(r.file), text: r.symbol }); } },
      { key: "direction", label: "direction", left: true, fmt: function (r) { return r.spot_source + " → " + r.futures_source; } },
      { key: "state", label: "reason", left: true },
      { key: "opened_at", label: "opened (UTC)", left: true, fmt: function (r) { return r.opened_at.slice(5, 19).replace("T", " "); } },
      { key: "duration_s", label: "duration", fmt: function (r) { return dur(r.duration_s); } },
      { key: "peak_gross_pct", label: "peak %", fmt: function (r) { return num(r.peak_gross_pct, 3); } },
      { key: "last_gross_pct", label: "last %", fmt: function (r) { return num(r.last_gross_pct, 3); } },
      // What the short futures leg earned (negative: paid) over the settlements inside the tracking; "–" = funding unseen.
      { key: "funding_sum_pct", label: "funding %", fmt: function (r) { return r.funding_sum_pct == null ? null : (r.funding_sum_pct >= 0 ? "+" : "") + r.funding_sum_pct.toFixed(4); } },
      { key: "rows", label: "rows" },
    ], "closed_at", true);
    t.onsort = function () { t.render(list.items); };
    t.render(list.items);
    return t;
  }

  function trackingsPage() {
    var openBox = el("div", { cls: "cards" }), closedBox = el("div"), summary = el("div", { cls: "summary" });
    main.replaceChildren(el("h2", { text: "Open trackings" }), summary, openBox, el("h2", { text: "Closed (last 24 h)" }), closedBox);
    var cards = new Map(), series = new Map(), closedList = { items: [] }, closedT = null;
    socket("trackings", function (m) {
      if (m.series) m.series.forEach(function (s) {
        var cur = series.get(s.file) || { x: [], y: [] };
        if (s.from === 0) cur = { x: [], y: [] };
        s.t.forEach(function (t, i) { cur.x.push(t / 1000); cur.y.push(s.gross[i]); });
        series.set(s.file, cur);
      });
      if (m.trackings) {
        var tr = m.trackings;
        summary.textContent = tr.open.length + " open" + (tr.source === "files" ? " (tracker not running: read from its files)" : "");
        var live = new Set();
        tr.open.forEach(function (t) {
          live.add(t.file);
          var c = cards.get(t.file);
          if (!c) {
            var info = el("span", { cls: "muted" }), box = el("div");
            var card = el("div", { cls: "card" }, [el("div", { cls: "head" }, [el("a", { href: "/track?file=" + encodeURIComponent(t.file), text: t.symbol + "  " + t.spot_source + " → " + t.futures_source }), info]), box]);
            openBox.appendChild(card);
            c = { card: card, info: info, box: box, plot: null };
            cards.set(t.file, c);
          }
          c.info.textContent = "open " + dur(t.duration_s) + " · last " + num(t.last_gross_pct, 3) + "% · peak " + num(t.peak_gross_pct, 3) + "%";
        });
        cards.forEach(function (c, f) { if (!live.has(f)) { c.card.remove(); cards.delete(f); } });
        if (tr.open.length === 0) summary.textContent = "no open trackings";
        closedList.items = tr.closed;
        var nt = closedTable(closedList);
        closedBox.replaceChildren(nt); closedT = nt;
      }
      cards.forEach(function (c, f) {
        var s = series.get(f);
        if (!s) return;
        if (!c.plot) c.plot = chart(c.box, 140);
        if (c.plot) c.plot.setData([s.x, s.y]);
        c.box.setAttribute("data-points", String(s.x.length));
      });
    });
  }

  function trackPage() {
    var file = new URLSearchParams(location.search).get("file") || "";
    // tracks/DAY/<stamp>_<spot>_<futures>_<SYMBOL>.csv
    var m = /_([a-z]+_spot)_([a-z]+_futures)_([^/]+)\.csv$/.exec(file);
    var title = el("h2", { text: m ? m[3] + "  " + m[1] + " → " + m[2] : file }), info = el("div", { cls: "summary" }), box = el("div");
    var fund = el("div", { cls: "summary funding" });
    main.replaceChildren(title, info, fund, box);
    var plot = null;
    // The pair's funding now (the Funding region through /api/spreads), where its futures leg has one fresh.
    function loadFunding() {
      if (!m) return;
      getJson("/api/spreads?stale=1&limit=1&direction=" + encodeURIComponent(m[1] + "_" + m[2]) + "&symbol=" + encodeURIComponent(m[3])).then(function (sp) {
        var r = sp.rows && sp.rows[0];
        if (!r || r.funding_rate == null) { fund.textContent = "funding: not available (no fresh funding for " + m[2] + " " + m[3] + ")"; return; }
        fund.textContent = "funding now: " + fundingRate(r) + (r.next_funding_ms != null ? " · next settlement in " + countdown(r.next_funding_ms) : "") + " · net " + num(r.net_pct, 3) + "% · net+funding " + num(r.net_funding_pct, 3) + "%";
      }).catch(function () { fund.textContent = ""; });
    }
    // Funding as the tracker recorded it in the rows (files written before funding have none), and the summed
    // settlements inside the tracking (the tracker's funding_sum_pct, from /api/trackings).
    var fundFile = el("div", { cls: "summary funding-file" });
    main.insertBefore(fundFile, box);
    function fileFunding(s) {
      var rates = (s.funding || []).filter(function (f) { return f != null; });
      if (!rates.length) { fundFile.textContent = "funding during the tracking: not recorded in its rows"; return; }
      var first = rates[0], lastRate = rates[rates.length - 1];
      var text = "funding during the tracking: " + (first >= 0 ? "+" : "") + (first * 100).toFixed(4) + "% at open → " + (lastRate >= 0 ? "+" : "") + (lastRate * 100).toFixed(4) + "% last" + (s.next_funding_at != null ? " · settlement announced for " + new Date(s.next_funding_at).toISOString().slice(11, 16) + " UTC" : "");
      fundFile.textContent = text + earned;
      if (Date.now() - earnedAt < 10000) return;
      earnedAt = Date.now();
      getJson("/api/trackings").then(function (tr) {
        var t = (tr.open || []).concat(tr.closed || []).filter(function (x) { return x.file === file; })[0];
        earned = t && t.funding_sum_pct != null ? " · earned over its settlements " + (t.funding_sum_pct >= 0 ? "+" : "") + t.funding_sum_pct.toFixed(4) + "%" : "";
        fundFile.textContent = text + earned;
      }).catch(function () {});
    }
    var earned = "", earnedAt = 0;
    loadFunding();
    setInterval(loadFunding, 5000);
    function load() {
      getJson("/api/track?file=" + encodeURIComponent(file)).then(function (s) {
        if (s.error) { info.textContent = s.error; return; }
        var x = s.t.map(function (t) { return t / 1000; });
        var peak = null, last = null; s.gross.forEach(function (g) { if (g != null) { last = g; if (peak == null || g > peak) peak = g; } });
        var durS = s.t.length ? (s.t[s.t.length - 1] - s.t[0]) / 1000 : 0;
        info.textContent = (s.closed ? "closed " + s.closed : "open") + " · " + s.t.length + " rows over " + dur(durS) + " · peak " + num(peak, 3) + "% · last " + num(last, 3) + "% · " + file + (s.bad ? " · " + s.bad + " unreadable lines" : "");
        fileFunding(s);
        if (!plot) plot = chart(box, 360, true);
        if (plot) plot.setData([x, s.gross, s.net]);
        if (!s.closed) setTimeout(load, 1000);
      });
    }
    load();
  }

  // ---- Pairs ----
  function pairsPage() {
    var win = el("select", {}, ["1h", "24h", "7d", "30d"].map(function (w) { var o = el("option", { value: w, text: "last " + w }); if (w === "7d") o.selected = true; return o; }));
    var summary = el("div", { cls: "summary" });
    var data = [];
    var t = sortable([
      { key: "symbol", label: "symbol", left: true },
      { key: "direction", label: "direction", left: true, fmt: function (r) { return r.spot_source + " → " + r.futures_source; } },
      { key: "episodes", label: "episodes" },
      { key: "converged", label: "converged" },
      { key: "converged_share", label: "share", fmt: function (r) { return (r.converged_share * 100).toFixed(1) + "%"; } },
      { key: "median_converge_s", label: "median", fmt: function (r) { return dur(r.median_converge_s); } },
      { key: "p90_converge_s", label: "p90", fmt: function (r) { return dur(r.p90_converge_s); } },
      { key: "peak_gross_pct", label: "peak %", fmt: function (r) { return num(r.peak_gross_pct, 3); } },
      { key: "total_open_s", label: "time open", fmt: function (r) { return dur(r.total_open_s); } },
      { key: "expired", label: "expired" },
      { key: "feed_lost", label: "feed lost" },
    ], "episodes", true);
    t.onsort = function () { t.render(data); };
    main.replaceChildren(el("div", { cls: "filters" }, [win]), summary, t);
    function load() {
      getJson("/api/stats?since=" + win.value).then(function (s) {
        data = s.pairs || [];
        summary.textContent = data.length + " pairs with closed trackings since " + (s.since || "").replace("T", " ").slice(0, 19) + " UTC; median/p90 = time to converge" + (s.bad_lines ? " · " + s.bad_lines + " malformed lines skipped" : "");
        t.render(data);
      });
    }
    win.addEventListener("change", load);
    load();
    setInterval(load, 10000);
  }

  // ---- Health ----
  // [web] control: pause/resume through POST /api/control (the server checks the token and this page's Origin).
  var CONTROL = document.body.getAttribute("data-control") === "1";
  // By the kind the process wrote in its slot (a feed's owner is its source name): no venue list here.
  var CONTROLLABLE_KINDS = { feed: 1, engine: 1, tracker: 1 };
  function controlButton(action, target, note) {
    var b = el("button", { type: "button", cls: "ctl", "data-action": action, "data-target": target, text: action + (target === "all" ? " all" : "") });
    b.addEventListener("click", function () {
      b.disabled = true;
      fetch("/api/control", { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: action, target: target }) })
        .then(function (r) { return r.json().then(function (j) { note.textContent = j.ok ? "sent: " + j.done : "refused (" + r.status + "): " + j.error; note.className = j.ok ? "muted" : "err"; }); })
        .catch(function (e) { note.textContent = "failed: " + e; note.className = "err"; })
        .then(function () { b.disabled = false; });
    });
    return b;
  }
  function healthPage() {
    var top = el("div", { cls: "kv" }), regions = el("div", { cls: "summary" }), note = el("span", { cls: "muted" });
    var controlCol = CONTROL ? [{ key: "control", label: "control", left: true, fmt: function (r) { return CONTROLLABLE_KINDS[r.kind] ? controlButton(r.state === "paused" ? "resume" : "pause", r.owner, note) : null; } }] : [];
    var t = sortable([
      { key: "slot", label: "slot" },
      { key: "owner", label: "process", left: true },
      { key: "state", label: "state", left: true, cls: function (r) { return "s-" + r.state; } },
      { key: "liveness", label: "liveness", left: true, cls: function (r) { return "s-" + r.liveness; } },
      { key: "heartbeat_age_ms", label: "heartbeat", fmt: function (r) { return age(r.heartbeat_age_ms); } },
      { key: "messages_per_s", label: "msg/s", fmt: function (r) { return num(r.messages_per_s, 0); } },
      { key: "updates_per_s", label: "upd/s", fmt: function (r) { return num(r.updates_per_s, 0); } },
      { key: "reconnects", label: "reconn" },
      { key: "connections_up", label: "conns" },
      { key: "symbols_live", label: "live" },
      { key: "symbols_stale", label: "stale" },
      { key: "symbols_rejected", label: "rejected" },
      { key: "invalid", label: "invalid" },
      { key: "last_error", label: "last error", left: true, cls: function (r) { return r.last_error === "none" ? "muted" : "warn"; } },
      { key: "config_generation", label: "cfg gen" },
    ].concat(controlCol), "slot", false);
    var data = [];
    t.onsort = function () { t.render(data); };
    var bar = CONTROL ? el("div", { cls: "filters" }, [controlButton("pause", "all", note), controlButton("resume", "all", note), note]) : null;
    main.replaceChildren.apply(main, (bar ? [bar] : []).concat([top, t, el("h2", { text: "Shared memory" }), regions]));
    socket("health", function (m) {
      if (!m.health) return;
      var h = m.health;
      data = h.processes;
      t.render(data, function (r) { return r.liveness === "alive" ? "" : "stale"; });
      var kv = [
        ["shm prefix", h.prefix + (h.shm.ok ? "" : " — " + h.shm.problem)],
        ["config generation", h.control ? String(h.control.config_generation) : "–"],
        ["global flags", h.control ? h.control.global_flags.join(", ") || "none" : "–"],
        ["event bus", h.events ? "backlog " + h.events.backlog + ", dropped " + h.events.dropped : "–"],
        ["pairs", h.tracked ? h.tracked.signalled + " signalled, " + h.tracked.tracked + " tracked" : "–"],
        ["tracker status", h.tracker_status ? (h.tracker_status.age_ms / 1000).toFixed(1) + " s old" + (h.tracker_status.disk_failing ? ", DISK FAILING" : "") : "no status file"],
      ];
      top.replaceChildren.apply(top, kv.reduce(function (a, p) { a.push(el("span", { cls: "muted", text: p[0] })); a.push(el("span", { text: p[1] })); return a; }, []));
      regions.textContent = h.shm.regions.map(function (r) { return r.key + " " + r.state; }).join(" · ");
    });
  }

  ({ spreads: spreadsPage, trackings: trackingsPage, track: trackPage, pairs: pairsPage, health: healthPage })[page]();
})();
