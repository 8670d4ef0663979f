//! What every page of one edition in one language shares: names, formatted numbers, narrative
//! lookup, figure lookup and the base Tera context.
//!
//! The base context (UI strings, edition metadata) is serialised once here; pages clone it and add
//! a small view of their own, because serialising large contexts per page is what made other
//! generators slow.

use crate::catalogue::NarrativeKey;
use serde::Serialize;

use crate::i18n::Strings;
use super::shortcode::{self, Scope};
use super::{EditionInput, Figure, RenderOptions, SiteError, markdown};
use crate::format;
use crate::catalogue::{FigureKey, Numbering};
use crate::model::{ContentPage, Edition, EditionChanges, IndexResults, IndicatorKind, Lang, Status};

pub(crate) struct EditionView<'a> {
    pub input: &'a EditionInput<'a>,
    /// The edition's charts and maps (drawn on demand or before; see `FigureSource`).
    pub figures: &'a crate::figures::EditionFigures,
    pub ed: &'a Edition,
    pub res: &'a IndexResults,
    pub lang: Lang,
    pub strings: &'a Strings,
    pub opts: &'a RenderOptions,
    pub numbering: Numbering,
    /// All editions of the build, newest first (for the edition switcher).
    pub editions: &'a [&'a Edition],
    pub base: tera::Context,
    /// Each node's raw values (`None` where none are shown), worked out once: every ranking row
    /// and profile cell reads them.
    pub raw: Vec<Option<crate::compute::raw::RawValues<'a>>>,
    /// Each district's strengths and weaknesses (`compute::standing`), worked out once: the
    /// profile lists them and the compare tool's data carries them.
    pub standings: Vec<crate::compute::standing::Standings>,
    /// The print edition the pages link to (set once it is typeset).
    pub book: Option<BookLink>,
}

/// The link to the print edition: its site path and "PDF 版（86 页，3.1 MB）".
#[derive(Clone, Serialize)]
pub(crate) struct BookLink {
    pub path: String,
    pub label: String,
}

#[derive(Serialize)]
struct EditionMeta<'a> {
    year: u16,
    title: &'a str,
    subtitle: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<String>,
    /// The data licence and the contact, for the footer (issue 12).
    licence: Option<&'a crate::model::Licence>,
    contact: Option<serde_json::Value>,
    map_attribution: Option<&'a str>,
    draft: bool,
}

/// A narrative for the print edition: its Markdown with shortcodes expanded, and where it was
/// written (for an error about a reference in it).
#[derive(Clone)]
pub(crate) struct PrintText {
    pub markdown: String,
    pub file: std::path::PathBuf,
    /// Line of `file` where the Markdown starts.
    pub body_line: usize,
}

/// A narrative file, ready to insert.
pub(crate) struct Narrative {
    pub html: String,
    /// The Markdown itself, for the print edition.
    pub print: PrintText,
    pub title: Option<String>,
    pub description: Option<String>,
    pub draft: bool,
}

