//! `data/<year>/values.csv`: one row per district × leaf indicator.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Districts, IndicatorKind, IndicatorTree, LeafValues};


/// Reads the values and checks them against the tree and districts: every leaf has exactly one
/// finite number per district, nothing else is given. All problems are reported at once.
pub fn read_values(path: &Path, text: &str, tree: &IndicatorTree, districts: &Districts) -> Result<LeafValues, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(path, e).into()),
    };
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(ci_d), Some(ci_i), Some(ci_v)) = (col("district"), col("indicator"), col("value")) else {
        let got: Vec<&str> = headers.iter().collect();
        return Err(Diagnostic::new(path, format!("the header must have the columns district, indicator, value; found: {}", got.join(", ")))
            .at_line(1)
            .help("make the first line `district,indicator,value` (extra columns such as source or note may follow)")
            .into());
    };

    let district_ids: Vec<&str> = districts.districts.iter().map(|d| d.id.as_str()).collect();
    let leaf_ids: Vec<&str> = tree.leaves().map(|(_, n)| n.id.as_str()).collect();
    let mut by_node: HashMap<usize, Vec<Option<f64>>> =
        tree.leaves().map(|(i, _)| (i, vec![None; districts.districts.len()])).collect();
    let mut first_line: HashMap<(usize, usize), u64> = HashMap::new();

    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(path, e));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0) as usize;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let (d_id, i_id, raw) = (field(ci_d), field(ci_i), field(ci_v));
        if d_id.is_empty() && i_id.is_empty() && raw.is_empty() {
            continue; // a blank row, as spreadsheets leave at the end
        }
        let at = |column: usize, msg: String| Diagnostic::new(path, msg).at(line, column + 1);

        let d = match districts.index_of(d_id) {
            Some(d) => Some(d),
            None => {
                let mut diag = at(ci_d, format!("unknown district \"{d_id}\""));
                diag = match did_you_mean(d_id, district_ids.iter().copied()) {
                    Some(s) => diag.help(format!("did you mean \"{s}\"?")),
                    None => diag.help("use a district id from districts.toml"),
                };
                diags.push(diag);
                None
            }
        };
        let node = match tree.index_of(i_id) {
            Some(n) if tree.nodes[n].is_leaf() => Some(n),
            Some(_) => {
                diags.push(at(ci_i, format!("\"{i_id}\" is computed from the indicators below it; it takes no values"))
                    .help("give values only for leaf indicators; remove this row"));
                None
            }
            None => {
                let mut diag = at(ci_i, format!("unknown indicator \"{i_id}\""));
                diag = match did_you_mean(i_id, leaf_ids.iter().copied()) {
                    Some(s) => diag.help(format!("did you mean \"{s}\"?")),
                    None => diag.help("use a leaf indicator id from indicators.toml"),
                };
                diags.push(diag);
                None
            }
        };
        let value = match parse_value(raw) {
            Ok(v) => Some(v),
            Err(why) => {
                diags.push(at(ci_v, format!("value \"{raw}\" for {d_id} / {i_id} {why}"))
                    .help("write a plain decimal number such as 103.5 (no units, no thousands separators)"));
                None
            }
        };
        let (Some(d), Some(node)) = (d, node) else { continue };
        if let Some(&prev) = first_line.get(&(node, d)) {
            diags.push(at(ci_d, format!("a second value for {d_id} / {i_id} (the first is on line {prev})"))
                .help("keep one row per district and indicator"));
            continue;
        }
        first_line.insert((node, d), line as u64);
        let Some(value) = value else { continue };
        let ind = &tree.nodes[node];
        if let (IndicatorKind::Coefficient, Some((lo, hi))) = (ind.kind, ind.coefficient_range) {
            if value < lo || value > hi {
                diags.push(at(ci_v, format!("coefficient {i_id} = {value} for {d_id} is outside its range [{lo}, {hi}]"))
                    .help("check the value (a percentage instead of a factor?), or widen `range` in indicators.toml"));
            }
        }
        by_node.get_mut(&node).unwrap()[d] = Some(value);
    }

    // Missing values: refused, never re-weighted silently.
    for (n, ind) in tree.leaves() {
        let slots = &by_node[&n];
        let missing: Vec<&str> =
            slots.iter().enumerate().filter(|(d, v)| v.is_none() && !first_line.contains_key(&(n, *d))).map(|(d, _)| district_ids[d]).collect();
        if missing.is_empty() {
            continue;
        }
        let who = if missing.len() == district_ids.len() { "any district".to_string() } else { missing.join(", ") };
        diags.push(Diagnostic::new(path, format!("no value for indicator \"{}\" for {who}", ind.id))
            .help(format!("add a row `<district>,{},<value>` for each; missing values are not imputed", ind.id)));
    }

    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(LeafValues {
        by_node: by_node.into_iter().map(|(n, v)| (n, v.into_iter().map(|x| x.unwrap()).collect())).collect(),
    })
}

fn parse_value(raw: &str) -> Result<f64, &'static str> {
    if raw.is_empty() {
        return Err("is empty");
    }
    let v: f64 = raw.parse().map_err(|_| "is not a number")?;
    if v.is_nan() {
        return Err("is NaN (not a number)");
    }
    if v.is_infinite() {
        return Err("is infinite");
    }
    Ok(v)
}

fn csv_error(path: &Path, e: csv::Error) -> Diagnostic {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    let d = Diagnostic::new(path, message).help("every row needs the same columns as the header; quote fields that contain commas");
    match line {
        Some(l) => d.at_line(l),
        None => d,
    }
}
