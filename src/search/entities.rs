//! What the index knows about the pages that are about one thing: a district's profile and an
//! indicator's page. Their names in both languages, the names the indicator had in other editions
//! (followed through `continues`), and the current value shown on the result line.

use std::collections::BTreeMap;

use super::tokenize::name_key;
use crate::model::{Edition, IndexResults, Lang};
use crate::i18n::TranslationError;
use crate::format;
use crate::i18n::Strings;

/// A page about one district or indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The page's own names first, then the other language's, then former names and the id;
    /// without repeats.
    pub names: Vec<String>,
    /// "智慧城市发展水平指数：83.17（第 1 名）" / "City mean: 95.81".
    pub value: String,
}

/// Every district and indicator page of `editions` in `lang`, by site path.
pub fn entities(
    editions: &[(&Edition, &IndexResults)],
    strings: &Strings,
    lang: Lang,
) -> Result<BTreeMap<String, Entity>, TranslationError> {
    let lineage = Lineage::new(editions);
    let mut out = BTreeMap::new();
    for (e, (ed, res)) in editions.iter().enumerate() {
        let dir = format!("{}/{}", ed.year, lang.code());
        let root_name = ed.tree.root().name.get(lang);
        for (d, district) in ed.districts.districts.iter().enumerate() {
            let mut names = Vec::new();
            for l in [lang, lang.other()] {
                names.push(district.name.get(l).to_string());
                names.push(district.full_name.get(l).to_string());
            }
            names.push(district.id.clone());
            let value = strings.fill(
                lang,
                "search_value_rank",
                &[
                    ("label", root_name),
                    ("value", &format::number(res.nodes[0].districts[d], ed.precision)),
                    ("rank", &res.nodes[0].rank[d].to_string()),
                ],
            )?;
            out.insert(format!("{dir}/districts/{}.html", district.id), Entity { names: dedup(names), value });
        }
        let city = strings.get(lang, "city_mean")?;
        for (i, node) in ed.tree.nodes.iter().enumerate() {
            let rel = if i == 0 { "regional/index.html".to_string() } else { format!("regional/{}.html", node.id) };
            let shown = ed.tree.display_name(i);
            let mut names = vec![shown.get(lang).to_string(), node.name.get(lang).to_string(), node.name.get(lang.other()).to_string()];
            for (other, j) in lineage.relatives(e, i) {
                let n = &editions[other].0.tree.nodes[j];
                names.extend([n.name.get(lang).to_string(), n.name.get(lang.other()).to_string(), n.id.clone()]);
            }
            names.push(node.id.clone());
            let value = strings.fill(lang, "search_value", &[("label", city), ("value", &format::number(res.nodes[i].city, ed.precision))])?;
            out.insert(format!("{dir}/{rel}"), Entity { names: dedup(names), value });
        }
    }
    Ok(out)
}

/// Names that differ only in case, width or spacing once: the first spelling is kept.
fn dedup(names: Vec<String>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for n in names {
        let key = name_key(&n);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
            out.push(n);
        }
    }
    out
}

/// Which nodes of different editions are the same indicator: a node continues the previous
/// edition's node with its `continues` id, or else with its own id (as `compare_editions` pairs
/// them). Editions are taken in year order, whatever order they come in.
struct Lineage {
    /// For each (edition, node): the group it belongs to.
    group: BTreeMap<(usize, usize), usize>,
    members: Vec<Vec<(usize, usize)>>,
}

impl Lineage {
    fn new(editions: &[(&Edition, &IndexResults)]) -> Lineage {
        let mut order: Vec<usize> = (0..editions.len()).collect();
        order.sort_by_key(|&e| editions[e].0.year);
        let mut lineage = Lineage { group: BTreeMap::new(), members: Vec::new() };
        let mut previous: Option<usize> = None;
        for e in order {
            let tree = &editions[e].0.tree;
            for (i, node) in tree.nodes.iter().enumerate() {
                let earlier = previous.and_then(|p| {
                    let old = node.continues.as_deref().unwrap_or(&node.id);
                    editions[p].0.tree.index_of(old).map(|j| (p, j))
                });
                let g = match earlier.and_then(|k| lineage.group.get(&k).copied()) {
                    Some(g) => g,
                    None => {
                        lineage.members.push(Vec::new());
                        lineage.members.len() - 1
                    }
                };
                lineage.group.insert((e, i), g);
                lineage.members[g].push((e, i));
            }
            previous = Some(e);
        }
        lineage
    }

