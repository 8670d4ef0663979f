//! Ranked bars for many districts: the highest and the lowest few, each labelled with its rank,
//! a dashed break where the middle of the ranking is left out, and a note saying where the full
//! ranking is (the table). A bar per district stays readable up to a few dozen districts; beyond
//! that a chart of every one would be thousands of pixels tall.

use super::bars::{Omission, RankedBars, render_with_note};
use super::svg::fmt_value;

/// The districts of `bars` ranked, of which the chart shows the `keep` highest and `keep` lowest.
#[derive(Debug, Clone, PartialEq)]
pub struct TopBottomBars {
    /// Every bar, as for [`super::render_ranked_bars`] (sorted by the chart, highest first).
    pub bars: RankedBars,
    /// Bars shown at each end of the ranking.
    pub keep: usize,
    /// Under the chart: what was left out and where to find it.
    pub note: String,
}

/// Renders the chart as a standalone, accessible SVG document; with no more than `2 × keep`
/// bars it is the plain ranked bar chart.
impl super::Chart for TopBottomBars {
    fn to_svg(&self) -> String {
        render_top_bottom(self)
    }

    fn texts(&self) -> Vec<&str> {
        let mut t = super::Chart::texts(&self.bars);
        t.push(self.note.as_str());
        t
    }
}

pub fn render_top_bottom(c: &TopBottomBars) -> String {
    let n = c.bars.bars.len();
    if n <= 2 * c.keep || c.keep == 0 {
        return super::render_ranked_bars(&c.bars);
    }
    let ranked = ranked(&c.bars);
    let shown: Vec<usize> = (0..c.keep).chain(n - c.keep..n).collect();
    let mut chart = c.bars.clone();
    chart.sort = false;
    chart.bars = shown
        .iter()
        .map(|&k| {
            let (rank, b) = &ranked[k];
            let mut b = (*b).clone();
            b.label = format!("{rank}. {}", b.label);
            b
        })
        .collect();
    // The description names every district the chart leaves out, so screen readers lose nothing.
    let all: Vec<String> = ranked
        .iter()
        .map(|(rank, b)| format!("{rank}. {} {}", b.label, fmt_value(b.value, c.bars.precision)))
        .collect();
    chart.description = format!("{} {} {}", c.bars.description, c.note, all.join(&c.bars.words.item_sep));
    render_with_note(&chart, Some(Omission { break_after: c.keep - 1, note: &c.note }))
}

/// The bars highest first (missing values last), each with its competition rank on the value as
/// printed (ties share a rank, as in the tables).
fn ranked(chart: &RankedBars) -> Vec<(usize, &super::BarDatum)> {
    let mut bars: Vec<&super::BarDatum> = chart.bars.iter().collect();
    bars.sort_by(|a, b| match (a.value.is_finite(), b.value.is_finite()) {
        (true, true) => b.value.total_cmp(&a.value),
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => std::cmp::Ordering::Equal,
    });
    let shown: Vec<String> = bars.iter().map(|b| fmt_value(b.value, chart.precision)).collect();
    let mut out = Vec::with_capacity(bars.len());
    for (k, b) in bars.iter().enumerate() {
        let rank = if k > 0 && shown[k] == shown[k - 1] { out.last().map_or(1, |(r, _)| *r) } else { k + 1 };
        out.push((rank, *b));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{BarDatum, render_ranked_bars};
    use crate::model::Lang;

    fn chart(n: usize) -> RankedBars {
        RankedBars {
            id: "fig-t".into(),
            title: "Index: ranking of the districts".into(),
            description: "Every district.".into(),
            lang: Lang::En,
            words: crate::chart::ChartWords::builtin(Lang::En),
            // Values not in rank order, one tie.
            bars: (0..n)
                .map(|k| BarDatum {
                    label: format!("D{k}"),
                    value: if k == 7 { 50.0 } else { ((k * 37) % n) as f64 },
                    group: k % 2,
                    rank: None,
                })
                .collect(),
            groups: vec!["A".into(), "B".into()],
            reference_lines: vec![],
            precision: 2,
            sort: true,
            width: crate::chart::WIDE,
            hatch_with_pattern: false,
            rank_axis: None,
        }
    }

    fn labels(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .filter(|t| t.contains(". D"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn shows_the_ends_of_the_ranking_with_ranks_a_break_and_the_note() {
        let c = chart(300);
        let tb = TopBottomBars { bars: c.clone(), keep: 10, note: "Full ranking in the table.".into() };
        let svg = render_top_bottom(&tb);
        let shown = labels(&svg);
        assert_eq!(shown.len(), 20, "{shown:?}");
        // Cross-check against an independent ranking of the input.
        let mut values: Vec<(f64, &str)> = c.bars.iter().map(|b| (b.value, b.label.as_str())).collect();
        values.sort_by(|a, b| b.0.total_cmp(&a.0));
        assert!(shown[0].ends_with(&format!(". {}", values[0].1)) && shown[0].starts_with("1. "));
        let last = &shown[19];
        assert!(last.ends_with(&format!(". {}", values[299].1)), "{last}");
        let rank_of_last: usize = last.split('.').next().unwrap().parse().unwrap();
        assert_eq!(rank_of_last, 1 + values.iter().filter(|v| v.0 > values[299].0).count());
        assert!(svg.contains("Full ranking in the table."));
        assert!(svg.contains("class=\"omission\""));
        // Far shorter than a bar per district, and every district still in the description.
        let full = render_ranked_bars(&c);
        assert!(svg.len() * 5 < full.len());
        assert!(svg.contains("D150 "));
    }

    #[test]
    fn tied_values_share_a_rank() {
        let mut c = chart(50);
        c.bars[3].value = 100.0;
        c.bars[4].value = 100.0;
        let tb = TopBottomBars { bars: c, keep: 5, note: "n".into() };
        let shown = labels(&render_top_bottom(&tb));
        assert_eq!(&shown[..2], ["1. D3", "1. D4"]);
        assert!(shown[2].starts_with("3. "));
    }

    #[test]
    fn few_bars_draw_the_plain_chart() {
        let c = chart(12);
        let tb = TopBottomBars { bars: c.clone(), keep: 10, note: "n".into() };
        assert_eq!(render_top_bottom(&tb), render_ranked_bars(&c));
    }
}
