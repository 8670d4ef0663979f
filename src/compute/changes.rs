//! Changes between two editions: indicators are followed across years by id, or by
//! `continues = "<old id>"` when they were renamed; districts and regions by id.
//!
//! The same id wins over `continues`: `continues` names an id of *some* earlier edition (often
//! several years back), so an edition whose previous one already uses the indicator's own id must
//! be matched to that id, not to the older name (`cityreport new` drops `continues` for this reason,
//! but a hand-edited file may still carry it).

use std::collections::HashSet;

use crate::model::{Edition, EditionChanges, FrameworkChanges, IndexResults, IndicatorKind};

use super::rank::round_half_up;

/// For each current node, the previous edition's node it continues: the node with the same id,
/// or else the one its `continues` names.
pub fn match_indicators(previous: &Edition, current: &Edition) -> Vec<Option<usize>> {
    current
        .tree
        .nodes
        .iter()
        .map(|n| previous.tree.index_of(&n.id).or_else(|| n.continues.as_deref().and_then(|old| previous.tree.index_of(old))))
        .collect()
}

/// Compares the current edition with the previous one. Changes are taken between published
/// (rounded) values, so a change shown on the site is the difference of the two values shown.
pub fn compare_editions(
    previous: (&Edition, &IndexResults),
    current: (&Edition, &IndexResults),
) -> EditionChanges {
    let (pe, pr) = previous;
    let (ce, cr) = current;
    let matches = match_indicators(pe, ce);
    let district_map: Vec<Option<usize>> = ce.districts.districts.iter().map(|d| pe.districts.index_of(&d.id)).collect();
    let region_map: Vec<Option<usize>> = ce.districts.regions.iter().map(|r| pe.districts.region_index_of(&r.id)).collect();
    let round = |x: f64, p: u8| round_half_up(x, p);
    let precision = ce.precision.max(pe.precision);
    let delta = |now: f64, then: f64| round(round(now, ce.precision) - round(then, pe.precision), precision);

    let mut value_change = Vec::new();
    let mut rank_change = Vec::new();
    let mut city_change = Vec::new();
    let mut region_change = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        let now = &cr.nodes[i];
        match m {
            Some(p) => {
                let then = &pr.nodes[*p];
                value_change.push(district_map.iter().enumerate().map(|(d, pd)| pd.map(|pd| delta(now.districts[d], then.districts[pd]))).collect());
                rank_change.push(district_map.iter().enumerate().map(|(d, pd)| pd.map(|pd| then.rank[pd] as i32 - now.rank[d] as i32)).collect());
                city_change.push(Some(delta(now.city, then.city)));
                region_change.push(region_map.iter().enumerate().map(|(r, pr_)| pr_.map(|pr_| delta(now.regions[r], then.regions[pr_]))).collect());
            }
            None => {
                value_change.push(vec![None; district_map.len()]);
                rank_change.push(vec![None; district_map.len()]);
                city_change.push(None);
                region_change.push(vec![None; region_map.len()]);
            }
        }
    }
    EditionChanges {
        previous_year: pe.year,
        framework: framework_changes(pe, ce, &matches),
        previous_id: matches.iter().map(|m| m.map(|p| pe.tree.nodes[p].id.clone())).collect(),
        previous_node: matches,
        value_change,
        rank_change,
        city_change,
        region_change,
    }
}

fn framework_changes(previous: &Edition, current: &Edition, matches: &[Option<usize>]) -> FrameworkChanges {
    let mut fc = FrameworkChanges::default();
    let matched: HashSet<usize> = matches.iter().flatten().copied().collect();
    for (i, m) in matches.iter().enumerate() {
        let now = &current.tree.nodes[i];
        let Some(p) = *m else {
            fc.added.push(i);
            continue;
        };
        let then = &previous.tree.nodes[p];
        if then.id != now.id || then.name != now.name {
            fc.renamed.push((i, then.id.clone(), then.name.clone()));
        }
        let comparable_kind = then.kind == now.kind && now.kind == IndicatorKind::Index;
        if comparable_kind && (then.weight - now.weight).abs() > 1e-9 {
            fc.reweighted.push((i, then.weight_text.clone(), then.weight));
        }
        // Moved: the parent now is not the continuation of the parent then.
        let parent_now = current.tree.parent_of(i);
        let parent_then = previous.tree.parent_of(p);
        let parent_now_then = parent_now.and_then(|pn| matches[pn]);
        if let Some(pt) = parent_then
            && parent_now_then != Some(pt)
        {
            fc.moved.push((i, previous.tree.nodes[pt].id.clone()));
        }
    }
    for (p, node) in previous.tree.nodes.iter().enumerate() {
        if !matched.contains(&p) {
            fc.removed.push((node.id.clone(), node.name.clone()));
        }
    }
    fc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bilingual, Districts, Indicator, IndicatorTree, LeafValues, Status};

    fn node(id: &str, parent: Option<&str>, continues: Option<&str>) -> Indicator {
        Indicator { continues: continues.map(str::to_string), ..Indicator::plain(id, parent, usize::from(parent.is_some())) }
    }

    fn edition(year: u16, nodes: Vec<Indicator>) -> Edition {
        let mut nodes = nodes;
        let n = nodes.len();
        nodes[0].children = (1..n).collect();
        Edition {
            year,
            title: Bilingual::new("t", "t"),
            subtitle: None,
            publisher: None,
            publication: Default::default(),
            status: Status::Published,
            precision: 2,
            plans: Vec::new(),
            uncertainty: None,
            values_file: Default::default(),
            tree: IndicatorTree::new(nodes),
            districts: Districts::default(),
            values: LeafValues::default(),
            map: None,
            content: Vec::new(),
        }
    }

    #[test]
    fn the_same_id_wins_over_a_stale_continues() {
        // 2020 renamed network_readiness → infra; a 2021 file that still carries the 2020 line
        // `continues = "network_readiness"` must match 2020's infra, not be reported as new.
        let y2020 = edition(2020, vec![node("overall", None, None), node("infra", Some("overall"), Some("network_readiness"))]);
        let y2021 = edition(
            2021,
            vec![
                node("overall", None, None),
                node("infra", Some("overall"), Some("network_readiness")),
                node("basic", Some("overall"), Some("capacity")),
            ],
        );
        assert_eq!(match_indicators(&y2020, &y2021), [Some(0), Some(1), None]);
        // `continues` still follows a real rename when the id is not in the previous edition.
        let y2019 = edition(2019, vec![node("overall", None, None), node("network_readiness", Some("overall"), None)]);
        assert_eq!(match_indicators(&y2019, &y2020), [Some(0), Some(1)]);
    }
}
