//! The values table: one row per district × leaf indicator, in any of the [`FORMATS`]. Each
//! format's reader turns its file into [`RawRow`]s; the checks against the tree and the districts
//! are the same for all of them.

mod csv_file;
mod xlsx_file;

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Districts, IndicatorKind, IndicatorTree, LeafValues};

/// A reader: the file's path (for messages), its bytes, and where each row goes.
pub(crate) type ReadRows = fn(&Path, &[u8], &mut dyn FnMut(RawRow)) -> Result<(), Diagnostics>;

/// A file format the values table may be given in.
pub(crate) struct ValuesFormat {
    /// The file's name in `data/<year>/`.
    pub file: &'static str,
    /// Reads the file's rows (cells as text, trimmed) into the sink, one by one; reports
    /// unreadable files and rows.
    pub read: ReadRows,
}

/// Every format, in the order they are looked for. To add one: a reader beside `csv_file` and a
/// line here.
pub(crate) const FORMATS: &[ValuesFormat] = &[
    ValuesFormat { file: "values.csv", read: csv_file::read_rows },
    ValuesFormat { file: "values.xlsx", read: xlsx_file::read_rows },
];

/// One row of the values table as its file gives it, with where each cell is (1-based line and
/// column; for a workbook, row and column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    /// The worksheet the row is on, for a workbook: messages then name the sheet and the cell
    /// (`sheet values, cell C12`), which is how a spreadsheet user finds it.
    pub sheet: Option<String>,
    pub line: usize,
    pub district: (usize, String),
    pub indicator: (usize, String),
    pub value: (usize, String),
}

/// Checks the rows against the tree and districts, row by row as a reader gives them (so that a
/// huge file is never held as rows): every leaf has exactly one finite number per district,
/// nothing else is given. All problems are reported at once, at [`finish`](Self::finish).
pub(crate) struct ValuesCheck<'a> {
    path: &'a Path,
    tree: &'a IndicatorTree,
    districts: &'a Districts,
    diags: Diagnostics,
    district_ids: Vec<&'a str>,
    leaf_ids: Vec<&'a str>,
    by_node: HashMap<usize, Vec<Option<f64>>>,
    first_line: HashMap<(usize, usize), u64>,
    empty_lines: HashMap<usize, Vec<(usize, usize)>>,
    sheet: Option<String>,
}

impl<'a> ValuesCheck<'a> {
    pub(crate) fn new(path: &'a Path, tree: &'a IndicatorTree, districts: &'a Districts) -> Self {
        ValuesCheck {
            path,
            tree,
            districts,
            diags: Diagnostics::default(),
            district_ids: districts.districts.iter().map(|d| d.id.as_str()).collect(),
            leaf_ids: tree.leaves().map(|(_, n)| n.id.as_str()).collect(),
            by_node: tree.leaves().map(|(i, _)| (i, vec![None; districts.districts.len()])).collect(),
            first_line: HashMap::new(),
            empty_lines: HashMap::new(),
            sheet: None,
        }
    }

