// "Compare districts": two or three districts side by side on every indicator (published scores
// and ranks from window.CITYREPORT_DATA, see src/site/pages/explore.rs), with the differences and
// each district's strengths. The choice lives in the address ("#a=hill&b=lake&c=") so a
// comparison can be shared.
(function () {
  "use strict";
  var el = document.getElementById("compare-tool");
  var data = window.CITYREPORT_DATA;
  if (!el || !data || !window.CityReportExplore) return;
  var lang = el.getAttribute("data-lang");
  var ui = JSON.parse(el.getAttribute("data-ui"));
  var nodes = data.nodes;
  var ds = data.districts;
  var SLOTS = ["a", "b", "c"];

  var shared = window.CityReportExplore;
  var roundHalfUp = shared.roundHalfUp;
  var h = shared.h;
  function fmt(x, signed) { return shared.fmt(x, data.precision, signed); }
  function name(o) { return o.name[lang]; }

  // Default: the first two of the published overall ranking.
  var byRank = ds.map(function (_, d) { return d; }).sort(function (a, b) { return nodes[0].ranks[a] - nodes[0].ranks[b] || a - b; });
  var pickers = h("div", { "class": "compare-pickers" });
  var selects = SLOTS.map(function (slot, k) {
    var id = "compare-" + slot;
    var wrap = h("label", { "for": id }, ui.compare_pick + " " + (k + 1) + " ");
    var sel = h("select", { id: id, "data-slot": slot });
    if (k === 2) sel.appendChild(h("option", { value: "" }, ui.compare_none));
    ds.forEach(function (d) { sel.appendChild(h("option", { value: d.id }, name(d))); });
    wrap.appendChild(sel);
    pickers.appendChild(wrap);
    return sel;
  });
  var share = h("a", { "class": "compare-share", href: "#" }, ui.compare_share);
  pickers.appendChild(share);
  el.appendChild(pickers);
  // The shared-axis chart, when its script is there (compare-chart.js).
  var chartBox = window.CityReportCompareChart ? el.appendChild(h("div", { "class": "compare-figure" })) : null;
  var strengths = h("div", { "class": "compare-strengths" });
  el.appendChild(strengths);
  var wrap = h("div", { "class": "table-block" });
  wrap.appendChild(h("p", { "class": "caption" }, ui.compare_caption));
  var scroll = wrap.appendChild(h("div", { "class": "table-scroll" }));
  var table = scroll.appendChild(h("table", { "class": "compare-table" }));
  el.appendChild(wrap);

  function chosen() {
    var out = [];
    selects.forEach(function (s) {
      var d = ds.findIndex(function (x) { return x.id === s.value; });
      if (d >= 0 && out.indexOf(d) < 0) out.push(d);
    });
    return out;
  }
  function render() {
    var picked = chosen();
    table.replaceChildren();
    var head = h("tr");
    head.appendChild(h("th", { scope: "col" }, ui.col_indicator));
    picked.forEach(function (d) {
      head.appendChild(h("th", { scope: "col", "class": "num" }, name(ds[d]) + " \u00b7 " + ui.col_value));
      head.appendChild(h("th", { scope: "col", "class": "num" }, name(ds[d]) + " \u00b7 " + ui.col_rank));
    });
    // Differences against the first district.
    picked.slice(1).forEach(function (d) {
      head.appendChild(h("th", { scope: "col", "class": "num" }, ui.compare_difference + " (" + name(ds[picked[0]]) + " \u2212 " + name(ds[d]) + ")"));
    });
    table.appendChild(h("thead")).appendChild(head);
    var tbody = table.appendChild(h("tbody"));
    nodes.forEach(function (n) {
      var tr = h("tr", { "data-node": n.id, "class": n.level <= 1 ? "highlight" : "" });
      var th = h("th", { scope: "row", "class": "indent-" + Math.min(n.level, 6) });
      th.appendChild(h("a", { href: n.page }, name(n)));
      tr.appendChild(th);
      picked.forEach(function (d) {
        tr.appendChild(h("td", { "class": "num value", "data-district": ds[d].id }, fmt(n.values[d])));
        tr.appendChild(h("td", { "class": "num rank", "data-district": ds[d].id }, String(n.ranks[d])));
      });
      picked.slice(1).forEach(function (d) {
        var diff = roundHalfUp(n.values[picked[0]], data.precision) - roundHalfUp(n.values[d], data.precision);
        tr.appendChild(h("td", { "class": "num diff" }, fmt(diff, true)));
      });
      tbody.appendChild(tr);
    });
    drawChart(picked);
    strengths.replaceChildren();
    picked.forEach(function (d) {
      var box = h("div", { "class": "compare-strength" });
      box.appendChild(h("h3", {}, name(ds[d]) + " \u00b7 " + ui.strengths));
      // The profile's rule (compute::standing): a district may have none.
      if (!ds[d].strengths.length) box.appendChild(h("p", {}, ui.compare_no_strength));
      var ul = ds[d].strengths.length ? box.appendChild(h("ul")) : h("ul");
      ds[d].strengths.forEach(function (k) {
        var li = h("li");
        li.appendChild(h("a", { href: nodes[k].page }, name(nodes[k])));
        li.appendChild(document.createTextNode(" (" + ui.col_rank + " " + nodes[k].ranks[d] + ")"));
        ul.appendChild(li);
      });
      strengths.appendChild(box);
    });
    var hash = "#" + selects.map(function (s) { return s.getAttribute("data-slot") + "=" + encodeURIComponent(s.value); }).join("&");
    share.setAttribute("href", hash);
    shared.carryHash(hash);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { /* the share link still carries it */ }
    }
    // (A choice changes only on a <select>'s change event, rarely enough to update at once.)
  }
  // Root and first-level indices (coefficients are multipliers, not scores on the same scale).
  function drawChart(picked) {
    if (!chartBox) return;
    var rows = nodes.filter(function (n) { return n.level <= 1 && !n.coefficient; }).map(function (n) {
      return { id: n.id, name: name(n), city: n.city, values: picked.map(function (d) { return n.values[d]; }) };
    });
    var names = picked.map(function (d) { return name(ds[d]); });
    var desc = ui.compare_chart_desc.replace("{names}", names.join(ui.list_sep)).replace("{root}", name(nodes[0])).replace("{n}", String(rows.length - 1));
    var title = ui.compare_chart_title.replace("{root}", name(nodes[0]));
    chartBox.replaceChildren(h("p", { "class": "caption", "aria-hidden": "true" }, title));
    chartBox.appendChild(window.CityReportCompareChart.draw({
      rows: rows,
      districts: picked.map(function (d) { return { id: ds[d].id, name: name(ds[d]) }; }),
      width: chartBox.clientWidth || 640,
      fmt: fmt,
      words: { title: title, desc: desc, city: ui.city }
    }));
    chartBox.setAttribute("data-width", String(chartBox.clientWidth));
  }
  // Drawn at its container's width (text keeps its size on a phone): redraw when that changes.
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending || !chartBox || String(chartBox.clientWidth) === chartBox.getAttribute("data-width")) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; drawChart(chosen()); });
  });
  function fromHash() {
    var given = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (p) {
      var kv = p.split("=");
      if (kv.length === 2) given[kv[0]] = decodeURIComponent(kv[1]);
    });
    var defaults = [ds[byRank[0]].id, ds[byRank[Math.min(1, ds.length - 1)]].id, ""];
    selects.forEach(function (s, k) {
      var want = s.getAttribute("data-slot") in given ? given[s.getAttribute("data-slot")] : defaults[k];
      var ok = want === "" ? k === 2 : ds.some(function (x) { return x.id === want; });
      s.value = ok ? want : defaults[k];
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", render); });
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  fromHash();
  render();
})();
