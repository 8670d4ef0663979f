// cityreport preview: updates the page after each good build and shows build errors on top of
// it. Served at /__cityreport/live.js; only preview builds link it.
//
// After a build that changed only pages (the server says so: no style, font or icon changed),
// the page fetches its new HTML and swaps in the new <body>, title and meta tags: no re-parse of
// the stylesheet, no font loading, the scroll position kept. Anything else — new assets, a
// changed <head>, a failed fetch — falls back to a full reload.
(function () {
  "use strict";
  var base = "/__cityreport/";
  var overlayId = "cityreport-build-error";
  // The build error currently shown (re-applied if a page swap replaces the body under it).
  var shownError = null;

  function hideError() {
    shownError = null;
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }

  // Built with textContent only: the message quotes the user's sources, which may contain
  // markup, and must show as written rather than run.
  function showError(err) {
    hideError();
    shownError = err;
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:0;right:0;top:0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff;color:#111;border-bottom:3px solid #7f0000;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.4);font:14px/1.5 system-ui,sans-serif;";

    var header = document.createElement("div");
    header.style.cssText =
      "display:flex;justify-content:space-between;align-items:center;" +
      "background:#7f0000;color:#fff;padding:8px 14px;font-weight:bold;";
    var title = document.createElement("span");
    title.textContent = "Build error / 构建错误";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close / 关闭");
    close.style.cssText = "background:none;border:0;color:#fff;font-size:20px;cursor:pointer;";
    close.onclick = hideError;
    header.appendChild(title);
    header.appendChild(close);

    var where = document.createElement("div");
    where.style.cssText = "padding:8px 14px 0;font-family:ui-monospace,monospace;font-weight:bold;";
    where.textContent = err.file ? err.file + (err.line ? ":" + err.line : "") : "";

    var message = document.createElement("pre");
    message.style.cssText = "margin:0;padding:8px 14px 12px;white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace;";
    message.textContent = err.message || "";

    box.appendChild(header);
    if (where.textContent) box.appendChild(where);
    box.appendChild(message);
    (document.body || document.documentElement).appendChild(box);
  }

  function applyStatus(status) {
    if (status && status.error) showError(status.error);
    else hideError();
  }

  function whenReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // A page opened while the build is broken shows the error at once.
  fetch(base + "status", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(function (status) { whenReady(function () { applyStatus(status); }); })
    .catch(function () {});

  if (!window.EventSource) return;
  var events = new EventSource(base + "events");

  // The build the page on screen came from (see http.rs: Server-Timing), or null when unknown.
  function generationOf(serverTiming) {
    var m = /cityreport-build;desc="?(\d+)/.exec(serverTiming || "");
    return m ? Number(m[1]) : null;
  }
  var generation = (function () {
    try {
      var nav = performance.getEntriesByType("navigation")[0];
      var stamp = (nav && nav.serverTiming || []).filter(function (t) { return t.name === "cityreport-build"; })[0];
      return stamp ? Number(stamp.description) : null;
    } catch (_) { return null; }
  })();

  // What the page loads besides itself; when this differs, swapping the body is not enough.
  function resources(doc) {
    var found = doc.querySelectorAll("link[rel~=stylesheet], link[rel~=icon], script, style");
    return Array.prototype.map.call(found, function (el) { return el.outerHTML; }).join("\n");
  }

  // One update at a time; a build finishing meanwhile is fetched once the current one is done.
  var updating = false, again = false;
  function update(inPlace) {
    if (!inPlace) { location.reload(); return; }
    if (updating) { again = true; return; }
    updating = true;
    var stamp = null;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok || !/text\/html/.test(r.headers.get("Content-Type") || "")) throw new Error("not a page");
        stamp = r.headers.get("Server-Timing");
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (resources(doc) !== resources(document) || !doc.body) throw new Error("new head");
        var x = window.scrollX, y = window.scrollY;
        document.title = doc.title;
        // Descriptions and link-preview tags follow the page text.
        var metas = "meta[name]:not([name=viewport]), meta[property]";
        Array.prototype.forEach.call(document.head.querySelectorAll(metas), function (m) { m.remove(); });
        Array.prototype.forEach.call(doc.head.querySelectorAll(metas), function (m) {
          document.head.appendChild(document.adoptNode(m));
        });
        document.body.replaceWith(document.adoptNode(doc.body));
        window.scrollTo(x, y);
        generation = generationOf(stamp);
        // An error reported while the page was fetched belongs on top of the new body too.
        if (shownError) showError(shownError);
        updating = false;
        if (again) { again = false; update(true); }
      })
      .catch(function () { location.reload(); });
  }

  events.addEventListener("hello", function (e) {
    var status = JSON.parse(e.data);
    // A rebuild finished between serving this page and opening the stream: reload.
    if (generation !== null && typeof status.generation === "number" && status.generation > generation && !status.error) {
      location.reload();
      return;
    }
    whenReady(function () { applyStatus(status); });
  });
  events.addEventListener("reload", function (e) {
    var data = null;
    try { data = JSON.parse(e.data); } catch (_) {}
    // A good build clears any error shown; the page then updates (in place only when the
    // server says only pages changed — older servers sent just a number: reload).
    hideError();
    var inPlace = !!(data && data.inPlace === true);
    if (data && typeof data.generation === "number" && data.generation === generation) return;
    whenReady(function () { update(inPlace); });
  });
  // The browser also fires a plain "error" event when the connection drops; only a build error
  // sent by the server carries data. A dropped connection is retried by EventSource itself.
  events.addEventListener("error", function (e) {
    if (typeof e.data !== "string") return;
    var err;
    try { err = JSON.parse(e.data); } catch (_) { return; }
    whenReady(function () { showError(err); });
  });
})();
