/* jacviz canvas: local-linearity.  Drag x0: the grid around it, bent by F, beside
 * the grid moved by the linear map F(x0) + J(x0)(x - x0); the small square at x0
 * and its image beside the parallelogram of the columns of h J(x0).  "Zoom in"
 * shrinks everything around x0 (the bent grid straightens).  "Circle" swaps the square
 * for a circle of radius r at x0: its image under F beside the ellipse J(x0) makes of it,
 * with the semi-axes r s_i u_i, the radii r v_i they come from, det J and whether the way
 * round flips (the SVD's sign convention of jacviz.core.svd, ported in svd2).  Every number
 * comes from the compiled F and its Jacobian (jacviz.core.jsgen). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, fmtVec = JV.fmtVec, UNDEF = JV.UNDEF;
  const F = DATA.map, LINES = 7, SAMPLES = 25;
  const start = {x0: DATA.x0.slice(), zoomed: false, circle: false};
  const state = {x0: start.x0.slice(), zoomed: false, circle: false};
  const ROUND = 72;  // samples round the circle

  const app = document.getElementById("app");
  const controls = document.getElementById("controls");
  const zoomButton = JV.button(controls, "zoom in \u00d7" + fmt(DATA.zoom),
                               function () { setZoom(!state.zoomed); },
                               {"aria-pressed": "false", "data-zoom": "1"});
  const circleButton = JV.button(controls, "circle \u2192 ellipse",
                                 function () { setCircle(!state.circle); },
                                 {"aria-pressed": "false", "data-circle": "1"});
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

  function extent() {  // the circle is looked at closely: the grid spans x0 +- 2 r
    const e = state.circle ? Math.min(DATA.half_width, 2 * DATA.radius) : DATA.half_width;
    return state.zoomed ? e / DATA.zoom : e;
  }
  function side() { return state.zoomed ? DATA.h / DATA.zoom : DATA.h; }
  function radius() { return state.zoomed ? DATA.radius / DATA.zoom : DATA.radius; }

  /* the SVD of a 2 x 2 matrix with jacviz.core.svd's conventions: s1 >= s2 >= 0; each v_i's
   * first clearly nonzero entry positive, u_i = J v_i / s_i (else the same sign rule);
   * singular when s2 <= 1e-9 s1 (then det is 0 and the orientation is lost) */
  const RTOL = 1e-9;
  function signFix(v) {
    const big = Math.max(Math.abs(v[0]), Math.abs(v[1]));
    for (const c of v) { if (Math.abs(c) > RTOL * big) { return c > 0 ? v : [-v[0], -v[1]]; } }
    return v;
  }
  function svd2(J) {
    const a = J[0][0], b = J[0][1], c = J[1][0], d = J[1][1];
    const p = a * a + c * c, q = a * b + c * d, r = b * b + d * d;  // J^T J
    const s1 = Math.sqrt((p + r) / 2 + Math.hypot((p - r) / 2, q));
    const det = a * d - b * c;
    const s2 = s1 > 0 ? Math.min(s1, Math.abs(det) / s1) : 0;
    const th = 0.5 * Math.atan2(2 * q, p - r);
    const v = [signFix([Math.cos(th), Math.sin(th)]), signFix([-Math.sin(th), Math.cos(th)])];
    const singular = s1 === 0 || s2 <= RTOL * s1;
    const s = [s1, s2];
    const u = v.map(function (vi, i) {
      if (s[i] === 0 || s[i] <= RTOL * s1) { return signFix(i === 0 ? vi : [-v[0][1], v[0][0]]); }
      return [(a * vi[0] + b * vi[1]) / s[i], (c * vi[0] + d * vi[1]) / s[i]];
    });
    return {s: s, v: v, u: u, det: singular ? 0 : det, singular: singular,
            orientation: singular ? 0 : (det > 0 ? 1 : -1)};
  }

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
            circle: JV.svg("path", {fill: C.ink, "fill-opacity": 0.12, stroke: C.ink, "stroke-width": 2.5},
                           L.inner),
            ellipse: JV.svg("path", {fill: C.fwd, "fill-opacity": 0.25, stroke: C.fwd, "stroke-width": 2.5,
                                     "stroke-dasharray": "6 4"}, L.inner),
            r1: new JV.Arrow(L.inner, C.fwd, 3), r2: new JV.Arrow(L.inner, C.fwd, 3),
            turn: new JV.Arrow(L.inner, C.hl, 3),
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
  row("s", "\u03c31, \u03c32: the ellipse's semi-axes over r", "");
  row("v", "v1, v2: the directions they come from", "");
  row("orient", "the way round (circle \u2192 ellipse)", "");
  row("gap", "largest gap, bent grid vs linear grid", "hl");
  JV.el("p", {"class": "defs"}, DATA.text + "   \u2014   white: F of the grid; " +
        "orange dashed: the linear map's grid; " +
        "yellow: F of the square; orange: the parallelogram of h J e1, h J e2; with circle: " +
        "white, the circle at x0 (radius r = " + fmt(DATA.radius) + ") and F of it; orange dashed, " +
        "the ellipse F(x0) + J(x0)(circle \u2212 x0) with its semi-axes r \u03c3i ui, from r vi; " +
        "yellow arrows, the way round", out);

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
    P.ellipse.style.display = "none";
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
    const dec = ok && JV.finite(J) ? svd2(J) : null;  // J finite: so is its SVD
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
    drawCircle(x0, y0, J, dec);
    hX.update();
    field.show();
    show(rows.x0, fmtVec(x0), x0);
    show(rows.y0, fmtVec(y0), y0);
    show(rows.J, JV.fmtMat(J), J);
    const det = ok ? JV.safe(function () { return J[0][0] * J[1][1] - J[0][1] * J[1][0]; }) : null;
    show(rows.det, det === null ? UNDEF : fmt(det), det);
    show(rows.gap, gap === null ? UNDEF : fmt(gap) + " on a grid x0 \u00b1 " + fmt(e), gap);
    show(rows.s, dec ? fmtVec(dec.s) : UNDEF, dec ? dec.s : null);
    show(rows.v, dec ? fmtVec(dec.v[0]) + ", " + fmtVec(dec.v[1]) : UNDEF, dec ? dec.v : null);
    show(rows.orient, !dec ? UNDEF : ["lost: J(x0) is singular, the circle collapses",
                                      "kept (det J > 0)", "flips (det J < 0)"][(3 + dec.orientation) % 3],
         dec ? dec.orientation : null);
    if (!ok) {
      JV.status("F is undefined here, at x0 = " + fmtVec(x0), true);
    } else {
      JV.status(state.zoomed ? "zoomed in: near x0 the bent grid is almost the linear one"
                             : "zoom in: the closer to x0, the more F looks like its Jacobian");
    }
  }

  /* the circle of radius r at x0 and the radii r v_i (left); F of it, the ellipse and the
   * semi-axes r s_i u_i (right); an arrow on each loop at -(v1 + v2), the way it goes round */
  function drawCircle(x0, y0, J, dec) {
    const P = pieces[0], Q = pieces[1], show = state.circle && !!dec;
    for (const el of [P.circle, Q.circle, Q.ellipse]) { el.style.display = show ? "" : "none"; }
    for (const el of [P.square, P.a1, P.a2, Q.square, Q.image, Q.a1, Q.a2]) {
      const g = el.g || el;
      if (show) { g.style.display = "none"; }
    }
    if (!show) { for (const a of [P.r1, P.r2, P.turn, Q.r1, Q.r2, Q.turn]) { a.hide(); } return; }
    const r = radius(), pts = [], img = [], ell = [];
    for (let k = 0; k <= ROUND; k++) {
      const t = 2 * Math.PI * (k % ROUND) / ROUND, d = [r * Math.cos(t), r * Math.sin(t)];
      const p = [x0[0] + d[0], x0[1] + d[1]];
      pts.push(views[0].px(p[0], p[1]));
      const q = JV.safe(function () { return F.value(p); });
      img.push(q ? views[1].px(q[0], q[1]) : null);
      ell.push(views[1].px(y0[0] + J[0][0] * d[0] + J[0][1] * d[1], y0[1] + J[1][0] * d[0] + J[1][1] * d[1]));
    }
    P.circle.setAttribute("d", JV.pathOf(pts) + "Z");
    Q.circle.setAttribute("d", JV.pathOf(img));
    Q.ellipse.setAttribute("d", JV.pathOf(ell) + "Z");
    const p0 = views[0].px(x0[0], x0[1]), q0 = views[1].px(y0[0], y0[1]);
    [P.r1, P.r2].forEach(function (a, i) {
      a.set(p0, views[0].px(x0[0] + r * dec.v[i][0], x0[1] + r * dec.v[i][1]));
    });
    [Q.r1, Q.r2].forEach(function (a, i) {
      const s = r * dec.s[i];
      a.set(q0, views[1].px(y0[0] + s * dec.u[i][0], y0[1] + s * dec.u[i][1]));
    });
    const w = [-(dec.v[0][0] + dec.v[1][0]), -(dec.v[0][1] + dec.v[1][1])];
    const k0 = Math.round(((Math.atan2(w[1], w[0]) / (2 * Math.PI) + 1) % 1) * ROUND) % ROUND;
    const k1 = k0 + Math.max(2, Math.round(ROUND / 16));
    P.turn.set(pts[k0], pts[k1 % ROUND]);
    Q.turn.set(ell[k0], ell[k1 % ROUND]);
  }

  function setCircle(c) {
    state.circle = c;
    circleButton.setAttribute("aria-pressed", c ? "true" : "false");
    makeViews();
    update();
  }

  function clear(g) { while (g.firstChild) { g.removeChild(g.firstChild); } }

  function setZoom(z) {
    state.zoomed = z;
    zoomButton.setAttribute("aria-pressed", z ? "true" : "false");
    makeViews();
    update();
  }

  JV.onReset(function () {
    state.x0 = start.x0.slice(); field.input.blur(); state.circle = false;
    circleButton.setAttribute("aria-pressed", "false"); setZoom(false);
  });
  JV.help("Drag the green dot (x0), or type it; Tab reaches it, arrow keys move it " +
          "(Shift: 10\u00d7, Alt: 0.1\u00d7). " +
          "Zoom in: everything shrinks around x0. Circle \u2192 ellipse: a circle at x0, its image " +
          "under F and the ellipse of J(x0). R or Reset: back to the start.");
  window.addEventListener("resize", update);
  makeViews();
  update();
  document.body.setAttribute("data-ready", "1");
})();
