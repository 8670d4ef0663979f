//! Relative links between site files.
//!
//! Every internal link is relative and names the file (`index.html`, never a bare directory), so
//! the site works opened from `file://`, at a domain root and under any sub-path alike.

/// The link from the page at site path `from` to the file at site path `to` (both relative to the
/// site root with `/` separators, e.g. "2020/zh/regional/5g.html" → "2020/zh/method.html" gives
/// "../method.html").
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = match from.rfind('/') {
        Some(i) => from[..i].split('/').collect(),
        None => Vec::new(),
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dir, file) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dir.iter().zip(to_dir).take_while(|(a, b)| a == b).count();
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    for part in &to_dir[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(file[0]);
    out
}

/// The prefix that leads from the page at `from` back to the site root ("../../").
pub fn to_root(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// Site path of the same page in another language: the language is the second path segment of
/// every edition page ("2020/zh/method.html" → "2020/en/method.html").
pub fn in_language(path: &str, lang_code: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() >= 3 {
        parts[1] = lang_code;
    }
    parts.join("/")
}

/// A site path joined to an absolute base URL, which may or may not end with `/`.
pub fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path)
}

/// The contact as a link: `mailto:` for an e-mail address.
pub(crate) fn contact_href(contact: &str) -> String {
    if contact.starts_with("http://") || contact.starts_with("https://") || contact.starts_with("mailto:") {
        contact.to_string()
    } else {
        format!("mailto:{contact}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(relative("2020/zh/regional/5g.html", "2020/zh/method.html"), "../method.html");
        assert_eq!(relative("2020/zh/method.html", "2020/zh/regional/5g.html"), "regional/5g.html");
        assert_eq!(relative("2020/zh/method.html", "2020/en/method.html"), "../en/method.html");
        assert_eq!(relative("index.html", "2020/en/index.html"), "2020/en/index.html");
        assert_eq!(relative("2020/zh/index.html", "assets/site.css"), "../../assets/site.css");
        assert_eq!(relative("2020/zh/index.html", "2020/zh/index.html"), "index.html");
        assert_eq!(to_root("2020/zh/regional/5g.html"), "../../../");
        assert_eq!(to_root("index.html"), "");
        assert_eq!(in_language("2020/zh/regional/5g.html", "en"), "2020/en/regional/5g.html");
        assert_eq!(absolute("https://x.org/r/", "2020/zh/index.html"), "https://x.org/r/2020/zh/index.html");
    }
}
