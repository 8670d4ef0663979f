//! Progress towards a plan's targets: one status per target, by a stated rule, from the target
//! and its outcomes. Pure functions; the rule is also written out on every progress page.
//!
//! The rule, applied to the latest outcome known at the time of assessment:
//! 1. a source's own verdict decides where it gives one (√ in an assessment table): met →
//!    achieved; not met at or after the target year → missed;
//! 2. a number that meets the target is achieved — for "about" within the tolerance; a printed
//!    bound counts only in the direction it guarantees ("≥ 68" meets "at least 60", "≤ 5" does not);
//! 3. not met at or after the target year → missed;
//! 4. before the target year: moving away from the target since the previous figure (or the
//!    baseline) → off track; otherwise, with a baseline, on track when the share of the way covered
//!    from baseline to target is at least the share of the period elapsed (时序进度), else behind;
//! 5. "keep increasing": up since the previous figure → on track (achieved once the target year is
//!    reached), not up → off track (missed at the target year);
//! 6. no outcome yet, a qualitative goal without a verdict, or no baseline to measure progress
//!    from → not assessable, with the reason.
//!
//! The trend arrow compares the last two outcomes with a number.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Actual, Comparator, Measured, Plan, PlanTarget, Qualifier};

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Achieved,
    OnTrack,
    Behind,
    OffTrack,
    Missed,
    NotAssessable(NoAssessment),
}

/// Why a target cannot be assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoAssessment {
    /// No outcome has been reported.
    NoData,
    /// A goal in words, and no source says whether it was met.
    Qualitative,
    /// An outcome, but no baseline to measure progress from.
    NoBaseline,
    /// "Keep increasing" with a single figure: nothing to compare with.
    NoTrend,
}

impl TargetStatus {
    /// Every status, in the order summaries list them.
    pub const ALL: [TargetStatus; 9] = [
        TargetStatus::Achieved,
        TargetStatus::OnTrack,
        TargetStatus::Behind,
        TargetStatus::OffTrack,
        TargetStatus::Missed,
        TargetStatus::NotAssessable(NoAssessment::NoData),
        TargetStatus::NotAssessable(NoAssessment::Qualitative),
        TargetStatus::NotAssessable(NoAssessment::NoBaseline),
        TargetStatus::NotAssessable(NoAssessment::NoTrend),
    ];

    /// Short stable name, for CSV downloads and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            TargetStatus::Achieved => "achieved",
            TargetStatus::OnTrack => "on_track",
            TargetStatus::Behind => "behind",
            TargetStatus::OffTrack => "off_track",
            TargetStatus::Missed => "missed",
            TargetStatus::NotAssessable(NoAssessment::NoData) => "no_data",
            TargetStatus::NotAssessable(NoAssessment::Qualitative) => "qualitative",
            TargetStatus::NotAssessable(NoAssessment::NoBaseline) => "no_baseline",
            TargetStatus::NotAssessable(NoAssessment::NoTrend) => "no_trend",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Flat,
}

/// The assessment of one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    pub status: TargetStatus,
    pub trend: Option<Trend>,
    /// The outcome the status rests on.
    pub latest: Option<Actual>,
    /// Share of the way from baseline to target covered (may exceed 1 or be negative).
    pub covered: Option<f64>,
    /// Share of the period from baseline year to target year elapsed at the latest outcome.
    pub elapsed: Option<f64>,
}

const EPS: f64 = 1e-9;

/// Whether a figure meets the comparator; `None` when it cannot tell (a bound in the wrong
/// direction, or a comparator without a number).
pub fn meets(comparator: Comparator, m: Measured) -> Option<bool> {
    let x = m.value;
    let lower_known = !matches!(m.qualifier, Some(Qualifier::AtMost | Qualifier::LessThan));
    let upper_known = !matches!(m.qualifier, Some(Qualifier::AtLeast | Qualifier::MoreThan));
    match comparator {
        Comparator::AtLeast(t) => {
            if x + EPS >= t {
                lower_known.then_some(true)
            } else {
                upper_known.then_some(false)
            }
        }
        Comparator::AtMost(t) => {
            if x <= t + EPS {
                upper_known.then_some(true)
            } else {
                lower_known.then_some(false)
            }
        }
        Comparator::About { value, tolerance } => {
            let within = (x - value).abs() <= tolerance + EPS;
            // A bound ("≥ x") pins down no single value: only a plain figure can be within.
            (lower_known && upper_known).then_some(within)
        }
        Comparator::Increasing | Comparator::Qualitative => None,
    }
}

