//! Damaged-input corpus: each case damages one input file of a small working project (the
//! starter of `cityreport init`, plus a history.csv, a template override and a second narrative
//! page) and requires exit code 1, a message that names the file and the line (where the format
//! has lines) and says what to do, and — for the cases marked `build` — a previously built
//! `site/` left byte-identical. `check` runs for every case; `build` for a subset, as it is the
//! same pipeline plus the write.
//!
//! Every case is run and all failures are reported together.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

/// Where the message must place the problem.
enum Line {
    /// This line number.
    At(usize),
    /// The line of the first occurrence of this text in the damaged file.
    Of(&'static str),
    /// The problem is the file as a whole (its name, its link, a row that is absent): the
    /// message names the file only.
    File,
}

struct Case {
    name: &'static str,
    /// The file the message must name, relative to the project.
    file: &'static str,
    line: Line,
    /// Fragments the message must contain.
    expect: &'static [&'static str],
    /// Also run `build` and compare the site.
    build: bool,
    damage: fn(&Path),
}

const ED: &str = "data/2024/edition.toml";
const IND: &str = "data/2024/indicators.toml";
const DIS: &str = "data/2024/districts.toml";
const VAL: &str = "data/2024/values.csv";
const MAP: &str = "data/2024/districts.geojson";
const HIST: &str = "data/history.csv";
const EN: &str = "content/2024/en/_index.md";
const METHOD: &str = "content/2024/en/method.md";
const TPL: &str = "templates/page.html";
const PLAN_TOML: &str = "name = { zh = \"测试规划\", en = \"Test plan\" }\nstart_year = 2021\nend_year = 2025\n\n[[target]]\nid = \"share\"\nname = { zh = \"比例\", en = \"Share\" }\nyear = 2025\ncomparator = \"at_least\"\nvalue = 80\n";

const HISTORY: &str = "year,indicator,value,basis_zh,basis_en\n2022,digital,97.4,印刷版报告,printed report\n2023,digital,98.9,印刷版报告,printed report\n";
const METHOD_MD: &str = "+++\ntitle = \"Method\"\n+++\n\nThe index of {{ name(indicator=\"services\") }} is {{ value(indicator=\"services\", entity=\"city\") }}.\n";

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(p, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, rel: &str, more: &str) {
    let p = root.join(rel);
    let mut text = fs::read_to_string(&p).unwrap();
    text.push_str(more);
    fs::write(p, text).unwrap();
}

/// Replaces the `n`-th (0-based) feature's geometry of the starter map.
fn set_geometry(root: &Path, n: usize, geometry: &str) {
    let p = root.join(MAP);
    let text = fs::read_to_string(&p).unwrap();
    let mut parts: Vec<&str> = text.split("\"geometry\": ").collect();
    assert!(parts.len() > n + 1);
    let rest = parts[n + 1];
    // The geometry object ends before the feature's closing brace line.
    let end = rest.find("\n  }").unwrap();
    let replaced = format!("{geometry}{}", &rest[end..]);
    parts[n + 1] = &replaced;
    fs::write(p, parts.join("\"geometry\": ")).unwrap();
}

fn gbk(root: &Path, rel: &str, from: &str, to: &str) {
    replace(root, rel, from, to);
    let text = fs::read_to_string(root.join(rel)).unwrap();
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(root.join(rel), &bytes).unwrap();
}

