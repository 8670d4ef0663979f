// Sortable table (issue 24), progressive enhancement: the table named by this script's
// data-table attribute gets a button in every column heading; without script it stays the plain
// ranked table. Numbers sort as numbers ("−12.5", "▲3", "▼2", "3 (2–5)"), text by the page's
// language; a dash or an empty cell sorts last either way.
(function () {
  "use strict";
  var me = document.currentScript;
  var block = me && document.getElementById(me.getAttribute("data-table"));
  var table = block && block.querySelector("table");
  if (!table || !table.tHead || !table.tBodies[0]) return;
  var hint = me.parentNode.querySelector(".sort-hint");
  if (hint) hint.hidden = false;
  var lang = document.documentElement.lang || undefined;
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var body = table.tBodies[0];
  var original = Array.prototype.slice.call(body.rows);
  function key(cell, numeric) {
    var t = (cell ? cell.textContent : "").trim();
    if (!numeric) return t;
    var s = t.replace(/\u2212/g, "-").replace(/,/g, "").replace(/^\u25bc\s*/, "-").replace(/^\u25b2\s*/, "");
    var m = s.match(/^[+-]?\d+(\.\d+)?/);
    return m ? Number(m[0]) : null;
  }
  function sortBy(k, dir) {
    var numeric = heads[k].classList.contains("num");
    var rows = original.map(function (r, i) { return { r: r, i: i, v: key(r.cells[k], numeric) }; });
    rows.sort(function (a, b) {
      var x = a.v, y = b.v;
      var missA = x === null || x === "", missB = y === null || y === "";
      if (missA || missB) return missA === missB ? a.i - b.i : missA ? 1 : -1;
      var c = numeric ? x - y : String(x).localeCompare(String(y), lang);
      return c ? c * dir : a.i - b.i;
    });
    rows.forEach(function (o) { body.appendChild(o.r); });
    heads.forEach(function (h, j) {
      if (j === k) h.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else h.removeAttribute("aria-sort");
    });
  }
  heads.forEach(function (h, k) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sort-button";
    while (h.firstChild) b.appendChild(h.firstChild);
    h.appendChild(b);
    b.addEventListener("click", function () {
      var now = h.getAttribute("aria-sort");
      // Numbers start with the largest (except ranks, which read best from 1); text from A.
      var first = h.classList.contains("num") && k !== 0 ? -1 : 1;
      sortBy(k, now === (first > 0 ? "ascending" : "descending") ? -first : first);
    });
  });
  heads[0].setAttribute("aria-sort", "ascending");
})();