/// The number a comparator aims at, if it has one.
pub fn goal(comparator: Comparator) -> Option<f64> {
    match comparator {
        Comparator::AtLeast(t) | Comparator::AtMost(t) => Some(t),
        Comparator::About { value, .. } => Some(value),
        Comparator::Increasing | Comparator::Qualitative => None,
    }
}

/// Assesses `target` from its outcomes (any order; those after `as_of` are ignored).
pub fn assess(target: &PlanTarget, outcomes: &[&Actual], as_of: Option<u16>) -> TargetProgress {
    let mut known: Vec<&Actual> = outcomes.iter().copied().filter(|a| as_of.is_none_or(|y| a.year <= y)).collect();
    known.sort_by_key(|a| a.year);
    let with_value: Vec<(u16, f64)> = known.iter().filter_map(|a| a.value.map(|m| (a.year, m.value))).collect();
    let trend = match with_value.as_slice() {
        [.., (_, a), (_, b)] if (b - a).abs() <= EPS => Some(Trend::Flat),
        [.., (_, a), (_, b)] => Some(if b > a { Trend::Up } else { Trend::Down }),
        _ => None,
    };
    let latest = known.last().copied();
    let progress = |status, covered, elapsed| TargetProgress { status, trend, latest: latest.cloned(), covered, elapsed };
    let Some(latest_actual) = latest else {
        let reason = if target.comparator == Comparator::Qualitative { NoAssessment::Qualitative } else { NoAssessment::NoData };
        return progress(TargetStatus::NotAssessable(reason), None, None);
    };
    let due = latest_actual.year >= target.year;
    match latest_actual.met {
        Some(true) => return progress(TargetStatus::Achieved, Some(1.0), None),
        Some(false) if due => return progress(TargetStatus::Missed, None, None),
        _ => {}
    }
    let Some(m) = latest_actual.value else {
        let status = match (latest_actual.met, target.comparator) {
            (Some(false), _) => TargetStatus::Behind,
            (None, Comparator::Qualitative) => TargetStatus::NotAssessable(NoAssessment::Qualitative),
            _ => TargetStatus::NotAssessable(NoAssessment::NoData),
        };
        return progress(status, None, None);
    };
    // The figure before the latest one: the previous outcome with a number, else the baseline.
    let before: Option<(u16, f64)> = with_value
        .iter()
        .rev()
        .find(|(y, _)| *y < latest_actual.year)
        .copied()
        .or(target.baseline.as_ref().filter(|b| b.year < latest_actual.year).map(|b| (b.year, b.value.value)));

    if target.comparator == Comparator::Increasing {
        let Some((_, prev)) = before else { return progress(TargetStatus::NotAssessable(NoAssessment::NoTrend), None, None) };
        let status = match (m.value > prev + EPS, due) {
            (true, true) => TargetStatus::Achieved,
            (true, false) => TargetStatus::OnTrack,
            (false, true) => TargetStatus::Missed,
            (false, false) => TargetStatus::OffTrack,
        };
        return progress(status, None, None);
    }
    let Some(t) = goal(target.comparator) else {
        return progress(TargetStatus::NotAssessable(NoAssessment::Qualitative), None, None);
    };
    if meets(target.comparator, m) == Some(true) {
        return progress(TargetStatus::Achieved, Some(1.0), None);
    }
    if due {
        return progress(TargetStatus::Missed, None, None);
    }
    let (covered, elapsed) = match &target.baseline {
        Some(b) if target.year > b.year && (t - b.value.value).abs() > EPS => (
            Some((m.value - b.value.value) / (t - b.value.value)),
            Some(f64::from(latest_actual.year.saturating_sub(b.year)) / f64::from(target.year - b.year)),
        ),
        _ => (None, None),
    };
    if let Some((_, prev)) = before
        && (t - m.value).abs() > (t - prev).abs() + EPS
    {
        return progress(TargetStatus::OffTrack, covered, elapsed);
    }
    let status = match (covered, elapsed) {
        (Some(c), Some(e)) if c + EPS >= e => TargetStatus::OnTrack,
        (Some(_), Some(_)) => TargetStatus::Behind,
        _ => TargetStatus::NotAssessable(NoAssessment::NoBaseline),
    };
    progress(status, covered, elapsed)
}

