/* jacviz canvas: level-sets.  The contour plot of f (level sets from the core),
 * a dot on the curve r(t) moved by dragging it along the curve or by the t slider,
 * the gradient of f and the velocity r'(t) at the dot, and the live readout
 * grad f . r'(t) = dz/dt.  Every number comes from the compiled f, r and their
 * Jacobians (jacviz.core.jsgen). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, fmtVec = JV.fmtVec, UNDEF = JV.UNDEF;
  const f = DATA.f, curves = DATA.curves;
  const state = {c: 0, t: curves.map(function (cv) { return cv.t0 + 0.375 * (cv.t1 - cv.t0); })};
  const start = {c: 0, t: state.t.slice()};

  const app = document.getElementById("app");
  app.classList.add("side");
  const controls = document.getElementById("controls");
  const tabs = curves.map(function (cv, k) {
    return JV.button(controls, "curve " + (k + 1), function () { state.c = k; update(); },
                     {"aria-pressed": "false", "data-curve": k, title: cv.text});
  });
  controls.appendChild(document.getElementById("reset"));

  // -- the plot ------------------------------------------------------------------------------
  const W = 620, box = {x: 62, y: 14, w: 540, h: 540}, H = 636;
  const stage = JV.el("div", {"class": "stage"}, null, app);
  const root = JV.svg("svg", {viewBox: "0 0 " + W + " " + H, "class": "view", role: "group",
                               "aria-label": "level sets of f and the curve"}, stage);
  const hw = (DATA.xlim[1] - DATA.xlim[0]) / 2;
  const view = new JV.View(box, (DATA.xlim[0] + DATA.xlim[1]) / 2, (DATA.ylim[0] + DATA.ylim[1]) / 2, hw);
  const defs = JV.svg("defs", {}, root);
  const clip = JV.svg("clipPath", {id: "jv-plot"}, defs);
  JV.svg("rect", {x: box.x, y: box.y, width: box.w, height: box.h}, clip);
  JV.svg("rect", {x: box.x, y: box.y, width: box.w, height: box.h, "class": "panel-box", rx: 6}, root);
  const gridG = JV.svg("g", {}, root);
  JV.drawGrid(gridG, view, f.input_names);
  const inner = JV.svg("g", {"clip-path": "url(#jv-plot)"}, root);
  for (const c of DATA.contours) {
    let best = null, bestD = Infinity;
    for (const line of c.lines) {
      const pts = line.map(function (p) { return view.px(p[0], p[1]); });
      JV.svg("path", {d: JV.pathOf(pts), fill: "none", stroke: C.ink, "stroke-width": 1.6,
                      "stroke-opacity": 0.75}, inner);
      for (const q of pts) {  // the label goes where the line comes nearest the lower right corner
        const d = Math.hypot(q[0] - (box.x + box.w), q[1] - (box.y + box.h));
        if (d < bestD) { bestD = d; best = q; }
      }
    }
    if (best) {
      JV.svg("text", {x: best[0] + 6, y: best[1] + 16, "class": "tick", "font-size": 15}, inner)
        .textContent = c.label;
    }
  }
  const curvePaths = curves.map(function (cv) {
    return JV.svg("path", {d: JV.pathOf(cv.samples.map(function (p) { return view.px(p[0], p[1]); })),
                           fill: "none", "stroke-linecap": "round"}, inner);
  });
  const mark = JV.svg("path", {fill: "none", stroke: C.ink, "stroke-width": 2}, inner);
  const gArrow = new JV.Arrow(inner, C.bwd, 4.5);
  const vArrow = new JV.Arrow(inner, C.fwd, 4.5);
  const gLab = JV.svgText(inner, [["\u2207f", ""]], {"class": "bwd", "font-size": 19,
                                                      "text-anchor": "middle"});
  const vLab = JV.svgText(inner, [["r\u2032(t)", ""]], {"class": "fwd", "font-size": 19,
                                                        "text-anchor": "middle"});
  const undef = JV.svg("text", {x: box.x + box.w / 2, y: box.y + 40, "text-anchor": "middle",
                                "class": "undef", "font-size": 22}, root);
  undef.textContent = UNDEF;
  const handleLayer = JV.svg("g", {}, root);

  // -- the numbers ---------------------------------------------------------------------------
  function at(k, t) {
    const cv = curves[k].map;
    const r = JV.safe(function () { return cv.value([t]); });
    const Jr = JV.safe(function () { return cv.jacobian([t]); });
    const v = Jr ? [Jr[0][0], Jr[1][0]] : null;
    const z = r ? JV.safe(function () { return f.value(r)[0]; }) : null;
    const Jf = r ? JV.safe(function () { return f.jacobian(r); }) : null;
    const g = Jf ? Jf[0].slice() : null;  // grad f = Df^T: the one row, as a column
    const ok = r && v && g && z !== null;
    const dzdt = ok ? JV.safe(function () { return JV.dot(g, v); }) : null;
    return {t: t, r: ok ? r : (r || null), v: v, z: z, g: ok ? g : null, dzdt: dzdt, ok: !!ok};
  }

  function nearestT(k, q) {
    const cv = curves[k], n = 400;
    let bestT = state.t[k], bestD = Infinity;
    const dist = function (t) {
      const r = JV.safe(function () { return cv.map.value([t]); });
      return r ? Math.hypot(r[0] - q[0], r[1] - q[1]) : Infinity;
    };
    for (let i = 0; i <= n; i++) {
      const t = cv.t0 + (cv.t1 - cv.t0) * i / n, d = dist(t);
      if (d < bestD) { bestD = d; bestT = t; }
    }
    let lo = Math.max(cv.t0, bestT - (cv.t1 - cv.t0) / n), hi = Math.min(cv.t1, bestT + (cv.t1 - cv.t0) / n);
    for (let it = 0; it < 40; it++) {  // golden-section refinement
      const a = hi - 0.618 * (hi - lo), b = lo + 0.618 * (hi - lo);
      if (dist(a) < dist(b)) { hi = b; } else { lo = a; }
    }
    const t = (lo + hi) / 2;
    return dist(t) <= bestD ? t : bestT;
  }

  let cur = null;
  const dotHandle = new JV.Handle({
    parent: handleLayer, svgRoot: root, color: C.pt, radius: 10, id: "dot",
    label: "the dot on the curve, r(t)",
    pos: function () { return cur && cur.r ? view.px(cur.r[0], cur.r[1]) : null; },
    drag: function (x, y) { state.t[state.c] = nearestT(state.c, view.data(x, y)); update(); },
    nudge: function (ix, iy, fac) { nudgeT((ix || iy) * fac); },
    valuetext: function () { return "t = " + fmt(state.t[state.c]); },
  });

  function nudgeT(steps) {
    const cv = curves[state.c];
    state.t[state.c] = Math.min(cv.t1, Math.max(cv.t0, state.t[state.c] + steps * (cv.t1 - cv.t0) / 200));
    update();
  }

  const sliderY = box.y + box.h + 44;
  const tLabel = JV.svg("text", {x: 6, y: sliderY + 6, "font-size": 19, "class": "pt"}, root);
  const sliders = curves.map(function (cv, k) {
    const g = JV.svg("g", {}, root);
    const s = new JV.Slider({
      parent: g, svgRoot: root, x: box.x + 90, y: sliderY, w: box.w - 90, lo: cv.t0, hi: cv.t1,
      id: "t" + k, label: cv.param + " (curve " + (k + 1) + ")", color: C.pt,
      get: function () { return state.t[k]; },
      put: function (v) { state.t[k] = v; update(); },
    });
    JV.svg("text", {x: box.x + 90, y: sliderY + 30, "class": "tick"}, g).textContent = fmt(cv.t0);
    JV.svg("text", {x: box.x + box.w, y: sliderY + 30, "class": "tick", "text-anchor": "end"}, g)
      .textContent = fmt(cv.t1);
    return {g: g, s: s};
  });

  // -- the readout ---------------------------------------------------------------------------
  const side = JV.el("section", {"class": "readout"}, null, app);
  const card = JV.el("div", {"class": "card big"}, null, side);
  const defsP = JV.el("p", {"class": "defs"}, null, card);
  JV.el("span", {"data-q": "f-text"}, DATA.f_text, defsP);
  const curveText = JV.el("span", {"data-q": "curve-text"}, null, defsP);
  const rows = {};
  function line(key, parts, cls) {
    const p = JV.el("div", {"class": "eq"}, null, card);
    const lab = JV.el("span", {"class": cls || ""}, null, p);
    for (const q of parts) {
      lab.appendChild(document.createTextNode(q[0]));
      if (q[1]) { JV.el("sub", null, q[1], lab); }
    }
    p.appendChild(document.createTextNode(" = "));
    rows[key] = JV.el("span", {"class": cls || "", "data-q": key}, null, p);
    return p;
  }
  line("t", [["t", ""]], "pt");
  line("r", [["r(t)", ""]], "pt");
  line("z", [["z = f(r(t))", ""]], "pt");
  line("grad", [["\u2207f(r(t))", ""]], "bwd");
  line("vel", [["r\u2032(t)", ""]], "fwd");
  const dotCard = JV.el("div", {"class": "card big"}, null, side);
  const dotLine = JV.el("div", null, null, dotCard);
  JV.el("span", {"class": "bwd"}, "\u2207f", dotLine);
  dotLine.appendChild(document.createTextNode(" \u00b7 "));
  JV.el("span", {"class": "fwd"}, "r\u2032(t)", dotLine);
  dotLine.appendChild(document.createTextNode(" = "));
  const termsSpan = JV.el("span", {"data-q": "terms"}, null, dotLine);
  const resLine = JV.el("div", null, null, dotCard);
  resLine.appendChild(document.createTextNode("= dz/dt = "));
  const dzdtSpan = JV.el("span", {"class": "hl", "data-q": "dzdt"}, null, resLine);
  const perp = JV.el("div", {"class": "muted", "data-q": "perp"}, null, dotCard);
  const note = JV.el("p", {"class": "defs"}, "arrows drawn: \u2207f \u00d7" + fmt(DATA.gscale) +
                     ", r\u2032(t) \u00d7" + fmt(DATA.tscale), side);
  note.setAttribute("data-q", "scales");

  function set(span, value, exactValue) {
    span.textContent = value;
    span.classList.toggle("undef", value === UNDEF);
    span.setAttribute("data-v", JV.exact(exactValue === undefined ? null : exactValue));
  }

  function update() {
    const k = state.c, cv = curves[k];
    const s = at(k, state.t[k]);
    cur = s;
    tabs.forEach(function (b, j) { b.setAttribute("aria-pressed", j === k ? "true" : "false"); });
    curvePaths.forEach(function (p, j) {
      JV.set(p, {stroke: j === k ? C.ink : C.muted, "stroke-width": j === k ? 4 : 2,
                 "stroke-dasharray": j === k ? "none" : "6 6", "stroke-opacity": j === k ? 1 : 0.7});
    });
    sliders.forEach(function (sl, j) { sl.g.style.display = j === k ? "" : "none"; sl.s.update(); });
    tLabel.textContent = cv.param + " = " + fmt(state.t[k]);
    curveText.textContent = cv.text + ",  " + fmt(cv.t0) + " \u2264 " + cv.param + " \u2264 " + fmt(cv.t1);
    const P = s.r ? view.px(s.r[0], s.r[1]) : null;
    const gTip = s.g && P ? view.px(s.r[0] + DATA.gscale * s.g[0], s.r[1] + DATA.gscale * s.g[1]) : null;
    const vTip = s.v && P ? view.px(s.r[0] + DATA.tscale * s.v[0], s.r[1] + DATA.tscale * s.v[1]) : null;
    gArrow.set(P, gTip);
    vArrow.set(P, vTip);
    label(gLab, P, gTip);
    label(vLab, P, vTip);
    undef.style.display = s.ok ? "none" : "";
    // a right angle where the gradient and the velocity are perpendicular
    const gl = s.g ? Math.hypot(s.g[0], s.g[1]) : 0, vl = s.v ? Math.hypot(s.v[0], s.v[1]) : 0;
    if (s.ok && gl > 1e-12 && vl > 1e-12 && Math.abs(s.dzdt) <= 1e-9 * gl * vl) {
      const a = [s.g[0] / gl, -s.g[1] / gl], b = [s.v[0] / vl, -s.v[1] / vl], e = 22;
      mark.setAttribute("d", JV.pathOf([[P[0] + e * a[0], P[1] + e * a[1]],
                                        [P[0] + e * (a[0] + b[0]), P[1] + e * (a[1] + b[1])],
                                        [P[0] + e * b[0], P[1] + e * b[1]]]));
      mark.style.display = "";
    } else { mark.style.display = "none"; }
    dotHandle.update();
    set(rows.t, fmt(state.t[k]), state.t[k]);
    set(rows.r, fmtVec(s.r), s.r);
    set(rows.z, s.z === null ? UNDEF : fmt(s.z), s.z);
    set(rows.grad, fmtVec(s.g), s.g);
    set(rows.vel, fmtVec(s.v), s.v);
    if (s.ok) {
      const prods = [s.g[0] * s.v[0], s.g[1] * s.v[1]];
      termsSpan.textContent = "(" + fmt(s.g[0]) + ")(" + fmt(s.v[0]) + ") + (" + fmt(s.g[1]) + ")(" +
        fmt(s.v[1]) + ") = " + fmt(prods[0]) + (fmt(prods[1])[0] === "-" ? " - " + fmt(prods[1]).slice(1)
                                                                          : " + " + fmt(prods[1]));
    } else { termsSpan.textContent = UNDEF; }
    set(dzdtSpan, s.dzdt === null ? UNDEF : fmt(s.dzdt), s.dzdt);
    perp.textContent = mark.style.display === ""
      ? "\u2207f is perpendicular to r\u2032(t): the curve runs along a level set here"
      : (s.ok ? "the curve crosses the level sets here" : "");
    if (!s.ok) {
      JV.status("f or r is undefined here, at t = " + fmt(state.t[k]), true);
    } else {
      JV.status("dz/dt = \u2207f \u00b7 r\u2032(t) = " + fmt(s.dzdt));
    }
  }

  function label(t, a, b) {
    if (!a || !b) { t.style.display = "none"; return; }
    let dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    if (len < 1) { t.style.display = "none"; return; }
    dx /= len; dy /= len;
    JV.set(t, {x: b[0] + dx * 22, y: b[1] + dy * 22 + 6});
  }

  JV.onReset(function () { state.c = start.c; state.t = start.t.slice(); update(); });
  JV.help("Drag the green dot along the curve, or the t slider; Tab moves between them and the buttons, " +
          "arrow keys move the selected one (Shift: 10\u00d7, Alt: 0.1\u00d7). The buttons switch curves. " +
          "R or Reset: back to the start.");
  window.addEventListener("resize", update);
  update();
  document.body.setAttribute("data-ready", "1");
})();
