//! From a request target to the site key it names, refusing anything that is not plainly a path
//! inside the site.
//!
//! The site lives in memory, so the only files that can ever be served are the keys of
//! [`SiteFiles`](crate::output::SiteFiles): there is no disk path to escape to, and a symlink in
//! the sources cannot lead out either (the builder reads the sources; the server never does).
//! The checks here are still strict, because a key is also echoed back in redirects and because
//! browsers resolve `.` and `..` themselves before sending, so a target that still contains them
//! (raw or percent-encoded) is an attack or a bug, never a page: it gets a plain 404.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// A request path reduced to clean segments: no empty, `.` or `..` segment, no separator or
/// control character inside a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePath {
    segments: Vec<String>,
    /// Ends in `/` (or is the root): names a folder's `index.html`.
    folder: bool,
}

/// What a request target resolves to against the keys of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Serve the file with this key.
    File(String),
    /// `/dir` where `dir/index.html` exists: send the browser to `/dir/` so relative links in
    /// the page resolve inside the folder.
    Redirect(String),
    NotFound,
}

/// Characters to escape when a path goes back out in a `Location` header.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

impl SitePath {
    /// Parses the path part of a request target (`/a/b.html?x=1`). `None` for anything that is
    /// not a plain path inside the site.
    pub(crate) fn parse(target: &str) -> Option<SitePath> {
        let path = target.split(['?', '#']).next().unwrap_or_default();
        // Origin-form only; absolute-form (`http://host/…`) and `*` are not asked of a preview.
        let rest = path.strip_prefix('/')?;
        // Encoded separators would turn into separators after decoding and smuggle `..` or an
        // absolute path past the segment checks; no page of ours needs one in its name.
        if rest.contains('\\') || has_encoded_separator(rest) {
            return None;
        }
        let decoded = percent_decode_str(rest).decode_utf8().ok()?;
        if decoded.chars().any(|c| c.is_control() || c == '\\') {
            return None;
        }
        let mut segments: Vec<String> = decoded.split('/').map(str::to_owned).collect();
        // A trailing slash leaves one empty segment at the end (the root leaves only that one).
        let folder = segments.last().is_some_and(|s| s.is_empty());
        if folder {
            segments.pop();
        }
        // Empty segments (`//etc/passwd`, `/a//b`) and dot segments are refused, not resolved.
        if segments.iter().any(|s| s.is_empty() || s == "." || s == "..") {
            return None;
        }
        Some(SitePath { segments, folder })
    }

    /// The site key this path names directly ("" for the root).
    fn key(&self) -> String {
        self.segments.join("/")
    }

    /// The key of the folder's index page.
    fn index_key(&self) -> String {
        if self.segments.is_empty() { "index.html".to_owned() } else { format!("{}/index.html", self.key()) }
    }

    /// This path as a folder URL (`/a/b/`), percent-encoded for a header.
    fn folder_href(&self) -> String {
        let mut href = String::from("/");
        for segment in &self.segments {
            href.extend(utf8_percent_encode(segment, SEGMENT));
            href.push('/');
        }
        href
    }
}

/// Resolves a request target against the keys for which `exists` is true.
pub(crate) fn lookup(target: &str, exists: impl Fn(&str) -> bool) -> Lookup {
    let Some(path) = SitePath::parse(target) else {
        return Lookup::NotFound;
    };
    if path.folder {
        let key = path.index_key();
        return if exists(&key) { Lookup::File(key) } else { Lookup::NotFound };
    }
    let key = path.key();
    if exists(&key) {
        Lookup::File(key)
    } else if exists(&path.index_key()) {
        Lookup::Redirect(with_query(path.folder_href(), target))
    } else {
        Lookup::NotFound
    }
}

fn has_encoded_separator(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.contains("%2f") || lower.contains("%5c")
}

/// Keeps the query string across a redirect, but only when it is plain printable ASCII (it goes
/// into a header as is).
fn with_query(mut href: String, target: &str) -> String {
    if let Some((_, query)) = target.split_once('?') {
        let query = query.split('#').next().unwrap_or_default();
        if !query.is_empty() && query.bytes().all(|b| b.is_ascii_graphic()) {
            href.push('?');
            href.push_str(query);
        }
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["index.html", "2020/zh/index.html", "assets/site.css", "数据/表.csv", "a b.html"];

    fn look(target: &str) -> Lookup {
        lookup(target, |k| KEYS.contains(&k))
    }

    fn file(key: &str) -> Lookup {
        Lookup::File(key.to_owned())
    }

    #[test]
    fn plain_paths_folders_and_redirects() {
        assert_eq!(look("/"), file("index.html"));
        assert_eq!(look("/index.html"), file("index.html"));
        assert_eq!(look("/assets/site.css?v=3"), file("assets/site.css"));
        assert_eq!(look("/2020/zh/"), file("2020/zh/index.html"));
        assert_eq!(look("/2020/zh"), Lookup::Redirect("/2020/zh/".into()));
        assert_eq!(look("/2020/zh?lang=zh"), Lookup::Redirect("/2020/zh/?lang=zh".into()));
        assert_eq!(look("/2020"), Lookup::NotFound, "no 2020/index.html, so no redirect");
        assert_eq!(look("/assets/"), Lookup::NotFound, "folders without an index are not listed");
    }

    #[test]
    fn percent_encoded_names_are_decoded() {
        assert_eq!(look("/%E6%95%B0%E6%8D%AE/%E8%A1%A8.csv"), file("数据/表.csv"));
        assert_eq!(look("/a%20b.html"), file("a b.html"));
    }

    #[test]
    fn redirect_location_is_encoded() {
        let keys = ["数据 x/index.html"];
        let found = lookup("/%E6%95%B0%E6%8D%AE%20x", |k| keys.contains(&k));
        assert_eq!(found, Lookup::Redirect("/%E6%95%B0%E6%8D%AE%20x/".into()));
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for target in [
            "/../Cargo.toml",
            "/..",
            "/.",
            "/./index.html",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/%2e%2E%2fx",
            "/%2E%2E%2Fx",
            "/..%5cx",
            "/..%5Cx",
            "/a/../../x",
            "/2020/zh/../../index.html",
            "//etc/passwd",
            "/a//index.html",
            "/\\..\\x",
            "/\\etc\\passwd",
            "/index.html%00",
            "/index.html%00.png",
            "/%0aindex.html",
            "/%ff.html",
            "index.html",
            "http://localhost/index.html",
            "*",
            "",
        ] {
            assert_eq!(SitePath::parse(target), None, "{target:?} should be refused");
            assert_eq!(lookup(target, |_| true), Lookup::NotFound, "{target:?} should be a 404");
        }
    }

    #[test]
    fn query_that_cannot_go_into_a_header_is_dropped_from_the_redirect() {
        assert_eq!(look("/2020/zh?q=\u{7}x"), Lookup::Redirect("/2020/zh/".into()));
    }
}
