//! `--base-url`: the address the site is published at. It goes into every canonical link, the
//! sitemap and link-preview images, so it must be a plain absolute web address: `javascript:`
//! or `data:` would be written into the pages, and a query or fragment would be glued to every
//! page's path (`https://x/?a=1index.html`).

/// `text` if it is an absolute `http://` or `https://` URL with a host and without a query or
/// fragment; otherwise why not, for the command line's error. Parsed with the `http` crate
/// (hyper's, already in the tree).
pub fn check_base_url(text: &str) -> Result<String, String> {
    let shown = text.escape_debug();
    if text.contains(['?', '#']) {
        return Err(format!("{shown} has a query or fragment (? or #); give the folder the site is published at, e.g. https://example.org/reports/"));
    }
    let uri: http::Uri = text.parse().map_err(|e| format!("{shown} is not an http:// or https:// address ({e}); write e.g. https://example.org/reports/"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(format!("{shown} is not an http:// or https:// address; write e.g. https://example.org/reports/")),
    }
    match uri.authority() {
        Some(a) if !a.host().is_empty() && !a.as_str().contains('@') => Ok(text.to_string()),
        _ => Err(format!("{shown} has no host (or has a user name in it); write e.g. https://example.org/reports/")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_absolute_web_addresses_pass() {
        for good in ["https://example.org/reports/smart-city/", "http://localhost:8080/", "https://example.org"] {
            assert_eq!(check_base_url(good).as_deref(), Ok(good));
        }
        for (bad, why) in [
            ("javascript:alert(1)//", "not"),
            ("data:text/html,x", "not"),
            ("https://example.org/?a=1", "query or fragment"),
            ("https://example.org/#top", "query or fragment"),
            ("/reports/", "not an http"),
            ("ftp://example.org/", "not an http"),
            ("https://user@example.org/", "no host"),
            ("https://exa mple.org/", "not an http"),
            ("", "not"),
        ] {
            let err = check_base_url(bad).unwrap_err();
            assert!(err.contains(why) && err.contains("e.g. https://"), "{bad}: {err}");
        }
    }
}
