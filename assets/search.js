/* Site search for cityreport sites: the search box in the page header.
 *
 * The index (search/index-<lang>.js, made at build time by src/search/) is loaded the first time
 * the box is used, by adding a <script> element: unlike fetch(), that works for pages opened
 * from disk (file://) as well as at a domain root or under a sub-path. Nothing else is loaded.
 *
 * Terms are made exactly as src/search/tokenize.rs makes them (keep the two in step): Chinese
 * text as overlapping character bigrams, other words folded to lower case with plural endings
 * removed; numbers and ids such as 5G or 78.12 stay whole.
 *
 * The box follows the ARIA combobox pattern (an input with a listbox popup): focus stays in the
 * input, the arrow keys move the active option (aria-activedescendant), Enter opens the active
 * option or else the first, Escape closes the list and then clears the box.
 *
 * Listeners sit on the document, not on the box, so the box keeps working when the preview
 * server swaps in a new <body>.
 */
(function () {
  "use strict";

  // ---- tokeniser (mirror of src/search/tokenize.rs) ----

  const ALNUM = /[\p{Alphabetic}\p{N}]/u;
  const ALPHA = /\p{Alphabetic}/u;
  const LETTERS = /^\p{Alphabetic}+$/u;

  function isHan(ch) {
    const c = ch.codePointAt(0);
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
  }

  function fold(ch) {
    const c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) return String.fromCodePoint(c - 0xfee0).toLowerCase();
    if (c === 0x3000) return " ";
    return ch.toLowerCase();
  }

  const isWordChar = (c) => c !== null && ALNUM.test(c) && !isHan(c);
  const isDigit = (c) => c !== null && c >= "0" && c <= "9";

  function stem(word) {
    if ([...word].length < 4 || !LETTERS.test(word)) return word;
    if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) return word.slice(0, -3) + "y";
    if (word.endsWith("es") && !word.endsWith("aes") && !word.endsWith("ees") && !word.endsWith("oes")) return word.slice(0, -1);
    if (word.endsWith("s") && !word.endsWith("us") && !word.endsWith("ss")) return word.slice(0, -1);
    return word;
  }

  /** Terms of `text` with their place in it (UTF-16 offsets), and for words the unstemmed form. */
  function tokenize(text) {
    const chars = []; // [folded char, start, end]
    for (let i = 0; i < text.length; ) {
      const ch = String.fromCodePoint(text.codePointAt(i));
      for (const f of fold(ch)) chars.push([f, i, i + ch.length]);
      i += ch.length;
    }
    const out = [];
    let i = 0;
    while (i < chars.length) {
      const [c, start] = chars[i];
      if (isHan(c)) {
        const first = i;
        while (i < chars.length && isHan(chars[i][0])) i++;
        if (i - first === 1) out.push({ term: c, raw: c, start, end: chars[first][2], han: true });
        for (let k = first; k + 1 < i; k++) {
          const t = chars[k][0] + chars[k + 1][0];
          out.push({ term: t, raw: t, start: chars[k][1], end: chars[k + 1][2], han: true });
        }
      } else if (ALNUM.test(c)) {
        let word = "";
        let end = start;
        while (i < chars.length) {
          const c2 = chars[i][0];
          const next = i + 1 < chars.length ? chars[i + 1][0] : null;
          const prev = word ? [...word].pop() : null;
          if (isWordChar(c2)) word += c2;
          else if ((c2 === "'" || c2 === "\u2019") && prev !== null && ALPHA.test(prev) && next !== null && ALPHA.test(next) && !isHan(next)) {
            // inside a word: dropped
          } else if (c2 === "." && isDigit(prev) && isDigit(next)) word += c2;
          else break;
          end = chars[i][2];
          i++;
        }
        out.push({ term: stem(word), raw: word, start, end, han: false });
      } else i++;
    }
    return out;
  }

  /** The form names are compared in (src/search/tokenize.rs `name_key`). */
  function nameKey(text) {
    let out = "";
    for (const ch of text) for (const f of fold(ch)) if (isHan(f) || ALNUM.test(f)) out += f;
    return out;
  }

  // ---- the index ----

  const FIELD_WEIGHT = [60, 50, 15, 8, 3]; // name, title, heading, caption, body
  const MAX_SHOWN = 12;

  function prepare(raw) {
    const keys = Object.keys(raw.terms).sort();
    const decoded = new Map();
    const postings = (term) => {
      let list = decoded.get(term);
      if (!list) {
        list = [];
        let at = 0;
        for (const d of raw.terms[term] || []) list.push((at += d));
        decoded.set(term, list);
      }
      return list;
    };
    const folded = new Map(); // passage → folded text, for phrase checks
    const foldedText = (p) => {
      let t = folded.get(p);
      if (t === undefined) {
        t = "";
        for (const ch of raw.passages[p][3]) t += fold(ch);
        folded.set(p, t);
      }
      return t;
    };
    return { raw, keys, postings, foldedText };
  }

  /** Index terms starting with `prefix` (sorted keys: a binary search, then a scan). */
  function withPrefix(keys, prefix) {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (let k = lo; k < keys.length && keys[k].startsWith(prefix); k++) out.push(keys[k]);
    return out;
  }

  /** What to look for: a Chinese run (its bigrams, found as a phrase) or a word. */
  function parseQuery(query, keys) {
    const tokens = tokenize(query);
    const typing = query.length > 0 && !/\s$/.test(query);
    const units = [];
    let run = null;
    tokens.forEach((t, n) => {
      if (t.han) {
        // Bigrams of one run overlap: consecutive ones belong together.
        if (run && t.start < run.end) {
          run.terms.push([t.term]);
          run.end = t.end;
          run.text = query.slice(run.start, t.end);
        } else {
          run = { han: true, start: t.start, end: t.end, text: query.slice(t.start, t.end), terms: [[t.term]] };
          units.push(run);
        }
        return;
      }
      run = null;
      const last = n === tokens.length - 1 && typing;
      const terms = [t.term];
      if (last) for (const k of withPrefix(keys, t.raw)) if (k !== t.term) terms.push(k);
      units.push({ han: false, text: t.raw, terms: [terms] });
    });
    for (const u of units) {
      u.phrase = [...u.text].map(fold).join("");
      // One character: every term containing it (the index has bigrams, and single characters
      // only where they stand alone).
      if (u.han && [...u.phrase].length === 1) u.terms = [keys.filter((k) => k.includes(u.phrase))];
    }
    return units;
  }

  function union(index, terms) {
    if (terms.length === 1) return index.postings(terms[0]);
    const all = new Set();
    for (const t of terms) for (const p of index.postings(t)) all.add(p);
    return [...all].sort((a, b) => a - b);
  }

  function intersect(a, b) {
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /**
   * Pages matching every part of `query`, best first. `year` limits them to one edition; without
   * it, pages of `currentYear` come first, then the other editions.
   */
  function find(index, query, currentYear, year) {
    const { raw } = index;
    const units = parseQuery(query, index.keys);
    if (!units.length) return { results: [], units };
    const perDoc = new Map(); // doc → { score per unit, passages with their hit units }
    units.forEach((u, ui) => {
      // Passages holding all terms of the unit (each term: any of its alternatives).
      let passages = null;
      for (const alternatives of u.terms) {
        const list = union(index, alternatives);
        passages = passages === null ? list : intersect(passages, list);
        if (!passages.length) break;
      }
      for (const p of passages || []) {
        const [doc, field] = raw.passages[p];
        if (year && raw.docs[doc][3] !== year) continue;
        // A Chinese run whose bigrams are all there but apart is a weak hit.
        const whole = !u.han || u.terms.length === 1 || index.foldedText(p).includes(u.phrase);
        const score = FIELD_WEIGHT[field] * (whole ? 1 : 0.3);
        let entry = perDoc.get(doc);
        // Every unit must match: after the first, only pages it matched are still in the race.
        if (!entry && ui > 0) continue;
        if (!entry) perDoc.set(doc, (entry = { best: new Array(units.length).fill(0), count: 0, passages: new Map() }));
        entry.best[ui] = Math.max(entry.best[ui], score);
        entry.count++;
        const hit = entry.passages.get(p) || { score: 0, field };
        hit.score += score;
        entry.passages.set(p, hit);
      }
    });
    const key = nameKey(query);
    const results = [];
    for (const [doc, entry] of perDoc) {
      if (entry.best.some((s) => s === 0)) continue;
      const d = raw.docs[doc];
      let score = entry.best.reduce((a, b) => a + b, 0) + Math.min(entry.count, 8) * 0.25;
      // The page of a district or indicator called exactly what was typed comes first.
      if (key && d[5].includes(key)) score += 1000;
      else if (key.length >= 2 && d[5].some((n) => n.startsWith(key))) score += 200;
      // The snippet: the best passage that says more than the title.
      let snippet = null;
      for (const [p, hit] of entry.passages) {
        const rank = hit.field <= 1 ? hit.score - 1000 : hit.score;
        if (!snippet || rank > snippet.rank || (rank === snippet.rank && p < snippet.p)) snippet = { p, rank };
      }
      results.push({ doc, score, passage: snippet.p });
    }
    const group = (doc) => (year || raw.docs[doc][3] === currentYear ? 0 : 1);
    results.sort((a, b) => group(a.doc) - group(b.doc) || b.score - a.score || a.doc - b.doc);
    return { results, units };
  }

  // ---- showing results ----

  /** `text` as nodes, with the spans of matched terms in <mark>. */
  function highlighted(text, units) {
    const want = new Set();
    const chars = new Set();
    for (const u of units) {
      if (u.han && [...u.phrase].length === 1) chars.add(u.phrase);
      else for (const alternatives of u.terms) for (const t of alternatives) want.add(t);
    }
    const spans = [];
    for (const t of tokenize(text)) {
      if (want.has(t.term)) spans.push([t.start, t.end]);
      else if (t.han && chars.size) {
        for (let k = t.start; k < t.end; ) {
          const ch = String.fromCodePoint(text.codePointAt(k));
          if (chars.has(fold(ch))) spans.push([k, k + ch.length]);
          k += ch.length;
        }
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push(s.slice());
    }
    return merged;
  }

  function render(into, text, spans) {
    let at = 0;
    for (const [s, e] of spans) {
      if (s > at) into.append(text.slice(at, s));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(s, e);
      into.append(mark);
      at = e;
    }
    if (at < text.length) into.append(text.slice(at));
  }

  /** Around the first match: about `width` characters. */
  function excerpt(text, spans, width) {
    if (text.length <= width) return { text, spans };
    const first = spans.length ? spans[0][0] : 0;
    let start = Math.max(0, Math.min(first - Math.floor(width / 3), text.length - width));
    let end = Math.min(text.length, start + width);
    const shift = (i) => (i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]) ? i - 1 : i);
    start = shift(start);
    end = shift(end);
    const pre = start > 0 ? "…" : "";
    const post = end < text.length ? "…" : "";
    const inside = spans.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start + pre.length, e - start + pre.length]);
    return { text: pre + text.slice(start, end) + post, spans: inside };
  }

  // ---- the box ----

  // One state per search box (a page may have one per language: the 404 page), each with the
  // index of its language.
  const states = new WeakMap();
  function st(b) {
    let s = states.get(b);
    if (!s) {
      s = { index: null, loading: false, failed: false, active: -1 };
      states.set(b, s);
    }
    return s;
  }
  const api = (window.cityreportSearch = window.cityreportSearch || {});

  function box() {
    return document.querySelector("[data-search]");
  }

  function parts(b) {
    return {
      input: b.querySelector(".search-input"),
      scope: b.querySelector(".search-scope"),
      panel: b.querySelector(".search-panel"),
      status: b.querySelector(".search-status"),
      live: b.querySelector(".search-live"),
      list: b.querySelector(".search-results"),
    };
  }

  function load(b) {
    const state = st(b);
    if (state.index || state.loading) return;
    state.loading = true;
    const lang = b.dataset.lang;
    const script = document.createElement("script");
    script.src = b.dataset.root + "search/index-" + lang + ".js";
    script.onload = () => {
      state.loading = false;
      const raw = api[lang];
      if (!raw || raw.version !== 1) {
        state.failed = true;
      } else {
        state.index = prepare(raw);
        api.ready = true;
      }
      update(b);
    };
    script.onerror = () => {
      state.loading = false;
      state.failed = true;
      update(b);
    };
    document.head.append(script);
  }

  function fillScope(b) {
    const state = st(b);
    const { scope } = parts(b);
    if (!state.index || scope.options.length > 1) return;
    for (const y of state.index.raw.years) {
      const o = document.createElement("option");
      o.value = String(y);
      o.textContent = b.dataset.scopeYear.replace("{year}", y);
      scope.append(o);
    }
  }

  function setExpanded(b, open) {
    const { input, panel } = parts(b);
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(b, -1);
  }

  function setActive(b, n) {
    const { input, list } = parts(b);
    const options = list.querySelectorAll("[role=option]");
    st(b).active = n;
    options.forEach((o, k) => o.setAttribute("aria-selected", k === n ? "true" : "false"));
    if (n >= 0 && options[n]) {
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  function say(b, text) {
    const { status, live } = parts(b);
    status.textContent = text;
    live.textContent = text;
  }

  function update(b) {
    b = b || box();
    if (!b) return;
    const state = st(b);
    const { input, scope, list } = parts(b);
    const query = input.value.trim();
    list.replaceChildren();
    setActive(b, -1);
    if (!query) {
      say(b, "");
      setExpanded(b, false);
      return;
    }
    setExpanded(b, true);
    if (state.failed) return say(b, b.dataset.failed);
    if (!state.index) {
      load(b);
      return say(b, b.dataset.loading);
    }
    fillScope(b);
    const current = Number(b.dataset.year);
    const { results, units } = find(state.index, input.value, current, scope.value ? Number(scope.value) : null);
    if (!results.length) return say(b, b.dataset.none.replace("{query}", query));
    const raw = state.index.raw;
    results.slice(0, MAX_SHOWN).forEach((r, n) => {
      const [path, title, chapter, year, value] = raw.docs[r.doc];
      const [, field, anchor, text] = raw.passages[r.passage];
      const li = document.createElement("li");
      li.id = parts(b).list.id + "-option-" + n;
      li.className = "search-result";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const a = document.createElement("a");
      a.href = b.dataset.root + path + (anchor && field !== 1 ? "#" + anchor : "");
      a.tabIndex = -1;
      const t = document.createElement("span");
      t.className = "result-title";
      render(t, title, highlighted(title, units));
      const meta = document.createElement("span");
      meta.className = "result-meta";
      meta.textContent = year ? year + " · " + chapter : chapter;
      a.append(t, meta);
      if (value) {
        const v = document.createElement("span");
        v.className = "result-value";
        v.textContent = value;
        a.append(v);
      }
      if (field !== 1) {
        const s = document.createElement("span");
        s.className = "result-snippet";
        const cut = excerpt(text, highlighted(text, units), b.dataset.lang === "zh" ? 60 : 140);
        render(s, cut.text, cut.spans);
        a.append(s);
      }
      li.append(a);
      list.append(li);
    });
    let message = results.length === 1 ? b.dataset.countOne : b.dataset.count.replace("{n}", results.length);
    if (results.length > MAX_SHOWN) message += " " + b.dataset.more.replace("{n}", results.length - MAX_SHOWN);
    say(b, message);
  }

  function open(b, n) {
    const links = parts(b).list.querySelectorAll("[role=option] a");
    const link = links[n >= 0 ? n : 0];
    if (link) window.location.href = link.href;
  }

  document.documentElement.classList.add("has-search");

  // While an input method composes (pinyin being typed), wait for the characters it commits.
  document.addEventListener("input", (e) => {
    if (!e.isComposing && e.target.matches && e.target.matches("[data-search] .search-input")) update(e.target.closest("[data-search]"));
  });
  document.addEventListener("compositionend", (e) => {
    if (e.target.matches && e.target.matches("[data-search] .search-input")) update(e.target.closest("[data-search]"));
  });
  document.addEventListener("change", (e) => {
    if (e.target.matches && e.target.matches("[data-search] .search-scope")) update(e.target.closest("[data-search]"));
  });
  document.addEventListener("focusin", (e) => {
    const b = e.target.closest && e.target.closest("[data-search]");
    if (b && e.target.matches && e.target.matches("[data-search] .search-input")) {
      load(b);
      if (e.target.value.trim()) update(b);
    }
  });
  document.addEventListener("focusout", (e) => {
    const b = e.target.closest && e.target.closest("[data-search]");
    if (b && b.contains(e.target) && !b.contains(e.relatedTarget)) setExpanded(b, false);
  });
  document.addEventListener("keydown", (e) => {
    const b = e.target.closest && e.target.closest("[data-search]");
    if (!b || !e.target.matches || !e.target.matches("[data-search] .search-input")) return;
    const state = st(b);
    const count = parts(b).list.querySelectorAll("[role=option]").length;
    const expanded = !parts(b).panel.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!expanded) update(b);
      if (!count) return;
      // Wraps around; from no active option, Down goes to the first and Up to the last.
      let n = state.active + (e.key === "ArrowDown" ? 1 : -1);
      if (n >= count) n = 0;
      if (n < 0) n = count - 1;
      setActive(b, n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (count) open(b, state.active);
    } else if (e.key === "Escape") {
      if (expanded) setExpanded(b, false);
      else e.target.value = "";
      e.preventDefault();
    }
  });
  // Programmatic use (and the browser tests): results for a query as plain data.
  api.find = (query, year) => {
    const b = box();
    const state = b && st(b);
    if (!state || !state.index) return null;
    const { results } = find(state.index, query, Number(b && b.dataset.year), year || null);
    return results.map((r) => {
      const d = state.index.raw.docs[r.doc];
      return { path: d[0], title: d[1], year: d[3], score: r.score };
    });
  };
  // The terms of a text as this script makes them (tests compare them with the index's).
  api.terms = (text) => tokenize(text).map((t) => t.term);
  api.load = () => {
    const b = box();
    if (b) load(b);
  };
})();