fn deep_chain(root: &Path, depth: usize) {
    let mut parent = "digital_firms".to_string();
    let mut more = String::new();
    for k in 1..=depth {
        more.push_str(&format!("\n[[indicator]]\nid = \"deep{k}\"\nparent = \"{parent}\"\nname = {{ zh = \"深{k}\", en = \"Deep {k}\" }}\nweight = 1\n"));
        parent = format!("deep{k}");
    }
    append(root, IND, &more);
    let values = fs::read_to_string(root.join(VAL)).unwrap().replace("digital_firms", &parent);
    fs::write(root.join(VAL), values).unwrap();
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        // ---- edition.toml
        Case { name: "edition: unclosed string", file: ED, line: Line::Of("Example City"), expect: &["Example City"], build: true,
            damage: |r| replace(r, ED, "2024 (fictional)\"", "2024 (fictional)") },
        Case { name: "edition: unknown field", file: ED, line: Line::Of("yaer"), expect: &["yaer"], build: false,
            damage: |r| replace(r, ED, "year = 2024", "year = 2024\nyaer = 2024") },
        Case { name: "edition: year differs from folder", file: ED, line: Line::Of("year = 2023"), expect: &["folder is 2024"], build: false,
            damage: |r| replace(r, ED, "year = 2024", "year = 2023") },
        Case { name: "edition: precision too large", file: ED, line: Line::Of("precision = 9"), expect: &["more decimals"], build: false,
            damage: |r| replace(r, ED, "precision = 2", "precision = 9") },
        Case { name: "edition: unknown status", file: ED, line: Line::Of("\"final\""), expect: &["final"], build: false,
            damage: |r| replace(r, ED, "status = \"published\"", "status = \"final\"") },
        Case { name: "edition: blank English title", file: ED, line: Line::Of("[title]"), expect: &["en name of the edition", "blank"], build: true,
            damage: |r| replace(r, ED, "en = \"Example City Digital Development Assessment 2024 (fictional)\"", "en = \"  \"") },
        Case { name: "edition: zero-width-space title", file: ED, line: Line::Of("[title]"), expect: &["en name of the edition", "blank"], build: false,
            damage: |r| replace(r, ED, "en = \"Example City Digital Development Assessment 2024 (fictional)\"", "en = \"\u{200B}\"") },
        Case { name: "edition: 30 February", file: ED, line: Line::Of("2024-02-30"), expect: &["published = \"2024-02-30\" is not a date"], build: true,
            damage: |r| replace(r, ED, "precision = 2\n", "precision = 2\npublished = \"2024-02-30\"\n") },
        Case { name: "edition: map file missing", file: ED, line: Line::Of("nope.geojson"), expect: &["no map file \"nope.geojson\""], build: false,
            damage: |r| replace(r, ED, "file = \"districts.geojson\"", "file = \"nope.geojson\"") },
        Case { name: "edition: map file outside the folder", file: ED, line: Line::Of("../../"), expect: &["not a path inside"], build: true,
            damage: |r| replace(r, ED, "file = \"districts.geojson\"", "file = \"../../../../etc/hostname\"") },
        Case { name: "edition: map file absolute", file: ED, line: Line::Of("/etc/"), expect: &["not a path inside"], build: false,
            damage: |r| replace(r, ED, "file = \"districts.geojson\"", "file = \"/etc/hostname\"") },
        Case { name: "edition: GBK-encoded", file: ED, line: Line::At(10), expect: &["GBK", "UTF-8"], build: false,
            damage: |r| gbk(r, ED, "zh = \"2024年", "zh = \"2024年") },

        // ---- indicators.toml
        Case { name: "indicators: unclosed table", file: IND, line: Line::Of("[[indicator\nid"), expect: &[], build: true,
            damage: |r| replace(r, IND, "[[indicator]]\nid = \"economy\"", "[[indicator\nid = \"economy\"") },
        Case { name: "indicators: unknown field", file: IND, line: Line::Of("wieght"), expect: &["wieght"], build: false,
            damage: |r| replace(r, IND, "weight = 0.5", "wieght = 0.5") },
        Case { name: "indicators: duplicate id", file: IND, line: Line::Of("id = \"economy\"\nparent = \"digital\""), expect: &["defined twice"], build: false,
            damage: |r| replace(r, IND, "id = \"wait_time\"\nparent = \"services\"", "id = \"economy\"\nparent = \"services\"") },
        Case { name: "indicators: id with capitals and space", file: IND, line: Line::Of("Online Services"), expect: &["may use only"], build: false,
            damage: |r| replace(r, IND, "id = \"online_services\"", "id = \"Online Services\"") },
        Case { name: "indicators: unknown parent", file: IND, line: Line::Of("servcies"), expect: &["did you mean \"services\"?"], build: false,
            damage: |r| replace(r, IND, "parent = \"services\"", "parent = \"servcies\"") },
        Case { name: "indicators: own parent", file: IND, line: Line::Of("parent = \"wait_time\""), expect: &["its own parent"], build: false,
            damage: |r| replace(r, IND, "id = \"wait_time\"\nparent = \"services\"", "id = \"wait_time\"\nparent = \"wait_time\"") },
        Case { name: "indicators: cycle", file: IND, line: Line::Of("id = \"services\""), expect: &["cycle"], build: false,
            damage: |r| replace(r, IND, "id = \"services\"\nparent = \"digital\"", "id = \"services\"\nparent = \"online_services\"") },
        Case { name: "indicators: second root", file: IND, line: Line::Of("id = \"economy\""), expect: &["already the root"], build: false,
            damage: |r| replace(r, IND, "id = \"economy\"\nparent = \"digital\"\n", "id = \"economy\"\n") },
        Case { name: "indicators: weight not a number", file: IND, line: Line::Of("\"abc\""), expect: &["not a number or fraction"], build: false,
            damage: |r| replace(r, IND, "weight = 0.5", "weight = \"abc\"") },
        Case { name: "indicators: weight above one", file: IND, line: Line::Of("weight = 1.5"), expect: &["outside (0, 1]"], build: false,
            damage: |r| replace(r, IND, "weight = 0.5", "weight = 1.5") },
        Case { name: "indicators: weights do not add up", file: IND, line: Line::Of("id = \"digital\""), expect: &["add up to"], build: true,
            damage: |r| replace(r, IND, "weight = 0.5", "weight = 0.4") },
        Case { name: "indicators: index without weight", file: IND, line: Line::Of("id = \"digital_firms\""), expect: &["has no weight"], build: false,
            damage: |r| replace(r, IND, "weight = 1\n", "") },
        Case { name: "indicators: root with weight", file: IND, line: Line::Of("weight = 1\nname"), expect: &["has a weight"], build: false,
            damage: |r| replace(r, IND, "id = \"digital\"\n", "id = \"digital\"\nweight = 1\n") },
        Case { name: "indicators: coefficient with weight", file: IND, line: Line::Of("weight = 0.1"), expect: &["coefficients multiply"], build: false,
            damage: |r| replace(r, IND, "kind = \"coefficient\"\nrange", "kind = \"coefficient\"\nweight = 0.1\nrange") },
        Case { name: "indicators: reversed range", file: IND, line: Line::Of("range = [1.0, 0.8]"), expect: &["low < high"], build: false,
            damage: |r| replace(r, IND, "range = [0.8, 1.0]", "range = [1.0, 0.8]") },
        Case { name: "indicators: range on an index", file: IND, line: Line::Of("range = [0, 1]"), expect: &["only for coefficients"], build: false,
            damage: |r| replace(r, IND, "weight = 1\n", "weight = 1\nrange = [0, 1]\n") },
        Case { name: "indicators: unknown kind", file: IND, line: Line::Of("\"ratio\""), expect: &["ratio"], build: false,
            damage: |r| replace(r, IND, "kind = \"coefficient\"\nrange", "kind = \"ratio\"\nrange") },
        Case { name: "indicators: blank Chinese name", file: IND, line: Line::Of("zh = \"\""), expect: &["zh name of indicator \"economy\" is blank"], build: true,
            damage: |r| replace(r, IND, "zh = \"数字经济\"", "zh = \"\"") },
        Case { name: "indicators: whitespace English name", file: IND, line: Line::Of("en = \"   \""), expect: &["en name of indicator \"services\" is blank"], build: false,
            damage: |r| replace(r, IND, "en = \"Digital Services\"", "en = \"   \"") },
        Case { name: "indicators: tree too deep", file: IND, line: Line::Of("id = \"deep14\""), expect: &["at level 16", "at most 12 levels"], build: true,
            damage: |r| deep_chain(r, 14) },
        Case { name: "indicators: normalised parent", file: IND, line: Line::Of("id = \"economy\""), expect: &["cannot be normalised"], build: false,
            damage: |r| replace(r, IND, "id = \"economy\"\nparent = \"digital\"\n", "id = \"economy\"\nparent = \"digital\"\nnormalisation = { method = \"mean_ratio\" }\n") },

        // Method parameters: finite and meaningful, checked on their line (issue #26).
        Case { name: "indicators: target nan", file: IND, line: Line::Of("target = nan"), expect: &["is NaN, not a finite number"], build: true,
            damage: |r| replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"target\", target = nan }") },
        Case { name: "indicators: target inf", file: IND, line: Line::Of("target = inf"), expect: &["is inf, not a finite number"], build: false,
            damage: |r| replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"target\", target = inf }") },
        Case { name: "indicators: base 1e-320", file: IND, line: Line::Of("base = 1e-320"), expect: &["must be a positive number"], build: true,
            damage: |r| replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"base_ratio\", base = 1e-320 }") },
        Case { name: "indicators: base 0", file: IND, line: Line::Of("base = 0"), expect: &["must be a positive number"], build: false,
            damage: |r| replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"base_ratio\", base = 0 }") },

        // ---- districts.toml
        Case { name: "districts: syntax error", file: DIS, line: Line::Of("region = north"), expect: &[], build: true,
            damage: |r| replace(r, DIS, "region = \"north\"", "region = north") },
        Case { name: "districts: duplicate id", file: DIS, line: Line::Of("id = \"hill\"\nname = { zh = \"湖区\""), expect: &["used twice"], build: false,
            damage: |r| replace(r, DIS, "id = \"lake\"", "id = \"hill\"") },
        Case { name: "districts: reserved id", file: DIS, line: Line::Of("id = \"city\""), expect: &["reserved"], build: false,
            damage: |r| replace(r, DIS, "id = \"lake\"", "id = \"city\"") },
        Case { name: "districts: unknown region", file: DIS, line: Line::Of("\"nrth\""), expect: &["did you mean \"north\"?"], build: false,
            damage: |r| replace(r, DIS, "region = \"north\"", "region = \"nrth\"") },
        Case { name: "districts: region without districts", file: DIS, line: Line::Of("id = \"east\""), expect: &["has no districts"], build: false,
            damage: |r| append(r, DIS, "\n[[region]]\nid = \"east\"\nname = { zh = \"东部\", en = \"East\" }\n") },
        Case { name: "districts: blank district name", file: DIS, line: Line::Of("en = \"\" }"), expect: &["en name of district \"port\" is blank"], build: true,
            damage: |r| replace(r, DIS, "en = \"Port\" }", "en = \"\" }") },
        Case { name: "districts: blank region name", file: DIS, line: Line::Of("zh = \" \""), expect: &["zh name of region \"south\" is blank"], build: false,
            damage: |r| replace(r, DIS, "zh = \"南部\"", "zh = \" \"") },
        Case { name: "districts: blank full name", file: DIS, line: Line::Of("full_name"), expect: &["full name of district \"hill\""], build: false,
            damage: |r| replace(r, DIS, "region = \"north\"\nmap_feature = \"Hill\"", "region = \"north\"\nfull_name = { zh = \"山区\", en = \"\" }\nmap_feature = \"Hill\"") },
        Case { name: "districts: unknown field", file: DIS, line: Line::Of("colour"), expect: &["colour"], build: false,
            damage: |r| replace(r, DIS, "map_feature = \"Hill\"", "map_feature = \"Hill\"\ncolour = \"red\"") },
        Case { name: "districts: id with a dash", file: DIS, line: Line::Of("\"lake-side\""), expect: &["may use only", "use e.g. \"lake_side\""], build: false,
            damage: |r| replace(r, DIS, "id = \"lake\"", "id = \"lake-side\"") },
        Case { name: "districts: two districts, one map feature", file: DIS, line: Line::Of("map_feature =  \"Hill\""), expect: &["map feature \"Hill\" of another district (line "], build: true,
            damage: |r| replace(r, DIS, "map_feature = \"Port\"", "map_feature =  \"Hill\"") },

        // ---- values.csv
        Case { name: "values: unknown district", file: VAL, line: Line::Of("hil,"), expect: &["unknown district \"hil\"", "did you mean \"hill\"?"], build: true,
            damage: |r| replace(r, VAL, "hill,wait_time", "hil,wait_time") },
        Case { name: "values: unknown indicator", file: VAL, line: Line::Of("wait_tme"), expect: &["did you mean \"wait_time\"?"], build: false,
            damage: |r| replace(r, VAL, "lake,wait_time", "lake,wait_tme") },
        Case { name: "values: value for a computed index", file: VAL, line: Line::Of("hill,economy"), expect: &["takes no values"], build: false,
            damage: |r| append(r, VAL, "hill,economy,100,\n") },
        Case { name: "values: not a number", file: VAL, line: Line::Of("n/a"), expect: &["is not a number"], build: false,
            damage: |r| replace(r, VAL, "port,wait_time,9,", "port,wait_time,n/a,") },
        Case { name: "values: NaN", file: VAL, line: Line::Of("NaN"), expect: &["is NaN"], build: false,
            damage: |r| replace(r, VAL, "port,wait_time,9,", "port,wait_time,NaN,") },
        Case { name: "values: infinite", file: VAL, line: Line::Of("inf"), expect: &["is infinite"], build: false,
            damage: |r| replace(r, VAL, "port,wait_time,9,", "port,wait_time,inf,") },
        Case { name: "values: 1e200", file: VAL, line: Line::Of("1e200"), expect: &["16 or more digits"], build: true,
            damage: |r| replace(r, VAL, "hill,digital_firms,105,", "hill,digital_firms,1e200,") },
        Case { name: "values: duplicate row", file: VAL, line: Line::At(18), expect: &["a second value for hill / security (the first is on line 14)"], build: false,
            damage: |r| append(r, VAL, "hill,security,1.00,\n") },
        Case { name: "values: extra field", file: VAL, line: Line::Of("x,y"), expect: &["fields but the header has"], build: false,
            damage: |r| replace(r, VAL, "lake,online_services,81.0,", "lake,online_services,81.0,x,y") },
        Case { name: "values: header without value column", file: VAL, line: Line::At(1), expect: &["the header must have the columns"], build: false,
            damage: |r| replace(r, VAL, "district,indicator,value,note", "district,indicator,amount,note") },
        Case { name: "values: coefficient out of range", file: VAL, line: Line::Of("port,security,98"), expect: &["outside its range [0.8, 1]"], build: false,
            damage: |r| replace(r, VAL, "port,security,0.98,", "port,security,98,") },
        Case { name: "values: GBK-encoded", file: VAL, line: Line::At(2), expect: &["GBK"], build: false,
            damage: |r| gbk(r, VAL, "share of services applied for online", "网上办事") },
        Case { name: "values: empty cell", file: VAL, line: Line::Of("field,wait_time,,"), expect: &["no value for indicator \"wait_time\" for field"], build: false,
            damage: |r| replace(r, VAL, "field,wait_time,21,", "field,wait_time,,") },
        Case { name: "values: missing row", file: VAL, line: Line::File, expect: &["no value for indicator \"wait_time\" for field", "not imputed"], build: false,
            damage: |r| replace(r, VAL, "field,wait_time,21,\n", "") },

        // Values the normalisation cannot use: placed at the row, naming the indicator (issue #26).
        Case { name: "values: all equal for min-max", file: VAL, line: Line::At(2), expect: &["cannot compute \"online_services\"", "all districts have the same value"], build: true,
            damage: |r| {
                replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"min_max\" }");
                for v in ["81.0", "90.5", "64.0"] { replace(r, VAL, &format!("online_services,{v},"), "online_services,72.5,"); }
            } },
        Case { name: "values: target equals the worst value", file: VAL, line: Line::At(5), expect: &["cannot compute \"online_services\"", "equals the worst district's value"], build: false,
            damage: |r| replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"target\", target = 64 }") },
        Case { name: "values: mean 0", file: VAL, line: Line::At(2), expect: &["cannot compute \"online_services\"", "district mean is 0"], build: false,
            damage: |r| {
                for (from, to) in [("72.5", "1"), ("81.0", "-1"), ("90.5", "2"), ("64.0", "-2")] { replace(r, VAL, &format!("online_services,{from},"), &format!("online_services,{to},")); }
            } },
        Case { name: "values: a score of 0 in a geometric mean", file: VAL, line: Line::At(5), expect: &["cannot compute \"online_services\"", "needs every score above 0, but field scores 0"], build: false,
            damage: |r| {
                replace(r, IND, "normalisation = { method = \"mean_ratio\" }", "normalisation = { method = \"min_max\" }");
                append(r, ED, "\n[uncertainty]\nruns = 100\nseed = 1\nweight_spread = 0.25\naggregation = [\"geometric\"]\n");
            } },
        Case { name: "values: 0 for a lower-is-better ratio", file: VAL, line: Line::At(8), expect: &["cannot compute \"wait_time\"", "a value is 0"], build: false,
            damage: |r| replace(r, VAL, "port,wait_time,9,", "port,wait_time,0,") },

        #[cfg(unix)]
        Case { name: "values: symlink out of the project", file: VAL, line: Line::File, expect: &["outside the project"], build: true,
            damage: |r| { fs::remove_file(r.join(VAL)).unwrap(); std::os::unix::fs::symlink("/etc/hostname", r.join(VAL)).unwrap() } },
        #[cfg(unix)]
        Case { name: "indicators: symlink out of the project", file: IND, line: Line::File, expect: &["outside the project"], build: false,
            damage: |r| { fs::remove_file(r.join(IND)).unwrap(); std::os::unix::fs::symlink("/etc/hostname", r.join(IND)).unwrap() } },
        Case { name: "values: a second value column", file: VAL, line: Line::At(1), expect: &["names the column `value` twice (columns 3 and 4)"], build: true,
            damage: |r| replace(r, VAL, "district,indicator,value,note", "district,indicator,value,value") },

        // ---- GeoJSON
        Case { name: "map: one-number position", file: MAP, line: Line::Of("[121.4]"), expect: &["feature 2 (\"Lake\"", "1 number(s)"], build: true,
            damage: |r| set_geometry(r, 1, "{\"type\": \"Polygon\", \"coordinates\": [[[120.1, 31.1], [121.4], [120.2, 31.2], [120.1, 31.1]]]}") },
        Case { name: "map: empty first position", file: MAP, line: Line::Of("[[[]"), expect: &["not valid GeoJSON"], build: false,
            damage: |r| set_geometry(r, 1, "{\"type\": \"Polygon\", \"coordinates\": [[[], [120.2, 31.1], [120.2, 31.2], [120.1, 31.1]]]}") },
        Case { name: "map: polygon without rings", file: MAP, line: Line::Of("\"coordinates\": []"), expect: &["has no rings"], build: true,
            damage: |r| set_geometry(r, 1, "{\"type\": \"Polygon\", \"coordinates\": []}") },
        Case { name: "map: two-point ring", file: MAP, line: Line::Of("[[[120.0, 31.0], [120.1, 31.0]]]"), expect: &["2 distinct point(s)"], build: false,
            damage: |r| set_geometry(r, 2, "{\"type\": \"Polygon\", \"coordinates\": [[[120.0, 31.0], [120.1, 31.0]]]}") },
        Case { name: "map: null geometry", file: MAP, line: Line::Of("\"geometry\": null"), expect: &["geometry is null"], build: false,
            damage: |r| set_geometry(r, 3, "null") },
        Case { name: "map: point geometry", file: MAP, line: Line::Of("\"Point\""), expect: &["is a Point"], build: false,
            damage: |r| set_geometry(r, 0, "{\"type\": \"Point\", \"coordinates\": [120.0, 31.0]}") },
        Case { name: "map: all points identical", file: MAP, line: Line::Of("[120.0, 31.0], [120.0, 31.0]"), expect: &["1 distinct point(s)"], build: false,
            damage: |r| set_geometry(r, 0, "{\"type\": \"Polygon\", \"coordinates\": [[[120.0, 31.0], [120.0, 31.0], [120.0, 31.0], [120.0, 31.0]]]}") },
        Case { name: "map: collinear ring", file: MAP, line: Line::Of("[120.1, 31.1], [120.2, 31.2]"), expect: &["no area"], build: false,
            damage: |r| set_geometry(r, 0, "{\"type\": \"Polygon\", \"coordinates\": [[[120.0, 31.0], [120.1, 31.1], [120.2, 31.2], [120.0, 31.0]]]}") },
        Case { name: "map: coordinate 1e300", file: MAP, line: Line::Of("1e300"), expect: &["not a longitude"], build: true,
            damage: |r| set_geometry(r, 2, "{\"type\": \"Polygon\", \"coordinates\": [[[1e300, 31.0], [120.1, 31.0], [120.1, 31.1], [1e300, 31.0]]]}") },
        Case { name: "map: number too large for JSON", file: MAP, line: Line::Of("1e400"), expect: &["not valid GeoJSON"], build: false,
            damage: |r| set_geometry(r, 2, "{\"type\": \"Polygon\", \"coordinates\": [[[1e400, 31.0], [120.1, 31.0], [120.1, 31.1], [120.0, 31.0]]]}") },
        Case { name: "map: duplicate feature name", file: MAP, line: Line::At(40), expect: &["same name \"Hill\""], build: false,
            damage: |r| replace(r, MAP, "\"name\": \"Lake\"", "\"name\": \"Hill\"") },
        Case { name: "map: JSON syntax error", file: MAP, line: Line::Of("]]]]"), expect: &["not valid GeoJSON"], build: false,
            damage: |r| set_geometry(r, 0, "{\"type\": \"Polygon\", \"coordinates\": [[[120.0, 31.0], [120.1, 31.0], [120.1, 31.1]]]]}") },
        Case { name: "map: feature missing", file: MAP, line: Line::File, expect: &["no feature named \"Lake\"", "map_feature"], build: false,
            damage: |r| replace(r, MAP, "\"name\": \"Lake\"", "\"name\": \"Lakes\"") },

        // ---- history.csv
        Case { name: "history: value not a number", file: HIST, line: Line::At(3), expect: &["is not a number"], build: true,
            damage: |r| replace(r, HIST, "2023,digital,98.9", "2023,digital,98.9x") },
        Case { name: "history: year not a number", file: HIST, line: Line::At(2), expect: &["20x2"], build: false,
            damage: |r| replace(r, HIST, "2022,digital", "20x2,digital") },
        Case { name: "history: huge value", file: HIST, line: Line::At(2), expect: &["too large"], build: false,
            damage: |r| replace(r, HIST, "2022,digital,97.4", "2022,digital,1e200") },
        Case { name: "history: row with an extra field", file: HIST, line: Line::At(3), expect: &["cannot read this row"], build: false,
            damage: |r| replace(r, HIST, "2023,digital,98.9,印刷版报告,printed report", "2023,digital,98.9,印刷版报告,printed,report") },
        Case { name: "history: missing column", file: HIST, line: Line::At(1), expect: &["no column `value`"], build: false,
            damage: |r| replace(r, HIST, "year,indicator,value,basis_zh", "year,indicator,amount,basis_zh") },
        Case { name: "history: notes in one language only", file: HIST, line: Line::At(1), expect: &["basis_en"], build: false,
            damage: |r| replace(r, HIST, "basis_zh,basis_en", "basis_zh,note") },

        Case { name: "history: a year after the edition", file: HIST, line: Line::At(4), expect: &["the year 2025 is after the latest edition (2024)"], build: true,
            damage: |r| append(r, HIST, "2025,digital,99.0,印刷版报告,printed report\n") },
        Case { name: "history: two figures for one year", file: HIST, line: Line::At(4), expect: &["a second figure for digital in 2023 (the first is on line 3)"], build: true,
            damage: |r| append(r, HIST, "2023,digital,99.0,印刷版报告,printed report\n") },

        // ---- plans
        Case { name: "plan: district no edition has", file: "data/plans/p/plan.toml", line: Line::Of("district = \"hil\""), expect: &["which no edition has", "did you mean \"hill\"?"], build: true,
            damage: |r| { fs::create_dir_all(r.join("data/plans/p")).unwrap(); fs::write(r.join("data/plans/p/plan.toml"), PLAN_TOML.replace("start_year", "district = \"hil\"\nstart_year")).unwrap() } },

        // ---- narrative: front matter, shortcodes, names, links
        Case { name: "narrative: unknown shortcode", file: EN, line: Line::Of("valeu("), expect: &["valeu"], build: true,
            damage: |r| replace(r, EN, "{{ value(", "{{ valeu(") },
        Case { name: "narrative: unknown indicator in a shortcode", file: EN, line: Line::Of("digita\""), expect: &["digita"], build: false,
            damage: |r| replace(r, EN, "value(indicator=\"digital\"", "value(indicator=\"digita\"") },
        Case { name: "narrative: unclosed shortcode", file: METHOD, line: Line::Of("{{ name("), expect: &["shortcode"], build: false,
            damage: |r| replace(r, METHOD, "\"services\") }}", "\"services\"") },
        Case { name: "narrative: argument given twice", file: METHOD, line: Line::Of("{{ value("), expect: &["given twice"], build: false,
            damage: |r| replace(r, METHOD, "entity=\"city\")", "entity=\"city\", entity=\"hill\")") },
        Case { name: "narrative: unknown front matter field", file: EN, line: Line::Of("titel"), expect: &["titel"], build: true,
            damage: |r| replace(r, EN, "+++\ndescription", "+++\ntitel = \"x\"\ndescription") },
        Case { name: "narrative: YAML front matter", file: METHOD, line: Line::At(1), expect: &["YAML front matter"], build: true,
            damage: |r| replace(r, METHOD, "+++\ntitle = \"Method\"\n+++", "---\ntitle: Method\n---") },
        Case { name: "narrative: front matter never closed", file: METHOD, line: Line::At(1), expect: &["never closed"], build: false,
            damage: |r| replace(r, METHOD, "\"Method\"\n+++", "\"Method\"\n++") },
        Case { name: "narrative: front matter syntax", file: METHOD, line: Line::At(2), expect: &[], build: false,
            damage: |r| replace(r, METHOD, "title = \"Method\"", "title = Method") },
        Case { name: "narrative: file no page shows", file: "content/2024/en/Method.md", line: Line::File, expect: &["no page shows", "did you mean `method.md`?"], build: true,
            damage: |r| fs::rename(r.join(METHOD), r.join("content/2024/en/Method.md")).unwrap() },
        Case { name: "narrative: orphan in a folder", file: "content/2024/en/regional/wait-time.md", line: Line::File, expect: &["did you mean `regional/wait_time.md`?"], build: false,
            damage: |r| { fs::create_dir_all(r.join("content/2024/en/regional")).unwrap(); fs::write(r.join("content/2024/en/regional/wait-time.md"), "text\n").unwrap() } },
        Case { name: "narrative: GBK-encoded", file: METHOD, line: Line::At(5), expect: &["GBK"], build: false,
            damage: |r| gbk(r, METHOD, "The index of", "指数") },
        #[cfg(unix)]
        Case { name: "narrative: symlink out of the project", file: "content/2024/en/data.md", line: Line::File, expect: &["outside the project"], build: true,
            damage: |r| std::os::unix::fs::symlink("/etc/hostname", r.join("content/2024/en/data.md")).unwrap() },

        // ---- templates
        Case { name: "template: syntax error", file: TPL, line: Line::Of("page.heading |"), expect: &["Failed to parse"], build: true,
            damage: |r| replace(r, TPL, "{{ page.heading }}", "{{ page.heading | }}") },
        Case { name: "template: unknown variable", file: TPL, line: Line::Of("page.headline"), expect: &["page.headline"], build: false,
            damage: |r| replace(r, TPL, "{{ page.heading }}", "{{ page.headline }}") },
        Case { name: "template: unclosed block", file: TPL, line: Line::Of("chrome::breadcrumbs"), expect: &["Failed to parse"], build: false,
            damage: |r| replace(r, TPL, "{%- if page.breadcrumbs %}", "{%- if page.breadcrumbs %") },
    ]
}