/// Every target of `plan` assessed as of year `as_of` (all outcomes when `None`), for the city or,
/// in a district-level plan, for `district`.
pub fn plan_progress(plan: &Plan, district: Option<&str>, as_of: Option<u16>) -> Vec<TargetProgress> {
    plan.targets
        .iter()
        .map(|t| {
            let outcomes: Vec<&Actual> =
                plan.actuals.iter().filter(|a| a.target == t.id && a.district.as_deref() == district.or(a.district.as_deref())).collect();
            assess(t, &outcomes, as_of)
        })
        .collect()
}

/// Every plan's targets assessed wherever the site shows them: with every outcome known (the plans
/// pages and `plan-progress.csv`) and as of each year a page reports on (an edition's chapter, an
/// archived edition's page); for the city, and for a district-level plan's own district. Worked
/// out here once, so the pages only look the assessments up.
#[derive(Debug, Clone, Default)]
pub struct PlanProgress {
    assessed: BTreeMap<(String, Option<String>, Option<u16>), Vec<TargetProgress>>,
}

impl PlanProgress {
    /// Assesses every plan with all outcomes and as of each of `years`.
    pub fn assess(plans: &[Plan], years: &[u16]) -> Self {
        let mut assessed = BTreeMap::new();
        for plan in plans {
            for district in [None, plan.district.clone()] {
                for as_of in std::iter::once(None).chain(years.iter().copied().map(Some)) {
                    assessed
                        .entry((plan.id.clone(), district.clone(), as_of))
                        .or_insert_with(|| plan_progress(plan, district.as_deref(), as_of));
                }
            }
        }
        PlanProgress { assessed }
    }

    /// The targets of `plan` as assessed by [`plan_progress`] with `district` and `as_of`, if
    /// [`PlanProgress::assess`] was asked for them.
    pub fn of(&self, plan: &Plan, district: Option<&str>, as_of: Option<u16>) -> Option<&[TargetProgress]> {
        self.assessed.get(&(plan.id.clone(), district.map(str::to_string), as_of)).map(Vec::as_slice)
    }
}

