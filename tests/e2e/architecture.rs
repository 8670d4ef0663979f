//! The code's shape, checked (docs/architecture.md): data flows one way through the stages, so no
//! module imports one that comes after it; no two files import each other, within a folder too; no
//! glob imports; the disk only where the rules allow it; no HTML written in Rust outside `chart/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules of `src/`, each allowed to use only those before it.
const STAGES: &[&str] = &[
    "progress", "diagnostic", "model", "i18n", "catalogue", "load", "output", "compute", "format", "chart", "figures", "downloads",
    "search", "site", "build", "archive", "scaffold", "serve",
];

/// Top-level module → the other top-level modules its files name as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for (pos, _) in text.match_indices("crate::") {
            let name: String = text[pos + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() && name != module {
                deps.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_module_is_placed_in_the_stage_order() {
    let graph = imports();
    for module in graph.keys() {
        assert!(STAGES.contains(&module.as_str()), "src/{module} is not in STAGES (tests/e2e/architecture.rs): place it where it belongs");
    }
}

#[test]
fn modules_only_use_the_stages_before_them() {
    let graph = imports();
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        for dep in deps {
            match (rank(module), rank(dep)) {
                (Some(a), Some(b)) if b > a => wrong.push(format!("{module} uses {dep}, which comes after it")),
                (_, None) => wrong.push(format!("{module} uses crate::{dep}, which is not a module of src/")),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_real_imports() {
    // Guards the test above against passing vacuously (e.g. a path change that reads no file).
    let graph = imports();
    assert!(graph["build"].contains("load") && graph["site"].contains("catalogue"), "{graph:?}");
    assert!(graph.len() >= 12, "{graph:?}");
}

// ---- file level: import circles, glob imports, the disk, HTML in Rust ----

/// One file of `src/` as the checks read it: its module path (`site::pages::explore`) and its
/// code with comments and test-only items (`#[cfg(test)]`) blanked out, in two forms: with string
/// literals kept (`code`) and with their contents blanked (`bare`, for reading paths and braces).
struct Source {
    rel: String,
    module: Vec<String>,
    code: String,
    bare: String,
}

/// Every file of the library (`src/main.rs` is the binary, not a module of the library), test-only
/// files (declared `#[cfg(test)] mod x;`) left out.
fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(String, Vec<String>, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        files.push((rel.clone(), module_of(&rel), text));
    }
    let sources: Vec<Source> = files.iter().map(|(rel, module, text)| read_source(rel, module.clone(), text)).collect();
    // Files a parent declares under `#[cfg(test)]` are test code.
    let mut test_modules: BTreeSet<Vec<String>> = BTreeSet::new();
    for (_, module, text) in &files {
        for name in test_module_declarations(text) {
            let mut m = module.clone();
            m.push(name);
            test_modules.insert(m);
        }
    }
    sources.into_iter().filter(|s| !test_modules.iter().any(|t| s.module.starts_with(t))).collect()
}

/// `site/pages/mod.rs` → `[site, pages]`; `site/view.rs` → `[site, view]`; `lib.rs` → `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Names of the file modules declared `#[cfg(test)] mod name;`.
fn test_module_declarations(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        let next = lines[i + 1..].iter().find(|l| !l.starts_with("#["));
        if let Some(decl) = next.and_then(|l| l.strip_suffix(';')) {
            let decl = decl.trim_start_matches("pub(crate) ").trim_start_matches("pub(super) ").trim_start_matches("pub ");
            if let Some(name) = decl.strip_prefix("mod ") {
                out.push(name.trim().to_string());
            }
        }
    }
    out
}

fn read_source(rel: &str, module: Vec<String>, text: &str) -> Source {
    let (mut code, mut bare) = blank_comments_and_strings(text);
    // Blank every item that follows `#[cfg(test)]`: up to its `;`, or its braces' end.
    let mut from = 0;
    while let Some(at) = bare[from..].find("#[cfg(test)]").map(|i| i + from) {
        let bytes = bare.as_bytes();
        let mut i = at + "#[cfg(test)]".len();
        let mut depth = 0usize;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let end = i.min(bytes.len());
        let blank = |s: &mut String| {
            let kept: String = s[at..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
            s.replace_range(at..end, &kept);
        };
        blank(&mut code);
        blank(&mut bare);
        from = end;
    }
    Source { rel: rel.to_string(), module, code, bare }
}

/// The text with comments blanked (`code`), and also with string and character literals' contents
/// blanked (`bare`). Blanking keeps every byte offset and line, and makes the text ASCII.
fn blank_comments_and_strings(text: &str) -> (String, String) {
    let b = text.as_bytes();
    let mut code = b.to_vec();
    let mut bare = b.to_vec();
    let blank = |v: &mut Vec<u8>, from: usize, to: usize| {
        for x in &mut v[from..to] {
            if *x != b'\n' {
                *x = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
            blank(&mut code, i, end);
            blank(&mut bare, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            blank(&mut code, i, end);
            blank(&mut bare, i, end);
            i = end;
        } else if (rest.starts_with(b"r#") || rest.starts_with(b"r\"") || rest.starts_with(b"br#") || rest.starts_with(b"br\""))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let start = i + rest.iter().position(|&c| c == b'r').unwrap() + 1;
            let hashes = b[start..].iter().take_while(|&&c| c == b'#').count();
            if b.get(start + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = start + hashes + 1;
            let end = text[body..].find(&close).map_or(b.len(), |p| body + p);
            blank(&mut bare, body, end);
            i = end + close.len();
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut bare, i + 1, j.min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{7f}', '{'), not a lifetime ('a).
            let end = if b.get(i + 1) == Some(&b'\\') {
                text[i + 2..].find('\'').map(|p| i + 2 + p)
            } else {
                let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
            };
            match end {
                Some(end) => {
                    blank(&mut bare, i + 1, end);
                    i = end + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    let ascii = |v: Vec<u8>| v.into_iter().map(|c| if c.is_ascii() { c as char } else { ' ' }).collect::<String>();
    (ascii(code), ascii(bare))
}

/// Every path the code names (`use` trees expanded; `crate::x::y`, `super::x` anywhere), each with
/// its line.
fn paths(s: &Source) -> Vec<(Vec<String>, usize)> {
    let text = &s.bare;
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // `use` declarations.
    let mut from = 0;
    while let Some(at) = text[from..].find("use ").map(|i| i + from) {
        from = at + 4;
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        let Some(end) = text[at..].find(';').map(|i| i + at) else { break };
        // Whitespace only where it separates words (`x as y`).
        let words: Vec<&str> = text[at + 4..end].split_whitespace().collect();
        let mut tree = words.join(" ");
        for tight in ["::", "{", "}", ","] {
            tree = tree.replace(&format!(" {tight}"), tight).replace(&format!("{tight} "), tight);
        }
        for p in expand_use(&tree) {
            out.push((p, line_of(at)));
        }
        from = end;
    }
    // Paths in expressions and types.
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            if text[..at].chars().next_back().is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let path: String = text[at..].chars().take_while(|c| is_ident(*c) || *c == ':').collect();
            out.push((path.split("::").filter(|p| !p.is_empty()).map(str::to_string).collect(), line_of(at)));
        }
    }
    out
}

/// `a::{b, c::{d, e as f}, *}` → `[a, b]`, `[a, c, d]`, `[a, c, e]`, `[a, *]`.
fn expand_use(tree: &str) -> Vec<Vec<String>> {
    let segments = |p: &str| p.split("::").filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let Some(open) = tree.find('{') else {
        return vec![segments(tree.split(" as ").next().unwrap_or(tree))];
    };
    let prefix = segments(&tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut last, mut parts) = (0, 0, Vec::new());
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[last..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|part| expand_use(part).into_iter().map(|p| prefix.iter().cloned().chain(p).collect()))
        .collect()
}

/// The file a path names, as a module path of `modules`: the path resolved against `from`
/// (`crate::`, `super::`, `self::`, or a child module), then cut to its longest prefix that is a file.
fn file_named(from: &[String], path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut absolute: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => path[1..].to_vec(),
        Some("super") => {
            let ups = path.iter().take_while(|p| *p == "super").count();
            let base = from.get(..from.len().checked_sub(ups)?)?.to_vec();
            base.into_iter().chain(path[ups..].iter().cloned()).collect()
        }
        Some("self") => from.iter().chain(&path[1..]).cloned().collect(),
        Some(first) if modules.contains(&from.iter().cloned().chain([first.to_string()]).collect::<Vec<_>>()) => {
            from.iter().chain(path).cloned().collect()
        }
        _ => return None,
    };
    while !modules.contains(&absolute) {
        absolute.pop()?;
    }
    Some(absolute)
}

/// File → the files it names, leaving out those inside it (a module's own parts are not a circle).
fn file_imports(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    let file: BTreeMap<&Vec<String>, &str> = sources.iter().map(|s| (&s.module, s.rel.as_str())).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources {
        let deps = graph.entry(s.rel.clone()).or_default();
        for (path, _) in paths(s) {
            if let Some(target) = file_named(&s.module, &path, &modules).filter(|t| !t.starts_with(&s.module)) {
                deps.insert(file[&target].to_string());
            }
        }
    }
    graph
}

/// The import circles of `graph`: its strongly connected parts of more than one file (Tarjan).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        for u in w.graph.get(v).into_iter().flatten() {
            if !w.index.contains_key(u.as_str()) {
                visit(w, u);
                let low = w.low[v].min(w.low[u.as_str()]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(u.as_str()) {
                let low = w.low[v].min(w.index[u.as_str()]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut part = Vec::new();
            while let Some(u) = w.stack.pop() {
                w.on_stack.remove(u);
                part.push(u.to_string());
                if u == v {
                    break;
                }
            }
            if part.len() > 1 {
                part.sort();
                w.out.push(part);
            }
        }
    }
    let mut w = Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), out: Vec::new() };
    for v in graph.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.out
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let found: Vec<String> = circles(&file_imports(&sources())).into_iter().map(|c| c.join(" ↔ ")).collect();
    assert!(found.is_empty(), "import circles between files of src/ (move what both need into one of them, or into a third):\n{}", found.join("\n"));
}

/// `use x::*` outside tests, each as "file:line".
fn glob_imports(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .flat_map(|s| paths(s).into_iter().filter(|(p, _)| p.last().is_some_and(|l| l == "*")).map(move |(p, line)| format!("src/{}:{line}: use {}", s.rel, p.join("::"))))
        .collect()
}

#[test]
fn no_glob_imports_outside_tests() {
    let found = glob_imports(&sources());
    assert!(found.is_empty(), "glob imports hide where a name comes from (name what is used):\n{}", found.join("\n"));
}

/// The files that may touch the disk (docs/architecture.md, "Rules of thumb"): the input reader,
/// the output writer, the project scaffold, `publish`, the build cache's readers and writers, and
/// the two error messages that quote the line at fault from the file the user is to fix.
const DISK: &[&str] = &[
    "load/",
    "output/",
    "scaffold/",
    "archive.rs",
    // The build cache.
    "build/cache.rs",
    "chart/raster.rs",
    "figures/mod.rs",
    "site/webfonts.rs",
    "site/book/mod.rs",
    // Messages quoting the line at fault.
    "diagnostic.rs",
    "site/template_errors.rs",
];

/// Where a file outside [`DISK`] names `std::fs` (or another `fs` module), each as "file:line".
fn disk_use(sources: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sources.iter().filter(|s| !DISK.iter().any(|d| s.rel.starts_with(d))) {
        let line_of = |at: usize| s.bare[..at].matches('\n').count() + 1;
        for (at, _) in s.bare.match_indices("fs::") {
            if !s.bare[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(format!("src/{}:{}", s.rel, line_of(at)));
            }
        }
        for (p, line) in paths(s) {
            if p.len() >= 2 && p[0] == "std" && p[1] == "fs" {
                out.push(format!("src/{}:{line}", s.rel));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn only_the_reader_the_writer_and_the_cache_touch_the_disk() {
    let found = disk_use(&sources());
    assert!(found.is_empty(), "std::fs outside load/, output/, scaffold/, publish and the cache:\n{}", found.join("\n"));
}

/// The tags of HTML a page is made of (not SVG's: charts draw SVG in Rust).
const HTML_TAGS: &[&str] = &[
    "a", "p", "div", "span", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "caption", "section",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "script", "noscript", "figure", "figcaption", "img", "em", "strong", "nav", "header",
    "footer", "main", "aside", "details", "summary", "button", "input", "label", "form", "small",
];

/// Where Rust code outside `chart/` writes HTML (`format!`, `write!`, `push_str` … of a string
/// holding an HTML tag), each as "file:line". Pages are made by templates.
fn html_written(sources: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sources.iter().filter(|s| !s.rel.starts_with("chart/")) {
        let line_of = |at: usize| s.bare[..at].matches('\n').count() + 1;
        for call in ["format!(", "write!(", "writeln!(", "push_str(", "String::from("] {
            for (at, _) in s.bare.match_indices(call) {
                // The call's arguments, up to its closing parenthesis.
                let open = at + call.len() - 1;
                let mut depth = 0;
                let end = s.bare[open..]
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += match c {
                            '(' => 1,
                            ')' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(s.bare.len(), |(i, _)| open + i);
                let args = &s.code[open..end];
                let tag = args.match_indices('<').any(|(i, _)| {
                    let name: String = args[i + 1..].trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                    let after = args[i + 1..].trim_start_matches('/')[name.len()..].chars().next();
                    HTML_TAGS.contains(&name.as_str()) && matches!(after, Some(' ' | '>' | '/' | '\\'))
                });
                if tag {
                    out.push(format!("src/{}:{}", s.rel, line_of(at)));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn html_is_made_by_templates() {
    let found = html_written(&sources());
    assert!(found.is_empty(), "HTML written in Rust (make it a block of site/pages/blocks.rs, laid out by templates/macros.html):\n{}", found.join("\n"));
}

#[test]
fn the_file_checks_see_planted_violations() {
    // Guards the four tests above against passing vacuously: each finds what is planted here.
    let planted = |rel: &str, text: &str| read_source(rel, module_of(rel), text);
    let files = [
        planted("site/pages/districts.rs", "use super::explore::weights;\nuse super::{blocks::Block, *};\npub fn f() {}\n"),
        planted("site/pages/explore.rs", "pub fn weights() { crate::site::pages::districts::f(); }\n"),
        planted("site/pages/mod.rs", "mod districts;\nmod explore;\nmod blocks;\n"),
        planted("site/pages/blocks.rs", "pub struct Block;\n#[cfg(test)]\nmod tests {\n    use super::super::districts::*;\n}\n"),
        planted("site/view.rs", "fn page() -> String { format!(\"<p class=\\\"x\\\">{}</p>\", 1) }\n// std::fs::read in a comment\n"),
        planted("site/links.rs", "use std::fs;\nfn f() { let _ = \"<svg>\"; let _ = format!(\"a < b {}\", 1); }\n"),
    ];
    let found = circles(&file_imports(&files));
    assert_eq!(found, vec![vec!["site/pages/districts.rs".to_string(), "site/pages/explore.rs".to_string()]]);
    assert_eq!(glob_imports(&files), vec!["src/site/pages/districts.rs:2: use super::*".to_string()]);
    assert_eq!(disk_use(&files), vec!["src/site/links.rs:1".to_string()]);
    assert_eq!(html_written(&files), vec!["src/site/view.rs:1".to_string()]);
    // And on the real tree, the parser reads the imports of a file it knows.
    let real = file_imports(&sources());
    assert!(real["site/pages/regional.rs"].contains("site/view.rs") || real["site/pages/regional.rs"].contains("site/pages/mod.rs"), "{real:?}");
}
