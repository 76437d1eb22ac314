/* jacviz canvas: local-linearity.  Drag x0: the grid around it, bent by F, beside
 * the grid moved by the linear map F(x0) + J(x0)(x - x0); the small square at x0
 * and its image beside the parallelogram of the columns of h J(x0).  "Zoom in"
 * shrinks everything around x0 (the bent grid straightens).  Every number comes
 * from the compiled F and its Jacobian (jacviz.core.jsgen). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, fmtVec = JV.fmtVec, UNDEF = JV.UNDEF;
  const F = DATA.map, LINES = 7, SAMPLES = 25;
  const start = {x0: DATA.x0.slice(), zoomed: false};
  const state = {x0: start.x0.slice(), zoomed: false};

  const app = document.getElementById("app");
  const controls = document.getElementById("controls");
  const zoomButton = JV.button(controls, "zoom in \u00d7" + fmt(DATA.zoom),
                               function () { setZoom(!state.zoomed); },
                               {"aria-pressed": "false", "data-zoom": "1"});
  controls.appendChild(document.getElementById("reset"));

  const W = 1200, H = 446, pw = 500, ph = 380;
  const boxes = [{x: 50, y: 36, w: pw, h: ph}, {x: W - 20 - pw, y: 36, w: pw, h: ph}];
  const stage = JV.el("div", {"class": "stage"}, null, app);
  const root = JV.svg("svg", {viewBox: "0 0 " + W + " " + H, "class": "view", role: "group",
                               "aria-label": "the plane near x0, and near F(x0)"}, stage);
  const defs = JV.svg("defs", {}, root);
  const views = [], layers = [];
  boxes.forEach(function (b, k) {
    const clip = JV.svg("clipPath", {id: "jv-clip-" + k}, defs);
    JV.svg("rect", {x: b.x, y: b.y, width: b.w, height: b.h}, clip);
    JV.svg("rect", {x: b.x, y: b.y, width: b.w, height: b.h, rx: 8, "class": "panel-box"}, root);
    JV.svgText(root, k === 0 ? [["near x", "0"]] : [["near F(x", "0"], [")", ""]],
               {x: b.x + b.w / 2, y: b.y - 10, "text-anchor": "middle", "class": "title"});
    layers.push({grid: JV.svg("g", {}, root),
                 inner: JV.svg("g", {"clip-path": "url(#jv-clip-" + k + ")"}, root)});
  });
  // the arrow between the panels
  new JV.Arrow(JV.svg("g", {}, root), C.ink, 3)
    .set([boxes[0].x + pw + 20, 36 + ph / 2], [boxes[1].x - 20, 36 + ph / 2]);
  JV.svg("text", {x: W / 2, y: 36 + ph / 2 - 14, "text-anchor": "middle", "class": "title",
                  "font-style": "italic"}, root).textContent = "F";

  function extent() { return state.zoomed ? DATA.half_width / DATA.zoom : DATA.half_width; }
  function side() { return state.zoomed ? DATA.h / DATA.zoom : DATA.h; }

  function makeViews() {
    const e = extent(), x0 = state.x0;
    views[0] = new JV.View(boxes[0], x0[0], x0[1], 1.5 * e);
    const y0 = JV.safe(function () { return F.value(x0); }) || [0, 0];
    // the right view: the image of the grid, with a margin, equal units
    let r = e;
    const g = gridLines(x0, e);
    for (const line of g) {
      for (const p of line) {
        const q = JV.safe(function () { return F.value(p); });
        if (q) { r = Math.max(r, Math.abs(q[0] - y0[0]), Math.abs(q[1] - y0[1]) * pw / ph); }
      }
    }
    views[1] = new JV.View(boxes[1], y0[0], y0[1], JV.niceCeil(1.15 * r));
  }

  function gridLines(x0, e) {
    const lines = [];
    for (let i = 0; i < LINES; i++) {
      const c = -e + 2 * e * i / (LINES - 1), a = [], b = [];
      for (let s = 0; s < SAMPLES; s++) {
        const u = -e + 2 * e * s / (SAMPLES - 1);
        a.push([x0[0] + c, x0[1] + u]);
        b.push([x0[0] + u, x0[1] + c]);
      }
      lines.push(a, b);
    }
    return lines;
  }

  const pieces = layers.map(function (L) {
    return {grid: JV.svg("g", {}, L.inner), lin: JV.svg("g", {}, L.inner),
            square: JV.svg("path", {fill: C.fwd, "fill-opacity": 0.35, stroke: C.fwd, "stroke-width": 2.5},
                           L.inner),
            image: JV.svg("path", {fill: "none", stroke: C.hl, "stroke-width": 2.5}, L.inner),
            a1: new JV.Arrow(L.inner, C.fwd, 3.5), a2: new JV.Arrow(L.inner, C.fwd, 3.5),
            dot: JV.svg("circle", {r: 6, fill: C.pt}, L.inner),
            undef: (function () {
              const t = JV.svg("text", {"text-anchor": "middle", "class": "undef", "font-size": 22}, L.inner);
              t.textContent = UNDEF;
              return t;
            })()};
  });
  boxes.forEach(function (b, k) { JV.set(pieces[k].undef, {x: b.x + b.w / 2, y: b.y + 40}); });
  const handleLayer = JV.svg("g", {}, root);
  const hX = new JV.Handle({
    parent: handleLayer, svgRoot: root, color: C.pt, radius: 10, id: "x0", label: "the point x0",
    pos: function () { return views[0].px(state.x0[0], state.x0[1]); },
    drag: function (x, y) {
      const b = boxes[0];
      const q = views[0].data(Math.min(b.x + b.w - 4, Math.max(b.x + 4, x)),
                              Math.min(b.y + b.h - 4, Math.max(b.y + 4, y)));
      state.x0 = q; update();
    },
    nudge: function (ix, iy, f) {
      const st = views[0].hw / 50 * f;
      state.x0 = [state.x0[0] + ix * st, state.x0[1] + iy * st];
      update();
    },
    end: function () { update(); },
    valuetext: function () { return "x0 = " + fmtVec(state.x0); },
  });

  // -- the readout ---------------------------------------------------------------------------
  const out = JV.el("section", {"class": "readout"}, null, app);
  const inputs = JV.el("div", {"class": "inputs"}, null, out);
  const field = JV.numberInput(inputs, [["x", "0"], [" =", ""]], 2, function () { return state.x0; },
                               function (v) { state.x0 = v; makeViews(); update(); }, "pt", "x0");
  const table = JV.el("table", {"class": "values"}, null, JV.el("div", {"class": "scroll"}, null, out));
  const body = JV.el("tbody", null, null, table);
  const rows = {};
  function row(key, label, cls) {
    const tr = JV.el("tr", null, null, body);
    JV.el("th", {scope: "row"}, label, tr);
    rows[key] = JV.el("span", {"data-q": key, "class": cls || ""}, null, JV.el("td", null, null, tr));
  }
  row("x0", "x0", "pt");
  row("y0", "F(x0)", "pt");
  row("J", "J(x0)", "");
  row("det", "det J(x0): area factor", "");
  row("gap", "largest gap, bent grid vs linear grid", "hl");
  JV.el("p", {"class": "defs"}, DATA.text + "   \u2014   white: F of the grid; " +
        "orange dashed: the linear map's grid; " +
        "yellow: F of the square; orange: the parallelogram of h J e1, h J e2", out);

  function show(span, text, v) {
    span.textContent = text;
    span.classList.toggle("undef", text === UNDEF);
    span.setAttribute("data-v", JV.exact(v === undefined ? null : v));
  }

  function update() {
    const x0 = state.x0, e = extent(), h = side();
    const y0 = JV.safe(function () { return F.value(x0); });
    const J = y0 ? JV.safe(function () { return F.jacobian(x0); }) : null;
    const ok = !!(y0 && J);
    if (ok && !hX.isDragging()) {
      const v1 = views[1];
      const far = Math.abs(y0[0] - v1.cx) > 0.8 * v1.hw || Math.abs(y0[1] - v1.cy) > 0.8 * v1.hh;
      if (far) { makeViews(); }
    }
    if (ok) { views[1].recentre(y0[0], y0[1]); }
    JV.drawGrid(layers[0].grid, views[0], ["x", "y"]);
    JV.drawGrid(layers[1].grid, views[1], null);
    const lines = gridLines(x0, e);
    const P = pieces[0], Q = pieces[1];
    // the left panel: the grid and the square at x0
    clear(P.grid); clear(P.lin); clear(Q.grid); clear(Q.lin);
    for (const line of lines) {
      JV.svg("path", {d: JV.pathOf(line.map(function (p) { return views[0].px(p[0], p[1]); })), fill: "none",
                      stroke: C.ink, "stroke-width": 1.3, "stroke-opacity": 0.8}, P.grid);
    }
    const sq = [[0, 0], [h, 0], [h, h], [0, h], [0, 0]].map(function (d) {
      return [x0[0] + d[0], x0[1] + d[1]];
    });
    P.square.setAttribute("d", JV.pathOf(sq.map(function (p) { return views[0].px(p[0], p[1]); })) + "Z");
    const p0 = views[0].px(x0[0], x0[1]);
    P.a1.set(p0, views[0].px(x0[0] + h, x0[1]));
    P.a2.set(p0, views[0].px(x0[0], x0[1] + h));
    P.image.style.display = "none";
    P.dot.style.display = "none";
    P.undef.style.display = "none";
    // the right panel: F of the grid, the linear grid, F of the square, the parallelogram
    let gap = ok ? 0 : null;
    for (const line of lines) {
      const img = line.map(function (p) { return JV.safe(function () { return F.value(p); }); });
      JV.svg("path", {d: JV.pathOf(img.map(function (q) { return q ? views[1].px(q[0], q[1]) : null; })),
                      fill: "none", stroke: C.ink, "stroke-width": 1.5, "stroke-opacity": 0.85}, Q.grid);
      if (ok) {
        const lin = line.map(function (p) {
          const d = [p[0] - x0[0], p[1] - x0[1]];
          return [y0[0] + J[0][0] * d[0] + J[0][1] * d[1], y0[1] + J[1][0] * d[0] + J[1][1] * d[1]];
        });
        JV.svg("path", {d: JV.pathOf(lin.map(function (q) { return views[1].px(q[0], q[1]); })), fill: "none",
                        stroke: C.fwd, "stroke-width": 1.3, "stroke-dasharray": "5 4"}, Q.lin);
        img.forEach(function (q, s) {
          if (!q) { gap = null; } else if (gap !== null) {
            gap = Math.max(gap, Math.hypot(q[0] - lin[s][0], q[1] - lin[s][1]));
          }
        });
      }
    }
    Q.undef.style.display = ok ? "none" : "";
    for (const el of [Q.square, Q.image, Q.dot]) { el.style.display = ok ? "" : "none"; }
    if (ok) {
      const c1 = [h * J[0][0], h * J[1][0]], c2 = [h * J[0][1], h * J[1][1]];
      const para = [[0, 0], c1, [c1[0] + c2[0], c1[1] + c2[1]], c2, [0, 0]].map(function (d) {
        return views[1].px(y0[0] + d[0], y0[1] + d[1]);
      });
      Q.square.setAttribute("d", JV.pathOf(para) + "Z");
      const edge = [];
      for (let s = 0; s <= 40; s++) {
        const u = s / 10, side4 = Math.floor(Math.min(u, 3.999)), f = u - side4;
        const d = [[f, 0], [1, f], [1 - f, 1], [0, 1 - f]][side4];
        const p = [x0[0] + h * d[0], x0[1] + h * d[1]];
        const q = JV.safe(function () { return F.value(p); });
        edge.push(q ? views[1].px(q[0], q[1]) : null);
      }
      Q.image.setAttribute("d", JV.pathOf(edge));
      const q0 = views[1].px(y0[0], y0[1]);
      Q.a1.set(q0, views[1].px(y0[0] + c1[0], y0[1] + c1[1]));
      Q.a2.set(q0, views[1].px(y0[0] + c2[0], y0[1] + c2[1]));
      JV.set(Q.dot, {cx: q0[0], cy: q0[1]});
    } else { Q.a1.hide(); Q.a2.hide(); }
    hX.update();
    field.show();
    show(rows.x0, fmtVec(x0), x0);
    show(rows.y0, fmtVec(y0), y0);
    show(rows.J, JV.fmtMat(J), J);
    const det = ok ? JV.safe(function () { return J[0][0] * J[1][1] - J[0][1] * J[1][0]; }) : null;
    show(rows.det, det === null ? UNDEF : fmt(det), det);
    show(rows.gap, gap === null ? UNDEF : fmt(gap) + " on a grid x0 \u00b1 " + fmt(e), gap);
    if (!ok) {
      JV.status("F is undefined here, at x0 = " + fmtVec(x0), true);
    } else {
      JV.status(state.zoomed ? "zoomed in: near x0 the bent grid is almost the linear one"
                             : "zoom in: the closer to x0, the more F looks like its Jacobian");
    }
  }

  function clear(g) { while (g.firstChild) { g.removeChild(g.firstChild); } }

  function setZoom(z) {
    state.zoomed = z;
    zoomButton.setAttribute("aria-pressed", z ? "true" : "false");
    makeViews();
    update();
  }

  JV.onReset(function () { state.x0 = start.x0.slice(); field.input.blur(); setZoom(false); });
  JV.help("Drag the green dot (x0), or type it; Tab reaches it, arrow keys move it " +
          "(Shift: 10\u00d7, Alt: 0.1\u00d7). " +
          "Zoom in: everything shrinks around x0. R or Reset: back to the start.");
  window.addEventListener("resize", update);
  makeViews();
  update();
  document.body.setAttribute("data-ready", "1");
})();
