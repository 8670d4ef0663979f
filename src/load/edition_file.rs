//! `data/<year>/edition.toml`: the edition's metadata.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::model::{Bilingual, Licence, Publication, Status};

use super::names::check_name;
use super::toml_file::parse_toml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    pub year: u16,
    pub status: Status,
    #[serde(default = "default_precision")]
    pub precision: u8,
    pub title: Spanned<Bilingual>,
    pub subtitle: Option<Bilingual>,
    pub publisher: Option<Bilingual>,
    pub map: Option<MapRef>,
    /// Checked against the indicator tree by [`super::uncertainty_file::read_uncertainty`].
    pub uncertainty: Option<super::uncertainty_file::UncertaintyFile>,
    /// Ids of the plans (folders under `data/plans/`) the edition reports on.
    #[serde(default)]
    pub plans: Vec<String>,
    /// Publication basics (issue 12), all optional: see [`Publication`].
    pub published: Option<Spanned<String>>,
    pub cite: Option<Bilingual>,
    pub licence: Option<Spanned<Licence>>,
    pub contact: Option<Spanned<String>>,
}

impl EditionFile {
    pub fn publication(&self) -> Publication {
        Publication {
            date: self.published.as_ref().map(|p| p.get_ref().clone()),
            cite: self.cite.clone(),
            licence: self.licence.as_ref().map(|l| l.get_ref().clone()),
            contact: self.contact.as_ref().map(|c| c.get_ref().trim().to_string()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapRef {
    pub file: Spanned<PathBuf>,
    pub attribution: Bilingual,
}

fn default_precision() -> u8 {
    2
}

pub fn read_edition_file(path: &Path, text: &str, folder_year: u16) -> Result<EditionFile, Diagnostic> {
    let file: EditionFile = parse_toml(path, text)?;
    if file.year != folder_year {
        let offset = text.find("year").unwrap_or(0);
        return Err(Diagnostic::new(path, format!("year = {} but the edition's folder is {folder_year}", file.year))
            .at_offset(text, offset)
            .help("make the year in edition.toml match the folder name under data/"));
    }
    if file.precision > 6 {
        return Err(Diagnostic::new(path, format!("precision = {} is more decimals than any report prints", file.precision))
            .at_offset(text, text.find("precision").unwrap_or(0))
            .help("use a precision between 0 and 6 (2 is usual)"));
    }
    if let Some(map) = &file.map {
        check_map_file(path, text, &map.file)?;
    }
    if let Some(d) = check_name(path, text, &file.title, "the edition (its title)").into_iter().next() {
        return Err(d);
    }
    check_publication(path, text, &file)?;
    Ok(file)
}

/// The publication keys hold what readers are shown as facts: a date that is a date, addresses a
/// browser can open.
fn check_publication(path: &Path, text: &str, file: &EditionFile) -> Result<(), Diagnostic> {
    let at = |offset: usize, message: String| Diagnostic::new(path, message).at_offset(text, offset);
    if let Some(p) = &file.published
        && !super::archived::valid_date(p.get_ref())
    {
        return Err(at(p.span().start, format!("published = \"{}\" is not a date", p.get_ref()))
            .help("write as much of the date as is known: \"2020\", \"2020-12\" or \"2020-12-10\"; leave the key out when it is not known"));
    }
    if let Some(l) = &file.licence {
        if super::names::is_blank(&l.get_ref().name) {
            return Err(at(l.span().start, "the licence has an empty name".into())
                .help("name the licence as readers know it, e.g. licence = { name = \"CC BY 4.0\", url = \"https://creativecommons.org/licenses/by/4.0/\" }"));
        }
        if let Some(url) = &l.get_ref().url
            && !is_web_address(url)
        {
            return Err(at(l.span().start, format!("the licence's url \"{url}\" is not a web address"))
                .help("give the full address of the licence's terms, starting with https:// (or leave url out)"));
        }
    }
    if let Some(c) = &file.contact {
        let contact = c.get_ref().trim();
        if !(is_web_address(contact) || is_email(contact)) {
            return Err(at(c.span().start, format!("contact = \"{contact}\" is neither an e-mail address nor a web address"))
                .help("give one e-mail address (name@example.org) or a web address starting with https://"));
        }
    }
    if let Some(cite) = &file.cite
        && (super::names::is_blank(&cite.zh) || super::names::is_blank(&cite.en))
    {
        return Err(at(text.find("cite").unwrap_or(0), "cite needs a text in both languages".into())
            .help("give cite = { zh = \"…\", en = \"…\" }, or leave cite out to have it made from the title, publisher and date"));
    }
    Ok(())
}

fn is_web_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && s.len() > "https://".len() && !s.contains(char::is_whitespace)
}

fn is_email(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    match s.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !s.contains(char::is_whitespace) && !host.contains('@'),
        None => false,
    }
}

/// The map must be a file of the project's data folder, named relative to the edition's folder:
/// an absolute path, `..` above data/ or a symbolic link out of the project would publish a file
/// from elsewhere.
fn check_map_file(path: &Path, text: &str, file: &Spanned<PathBuf>) -> Result<(), Diagnostic> {
    let at = |message: String| Diagnostic::new(path, message).at_offset(text, file.span().start);
    let name = file.get_ref();
    let dir = path.parent().unwrap_or(Path::new("."));
    // Relative to the edition's folder, and never above data/: an edition may share the previous
    // one's boundaries ("../2020/districts.geojson").
    let mut depth: i32 = 1; // data/<year>/ is one level below data/
    let mut inside = true;
    for c in name.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => inside = false,
        }
        inside &= depth >= 0;
    }
    if !inside {
        return Err(at(format!("the map file \"{}\" is not a path inside the project's data folder", name.display()))
            .help("put the GeoJSON next to edition.toml (or in another edition's folder) and name it relative to edition.toml, e.g. file = \"districts.geojson\""));
    }
    let full = dir.join(name);
    if !full.is_file() {
        return Err(at(format!("there is no map file \"{}\" in {}", name.display(), dir.display()))
            .help("check the file name, or remove the [map] section to build without maps"));
    }
    // data/<year>/ → the project root.
    let project = dir.parent().and_then(Path::parent).unwrap_or(dir);
    if let (Ok(real), Ok(project)) = (full.canonicalize(), project.canonicalize())
        && !real.starts_with(&project)
    {
        return Err(at(format!("the map file \"{}\" is a symbolic link to a place outside the project", name.display()))
            .help("copy the GeoJSON into the edition's folder instead of linking to it"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "year = 2020\nstatus = \"published\"\n";
    const TAIL: &str = "[title]\nzh = \"报告\"\nen = \"Report\"\n";

    fn read(publication: &str) -> Result<EditionFile, Diagnostic> {
        let text = format!("{HEAD}{publication}{TAIL}");
        read_edition_file(Path::new("data/2020/edition.toml"), &text, 2020)
    }

    #[test]
    fn publication_keys_are_optional_and_read_when_given() {
        let p = read("").unwrap().publication();
        assert_eq!(p, Publication::default());
        let p = read(
            "published = \"2020-12\"\ncontact = \"a@b.org\"\nlicence = { name = \"CC BY 4.0\", url = \"https://creativecommons.org/licenses/by/4.0/\" }\ncite = { zh = \"甲\", en = \"A\" }\n",
        )
        .unwrap()
        .publication();
        assert_eq!(p.date.as_deref(), Some("2020-12"));
        assert_eq!(p.contact.as_deref(), Some("a@b.org"));
        assert_eq!(p.licence.unwrap().url.as_deref(), Some("https://creativecommons.org/licenses/by/4.0/"));
        assert_eq!(p.cite.unwrap().en, "A");
        assert!(read("contact = \"https://example.org/contact\"\n").is_ok());
    }

    #[test]
    fn bad_publication_keys_are_named_at_their_line() {
        for (line, wrong) in [
            ("published = \"December 2020\"\n", "not a date"),
            ("published = \"2020-13\"\n", "not a date"),
            ("contact = \"call us\"\n", "neither an e-mail address nor a web address"),
            ("licence = { name = \"X\", url = \"creativecommons.org\" }\n", "not a web address"),
            ("licence = { name = \" \" }\n", "empty name"),
            ("cite = { zh = \"甲\", en = \"\" }\n", "both languages"),
        ] {
            let d = read(line).expect_err(line);
            assert!(d.message.contains(wrong), "{line}: {}", d.message);
            assert_eq!(d.line, Some(3), "{line}: {d:?}");
            assert!(d.help.is_some(), "{line}");
        }
        // An unknown key in the licence is a TOML error at its place too.
        let d = read("licence = { name = \"X\", link = \"https://x.org\" }\n").unwrap_err();
        assert_eq!(d.line, Some(3), "{d:?}");
    }
}
