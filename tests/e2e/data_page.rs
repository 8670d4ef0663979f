//! The data page describes the downloads as they are: its table of indices.csv columns lists
//! exactly the file's header, in order, in both languages.

use crate::common;

#[test]
fn the_column_table_is_the_csv_header() {
    let site = common::shared::demo_site();
    let csv = std::str::from_utf8(site.get("2020/data/indices.csv").expect("indices.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("indices.csv starts with a UTF-8 BOM, for Excel");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for lang in ["zh", "en"] {
        let html = std::str::from_utf8(site.get(&format!("2020/{lang}/data.html")).unwrap()).unwrap();
        let table = &html[html.find("id=\"table-indices-columns\"").expect("the columns table")..];
        let table = &table[..table.find("</table>").unwrap()];
        let names: Vec<&str> = table
            .split("<th scope=\"row\"")
            .skip(1)
            .map(|cell| {
                let text = &cell[cell.find('>').unwrap() + 1..];
                text[..text.find('<').unwrap()].trim()
            })
            .collect();
        assert_eq!(names, header, "{lang}: data.html lists other columns than indices.csv has");
        // Described from the edition's own regions, not a fixed list.
        assert!(table.contains("central, suburban"), "{lang}");
    }
}