impl<'a> EditionView<'a> {
    pub fn new(
        input: &'a EditionInput<'a>,
        figures: &'a crate::figures::EditionFigures,
        lang: Lang,
        strings: &'a Strings,
        opts: &'a RenderOptions,
        editions: &'a [&'a Edition],
    ) -> Result<Self, SiteError> {
        let ed = input.edition;
        let mut base = tera::Context::new();
        base.insert("ui", strings.all(lang));
        base.insert("lang", lang.code());
        base.insert("html_lang", lang.html_tag());
        base.insert("preview", &opts.preview);
        base.insert(
            "edition",
            &EditionMeta {
                year: ed.year,
                title: ed.title.get(lang),
                subtitle: ed.subtitle.as_ref().map(|s| s.get(lang)),
                publisher: ed.publisher.as_ref().map(|s| s.get(lang)),
                published: opts.published.as_deref().or(ed.publication.date.as_deref()).map(|d| format::date(d, lang)),
                licence: ed.publication.licence.as_ref(),
                contact: ed.publication.contact.as_deref().map(|c| {
                    serde_json::json!({ "href": super::links::contact_href(c), "label": c.trim_start_matches("mailto:") })
                }),
                map_attribution: ed.map.as_ref().map(|m| m.attribution.get(lang)).filter(|a| !a.is_empty()),
                draft: ed.status == Status::Draft,
            },
        );
        Ok(EditionView {
            input,
            figures,
            ed,
            res: input.results,
            lang,
            strings,
            opts,
            numbering: Numbering::new(&ed.tree, &ed.districts.regions),
            editions,
            base,
            raw: (0..ed.tree.nodes.len()).map(|i| crate::compute::raw::raw_values(ed, i)).collect(),
            standings: crate::compute::standing::every_district(&ed.tree, input.results, ed.districts.districts.len(), ed.precision),
            book: None,
        })
    }

    pub fn t(&self, key: &str) -> Result<&'a str, SiteError> {
        Ok(self.strings.get(self.lang, key)?)
    }

    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> Result<String, SiteError> {
        Ok(self.strings.fill(self.lang, key, args)?)
    }

    /// Name of tree level `level` ("二级指标" / "Second level"); levels past the named ones in
    /// strings.toml get a generic name ("第 6 级指标" / "Level 6").
    pub fn level_name(&self, level: usize) -> Result<String, SiteError> {
        match self.strings.all(self.lang).get(&format!("levelname_{level}")) {
            Some(name) => Ok(name.clone()),
            None => self.fill("levelname_n", &[("n", &level.to_string())]),
        }
    }

    /// Site path of a page of this edition and language ("2020/zh/" + rel).
    pub fn path(&self, rel: &str) -> String {
        format!("{}/{}/{rel}", self.ed.year, self.lang.code())
    }

    pub fn num(&self, x: f64) -> String {
        format::number(x, self.ed.precision)
    }

    pub fn rounded(&self, x: f64) -> f64 {
        format::round(x, self.ed.precision)
    }

    pub fn ind_name(&self, i: usize) -> &'a str {
        self.ed.tree.display_name(i).get(self.lang)
    }

    pub fn dist_name(&self, d: usize) -> &'a str {
        self.ed.districts.districts[d].name.get(self.lang)
    }

    pub fn region_name(&self, r: usize) -> &'a str {
        self.ed.districts.regions[r].name.get(self.lang)
    }

    pub fn region_of(&self, d: usize) -> usize {
        self.ed.districts.districts[d].region
    }

    /// The city and every region by name, as a sentence lists them ("全市、北部、南部和东部" /
    /// "the city, North, South and East"); past five regions, which no caption can list
    /// readably, their number instead.
    pub fn city_and_regions(&self) -> Result<String, SiteError> {
        let n = self.ed.districts.regions.len();
        let regions: Vec<&str> = (0..n).map(|r| self.region_name(r)).collect();
        match format::list_after(self.t("city_in_list")?, &regions, self.lang) {
            Some(listed) => Ok(listed),
            None => self.fill("city_and_many_regions", &[("n", &n.to_string())]),
        }
    }

    /// Indices of tree nodes that have a regional section page: everything but the root, indices
    /// in pre-order and the coefficients last (as in the print).
    pub fn section_nodes(&self) -> Vec<usize> {
        crate::catalogue::section_nodes(&self.ed.tree)
    }

    /// Children of node `i` that take part in its weighted mean.
    pub fn index_children(&self, i: usize) -> Vec<usize> {
        let nodes = &self.ed.tree.nodes;
        nodes[i].children.iter().copied().filter(|&c| nodes[c].kind == IndicatorKind::Index).collect()
    }

    pub fn coefficients(&self) -> Vec<usize> {
        let nodes = &self.ed.tree.nodes;
        nodes[0].children.iter().copied().filter(|&c| nodes[c].kind == IndicatorKind::Coefficient).collect()
    }

    /// Districts in ranking order for node `i` (ties in the analysts' order), optionally within
    /// one region.
    pub fn ranked(&self, i: usize, region: Option<usize>) -> Vec<usize> {
        let r = &self.res.nodes[i];
        let mut ds: Vec<usize> = (0..self.ed.districts.districts.len())
            .filter(|&d| region.is_none_or(|reg| self.region_of(d) == reg))
            .collect();
        ds.sort_by_key(|&d| (r.rank[d], d));
        ds
    }

    // ---- changes since the previous edition ----

    /// Full changes (districts, ranks, framework) when the previous edition is computed too.
    pub fn changes(&self) -> Option<&'a EditionChanges> {
        self.input.changes
    }

    /// The year compared with: the previous computed edition, or else the latest earlier year of
    /// the history file (city values only).
    pub fn previous_year(&self) -> Option<u16> {
        self.input.changes.map(|c| c.previous_year).or(self.input.previous.as_ref().map(|p| p.year))
    }

    /// Node `i` has no counterpart in the previous computed edition (unknown without one).
    pub fn is_new(&self, i: usize) -> bool {
        self.input.changes.is_some_and(|c| c.previous_node[i].is_none())
    }

    /// Change of the city value of node `i`, between published values.
    pub fn city_change(&self, i: usize) -> Option<f64> {
        if let Some(c) = self.input.changes {
            return c.city_change[i];
        }
        self.previous_value(i, "city").map(|then| self.rounded(self.rounded(self.res.nodes[i].city) - then))
    }

    /// Change of region `r`'s value of node `i`.
    pub fn region_change(&self, i: usize, r: usize) -> Option<f64> {
        if let Some(c) = self.input.changes {
            return c.region_change[i][r];
        }
        let id = &self.ed.districts.regions[r].id;
        self.previous_value(i, id).map(|then| self.rounded(self.rounded(self.res.nodes[i].regions[r]) - then))
    }

    /// Change of district `d`'s value of node `i` (only with a computed previous edition).
    pub fn value_change(&self, i: usize, d: usize) -> Option<f64> {
        self.input.changes.and_then(|c| c.value_change[i][d])
    }

    /// Places district `d` moved up on node `i` (negative: down).
    pub fn rank_change(&self, i: usize, d: usize) -> Option<i32> {
        self.input.changes.and_then(|c| c.rank_change[i][d])
    }

    /// District `d`'s published value and rank on node `i` in the previous computed edition
    /// (issue 24: the profile's editions table); `None` without one or without a counterpart.
    pub fn previous_standing(&self, i: usize, d: usize) -> Option<(f64, u32)> {
        let rank = self.rank_change(i, d)?;
        let value = self.previous_value(i, &self.ed.districts.districts[d].id)?;
        let then = i64::from(self.res.nodes[i].rank[d]) + i64::from(rank);
        Some((value, u32::try_from(then).ok()?))
    }

    /// Published previous value of node `i` for `entity` from `previous` (history or edition).
    fn previous_value(&self, i: usize, entity: &str) -> Option<f64> {
        let prev = self.input.previous.as_ref()?;
        let node = &self.ed.tree.nodes[i];
        [Some(&node.id), node.continues.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|id| prev.values.get(&(id.clone(), entity.to_string())))
            .map(|&x| self.rounded(x))
    }

    pub fn figure(&self, key: FigureKey) -> Option<&'a Figure> {
        self.figures.get(&(self.lang, key))
    }

    fn content(&self, key: &str) -> Option<&'a ContentPage> {
        self.ed.content.iter().find(|c| c.lang == self.lang && c.key == key && (!c.draft || self.opts.drafts))
    }

    /// The narrative `key` with shortcodes expanded and Markdown rendered; `None` if there is
    /// none (or it is a draft and drafts are off).
    pub fn narrative(&self, key: NarrativeKey) -> Result<Option<Narrative>, SiteError> {
        let Some(page) = self.content(&key.file(&self.ed.tree)) else { return Ok(None) };
        let scope = Scope {
            edition: self.ed,
            results: self.res,
            lang: self.lang,
            previous: self.input.previous.as_ref(),
            city_name: self.t("city")?,
        };
        let md = shortcode::expand(page, &scope)?;
        Ok(Some(Narrative {
            html: markdown::to_html(&md),
            print: PrintText { markdown: md, file: page.file.clone(), body_line: page.body_line },
            title: page.title.clone(),
            description: page.description.clone(),
            draft: page.draft,
        }))
    }
}
