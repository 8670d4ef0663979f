//! Narrative pages: `content/<year>/<lang>/**/*.md` with TOML front matter between `+++` lines.

use std::path::Path;

use serde::Deserialize;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{ContentPage, Lang};

use super::text::read_text;
use super::toml_file::parse_toml;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Reads every page of one edition in both languages, sorted by language then key.
pub fn read_content(edition_dir: &Path) -> Result<Vec<ContentPage>, Diagnostics> {
    let mut pages = Vec::new();
    let mut diags = Diagnostics::default();
    for lang in Lang::ALL {
        let dir = edition_dir.join(lang.code());
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<_> = WalkDir::new(&dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for file in files {
            let rel = file.strip_prefix(&dir).unwrap().with_extension("");
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            match read_text(&file).and_then(|text| parse_page(&file, &text, lang, key)) {
                Ok(page) => pages.push(page),
                Err(d) => diags.push(d),
            }
        }
    }
    diags.into_result(pages)
}

/// Splits the front matter from the body; a page without front matter is all body.
pub fn parse_page(file: &Path, text: &str, lang: Lang, key: String) -> Result<ContentPage, Diagnostic> {
    let (front, body, body_line) = if let Some(rest) = text.strip_prefix("+++\n") {
        let Some(end) = rest.find("\n+++") else {
            return Err(Diagnostic::new(file, "the front matter opened with +++ on line 1 is never closed")
                .at_line(1)
                .help("end the front matter with a line containing only +++"));
        };
        let front_text = &rest[..end + 1];
        let after = &rest[end + 4..];
        let body = after.strip_prefix('\n').unwrap_or(after);
        let front: FrontMatter = parse_toml(file, front_text).map_err(|mut d| {
            d.line = d.line.map(|l| l + 1);
            d
        })?;
        let body_line = 1 + front_text.matches('\n').count() + 2;
        (front, body.to_string(), body_line)
    } else {
        (FrontMatter::default(), text.to_string(), 1)
    };
    Ok(ContentPage {
        lang,
        key,
        title: front.title,
        description: front.description,
        draft: front.draft,
        body,
        file: file.to_path_buf(),
        body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let text = "+++\ntitle = \"T\"\ndraft = true\n+++\nFirst line\n";
        let page = parse_page(Path::new("a.md"), text, Lang::En, "a".into()).unwrap();
        assert_eq!(page.title.as_deref(), Some("T"));
        assert!(page.draft);
        assert_eq!(page.body, "First line\n");
        assert_eq!(page.body_line, 5);
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let text = "+++\ntitle = \"T\"\ntitel = 3\n+++\nbody\n";
        let err = parse_page(Path::new("a.md"), text, Lang::En, "a".into()).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }
}
