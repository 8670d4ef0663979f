//! Display names of indicators (issue 24): where two indicators of one tree share a name in a
//! language (a second-level index and a third-level indicator both called "政务服务"), every
//! place that names either of them says which one it is by its parent: "区域创新·政务服务" /
//! "Regional Innovation · Government Services". Names that are unique stay as written.

use std::collections::HashMap;

use super::{Bilingual, Indicator};

/// Each node's display name, in the order of `nodes` (the tree's pre-order). Worked out once per
/// tree ([`super::IndicatorTree::new`]); read through [`super::IndicatorTree::display_name`].
pub fn display_names(nodes: &[Indicator]) -> Vec<Bilingual> {
    let by_id: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let one = |name: &dyn Fn(&Bilingual) -> &str, sep: &str| -> Vec<String> {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for n in nodes {
            *count.entry(name(&n.name)).or_default() += 1;
        }
        nodes
            .iter()
            .map(|n| {
                let own = name(&n.name);
                let parent = n.parent.as_deref().and_then(|p| by_id.get(p)).map(|&p| name(&nodes[p].name));
                match parent {
                    Some(p) if count[own] > 1 && !p.is_empty() && !own.is_empty() => format!("{p}{sep}{own}"),
                    _ => own.to_string(),
                }
            })
            .collect()
    };
    let zh = one(&|b: &Bilingual| b.zh.as_str(), "·");
    let en = one(&|b: &Bilingual| b.en.as_str(), " · ");
    zh.into_iter().zip(en).map(|(zh, en)| Bilingual { zh, en }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parent: Option<&str>, zh: &str, en: &str) -> Indicator {
        let mut n = Indicator::plain(id, parent, if parent.is_some() { 1 } else { 0 });
        n.name = Bilingual::new(zh, en);
        n
    }

    #[test]
    fn shared_names_are_told_apart_by_their_parents_and_unique_names_stay() {
        let nodes = vec![
            node("root", None, "总指数", "Index"),
            node("gov", Some("root"), "政务服务", "Government Services"),
            node("inn", Some("root"), "区域创新", "Regional Innovation"),
            node("inn_gov", Some("inn"), "政务服务", "Online Services"),
        ];
        let names = display_names(&nodes);
        assert_eq!(names[0], Bilingual::new("总指数", "Index"));
        assert_eq!(names[1], Bilingual::new("总指数·政务服务", "Government Services"));
        assert_eq!(names[3], Bilingual::new("区域创新·政务服务", "Online Services"));
        assert_eq!(names[2].zh, "区域创新");
    }
}
