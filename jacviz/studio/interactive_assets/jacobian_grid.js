/* jacviz canvas: jacobian-grid.  The m x n grid of partials of a map (numerator
 * layout: row i is the gradient of output i, written sideways), symbolic and at
 * the point; drag the point's sliders (or type it) and the grid follows.  Every
 * number comes from the compiled map and Jacobian (jacviz.core.jsgen). */
(function () {
  "use strict";
  const C = JV.COL, fmt = JV.fmt, UNDEF = JV.UNDEF;
  const F = DATA.map, m = F.m, n = F.n, name = DATA.name;
  const start = DATA.x0.slice();
  const state = {x0: start.slice()};

  const app = document.getElementById("app");
  app.classList.add("side");
  const stage = JV.el("div", {"class": "stage"}, null, app);
  const side = JV.el("section", {"class": "readout"}, null, app);

  const cellW = 190, cellH = 96, left = 150, top = 64;
  const W = left + n * cellW + 20, H = top + m * cellH + 70;
  const root = JV.svg("svg", {viewBox: "0 0 " + W + " " + H, "class": "view", role: "group",
                               "aria-label": "the Jacobian grid"}, stage);
  // column heads: the inputs; row heads: the outputs (each row is a gradient, sideways)
  for (let j = 0; j < n; j++) {
    JV.svgText(root, [["\u2202/\u2202", ""], JV.splitName(F.input_names[j])],
               {x: left + (j + 0.5) * cellW, y: top - 20, "text-anchor": "middle", "class": "title"});
  }
  const cells = [];
  for (let i = 0; i < m; i++) {
    const y = top + i * cellH;
    const rowName = m === 1 ? [["(\u2207" + name + ")\u1d40", ""]]
      : [["(\u2207" + name, String(i + 1)], [")\u1d40", ""]];
    JV.svgText(root, rowName,
               {x: left - 16, y: y + cellH / 2 + 7, "text-anchor": "end", "class": "bwd", "font-size": 20});
    const row = [];
    for (let j = 0; j < n; j++) {
      const x = left + j * cellW, diag = i === j;
      JV.svg("rect", {x: x + 3, y: y + 3, width: cellW - 6, height: cellH - 6, rx: 6, fill: C.panel,
                      stroke: diag ? C.hl : C.muted, "stroke-width": diag ? 2.5 : 1.5}, root);
      const sym = JV.svg("text", {x: x + cellW / 2, y: y + 32, "text-anchor": "middle", "class": "muted",
                                  "font-size": 16}, root);
      const txt = DATA.entries[i][j];
      sym.textContent = txt.length > 20 ? txt.slice(0, 19) + "\u2026" : txt;
      JV.svg("title", {}, sym).textContent = txt;
      const val = JV.svg("text", {x: x + cellW / 2, y: y + 70, "text-anchor": "middle", "font-size": 26,
                                  "data-q": "J:" + i + ":" + j}, root);
      row.push(val);
    }
    cells.push(row);
  }
  // brackets around the grid
  const bx0 = left - 4, bx1 = left + n * cellW + 4, by0 = top - 2, by1 = top + m * cellH + 2;
  JV.svg("path", {d: "M" + (bx0 + 12) + " " + by0 + "H" + bx0 + "V" + by1 + "H" + (bx0 + 12), fill: "none",
                  stroke: C.ink, "stroke-width": 2.5}, root);
  JV.svg("path", {d: "M" + (bx1 - 12) + " " + by0 + "H" + bx1 + "V" + by1 + "H" + (bx1 - 12), fill: "none",
                  stroke: C.ink, "stroke-width": 2.5}, root);
  JV.svg("text", {x: left + n * cellW / 2, y: H - 22, "text-anchor": "middle", "class": "title"}, root)
    .textContent = m + " \u00d7 " + n + ": " + m + (m === 1 ? " output (row), " : " outputs (rows), ") + n +
    (n === 1 ? " input (column)" : " inputs (columns)");

  // -- the side: the map, the point, the value ---------------------------------------------------
  const card = JV.el("div", {"class": "card"}, null, side);
  JV.el("h2", null, "the map", card);
  JV.el("div", {"class": "big"}, DATA.text, card);
  const pcard = JV.el("div", {"class": "card"}, null, side);
  JV.el("h2", null, "the point", pcard);
  const inputs = JV.el("div", {"class": "inputs"}, null, pcard);
  const field = JV.numberInput(inputs, [["point =", ""]], n, function () { return state.x0; },
                               function (v) { state.x0 = v; update(); }, "pt", "x0");
  const sw = 480, sh = 36 * n + 4;
  const psvg = JV.svg("svg", {viewBox: "0 0 " + sw + " " + sh, "class": "view", role: "group",
                              "aria-label": "the point"}, pcard);
  const sliders = [], labels = [];
  for (let j = 0; j < n; j++) {
    const c = start[j], R = JV.niceCeil(Math.max(2, Math.abs(c))), y = 20 + j * 36;
    const lab = JV.svgText(psvg, F.input_names[j], {x: 6, y: y + 6, "font-size": 18, "class": "pt"});
    labels.push(JV.svg("tspan", {}, lab));
    sliders.push(new JV.Slider({
      parent: psvg, svgRoot: psvg, x: 150, y: y, w: sw - 172, lo: c - R, hi: c + R,
      id: "x" + j, label: "input " + F.input_names[j], color: C.pt,
      get: function () { return state.x0[j]; },
      put: function (v) { state.x0[j] = v; update(); },
    }));
  }
  const vcard = JV.el("div", {"class": "card big"}, null, side);
  const pointLine = JV.el("div", null, null, vcard);
  pointLine.appendChild(document.createTextNode("point = "));
  const point = JV.el("span", {"class": "pt", "data-q": "point"}, null, pointLine);
  const valueLine = JV.el("div", null, null, vcard);
  valueLine.appendChild(document.createTextNode(name + "(point) = "));
  const value = JV.el("span", {"class": "pt", "data-q": "value"}, null, valueLine);
  const jLine = JV.el("div", null, null, vcard);
  jLine.appendChild(document.createTextNode("J = "));
  const jval = JV.el("span", {"data-q": "J"}, null, jLine);

  function update() {
    const x = state.x0;
    const y = JV.safe(function () { return F.value(x); });
    let raw = null;
    try { raw = y ? F.jacobian(x) : null; } catch (err) { raw = null; }
    const J = raw && JV.finite(raw) ? raw : null;
    let any = false;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = raw && Number.isFinite(raw[i][j]) ? raw[i][j] : null;
        const t = cells[i][j];
        t.textContent = v === null ? UNDEF : fmt(v);
        t.setAttribute("class", v === null ? "undef" : (i === j ? "hl" : "pt"));
        t.setAttribute("font-size", v === null ? 20 : 26);
        t.setAttribute("data-v", JV.exact(v));
        if (v === null) { any = true; }
      }
    }
    sliders.forEach(function (s, j) { s.update(); labels[j].textContent = " = " + fmt(x[j]); });
    field.show();
    point.textContent = JV.fmtVec(x);
    point.setAttribute("data-v", JV.exact(x));
    value.textContent = JV.fmtVec(y);
    value.classList.toggle("undef", !y);
    value.setAttribute("data-v", JV.exact(y));
    jval.textContent = JV.fmtMat(J);
    jval.classList.toggle("undef", !J);
    if (!y) {
      JV.status(name + " is undefined here, at " + JV.fmtVec(x), true);
    } else if (any) {
      JV.status("some partials of " + name + " are undefined here, at " + JV.fmtVec(x), true);
    } else {
      JV.status("row i: the gradient of output i, written sideways; " +
                "column j: how every output moves with input j");
    }
  }

  JV.onReset(function () { state.x0 = start.slice(); field.input.blur(); update(); });
  JV.help("Drag a slider, or type the point; Tab moves between sliders, arrow keys move the selected one " +
          "(Shift: 10\u00d7, Alt: 0.1\u00d7). R or Reset: back to the start.");
  window.addEventListener("resize", update);
  update();
  document.body.setAttribute("data-ready", "1");
})();
