//! Narrative pages: `content/<year>/<lang>/**/*.md` with TOML front matter between `+++` lines.

use std::path::Path;

use serde::Deserialize;
use walkdir::WalkDir;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
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

/// Reads every page of one edition in both languages, sorted by language then key. Files and
/// folders reached through a symbolic link that leads outside the project are refused, so the
/// site never publishes a file from elsewhere on the machine.
pub fn read_content(edition_dir: &Path) -> Result<Vec<ContentPage>, Diagnostics> {
    let mut pages = Vec::new();
    let mut diags = Diagnostics::default();
    // content/<year>/ → the project root.
    let project = edition_dir.parent().and_then(Path::parent).unwrap_or(edition_dir);
    let project = project.canonicalize().unwrap_or_else(|_| project.to_path_buf());
    for lang in Lang::ALL {
        let dir = edition_dir.join(lang.code());
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        let mut refused = Vec::new();
        let walk = WalkDir::new(&dir).follow_links(true).into_iter().filter_entry(|e| {
            let outside = outside_project(e.path(), &project);
            if outside {
                refused.push(Diagnostic::new(e.path(), "this is a symbolic link to a place outside the project; it is not read")
                    .help("copy the file or folder into the project instead of linking to it"));
            }
            !outside
        });
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(&dir).to_path_buf();
                    diags.push(Diagnostic::new(path, format!("cannot read: {e}")).help("check the file's permissions and any symbolic links"));
                }
            }
        }
        diags.0.extend(refused);
        files.sort();
        for file in files {
            // Every file was found under `dir`, so the prefix is always there.
            let rel = file.strip_prefix(&dir).unwrap_or(&file).with_extension("");
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            match read_text(&file).and_then(|text| parse_page(&file, &text, lang, key)) {
                Ok(page) => pages.push(page),
                Err(d) => diags.push(d),
            }
        }
    }
    diags.into_result(pages)
}

/// Whether `path` (a file or folder under the content folder) really lies outside `project`
/// once symbolic links are resolved.
fn outside_project(path: &Path, project: &Path) -> bool {
    match path.canonicalize() {
        Ok(real) => !real.starts_with(project),
        Err(_) => false, // a broken link: reported by the walk itself
    }
}

/// Refuses narrative files no page shows (a typo in the name would otherwise lose the text
/// silently); `keys` are the ones the pages look up.
pub fn check_keys(pages: &[ContentPage], keys: &[String]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for page in pages.iter().filter(|p| !keys.contains(&p.key)) {
        let suggestion = keys
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&page.key))
            .cloned()
            .or_else(|| did_you_mean(&page.key, keys.iter().map(String::as_str)));
        let d = Diagnostic::new(&page.file, format!("no page shows the narrative file `{}.md`", page.key));
        diags.push(match suggestion {
            Some(k) => d.help(format!("did you mean `{k}.md`? Rename the file; narrative files are named after the page that shows them (docs/writing.md)")),
            None => d.help(
                "name it after the page that shows it: _index.md, method.md, data.md, districts.md, overall/_index.md, \
                 overall/<first-level index id>.md, regional/_index.md or regional/<indicator id>.md (docs/writing.md)",
            ),
        });
    }
    diags
}

