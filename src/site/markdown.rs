//! Narrative Markdown → HTML that cannot inject markup or load anything from elsewhere.
//!
//! Content is written by analysts, not developers: raw HTML is shown as text (HTML comments are
//! dropped, as writers use them for notes), links may only use http(s), mailto or relative
//! targets, and images must be local files (the site makes no external requests).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut dropped_images = 0usize;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(s) | Event::InlineHtml(s) => {
            if s.trim_start().starts_with("<!--") {
                None
            } else {
                Some(Event::Text(s))
            }
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = if safe_link(&dest_url) { dest_url } else { CowStr::from("") };
            Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        // An external image would be a request to another host: keep its alt text only.
        Event::Start(Tag::Image { ref dest_url, .. }) if has_scheme(dest_url) || dest_url.starts_with("//") => {
            dropped_images += 1;
            None
        }
        Event::End(TagEnd::Image) if dropped_images > 0 => {
            dropped_images -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn safe_link(url: &str) -> bool {
    if !has_scheme(url) {
        return true;
    }
    let lower = url.to_ascii_lowercase();
    ["http:", "https:", "mailto:"].iter().any(|s| lower.starts_with(s))
}

/// Backslash-escapes every ASCII punctuation character so that text inserted into Markdown
/// (shortcode output such as a district name) is shown literally, never parsed as markup.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("a <script>alert(1)</script> b\n\n<div onclick=x>block</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn comments_dropped_and_dangerous_links_neutralised() {
        let html = to_html("<!-- note -->\n\n[x](javascript:alert(1)) [y](https://example.org) [z](../method.html)");
        assert!(!html.contains("note"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("href=\"../method.html\""));
    }

    #[test]
    fn external_images_dropped_local_kept() {
        let html = to_html("![remote](https://example.org/a.png) ![local](fig.png)");
        assert!(!html.contains("example.org"), "{html}");
        assert!(html.contains("remote"), "{html}");
        assert!(html.contains("src=\"fig.png\""), "{html}");
    }

    #[test]
    fn escaped_text_is_literal() {
        let html = to_html(&format!("name: {}", escape_text("*a* <b> [c](d) 1.5 & _e_")));
        assert!(html.contains("*a* &lt;b&gt; [c](d) 1.5 &amp; _e_"), "{html}");
    }
}
