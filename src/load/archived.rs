//! Editions from before the tool: `data/<year>/edition.toml` with `status = "archived"` and
//! nothing else required. What is known of such an edition — title, publisher, date, headline
//! figures, the original file — is optional; the pages say "not known" where a field is missing
//! rather than guess.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{ArchivedEdition, Attachment, Bilingual, HistoryPoint};

use super::content::read_content;
use super::toml_file::parse_toml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchivedFile {
    year: Spanned<u16>,
    #[allow(dead_code)]
    status: String,
    title: Option<Bilingual>,
    series: Option<Bilingual>,
    publisher: Option<Bilingual>,
    published: Option<Spanned<String>>,
    plans: Option<Spanned<Vec<String>>>,
    #[serde(default, rename = "figure")]
    figures: Vec<FigureEntry>,
    #[serde(default, rename = "attachment")]
    attachments: Vec<Spanned<AttachmentEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureEntry {
    indicator: String,
    name: Bilingual,
    value: Spanned<f64>,
    basis: Bilingual,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentEntry {
    file: String,
    label: Bilingual,
}

/// Whether an edition.toml describes an archived edition (`status = "archived"`). Anything that
/// does not parse is left to the full edition reader, which reports it.
pub fn is_archived(text: &str) -> bool {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("status").and_then(|s| s.as_str().map(|s| s == "archived")))
        .unwrap_or(false)
}

/// "2017", "2017-06" or "2017-06-15", with a real month and day.
pub(super) fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)),
        [y, m, d] if num(y, 4) && num(m, 2) && num(d, 2) => {
            // A day the month has: "2024-02-30" reached the pages' JSON-LD as a date.
            let (year, month, day) = (y.parse::<u32>().unwrap_or(0), m.parse::<u8>().unwrap_or(0), d.parse::<u8>().unwrap_or(0));
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => 0,
            };
            (1..=days).contains(&day)
        }
        _ => false,
    }
}

