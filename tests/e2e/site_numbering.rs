//! Table and figure numbers agree with the printed 2020 report.

use crate::common::site as site_common;

use cityreport::catalogue::{Numbering, Scope, TableKey};
use cityreport::model::Edition;

fn node(ed: &Edition, id: &str) -> usize {
    ed.tree.index_of(id).unwrap_or_else(|| panic!("no indicator {id}"))
}

fn region(ed: &Edition, id: &str) -> Scope {
    Scope::Region(ed.districts.region_index_of(id).unwrap_or_else(|| panic!("no region {id}")))
}

/// `printed_table` of tests/fixtures/indicator-system-2020.csv (copied from the reference): the
/// first table of each indicator in chapter 3; for the overall index its two regional tables.
#[test]
fn chapter_3_tables_match_the_print() {
    let (ed, _) = site_common::demo();
    let n = Numbering::new(&ed.tree, &ed.districts.regions);
    let csv = include_str!("../fixtures/indicator-system-2020.csv");
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (id, printed) = (cols[0], cols[cols.len() - 1]);
        if id == "overall" {
            assert_eq!(printed, "3-2;3-3");
            assert_eq!(n.table(TableKey::Ranking(node(&ed, "overall"), region(&ed, "central"))), Some("3-2"));
            assert_eq!(n.table(TableKey::Ranking(node(&ed, "overall"), region(&ed, "suburban"))), Some("3-3"));
        } else {
            assert_eq!(n.table(TableKey::Ranking(node(&ed, id), Scope::All)), Some(printed), "{id}");
        }
        checked += 1;
    }
    assert_eq!(checked, 53);
    assert_eq!(n.table(TableKey::Top), Some("3-1"));
    // First-level indices have their regional tables right after the all-district one.
    assert_eq!(n.table(TableKey::Ranking(node(&ed, "infra"), region(&ed, "central"))), Some("3-5"));
    assert_eq!(n.table(TableKey::Ranking(node(&ed, "env"), region(&ed, "suburban"))), Some("3-48"));
}

#[test]
fn chapter_1_and_2_tables_match_the_print() {
    let (ed, _) = site_common::demo();
    let n = Numbering::new(&ed.tree, &ed.districts.regions);
    assert_eq!(n.table(TableKey::Indicators), Some("1-1"));
    assert_eq!(n.table(TableKey::Regions), Some("1-2"));
    // 表 2-1 新型基础设施指数二级指标 … 表 2-13 发展环境指数 — 试点示范.
    let order = [
        "infra", "capacity", "perception", "data", "app", "gov", "city", "economy", "services", "env", "mechanism",
        "innovation", "pilot",
    ];
    for (k, id) in order.iter().enumerate() {
        assert_eq!(n.table(TableKey::Children(node(&ed, id))), Some(format!("2-{}", k + 1).as_str()), "{id}");
    }
    assert_eq!(n.table(TableKey::Children(0)), None, "the print has no table of the first-level indices");
}

/// Every figure caption of the report (图 x-y), by the key the chart stage uses.
#[test]
fn figures_match_the_print() {
    let (ed, _) = site_common::demo();
    let n = Numbering::new(&ed.tree, &ed.districts.regions);
    let printed = [
        ("framework", "1-1"),
        ("history", "2-1"),
        ("city:overall", "2-2"),
        ("regions:infra", "2-3"),
        ("city:infra", "2-4"),
        ("city:capacity", "2-5"),
        ("city:perception", "2-6"),
        ("city:data", "2-7"),
        ("regions:app", "2-8"),
        ("city:app", "2-9"),
        ("city:gov", "2-10"),
        ("city:city", "2-11"),
        ("city:economy", "2-12"),
        ("city:services", "2-13"),
        ("regions:env", "2-14"),
        ("city:env", "2-15"),
        ("city:mechanism", "2-16"),
        ("city:innovation", "2-17"),
        ("city:pilot", "2-18"),
        ("map:overall", "3-1"),
        ("map:infra", "3-2"),
        ("bars:infra:central", "3-3"),
        ("bars:infra:suburban", "3-4"),
        ("bars:capacity:central", "3-5"),
        ("bars:capacity:suburban", "3-6"),
        ("bars:perception:central", "3-7"),
        ("bars:perception:suburban", "3-8"),
        ("bars:data:central", "3-9"),
        ("bars:data:suburban", "3-10"),
        ("map:app", "3-11"),
        ("bars:app:central", "3-12"),
        ("bars:app:suburban", "3-13"),
        ("bars:gov:central", "3-14"),
        ("bars:gov:suburban", "3-15"),
        ("bars:city:central", "3-16"),
        ("bars:city:suburban", "3-17"),
        ("bars:economy:central", "3-18"),
        ("bars:economy:suburban", "3-19"),
        ("bars:services:central", "3-20"),
        ("bars:services:suburban", "3-21"),
        ("map:env", "3-22"),
        ("bars:env:central", "3-23"),
        ("bars:env:suburban", "3-24"),
        ("bars:mechanism:central", "3-25"),
        ("bars:mechanism:suburban", "3-26"),
        ("bars:innovation:central", "3-27"),
        ("bars:innovation:suburban", "3-28"),
        ("bars:pilot:central", "3-29"),
        ("bars:pilot:suburban", "3-30"),
    ];
    // By the figures' names, which are also their file names ("map-infra.png").
    let numbered: std::collections::BTreeMap<String, &str> = n.figures().map(|(k, number)| (k.name(&ed), number)).collect();
    for (key, number) in printed {
        assert_eq!(numbered.get(key).copied(), Some(number), "{key}");
    }
    // Nothing else is numbered: leaves' charts and all-district bars are extras of the site.
    assert_eq!(numbered.len(), printed.len());
    assert_eq!(n.figure(cityreport::catalogue::FigureKey::Map(node(&ed, "5g"))), None);
}
