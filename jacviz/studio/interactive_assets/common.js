/* jacviz interactive canvases: shared helpers (plain SVG and JavaScript, no library).
 *
 * Numbers are written as jacviz.core.fmt.fmt_num writes them (3 significant digits,
 * integers plain, Python's rounding); a value that is not finite is written
 * "undefined here", never NaN.  Text from the data (names, formulas) goes into
 * the page with textContent only.  Every SVG attribute is checked: a number
 * that is not finite hides the element instead of reaching the DOM.
 */
"use strict";

const JV = (function () {
  const NS = "http://www.w3.org/2000/svg";
  const P = DATA.palette;
  const COL = {fwd: P.forward, bwd: P.backward, pt: P.point, warn: P.warn, hl: P.highlight,
               ink: P.ink, muted: P.muted, panel: P.panel, bg: P.background};
  const UNDEF = "undefined here";

  function finite(x) {
    if (Array.isArray(x)) { return x.every(finite); }
    return typeof x === "number" && Number.isFinite(x);
  }

  /* |a| rounded to p significant digits, half to even on exact ties (as Python):
     {head: "123", exp: e} meaning 1.23 x 10^e */
  function roundSig(a, p) {
    const parts = Math.abs(a).toExponential(20).split("e");
    const digits = parts[0].replace(".", "");
    let exp = parseInt(parts[1], 10);
    let head = digits.slice(0, p);
    const rest = digits.slice(p);
    const tie = rest[0] === "5" && !/[1-9]/.test(rest.slice(1));
    const up = rest[0] > "5" || (rest[0] === "5" && !tie) ||
      (tie && parseInt(head[head.length - 1], 10) % 2 === 1);
    if (up) {
      let s = (BigInt(head) + 1n).toString();
      if (s.length > p) { s = s.slice(0, p); exp += 1; }
      head = s;
    }
    return {head: head, exp: exp};
  }

  function stripZeros(s) {
    return s.indexOf(".") >= 0 ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  }

  /* jacviz.core.fmt.fmt_num: 2, -0.5, 0.731, 1.2e+04 */
  function fmt(v, digits) {
    const p = digits || 3;
    if (typeof v !== "number" || !Number.isFinite(v)) { return UNDEF; }
    if (Math.abs(v) < 1e-12) { return "0"; }
    const r = Math.round(v);
    if (Math.abs(v - r) <= 1e-9 * Math.max(1, Math.abs(v)) && Math.abs(r) < 1e9) {
      return r === 0 ? "0" : String(r);
    }
    const rs = roundSig(v, p);
    let out;
    if (rs.exp >= -4 && rs.exp < p) {
      if (rs.exp >= 0) {
        out = rs.head.slice(0, rs.exp + 1) + "." + rs.head.slice(rs.exp + 1);
      } else {
        out = "0." + "0".repeat(-rs.exp - 1) + rs.head;
      }
      out = stripZeros(out);
    } else {
      const mant = stripZeros(rs.head[0] + "." + rs.head.slice(1));
      const e = Math.abs(rs.exp);
      out = mant + "e" + (rs.exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    if (/^[0.]*$/.test(out)) { return "0"; }
    return (v < 0 ? "-" : "") + out;
  }

  /* jacviz.core.fmt's comparison rule; its constants come from Python (DATA.compare):
     numbers shown as different print with the fewest digits (digits..most) that tell them
     apart; beyond that alike, with the difference stated; shown as equal, alike */
  const CMP = DATA.compare;
  const SUP = {"-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3",
               "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078",
               "9": "\u2079"};

  function flat(v) { return Array.isArray(v) ? v : [v]; }

  /* fmt.coincide: equal up to floating-point error, componentwise */
  function coincide(a, b) {
    const xs = flat(a), ys = flat(b);
    return xs.length === ys.length && xs.every(function (x, i) {
      return Math.abs(x - ys[i]) <= CMP.rtol * Math.max(1, Math.abs(x), Math.abs(ys[i]));
    });
  }

  /* fmt._unit: one unit in the p-th significant digit of the larger of |x|, |y| */
  function unit(x, y, p) {
    const big = Math.max(Math.abs(x), Math.abs(y));
    if (!(big > 0) || !Number.isFinite(big)) { return 0; }
    const e = parseInt(big.toExponential(20).split("e")[1], 10);
    return Number("1e" + (e - p + 1));
  }

  /* fmt.digits_apart: the fewest digits that print the sides visibly different, or null */
  function digitsApart(a, b) {
    const xs = flat(a), ys = flat(b);
    for (let p = CMP.digits; p <= CMP.most; p++) {
      for (let i = 0; i < xs.length; i++) {
        if (fmt(xs[i], p) !== fmt(ys[i], p) && Math.abs(xs[i] - ys[i]) >= 0.5 * unit(xs[i], ys[i], p)) {
          return p;
        }
      }
    }
    return null;
  }

  /* fmt.sci_text: 3.2 x 10^-9 with superscripts (0.0042 and 250 as fmt writes them) */
  function sciText(v) {
    if (v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4) || !Number.isFinite(v)) {
      return fmt(v, 2);
    }
    const rs = roundSig(v, 2);
    const mant = stripZeros(rs.head[0] + "." + rs.head.slice(1));
    return (v < 0 ? "-" : "") + mant + " \u00d7 10" +
      String(rs.exp).split("").map(function (c) { return SUP[c]; }).join("");
  }

  function side(v, p) {
    const xs = flat(v);
    return xs.length === 1 ? fmt(xs[0], p) : "(" + xs.map(function (x) { return fmt(x, p); }).join(", ") + ")";
  }

  /* fmt.compare (plain text): {equal, a, b, by, sign, note} */
  function compare(a, b, equal) {
    if (equal === undefined || equal === null) { equal = coincide(a, b); }
    if (equal) {
      const t = side(a, CMP.digits);
      return {equal: true, a: t, b: t, by: null, sign: "=", note: ""};
    }
    const p = digitsApart(a, b);
    if (p === null) {
      const t = side(a, CMP.digits), xs = flat(a), ys = flat(b);
      const by = Math.max.apply(null, xs.map(function (x, i) { return Math.abs(x - ys[i]); }));
      return {equal: false, a: t, b: t, by: by, sign: "\u2248", note: "differs by " + sciText(by)};
    }
    return {equal: false, a: side(a, p), b: side(b, p), by: null, sign: "\u2260", note: ""};
  }

  /* a vector as the captions write it: (0.3, 0); one number alone */
  function fmtVec(v) {
    if (!v || !finite(v)) { return UNDEF; }
    if (v.length === 1) { return fmt(v[0]); }
    return "(" + v.map(function (x) { return fmt(x); }).join(", ") + ")";
  }

  /* a matrix as jacviz.core.fmt.plain_mat: [[2, -1], [2, 1]], a row [1, 3], 1 x 1 its number */
  function fmtMat(A) {
    if (!A || !finite(A)) { return UNDEF; }
    if (A.length === 1 && A[0].length === 1) { return fmt(A[0][0]); }
    const row = function (r) { return "[" + r.map(function (x) { return fmt(x); }).join(", ") + "]"; };
    if (A.length === 1) { return row(A[0]); }
    return "[" + A.map(row).join(", ") + "]";
  }

  /* exact numbers for data-v attributes (tests read them); null where not finite */
  function exact(x) {
    return JSON.stringify(x, function (k, v) {
      return typeof v === "number" && !Number.isFinite(v) ? null : v;
    });
  }

  // -- DOM ---------------------------------------------------------------------------------
  function set(node, attrs) {
    let ok = true;
    for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (typeof v === "number" && !Number.isFinite(v)) { ok = false; continue; }
      node.setAttribute(k, typeof v === "number" ? String(Math.round(v * 100) / 100) : String(v));
    }
    node.style.display = ok ? "" : "none";
    return ok;
  }

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(NS, tag);
    if (attrs) { set(node, attrs); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function el(tag, attrs, text, parent) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) { node.setAttribute(k, String(attrs[k])); }
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  /* a name with its trailing digits (or _suffix) as a subscript: x1 -> x<sub>1</sub> */
  function splitName(name) {
    const s = String(name);
    let m = /^(.*[^_0-9])_?([0-9]+)$/.exec(s);
    if (m) { return [m[1], m[2]]; }
    m = /^([^_]+)_([^_]+)$/.exec(s);
    if (m) { return [m[1], m[2]]; }
    return [s, ""];
  }

  function nameHtml(parent, name, cls) {
    const span = el("span", cls ? {"class": cls} : null, null, parent);
    const sp = splitName(name);
    span.appendChild(document.createTextNode(sp[0]));
    if (sp[1]) { el("sub", null, sp[1], span); }
    return span;
  }

  /* SVG text with subscripts; parts: [[text, sub?], ...] or a plain name */
  function svgText(parent, parts, attrs) {
    const t = svg("text", attrs, parent);
    setText(t, parts);
    return t;
  }

  function setText(t, parts) {
    while (t.firstChild) { t.removeChild(t.firstChild); }
    if (typeof parts === "string") { parts = [splitName(parts)]; }
    for (const p of parts) {
      if (p[0]) { t.appendChild(document.createTextNode(p[0])); }
      if (p[1]) {
        const s = svg("tspan", {"baseline-shift": "sub", "font-size": "75%"}, t);
        s.textContent = p[1];
        svg("tspan", {}, t).textContent = "\u200a";
      }
    }
  }

  // -- numbers for axes --------------------------------------------------------------------
  const NICE = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

  function niceFloor(b) {
    if (!Number.isFinite(b) || b <= 0) { return 1; }
    const k = Math.floor(Math.log10(b));
    for (let i = NICE.length - 1; i >= 0; i--) {
      if (NICE[i] * Math.pow(10, k) <= b * (1 + 1e-9)) { return NICE[i] * Math.pow(10, k); }
    }
    return Math.pow(10, k);
  }

  function niceCeil(b) {
    if (!Number.isFinite(b) || b <= 0) { return 1; }
    const k = Math.floor(Math.log10(b));
    for (const m of NICE) {
      if (m * Math.pow(10, k) >= b * (1 - 1e-9)) { return m * Math.pow(10, k); }
    }
    return Math.pow(10, k + 1);
  }

  function niceStep(range, ticks) {
    const raw = range / (ticks || 4);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const s of [1, 2, 2.5, 5, 10]) { if (s * mag >= raw) { return s * mag; } }
    return 10 * mag;
  }

  /* a plot: data (x, y) <-> SVG user units; equal units; centre cx, cy; half-width hw */
  function View(box, cx, cy, hw) {
    this.box = box;
    this.cx = cx; this.cy = cy; this.hw = hw;
    this.scale = box.w / (2 * hw);
    this.hh = box.h / (2 * this.scale);
  }
  View.prototype.px = function (x, y) {
    return [this.box.x + this.box.w / 2 + (x - this.cx) * this.scale,
            this.box.y + this.box.h / 2 - (y - this.cy) * this.scale];
  };
  View.prototype.data = function (px, py) {
    return [this.cx + (px - this.box.x - this.box.w / 2) / this.scale,
            this.cy - (py - this.box.y - this.box.h / 2) / this.scale];
  };
  View.prototype.recentre = function (cx, cy) { this.cx = cx; this.cy = cy; };

  /* grid lines and the axes (x = 0, y = 0) of a 2-D view, with range labels */
  function drawGrid(g, view, names) {
    while (g.firstChild) { g.removeChild(g.firstChild); }
    if (!finite([view.cx, view.cy])) { return; }
    const b = view.box;
    const x0 = view.cx - view.hw, x1 = view.cx + view.hw;
    const y0 = view.cy - view.hh, y1 = view.cy + view.hh;
    const step = niceStep(2 * Math.max(view.hw, view.hh), 4);
    for (let v = Math.ceil(x0 / step) * step; v <= x1 + 1e-9; v += step) {
      const p = view.px(v, 0)[0];
      svg("line", {x1: p, y1: b.y, x2: p, y2: b.y + b.h,
                   "class": Math.abs(v) < step * 1e-6 ? "axis-line" : "grid-line"}, g);
    }
    for (let v = Math.ceil(y0 / step) * step; v <= y1 + 1e-9; v += step) {
      const p = view.px(0, v)[1];
      svg("line", {x1: b.x, y1: p, x2: b.x + b.w, y2: p,
                   "class": Math.abs(v) < step * 1e-6 ? "axis-line" : "grid-line"}, g);
    }
    const lab = function (text, x, y, anchor) {
      svg("text", {x: x, y: y, "text-anchor": anchor, "class": "tick"}, g).textContent = text;
    };
    lab(fmt(x0), b.x, b.y + b.h + 15, "start");
    lab(fmt(x1), b.x + b.w, b.y + b.h + 15, "end");
    lab(fmt(y0), b.x - 4, b.y + b.h - 2, "end");
    lab(fmt(y1), b.x - 4, b.y + 12, "end");
    if (names) {
      svgText(g, names[0], {x: b.x + b.w / 2, y: b.y + b.h + 15, "text-anchor": "middle", "class": "tick"});
      svgText(g, names[1], {x: b.x - 4, y: b.y + b.h / 2 + 4, "text-anchor": "end", "class": "tick"});
    }
  }

  /* an arrow (shaft and head) that hides itself when its ends are not finite */
  function Arrow(parent, color, width) {
    this.g = svg("g", {}, parent);
    this.line = svg("line", {stroke: color, "stroke-width": width || 4, "stroke-linecap": "round"}, this.g);
    this.head = svg("polygon", {fill: color}, this.g);
    this.width = width || 4;
  }
  Arrow.prototype.set = function (a, b) {
    if (!a || !b || !finite([a, b])) { this.g.style.display = "none"; return false; }
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    this.g.style.display = "";
    if (len < 0.5) { this.g.style.display = "none"; return true; }
    const hl = Math.min(16 + this.width, 0.45 * len + 4), hw = 5 + this.width;
    const ux = dx / len, uy = dy / len;
    const bx = b[0] - ux * hl, by = b[1] - uy * hl;
    set(this.line, {x1: a[0], y1: a[1], x2: bx + ux * 2, y2: by + uy * 2});
    set(this.head, {points: [b[0], b[1], bx - uy * hw, by + ux * hw, bx + uy * hw, by - ux * hw]
      .map(function (v) { return Math.round(v * 100) / 100; }).join(" ")});
    return true;
  };
  Arrow.prototype.hide = function () { this.g.style.display = "none"; };

  /* a polyline through points (null points break it into pieces) */
  function pathOf(points) {
    let d = "", pen = false;
    for (const p of points) {
      if (!p || !finite(p) || Math.abs(p[0]) > 1e6 || Math.abs(p[1]) > 1e6) { pen = false; continue; }
      d += (pen ? "L" : "M") + (Math.round(p[0] * 100) / 100) + " " + (Math.round(p[1] * 100) / 100);
      pen = true;
    }
    return d || "M0 0";
  }

  // -- handles -----------------------------------------------------------------------------
  let root = null;  // the SVG in which pointer positions are read

  function svgPoint(svgRoot, evt) {
    const m = svgRoot.getScreenCTM();
    if (!m) { return null; }
    const pt = svgRoot.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    const q = pt.matrixTransform(m.inverse());
    return [q.x, q.y];
  }

  /* A draggable, focusable handle.  opts: parent (g), svgRoot, color, label, radius,
     pos() -> [x, y] in SVG units or null (hidden), drag(x, y), nudge(ix, iy, factor),
     start(), end(), valuetext() */
  function Handle(opts) {
    const self = this;
    this.opts = opts;
    const g = svg("g", {"class": "handle", tabindex: 0, role: "slider",
                        "aria-label": opts.label, "data-handle": opts.id || ""}, opts.parent);
    this.g = g;
    const r = opts.radius || 9;
    // the touch target lies in a layer below every knob, so that a big target never
    // covers another handle's knob
    if (!opts.svgRoot.jvHits) {
      opts.svgRoot.jvHits = svg("g", {"class": "hits"});
      opts.parent.parentNode.insertBefore(opts.svgRoot.jvHits, opts.parent);
    }
    this.hit = svg("circle", {"class": "hit", r: Math.max(22, r + 10)}, opts.svgRoot.jvHits);
    this.ring = svg("circle", {"class": "ring", r: r + 6}, g);
    this.knob = svg("circle", {"class": "knob", r: r, fill: opts.color, stroke: COL.ink, "stroke-width": 2},
                    g);
    this.scale = 1;
    let dragging = false, offset = [0, 0];
    const on = function (type, fn, o) {
      g.addEventListener(type, fn, o);
      self.hit.addEventListener(type, fn, o);
    };
    // a touch that starts on a handle drags it, never scrolls the page (touch-action
    // is not honoured inside SVG)
    const hold = function (e) { if (e.cancelable) { e.preventDefault(); } };
    on("touchstart", hold, {passive: false});
    on("touchmove", hold, {passive: false});
    on("pointerdown", function (e) {
      if (e.pointerType === "mouse" && e.button !== 0) { return; }
      const p = svgPoint(opts.svgRoot, e), here = opts.pos();
      if (!p || !here) { return; }
      e.preventDefault();
      g.focus({preventScroll: true});
      try { e.currentTarget.setPointerCapture(e.pointerId); } catch (err) { /* not capturable: fine */ }
      dragging = true;
      offset = [p[0] - here[0], p[1] - here[1]];
      g.classList.add("dragging");
      if (opts.start) { opts.start(); }
    });
    on("pointermove", function (e) {
      if (!dragging) { return; }
      const p = svgPoint(opts.svgRoot, e);
      if (!p) { return; }
      e.preventDefault();
      opts.drag(p[0] - offset[0], p[1] - offset[1]);
    });
    const stop = function (e) {
      if (!dragging) { return; }
      dragging = false;
      g.classList.remove("dragging");
      try { e.currentTarget.releasePointerCapture(e.pointerId); } catch (err) { /* already released */ }
      if (opts.end) { opts.end(); }
    };
    on("pointerup", stop);
    on("pointercancel", stop);
    on("lostpointercapture", stop);
    g.addEventListener("keydown", function (e) {
      const dirs = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1]};
      const d = dirs[e.key];
      if (!d) { return; }
      e.preventDefault();
      const factor = e.shiftKey ? 10 : (e.altKey ? 0.1 : 1);
      opts.nudge(d[0], d[1], factor);
    });
    this.isDragging = function () { return dragging; };
  }
  Handle.prototype.update = function () {
    // however small the drawing is shown (a phone), a handle stays big enough to touch:
    // a target of at least 44 CSS pixels, a knob of at least 16
    const m = this.opts.svgRoot.getScreenCTM();
    const sc = m ? Math.hypot(m.a, m.b) : 0;
    if (sc > 0 && Math.abs(sc - this.scale) > 1e-3) {
      this.scale = sc;
      const r = Math.max(this.opts.radius || 9, 8 / sc);
      set(this.hit, {r: Math.max(22, r + 10, 22 / sc)});
      set(this.ring, {r: r + Math.max(6, 3 / sc)});
      set(this.knob, {r: r, "stroke-width": Math.max(2, 1 / sc)});
    }
    const p = this.opts.pos();
    const ok = p && finite(p);
    this.g.classList.toggle("off", !ok);
    this.hit.style.display = ok ? "" : "none";
    if (ok) {
      const t = "translate(" + (Math.round(p[0] * 100) / 100) + " " + (Math.round(p[1] * 100) / 100) + ")";
      this.g.setAttribute("transform", t);
      this.hit.setAttribute("transform", t);
    }
    if (this.opts.valuetext) { this.g.setAttribute("aria-valuetext", this.opts.valuetext()); }
  };

  /* A horizontal slider drawn in SVG: a track from lo to hi and a handle. */
  function Slider(opts) {
    // opts: parent, svgRoot, x, y, w, lo, hi, get(), put(v), label, color, id, onChange
    const self = this;
    this.opts = opts;
    const g = svg("g", {}, opts.parent);
    svg("line", {x1: opts.x, y1: opts.y, x2: opts.x + opts.w, y2: opts.y, stroke: COL.muted,
                 "stroke-width": 4, "stroke-linecap": "round"}, g);
    this.toX = function (v) { return opts.x + (v - opts.lo) / (opts.hi - opts.lo) * opts.w; };
    this.fromX = function (x) {
      return opts.lo + Math.min(1, Math.max(0, (x - opts.x) / opts.w)) * (opts.hi - opts.lo);
    };
    const step = (opts.hi - opts.lo) / 200;
    this.handle = new Handle({
      parent: g, svgRoot: opts.svgRoot, color: opts.color || COL.pt, radius: 11, id: opts.id,
      label: opts.label,
      pos: function () { const v = opts.get(); return finite(v) ? [self.toX(v), opts.y] : [opts.x, opts.y]; },
      drag: function (x) { opts.put(self.fromX(x)); },
      nudge: function (ix, iy, f) {
        const v = opts.get();
        opts.put(Math.min(opts.hi, Math.max(opts.lo, (finite(v) ? v : opts.lo) + (ix || iy) * step * f)));
      },
      start: opts.start, end: opts.end,
      valuetext: function () { return opts.label + " = " + fmt(opts.get()); },
    });
    this.handle.g.setAttribute("aria-valuemin", String(opts.lo));
    this.handle.g.setAttribute("aria-valuemax", String(opts.hi));
    // a click on the track moves the handle there
    g.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest(".handle")) { return; }
      const p = svgPoint(opts.svgRoot, e);
      if (p) { opts.put(self.fromX(p[0])); }
    });
  }
  Slider.prototype.update = function () { this.handle.update(); };

  // -- numbers typed by the user: plain decimal numbers only -----------------------------------
  const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

  function parseNumbers(text, n) {
    const items = String(text).replace(/^[\s(\[]+|[\s)\]]+$/g, "").split(",");
    if (items.length !== n) { return null; }
    const out = [];
    for (const item of items) {
      const s = item.trim();
      if (!NUMBER.test(s)) { return null; }
      const v = Number(s);
      if (!Number.isFinite(v)) { return null; }
      out.push(v);
    }
    return out;
  }

  /* a labelled text field for n numbers; apply(values) on Enter or change */
  function numberInput(parent, labelParts, n, get, apply, cls, id) {
    const lab = el("label", null, null, parent);
    const name = el("span", cls ? {"class": cls} : null, null, lab);
    for (const p of labelParts) {
      if (p[0]) { name.appendChild(document.createTextNode(p[0])); }
      if (p[1]) { el("sub", null, p[1], name); }
    }
    const input = el("input", {type: "text", inputmode: "decimal", autocomplete: "off",
                               spellcheck: "false", "data-input": id || ""}, null, lab);
    const show = function () {
      if (document.activeElement !== input) {
        const v = get();
        input.value = v.map(function (x) { return Number.isFinite(x) ? String(+x.toPrecision(6)) : ""; })
          .join(", ");
        input.removeAttribute("aria-invalid");
      }
    };
    const commit = function () {
      const v = parseNumbers(input.value, n);
      if (!v) {
        input.setAttribute("aria-invalid", "true");
        status("type " + n + (n === 1 ? " number" : " numbers separated by commas") + ", e.g. " +
               Array(n).fill("1").join(", "), true);
        return;
      }
      input.removeAttribute("aria-invalid");
      apply(v);
    };
    input.addEventListener("change", commit);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); commit(); input.blur(); }
    });
    return {input: input, show: show};
  }

  // -- page chrome ---------------------------------------------------------------------------
  function status(msg, warn) {
    const s = document.getElementById("status");
    s.textContent = msg || "";
    s.classList.toggle("warn", !!warn);
  }

  function help(text) { document.getElementById("help").textContent = text; }

  function onReset(fn) {
    document.getElementById("reset").addEventListener("click", fn);
    document.addEventListener("keydown", function (e) {
      const t = e.target;
      if ((e.key === "r" || e.key === "R") && !e.ctrlKey && !e.metaKey && !e.altKey &&
          !(t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA"))) { fn(); }
    });
  }

  /* a page in a slide deck: the clicker's keys (PageDown, PageUp) still move the deck */
  document.addEventListener("keydown", function (e) {
    if (window.parent === window) { return; }
    if (e.key === "PageDown" || e.key === "PageUp" || e.key === "Escape") {
      e.preventDefault();
      window.parent.postMessage({jacviz: "key", key: e.key}, "*");
    }
  });

  function button(parent, text, onClick, attrs) {
    const b = el("button", Object.assign({type: "button"}, attrs || {}), text, parent);
    b.addEventListener("click", onClick);
    return b;
  }

  function matvec(A, v) {
    return A.map(function (row) { return row.reduce(function (s, a, j) { return s + a * v[j]; }, 0); });
  }

  function matTvec(A, g) {
    const n = A[0].length, out = new Array(n).fill(0);
    for (let i = 0; i < A.length; i++) { for (let j = 0; j < n; j++) { out[j] += A[i][j] * g[i]; } }
    return out;
  }

  function dot(a, b) { return a.reduce(function (s, x, i) { return s + x * b[i]; }, 0); }

  /* a value, or null when it is not finite (or evaluating it throws) */
  function safe(fn) {
    try {
      const v = fn();
      return finite(v) ? v : null;
    } catch (err) {
      return null;
    }
  }

  return {NS: NS, COL: COL, UNDEF: UNDEF, finite: finite, fmt: fmt, fmtVec: fmtVec, fmtMat: fmtMat,
          coincide: coincide, digitsApart: digitsApart, sciText: sciText, compare: compare,
          exact: exact, set: set, svg: svg, el: el, splitName: splitName, nameHtml: nameHtml,
          svgText: svgText, setText: setText, niceFloor: niceFloor, niceCeil: niceCeil,
          niceStep: niceStep, View: View, drawGrid: drawGrid, Arrow: Arrow, pathOf: pathOf,
          Handle: Handle, Slider: Slider, svgPoint: svgPoint, parseNumbers: parseNumbers,
          numberInput: numberInput, status: status, help: help, onReset: onReset, button: button,
          matvec: matvec, matTvec: matTvec, dot: dot, safe: safe};
})();