/// Reads an archived edition: its edition.toml, attachments next to it and the optional
/// summary `content/<year>/<lang>/_index.md`. `history` supplies headline figures of the year
/// that the edition.toml does not list itself.
pub fn read_archived(
    root: &Path,
    folder_year: u16,
    text: &str,
    history: &[HistoryPoint],
    plan_ids: &[String],
) -> Result<ArchivedEdition, Diagnostics> {
    let dir = root.join("data").join(folder_year.to_string());
    let path = dir.join("edition.toml");
    let file: ArchivedFile = parse_toml(&path, text)?;
    let mut diags = Diagnostics::default();
    if *file.year.get_ref() != folder_year {
        diags.push(
            Diagnostic::new(&path, format!("year = {} but the edition's folder is {folder_year}", file.year.get_ref()))
                .at_offset(text, file.year.span().start)
                .help("make the year in edition.toml match the folder name under data/"),
        );
    }
    if let Some(p) = &file.published
        && !valid_date(p.get_ref())
    {
        diags.push(
            Diagnostic::new(&path, format!("published = \"{}\" is not a date", p.get_ref()))
                .at_offset(text, p.span().start)
                .help("write as much of the date as is known: \"2017\", \"2017-06\" or \"2017-06-15\"; leave it out when it is not known"),
        );
    }
    let mut figures: Vec<HistoryPoint> = Vec::new();
    for f in &file.figures {
        // TOML reads nan and inf; the same bound as history.csv.
        let value = *f.value.get_ref();
        if !(value.is_finite() && value.abs() < 1e15) {
            diags.push(
                Diagnostic::new(&path, format!("the figure of {} is {value}, not a number a report can print", f.indicator))
                    .at_offset(text, f.value.span().start)
                    .help("write the figure as the report printed it, e.g. value = 96.5"),
            );
            continue;
        }
        figures.push(HistoryPoint {
            year: folder_year,
            indicator: f.indicator.clone(),
            name: Some(f.name.clone()),
            value,
            value_text: value.to_string(),
            basis: f.basis.clone(),
            line: 0,
            derived: false,
        });
    }
    for h in history.iter().filter(|h| h.year == folder_year) {
        if figures.iter().any(|f| f.indicator == h.indicator) {
            diags.push(
                Diagnostic::new(&path, format!("the figure \"{}\" of {folder_year} is given here and in data/history.csv", h.indicator))
                    .help("keep it in one place: history.csv feeds the history tables and charts too"),
            );
            continue;
        }
        figures.push(h.clone());
    }
    let mut attachments = Vec::new();
    for a in &file.attachments {
        let at = a.span().start;
        let a = a.get_ref();
        let plain = !a.file.is_empty() && !a.file.contains(['/', '\\']) && !a.file.starts_with('.');
        if !plain {
            diags.push(
                Diagnostic::new(&path, format!("attachment \"{}\" must be a file name in data/{folder_year}/", a.file))
                    .at_offset(text, at)
                    .help("put the file next to edition.toml and give its name alone"),
            );
            continue;
        }
        // Through read_inside: an attachment linked to /etc/passwd was copied into the site.
        match super::read_inside(&dir.join(&a.file), root) {
            Ok(bytes) => attachments.push(Attachment { file: a.file.clone(), label: a.label.clone(), bytes }),
            Err(e) => diags.push(
                Diagnostic::new(&path, format!("cannot read the attachment data/{folder_year}/{}: {}", a.file, e.message))
                    .at_offset(text, at)
                    .help("put the file next to edition.toml, or remove the [[attachment]] block"),
            ),
        }
    }
    let content_dir = root.join("content").join(folder_year.to_string());
    let summary = if content_dir.is_dir() {
        match read_content(&content_dir) {
            Ok(pages) => {
                for p in pages.iter().filter(|p| p.key != "_index") {
                    diags.push(
                        Diagnostic::new(&p.file, "an archived edition has only a summary page")
                            .help("keep content/<year>/<lang>/_index.md and remove the other files, or make the edition a full one"),
                    );
                }
                // Shortcodes need an edition's data, which an archived one has not: they were
                // printed as typed. Refused at their place instead.
                for p in pages.iter().filter(|p| p.key == "_index") {
                    if let Some(offset) = p.body.find("{{") {
                        let (line, column) = crate::diagnostic::line_column(&p.body, offset);
                        diags.push(
                            Diagnostic::new(&p.file, "an archived edition's summary cannot use shortcodes: it has no data for them to show")
                                .at(p.body_line + line - 1, column)
                                .help("write the figure or name as plain text (the edition's figures are in data/history.csv)"),
                        );
                    }
                }
                pages.into_iter().filter(|p| p.key == "_index").collect()
            }
            Err(d) => {
                diags.extend(d);
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    if let Some(plans) = &file.plans {
        for id in plans.get_ref().iter().filter(|id| !plan_ids.contains(id)) {
            diags.push(unknown_plan(&path, text, plans.span().start, id, plan_ids));
        }
    }
    let edition = ArchivedEdition {
        year: folder_year,
        title: file.title,
        series: file.series,
        publisher: file.publisher,
        published: file.published.map(|p| p.into_inner()),
        figures,
        plans: file.plans.map(|p| p.into_inner()).unwrap_or_default(),
        attachments,
        summary,
    };
    diags.into_result(edition)
}

/// `plans = ["…"]` names a plan that is not under data/plans/.
pub fn unknown_plan(path: &Path, text: &str, offset: usize, id: &str, plan_ids: &[String]) -> Diagnostic {
    let known = if plan_ids.is_empty() { "there are none yet".to_string() } else { format!("the plans are: {}", plan_ids.join(", ")) };
    Diagnostic::new(path, format!("plan \"{id}\" does not exist"))
        .at_offset(text, offset)
        .help(format!("plans = [...] names folders under data/plans/ that hold a plan.toml; {known}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_far_as_known() {
        assert!(valid_date("2017") && valid_date("2017-06") && valid_date("2017-06-15"));
        assert!(!valid_date("2017-13") && !valid_date("June 2017") && !valid_date("17-06"));
        assert!(!valid_date("2024-02-30") && !valid_date("2023-02-29") && !valid_date("2024-04-31") && !valid_date("2024-01-00"));
        assert!(valid_date("2024-02-29") && valid_date("2000-02-29") && !valid_date("1900-02-29") && valid_date("2024-12-31"));
    }

    #[test]
    fn an_archived_edition_needs_only_year_and_status() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("data/2016")).unwrap();
        let text = "year = 2016\nstatus = \"archived\"\n";
        assert!(is_archived(text) && !is_archived("year = 2016\nstatus = \"draft\"\n"));
        let history = [HistoryPoint { year: 2016, indicator: "overall".into(), name: None, value: 96.0, value_text: "96.0".into(), basis: Bilingual::new("甲", "a"), line: 2, derived: false }];
        let e = read_archived(tmp.path(), 2016, text, &history, &[]).unwrap();
        assert_eq!((e.title, e.published, e.figures.len()), (None, None, 1));
        let err = read_archived(tmp.path(), 2016, "year = 2016\nstatus = \"archived\"\npublished = \"June\"\n", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("edition.toml:3:"), "{err}");
        let err = read_archived(tmp.path(), 2016, "year = 2016\nstatus = \"archived\"\n[[attachment]]\nfile = \"r.pdf\"\nlabel = { zh = \"原文\", en = \"Original\" }\n", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("edition.toml:3:") && err.to_string().contains("r.pdf"), "{err}");
        // A headline figure of nan is refused on its line.
        let err = read_archived(tmp.path(), 2016, "year = 2016\nstatus = \"archived\"\n[[figure]]\nindicator = \"overall\"\nname = { zh = \"甲\", en = \"A\" }\nvalue = nan\nbasis = { zh = \"甲\", en = \"a\" }\n", &[], &[]).unwrap_err().to_string();
        assert!(err.contains("edition.toml:6:") && err.contains("overall is NaN") && err.contains("help:"), "{err}");
        // A shortcode in the summary is refused at its line, not printed as typed.
        std::fs::create_dir_all(tmp.path().join("content/2016/en")).unwrap();
        std::fs::write(tmp.path().join("content/2016/en/_index.md"), "+++\ntitle = \"x\"\n+++\n\nThe index was {{ value(indicator=\"overall\") }}.\n").unwrap();
        let err = read_archived(tmp.path(), 2016, text, &history, &[]).unwrap_err().to_string();
        assert!(err.contains("_index.md:5:15") && err.contains("cannot use shortcodes") && err.contains("help:"), "{err}");
        std::fs::remove_dir_all(tmp.path().join("content")).unwrap();
        // An attachment linked outside the project is refused, not copied into the site.
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
            std::os::unix::fs::symlink(outside.path().join("passwd"), tmp.path().join("data/2016/r.pdf")).unwrap();
            let err = read_archived(tmp.path(), 2016, "year = 2016\nstatus = \"archived\"\n[[attachment]]\nfile = \"r.pdf\"\nlabel = { zh = \"原文\", en = \"Original\" }\n", &[], &[]).unwrap_err();
            assert!(err.to_string().contains("edition.toml:3:") && err.to_string().contains("outside the project"), "{err}");
        }
    }
}
