//! The city-level series of an indicator across editions: earlier figures from the history file,
//! merged with the editions the project computes (a computed figure replaces a recorded one).

use std::collections::BTreeMap;

use crate::model::{Bilingual, Edition, HistoryPoint, IndexResults};

/// One point of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    pub year: u16,
    pub value: f64,
    /// Where the value comes from: the history file's note; empty for a computed value.
    pub basis: Bilingual,
    pub computed: bool,
    /// Worked back from later figures (see [`HistoryPoint::derived`]).
    pub derived: bool,
}

/// Ids an indicator has had: its own and, following `continues` back through the editions, the
/// ids of the indicators it continues.
pub fn indicator_aliases(editions: &[&Edition], id: &str) -> Vec<String> {
    let mut aliases = vec![id.to_string()];
    let mut current = id.to_string();
    for e in editions.iter().rev() {
        if let Some(old) = e.tree.get(&current).and_then(|node| node.continues.clone()) {
            if !aliases.contains(&old) {
                aliases.push(old.clone());
            }
            current = old;
        }
    }
    aliases
}

/// City values of `id` (in the latest edition's naming) by year, ascending.
pub fn city_series(history: &[HistoryPoint], computed: &[(&Edition, &IndexResults)], id: &str) -> Vec<SeriesPoint> {
    let editions: Vec<&Edition> = computed.iter().map(|(e, _)| *e).collect();
    let aliases = indicator_aliases(&editions, id);
    let mut by_year: BTreeMap<u16, SeriesPoint> = BTreeMap::new();
    for h in history.iter().filter(|h| aliases.contains(&h.indicator)) {
        by_year.insert(h.year, SeriesPoint { year: h.year, value: h.value, basis: h.basis.clone(), computed: false, derived: h.derived });
    }
    for (e, r) in computed {
        let node = aliases.iter().find_map(|a| e.tree.index_of(a));
        if let Some(i) = node {
            by_year.insert(e.year, SeriesPoint { year: e.year, value: r.nodes[i].city, basis: Bilingual::default(), computed: true, derived: false });
        }
    }
    by_year.into_values().collect()
}
