//! The uncertainty and sensitivity results of an edition as bytes, so that a build can keep them
//! between runs (the Monte Carlo is the costliest part of computing, 0.1–0.2 s on the demo, and
//! gives the same results for the same inputs). The encoding is exact: floats are stored as their
//! bits, so a stored result is the computed one, bit for bit. Still pure: the caller owns the
//! storage ([`AnalysisCache`]); this module only names the entry and turns results into bytes.

use sha2::{Digest, Sha256};

use super::{InputIndices, NodeUncertainty, RankInterval, SensitivityInput, SensitivityResults, UncertaintyResults};
use crate::model::{Edition, UncertaintySettings};

/// Where a build keeps analysis results between runs, by [`key`]. Entries are only ever what
/// [`encode`] wrote; an entry that does not decode is computed again.
pub trait AnalysisCache: Sync {
    fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>>;
    fn put(&self, key: &[u8; 32], bytes: &[u8]);
}

/// No cache: every analysis is computed.
pub struct NoCache;

impl AnalysisCache for NoCache {
    fn get(&self, _: &[u8; 32]) -> Option<Vec<u8>> {
        None
    }
    fn put(&self, _: &[u8; 32], _: &[u8]) {}
}

/// The entry of an edition's analysis: a digest of everything the analysis reads — the edition's
/// tree (weights, normalisations, aggregations), districts, leaf values and precision, the
/// published results and the `[uncertainty]` settings — through their `Debug` text, which shows
/// every field. Hash maps are left out or put in order first: their `Debug` order changes from
/// one process to the next. The tag changes with the method or this encoding.
pub fn key(edition: &Edition, results: &crate::model::IndexResults, settings: &UncertaintySettings) -> [u8; 32] {
    let values: std::collections::BTreeMap<_, _> = edition.values.by_node.iter().collect();
    let mut h = Sha256::new();
    h.update(b"cityreport-uncertainty-v2\0");
    for part in [
        format!("{:?}", edition.precision),
        // `by_id` is an index of `nodes`.
        format!("{:?} {:?}", edition.tree.nodes, edition.tree.given_scores_relative_to_100),
        format!("{:?}", edition.districts),
        format!("{values:?}"),
        format!("{results:?}"),
        format!("{settings:?}"),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

pub fn encode(u: &UncertaintyResults, s: &SensitivityResults) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.u32(u.runs);
    w.len(u.nodes.len());
    for n in &u.nodes {
        w.len(n.node);
        w.f64(n.mean_rank_shift);
        w.len(n.districts.len());
        for d in &n.districts {
            for r in [d.nominal, d.median, d.p05, d.p95] {
                w.u32(r);
            }
            w.f64(d.top3_share);
        }
    }
    w.u32(s.samples);
    w.len(s.inputs.len());
    for i in &s.inputs {
        match i {
            SensitivityInput::Weight(k) => {
                w.u32(0);
                w.len(*k);
            }
            SensitivityInput::LowerWeights => w.u32(1),
            SensitivityInput::Normalisation => w.u32(2),
            SensitivityInput::Aggregation => w.u32(3),
        }
    }
    w.len(s.districts.len());
    for d in s.districts.iter().chain([&s.mean_rank_shift]) {
        w.indices(d);
    }
    w.0
}

pub fn decode(bytes: &[u8]) -> Option<(UncertaintyResults, SensitivityResults)> {
    let mut r = Reader(bytes);
    let runs = r.u32()?;
    let mut nodes = Vec::new();
    for _ in 0..r.len()? {
        let node = r.len()?;
        let mean_rank_shift = r.f64()?;
        let mut districts = Vec::new();
        for _ in 0..r.len()? {
            let (nominal, median, p05, p95) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
            districts.push(RankInterval { nominal, median, p05, p95, top3_share: r.f64()? });
        }
        nodes.push(NodeUncertainty { node, districts, mean_rank_shift });
    }
    let samples = r.u32()?;
    let mut inputs = Vec::new();
    for _ in 0..r.len()? {
        inputs.push(match r.u32()? {
            0 => SensitivityInput::Weight(r.len()?),
            1 => SensitivityInput::LowerWeights,
            2 => SensitivityInput::Normalisation,
            3 => SensitivityInput::Aggregation,
            _ => return None,
        });
    }
    let mut districts = Vec::new();
    for _ in 0..r.len()? {
        districts.push(r.indices()?);
    }
    let mean_rank_shift = r.indices()?;
    // Trailing bytes mean an entry of another shape: not trusted.
    r.0.is_empty().then_some((
        UncertaintyResults { runs, nodes },
        SensitivityResults { samples, inputs, districts, mean_rank_shift },
    ))
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend(v.to_le_bytes());
    }
    fn len(&mut self, v: usize) {
        self.0.extend((v as u64).to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend(v.to_bits().to_le_bytes());
    }
    fn opt(&mut self, v: Option<f64>) {
        match v {
            Some(x) => {
                self.0.push(1);
                self.f64(x);
            }
            None => self.0.push(0),
        }
    }
    fn indices(&mut self, d: &InputIndices) {
        self.f64(d.variance);
        for list in [&d.first, &d.total] {
            self.len(list.len());
            list.iter().for_each(|v| self.opt(*v));
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn len(&mut self) -> Option<usize> {
        // Bounded by the bytes left, so a damaged length cannot ask for a huge allocation.
        usize::try_from(u64::from_le_bytes(self.take()?)).ok().filter(|&n| n <= self.0.len().max(1) * 8)
    }
    fn f64(&mut self) -> Option<f64> {
        self.take().map(|b| f64::from_bits(u64::from_le_bytes(b)))
    }
    fn opt(&mut self) -> Option<Option<f64>> {
        match self.take::<1>()?[0] {
            0 => Some(None),
            1 => self.f64().map(Some),
            _ => None,
        }
    }
    fn indices(&mut self) -> Option<InputIndices> {
        let variance = self.f64()?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            for _ in 0..self.len()? {
                list.push(self.opt()?);
            }
        }
        let [first, total] = lists;
        Some(InputIndices { first, total, variance })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_round_trip_bit_for_bit_and_damage_is_refused() {
        let u = UncertaintyResults {
            runs: 1000,
            nodes: vec![NodeUncertainty {
                node: 3,
                districts: vec![RankInterval { nominal: 2, median: 2, p05: 1, p95: 4, top3_share: 0.1 + 0.2 }],
                mean_rank_shift: f64::MIN_POSITIVE,
            }],
        };
        let s = SensitivityResults {
            samples: 64,
            inputs: vec![SensitivityInput::Weight(1), SensitivityInput::LowerWeights, SensitivityInput::Normalisation, SensitivityInput::Aggregation],
            districts: vec![InputIndices { first: vec![Some(-0.0), None], total: vec![Some(1.0 / 3.0), None], variance: 2.5 }],
            mean_rank_shift: InputIndices { first: vec![], total: vec![Some(0.7)], variance: 0.0 },
        };
        let bytes = encode(&u, &s);
        let (u2, s2) = decode(&bytes).unwrap();
        // `Debug` shows every field, so equal text means equal results (and NaN-safe).
        assert_eq!(format!("{u:?}{s:?}"), format!("{u2:?}{s2:?}"));
        assert_eq!(s2.districts[0].first[0].unwrap().to_bits(), (-0.0f64).to_bits());
        assert!(decode(&bytes[..bytes.len() - 1]).is_none(), "a truncated entry is refused");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none(), "trailing bytes are refused");
    }

    #[test]
    fn the_key_is_the_same_for_the_same_inputs_loaded_again_and_changes_with_a_value() {
        // Loaded twice, the edition's hash maps iterate in other orders: the key must not care.
        let (a, ra) = super::super::testutil::demo();
        let (mut b, rb) = super::super::testutil::demo();
        let settings = a.uncertainty.clone().expect("the demo asks for the analysis");
        assert_eq!(key(&a, &ra, &settings), key(&b, &rb, &settings));
        let leaf = *b.values.by_node.keys().min().unwrap();
        b.values.by_node.get_mut(&leaf).unwrap()[0] += 1.0;
        assert_ne!(key(&a, &ra, &settings), key(&b, &rb, &settings));
        let more_runs = UncertaintySettings { runs: settings.runs + 1, ..settings.clone() };
        assert_ne!(key(&a, &ra, &settings), key(&a, &ra, &more_runs));
    }
}