fn line_of(text: &str, needle: &str) -> Result<usize, String> {
    let offset = text.find(needle).ok_or_else(|| format!("{needle:?} is not in the damaged file"))?;
    Ok(text[..offset].matches('\n').count() + 1)
}

/// The starter project with every optional input present, built once.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = common::cityreport(&["init", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    fs::write(root.join(HIST), HISTORY).unwrap();
    fs::write(root.join(METHOD), METHOD_MD).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join(TPL), include_str!("../../templates/page.html")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), root.join(".cityreport-cache")).unwrap();
    common::build(root);
    dir
}

fn copy_project(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if entry.file_type().unwrap().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), to.path().join(&name)).unwrap();
        } else if entry.file_type().unwrap().is_dir() {
            common::copy_dir(&entry.path(), &to.path().join(&name));
        } else {
            fs::copy(entry.path(), to.path().join(&name)).unwrap();
        }
    }
    to
}

/// What is wrong with the outcome of one case, if anything.
fn run(case: &Case, fixture: &Path, site_before: &std::collections::BTreeMap<PathBuf, Vec<u8>>) -> Result<(), String> {
    let project = copy_project(fixture);
    let root = project.path();
    (case.damage)(root);
    let file_text = fs::read(root.join(case.file)).map(|b| String::from_utf8_lossy(&b).to_string()).unwrap_or_default();
    let line = match case.line {
        Line::At(n) => Some(n),
        Line::Of(needle) => Some(line_of(&file_text, needle)?),
        Line::File => None,
    };
    let mut commands = vec!["check"];
    if case.build {
        commands.push("build");
    }
    for command in commands {
        let out = common::cityreport(&[command, "--root", root.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", root.display()), "");
        let fail = |why: String| Err(format!("{command}: {why}\n--- stderr:\n{stderr}"));
        if out.status.code() != Some(1) {
            return fail(format!("exit code {:?}, expected 1", out.status.code()));
        }
        let place = match line {
            Some(n) => format!("--> {}:{n}", case.file),
            None => format!("--> {}", case.file),
        };
        if !stderr.contains(&place) {
            return fail(format!("the message does not point at {place}"));
        }
        if let Some(n) = line
            && !stderr.contains(&format!("\n{n} | "))
        {
            return fail(format!("the message does not show line {n}"));
        }
        if !stderr.contains("= help: ") {
            return fail("the message does not say what to do".into());
        }
        for fragment in case.expect {
            if !stderr.contains(fragment) {
                return fail(format!("the message lacks {fragment:?}"));
            }
        }
        if stderr.contains("panicked") || stderr.contains('\u{1b}') {
            return fail("a panic or colour codes in the output".into());
        }
    }
    if case.build && common::snapshot(&root.join("site")) != *site_before {
        return Err("build: site/ changed after a failed build".into());
    }
    Ok(())
}

#[test]
fn every_damaged_input_gets_a_placed_error_and_leaves_the_site_untouched() {
    let fixture = fixture();
    let site_before = common::snapshot(&fixture.path().join("site"));
    assert!(site_before.len() > 50, "the fixture's site was built");
    let cases = cases();
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    let file_types: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.file.rsplit('.').next().unwrap()).collect();
    assert_eq!(file_types.into_iter().collect::<Vec<_>>(), ["csv", "geojson", "html", "md", "toml"]);

    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run(case, fixture.path(), &site_before).err().map(|e| format!("## {}\n{e}", case.name)))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// A tree deeper than the levels strings.toml names builds, with generic level names.
#[test]
fn a_tree_deeper_than_the_named_levels_builds_with_generic_names() {
    let project = fixture_unbuilt();
    deep_chain(project.path(), 4); // digital_firms is at level 2: the chain reaches level 6
    common::build(project.path());
    let en = fs::read_to_string(project.path().join("site/2024/en/method.html")).unwrap();
    let zh = fs::read_to_string(project.path().join("site/2024/zh/method.html")).unwrap();
    assert!(en.contains("Level 5") && en.contains("Level 6"), "generic English names");
    assert!(zh.contains("第 5 级指标") && zh.contains("第 6 级指标"), "generic Chinese names");
}

/// Jenks' within-class costs square the values; past ~1e154 they overflowed and the breaks
/// panicked. The loader now refuses such inputs, but computed values are not bounded by it.
#[test]
fn jenks_breaks_survive_huge_values() {
    let huge = cityreport::chart::jenks(&[1e200, 2e200, 3e200, 10e200, 11e200], 2);
    assert_eq!(huge.bounds, [(1e200, 3e200), (10e200, 11e200)]);
    let plain = cityreport::chart::jenks(&[1.0, 2.0, 3.0, 10.0, 11.0], 2);
    assert_eq!(plain.bounds, [(1.0, 3.0), (10.0, 11.0)]);
}

/// The starter project without a build, for cases that build it themselves.
fn fixture_unbuilt() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = common::cityreport(&["init", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), dir.path().join(".cityreport-cache")).unwrap();
    dir
}

