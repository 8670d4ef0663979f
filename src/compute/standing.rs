//! A district's strengths and weaknesses (issue 24), by one rule for every project, whatever its
//! number of districts. An indicator is a **strength** of a district when
//! 1. the district's published (rounded) score is above the published city mean, and
//! 2. the indicator tells districts apart: not every district has the same published score, and
//! 3. the district's published score is shared by at most half of the districts (a first place
//!    tied with most districts is not a lead).
//!
//! A **weakness** is the mirror image: below the city mean, under the same conditions 2 and 3.
//! Only leaf indicators that are indices count (coefficients multiply, they are not scores). The
//! profile lists at most [`SHOWN`] of each: strengths by rank, then by the larger lead over the
//! city; weaknesses by the lower rank, then by the larger gap. A district may have none.

use super::round_half_up;
use crate::model::{IndexResults, IndicatorKind, IndicatorTree};

/// How many strengths (and weaknesses) a profile lists at most.
pub const SHOWN: usize = 3;

/// A leaf indicator seen from one district: its rank and its gap to the city mean (both as
/// published, i.e. on rounded values).
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub node: usize,
    pub rank: u32,
    pub gap: f64,
}

/// A district's strengths and weaknesses under the rule above, at most [`SHOWN`] of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Standings {
    pub strengths: Vec<Standing>,
    pub weaknesses: Vec<Standing>,
}

/// Every district's strengths and weaknesses, in district order.
pub fn every_district(tree: &IndicatorTree, results: &IndexResults, districts: usize, precision: u8) -> Vec<Standings> {
    (0..districts)
        .map(|d| {
            let (strengths, weaknesses) = strengths_and_weaknesses(tree, results, d, precision);
            Standings { strengths, weaknesses }
        })
        .collect()
}

/// The district's strengths and weaknesses under the rule above, at most [`SHOWN`] of each.
pub fn strengths_and_weaknesses(
    tree: &IndicatorTree,
    results: &IndexResults,
    d: usize,
    precision: u8,
) -> (Vec<Standing>, Vec<Standing>) {
    let (mut strong, mut weak) = (Vec::new(), Vec::new());
    for (i, _) in tree.leaves().filter(|(_, n)| n.kind == IndicatorKind::Index) {
        let r = &results.nodes[i];
        let rounded: Vec<f64> = r.districts.iter().map(|&x| round_half_up(x, precision)).collect();
        let Some(&mine) = rounded.get(d) else { continue };
        let alike = rounded.iter().filter(|&&x| x == mine).count();
        if alike == rounded.len() || alike * 2 > rounded.len() {
            continue;
        }
        let gap = round_half_up(mine - round_half_up(r.city, precision), precision);
        let s = Standing { node: i, rank: r.rank[d], gap };
        if gap > 0.0 {
            strong.push(s);
        } else if gap < 0.0 {
            weak.push(s);
        }
    }
    let by_gap = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal);
    strong.sort_by(|a, b| a.rank.cmp(&b.rank).then(by_gap(b.gap, a.gap)).then(a.node.cmp(&b.node)));
    weak.sort_by(|a, b| b.rank.cmp(&a.rank).then(by_gap(a.gap, b.gap)).then(a.node.cmp(&b.node)));
    strong.truncate(SHOWN);
    weak.truncate(SHOWN);
    (strong, weak)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, NodeResult};

    fn tree(leaves: usize) -> IndicatorTree {
        let mut nodes = vec![Indicator::plain("root", None, 0)];
        for k in 0..leaves {
            nodes.push(Indicator::plain(&format!("l{k}"), Some("root"), 1));
        }
        nodes[0].children = (1..=leaves).collect();
        IndicatorTree::new(nodes)
    }

    fn node(values: &[f64]) -> NodeResult {
        let city = values.iter().sum::<f64>() / values.len() as f64;
        NodeResult {
            districts: values.to_vec(),
            city,
            regions: vec![city],
            rank: super::super::rank_competition(values, 2),
            region_rank: vec![1; values.len()],
        }
    }

    #[test]
    fn a_strength_is_above_the_city_and_not_shared_by_most() {
        let t = tree(4);
        let res = IndexResults {
            nodes: vec![
                node(&[50.0, 50.0, 50.0, 50.0, 50.0]),
                node(&[100.0, 100.0, 100.0, 100.0, 100.0]), // all alike: nobody's strength
                node(&[100.0, 100.0, 100.0, 90.0, 80.0]),   // first, tied with most
                node(&[70.0, 60.0, 50.0, 40.0, 30.0]),      // a real lead for 0, a lag for 4
                node(&[10.0, 20.0, 30.0, 40.0, 50.0]),      // last for 0
            ],
        };
        let (s, w) = strengths_and_weaknesses(&t, &res, 0, 2);
        assert_eq!(s.iter().map(|x| x.node).collect::<Vec<_>>(), vec![3]);
        assert_eq!(w.iter().map(|x| x.node).collect::<Vec<_>>(), vec![4]);
        assert!(s.iter().all(|x| x.gap > 0.0) && w.iter().all(|x| x.gap < 0.0));
        // The last district: no strength at all, and the weakness where it is not tied with most.
        let (s, w) = strengths_and_weaknesses(&t, &res, 4, 2);
        assert_eq!(s.iter().map(|x| x.node).collect::<Vec<_>>(), vec![4]);
        assert_eq!(w.iter().map(|x| x.node).collect::<Vec<_>>(), vec![3, 2]);
    }

    #[test]
    fn a_district_behind_on_everything_has_no_strength() {
        let t = tree(2);
        let res = IndexResults { nodes: vec![node(&[1.0, 2.0, 3.0]), node(&[5.0, 6.0, 1.0]), node(&[9.0, 8.0, 2.0])] };
        let (s, w) = strengths_and_weaknesses(&t, &res, 2, 2);
        assert!(s.is_empty());
        assert_eq!(w.len(), 2);
    }
}