    /// The same indicator in the other editions.
    fn relatives(&self, e: usize, i: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let g = self.group[&(e, i)];
        self.members[g].iter().copied().filter(move |&m| m != (e, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bilingual, IndicatorTree};

    fn demo() -> (Edition, IndexResults) {
        let ed = crate::load::load_edition(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), 2020).unwrap();
        let res = crate::compute::compute_edition(&ed).unwrap();
        (ed, res)
    }

    /// The demo as a 2021 edition where `5g` got a new name and `capacity` a new id.
    fn renamed(ed: &Edition) -> Edition {
        let mut next = ed.clone();
        next.year = 2021;
        let mut nodes = next.tree.nodes.clone();
        for n in &mut nodes {
            if n.id == "5g" {
                n.name = Bilingual::new("新名字", "A New Name");
            }
            if n.id == "capacity" {
                n.id = "basic_capacity".into();
                n.continues = Some("capacity".into());
            }
        }
        next.tree = IndicatorTree::new(nodes);
        next
    }

    #[test]
    fn renamed_indicators_carry_their_names_from_every_edition() {
        let (ed, res) = demo();
        let next = renamed(&ed);
        let strings = Strings::builtin().unwrap();
        let editions = [(&next, &res), (&ed, &res)];
        let zh = entities(&editions, &strings, Lang::Zh).unwrap();
        let old_5g = &ed.tree.get("5g").unwrap().name;
        let new_5g = &next.tree.get("5g").unwrap().name;
        for (page, name) in [("2021/zh/regional/5g.html", old_5g), ("2020/zh/regional/5g.html", new_5g)] {
            let names = &zh[page].names;
            assert!(names.contains(&name.zh) && names.contains(&name.en), "{page}: {names:?}");
        }
        // Former ids too (compared as the script compares them: "Basic Capacity" is basic_capacity).
        let has = |page: &str, id: &str| zh[page].names.iter().any(|n| name_key(n) == name_key(id));
        assert!(has("2021/zh/regional/basic_capacity.html", "capacity"));
        assert!(has("2020/zh/regional/capacity.html", "basic_capacity"));
        assert!(!has("2020/zh/regional/5g.html", "basic_capacity"));
        // Unrelated indicators do not pick up each other's names.
        assert!(!zh["2021/zh/regional/gov_cloud.html"].names.contains(&old_5g.zh));
    }

    #[test]
    fn result_lines_show_the_published_value() {
        let (ed, res) = demo();
        let strings = Strings::builtin().unwrap();
        let en = entities(&[(&ed, &res)], &strings, Lang::En).unwrap();
        let d = ed.districts.districts.iter().position(|d| d.id == "xuhui").unwrap();
        let line = &en["2020/en/districts/xuhui.html"].value;
        let value = format::number(res.nodes[0].districts[d], ed.precision);
        assert!(line.contains(&value) && line.contains(&res.nodes[0].rank[d].to_string()), "{line}");
        let i = ed.tree.index_of("broadband_speed").unwrap();
        let line = &en["2020/en/regional/broadband_speed.html"].value;
        assert!(line.contains(&format::number(res.nodes[i].city, ed.precision)), "{line}");
        // Names in both languages, the short and the official one, without repeats.
        let names = &en["2020/en/districts/xuhui.html"].names;
        let x = &ed.districts.districts[d];
        assert_eq!(names, &dedup(vec![x.name.en.clone(), x.full_name.en.clone(), x.name.zh.clone(), x.full_name.zh.clone(), x.id.clone()]));
        assert_eq!(names.len(), 4, "{names:?}");
    }
}
