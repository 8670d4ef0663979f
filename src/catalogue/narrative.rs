//! Which narrative files the pages show: `content/<year>/<lang>/<key>.md` for each key below.
//! The load stage refuses any other file, which would otherwise be silently left out.

use crate::model::{IndicatorKind, IndicatorTree};

/// Every narrative key a page of an edition with this indicator tree looks up (see the
/// `v.narrative(…)` calls in this folder and docs/writing.md), in page order.
pub fn narrative_keys(tree: &IndicatorTree) -> Vec<String> {
    let mut keys: Vec<String> =
        ["_index", "front", "method", "overall/_index", "overall/overall", "regional/_index", "districts", "data"].map(String::from).into();
    let root = &tree.nodes[0];
    for &c in &root.children {
        if tree.nodes[c].kind == IndicatorKind::Index {
            keys.push(format!("overall/{}", tree.nodes[c].id));
        }
    }
    keys.push(format!("regional/{}", root.id));
    keys.extend(super::section_nodes(tree).into_iter().map(|i| format!("regional/{}", tree.nodes[i].id)));
    keys
}
