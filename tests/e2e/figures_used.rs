//! No figure is written that no page shows, and every figure a page links exists (issue 12): the
//! catalogue (`catalogue::edition_figures`) and the pages agree, in the demo built by the real
//! pipeline.

use crate::common;
use crate::common::site as site_common;

use std::collections::BTreeSet;

use site_common::{attributes, resolve};

#[test]
fn every_figure_file_is_used_by_a_page_and_every_used_one_exists() {
    let site = common::shared::demo_site();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        for link in attributes(html, "href").into_iter().chain(attributes(html, "src")).chain(attributes(html, "content")) {
            if link.contains("://") || link.starts_with('#') || link.starts_with("data:") {
                continue;
            }
            let target = resolve(path, link.split(['#', '?']).next().unwrap_or(""));
            if target.contains("/figures/") {
                used.insert(target);
            }
        }
    }
    let written: BTreeSet<String> = site.files.keys().filter(|k| k.contains("/figures/")).cloned().collect();
    assert!(written.len() > 100, "the demo writes its figures ({} found)", written.len());
    let orphans: Vec<&String> = written.difference(&used).collect();
    assert!(orphans.is_empty(), "{} figure files no page uses: {orphans:?}", orphans.len());
    let missing: Vec<&String> = used.difference(&written).collect();
    assert!(missing.is_empty(), "pages link figure files that were not written: {missing:?}");
}
