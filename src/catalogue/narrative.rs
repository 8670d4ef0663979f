//! Which narrative files the pages show: `content/<year>/<lang>/<key>.md` for each key below.
//! The load stage refuses any other file, which would otherwise be silently left out.

use crate::model::{IndicatorKind, IndicatorTree};

/// A narrative file an edition's pages show, named by what it is about; its file name below
/// `content/<year>/<lang>/` is [`NarrativeKey::file`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NarrativeKey {
    /// The home page's introduction (`_index`).
    Home,
    /// The print edition's foreword (`front`).
    Front,
    Method,
    /// The overall chapter's introduction (`overall/_index`).
    OverallIntro,
    /// The overall index's commentary (`overall/overall`).
    OverallIndex,
    /// The commentary on first-level index `i` in the overall chapter (`overall/<id>`).
    OverallFirst(usize),
    /// The regional chapter's introduction (`regional/_index`).
    RegionalIntro,
    /// The root indicator's section, which is the regional chapter (`regional/<root id>`).
    RegionalRoot,
    /// The section of node `i` below the root (`regional/<id>`).
    Section(usize),
    Districts,
    Data,
}

impl NarrativeKey {
    /// The file's name below `content/<year>/<lang>/`, without `.md`.
    pub fn file(self, tree: &IndicatorTree) -> String {
        match self {
            NarrativeKey::Home => "_index".into(),
            NarrativeKey::Front => "front".into(),
            NarrativeKey::Method => "method".into(),
            NarrativeKey::OverallIntro => "overall/_index".into(),
            NarrativeKey::OverallIndex => "overall/overall".into(),
            NarrativeKey::OverallFirst(i) => format!("overall/{}", tree.nodes[i].id),
            NarrativeKey::RegionalIntro => "regional/_index".into(),
            NarrativeKey::RegionalRoot => format!("regional/{}", tree.root().id),
            NarrativeKey::Section(i) => format!("regional/{}", tree.nodes[i].id),
            NarrativeKey::Districts => "districts".into(),
            NarrativeKey::Data => "data".into(),
        }
    }

    /// The key of file `file` (as [`NarrativeKey::file`] names it), if the pages show it.
    pub fn of_file(file: &str, tree: &IndicatorTree) -> Option<NarrativeKey> {
        all(tree).into_iter().find(|k| k.file(tree) == file)
    }
}

/// Every narrative an edition with this indicator tree can show, in page order.
pub fn all(tree: &IndicatorTree) -> Vec<NarrativeKey> {
    let mut keys = vec![
        NarrativeKey::Home,
        NarrativeKey::Front,
        NarrativeKey::Method,
        NarrativeKey::OverallIntro,
        NarrativeKey::OverallIndex,
        NarrativeKey::RegionalIntro,
        NarrativeKey::Districts,
        NarrativeKey::Data,
    ];
    let root = tree.root();
    keys.extend(root.children.iter().copied().filter(|&c| tree.nodes[c].kind == IndicatorKind::Index).map(NarrativeKey::OverallFirst));
    keys.push(NarrativeKey::RegionalRoot);
    keys.extend(super::section_nodes(tree).into_iter().map(NarrativeKey::Section));
    keys
}

/// Every narrative file name the pages of an edition with this indicator tree look up, in page
/// order (see docs/writing.md).
pub fn narrative_keys(tree: &IndicatorTree) -> Vec<String> {
    all(tree).into_iter().map(|k| k.file(tree)).collect()
}