    /// Checks one row.
    pub(crate) fn row(&mut self, row: RawRow) {
        if self.sheet.is_none() {
            self.sheet.clone_from(&row.sheet);
        }
        let ValuesCheck { path, tree, districts, diags, district_ids, leaf_ids, by_node, first_line, empty_lines, .. } = self;
        let (path, tree, districts) = (*path, *tree, *districts);
        let row = &row;
        let line = row.line;
        let ((ci_d, d_id), (ci_i, i_id), (ci_v, raw)) = (
            (row.district.0, row.district.1.as_str()),
            (row.indicator.0, row.indicator.1.as_str()),
            (row.value.0, row.value.1.as_str()),
        );
        if d_id.is_empty() && i_id.is_empty() && raw.is_empty() {
            return; // a blank row, as spreadsheets leave at the end
        }
        let at = |column: usize, msg: String| Diagnostic::new(path, row.place(column) + &msg).at(line, column);

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
            // An empty cell is a value still to be filled in: reported with the missing ones.
            Err(_) if raw.is_empty() => {
                if let (Some(d), Some(node)) = (d, node) {
                    empty_lines.entry(node).or_default().push((d, line));
                }
                None
            }
            Err(why) => {
                diags.push(at(ci_v, format!("value \"{raw}\" for {d_id} / {i_id} {why}"))
                    .help("write a plain decimal number such as 103.5 (no units, no thousands separators)"));
                None
            }
        };
        let (Some(d), Some(node)) = (d, node) else { return };
        if let Some(&prev) = first_line.get(&(node, d)) {
            let unit = if row.sheet.is_some() { "row" } else { "line" };
            diags.push(at(ci_d, format!("a second value for {d_id} / {i_id} (the first is on {unit} {prev})"))
                .help("keep one row per district and indicator"));
            return;
        }
        first_line.insert((node, d), line as u64);
        let Some(value) = value else { return };
        let ind = &tree.nodes[node];
        if let (IndicatorKind::Coefficient, Some((lo, hi))) = (ind.kind, ind.coefficient_range)
            && (value < lo || value > hi)
        {
            diags.push(at(ci_v, format!("coefficient {i_id} = {value} for {d_id} is outside its range [{lo}, {hi}]"))
                .help("check the value (a percentage instead of a factor?), or widen `range` in indicators.toml"));
        }
        // `node` is a leaf (checked above), and `by_node` has a slot per leaf and district.
        if let Some(slot) = by_node.get_mut(&node).and_then(|slots| slots.get_mut(d)) {
            *slot = Some(value);
        }
    }

    /// The values, or every problem found.
    pub(crate) fn finish(self) -> Result<LeafValues, Diagnostics> {
        let ValuesCheck { path, tree, districts, mut diags, district_ids, by_node, first_line, empty_lines, sheet, .. } = self;
        let sheet = sheet.as_deref();
        let line_word = if sheet.is_some() { "row" } else { "line" };
        // Missing values (no row, or an empty cell): refused, never re-weighted silently. Grouped per
        // indicator so that a fresh values template gives one line per indicator, not one per cell.
        for (n, ind) in tree.leaves() {
            let slots = &by_node[&n];
            let empty = empty_lines.get(&n);
            // A set, not a scan of `empty` per district: linear however many cells are empty.
            let empty_districts: std::collections::HashSet<usize> = empty.into_iter().flatten().map(|&(d, _)| d).collect();
            let is_empty_cell = |d: usize| empty_districts.contains(&d);
            let missing: Vec<usize> =
                (0..slots.len()).filter(|&d| slots[d].is_none() && (!first_line.contains_key(&(n, d)) || is_empty_cell(d))).collect();
            if missing.is_empty() {
                continue;
            }
            let who = if missing.len() == district_ids.len() {
                format!("any of the {} districts", district_ids.len())
            } else {
                missing.iter().map(|&d| district_ids[d]).collect::<Vec<_>>().join(", ")
            };
            let on_sheet = sheet.map(|s| format!("sheet {s}: ")).unwrap_or_default();
            let mut diag = Diagnostic::new(path, format!("{on_sheet}no value for indicator \"{}\" for {who}", ind.id));
            diag = match empty.and_then(|e| e.iter().map(|&(_, l)| l).min().map(|line| (e, line))) {
                Some((empty, line)) => {
                    let lines: Vec<String> = empty.iter().map(|&(_, l)| l.to_string()).collect();
                    diag.message.push_str(&format!(" (empty on {line_word}{} {})", if lines.len() > 1 { "s" } else { "" }, compact_lines(&lines)));
                    diag.at_line(line)
                }
                None => diag,
            };
            diags.push(diag.help(format!("fill in the value column (rows `<district>,{},<value>`); missing values are not imputed", ind.id)));
        }

        if !diags.is_empty() {
            return Err(diags);
        }
        let lines = by_node
            .keys()
            .map(|&n| (n, (0..districts.districts.len()).map(|d| first_line.get(&(n, d)).map_or(0, |&l| l as usize)).collect()))
            .collect();
        Ok(LeafValues {
            // Every slot is filled: an empty one was reported above, and `diags` is empty.
            by_node: by_node.into_iter().map(|(n, v)| (n, v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())).collect(),
            lines,
        })
    }
}

/// Reads `bytes` in `format` and checks its rows (see [`ValuesCheck`]). A problem reading the
/// file (a malformed row, a damaged workbook) stops there: only those are reported.
pub(crate) fn read_values(path: &Path, format: &ValuesFormat, bytes: &[u8], tree: &IndicatorTree, districts: &Districts) -> Result<LeafValues, Diagnostics> {
    let mut check = ValuesCheck::new(path, tree, districts);
    (format.read)(path, bytes, &mut |row| check.row(row))?;
    check.finish()
}

impl RawRow {
    /// "sheet values, cell C12: " for a workbook's cell (1-based column), nothing for a text file
    /// (whose line and column the diagnostic already gives).
    fn place(&self, column: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet {sheet}, cell {}{}: ", column_letters(column), self.line),
            None => String::new(),
        }
    }
}

/// A 1-based column number as a spreadsheet names it: 1 → A, 26 → Z, 27 → AA.
pub(crate) fn column_letters(column: usize) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// "2, 3, 4, 9" → "2–4, 9" for messages about many rows.
fn compact_lines(lines: &[String]) -> String {
    let mut nums: Vec<usize> = lines.iter().filter_map(|l| l.parse().ok()).collect();
    nums.sort_unstable();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let start = nums[i];
        let mut end = start;
        while i + 1 < nums.len() && nums[i + 1] == end + 1 {
            i += 1;
            end = nums[i];
        }
        parts.push(if end > start { format!("{start}–{end}") } else { start.to_string() });
        i += 1;
    }
    parts.join(", ")
}

/// Values past this cannot be printed to the last digit (f64 holds about 15 significant
/// digits), and are far beyond any indicator a report measures: almost surely a wrong unit.
const MAX_MAGNITUDE: f64 = 1e15;

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
    if v.abs() >= MAX_MAGNITUDE {
        return Err("has 16 or more digits before the decimal point, more than a report can print exactly (a wrong unit?)");
    }
    Ok(v)
}

/// `values.xlsx` bytes read and checked (the fuzzing harness's entry point).
pub(crate) fn read_xlsx_values(path: &Path, bytes: &[u8], tree: &IndicatorTree, districts: &Districts) -> Result<LeafValues, Diagnostics> {
    read_values(path, &FORMATS[1], bytes, tree, districts)
}

/// `values.csv` text read and checked (the fuzzing harness's entry point).
pub(crate) fn read_csv_values(path: &Path, text: &str, tree: &IndicatorTree, districts: &Districts) -> Result<LeafValues, Diagnostics> {
    read_values(path, &FORMATS[0], text.as_bytes(), tree, districts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_values_are_refused() {
        assert!(parse_value("1e200").unwrap_err().contains("16 or more digits"));
        assert!(parse_value("-1e15").is_err());
        assert_eq!(parse_value("999999999999999"), Ok(999999999999999.0));
    }
}
