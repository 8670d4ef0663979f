//! The `[uncertainty]` table of edition.toml: how the rank uncertainty and sensitivity analysis
//! is run. Parsed with the rest of edition.toml; checked here, once the indicator tree is known,
//! with every error placed at the offending line.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::model::{Aggregation, IndicatorTree, NormalisationChoice, UncertaintySettings};

/// Fewer runs make the 5th and 95th percentiles meaningless.
const MIN_RUNS: u32 = 100;
/// More runs than this gain nothing visible and only slow the build.
const MAX_RUNS: u32 = 10_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyFile {
    runs: Spanned<u32>,
    seed: u64,
    weight_spread: Spanned<f64>,
    normalisation: Option<Spanned<Vec<NormalisationChoice>>>,
    aggregation: Option<Spanned<Vec<Aggregation>>>,
    levels: Option<Spanned<Vec<Spanned<usize>>>>,
    sensitivity_samples: Option<Spanned<u32>>,
}

/// Checks the table and turns it into settings. `text` is edition.toml's contents, for lines.
pub fn read_uncertainty(
    path: &Path,
    text: &str,
    file: &UncertaintyFile,
    tree: &IndicatorTree,
) -> Result<UncertaintySettings, Diagnostic> {
    let at = |span: std::ops::Range<usize>, message: String, help: &str| {
        Diagnostic::new(path, format!("[uncertainty] {message}")).at_offset(text, span.start).help(help.to_string())
    };
    let runs_ok = |n: u32| (MIN_RUNS..=MAX_RUNS).contains(&n);
    if !runs_ok(*file.runs.get_ref()) {
        return Err(at(
            file.runs.span(),
            format!("runs = {} is outside {MIN_RUNS}–{MAX_RUNS}", file.runs.get_ref()),
            "use several thousand runs (10000 is usual) so the 5th and 95th percentile ranks are stable",
        ));
    }
    let spread = *file.weight_spread.get_ref();
    if !(0.0..1.0).contains(&spread) {
        return Err(at(
            file.weight_spread.span(),
            format!("weight_spread = {spread} must be at least 0 and below 1"),
            "0.25 lets every weight vary between 75 % and 125 % of its value; 0 keeps the weights fixed",
        ));
    }
    let normalisation = distinct(path, text, &file.normalisation, "normalisation", NormalisationChoice::Stated)?;
    let aggregation = distinct(path, text, &file.aggregation, "aggregation", Aggregation::Arithmetic)?;

    let depth = tree.nodes.iter().map(|n| n.level).max().unwrap_or(0);
    let levels = match &file.levels {
        None => vec![0, 1.min(depth)],
        Some(list) => {
            if list.get_ref().is_empty() {
                return Err(at(list.span(), "levels is empty".into(), "list the tree levels to analyse, e.g. levels = [0, 1]"));
            }
            for level in list.get_ref() {
                if *level.get_ref() > depth {
                    return Err(at(
                        level.span(),
                        format!("level {} does not exist: the indicator tree's deepest level is {depth}", level.get_ref()),
                        "0 is the overall index, 1 the first-level indices, and so on",
                    ));
                }
            }
            list.get_ref().iter().map(|l| *l.get_ref()).collect()
        }
    };
    let mut levels = levels;
    levels.sort_unstable();
    levels.dedup();

    let sensitivity_samples = match &file.sensitivity_samples {
        None => *file.runs.get_ref(),
        Some(n) if runs_ok(*n.get_ref()) => *n.get_ref(),
        Some(n) => {
            return Err(at(
                n.span(),
                format!("sensitivity_samples = {} is outside {MIN_RUNS}–{MAX_RUNS}", n.get_ref()),
                "leave it out to use the number of runs; the analysis evaluates the index (inputs + 2) times per sample",
            ));
        }
    };
    Ok(UncertaintySettings {
        runs: *file.runs.get_ref(),
        seed: file.seed,
        weight_spread: spread,
        normalisation,
        aggregation,
        levels,
        sensitivity_samples,
    })
}