/// How many targets are in each status, in [`TargetStatus::ALL`] order, leaving out empty ones.
pub fn status_counts(progress: &[TargetProgress]) -> Vec<(TargetStatus, usize)> {
    TargetStatus::ALL
        .iter()
        .map(|&s| (s, progress.iter().filter(|p| p.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// For `cityreport check`: per plan, the ids of targets no row of actuals.csv reports on.
pub fn targets_without_actuals(plans: &[Plan]) -> Vec<(&str, Vec<&str>)> {
    plans
        .iter()
        .map(|p| {
            let missing = p.targets.iter().filter(|t| !p.actuals.iter().any(|a| a.target == t.id)).map(|t| t.id.as_str()).collect();
            (p.id.as_str(), missing)
        })
        .filter(|(_, m): &(&str, Vec<&str>)| !m.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Baseline, Bilingual};

    fn target(comparator: Comparator, baseline: Option<(u16, f64)>, year: u16) -> PlanTarget {
        PlanTarget {
            id: "t".into(),
            name: Bilingual::new("t", "t"),
            category: None,
            unit: None,
            kind: None,
            baseline: baseline.map(|(year, value)| Baseline {
                year,
                value: Measured { value, qualifier: None },
                source: Bilingual::new("s", "s"),
            }),
            year,
            comparator,
            as_printed: None,
        }
    }

    fn actual(year: u16, value: f64, qualifier: Option<Qualifier>) -> Actual {
        Actual {
            target: "t".into(),
            year,
            value: Some(Measured { value, qualifier }),
            met: None,
            district: None,
            as_printed: None,
            source: Bilingual::new("s", "s"),
        }
    }

    fn status(t: &PlanTarget, series: &[Actual]) -> TargetStatus {
        assess(t, &series.iter().collect::<Vec<_>>(), None).status
    }

    // A five-year plan 2021–2025 from a 2020 baseline of 40 to at least 80: 10 a year keeps pace.
    fn at_least_80() -> PlanTarget {
        target(Comparator::AtLeast(80.0), Some((2020, 40.0)), 2025)
    }

    #[test]
    fn met_is_achieved_even_before_the_target_year() {
        assert_eq!(status(&at_least_80(), &[actual(2022, 81.0, None)]), TargetStatus::Achieved);
        assert_eq!(status(&at_least_80(), &[actual(2025, 80.0, None)]), TargetStatus::Achieved);
    }

    #[test]
    fn on_track_when_progress_keeps_pace_with_time() {
        // 2022: 2 of 5 years elapsed (40%), 24 of 40 covered (60%).
        let p = assess(&at_least_80(), &[&actual(2021, 50.0, None), &actual(2022, 64.0, None)], None);
        assert_eq!(p.status, TargetStatus::OnTrack);
        assert!((p.covered.unwrap() - 0.6).abs() < 1e-12 && (p.elapsed.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(p.trend, Some(Trend::Up));
        // Exactly on pace counts as on track.
        assert_eq!(status(&at_least_80(), &[actual(2023, 64.0, None)]), TargetStatus::OnTrack);
    }

    #[test]
    fn behind_when_moving_towards_the_target_slower_than_time() {
        // 2023: 60% of the period elapsed, 25% of the way covered, still rising.
        assert_eq!(status(&at_least_80(), &[actual(2022, 45.0, None), actual(2023, 50.0, None)]), TargetStatus::Behind);
    }

    #[test]
    fn off_track_when_moving_away() {
        let series = [actual(2022, 70.0, None), actual(2023, 66.0, None)];
        let p = assess(&at_least_80(), &series.iter().collect::<Vec<_>>(), None);
        assert_eq!(p.status, TargetStatus::OffTrack, "ahead of pace but falling");
        assert_eq!(p.trend, Some(Trend::Down));
        // Against the baseline when there is only one outcome.
        assert_eq!(status(&at_least_80(), &[actual(2021, 35.0, None)]), TargetStatus::OffTrack);
        // A target to stay at or below: rising is moving away.
        let at_most = target(Comparator::AtMost(10.0), Some((2020, 20.0)), 2025);
        assert_eq!(status(&at_most, &[actual(2021, 22.0, None)]), TargetStatus::OffTrack);
        assert_eq!(status(&at_most, &[actual(2021, 17.0, None)]), TargetStatus::OnTrack);
    }

    #[test]
    fn missed_when_the_target_year_passes_unmet() {
        assert_eq!(status(&at_least_80(), &[actual(2025, 79.0, None)]), TargetStatus::Missed);
    }

    #[test]
    fn about_counts_within_the_tolerance_on_either_side() {
        let about = target(Comparator::About { value: 80.0, tolerance: 4.0 }, Some((2020, 40.0)), 2025);
        assert_eq!(status(&about, &[actual(2025, 76.0, None)]), TargetStatus::Achieved);
        assert_eq!(status(&about, &[actual(2025, 84.0, None)]), TargetStatus::Achieved);
        assert_eq!(status(&about, &[actual(2025, 75.9, None)]), TargetStatus::Missed);
        assert_eq!(status(&about, &[actual(2025, 84.1, None)]), TargetStatus::Missed);
        // Overshooting before the target year is moving past it, judged like any other distance.
        assert_eq!(status(&about, &[actual(2022, 79.0, None), actual(2023, 99.0, None)]), TargetStatus::OffTrack);
        // A bound pins down no value, so it is never "within".
        assert_eq!(status(&about, &[actual(2025, 80.0, Some(Qualifier::AtLeast))]), TargetStatus::Missed);
    }

    #[test]
    fn printed_bounds_count_only_in_the_direction_they_guarantee() {
        let t = target(Comparator::AtLeast(60.0), None, 2016);
        assert_eq!(status(&t, &[actual(2016, 68.0, Some(Qualifier::AtLeast))]), TargetStatus::Achieved);
        assert_eq!(status(&t, &[actual(2016, 60.0, Some(Qualifier::MoreThan))]), TargetStatus::Achieved);
        assert_eq!(status(&t, &[actual(2016, 87.0, Some(Qualifier::Estimated))]), TargetStatus::Achieved);
        assert_eq!(meets(Comparator::AtLeast(60.0), Measured { value: 68.0, qualifier: Some(Qualifier::AtMost) }), None);
        assert_eq!(meets(Comparator::AtLeast(60.0), Measured { value: 50.0, qualifier: Some(Qualifier::AtLeast) }), None);
        assert_eq!(meets(Comparator::AtMost(60.0), Measured { value: 50.0, qualifier: Some(Qualifier::LessThan) }), Some(true));
    }

    #[test]
    fn keep_increasing_follows_the_last_two_figures() {
        let up = target(Comparator::Increasing, Some((2020, 7.0)), 2025);
        assert_eq!(status(&up, &[actual(2021, 7.5, None)]), TargetStatus::OnTrack, "up on the baseline");
        assert_eq!(status(&up, &[actual(2021, 7.5, None), actual(2022, 7.4, None)]), TargetStatus::OffTrack);
        assert_eq!(status(&up, &[actual(2024, 7.5, None), actual(2025, 7.9, None)]), TargetStatus::Achieved);
        assert_eq!(status(&up, &[actual(2024, 7.5, None), actual(2025, 7.5, None)]), TargetStatus::Missed);
        let no_baseline = target(Comparator::Increasing, None, 2025);
        assert_eq!(status(&no_baseline, &[actual(2021, 7.5, None)]), TargetStatus::NotAssessable(NoAssessment::NoTrend));
    }

    #[test]
    fn without_data_or_measure_the_target_is_not_assessable() {
        assert_eq!(status(&at_least_80(), &[]), TargetStatus::NotAssessable(NoAssessment::NoData));
        let words = target(Comparator::Qualitative, None, 2016);
        assert_eq!(status(&words, &[]), TargetStatus::NotAssessable(NoAssessment::Qualitative));
        let no_base = target(Comparator::AtLeast(80.0), None, 2025);
        assert_eq!(status(&no_base, &[actual(2022, 50.0, None)]), TargetStatus::NotAssessable(NoAssessment::NoBaseline));
        // Outcomes after the assessment year are not known yet.
        let later = [actual(2024, 90.0, None)];
        assert_eq!(assess(&at_least_80(), &later.iter().collect::<Vec<_>>(), Some(2023)).status, TargetStatus::NotAssessable(NoAssessment::NoData));
    }

    #[test]
    fn a_sources_verdict_decides_where_no_figure_can() {
        let words = target(Comparator::Qualitative, None, 2016);
        let met = Actual { value: None, met: Some(true), ..actual(2016, 0.0, None) };
        assert_eq!(status(&words, std::slice::from_ref(&met)), TargetStatus::Achieved);
        let not_met = Actual { met: Some(false), ..met.clone() };
        assert_eq!(status(&words, &[not_met]), TargetStatus::Missed);
        let counts = status_counts(&[assess(&words, &[&met], None), assess(&at_least_80(), &[], None)]);
        let plan = Plan {
            id: "p".into(),
            name: Bilingual::new("p", "p"),
            start_year: 2014,
            end_year: 2025,
            issuer: None,
            document: None,
            district: None,
            tolerance_note: None,
            targets: vec![PlanTarget { id: "words".into(), ..words.clone() }, at_least_80()],
            actuals: vec![Actual { target: "words".into(), ..met.clone() }],
        };
        assert_eq!(targets_without_actuals(std::slice::from_ref(&plan)), [("p", vec!["t"])]);
        assert_eq!(counts, [(TargetStatus::Achieved, 1), (TargetStatus::NotAssessable(NoAssessment::NoData), 1)]);
    }
}
