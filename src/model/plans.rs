//! Editions before the tool and plans with their targets: what the loader reads from
//! `data/<year>/edition.toml` (`status = "archived"`) and `data/plans/<id>/`.



use serde::{Deserialize, Serialize};

use super::{Bilingual, ContentPage, HistoryPoint};

/// An edition the project has no data for (`status = "archived"` in its edition.toml): what is
/// known of it, nothing more. Every field but the year may be unknown; pages then say so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchivedEdition {
    pub year: u16,
    pub title: Option<Bilingual>,
    /// The series the edition belongs to, shown when its own title is not known.
    pub series: Option<Bilingual>,
    pub publisher: Option<Bilingual>,
    /// Publication date as far as known: "2017", "2017-06" or "2017-06-15".
    pub published: Option<String>,
    /// Headline figures: the edition.toml's `[[figure]]`s and the history file's rows of the year.
    pub figures: Vec<HistoryPoint>,
    /// Ids of the plans (under `data/plans/`) this edition reports on.
    pub plans: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// `content/<year>/<lang>/_index.md`, where written.
    pub summary: Vec<ContentPage>,
}

/// A file shipped with an archived edition (e.g. the original PDF), copied into the site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    /// File name, also its name in the site under `<year>/files/`.
    pub file: String,
    pub label: Bilingual,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// 约束性 (binding) or 预期性 (expected) — how Chinese plans class their indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Binding,
    Expected,
}

/// What a target asks for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Comparator {
    /// Reach at least the value (达到, 突破, ≥).
    AtLeast(f64),
    /// Stay at or below the value.
    AtMost(f64),
    /// Reach the value within ± tolerance (左右), the tolerance in the target's unit.
    About { value: f64, tolerance: f64 },
    /// Keep rising (持续提升); no number.
    Increasing,
    /// A goal in words; met or not as a source says.
    Qualitative,
}

/// How a printed figure qualifies its number: "≥ 68%", "＞ 20 万个", "87（e）", "近 60 万个".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Qualifier {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    /// About, nearly.
    About,
    Estimated,
}

/// A figure from a source: the value as printed and its qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measured {
    pub value: f64,
    pub qualifier: Option<Qualifier>,
}

/// The value a target starts from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    pub year: u16,
    pub value: Measured,
    pub source: Bilingual,
}

/// One indicator of a plan with its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanTarget {
    pub id: String,
    pub name: Bilingual,
    pub category: Option<Bilingual>,
    pub unit: Option<Bilingual>,
    pub kind: Option<TargetKind>,
    pub baseline: Option<Baseline>,
    pub year: u16,
    pub comparator: Comparator,
    /// The target as the plan writes it ("80左右", "≥120"), shown beside the computed wording.
    pub as_printed: Option<String>,
}

/// A measured outcome of a target, from `actuals.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actual {
    pub target: String,
    pub year: u16,
    /// None when the source reports only whether the target was met.
    pub value: Option<Measured>,
    /// The source's own verdict on the target, where it gives one (√ in an assessment table).
    pub met: Option<bool>,
    /// For a district-level plan: the district the figure is for.
    pub district: Option<String>,
    /// The outcome as the source prints it ("20049.3 亿元", "≥ 68%"), when it differs from
    /// `value` in the target's unit or says more.
    pub as_printed: Option<String>,
    pub source: Bilingual,
}

/// A plan with targets (`data/plans/<id>/plan.toml`) and their outcomes (`actuals.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The folder name under `data/plans/`.
    pub id: String,
    pub name: Bilingual,
    pub start_year: u16,
    pub end_year: u16,
    pub issuer: Option<Bilingual>,
    /// The document the targets come from (title, number, date as given).
    pub document: Option<Bilingual>,
    /// A district-level plan: the id of its district; None for a city-wide plan.
    pub district: Option<String>,
    /// How "about" (左右) targets are judged, in words, when the plan itself does not say.
    pub tolerance_note: Option<Bilingual>,
    pub targets: Vec<PlanTarget>,
    /// In file order.
    pub actuals: Vec<Actual>,
}
