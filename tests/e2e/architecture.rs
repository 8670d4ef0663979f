//! The code's shape, checked: data flows one way through the stages (docs/architecture.md), so no
//! module imports one that comes after it, and no two modules import each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules of `src/`, each allowed to use only those before it.
const STAGES: &[&str] = &[
    "progress", "diagnostic", "model", "i18n", "catalogue", "load", "output", "compute", "format", "chart", "figures", "downloads",
    "search", "site", "build", "archive", "scaffold", "serve",
];

/// Top-level module → the other top-level modules its files name as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for (pos, _) in text.match_indices("crate::") {
            let name: String = text[pos + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() && name != module {
                deps.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_module_is_placed_in_the_stage_order() {
    let graph = imports();
    for module in graph.keys() {
        assert!(STAGES.contains(&module.as_str()), "src/{module} is not in STAGES (tests/e2e/architecture.rs): place it where it belongs");
    }
}

#[test]
fn modules_only_use_the_stages_before_them() {
    let graph = imports();
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        for dep in deps {
            match (rank(module), rank(dep)) {
                (Some(a), Some(b)) if b > a => wrong.push(format!("{module} uses {dep}, which comes after it")),
                (_, None) => wrong.push(format!("{module} uses crate::{dep}, which is not a module of src/")),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_real_imports() {
    // Guards the test above against passing vacuously (e.g. a path change that reads no file).
    let graph = imports();
    assert!(graph["build"].contains("load") && graph["site"].contains("catalogue"), "{graph:?}");
    assert!(graph.len() >= 12, "{graph:?}");
}
