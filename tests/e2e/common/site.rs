//! Shared fixtures and checks for the site tests: the demo project as loaded and computed by the
//! real stages, stand-in figures, and a checker for internal links and anchors; reading a site
//! built to disk and the tables our templates write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use cityreport::catalogue::{edition_figures, FigureKey};
use cityreport::model::{Edition, IndexResults, Lang};
use cityreport::output::SiteFiles;
use cityreport::site::{
    Download, EditionInput, Figure, PreviousValues, RenderOptions, TemplateSource, render_site,
};

/// The 2020 demo edition from the repository's `data/` and `content/`.
pub fn demo() -> (Edition, IndexResults) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = cityreport::load::load_project(root).unwrap_or_else(|d| panic!("demo project does not load: {d:?}"));
    let edition = project.editions.into_iter().find(|e| e.year == 2020).expect("2020 edition");
    let results = cityreport::compute::compute_edition(&edition).expect("demo computes");
    (edition, results)
}

/// City values of 2019 (from the 2020 report's stated changes), for `change(...)`.
pub fn previous_2019() -> PreviousValues {
    let mut values = BTreeMap::new();
    for (id, v) in [("overall", 105.86), ("infra", 118.75), ("app", 112.73), ("env", 100.37), ("cyber", 0.96)] {
        values.insert((id.to_string(), "city".to_string()), v);
    }
    PreviousValues { year: 2019, values }
}

/// A stand-in for every figure the chart stage makes (the whole catalogue of the edition).
pub fn fake_figures(edition: &Edition) -> HashMap<(Lang, FigureKey), Figure> {
    let mut out = HashMap::new();
    for lang in Lang::ALL {
        for key in edition_figures(edition, true) {
            let name = key.name(edition);
            let slug = name.replace(':', "-");
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 120\" role=\"img\" aria-labelledby=\"t-{slug}\"><title id=\"t-{slug}\">{name}</title><rect x=\"10\" y=\"10\" width=\"380\" height=\"100\" fill=\"#dde7f0\"/></svg>"
            );
            out.insert((lang, key), Figure { svg, png: Some(key.png_path(edition, lang)), narrow_svg: None, narrow_reuses_wide: false, compact: false });
        }
    }
    out
}

pub fn downloads(year: u16) -> Vec<Download> {
    ["indices.csv", "indices.json", "values.csv"]
        .iter()
        .map(|f| Download { path: format!("{year}/data/{f}"), bytes: Some(12_345) })
        .collect()
}

pub fn render(edition: &Edition, results: &IndexResults, opts: &RenderOptions) -> SiteFiles {
    try_render(edition, results, opts).unwrap_or_else(|e| panic!("render failed: {e}"))
}

pub fn try_render(
    edition: &Edition,
    results: &IndexResults,
    opts: &RenderOptions,
) -> Result<SiteFiles, cityreport::site::SiteError> {
    let figures = fake_figures(edition);
    let input = EditionInput {
        edition,
        results,
        figures: (&figures).into(),
        downloads: downloads(edition.year),
        previous: Some(previous_2019()),
        changes: None,
        previous_edition: None,
        history: Vec::new(),
        uncertainty: None,
        sensitivity: None,
    };
    render_site(&[input], &TemplateSource::builtin(), opts)
}

/// Files the pipeline writes next to the pages (figure PNGs, downloads), so that links to them
/// count as resolved.
pub fn with_pipeline_files(mut files: SiteFiles, edition: &Edition) -> SiteFiles {
    for ((_, _), f) in fake_figures(edition) {
        if let Some(png) = f.png {
            files.insert(png, b"png".to_vec());
        }
    }
    for d in downloads(edition.year) {
        files.insert(d.path, b"data".to_vec());
    }
    files
}

pub fn html(files: &SiteFiles, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("{path} missing")).to_vec()).unwrap()
}

/// Decodes the entities our escaping produces.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Values of attribute `name` in the HTML (double-quoted, as all our templates write them).
pub fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(unescape(&after[..end]));
        rest = &after[end..];
    }
    out
}

/// Joins a relative link to the page's folder, resolving `..`.
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every broken internal link or anchor in the site: relative `href`s and `src`s whose file does
/// not exist, and `#fragments` that name no `id` in their target. Absolute paths ("/x") count as
/// broken because they break the site under a sub-path and from `file://`.
pub fn broken_links(files: &SiteFiles) -> Vec<String> {
    let mut ids: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (path, bytes) in &files.files {
        if path.ends_with(".html") {
            ids.insert(path, attributes(std::str::from_utf8(bytes).unwrap(), "id").into_iter().collect());
        }
    }
    let mut broken = Vec::new();
    for (path, bytes) in &files.files {
        if !path.ends_with(".html") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        // The 404 page's links are meant to be resolved from the site root (see root.rs).
        if path == "404.html" {
            continue;
        }
        for link in attributes(text, "href").into_iter().chain(attributes(text, "src")) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            if link.starts_with('/') || link.is_empty() {
                broken.push(format!("{path}: absolute or empty link `{link}`"));
                continue;
            }
            let (file, anchor) = match link.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if file.is_empty() { path.clone() } else { resolve(path, file) };
            if files.get(&target).is_none() {
                broken.push(format!("{path}: `{link}` → {target} does not exist"));
                continue;
            }
            if let Some(a) = anchor
                && !ids.get(target.as_str()).is_some_and(|set| set.contains(a))
            {
                broken.push(format!("{path}: `{link}` → no id `{a}` in {target}"));
            }
        }
    }
    broken
}

// ---- reading a site built to disk, and the tables our templates write ----

/// One page of a site built to disk.
pub fn read_page(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file of a site built to disk, keyed by its `/`-separated path (for the link checker).
pub fn load_site_dir(site: &Path) -> SiteFiles {
    let mut files = SiteFiles::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(site).unwrap();
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            files.insert(key, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Each body row of the first table after `marker`, split into cells; a cell is kept from its
/// opening tag (so its class can be checked) to its closing tag.
pub fn table_rows(html: &str, marker: &str) -> Vec<Vec<String>> {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let body = start + html[start..].find("<tbody>").expect("table body");
    let end = body + html[body..].find("</tbody>").unwrap();
    html[body..end].split("<tr").skip(1).map(cells).collect()
}

/// Column headers (as text) of the first table after `marker`.
pub fn table_columns(html: &str, marker: &str) -> Vec<String> {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let head = start + html[start..].find("<thead>").expect("table head");
    let end = head + html[head..].find("</thead>").unwrap();
    cells(&html[head..end]).iter().map(|c| text(c)).collect()
}

fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(open) = [rest.find("<td"), rest.find("<th")].into_iter().flatten().min() {
        let close = if rest[open..].starts_with("<td") { "</td>" } else { "</th>" };
        let end = open + rest[open..].find(close).unwrap();
        out.push(rest[open..end].to_string());
        rest = &rest[end + close.len()..];
    }
    out
}

/// Text of a piece of HTML — what is shown and what screen readers read — with tags and inline
/// SVG removed and entities decoded.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let (mut in_svg, mut in_tag) = (false, false);
    let mut tag = String::new();
    for ch in html.chars() {
        match ch {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                if tag.starts_with("svg") {
                    in_svg = true;
                } else if tag.starts_with("/svg") {
                    in_svg = false;
                }
            }
            c if in_tag => tag.push(c),
            c if !in_svg => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}
