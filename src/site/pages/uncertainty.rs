//! Rank intervals on the pages and the method chapter's section on them (issue 16): "4 (3–6)" in
//! ranking tables and profiles, a note under such tables, and the analysis's settings and
//! sensitivity result in plain words. Everything here appears only when the edition has
//! uncertainty results.

use super::blocks::{Cell, col, row, Table, Block, Section, section};
use super::table;
use crate::site::view::EditionView;
use crate::site::SiteError;
use crate::format;
use crate::compute::{choice_name, RankInterval, SensitivityInput};
use crate::model::Aggregation;

/// District `d`'s interval on node `i`, if that node was analysed.
pub(super) fn interval(v: &EditionView, i: usize, d: usize) -> Option<RankInterval> {
    v.input.uncertainty.and_then(|u| u.node(i)).map(|n| n.districts[d])
}

/// A headline rank's note ("out of 16") with district `d`'s interval on node `i` added.
pub(super) fn with_interval(v: &EditionView, note: Option<String>, i: usize, d: usize) -> Result<Option<String>, SiteError> {
    let Some(r) = interval(v, i, d) else { return Ok(note) };
    let range = v.fill("unc_interval_short", &[("low", &r.p05.to_string()), ("high", &r.p95.to_string())])?;
    Ok(Some(match note {
        Some(n) => format!("{n} · {range}"),
        None => range,
    }))
}

/// "4 (3–6)": the published rank and its 5th–95th percentile interval; the bare rank where node
/// `i` was not analysed.
pub(super) fn rank_text(v: &EditionView, i: usize, d: usize, rank: u32) -> String {
    match interval(v, i, d) {
        Some(r) => format!("{rank} ({}\u{2013}{})", r.p05, r.p95),
        None => rank.to_string(),
    }
}

/// The note under a table whose ranks carry intervals (node `i`), `None` otherwise.
pub(super) fn table_note(v: &EditionView, i: usize) -> Result<Option<String>, SiteError> {
    let Some(u) = v.input.uncertainty.filter(|u| u.node(i).is_some()) else { return Ok(None) };
    Some(v.fill("unc_table_note", &[("runs", &u.runs.to_string())])).transpose()
}

/// Appends the interval note to a table's note (keeping one it already has).
pub(super) fn add_note(v: &EditionView, t: &mut Table, i: usize) -> Result<(), SiteError> {
    if let Some(note) = table_note(v, i)? {
        t.note = Some(match t.note.take() {
            Some(old) => format!("{old} {note}"),
            None => note,
        });
    }
    Ok(())
}

/// What an uncertain input is, in words: "智慧应用指数的权重" / "the weight of Smart Applications".
fn input_name(v: &EditionView, input: SensitivityInput) -> Result<String, SiteError> {
    match input {
        SensitivityInput::Weight(i) => v.fill("unc_input_weight", &[("name", v.ind_name(i))]),
        SensitivityInput::LowerWeights => v.fill("unc_input_lower_weights", &[]),
        SensitivityInput::Normalisation => v.fill("unc_input_normalisation", &[]),
        SensitivityInput::Aggregation => v.fill("unc_input_aggregation", &[]),
    }
}

/// A share of variance as a percentage; estimates a hair outside [0, 1] are shown clamped.
fn share(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format::percent_to(x.clamp(0.0, 1.0), 0))
}

/// The method chapter's section: settings, how to read an interval, the overall result and the
/// sensitivity analysis. `None` without uncertainty results.
pub(super) fn method_section(v: &EditionView) -> Result<Option<Section>, SiteError> {
    let (Some(u), Some(settings)) = (v.input.uncertainty, v.ed.uncertainty.as_ref()) else { return Ok(None) };
    let s = settings.weight_spread;
    let mut blocks = vec![Block::Paragraph {
        text: v.fill(
            "unc_method_intro",
            &[
                ("runs", &u.runs.to_string()),
                ("seed", &settings.seed.to_string()),
                ("spread", &format::percent_to(s, 1)),
                ("low", &format!("{:.2}", 1.0 - s)),
                ("high", &format!("{:.2}", 1.0 + s)),
                ("precision", &v.ed.precision.to_string()),
            ],
        )?,
    }];
    if settings.normalisation.len() > 1 {
        let names = settings
            .normalisation
            .iter()
            .map(|&c| v.t(&format!("unc_norm_{}", choice_name(c))))
            .collect::<Result<Vec<_>, _>>()?;
        blocks.push(Block::Paragraph { text: v.fill("unc_method_normalisation", &[("list", &names.join(v.t("list_sep")?))])? });
    }
    if settings.aggregation.len() > 1 {
        let names = settings
            .aggregation
            .iter()
            .map(|a| v.t(match a {
                Aggregation::Arithmetic => "unc_agg_arithmetic",
                Aggregation::Geometric => "unc_agg_geometric",
            }))
            .collect::<Result<Vec<_>, _>>()?;
        blocks.push(Block::Paragraph { text: v.fill("unc_method_aggregation", &[("list", &names.join(v.t("list_sep")?))])? });
    }
    blocks.push(Block::Paragraph { text: v.t("unc_method_reading")?.into() });

    // The overall index: how many intervals are a single rank, how far ranks move on average.
    if let Some(root) = u.node(0) {
        let n = root.districts.len();
        let single = root.districts.iter().filter(|i| i.p05 == i.p95).count();
        blocks.push(Block::Paragraph {
            text: v.fill(
                "unc_method_result",
                &[
                    ("name", v.ind_name(0)),
                    ("single", &single.to_string()),
                    ("n", &n.to_string()),
                    ("shift", &format!("{:.2}", root.mean_rank_shift)),
                ],
            )?,
        });
    }

    if let Some(sens) = v.input.sensitivity.filter(|s| !s.inputs.is_empty() && s.mean_rank_shift.variance > 0.0) {
        let shift = &sens.mean_rank_shift;
        // The input with the largest total effect on the average rank shift.
        let top = (0..sens.inputs.len())
            .filter_map(|k| shift.total[k].map(|t| (k, t)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((k, t)) = top {
            let key = if t > 0.5 { "unc_sensitivity_most" } else { "unc_sensitivity_largest" };
            let name = input_name(v, sens.inputs[k])?;
            blocks.push(Block::Paragraph {
                text: v.fill(key, &[("input", &name), ("share", &share(Some(t))), ("samples", &sens.samples.to_string())])?,
            });
        }
        let columns = vec![col(v.t("unc_col_input")?, false), col(v.t("unc_col_first")?, true), col(v.t("unc_col_total")?, true)];
        let rows = sens
            .inputs
            .iter()
            .enumerate()
            .map(|(k, &input)| Ok(row(vec![Cell::head(input_name(v, input)?, None), Cell::num(share(shift.first[k])), Cell::num(share(shift.total[k]))])))
            .collect::<Result<Vec<_>, SiteError>>()?;
        let mut t = table(v, None, "sensitivity", v.fill("unc_caption_sensitivity", &[("name", v.ind_name(0))])?, columns, rows)?;
        t.note = Some(v.t("unc_sensitivity_note")?.into());
        blocks.push(Block::Table(t));
    }
    Ok(Some(section("uncertainty", Some(v.t("sec_uncertainty")?.into()), 2, blocks)))
}
