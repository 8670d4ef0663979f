//! Narrative Markdown → HTML that cannot inject markup or load anything from elsewhere.
//!
//! Content is written by analysts, not developers: raw HTML is shown as text (HTML that is only
//! comments is dropped, as writers use them for notes), links may only use http(s), mailto or relative
//! targets, and images must be local files (the site makes no external requests).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut dropped_images = 0usize;
    // The lines of the HTML block being read: the block is dropped only if it is nothing but
    // comments, otherwise shown whole as text (a comment cannot hide markup after it).
    let mut html_block: Option<String> = None;
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                let block = html_block.take().unwrap_or_default();
                if !only_comments(&block) {
                    events.push(Event::Start(Tag::HtmlBlock));
                    events.push(Event::Text(block.into()));
                    events.push(Event::End(TagEnd::HtmlBlock));
                }
            }
            Event::Html(s) if html_block.is_some() => html_block.get_or_insert_with(String::new).push_str(&s),
            Event::Html(s) | Event::InlineHtml(s) => {
                if !only_comments(&s) {
                    events.push(Event::Text(s));
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = if safe_link(&dest_url) { dest_url } else { CowStr::from("") };
                events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            // An external image would be a request to another host: keep its alt text only.
            Event::Start(Tag::Image { ref dest_url, .. }) if has_scheme(dest_url) || dest_url.starts_with("//") => {
                dropped_images += 1;
            }
            Event::End(TagEnd::Image) if dropped_images > 0 => dropped_images -= 1,
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Whether raw HTML is only comments and whitespace (writers' notes, left out of the page).
fn only_comments(html: &str) -> bool {
    let mut rest = html.trim_start();
    while let Some(after_open) = rest.strip_prefix("<!--") {
        match after_open.find("-->") {
            Some(end) => rest = after_open[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
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
    fn html_after_a_comment_is_shown_not_dropped() {
        for md in ["<!-- c --><style>body{display:none}</style>\n", "x <!-- c --><b>bold</b> y\n", "<!-- a\nb -->\n<script>s()</script>\n"] {
            let html = to_html(md);
            assert!(!html.contains("<style") && !html.contains("<b>") && !html.contains("<script"), "{md:?}: {html}");
            assert!(html.contains("&lt;style&gt;") || html.contains("&lt;b&gt;") || html.contains("&lt;script&gt;"), "{md:?}: {html}");
        }
        // A comment over several lines, alone, is still a note.
        let html = to_html("<!-- line one\nline two -->\n\ntext\n");
        assert!(!html.contains("line"), "{html}");
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
