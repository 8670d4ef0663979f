//! Small hand-built editions for the uncertainty tests.

use std::collections::HashMap;

use crate::model::*;

fn node(id: &str, parent: Option<&str>, weight: f64, level: usize, children: Vec<usize>) -> Indicator {
    Indicator { weight, weight_text: weight.to_string(), children, ..Indicator::plain(id, parent, level) }
}

/// Root "all" = weight_a × a + (1 − weight_a) × b; `values[d]` is district d's (a, b).
/// Districts are d0, d1, … in one region.
pub fn tiny_edition(values: &[[f64; 2]], weight_a: f64) -> Edition {
    let tree = IndicatorTree::new(vec![
        node("all", None, 1.0, 0, vec![1, 2]),
        node("a", Some("all"), weight_a, 1, vec![]),
        node("b", Some("all"), 1.0 - weight_a, 1, vec![]),
    ]);
    let districts = Districts {
        regions: vec![Region { id: "r".into(), name: Bilingual::new("r", "r") }],
        districts: (0..values.len())
            .map(|d| District {
                id: format!("d{d}"),
                name: Bilingual::new(format!("d{d}"), format!("d{d}")),
                full_name: Bilingual::new(format!("d{d}"), format!("d{d}")),
                region: 0,
                map_feature: format!("d{d}"),
            })
            .collect(),
    };
    let by_node: HashMap<usize, Vec<f64>> = [(1, values.iter().map(|v| v[0]).collect()), (2, values.iter().map(|v| v[1]).collect())].into();
    Edition {
        year: 2020,
        title: Bilingual::new("t", "t"),
        subtitle: None,
        publisher: None,
        publication: Default::default(),
        status: Status::Draft,
        precision: 2,
        tree,
        districts,
        values: LeafValues { by_node, ..Default::default() },
        map: None,
        content: Vec::new(),
        uncertainty: None,
        values_file: Default::default(),
        plans: Vec::new(),
    }
}

/// Published method only, every level, the given spread and runs.
pub fn settings(weight_spread: f64, runs: u32) -> UncertaintySettings {
    UncertaintySettings {
        runs,
        seed: 2020,
        weight_spread,
        normalisation: vec![NormalisationChoice::Stated],
        aggregation: vec![Aggregation::Arithmetic],
        levels: vec![0, 1],
        sensitivity_samples: runs,
    }
}

/// The demo edition of this repository, with its computed results.
pub fn demo() -> (Edition, IndexResults) {
    let project = crate::load::load_project(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the demo loads");
    let edition = project.editions.into_iter().find(|e| e.year == 2020).expect("the 2020 demo");
    let results = crate::compute::compute_edition(&edition).expect("the demo computes");
    (edition, results)
}