/// Formula injection (issue #26): a district and an indicator named like a spreadsheet formula
/// are written into indices.csv with a leading `'`, so Excel shows them as text instead of
/// running `=HYPERLINK(…)`; the number columns stay numbers (a negative value has no `'`).
#[test]
fn csv_downloads_neutralise_names_that_would_run_as_formulas() {
    let project = fixture_unbuilt();
    let root = project.path();
    replace(root, DIS, "en = \"Port\" }", "en = \"=HYPERLINK(\\\"http://example.com/x\\\",\\\"Port\\\")\" }");
    replace(root, IND, "en = \"Digital Services\"", "en = \"@SUM(1+1)\"");
    replace(root, VAL, "port,wait_time,9,", "port,wait_time,-9,");
    common::build(root);
    let bytes = fs::read(root.join("site/2024/data/indices.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let port = rows.iter().find(|r| &r[col("entity")] == "port").unwrap();
    assert_eq!(&port[col("entity_en")], "'=HYPERLINK(\"http://example.com/x\",\"Port\")");
    let services = rows.iter().find(|r| &r[col("indicator")] == "services").unwrap();
    assert_eq!(&services[col("indicator_en")], "'@SUM(1+1)");
    for row in &rows {
        for (name, cell) in header.iter().zip(row.iter()) {
            assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{name} = {cell:?} would run as a formula");
        }
        for name in ["value", "published"] {
            assert!(row[col(name)].parse::<f64>().is_ok(), "{name} stays a number: {:?}", &row[col(name)]);
        }
    }
    let negative = rows.iter().find(|r| &r[col("entity")] == "port" && &r[col("indicator")] == "wait_time").unwrap();
    assert_eq!(&negative[col("raw")], "-9", "a negative raw value is written as a number");
}

/// A history.csv year after an edition (here 2025, an edition with data of its own) is not
/// drawn in the earlier edition's trend as a change since it: the 2024 pages' history figure
/// stops at 2024, as their history table does.
#[test]
fn a_later_history_year_is_not_drawn_in_an_earlier_editions_trend() {
    let project = fixture_unbuilt();
    let root = project.path();
    let out = common::cityreport(&["new", "2025", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    fs::copy(root.join(VAL), root.join("data/2025/values.csv")).unwrap();
    fs::write(root.join(HIST), format!("{HISTORY}2025,digital,150.0,印刷版报告,printed report\n")).unwrap();
    let out = common::cityreport(&["build", "--drafts", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = fs::read_to_string(root.join("site/2024/en/overall.html")).unwrap();
    let at = page.find("id=\"fig-en-history-title\"").expect("the 2024 edition has a history figure");
    let svg = &page[page[..at].rfind("<svg").unwrap()..at + page[at..].find("</svg>").unwrap()];
    assert!(svg.contains("2023") && svg.contains("2024"), "the earlier years are drawn");
    assert!(!svg.contains("2025") && !svg.contains("150"), "a later year is not drawn in 2024's trend: {svg}");
}
