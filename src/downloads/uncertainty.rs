//! `<year>/data/uncertainty.csv` (UTF-8 with a BOM, as every CSV download): the rank intervals of the uncertainty analysis, one row per
//! analysed node and district. Columns documented in docs/data-formats.md.

use crate::compute::UncertaintyResults;
use crate::model::Edition;

/// The stable contract of uncertainty.csv.
pub const UNCERTAINTY_CSV_HEADER: [&str; 7] = ["indicator", "entity", "rank", "rank_median", "rank_p05", "rank_p95", "top3_share"];

/// Nodes in tree order; within a node the districts in their listed order. `rank` is the
/// published rank; `top3_share` the share of runs (0–1) with the district 1st to 3rd.
pub fn uncertainty_csv(edition: &Edition, uncertainty: &UncertaintyResults) -> Vec<u8> {
    use super::csv_out::Cell::{Num, Text};
    let mut w = super::csv_out::CsvOut::new(UNCERTAINTY_CSV_HEADER);
    for node in &uncertainty.nodes {
        let id = &edition.tree.nodes[node.node].id;
        for (district, i) in edition.districts.districts.iter().zip(&node.districts) {
            w.row([
                Text(id),
                Text(&district.id),
                Num(i.nominal.to_string()),
                Num(i.median.to_string()),
                Num(i.p05.to_string()),
                Num(i.p95.to_string()),
                // Shortest exact form: a count over the runs, so 10000 runs give at most 4 decimals.
                Num(format!("{}", i.top3_share)),
            ]);
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{compute_edition, rank_uncertainty};
    use crate::load::load_project;

    /// Read back with an independent CSV reader: the header is the contract, every analysed
    /// node × district has a row, and the numbers are those of the computation.
    #[test]
    fn rows_match_the_analysis() {
        let project = load_project(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let edition = project.editions.iter().find(|e| e.year == 2020).unwrap();
        let results = compute_edition(edition).unwrap();
        let mut settings = edition.uncertainty.clone().expect("the demo has [uncertainty]");
        settings.runs = 500;
        let u = rank_uncertainty(edition, &results, &settings).unwrap();
        let bytes = uncertainty_csv(edition, &u);
        assert_eq!(bytes, uncertainty_csv(edition, &u), "deterministic");

        assert!(bytes.starts_with(crate::downloads::UTF8_BOM), "a BOM for Excel");
        // The csv crate skips the BOM, as other CSV readers do: the header reads clean.
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), UNCERTAINTY_CSV_HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let n = edition.districts.districts.len();
        assert_eq!(rows.len(), u.nodes.len() * n);
        for (k, row) in rows.iter().enumerate() {
            let node = &u.nodes[k / n];
            let (d, i) = (k % n, &node.districts[k % n]);
            assert_eq!(&row[0], edition.tree.nodes[node.node].id);
            assert_eq!(&row[1], edition.districts.districts[d].id);
            assert_eq!(row[2].parse::<u32>().unwrap(), results.nodes[node.node].rank[d]);
            let ranks: Vec<u32> = (3..6).map(|c| row[c].parse().unwrap()).collect();
            assert_eq!(ranks, [i.median, i.p05, i.p95]);
            assert!(ranks[1] <= ranks[0] && ranks[0] <= ranks[2]);
            assert_eq!(row[6].parse::<f64>().unwrap(), i.top3_share);
        }
    }
}
