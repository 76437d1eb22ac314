/* jacviz canvas: two-way.  One panel per space of the chain; drag x0 and the tip of
 * dx in the first space and the output gradient in the last.  dx is pushed forward
 * by the Jacobians (inner map first), beside its true curved image; the gradient is
 * pulled back by the transposes (outer map first); <grad, d> in every space.
 * Every number comes from the compiled maps and Jacobians (jacviz.core.jsgen). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, fmtVec = JV.fmtVec, UNDEF = JV.UNDEF;
  const chain = DATA.chain, stages = chain.stages, K = stages.length, N = K + 1;
  const dims = chain.dims, spaces = DATA.spaces;
  const SAMPLES = 41;
  const SUP = ["\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074", "\u2075", "\u2076"];

  const start = {x0: DATA.x0.slice(), dx: DATA.dx.slice(), g: DATA.grad.slice()};
  const state = {x0: start.x0.slice(), dx: start.dx.slice(), g: start.g.slice()};

  // -- layout ------------------------------------------------------------------------------
  // a row of panels (two rows for 5 to 7 spaces); one column at a phone's width
  const narrow = window.innerWidth < 700;
  const W = narrow ? 600 : 1200, rows = narrow ? N : (N <= 4 ? 1 : 2), cols = Math.ceil(N / rows);
  const gap = 66, left = 58, right = 12;
  const pw = (W - left - right - (cols - 1) * gap) / cols;
  const ph = narrow ? 300 : (rows === 1 ? Math.min(250, pw * 0.8) : Math.min(200, pw * 0.8));
  const titleH = 30, footH = 34, tickH = 20;
  const rowH = titleH + ph + tickH + footH + (rows > 1 ? 44 : 0);
  const H = rows * rowH + 4;
  const boxes = [];
  for (let k = 0; k < N; k++) {
    const col = k % cols, row = Math.floor(k / cols);
    boxes.push({x: left + col * (pw + gap), y: row * rowH + titleH, w: pw, h: ph});
  }
  const maxAbs = Math.max.apply(null, start.x0.map(Math.abs));
  const hw = JV.niceCeil(Math.max(1.5, 1.25 * maxAbs));
  const views = boxes.map(function (b, k) {
    const p = k === 0 ? start.x0 : [0, 0];
    return new JV.View(b, p[0], dims[k] === 1 ? 0 : p[1], hw);
  });
  const room = 0.8 * Math.min(views[0].hw, views[0].hh);
  const LANE = 32;  // 1-D spaces: forward arrows above the line, gradients below

  const app = document.getElementById("app");
  const stage = JV.el("div", {"class": "stage"}, null, app);
  const root = JV.svg("svg", {viewBox: "0 0 " + W + " " + Math.round(H),
                               "class": rows > 1 ? "view tall" : "view",
                               role: "group", "aria-label": "the spaces of the chain"}, stage);
  const defs = JV.svg("defs", {}, root);
  const panelLayer = JV.svg("g", {}, root);
  const handleLayer = JV.svg("g", {}, root);

  function drawn(v, k) { return dims[k] === 1 ? [v[0], views[k].cy] : [v[0], v[1]]; }

  function supDim(d) { return "\u211d" + (SUP[d] || "^" + d); }

  const P = [];  // per panel: its SVG pieces
  for (let k = 0; k < N; k++) {
    const b = boxes[k], sp = spaces[k];
    const clip = JV.svg("clipPath", {id: "jv-clip-" + k}, defs);
    JV.svg("rect", {x: b.x, y: b.y, width: b.w, height: b.h}, clip);
    const g = JV.svg("g", {"data-panel": k}, panelLayer);
    JV.svg("rect", {x: b.x, y: b.y, width: b.w, height: b.h, rx: 8, "class": "panel-box"}, g);
    const title = [[sp.name, ""], ["-space  " + supDim(sp.dim), ""]];
    if (sp.dim === 3) {
      title.push(["   (drawn: ", ""], JV.splitName(sp.coords[0]), [", ", ""], JV.splitName(sp.coords[1]),
                 [")", ""]);
    }
    JV.svgText(g, title, {x: b.x + b.w / 2, y: b.y - 9, "text-anchor": "middle", "class": "title"});
    const inner = JV.svg("g", {"clip-path": "url(#jv-clip-" + k + ")"}, g);
    const grid = JV.svg("g", {}, inner);
    const ticks = JV.svg("g", {}, g);
    const curve = JV.svg("path", {fill: "none", stroke: C.hl, "stroke-width": 9, "stroke-opacity": 0.45,
                                  "stroke-linecap": "round", "stroke-linejoin": "round"}, inner);
    const curveEnd = JV.svg("circle", {r: 5, fill: C.hl}, inner);
    const bwd = new JV.Arrow(inner, C.bwd, 5);
    const fwd = new JV.Arrow(inner, C.fwd, 4);
    const dot = JV.svg("circle", {r: 7, fill: C.pt}, inner);
    const flab = JV.svgText(inner, [["d" + sp.name, ""]], {"class": "fwd", "font-size": 17,
                                                             "text-anchor": "middle"});
    const blab = JV.svgText(inner, [["grad", sp.name]], {"class": "bwd", "font-size": 17,
                                                           "text-anchor": "middle"});
    const scaleF = JV.svg("text", {x: b.x + 6, y: b.y + 17, "class": "fwd small"}, g);
    const scaleB = JV.svg("text", {x: b.x + b.w - 6, y: b.y + 17, "class": "bwd small",
                                   "text-anchor": "end"}, g);
    JV.svg("title", {}, scaleF).textContent = "d and its true image are drawn this many times their length";
    JV.svg("title", {}, scaleB).textContent = "the gradient is drawn this many times its length";
    const undef = JV.svg("text", {x: b.x + b.w / 2, y: b.y + b.h / 2, "text-anchor": "middle",
                                  "class": "undef", "font-size": 22}, g);
    undef.textContent = UNDEF;
    const np = JV.splitName(sp.name);
    const foot = JV.svgText(g, [[np[0], (np[1] ? np[1] + "," : "") + "0"], [" = ", ""]],
                            {x: b.x + b.w / 2, y: b.y + b.h + tickH + 18, "text-anchor": "middle",
                             "class": "pt", "font-size": 18});
    const footVal = JV.svg("tspan", {}, foot);
    P.push({g: g, grid: grid, ticks: ticks, curve: curve, curveEnd: curveEnd, bwd: bwd, fwd: fwd,
            scaleF: scaleF, scaleB: scaleB,
            dot: dot, flab: flab, blab: blab, undef: undef, footVal: footVal});
  }
  // the maps between the panels
  for (let k = 0; k < K; k++) {
    const a = boxes[k], b = boxes[k + 1], arrowG = JV.svg("g", {}, panelLayer);
    let p1, p2;
    if (Math.abs(a.y - b.y) < 1) {
      p1 = [a.x + a.w + 8, a.y + a.h / 2]; p2 = [b.x - 8, b.y + b.h / 2];
    } else {
      p1 = [a.x + a.w / 2, a.y + a.h + tickH + footH - 4]; p2 = [b.x + b.w / 2, b.y - titleH + 4];
    }
    new JV.Arrow(arrowG, C.ink, 3).set(p1, p2);
    const mp = JV.splitName(DATA.maps[k].name), side = Math.abs(a.y - b.y) < 1 ? 0 : 1;
    JV.svgText(arrowG, [mp], {x: (p1[0] + p2[0]) / 2 + 16 * side, y: (p1[1] + p2[1]) / 2 - 12 + 18 * side,
                              "text-anchor": side ? "start" : "middle", "class": "title",
                              "font-style": "italic"});
  }

  // -- the numbers -------------------------------------------------------------------------
  function compute() {
    const pts = [state.x0.slice()], J = [];
    for (let k = 0; k < K; k++) {
      const p = pts[k];
      J.push(p ? JV.safe(function () { return stages[k].jacobian(p); }) : null);
      pts.push(p ? JV.safe(function () { return stages[k].value(p); }) : null);
      if (!pts[k + 1]) { J[k] = null; }  // a map undefined at p has no derivative there
    }
    const d = [state.dx.slice()];
    for (let k = 0; k < K; k++) {
      d.push(J[k] && d[k] ? JV.safe(function () { return JV.matvec(J[k], d[k]); }) : null);
    }
    const g = new Array(N).fill(null);
    g[K] = state.g.slice();
    for (let k = K - 1; k >= 0; k--) {
      g[k] = J[k] && g[k + 1] ? JV.safe(function () { return JV.matTvec(J[k], g[k + 1]); }) : null;
    }
    const pairs = g.map(function (gk, k) {
      return gk && d[k] ? JV.safe(function () { return JV.dot(gk, d[k]); }) : null;
    });
    const imgs = [];
    for (let k = 0; k < N; k++) { imgs.push([]); }
    for (let i = 0; i < SAMPLES; i++) {
      const s = i / (SAMPLES - 1);
      let x = state.x0.map(function (v, j) { return v + s * state.dx[j]; });
      imgs[0].push(x);
      for (let k = 0; k < K; k++) {
        const xx = x;
        x = xx ? JV.safe(function () { return stages[k].value(xx); }) : null;
        imgs[k + 1].push(x);
      }
    }
    return {pts: pts, J: J, d: d, g: g, pairs: pairs, imgs: imgs};
  }

  // each panel draws its arrows magnified by a round factor that makes the longest fit:
  // M[k] for d (and the true image), S[k] for the gradient; held while their handle moves
  const M = new Array(N).fill(1), S = new Array(N).fill(1);
  let last = null;

  function scales(r) {
    for (let k = 0; k < N; k++) {
      const p = r.pts[k];
      if (!p) { continue; }
      let fl = r.d[k] ? Math.hypot.apply(null, drawnVec(r.d[k], k)) : 0;
      const gl = r.g[k] ? Math.hypot.apply(null, drawnVec(r.g[k], k)) : 0;
      if (k > 0) {
        for (const q of r.imgs[k]) {
          if (q) {
            const off = q.map(function (v, j) { return v - p[j]; });
            fl = Math.max(fl, Math.hypot.apply(null, drawnVec(off, k)));
          }
        }
      }
      if (!(k === 0 && hDx.isDragging()) && fl > 0 && Number.isFinite(fl)) { M[k] = JV.niceFloor(room / fl); }
      if (!(k === K && hG.isDragging()) && gl > 0 && Number.isFinite(gl)) { S[k] = JV.niceFloor(room / gl); }
    }
  }

  function drawnVec(v, k) { return dims[k] === 1 ? [v[0]] : [v[0], v[1]]; }

  // -- drawing -----------------------------------------------------------------------------
  function drawLine1D(pn, view) {
    const g = pn.grid;
    while (g.firstChild) { g.removeChild(g.firstChild); }
    while (pn.ticks.firstChild) { pn.ticks.removeChild(pn.ticks.firstChild); }
    const b = view.box, y = b.y + b.h / 2;
    JV.svg("line", {x1: b.x + 10, y1: y, x2: b.x + b.w - 10, y2: y, "class": "axis-line"}, g);
    const lo = view.cx - view.hw, hi = view.cx + view.hw, step = JV.niceStep(2 * view.hw, 4);
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
      const x = view.px(v, view.cy)[0];
      JV.svg("line", {x1: x, y1: y - 6, x2: x, y2: y + 6, "class": "axis-line"}, g);
    }
    JV.svg("text", {x: b.x, y: b.y + b.h + 15, "class": "tick"}, pn.ticks).textContent = fmt(lo);
    JV.svg("text", {x: b.x + b.w, y: b.y + b.h + 15, "class": "tick", "text-anchor": "end"}, pn.ticks)
      .textContent = fmt(hi);
  }

  function drawPanel(k, r) {
    const pn = P[k], view = views[k], p = r.pts[k];
    const ok = !!p;
    pn.undef.style.display = ok ? "none" : "";
    pn.footVal.textContent = fmtVec(p);
    pn.footVal.setAttribute("class", ok ? "" : "undef");
    for (const piece of [pn.dot, pn.curve, pn.curveEnd, pn.flab, pn.blab, pn.scaleF, pn.scaleB]) {
      piece.style.display = ok ? "" : "none";
    }
    if (!ok) {
      pn.fwd.hide(); pn.bwd.hide();
      while (pn.grid.firstChild) { pn.grid.removeChild(pn.grid.firstChild); }
      while (pn.ticks.firstChild) { pn.ticks.removeChild(pn.ticks.firstChild); }
      return;
    }
    if (k > 0) { view.recentre(p[0], dims[k] === 1 ? 0 : p[1]); }
    const one = dims[k] === 1;
    if (one) { drawLine1D(pn, view); } else {
      while (pn.ticks.firstChild) { pn.ticks.removeChild(pn.ticks.firstChild); }
      JV.drawGrid(pn.grid, view, null);
      // range labels outside the clip
      const tmp = pn.grid.querySelectorAll("text");
      for (const t of tmp) { pn.ticks.appendChild(t); }
    }
    const yc = view.box.y + view.box.h / 2;
    const at = function (v, lane) {  // data -> SVG, on a lane for 1-D
      if (!v || !JV.finite(v)) { return null; }
      return one ? [view.px(v[0], view.cy)[0], yc + (lane || 0)] : view.px(v[0], v[1]);
    };
    const P0 = at(p, 0);
    JV.set(pn.dot, {cx: P0[0], cy: P0[1]});
    const tip = function (v, scale) {
      return v ? p.map(function (c, j) { return c + scale * v[j]; }) : null;
    };
    const fTip = at(tip(r.d[k], M[k]), -LANE), bTip = at(tip(r.g[k], S[k]), LANE);
    pn.scaleF.textContent = "d \u00d7" + fmt(M[k]);
    pn.scaleB.textContent = "grad \u00d7" + fmt(S[k]);
    pn.fwd.set(at(p, -LANE), fTip);
    pn.bwd.set(at(p, LANE), bTip);
    placeLabel(pn.flab, at(p, -LANE), fTip, one ? -1 : 0);
    placeLabel(pn.blab, at(p, LANE), bTip, one ? 1 : 0);
    if (k > 0) {
      const pts = r.imgs[k].map(function (q) {
        return q ? at(tip(q.map(function (v, j) { return v - p[j]; }), M[k]), -LANE) : null;
      });
      pn.curve.setAttribute("d", JV.pathOf(pts));
      const end = pts[pts.length - 1];
      if (end) { JV.set(pn.curveEnd, {cx: end[0], cy: end[1]}); } else { pn.curveEnd.style.display = "none"; }
    } else {
      pn.curve.style.display = "none"; pn.curveEnd.style.display = "none";
    }
  }

  function placeLabel(t, a, b, side) {
    if (!a || !b) { t.style.display = "none"; return; }
    let dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    if (len < 1) { dx = 1; dy = -1; } else { dx /= len; dy /= len; }
    let x = b[0] + dx * 20, y = b[1] + dy * 20 + 6;
    if (side) { x = (a[0] + b[0]) / 2; y = b[1] + side * 22 + (side > 0 ? 6 : 0); }
    JV.set(t, {x: x, y: y});
  }

  // -- handles -----------------------------------------------------------------------------
  const v0 = views[0], vK = views[K];
  const clampBox = function (b, x, y) {
    return [Math.min(b.x + b.w - 4, Math.max(b.x + 4, x)), Math.min(b.y + b.h - 4, Math.max(b.y + 4, y))];
  };
  const y0c = boxes[0].y + boxes[0].h / 2, yKc = boxes[K].y + boxes[K].h / 2;
  const step0 = v0.hw / 50;

  const hX = new JV.Handle({
    parent: handleLayer, svgRoot: root, color: C.pt, radius: 10, id: "x0",
    label: "the point " + spaces[0].name + "0",
    pos: function () {
      return dims[0] === 1 ? [v0.px(state.x0[0], v0.cy)[0], y0c] : v0.px(state.x0[0], state.x0[1]);
    },
    drag: function (x, y) {
      const q = clampBox(boxes[0], x, y), d = v0.data(q[0], q[1]);
      state.x0[0] = d[0];
      if (dims[0] > 1) { state.x0[1] = d[1]; }
      update();
    },
    nudge: function (ix, iy, f) {
      if (dims[0] === 1) { state.x0[0] += (ix || iy) * step0 * f; } else {
        state.x0[0] += ix * step0 * f; state.x0[1] += iy * step0 * f;
      }
      update();
    },
    valuetext: function () { return spaces[0].name + "0 = " + fmtVec(state.x0); },
  });
  const hDx = new JV.Handle({
    parent: handleLayer, svgRoot: root, color: C.fwd, radius: 8, id: "dx",
    label: "the tip of d" + spaces[0].name,
    pos: function () {
      const t = state.x0.map(function (v, j) { return v + M[0] * state.dx[j]; });
      return dims[0] === 1 ? [v0.px(t[0], v0.cy)[0], y0c - LANE] : v0.px(t[0], t[1]);
    },
    drag: function (x, y) {
      const q = clampBox(boxes[0], x, y), d = v0.data(q[0], q[1]);
      state.dx[0] = (d[0] - state.x0[0]) / M[0];
      if (dims[0] > 1) { state.dx[1] = (d[1] - state.x0[1]) / M[0]; }
      update();
    },
    nudge: function (ix, iy, f) {
      const st = step0 / M[0] * f;
      if (dims[0] === 1) { state.dx[0] += (ix || iy) * st; } else {
        state.dx[0] += ix * st; state.dx[1] += iy * st;
      }
      update();
    },
    end: function () { update(); },
    valuetext: function () { return "d" + spaces[0].name + " = " + fmtVec(state.dx); },
  });
  const hG = new JV.Handle({
    parent: handleLayer, svgRoot: root, color: C.bwd, radius: 8, id: "grad",
    label: "the output gradient grad " + spaces[K].name,
    pos: function () {
      const p = last && last.pts[K];
      if (!p) { return null; }
      const t = p.map(function (v, j) { return v + S[K] * state.g[j]; });
      return dims[K] === 1 ? [vK.px(t[0], vK.cy)[0], yKc + LANE] : vK.px(t[0], t[1]);
    },
    drag: function (x, y) {
      const p = last && last.pts[K];
      if (!p) { return; }
      const q = clampBox(boxes[K], x, y), d = vK.data(q[0], q[1]);
      state.g[0] = (d[0] - p[0]) / S[K];
      if (dims[K] > 1) { state.g[1] = (d[1] - p[1]) / S[K]; }
      update();
    },
    nudge: function (ix, iy, f) {
      const st = vK.hw / 50 / S[K] * f;
      if (dims[K] === 1) { state.g[0] += (ix || iy) * st; } else {
        state.g[0] += ix * st; state.g[1] += iy * st;
      }
      update();
    },
    end: function () { update(); },
    valuetext: function () { return "gradient at the output = " + fmtVec(state.g); },
  });

  // -- the readout -------------------------------------------------------------------------
  const out = JV.el("section", {"class": "readout"}, null, app);
  const inputs = JV.el("div", {"class": "inputs"}, null, out);
  const nm0 = JV.splitName(spaces[0].name), nmK = JV.splitName(spaces[K].name);
  const fields = [
    JV.numberInput(inputs, [[nm0[0], (nm0[1] ? nm0[1] + "," : "") + "0"], [" =", ""]], dims[0],
                   function () { return state.x0; }, function (v) { state.x0 = v; update(); }, "pt", "x0"),
    JV.numberInput(inputs, [["d" + nm0[0], nm0[1]], [" =", ""]], dims[0],
                   function () { return state.dx; }, function (v) { state.dx = v; update(); }, "fwd", "dx"),
    JV.numberInput(inputs, [["grad", spaces[K].name], [" =", ""]], dims[K],
                   function () { return state.g; }, function (v) { state.g = v; update(); }, "bwd", "grad"),
  ];

  const wrap = JV.el("div", {"class": "scroll"}, null, out);
  const table = JV.el("table", {"class": "values"}, null, wrap);
  const head = JV.el("tr", null, null, JV.el("thead", null, null, table));
  JV.el("th", null, "", head);
  spaces.forEach(function (sp) {
    const th = JV.el("th", null, null, head);
    JV.nameHtml(th, sp.name);
    th.appendChild(document.createTextNode("-space " + supDim(sp.dim)));
  });
  const body = JV.el("tbody", null, null, table);
  const cells = {};
  function row(key, label, cls) {
    const tr = JV.el("tr", null, null, body);
    JV.el("th", {scope: "row"}, label, tr);
    cells[key] = [];
    for (let k = 0; k < N; k++) {
      const td = JV.el("td", {"class": cls}, null, tr);
      cells[key].push(td);
    }
  }
  row("point", "point", "pt");
  row("fwd", "forward: d", "fwd");
  row("image", "true image ends at", "hl");
  row("bwd", "backward: grad", "bwd");
  row("pair", "\u27e8grad, d\u27e9", "hl");
  row("jac", "Jacobian into it", "");
  const defsP = JV.el("p", {"class": "defs"}, null, out);
  DATA.maps.forEach(function (m) { JV.el("span", null, m.text, defsP); });

  function cell(td, prefixParts, value, q, exactValue) {
    while (td.firstChild) { td.removeChild(td.firstChild); }
    if (prefixParts) {
      for (const p of prefixParts) {
        td.appendChild(document.createTextNode(p[0]));
        if (p[1]) { JV.el("sub", null, p[1], td); }
      }
      td.appendChild(document.createTextNode(" = "));
    }
    const v = JV.el("span", {"data-q": q, "data-v": JV.exact(exactValue === undefined ? null : exactValue)},
                    value, td);
    if (value === UNDEF) { v.setAttribute("class", "undef"); }
  }

  // -- update ------------------------------------------------------------------------------
  function update() {
    const r = compute();
    last = r;
    scales(r);
    for (let k = 0; k < N; k++) { drawPanel(k, r); }
    for (const h of [hX, hDx, hG]) { h.update(); }
    for (const f of fields) { f.show(); }
    // pairings that agree (up to floating-point error) are shown as one number, alike
    const known = r.pairs.filter(function (v) { return v !== null; });
    const agree = known.every(function (v) { return JV.coincide(v, known[0]); });
    for (let k = 0; k < N; k++) {
      const sp = JV.splitName(spaces[k].name);
      cell(cells.point[k], [[sp[0], (sp[1] ? sp[1] + "," : "") + "0"]], fmtVec(r.pts[k]), "point:" + k,
           r.pts[k]);
      cell(cells.fwd[k], [["d" + sp[0], sp[1]]], fmtVec(r.d[k]), "fwd:" + k, r.d[k]);
      cell(cells.bwd[k], [["grad", spaces[k].name]], fmtVec(r.g[k]), "bwd:" + k, r.g[k]);
      cell(cells.pair[k], null, fmt(r.pairs[k] === null ? NaN : agree ? known[0] : r.pairs[k]), "pair:" + k,
           r.pairs[k]);
      if (k === 0) {
        cells.image[k].textContent = "(the arrow itself)";
        cells.image[k].className = "muted";
        cells.jac[k].textContent = "";
      } else {
        const end = r.imgs[k][SAMPLES - 1], p = r.pts[k], d = r.d[k];
        const tip = end && p && d ? JV.safe(function () {
          return p.map(function (v, j) { return v + d[j]; });
        }) : null;
        const ok = JV.finite(end) && JV.finite(tip);
        // the curve's end beside the arrow's tip, by the comparison rule (jacviz.core.fmt)
        // equal: exactly, when the maps so far are affine; else up to floating-point error
        const exact = DATA.affine[k], c = ok ? JV.compare(end, tip, exact || null) : null;
        cell(cells.image[k], null, c ? c.a : fmtVec(end), "image:" + k, end);
        if (c) {
          const gs = JV.el("span", {"class": "muted", "data-vs": String(k), "data-sign": c.sign},
                           null, cells.image[k]);
          if (c.equal) {
            gs.textContent = exact ? ": on the arrow's tip, they coincide"
                                   : ": on the arrow's tip, to within rounding error";
          } else {
            gs.appendChild(document.createTextNode(" " + c.sign + " the arrow's tip "));
            JV.el("span", {"data-q": "tip:" + k, "data-v": JV.exact(tip)}, c.b, gs);
            if (c.note) { gs.appendChild(document.createTextNode(", " + c.note)); }
          }
        }
        const prev = JV.splitName(spaces[k - 1].name), mp = JV.splitName(DATA.maps[k - 1].name);
        cell(cells.jac[k], [["D" + mp[0], mp[1]], ["(" + prev[0], (prev[1] ? prev[1] + "," : "") + "0"],
                            [")", ""]],
             JV.fmtMat(r.J[k - 1]), "jac:" + (k - 1), r.J[k - 1]);
      }
    }
    let bad = -1;
    for (let k = 0; k < K && bad < 0; k++) {
      if (r.pts[k] && (!r.pts[k + 1] || !r.J[k])) { bad = k; }
    }
    if (bad >= 0) {
      const sp = JV.splitName(spaces[bad].name);
      JV.status(DATA.maps[bad].name + " is undefined here: at " + sp[0] + (sp[1] ? sp[1] + "," : "") +
                "0 = " +
                fmtVec(r.pts[bad]) + " its value or its Jacobian is not a finite number", true);
    } else if (!JV.finite(state.dx) || !JV.finite(state.g)) {
      JV.status("undefined here", true);
    } else {
      JV.status("\u27e8grad, d\u27e9 = " + fmt(known[0]) + (agree ? " in every space: forward and backward agree"
                                                                  : " (the spaces disagree)"), !agree);
    }
  }

  JV.onReset(function () {
    state.x0 = start.x0.slice(); state.dx = start.dx.slice(); state.g = start.g.slice();
    for (const f of fields) { f.input.blur(); }
    update();
  });
  JV.help("Drag the green dot (x0) or the orange tip (dx) in the first space, and the blue tip " +
          "(the output gradient) in the last; or type the numbers. Tab moves between handles; arrow " +
          "keys move the selected one (Shift: 10\u00d7, Alt: 0.1\u00d7). R or Reset: back to the start.");
  window.addEventListener("resize", update);
  update();
  document.body.setAttribute("data-ready", "1");
})();