/// A list of alternatives without repeats; `nominal` alone when the key is left out.
fn distinct<T: Copy + PartialEq + std::fmt::Debug>(
    path: &Path,
    text: &str,
    list: &Option<Spanned<Vec<T>>>,
    key: &str,
    nominal: T,
) -> Result<Vec<T>, Diagnostic> {
    let Some(list) = list else { return Ok(vec![nominal]) };
    let items = list.get_ref();
    let problem = if items.is_empty() {
        Some("is empty".to_string())
    } else {
        items.iter().enumerate().find(|(k, x)| items[..*k].contains(x)).map(|(_, x)| format!("lists {x:?} twice"))
    };
    match problem {
        None => Ok(items.clone()),
        Some(p) => Err(Diagnostic::new(path, format!("[uncertainty] {key} {p}"))
            .at_offset(text, list.span().start)
            .help(format!("list each alternative once; leave {key} out to keep the published method only"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::edition_file::read_edition_file;
    use crate::load::indicators::read_indicators;

    const HEAD: &str = "year = 2020\nstatus = \"draft\"\ntitle = { zh = \"t\", en = \"t\" }\n";
    const TREE: &str = r#"
[[indicator]]
id = "all"
name = { zh = "a", en = "a" }
[[indicator]]
id = "x"
parent = "all"
name = { zh = "x", en = "x" }
weight = 1
"#;

    fn settings(table: &str) -> Result<UncertaintySettings, Diagnostic> {
        let text = format!("{HEAD}{table}");
        let path = Path::new("data/2020/edition.toml");
        let file = read_edition_file(path, &text, 2020)?;
        let tree = read_indicators(Path::new("i.toml"), TREE).unwrap();
        read_uncertainty(path, &text, file.uncertainty.as_ref().unwrap(), &tree)
    }

    #[test]
    fn defaults_keep_the_published_method() {
        let s = settings("[uncertainty]\nruns = 1000\nseed = 7\nweight_spread = 0.25\n").unwrap();
        assert_eq!(s.normalisation, vec![NormalisationChoice::Stated]);
        assert_eq!(s.aggregation, vec![Aggregation::Arithmetic]);
        assert_eq!(s.levels, vec![0, 1]);
        assert_eq!(s.sensitivity_samples, 1000);
    }

    #[test]
    fn alternatives_and_levels_are_read() {
        let s = settings(
            "[uncertainty]\nruns = 500\nseed = 1\nweight_spread = 0\nnormalisation = [\"min_max\", \"stated\"]\naggregation = [\"geometric\", \"arithmetic\"]\nlevels = [1]\nsensitivity_samples = 200\n",
        )
        .unwrap();
        assert_eq!(s.normalisation, vec![NormalisationChoice::MinMax, NormalisationChoice::Stated]);
        assert_eq!(s.aggregation, vec![Aggregation::Geometric, Aggregation::Arithmetic]);
        assert_eq!((s.levels, s.sensitivity_samples, s.weight_spread), (vec![1], 200, 0.0));
    }

    /// Each bad table fails with a message naming the problem, on the line that holds it.
    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("runs = 5\nseed = 1\nweight_spread = 0.2\n", 5, "runs = 5"),
            ("runs = 1000\nseed = 1\nweight_spread = 1.5\n", 7, "weight_spread = 1.5"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\naggregation = [\"geometric\", \"geometric\"]\n", 8, "twice"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\nnormalisation = []\n", 8, "is empty"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\nlevels = [0, 3]\n", 8, "level 3 does not exist"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\naggregation = [\"harmonic\"]\n", 8, "harmonic"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\nsamples = 3\n", 8, "samples"),
            ("runs = 1000\nseed = 1\nweight_spread = 0.2\nsensitivity_samples = 2\n", 8, "sensitivity_samples = 2"),
        ];
        for (table, line, words) in cases {
            let e = settings(&format!("[uncertainty]\n{table}")).unwrap_err();
            assert_eq!(e.line, Some(line), "{table}: {e}");
            assert!(e.message.contains(words), "{table}: {e}");
            assert!(e.file.ends_with("edition.toml"));
        }
    }
}
