//! Names shown to readers (districts, regions, indicators, the edition's title) must say
//! something in both languages: a blank one gives empty links, labels and headings.

use std::path::Path;

use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::model::Bilingual;

/// Whether `s` shows nothing: empty, whitespace, or invisible format characters only (a
/// zero-width space, joiner or no-break space, a soft hyphen, direction marks, a BOM), which
/// copying from a web page or a Word file leaves behind.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
    })
}

/// An error for each language in which `name` is empty or only whitespace, placed at the name.
pub fn check_name(path: &Path, text: &str, name: &Spanned<Bilingual>, what: &str) -> Vec<Diagnostic> {
    let n = name.get_ref();
    [("zh", &n.zh), ("en", &n.en)]
        .into_iter()
        .filter(|(_, s)| is_blank(s))
        .map(|(lang, _)| {
            Diagnostic::new(path, format!("the {lang} name of {what} is blank"))
                .at_offset(text, name.span().start)
                .help(format!("write the name readers see, in Chinese (zh) and English (en), e.g. {{ zh = \"…\", en = \"…\" }}; \
                               `{lang}` is empty"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct File {
        name: Spanned<Bilingual>,
    }

    #[test]
    fn blank_and_whitespace_names_are_reported_at_their_line() {
        let text = "\nname = { zh = \"  \", en = \"X\" }\n";
        let f: File = toml::from_str(text).unwrap();
        let d = check_name(Path::new("a.toml"), text, &f.name, "district \"a\"");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].message.contains("zh name of district \"a\" is blank"), "{}", d[0].message);

        // A zero-width space (and a BOM, a soft hyphen) show nothing either.
        let text = "name = { zh = \"\u{200B}\", en = \"\u{FEFF}\u{00AD} \" }\n";
        let f: File = toml::from_str(text).unwrap();
        assert_eq!(check_name(Path::new("a.toml"), text, &f.name, "x").len(), 2);

        let text = "name = { zh = \"甲\", en = \"A\" }\n";
        let f: File = toml::from_str(text).unwrap();
        assert!(check_name(Path::new("a.toml"), text, &f.name, "x").is_empty());
    }
}
