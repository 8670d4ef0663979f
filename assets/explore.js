// Helpers shared by the reader's tools (weights.js, compare.js): numbers rounded and written as
// the site writes them (the compute stage's half-up rounding, a real minus sign) and a small
// element builder. Loaded before either tool.
(function () {
  "use strict";
  function roundHalfUp(x, p) {
    var scale = Math.pow(10, p);
    var scaled = Math.abs(x) * scale;
    var r = Math.floor(scaled + 0.5 + 1e-9 * Math.max(scaled, 1));
    var out = r / scale;
    return x < 0 ? -out : out;
  }
  // A published value at `p` decimals; with `signed`, a leading "+" on positive differences.
  function fmt(x, p, signed) {
    var r = roundHalfUp(x, p);
    var s = Math.abs(r).toFixed(p);
    var zero = !/[1-9]/.test(s);
    if (r < 0 && !zero) return "\u2212" + s;
    return signed && !zero ? "+" + s : s;
  }
  function h(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // The language switch keeps the reader's choice (weights, districts compared): the same page in
  // the other language reads the same address fragment.
  function carryHash(hash) {
    var a = document.querySelector(".lang-switch");
    if (!a) return;
    var base = a.getAttribute("href").split("#")[0];
    a.setAttribute("href", base + (hash && hash !== "#" ? hash : ""));
  }
  window.CityReportExplore = { roundHalfUp: roundHalfUp, fmt: fmt, h: h, carryHash: carryHash };
})();
