//! The words a chart writes around its data, in the chart's language. They come from
//! `i18n/strings.toml` (keys `chart_*`) through the spec, so `chart/` holds no
//! translated text of its own; templates keep their `{name}` placeholders, filled here.

use crate::i18n::{Strings, TranslationError};
use crate::model::Lang;

/// Every phrase a chart may write, as templates. Part of each spec, so part of its cache key.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartWords {
    /// A value that is missing, in place of a bar's value label.
    pub no_data: String,
    /// The legend entry of districts without a value.
    pub no_data_legend: String,
    /// How a map's classes were made: `{k}` classes.
    pub map_classes: String,
    /// `{method}` and its class bounds `{bounds}`, for the map's description.
    pub map_classes_desc: String,
    /// Districts without a value, for the description: one, and `{n}`.
    pub map_missing_one: String,
    pub map_missing_n: String,
    /// Summary of a series: `{n}` `{noun}`, highest `{hi}`, lowest `{lo}`, `{mean}`.
    pub summary: String,
    /// Summary of a series without values.
    pub summary_none: String,
    /// What the summaries count.
    pub noun_bars: String,
    pub noun_districts: String,
    pub noun_points: String,
    /// Separates the items of a list inside a sentence ("；" / "; ").
    pub item_sep: String,
    /// Separates the items of a short list ("、" / ", ").
    pub list_sep: String,
    /// Separates the clauses of a sentence ("，" / ", ").
    pub clause_sep: String,
    /// The reference lines `{list}` of a bar chart, for its description.
    pub ref_lines: String,
    /// Change of a trend from `{from}` to `{to}`: `{change}`.
    pub trend_change: String,
    /// The trend's legend for hollow points: figures worked back from later ones.
    pub trend_derived: String,
    /// Framework tree: `{n}` nodes made of `{parts}`; the parts.
    pub tree_summary: String,
    pub tree_root: String,
    pub tree_level: String,
    pub tree_coefficient_one: String,
    pub tree_coefficient_n: String,
    /// Rank intervals beside ranked bars: the rank axis' name, the legend line (`{runs}`), and
    /// the description (`{runs}`, `{list}` of `{name} {median} ({p05}–{p95})` items).
    pub rank_axis: String,
    pub rank_legend: String,
    pub rank_desc: String,
    pub rank_item: String,
}

impl ChartWords {
    /// The words of `lang` from the translation table.
    pub fn new(strings: &Strings, lang: Lang) -> Result<ChartWords, TranslationError> {
        let t = |key: &str| strings.get(lang, key).map(str::to_string);
        Ok(ChartWords {
            no_data: t("chart_no_data")?,
            no_data_legend: t("chart_no_data_legend")?,
            map_classes: t("chart_map_classes")?,
            map_classes_desc: t("chart_map_classes_desc")?,
            map_missing_one: t("chart_map_missing_one")?,
            map_missing_n: t("chart_map_missing_n")?,
            summary: t("chart_summary")?,
            summary_none: t("chart_summary_none")?,
            noun_bars: t("chart_noun_bars")?,
            noun_districts: t("chart_noun_districts")?,
            noun_points: t("chart_noun_points")?,
            item_sep: t("chart_item_sep")?,
            list_sep: t("list_sep")?,
            clause_sep: t("chart_clause_sep")?,
            ref_lines: t("chart_ref_lines")?,
            trend_change: t("chart_trend_change")?,
            trend_derived: t("chart_trend_derived")?,
            tree_summary: t("chart_tree_summary")?,
            tree_root: t("chart_tree_root")?,
            tree_level: t("chart_tree_level")?,
            tree_coefficient_one: t("chart_tree_coefficient_one")?,
            tree_coefficient_n: t("chart_tree_coefficient_n")?,
            rank_axis: t("chart_rank_axis")?,
            rank_legend: t("chart_rank_legend")?,
            rank_desc: t("chart_rank_desc")?,
            rank_item: t("chart_rank_item")?,
        })
    }

    /// Every word, for the glyph check of [`super::Chart::texts`].
    pub fn all(&self) -> Vec<&str> {
        [
            &self.no_data, &self.no_data_legend, &self.map_classes,
            &self.map_classes_desc, &self.map_missing_one, &self.map_missing_n, &self.summary,
            &self.summary_none, &self.noun_bars, &self.noun_districts, &self.noun_points,
            &self.item_sep, &self.list_sep, &self.clause_sep, &self.ref_lines, &self.trend_change, &self.trend_derived,
            &self.tree_summary, &self.tree_root, &self.tree_level, &self.tree_coefficient_one,
            &self.tree_coefficient_n, &self.rank_axis, &self.rank_legend, &self.rank_desc,
            &self.rank_item,
        ]
        .into_iter()
        .map(String::as_str)
        .collect()
    }

    /// The built-in words of `lang` (tests and benches).
    pub fn builtin(lang: Lang) -> ChartWords {
        let strings = Strings::builtin().expect("the built-in translation table parses");
        ChartWords::new(&strings, lang).expect("the built-in table has every chart word")
    }
}

/// `template` with each `{name}` replaced by its value.
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// Appends a sentence: after a sentence ending in a Western full stop a space comes first, after
/// an ideographic one (。) none, so both languages read as they are written.
pub(crate) fn push_sentence(s: &mut String, sentence: &str) {
    if s.ends_with(|c: char| c.is_ascii_punctuation() || c.is_ascii_alphanumeric()) {
        s.push(' ');
    }
    s.push_str(sentence);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_exists_in_both_languages_and_sentences_join_per_script() {
        for lang in Lang::ALL {
            let w = ChartWords::builtin(lang);
            assert!(w.rank_legend.contains("{runs}"), "{lang:?}");
        }
        let mut en = "3 bars.".to_string();
        push_sentence(&mut en, "Reference lines: x.");
        assert_eq!(en, "3 bars. Reference lines: x.");
        let mut zh = "共 3 项。".to_string();
        push_sentence(&mut zh, "参考线：x。");
        assert_eq!(zh, "共 3 项。参考线：x。");
        assert_eq!(fill("{a} and {a}, {b}", &[("a", "1"), ("b", "2")]), "1 and 1, 2");
    }
}
