//! What the index knows about the pages that are about one thing: a district's profile and an
//! indicator's page. Their names in both languages, the names the indicator had in other editions
//! (followed through `continues`), and the current value shown on the result line.

use std::collections::BTreeMap;

use crate::model::{Edition, IndexResults, Lang};
use crate::site::SiteError;
use crate::site::format;
use crate::site::i18n::Strings;

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
) -> Result<BTreeMap<String, Entity>, SiteError> {
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
            let mut names = vec![node.name.get(lang).to_string(), node.name.get(lang.other()).to_string()];
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

fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !n.trim().is_empty() && !out.contains(&n) {
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
