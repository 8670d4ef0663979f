//! Changes since the previous edition, as notes under headline figures and as table cells.

use super::blocks::{Cell, Column, col};
use crate::site::view::EditionView;
use crate::site::SiteError;
use crate::format;

/// "较 2019 年 +3.91" / "+3.91 on 2019" under a headline figure; "新增指标" / "new indicator" for
/// a node without a counterpart; `None` when nothing is known.
pub(super) fn change_note(v: &EditionView, i: usize, change: Option<f64>) -> Result<Option<String>, SiteError> {
    let Some(year) = v.previous_year() else { return Ok(None) };
    if v.is_new(i) {
        return Ok(Some(v.fill("new_indicator_note", &[("year", &year.to_string())])?));
    }
    change
        .map(|c| v.fill("change_note", &[("year", &year.to_string()), ("change", &format::signed(c, v.ed.precision))]))
        .transpose()
}

/// A district's move on node `i` in words: "较 2020 年上升 3 位" / "up 3 places on 2020".
pub(super) fn rank_change_note(v: &EditionView, i: usize, d: usize) -> Result<Option<String>, SiteError> {
    let (Some(year), Some(n)) = (v.previous_year(), v.rank_change(i, d)) else { return Ok(None) };
    let moved = rank_move_words(v, n)?;
    Some(v.fill("rank_change_note", &[("year", &year.to_string()), ("move", &moved)])).transpose()
}

/// "上升 3 位" / "up 3 places", "下降 1 位" / "down 1 place", "名次不变" / "rank unchanged".
pub(super) fn rank_move_words(v: &EditionView, n: i32) -> Result<String, SiteError> {
    let count = n.unsigned_abs().to_string();
    match n {
        1 => v.fill("rank_up_one", &[]),
        -1 => v.fill("rank_down_one", &[]),
        n if n > 0 => v.fill("rank_up", &[("n", &count)]),
        n if n < 0 => v.fill("rank_down", &[("n", &count)]),
        _ => v.fill("rank_same", &[]),
    }
}

/// Columns "较 2020 年" / "Change on 2020" and, with `rank`, "名次变化" / "Rank change", when
/// district changes are known (a computed previous edition).
pub(super) fn change_columns(v: &EditionView, rank: bool) -> Result<Vec<Column>, SiteError> {
    let Some(c) = v.changes() else { return Ok(Vec::new()) };
    let mut cols = vec![col(v.fill("col_change", &[("year", &c.previous_year.to_string())])?, true)];
    if rank {
        cols.push(col(v.t("col_rank_change")?, true));
    }
    Ok(cols)
}

/// A value change cell: "+1.23", the "new" marker for a node without a counterpart, or a dash.
pub(super) fn value_change_cell(v: &EditionView, i: usize, change: Option<f64>) -> Result<Cell, SiteError> {
    if v.is_new(i) {
        return Ok(Cell { class: Some("change new"), ..Cell::num(v.t("new_marker")?) });
    }
    Ok(match change {
        Some(c) => Cell { class: Some("change"), ..Cell::num(format::signed(c, v.ed.precision)) },
        None => Cell { class: Some("change none"), sr: Some(v.t("no_comparison")?.into()), ..Cell::num("—") },
    })
}

/// A rank change cell: "▲3" / "▼2" / "–", read as "up 3 places" etc.
pub(super) fn rank_change_cell(v: &EditionView, i: usize, change: Option<i32>) -> Result<Cell, SiteError> {
    if v.is_new(i) {
        return Ok(Cell { class: Some("change new"), sr: Some(v.t("new_indicator")?.into()), ..Cell::num("—") });
    }
    let Some(n) = change else {
        return Ok(Cell { class: Some("change none"), sr: Some(v.t("no_comparison")?.into()), ..Cell::num("—") });
    };
    let (text, class) = match n {
        n if n > 0 => (format!("▲{n}"), "change up"),
        n if n < 0 => (format!("▼{}", n.unsigned_abs()), "change down"),
        _ => ("–".to_string(), "change same"),
    };
    Ok(Cell { class: Some(class), sr: Some(rank_move_words(v, n)?), ..Cell::num(text) })
}

/// The change cells of district `d` on node `i` matching [`change_columns`].
pub(super) fn change_cells(v: &EditionView, i: usize, d: usize, rank: bool) -> Result<Vec<Cell>, SiteError> {
    if v.changes().is_none() {
        return Ok(Vec::new());
    }
    let mut cells = vec![value_change_cell(v, i, v.value_change(i, d))?];
    if rank {
        cells.push(rank_change_cell(v, i, v.rank_change(i, d))?);
    }
    Ok(cells)
}

/// Whether a table of `nodes` gets a column with the city change: always with a computed previous
/// edition, with only a history file where it has a figure for one of them.
pub(super) fn city_change_column(v: &EditionView, nodes: &[usize]) -> bool {
    v.changes().is_some() || nodes.iter().any(|&c| v.city_change(c).is_some())
}