/// Splits the front matter from the body; a page without front matter is all body.
pub fn parse_page(file: &Path, text: &str, lang: Lang, key: String) -> Result<ContentPage, Diagnostic> {
    let is_fence = |line: &str| line.trim_end() == "+++";
    let first_line = text.split('\n').next().unwrap_or("");
    // YAML front matter (Hugo's and Jekyll's other style) would render as a rule and a heading.
    if first_line.trim_end() == "---" && text.split('\n').skip(1).any(|l| l.trim_end() == "---") {
        return Err(Diagnostic::new(file, "the page starts with YAML front matter (---), which cityreport does not read")
            .at_line(1)
            .help("write the front matter as TOML between lines of +++ (title = \"…\"), see docs/writing.md"));
    }
    let (front, body, body_line) = if is_fence(first_line) {
        let front_start = (first_line.len() + 1).min(text.len());
        // The closing fence: the next line holding only +++ (the block may be empty).
        let mut offset = front_start;
        let mut close = None;
        for line in text[front_start..].split_inclusive('\n') {
            if is_fence(line.trim_end_matches('\n')) {
                close = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        let Some((close_start, body_start)) = close else {
            return Err(Diagnostic::new(file, "the front matter opened with +++ on line 1 is never closed")
                .at_line(1)
                .help("end the front matter with a line containing only +++"));
        };
        let front_text = &text[front_start..close_start];
        let front: FrontMatter = parse_toml(file, front_text).map_err(|mut d| {
            d.line = d.line.map(|l| l + 1);
            d
        })?;
        let body_line = 1 + front_text.matches('\n').count() + 2;
        (front, text[body_start..].to_string(), body_line)
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
    fn empty_front_matter_is_valid() {
        for text in ["+++\n+++\nbody\n", "+++\r\n+++\r\nbody\n", "+++\n+++"] {
            let page = parse_page(Path::new("a.md"), text, Lang::En, "a".into()).unwrap();
            assert_eq!(page.title, None);
            assert_eq!(page.body, if text.ends_with("+++") { "" } else { "body\n" }, "{text:?}");
        }
        let page = parse_page(Path::new("a.md"), "+++\n+++\nbody\n", Lang::En, "a".into()).unwrap();
        assert_eq!(page.body_line, 3);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = parse_page(Path::new("a.md"), "+++\ntitle = \"T\"\n++++\nbody\n", Lang::En, "a".into()).unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let page = |key: &str| parse_page(Path::new(&format!("{key}.md")), "x", Lang::En, key.into()).unwrap();
        let keys: Vec<String> = ["_index", "regional/5g", "regional/iot"].map(String::from).into();
        let pages = [page("regional/5G"), page("regional/iot"), page("zzz/qqq")];
        let diags = check_keys(&pages, &keys);
        assert_eq!(diags.len(), 2);
        assert!(diags.0[0].help.as_deref().unwrap().starts_with("did you mean `regional/5g.md`?"), "{diags}");
        assert!(diags.0[1].message.contains("`zzz/qqq.md`"), "{diags}");
        assert!(diags.0[1].help.as_deref().unwrap().contains("regional/<indicator id>.md"), "{diags}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_outside_the_project_are_refused_inside_ones_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        let project = tempfile::tempdir().unwrap();
        let en = project.path().join("content/2020/en");
        std::fs::create_dir_all(&en).unwrap();
        std::fs::write(project.path().join("notes.md"), "inside").unwrap();
        std::os::unix::fs::symlink(project.path().join("notes.md"), en.join("method.md")).unwrap();
        let pages = read_content(&project.path().join("content/2020")).unwrap();
        assert_eq!(pages[0].body, "inside");

        std::os::unix::fs::symlink(outside.path().join("secret.md"), en.join("data.md")).unwrap();
        let err = read_content(&project.path().join("content/2020")).unwrap_err();
        assert_eq!(err.len(), 1, "{err}");
        assert!(err.0[0].file.ends_with("data.md") && err.0[0].message.contains("outside the project"), "{err}");

        // A whole language folder linked from elsewhere.
        std::fs::remove_file(en.join("data.md")).unwrap();
        let zh = project.path().join("content/2020/zh");
        std::os::unix::fs::symlink(outside.path(), &zh).unwrap();
        let err = read_content(&project.path().join("content/2020")).unwrap_err();
        assert!(err.0[0].file.ends_with("zh") && err.0[0].message.contains("outside the project"), "{err}");
        assert!(!err.to_string().contains("secret\""), "{err}");
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let text = "+++\ntitle = \"T\"\ntitel = 3\n+++\nbody\n";
        let err = parse_page(Path::new("a.md"), text, Lang::En, "a".into()).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }
}
