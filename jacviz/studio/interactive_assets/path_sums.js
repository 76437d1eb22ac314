/* jacviz canvas: path-sums.  The layered computation graph of a chain; click an
 * edge to see its partial, symbolic and at the point; a button per Jacobian entry
 * assembles the entry path by path (multiply along edges, add over paths) with a
 * running total, marking the paths through a missing edge; the point is edited by
 * dragging its sliders or typing it.  Every number comes from the compiled
 * Jacobians (jacviz.core.jsgen); the edges are the core's (jacviz.core.graph.Graph). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, UNDEF = JV.UNDEF;
  const graphs = DATA.graphs;
  const MANY = 16, FIRST = 10;  // more paths than MANY: the first FIRST live ones, the rest summed
  const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  const states = graphs.map(function (gr) {
    return {x0: gr.x0.slice(), edge: null, entry: null, shown: 0};
  });
  let gi = 0, timer = null;

  // -- page skeleton -------------------------------------------------------------------------
  const app = document.getElementById("app");
  app.classList.add("side");
  const controls = document.getElementById("controls");
  const tabs = graphs.length > 1 ? graphs.map(function (gr, k) {
    return JV.button(controls, gr.title, function () { select(k); },
                     {"aria-pressed": "false", "data-graph": gr.tag});
  }) : [];
  controls.appendChild(document.getElementById("reset"));
  const stage = JV.el("div", {"class": "stage"}, null, app);
  const side = JV.el("section", {"class": "readout"}, null, app);

  const W = 760;
  let H = 400;
  const root = JV.svg("svg", {viewBox: "0 0 " + W + " " + H, "class": "view", role: "group",
                               "aria-label": "the computation graph"}, stage);
  const defsP = JV.el("p", {"class": "defs"}, null, stage);

  const cardPoint = JV.el("div", {"class": "card"}, null, side);
  JV.el("h2", null, "the point", cardPoint);
  const pointInputs = JV.el("div", {"class": "inputs"}, null, cardPoint);
  const pointSvgBox = JV.el("div", null, null, cardPoint);

  const cardEdge = JV.el("div", {"class": "card"}, null, side);
  JV.el("h2", null, "edge", cardEdge);
  const edgeInfo = JV.el("div", {"class": "big"}, null, cardEdge);

  const cardEntries = JV.el("div", {"class": "card"}, null, side);
  JV.el("h2", null, "Jacobian entries: assemble one as a sum over paths", cardEntries);
  const entryBox = JV.el("div", {"class": "entries"}, null, cardEntries);

  const cardSum = JV.el("div", {"class": "card"}, null, side);
  const sumHead = JV.el("h2", null, "path sum", cardSum);
  const terms = JV.el("ol", {"class": "terms", "data-state": "idle"}, null, cardSum);
  const totalP = JV.el("p", {"class": "big"}, null, cardSum);

  // -- per graph: structure --------------------------------------------------------------------
  let G = null;  // the current graph's drawing and structure

  function partialName(gr, e) {
    const dst = gr.layers[e.stage + 1][e.dst], src = gr.layers[e.stage][e.src];
    return [["\u2202", ""], JV.splitName(dst), ["/\u2202", ""], JV.splitName(src)];
  }

  function text(parts) {  // parts as plain text (subscripts inline)
    return parts.map(function (p) { return p[0] + (p[1] || ""); }).join("");
  }

  function appendParts(node, parts) {
    for (const p of parts) {
      if (p[0]) { node.appendChild(document.createTextNode(p[0])); }
      if (p[1]) { JV.el("sub", null, p[1], node); }
    }
  }

  function build() {
    while (root.firstChild) { root.removeChild(root.firstChild); }
    while (defsP.firstChild) { defsP.removeChild(defsP.firstChild); }
    while (pointInputs.firstChild) { pointInputs.removeChild(pointInputs.firstChild); }
    while (pointSvgBox.firstChild) { pointSvgBox.removeChild(pointSvgBox.firstChild); }
    while (entryBox.firstChild) { entryBox.removeChild(entryBox.firstChild); }
    const gr = graphs[gi], st = states[gi];
    gr.maps.forEach(function (m) { JV.el("span", null, m, defsP); });
    const L = gr.layers.length, nodeW = 92, nodeH = 58;
    const widest = Math.max.apply(null, gr.layers.map(function (l) { return l.length; }));
    H = Math.max(240, 110 + (widest - 1) * 140);
    root.setAttribute("viewBox", "0 0 " + W + " " + H);
    const xs = gr.layers.map(function (_, k) { return 60 + nodeW / 2 + k * (W - 120 - nodeW) / (L - 1); });
    const pos = gr.layers.map(function (layer, k) {
      const n = layer.length, span = Math.min(H - 80, (n - 1) * 150);
      return layer.map(function (_, i) {
        return [xs[k], H / 2 - span / 2 + (n > 1 ? i * span / (n - 1) : 0)];
      });
    });
    const edgeLayer = JV.svg("g", {}, root), nodeLayer = JV.svg("g", {}, root);
    const has = new Set(gr.edges.map(function (e) { return e.stage + ":" + e.dst + ":" + e.src; }));
    const edges = gr.edges.map(function (e, idx) {
      const a = pos[e.stage][e.src], b = pos[e.stage + 1][e.dst];
      const p1 = [a[0] + nodeW / 2, a[1]], p2 = [b[0] - nodeW / 2 - 2, b[1]];
      const label = text(partialName(gr, e));
      const g = JV.svg("g", {"class": "edge", tabindex: 0, role: "button", "aria-label": label,
                             "data-edge": idx}, edgeLayer);
      JV.svg("line", {x1: p1[0], y1: p1[1], x2: p2[0], y2: p2[1], "class": "hit"}, g);
      const arrow = new JV.Arrow(g, C.muted, 2.5);
      arrow.set(p1, p2);
      arrow.line.classList.add("line");
      const t = 0.3, lx = p1[0] + t * (p2[0] - p1[0]), ly = p1[1] + t * (p2[1] - p1[1]);
      const lg = JV.svg("g", {}, g);
      const bg = JV.svg("rect", {x: lx - 30, y: ly - 13, width: 60, height: 22, rx: 4, fill: C.bg,
                                 "fill-opacity": 0.85}, lg);
      const val = JV.svg("text", {x: lx, y: ly + 4, "text-anchor": "middle", "font-size": 15,
                                  "class": "pt"}, lg);
      g.addEventListener("click", function () { pickEdge(idx); });
      g.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pickEdge(idx); }
      });
      return {e: e, g: g, arrow: arrow, label: lg, bg: bg, val: val};
    });
    const nodes = gr.layers.map(function (layer, k) {
      return layer.map(function (name, i) {
        const p = pos[k][i], g = JV.svg("g", {"data-node": k + ":" + i}, nodeLayer);
        const box = JV.svg("rect", {x: p[0] - nodeW / 2, y: p[1] - nodeH / 2, width: nodeW, height: nodeH,
                                    rx: 8, fill: C.panel, stroke: C.muted, "stroke-width": 2}, g);
        JV.svgText(g, name, {x: p[0], y: p[1] - 4, "text-anchor": "middle", "font-size": 21, fill: C.ink});
        const val = JV.svg("text", {x: p[0], y: p[1] + 19, "text-anchor": "middle", "font-size": 15,
                                    "class": "pt", "data-q": "node:" + k + ":" + i}, g);
        return {box: box, val: val};
      });
    });
    // the entry buttons, laid out as the Jacobian (rows: outputs, columns: inputs)
    const m = gr.layers[L - 1].length, n = gr.layers[0].length;
    entryBox.style.gridTemplateColumns = "repeat(" + n + ", auto)";
    const buttons = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const parts = [["\u2202", ""], JV.splitName(gr.layers[L - 1][i]), ["/\u2202", ""],
                       JV.splitName(gr.layers[0][j])];
        const b = JV.el("button", {type: "button", "class": "entry", "data-entry": i + "," + j,
                                   "aria-label": "assemble " + text(parts)}, null, entryBox);
        appendParts(b, parts);
        if (gr.entry[0] === i && gr.entry[1] === j) { b.title = "the entry the clip assembles"; }
        b.addEventListener("click", function () { assemble(i, j); });
        buttons.push(b);
      }
    }
    // the point: a slider per input, and a field
    const n0 = gr.layers[0].length, sw = 480, sh = 36 * n0 + 4;
    const psvg = JV.svg("svg", {viewBox: "0 0 " + sw + " " + sh, "class": "view", role: "group",
                                "aria-label": "the point"}, pointSvgBox);
    const sliders = [], slLabels = [];
    for (let j = 0; j < n0; j++) {
      const c = gr.x0[j], R = JV.niceCeil(Math.max(2, Math.abs(c)));
      const y = 20 + j * 36;
      const lab = JV.svgText(psvg, gr.layers[0][j], {x: 6, y: y + 6, "font-size": 18, "class": "pt"});
      slLabels.push(JV.svg("tspan", {}, lab));
      sliders.push(new JV.Slider({
        parent: psvg, svgRoot: psvg, x: 150, y: y, w: sw - 172, lo: c - R, hi: c + R,
        id: "x" + j, label: "input " + gr.layers[0][j], color: C.pt,
        get: function () { return st.x0[j]; },
        put: function (v) { st.x0[j] = v; update(); },
      }));
    }
    const field = JV.numberInput(pointInputs, [["point =", ""]], n0, function () { return st.x0; },
                                 function (v) { st.x0 = v; update(); }, "pt", "x0");
    G = {gr: gr, st: st, edges: edges, nodes: nodes, buttons: buttons, sliders: sliders,
         slLabels: slLabels, field: field, has: has, m: m, n: n, L: L};
    tabs.forEach(function (b, k) { b.setAttribute("aria-pressed", k === gi ? "true" : "false"); });
  }

  // -- numbers ---------------------------------------------------------------------------------
  function compute() {
    const gr = G.gr, st = G.st, stages = gr.chain.stages;
    const pts = [st.x0.slice()], J = [];
    for (let k = 0; k < stages.length; k++) {
      const p = pts[k];
      J.push(p ? JV.safe(function () { return stages[k].jacobian(p); }) : null);
      pts.push(p ? JV.safe(function () { return stages[k].value(p); }) : null);
      if (!pts[k + 1]) { J[k] = null; }
    }
    let total = null;
    if (J.every(function (x) { return x; })) {
      total = J[0];
      for (let k = 1; k < J.length; k++) { total = jacviz_matmul(J[k], total); }
      if (!JV.finite(total)) { total = null; }
    }
    return {pts: pts, J: J, D: total};
  }

  function partialValue(r, stageK, dst, src) {
    return r.J[stageK] ? r.J[stageK][dst][src] : null;
  }

  function routes(i, j) {  // every route from input j to output i, one coordinate per space
    const inner = G.gr.layers.slice(1, -1).map(function (l) { return l.length; });
    let out = [[j]];
    for (const w of inner) {
      const next = [];
      for (const r of out) { for (let c = 0; c < w; c++) { next.push(r.concat([c])); } }
      out = next;
    }
    return out.map(function (r) { return r.concat([i]); });
  }

  function term(r, route) {
    const factors = [];
    let live = true, value = 1, ok = true;
    for (let k = 0; k + 1 < route.length; k++) {
      const exists = G.has.has(k + ":" + route[k + 1] + ":" + route[k]);
      const v = partialValue(r, k, route[k + 1], route[k]);
      if (!exists) { live = false; }
      if (v === null || !Number.isFinite(v)) { ok = false; } else { value *= v; }
      factors.push({k: k, dst: route[k + 1], src: route[k], exists: exists, v: v});
    }
    if (!live) { value = 0; ok = true; }
    return {route: route, factors: factors, live: live, value: ok ? value : null};
  }

  // -- drawing ---------------------------------------------------------------------------------
  let R = null;

  function update() {
    const r = compute();
    R = r;
    const gr = G.gr, st = G.st;
    G.nodes.forEach(function (layer, k) {
      layer.forEach(function (node, i) {
        const v = r.pts[k] ? r.pts[k][i] : null;
        node.val.textContent = v === null ? UNDEF : fmt(v);
        node.val.setAttribute("class", v === null ? "undef" : "pt");
        node.val.setAttribute("font-size", v === null ? 12 : 15);
        node.val.setAttribute("data-v", JV.exact(v));
      });
    });
    const path = currentPath();
    G.edges.forEach(function (ed, idx) {
      const e = ed.e, v = partialValue(r, e.stage, e.dst, e.src);
      ed.val.textContent = v === null ? UNDEF : fmt(v);
      ed.val.setAttribute("class", v === null ? "undef" : "pt");
      const w = Math.max(22, 8.5 * ed.val.textContent.length + 8);
      JV.set(ed.bg, {x: +ed.val.getAttribute("x") - w / 2, width: w});
      const on = st.edge === idx || path.has(idx);
      const colour = on ? C.hl : C.muted;
      ed.arrow.line.setAttribute("stroke", colour);
      ed.arrow.head.setAttribute("fill", colour);
      ed.arrow.line.setAttribute("stroke-width", on ? 4.5 : 2.5);
      ed.label.style.display = v !== null && (on || G.edges.length <= 10) ? "" : "none";
    });
    G.nodes.forEach(function (layer, k) {
      layer.forEach(function (node, i) {
        const on = st.entry && ((k === 0 && i === st.entry[1]) || (k === G.L - 1 && i === st.entry[0]));
        node.box.setAttribute("stroke", on ? C.hl : C.muted);
      });
    });
    G.sliders.forEach(function (s, j) {
      s.update();
      G.slLabels[j].textContent = " = " + fmt(st.x0[j]);
    });
    G.field.show();
    showEdge(r);
    showTerms(r);
    const bad = r.J.findIndex(function (x, k) { return r.pts[k] && !x; });
    if (bad >= 0) {
      JV.status(gr.maps[bad].split(" = ")[0] + " is undefined here: its value or its Jacobian at " +
                JV.fmtVec(r.pts[bad]) + " is not a finite number", true);
    } else if (!st.entry) {
      JV.status("click an edge, or a button to assemble a Jacobian entry path by path");
    }
  }

  function currentPath() {
    const st = G.st, set = new Set();
    if (!st.entry || !R) { return set; }
    const list = st.list || [];
    const cur = st.shown > 0 && st.shown <= list.length ? [list[st.shown - 1]] : [];
    const chosen = st.shown >= list.length ? list.filter(function (t) { return t.live; }) : cur;
    for (const t of chosen) {
      for (const f of t.factors) {
        G.edges.forEach(function (ed, idx) {
          if (ed.e.stage === f.k && ed.e.dst === f.dst && ed.e.src === f.src) { set.add(idx); }
        });
      }
    }
    return set;
  }

  function pickEdge(idx) {
    G.st.edge = G.st.edge === idx ? null : idx;
    update();
  }

  function showEdge(r) {
    while (edgeInfo.firstChild) { edgeInfo.removeChild(edgeInfo.firstChild); }
    const st = G.st;
    if (st.edge === null) {
      JV.el("span", {"class": "muted"}, "click an edge (or Tab to it and press Enter)", edgeInfo);
      return;
    }
    const e = G.edges[st.edge].e, v = partialValue(r, e.stage, e.dst, e.src);
    const name = JV.el("span", {"class": "hl", "data-q": "edge-name"}, null, edgeInfo);
    appendParts(name, partialName(G.gr, e));
    edgeInfo.appendChild(document.createTextNode(" = "));
    JV.el("span", {"data-q": "edge-sym"}, e.sym, edgeInfo);
    JV.el("br", null, null, edgeInfo);
    edgeInfo.appendChild(document.createTextNode("at the point: "));
    JV.el("span", {"class": v === null ? "undef" : "pt", "data-q": "edge-val", "data-v": JV.exact(v)},
          v === null ? UNDEF : fmt(v), edgeInfo);
  }

  function assemble(i, j) {
    const st = G.st;
    if (timer) { clearTimeout(timer); timer = null; }
    st.entry = [i, j];
    st.routes = routes(i, j);
    st.shown = 0;
    G.buttons.forEach(function (b) {
      b.classList.toggle("current", b.getAttribute("data-entry") === i + "," + j);
    });
    const step = function () {
      st.shown += 1;
      update();
      if (st.shown < (st.list || []).length) {
        timer = setTimeout(step, delay);
      } else {
        timer = null;
        G.buttons.forEach(function (b) {
          if (b.getAttribute("data-entry") === i + "," + j) { b.classList.add("done"); }
        });
      }
    };
    update();
    const count = (st.list || []).length;
    const delay = reduce ? 0 : Math.max(120, Math.min(650, 4000 / Math.max(1, count)));
    timer = setTimeout(step, reduce ? 0 : 250);
  }

  function showTerms(r) {
    const st = G.st, gr = G.gr;
    while (terms.firstChild) { terms.removeChild(terms.firstChild); }
    while (totalP.firstChild) { totalP.removeChild(totalP.firstChild); }
    if (!st.entry) {
      sumHead.textContent = "path sum";
      terms.setAttribute("data-state", "idle");
      st.list = [];
      return;
    }
    const i = st.entry[0], j = st.entry[1], L = G.L;
    const entryParts = [["\u2202", ""], JV.splitName(gr.layers[L - 1][i]), ["/\u2202", ""],
                        JV.splitName(gr.layers[0][j])];
    sumHead.textContent = "";
    appendParts(sumHead, entryParts);
    const count = st.routes.length + (st.routes.length === 1 ? " path)" : " paths)");
    sumHead.appendChild(document.createTextNode(": multiply along each path, add over the paths (" + count));
    const all = st.routes.map(function (route) { return term(r, route); });
    let list = all, rest = null;
    if (all.length > MANY) {
      list = all.filter(function (t) { return t.live; }).slice(0, FIRST);
      const shown = new Set(list);
      const others = all.filter(function (t) { return !shown.has(t); });
      rest = {count: others.length, live: others.filter(function (t) { return t.live; }).length,
              value: others.some(function (t) { return t.value === null; }) ? null :
                others.reduce(function (s, t) { return s + t.value; }, 0)};
      list = list.concat([{rest: rest}]);
    }
    st.list = list;
    let running = 0, runningOk = true;
    list.forEach(function (t, k) {
      if (k >= st.shown) { return; }
      const li = JV.el("li", {"data-term": k}, null, terms);
      let v;
      if (t.rest) {
        v = t.rest.value;
        li.appendChild(document.createTextNode("the other " + t.rest.count + " paths (" + t.rest.live +
                                               " through existing edges only) add up to "));
      } else {
        v = t.value;
        const route = t.route.map(function (c, s) { return JV.splitName(gr.layers[s][c]); });
        const rs = JV.el("span", null, null, li);
        route.forEach(function (p, s) {
          if (s > 0) {
            rs.appendChild(document.createTextNode(t.factors[s - 1].exists ? " \u2192 " : " \u21e2 "));
          }
          appendParts(rs, [p]);
        });
        li.appendChild(document.createTextNode(": "));
        if (!t.live) {
          li.className = "zero";
          const miss = t.factors.find(function (f) { return !f.exists; });
          const mp = [["\u2202", ""], JV.splitName(gr.layers[miss.k + 1][miss.dst]), ["/\u2202", ""],
                      JV.splitName(gr.layers[miss.k][miss.src])];
          li.appendChild(document.createTextNode("zero path: "));
          appendParts(li, mp);
          li.appendChild(document.createTextNode(" = 0 (no edge), contributes "));
        } else {
          t.factors.forEach(function (f) {
            li.appendChild(document.createTextNode("("));
            appendParts(li, [["\u2202", ""], JV.splitName(gr.layers[f.k + 1][f.dst]), ["/\u2202", ""],
                             JV.splitName(gr.layers[f.k][f.src])]);
            li.appendChild(document.createTextNode(")"));
          });
          li.appendChild(document.createTextNode(" = " + t.factors.map(function (f) {
            const s = f.v === null ? "?" : fmt(f.v);
            return "(" + s + ")";
          }).join("") + " = "));
        }
      }
      JV.el("span", {"class": v === null ? "undef" : "hl", "data-q": "term:" + k, "data-v": JV.exact(v)},
            v === null ? UNDEF : fmt(v), li);
      if (v === null) { runningOk = false; } else { running += v; }
      li.appendChild(document.createTextNode(";  sum so far "));
      JV.el("span", {"class": runningOk ? "pt" : "undef", "data-q": "running:" + k},
            runningOk ? fmt(running) : UNDEF, li);
      if (k === st.shown - 1 && st.shown < list.length) { li.classList.add("current"); }
    });
    const done = st.shown >= list.length;
    terms.setAttribute("data-state", done ? "done" : "running");
    if (done) {
      const entry = R.D ? R.D[i][j] : null, total = runningOk ? running : null;
      appendParts(totalP, entryParts);
      totalP.appendChild(document.createTextNode(" = sum over paths = "));
      JV.el("span", {"class": total === null ? "undef" : "hl", "data-q": "total", "data-v": JV.exact(total)},
            total === null ? UNDEF : fmt(total), totalP);
      totalP.appendChild(document.createTextNode("; entry (" + (i + 1) + "," + (j + 1) +
                                                 ") of the product of Jacobians = "));
      JV.el("span", {"class": entry === null ? "undef" : "pt", "data-q": "entry", "data-v": JV.exact(entry)},
            entry === null ? UNDEF : fmt(entry), totalP);
      if (total !== null && entry !== null) {
        const same = Math.abs(total - entry) <= 1e-9 * Math.max(1, Math.abs(entry));
        totalP.appendChild(document.createTextNode(same ? "  \u2713" : "  \u2260"));
      }
      if (!R.J.some(function (x, k) { return R.pts[k] && !x; })) {
        JV.status("the sum over paths is the entry of the product of the Jacobians");
      }
    }
  }

  // -- graphs, reset ---------------------------------------------------------------------------
  function select(k) {
    if (timer) { clearTimeout(timer); timer = null; }
    gi = k;
    build();
    if (!states[k].opened) { openEntry(); }
    update();
  }

  function openEntry() {  // the entry the clip assembles (--set entry=...), every path shown
    const st = G.st, i = G.gr.entry[0], j = G.gr.entry[1];
    st.opened = true;
    st.entry = [i, j];
    st.routes = routes(i, j);
    st.shown = Infinity;
    G.buttons.forEach(function (b) {
      const on = b.getAttribute("data-entry") === i + "," + j;
      b.classList.toggle("current", on);
      b.classList.toggle("done", on);
    });
  }

  JV.onReset(function () {
    if (timer) { clearTimeout(timer); timer = null; }
    graphs.forEach(function (gr, k) {
      states[k].x0 = gr.x0.slice(); states[k].edge = null; states[k].opened = false;
    });
    G.field.input.blur();
    G.buttons.forEach(function (b) { b.classList.remove("current", "done"); });
    openEntry();
    update();
  });
  JV.help("Click an edge (or Tab to it, Enter) to see its partial; a button assembles that Jacobian " +
          "entry path by path. Drag a slider, or type the point; Tab moves between sliders, arrow keys " +
          "move the selected one (Shift: 10\u00d7, Alt: 0.1\u00d7). R or Reset: back to the start.");
  window.addEventListener("resize", update);
  select(0);
  document.body.setAttribute("data-ready", "1");
})();
