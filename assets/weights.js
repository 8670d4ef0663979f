// "Try your own weights": re-ranks the districts with the reader's weights for the first-level
// indices, from the scores in window.CITYREPORT_DATA (written by the build, see
// src/site/pages/explore.rs). The arithmetic follows the compute stage step by step, so that the
// published weights give exactly the published ranks:
//   root = (Σ weight_i × score_i over index children, in tree order) × Π coefficients,
//   ranks = competition ranks on values rounded half up to the edition's precision.
(function () {
  "use strict";
  var el = document.getElementById("weights-tool");
  var data = window.CITYREPORT_DATA;
  if (!el || !data || !window.CityReportExplore) return;
  var lang = el.getAttribute("data-lang");
  var ui = JSON.parse(el.getAttribute("data-ui"));
  var nodes = data.nodes;
  var nd = data.districts.length;
  var kids = data.root_children;
  var indexKids = kids.filter(function (k) { return !nodes[k].coefficient; });
  var officialSum = indexKids.reduce(function (s, k) { return s + nodes[k].weight; }, 0);
  // Sliders in percent of the total: every slider shows its own share, and moving one moves the
  // others in proportion so that they always add up to 100 (a handle at 20 reads 20.0 %). The
  // published weights are the starting point.
  var official = indexKids.map(function (k) { return officialSum > 0 ? Math.round(nodes[k].weight / officialSum * 1000) / 10 : 0; });

  // Same as compute::round_half_up.
  var shared = window.CityReportExplore;
  var roundHalfUp = shared.roundHalfUp;
  var h = shared.h;
  function fmt(x) { return shared.fmt(x, data.precision, false); }
  // Same as compute::rank_competition.
  function ranks(values) {
    var rounded = values.map(function (v) { return roundHalfUp(v, data.precision); });
    var order = values.map(function (_, i) { return i; });
    order.sort(function (a, b) { return rounded[b] - rounded[a] || a - b; });
    var out = new Array(values.length);
    order.forEach(function (i, place) {
      var prev = place > 0 ? order[place - 1] : -1;
      out[i] = prev >= 0 && rounded[prev] === rounded[i] ? out[prev] : place + 1;
    });
    return out;
  }
  // Weights for the index children: the published ones while every slider is at its published
  // value, otherwise the slider values rescaled to the published total.
  function weightsFrom(sliders) {
    var atOfficial = sliders.every(function (s, k) { return s === official[k]; });
    var total = sliders.reduce(function (a, b) { return a + b; }, 0);
    var w = {};
    indexKids.forEach(function (k, j) {
      w[k] = atOfficial ? nodes[k].weight : total > 0 ? sliders[j] / total * officialSum : 0;
    });
    return { w: w, official: atOfficial };
  }
  function scores(w) {
    var out = [];
    for (var d = 0; d < nd; d++) {
      var combined = 0, factor = 1;
      for (var j = 0; j < kids.length; j++) {
        var k = kids[j];
        if (nodes[k].coefficient) factor *= nodes[k].values[d];
        else combined += w[k] * nodes[k].values[d];
      }
      out.push(combined * factor);
    }
    return out;
  }

  function name(o) { return o.name[lang]; }

  // Sliders.
  var fieldset = h("fieldset", { "class": "weights-sliders" });
  fieldset.appendChild(h("legend", {}, ui.weights_sliders));
  var inputs = indexKids.map(function (k, j) {
    var id = "w-" + nodes[k].id;
    var row = h("div", { "class": "weights-slider" });
    row.appendChild(h("label", { "for": id }, name(nodes[k])));
    var input = h("input", { type: "range", id: id, min: "0", max: "100", step: "0.1", value: String(official[j]), "data-id": nodes[k].id });
    var out = h("output", { "for": id });
    row.appendChild(input);
    row.appendChild(out);
    fieldset.appendChild(row);
    return { input: input, out: out };
  });
  var reset = h("button", { type: "button", "class": "weights-reset" }, ui.weights_reset);
  var share = h("a", { "class": "weights-share", href: "#" }, ui.weights_share);
  var status = h("p", { "class": "weights-status", "aria-live": "polite" });
  var controls = h("div", { "class": "weights-controls" });
  controls.appendChild(reset);
  controls.appendChild(share);
  fieldset.appendChild(controls);
  fieldset.appendChild(status);
  el.appendChild(fieldset);

  // Ranking table and bars.
  var table = h("table", { "class": "weights-table" });
  var head = h("tr");
  [ui.col_rank, ui.col_district, ui.weights_col_score, ui.weights_col_official, ui.weights_col_move].forEach(function (t, i) {
    head.appendChild(h("th", { scope: "col", "class": i === 1 ? "" : "num" }, t));
  });
  table.appendChild(h("thead")).appendChild(head);
  var tbody = table.appendChild(h("tbody"));
  var wrap = h("div", { "class": "table-scroll" });
  wrap.appendChild(table);
  el.appendChild(wrap);
  var chart = h("div", { "class": "weights-bars", role: "img", "aria-label": ui.weights_chart });
  el.appendChild(h("p", { "class": "caption" }, ui.weights_chart));
  el.appendChild(chart);

  function current() {
    return inputs.map(function (x) { return Number(x.input.value); });
  }
  function render() {
    var sliders = current();
    var chosen = weightsFrom(sliders);
    var s = scores(chosen.w);
    var r = ranks(s);
    var rootRanks = nodes[0].ranks;
    var order = s.map(function (_, d) { return d; });
    order.sort(function (a, b) { return r[a] - r[b] || a - b; });
    var max = Math.max.apply(null, s.concat([0]));
    var rows = [], bars = [];
    order.forEach(function (d) {
      var dist = data.districts[d];
      var tr = h("tr", { "data-district": dist.id });
      tr.appendChild(h("td", { "class": "num rank" }, String(r[d])));
      tr.appendChild(h("th", { scope: "row" }, name(dist)));
      tr.appendChild(h("td", { "class": "num score" }, fmt(s[d])));
      tr.appendChild(h("td", { "class": "num official" }, String(rootRanks[d])));
      var move = rootRanks[d] - r[d];
      tr.appendChild(h("td", { "class": "num change " + (move > 0 ? "up" : move < 0 ? "down" : "same") }, move > 0 ? "\u25b2" + move : move < 0 ? "\u25bc" + -move : "\u2013"));
      rows.push(tr);
      var bar = h("div", { "class": "weights-bar" });
      bar.appendChild(h("span", { "class": "label" }, name(dist)));
      var track = bar.appendChild(h("span", { "class": "track" }));
      track.appendChild(h("span", { "class": "fill", style: "width:" + (max > 0 ? Math.max(0, s[d]) / max * 100 : 0).toFixed(2) + "%" }));
      bar.appendChild(h("span", { "class": "value" }, fmt(s[d])));
      bars.push(bar);
    });
    tbody.replaceChildren.apply(tbody, rows);
    chart.replaceChildren.apply(chart, bars);
    // The share each slider stands for (its value over the sliders' total, as the ranking uses it).
    var total = sliders.reduce(function (a, b) { return a + b; }, 0);
    inputs.forEach(function (x, j) {
      var pct = chosen.official ? official[j] : total > 0 ? sliders[j] / total * 100 : 0;
      x.out.textContent = pct.toFixed(1) + "%";
      x.input.setAttribute("aria-valuetext", pct.toFixed(1) + "%");
    });
    status.textContent = chosen.official ? ui.weights_official_note : "";
    var hash = chosen.official ? "" : "#" + inputs.map(function (x) { return x.input.getAttribute("data-id") + "=" + x.input.value; }).join("&");
    share.setAttribute("href", hash || "#");
    // The address follows once the slider rests: browsers throttle frequent history updates.
    clearTimeout(pending);
    pending = setTimeout(function () { setAddress(hash); }, 150);
    shared.carryHash(hash);
  }
  var pending;
  function setAddress(hash) {
    if (location.hash === hash) return;
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse replaceState on file:// pages; the share link still carries it.
    }
  }
  // The weights in the address ("#infra=40&app=30&env=30"), if any.
  function fromHash() {
    var parts = location.hash.replace(/^#/, "").split("&");
    var given = {};
    parts.forEach(function (p) {
      var kv = p.split("=");
      if (kv.length === 2 && kv[1] !== "" && isFinite(Number(kv[1]))) given[decodeURIComponent(kv[0])] = Math.min(100, Math.max(0, Number(kv[1])));
    });
    var values = inputs.map(function (x, j) {
      var id = x.input.getAttribute("data-id");
      return id in given ? given[id] : official[j];
    });
    // Weights given in any scale ("#a=2&b=1") are shown as shares of 100, like the sliders'.
    var total = values.reduce(function (a, b) { return a + b; }, 0);
    var exact = values.every(function (v, j) { return v === official[j]; });
    inputs.forEach(function (x, j) {
      x.input.value = String(exact || total <= 0 ? values[j] : Math.round(values[j] / total * 1000) / 10);
    });
  }
  // Moving slider j to x shares 100 − x among the others in proportion to where they stood
  // (evenly, if they were all at 0).
  function rebalance(j) {
    var x = Number(inputs[j].input.value);
    var others = inputs.filter(function (_, k) { return k !== j; });
    if (!others.length) { inputs[j].input.value = "100"; return; }
    var rest = others.reduce(function (a, o) { return a + Number(o.input.value); }, 0);
    var left = Math.max(0, 100 - x);
    others.forEach(function (o) {
      var v = rest > 0 ? Number(o.input.value) / rest * left : left / others.length;
      o.input.value = String(Math.round(v * 10) / 10);
    });
  }
  inputs.forEach(function (x, j) { x.input.addEventListener("input", function () { rebalance(j); render(); }); });
  reset.addEventListener("click", function () {
    inputs.forEach(function (x, j) { x.input.value = String(official[j]); });
    render();
  });
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  fromHash();
  render();
})();
