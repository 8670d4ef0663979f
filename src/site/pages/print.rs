//! What a printed page says in its margins (issue 12): the edition's year and title at the top
//! left, the page's heading at the top right, its address at the bottom left (the page number is
//! in site.css). The texts go into CSS page margin boxes, so they are CSS strings here.

use serde::Serialize;

use crate::site::view::EditionView;
use crate::catalogue::PageKey;

#[derive(Serialize)]
pub(super) struct PrintView {
    /// The "Print" control: only on chapter pages, not on the data page or the reader's tools,
    /// whose printout would be a list of links or an unset form.
    pub(super) button: bool,
    /// CSS string literals, quotes included.
    pub(super) head: String,
    pub(super) heading: String,
    pub(super) address: String,
}

/// Whether the page at `rel` (below `<year>/<lang>/`) is a chapter page that offers printing.
pub(super) fn offers_print(v: &EditionView, rel: &str) -> bool {
    !matches!(PageKey::from_rel(rel, v.ed), Some(PageKey::Data | PageKey::Weights | PageKey::Compare))
}

pub(super) fn view(v: &EditionView, rel: &str, heading: &str, canonical: Option<&str>) -> PrintView {
    let path = v.path(rel);
    PrintView {
        button: offers_print(v, rel),
        head: css_string(&format!("{} · {}", v.ed.year, v.ed.title.get(v.lang))),
        // The home page's heading is the title, already at the top left.
        heading: css_string(if heading == v.ed.title.get(v.lang) { "" } else { heading }),
        // Without --base-url the page's own address is put in when printing (base.html); the
        // site path stands in without JavaScript.
        address: css_string(canonical.unwrap_or(&path)),
    }
}

/// `text` as a quoted CSS string that cannot end its `<style>` element: quotes, backslashes,
/// angle brackets, ampersands and control characters are written as CSS hex escapes.
pub(crate) fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(css_string("2020 · 报告"), "\"2020 · 报告\"");
        let hostile = css_string("a\"b\\c</style><script>x</script>\n");
        assert_eq!(hostile, "\"a\\22 b\\5c c\\3c /style\\3e \\3c script\\3e x\\3c /script\\3e \\a \"");
        assert!(!hostile[1..hostile.len() - 1].contains(['"', '<', '>']));
    }
}
