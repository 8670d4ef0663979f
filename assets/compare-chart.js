// The shared-axis chart of the compare page (compare.js draws it): the chosen districts' scores
// on the root and every first-level index, on ONE value axis, so "how far apart" reads the same
// in every row. Each row: the indicator's name, a thin track, a tick at the city value, a line
// joining the lowest and highest chosen district, and one mark per district (shape and colour
// both differ, for readers who do not tell the colours apart). Inline SVG drawn at the width of
// its container, so its text keeps its size on a phone. The table under it stays the
// accessible source of the numbers; the SVG has a title and a description.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLOURS = ["#2166ac", "#b35806", "#1b7837"];
  var SHAPES = ["circle", "square", "diamond"];
  var ROW = 46, TOP = 40, SIDE = 12, AXIS = 30, TEXT = 13;

  function s(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // 1, 2, 2.5 or 5 times a power of ten, at least `raw` (as the built figures do).
  function niceStep(raw) {
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var k = 0; k < steps.length; k++) if (steps[k] * mag >= raw * 0.999999) return steps[k] * mag;
    return 10 * mag;
  }
  // A tick value with the decimals its step needs (2.5 → 1, 20 → 0), a real minus sign.
  function tickText(v, step) {
    var d = 0;
    while (d < 4 && Math.abs(step * Math.pow(10, d) - Math.round(step * Math.pow(10, d))) > 1e-6) d++;
    var t = Math.abs(v).toFixed(d);
    return v < 0 && /[1-9]/.test(t) ? "\u2212" + t : t;
  }
  function mark(shape, x, y, colour) {
    var r = 6;
    if (shape === "square") {
      return s("rect", { x: (x - r + 0.5).toFixed(1), y: (y - r + 0.5).toFixed(1), width: 2 * r - 1, height: 2 * r - 1, fill: "#ffffff", stroke: colour, "stroke-width": 2.5 });
    }
    if (shape === "diamond") {
      var d = r + 1;
      return s("path", { d: "M" + x.toFixed(1) + " " + (y - d).toFixed(1) + "l" + d + " " + d + "l" + (-d) + " " + d + "l" + (-d) + " " + (-d) + "z", fill: colour, stroke: "#ffffff", "stroke-width": 1 });
    }
    return s("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r, fill: colour, stroke: "#ffffff", "stroke-width": 1 });
  }

  // opts: rows [{id, name, values: [by chosen district], city}], districts [{id, name}],
  // width, fmt(x), words {title, desc, city}. Returns the <svg>.
  function draw(opts) {
    var rows = opts.rows, picked = opts.districts;
    var width = Math.max(300, Math.round(opts.width));
    var all = [];
    rows.forEach(function (r) { all = all.concat(r.values, [r.city]); });
    all = all.filter(function (v) { return isFinite(v); });
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    if (!(hi > lo)) { hi = lo + 1; }
    var step = niceStep((hi - lo) / Math.max(2, Math.floor((width - 2 * SIDE) / 90)));
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    var x0 = SIDE + 8, x1 = width - SIDE - 8;
    function x(v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); }
    var height = TOP + rows.length * ROW + AXIS;

    var uid = "compare-chart-" + picked.map(function (d) { return d.id; }).join("-");
    var svg = s("svg", { "class": "compare-chart", role: "img", width: width, height: height, viewBox: "0 0 " + width + " " + height, "aria-labelledby": uid + "-title " + uid + "-desc" });
    svg.appendChild(s("title", { id: uid + "-title" }, opts.words.title));
    svg.appendChild(s("desc", { id: uid + "-desc" }, opts.words.desc.replace("{lo}", opts.fmt(lo)).replace("{hi}", opts.fmt(hi))));

    // Legend: one entry per district, then the city tick; wraps onto a second line if needed.
    var lx = SIDE, ly = 16;
    var legend = svg.appendChild(s("g", { "class": "compare-legend" }));
    picked.forEach(function (d, k) {
      var w = 24 + d.name.length * TEXT * (/[\u3400-\u9fff]/.test(d.name) ? 1 : 0.6) + 14;
      if (lx + w > width - SIDE && lx > SIDE) { lx = SIDE; ly += 20; }
      legend.appendChild(mark(SHAPES[k], lx + 7, ly, COLOURS[k]));
      legend.appendChild(s("text", { x: lx + 19, y: ly + 4.5, "font-size": TEXT }, d.name));
      lx += w;
    });
    legend.appendChild(s("line", { x1: lx + 7, y1: ly - 7, x2: lx + 7, y2: ly + 7, stroke: "#52606d", "stroke-width": 2 }));
    legend.appendChild(s("text", { x: lx + 15, y: ly + 4.5, "font-size": TEXT }, opts.words.city));
    var top = TOP + (ly - 16);
    height += ly - 16;
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);

    // Grid and axis labels at the ticks (the test reads the scale back from these).
    var bottom = top + rows.length * ROW;
    var grid = svg.appendChild(s("g", { "class": "compare-axis" }));
    for (var v = lo; v <= hi + step / 2; v += step) {
      var gx = x(v).toFixed(1);
      grid.appendChild(s("line", { x1: gx, y1: top, x2: gx, y2: bottom, stroke: "#e4e7eb" }));
      grid.appendChild(s("text", { "class": "compare-tick", x: gx, y: bottom + 18, "font-size": TEXT, "text-anchor": "middle", fill: "#52606d", "data-value": String(+v.toFixed(6)) }, tickText(v, step)));
    }

    rows.forEach(function (r, i) {
      var g = svg.appendChild(s("g", { "class": "compare-row", "data-node": r.id }));
      var y = top + i * ROW + 34;
      g.appendChild(s("text", { x: SIDE, y: y - 14, "font-size": TEXT, "font-weight": i === 0 ? "bold" : "normal" }, r.name));
      g.appendChild(s("line", { "class": "compare-track", x1: x0, y1: y, x2: x1, y2: y, stroke: "#cbd2d9" }));
      if (isFinite(r.city)) {
        g.appendChild(s("line", { "class": "compare-city", x1: x(r.city).toFixed(1), y1: y - 8, x2: x(r.city).toFixed(1), y2: y + 8, stroke: "#52606d", "stroke-width": 2 }));
      }
      var finite = r.values.filter(function (v) { return isFinite(v); });
      if (finite.length > 1) {
        g.appendChild(s("line", { "class": "compare-span", x1: x(Math.min.apply(null, finite)).toFixed(1), y1: y, x2: x(Math.max.apply(null, finite)).toFixed(1), y2: y, stroke: "#7b8794", "stroke-width": 3 }));
      }
      r.values.forEach(function (v, k) {
        if (!isFinite(v)) return;
        var m = g.appendChild(mark(SHAPES[k], x(v), y, COLOURS[k]));
        m.setAttribute("class", "compare-mark");
        m.setAttribute("data-district", picked[k].id);
        m.appendChild(s("title", {}, picked[k].name + " " + opts.fmt(v)));
      });
    });
    return svg;
  }
  window.CityReportCompareChart = { draw: draw };
})();
