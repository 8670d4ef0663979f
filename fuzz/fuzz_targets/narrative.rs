//! Arbitrary text as a narrative page of the starter project: front matter, shortcodes expanded
//! against the computed starter edition, Markdown rendered. Any panic is a bug; the rendered
//! HTML must never carry a raw tag from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cityreport::model::Lang;
use cityreport::site::{markdown, shortcode};

fuzz_target!(|text: &str| {
    let Some(edition) = cityreport::load::fuzzing::starter_with_page(text) else { return };
    let Ok(results) = cityreport::compute::compute_edition(&edition) else { return };
    let scope = shortcode::Scope { edition: &edition, results: &results, lang: Lang::En, previous: None, city_name: "the city" };
    if let Ok(md) = shortcode::expand(&edition.content[0], &scope) {
        let html = markdown::to_html(&md);
        for tag in ["<script", "<style", "<iframe"] {
            assert!(!html.contains(tag), "raw {tag} in the output");
        }
    }
    // The Markdown renderer on the raw text too (shortcodes or not).
    let _ = markdown::to_html(text);
});
