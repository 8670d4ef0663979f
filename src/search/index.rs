//! The index of one language: documents (pages), their passages, and an inverted index from
//! every term to the passages containing it, written as a script file that `assets/search.js`
//! loads with a `<script>` element (which, unlike `fetch`, works from `file://`).
//!
//! Layout (all arrays, to keep the file small; numbers are indices into the arrays before):
//!
//! ```text
//! (window.cityreportSearch = window.cityreportSearch || {}).zh = {
//!   "version": 1,
//!   "years": [2021, 2020],                   // editions, newest first
//!   "docs": [[path, title, chapter, year, value|null, [name keys]], …],
//!   "passages": [[doc, field, anchor|null, text], …],   // field: 0 name … 4 body
//!   "terms": {"政务": [p, Δp, Δp, …], …}     // passage numbers, ascending, as differences
//! }
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use super::entities::Entity;
use super::extract::{Field, PageText};
use super::tokenize::{name_key, terms};

/// Bump when the layout changes: the script refuses an index it does not understand.
pub const VERSION: u32 = 1;

/// A page to index.
pub struct PageInput<'a> {
    pub path: &'a str,
    pub year: u16,
    pub text: PageText,
    pub entity: Option<&'a Entity>,
}

#[derive(Serialize)]
struct Doc<'a>(&'a str, String, String, u16, Option<&'a str>, Vec<String>);

#[derive(Serialize)]
struct PassageOut(u32, u8, Option<String>, String);

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    years: Vec<u16>,
    docs: Vec<Doc<'a>>,
    passages: Vec<PassageOut>,
    terms: BTreeMap<String, Vec<u32>>,
}

/// Builds the index of `pages` (in the order given, which is the order of equal-scoring
/// results) and returns the script file.
pub fn index_script(lang: &str, pages: Vec<PageInput>) -> String {
    // Year 0: pages of no edition (the plans), found under "all editions" only.
    let mut years: Vec<u16> = pages.iter().map(|p| p.year).filter(|&y| y > 0).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut docs = Vec::new();
    let mut passages: Vec<PassageOut> = Vec::new();
    let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (d, page) in pages.into_iter().enumerate() {
        let d = d as u32;
        let mut texts: Vec<(Field, Option<String>, String)> = Vec::new();
        if let Some(e) = page.entity {
            texts.push((Field::Name, None, e.names.join(" · ")));
        }
        for p in page.text.passages {
            // The same words again under the same kind of place add nothing to find or rank.
            if !texts.iter().any(|(f, _, t)| *f == p.field && *t == p.text) {
                texts.push((p.field, p.anchor, p.text));
            }
        }
        for (field, anchor, text) in texts {
            let id = passages.len() as u32;
            let mut seen: Vec<String> = terms(&text);
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                postings.entry(t).or_default().push(id);
            }
            passages.push(PassageOut(d, field as u8, anchor, text));
        }
        let keys = page.entity.map(|e| e.names.iter().map(|n| name_key(n)).collect()).unwrap_or_default();
        docs.push(Doc(page.path, page.text.title, page.text.chapter, page.year, page.entity.map(|e| e.value.as_str()), keys));
    }
    // Passage numbers ascend in each list (passages are numbered in the order they are read).
    for list in postings.values_mut() {
        for k in (1..list.len()).rev() {
            list[k] -= list[k - 1];
        }
    }
    let out = Out { version: VERSION, years, docs, passages, terms: postings };
    // `<` only occurs inside strings: escaped, no text from the pages (say a district named
    // "</script>") can end a script element should the index ever be inlined into a page.
    let json = serde_json::to_string(&out).expect("plain data serialises").replace('<', "\\u003c");
    format!(
        "/* Search index of the {lang} pages, made by cityreport from the rendered site; loaded by assets/search.js. */\n\
         (window.cityreportSearch = window.cityreportSearch || {{}})[{lang:?}] = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::extract::Passage;

    fn page(path: &'static str, year: u16, title: &str, body: &str) -> PageInput<'static> {
        let passages = vec![
            Passage { field: Field::Title, anchor: None, text: title.into() },
            Passage { field: Field::Body, anchor: Some("s1".into()), text: body.into() },
        ];
        PageInput { path, year, text: PageText { title: title.into(), chapter: "Ch".into(), passages }, entity: None }
    }

    fn parse(script: &str) -> serde_json::Value {
        let start = script.find("= {").unwrap() + 2;
        serde_json::from_str(script[start..].trim_end().trim_end_matches(';')).unwrap()
    }

    /// Decodes the difference lists back into passage numbers.
    fn postings(index: &serde_json::Value, term: &str) -> Vec<u64> {
        let mut at = 0;
        index["terms"][term].as_array().map(|l| l.iter().map(|d| { at += d.as_u64().unwrap(); at }).collect()).unwrap_or_default()
    }

    #[test]
    fn every_term_leads_to_the_passages_that_contain_it() {
        let entity = Entity { names: vec!["浦东".into(), "浦东新区".into(), "Pudong".into()], value: "83.17".into() };
        let mut pages = vec![page("2020/zh/a.html", 2020, "总体", "浦东新区领先，徐汇其次。"), page("2021/zh/b.html", 2021, "浦东", "5G 基站")];
        pages[1].entity = Some(&entity);
        let index = parse(&index_script("zh", pages));
        assert_eq!(index["years"], serde_json::json!([2021, 2020]));
        let passages = index["passages"].as_array().unwrap();
        // Cross-check against the passages' own text rather than a hand-made list.
        for term in ["浦东", "徐汇", "5g", "新区", "pudong"] {
            let expected: Vec<u64> = (0..passages.len() as u64)
                .filter(|&p| terms(passages[p as usize][3].as_str().unwrap()).contains(&term.to_string()))
                .collect();
            assert!(!expected.is_empty(), "{term}");
            assert_eq!(postings(&index, term), expected, "{term}");
        }
        assert_eq!(index["docs"][1][4], "83.17");
        assert_eq!(index["docs"][1][5], serde_json::json!(["浦东", "浦东新区", "pudong"]));
        assert_eq!(passages[2][1], Field::Name as u8);
    }

    #[test]
    fn markup_in_the_text_stays_inert() {
        let script = index_script("en", vec![page("2020/en/a.html", 2020, "A <b> name", "</script><script>alert(1)</script>")]);
        assert!(!script.contains('<'), "{script}");
        assert_eq!(parse(&script)["passages"][1][3], "</script><script>alert(1)</script>");
    }

    #[test]
    fn same_pages_same_bytes() {
        let make = || index_script("en", vec![page("2020/en/a.html", 2020, "Fixed broadband", "Speeds rose in 2020.")]);
        assert_eq!(make(), make());
    }
}
