//! The print edition (issue 23): `<year>/<lang>/report.pdf`, typeset in process from the same
//! blocks as the pages, read back with poppler's tools (installed by scripts/test) as a reader's
//! PDF viewer would.
//!
//! - the demo's PDFs hold every figure of the printed tables 2-1 … 3-61 under the table's own
//!   number (within the 0.01 by which recomputed aggregates may differ from the print; see
//!   golden_2020.rs), in Chinese and in English;
//! - both are A4, tagged, PDF/UA-1 by their metadata, in the page's language, with every font
//!   embedded, and an outline naming every chapter; the pages link to them with their size;
//! - the same inputs give the same bytes;
//! - the fictional example's PDF has no demo word and every raw value with its unit;
//! - names that look like typst markup print literally; a reference to a table the edition does
//!   not have and a character no font has stop the build at the place that causes them.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Runs a poppler tool and returns its standard output.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} not found ({e}): scripts/test installs Debian's poppler-utils"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's text in reading order, white space folded to single spaces.
fn pdf_text(pdf: &Path) -> String {
    let text = poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The demo built once for the tests that only read it.
fn demo() -> &'static Path {
    &common::shared::demo().out
}

/// Each numbered table's caption as the site's page shows it ("表 3-5" → "5G 建设应用（全市）"),
/// read from the built pages of `lang`.
fn captions(site: &Path, lang: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site.join("2020").join(lang)) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        for piece in html.split("<caption class=\"caption\" id=\"table-").skip(1) {
            let Some((number, rest)) = piece.split_once("-caption\">") else { continue };
            let caption = rest.split("<a class=\"anchor\"").next().unwrap();
            // Without its label ("表 3-5"), which the caller puts in front.
            let caption = caption.split_once("</span>").map_or(caption, |(_, c)| c);
            let text = common::visible_text(caption);
            out.insert(number.to_string(), text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    out
}

/// The printed figures by table number: (indicator, entity, value as printed).
fn printed() -> BTreeMap<String, Vec<(String, String, f64)>> {
    let path = common::demo_root().join("tests/fixtures/printed-tables-2020.csv");
    let mut out: BTreeMap<String, Vec<(String, String, f64)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(path).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if !row[0].contains('-') || row[0].starts_with("text") {
            continue; // figures quoted in the running text, not in a table
        }
        out.entry(row[0].to_string()).or_default().push((row[2].to_string(), row[3].to_string(), row[7].parse().unwrap()));
    }
    out
}

/// Where table `number`'s caption stands in `text` (its label followed by its caption words).
fn caption_at(text: &str, label: &str, caption: &str) -> Option<usize> {
    let start: String = caption.chars().take(6).collect();
    let wanted = format!("{label} {start}");
    text.find(&wanted).or_else(|| text.find(&format!("{label}{start}")))
}

fn table_number_order(n: &str) -> (u32, u32) {
    let (a, b) = n.split_once('-').unwrap();
    (a.parse().unwrap(), b.parse().unwrap())
}

fn every_printed_figure_is_under_its_table(lang: &str, label_word: &str) {
    let site = demo();
    let pdf = site.join(format!("2020/{lang}/report.pdf"));
    let text = pdf_text(&pdf);
    let captions = captions(site, lang);
    let printed = printed();
    let mut numbers: Vec<&String> = printed.keys().collect();
    numbers.sort_by_key(|n| table_number_order(n));
    let starts: Vec<(String, usize)> = numbers
        .iter()
        .map(|n| {
            let caption = captions.get(*n).unwrap_or_else(|| panic!("the {lang} site has no table {n}"));
            let label = format!("{label_word} {n}");
            let at = caption_at(&text, &label, caption).unwrap_or_else(|| panic!("{lang} PDF: no caption “{label} {caption}”"));
            (n.to_string(), at)
        })
        .collect();
    let mut checked = 0;
    for (k, (number, start)) in starts.iter().enumerate() {
        // The table runs to the next numbered table's caption (or, for the last, the annexes).
        let end = starts.iter().map(|(_, s)| *s).filter(|s| s > start).min().unwrap_or(text.len());
        let mut end = if k + 1 == starts.len() { (start + 20_000).min(text.len()) } else { end };
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let region = &text[*start..end];
        for (indicator, entity, value) in &printed[number] {
            let shown = [*value, value - 0.01, value + 0.01].map(|x| format!("{x:.2}"));
            assert!(
                shown.iter().any(|s| region.contains(s.as_str())),
                "{lang} PDF, {label_word} {number}: {indicator}/{entity} {value:.2} not under the table"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 1031 - 13, "every printed table figure checked (13 figures are quoted in the running text)");
}

#[test]
fn zh_pdf_holds_every_printed_table_figure() {
    every_printed_figure_is_under_its_table("zh", "表");
}

#[test]
fn en_pdf_holds_every_printed_table_figure() {
    every_printed_figure_is_under_its_table("en", "Table");
}

#[test]
fn pdfs_are_a4_tagged_accessible_with_fonts_embedded_and_an_outline() {
    let site = demo();
    for (lang, xmp_lang, contents, chapters) in [
        ("zh", "zh-CN", "目录", ["第一章　评估体系与方法", "第二章　评估总体情况", "第三章　区域评估结果", "附录A　各区概况", "附录B　数据下载"]),
        ("en", "en-GB", "Contents", ["1 Framework and method", "2 Overall results", "3 Regional results", "Annex A District profiles", "Annex B Data"]),
    ] {
        let pdf = site.join(format!("2020/{lang}/report.pdf"));
        let path = pdf.to_str().unwrap();
        let info = poppler("pdfinfo", &[path]);
        let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_default().to_string();
        assert!(field("Page size:").contains("595.276 x 841.89"), "{lang}: not A4: {info}");
        assert_eq!(field("Tagged:"), "yes", "{lang}: not tagged");
        assert_eq!(field("Title:"), if lang == "zh" { "2020年上海市智慧城市发展水平评估报告" } else { "Shanghai Smart City Development Assessment 2020" });
        assert!(field("Author:").contains(if lang == "zh" { "上海市经济和信息化发展研究中心" } else { "Shanghai Municipal Economic" }), "{lang}: {info}");
        let pages: usize = field("Pages:").parse().unwrap();
        assert!(pages > 40, "{lang}: only {pages} pages");

        let xmp = poppler("pdfinfo", &["-meta", path]);
        assert!(xmp.contains(&format!("<rdf:li>{xmp_lang}</rdf:li>")), "{lang}: document language not {xmp_lang}");
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{lang}: not marked PDF/UA-1");
        assert!(!xmp.contains("CreateDate") && !xmp.contains("ModifyDate"), "{lang}: a wall-clock date in the PDF");

        let fonts = poppler("pdffonts", &[path]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{lang}: no fonts");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{lang}: font not embedded: {row}");
        }

        let outline = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout", path]);
        let items: Vec<String> = outline
            .split("<item page=")
            .skip(1)
            .map(|i| i.split_once('>').unwrap().1.split("</item>").next().unwrap().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for chapter in chapters {
            let chapter = chapter.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(items.contains(&chapter), "{lang}: outline lacks “{chapter}”: {items:?}");
        }
        let text = pdf_text(&pdf);
        assert!(text.contains(contents), "{lang}: no contents page");

        // Every chapter page links to the PDF with its page count and size.
        let method = fs::read_to_string(site.join(format!("2020/{lang}/method.html"))).unwrap();
        let size = fs::metadata(&pdf).unwrap().len() as f64 / 1024.0 / 1024.0;
        let label = if lang == "zh" { format!("PDF 版（{pages} 页，{size:.1} MB）") } else { format!("PDF edition ({pages} pages, {size:.1} MB)") };
        assert!(method.contains(&format!("<a href=\"report.pdf\" type=\"application/pdf\">{label}</a>")), "{lang}: method page lacks “{label}”");
        let home = fs::read_to_string(site.join(format!("2020/{lang}/index.html"))).unwrap();
        assert!(home.contains(&label), "{lang}: edition home lacks the PDF link");
    }
}

#[test]
fn same_inputs_give_the_same_pdf_bytes() {
    // A second build of its own, with an empty cache for the books (the PNGs' cache is shared:
    // it never changes output), so the PDF is typeset again rather than read back.
    let project = tempfile::tempdir().unwrap();
    for dir in ["data", "content"] {
        common::copy_dir(&common::demo_root().join(dir), &project.path().join(dir));
    }
    let cache = project.path().join(".cityreport-cache");
    fs::create_dir(&cache).unwrap();
    fs::create_dir_all(common::shared_png_cache().join("png")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache().join("png"), cache.join("png")).unwrap();
    let site = common::build_to_site_out(project.path());
    for lang in ["zh", "en"] {
        let ours = fs::read(site.join(format!("2020/{lang}/report.pdf"))).unwrap();
        let theirs = fs::read(demo().join(format!("2020/{lang}/report.pdf"))).unwrap();
        assert!(ours == theirs, "{lang}: two builds of the same inputs gave different PDFs");
    }
    assert!(cache.join("pdf").read_dir().unwrap().count() >= 2, "the typeset books were not cached");
}

/// A scratch copy of the fictional example.
fn example_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["data", "content"] {
        common::copy_dir(&common::demo_root().join("examples/example-city").join(dir), &tmp.path().join(dir));
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), tmp.path().join(".cityreport-cache")).unwrap();
    tmp
}

/// Cells of the "Raw value (unit)" column of every table of an indicator page, with the header.
fn raw_columns(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap();
        let head = table.split("</thead>").next().unwrap();
        let headers: Vec<String> = head.split("<th").skip(1).map(|h| common::visible_text(&format!("<th{h}"))).collect();
        let Some(col) = headers.iter().position(|h| h.starts_with("Raw value")) else { continue };
        let mut cells = Vec::new();
        for row in table.split("<tr").skip(2) {
            let row_cells: Vec<String> = row.split("<t").skip(1).filter(|c| c.starts_with('d') || c.starts_with('h')).map(|c| common::visible_text(&format!("<t{c}"))).collect();
            if let Some(cell) = row_cells.get(col).filter(|c| !c.is_empty() && *c != "—") {
                cells.push(cell.clone());
            }
        }
        out.push((headers[col].clone(), cells));
    }
    out
}

#[test]
fn example_pdf_has_no_demo_word_and_every_raw_value_with_its_unit() {
    let site = &common::shared::example().out;
    for year in ["2023", "2024"] {
        for lang in ["zh", "en"] {
            let text = pdf_text(&site.join(format!("{year}/{lang}/report.pdf")));
            let lower = text.to_lowercase();
            for word in ["上海", "浦东", "shanghai", "pudong", "central district", "suburb", "智慧城市发展水平"] {
                assert!(!lower.contains(word), "{year} {lang} PDF names the demo: “{word}”");
            }
        }
        let text = pdf_text(&site.join(format!("{year}/en/report.pdf")));
        let mut values = 0;
        for page in fs::read_dir(site.join(format!("{year}/en/regional"))).unwrap() {
            let html = fs::read_to_string(page.unwrap().path()).unwrap();
            for (header, cells) in raw_columns(&html) {
                assert!(text.contains(&header), "{year} en PDF lacks the column “{header}”");
                for cell in cells {
                    assert!(text.contains(&cell), "{year} en PDF lacks the raw value “{cell}” ({header})");
                    values += 1;
                }
            }
        }
        assert!(values > 50, "{year}: only {values} raw values found on the pages");
    }
}

#[test]
fn names_that_look_like_typst_markup_print_literally() {
    let project = example_copy();
    // A district's name…
    let name = r#"#set page(width: 1cm) $x$ <l> @r"#;
    let districts = project.path().join("data/2024/districts.toml");
    let toml = fs::read_to_string(&districts).unwrap();
    let toml = toml.replacen(r#"name = { zh = "山区", en = "Hill" }"#, &format!("name = {{ zh = \"山区\", en = {name:?} }}"), 1);
    assert!(toml.contains("$x$"), "the fixture changed: district Hill not found");
    fs::write(&districts, toml).unwrap();
    // …and a paragraph of narrative (Markdown escapes for the characters Markdown itself reads).
    let narrative = project.path().join("content/2024/en/method.md");
    let mut md = fs::read_to_string(&narrative).unwrap();
    md.push_str("\n\nHostile: \\*b\\* \\_i\\_ // c /* d */ = h \\\\ \"q\" ][ #{ panic(\"x\") }; #eval(\"1\") #import \"/etc/passwd\"\n");
    fs::write(&narrative, md).unwrap();

    let site = common::build_to_site_out(project.path());
    let pdf = site.join("2024/en/report.pdf");
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("595.276 x 841.89"), "a name changed the page size: {info}");
    let text = pdf_text(&pdf);
    for shown in [name, r#"Hostile: *b* _i_ // c /* d */ = h \ "q" ][ #{ panic("x") }; #eval("1") #import "/etc/passwd""#] {
        assert!(text.contains(shown), "the PDF does not show “{shown}” literally");
    }
}

/// Builds `project` and returns the failed build's message.
fn failed_build(project: &Path) -> String {
    let out = project.join("site-failed");
    let output = common::cityreport(&["build", "--root", project.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!output.status.success(), "the build should have failed");
    assert!(!out.exists(), "a failed build wrote its output");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn references_to_tables_get_their_page_and_unknown_ones_are_errors() {
    let project = example_copy();
    let narrative = project.path().join("content/2024/en/overall/_index.md");
    let original = fs::read_to_string(&narrative).unwrap();
    fs::write(&narrative, format!("{original}\n\nAs Table 1-2 shows, and Figure 1-1.\n")).unwrap();
    let site = common::build_to_site_out(project.path());
    let text = pdf_text(&site.join("2024/en/report.pdf"));
    let at = text.find("As Table 1-2").expect("the sentence is in the PDF");
    let sentence = &text[at..at + 80];
    assert!(sentence.starts_with("As Table 1-2 (page "), "no page given: {sentence}");
    assert!(sentence.contains("and Figure 1-1 (page "), "no page given: {sentence}");

    let body = format!("{original}\n\nSee Table 9-99 for more.\n");
    let line = body.lines().position(|l| l.contains("Table 9-99")).unwrap() + 1;
    fs::write(&narrative, body).unwrap();
    let err = failed_build(project.path());
    assert!(err.contains(&format!("overall/_index.md:{line}")), "the error does not name the file and line {line}: {err}");
    assert!(err.contains("Table 9-99"), "{err}");
}

#[test]
fn a_character_no_font_has_is_an_error_naming_it() {
    let project = example_copy();
    let narrative = project.path().join("content/2024/zh/method.md");
    let original = fs::read_to_string(&narrative).unwrap();
    // U+2A6A5 (a CJK Extension B character), which the shipped GB2312 subset does not have.
    fs::write(&narrative, format!("{original}\n\n生僻字𪚥在此。\n")).unwrap();
    let err = failed_build(project.path());
    assert!(err.contains("𪚥") && err.contains("U+2A6A5"), "the error does not name the character: {err}");
    assert!(err.contains("生僻字𪚥在此"), "the error does not quote the text: {err}");
}

#[test]
fn a_published_editions_pdf_is_frozen_and_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("proj");
    let out = common::cityreport(&["init", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let year = fs::read_dir(root.join("data")).unwrap().filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u16>().ok()).max().unwrap();
    let out = common::cityreport(&["publish", &year.to_string(), "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let archive = root.join("archive").join(year.to_string());
    let manifest = fs::read_to_string(archive.join("manifest.sha256")).unwrap();
    for lang in ["zh", "en"] {
        assert!(manifest.lines().any(|l| l.ends_with(&format!("  {lang}/report.pdf"))), "{lang}/report.pdf is not in the manifest");
    }
    // The frozen copy is what the site serves; a changed byte is found by `verify`.
    let site = common::build_to_site_out(&root);
    let frozen = archive.join("files/en/report.pdf");
    assert_eq!(fs::read(site.join(format!("{year}/en/report.pdf"))).unwrap(), fs::read(&frozen).unwrap());
    let mut bytes = fs::read(&frozen).unwrap();
    let last = bytes.len() - 20;
    bytes[last] ^= 1;
    fs::write(&frozen, bytes).unwrap();
    let out = common::cityreport(&["verify", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success(), "verify accepted a changed PDF");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("en/report.pdf"), "verify does not name the PDF: {said}");
}

/// A GET over plain HTTP/1.1: status line, headers and body.
fn http_get(addr: std::net::SocketAddr, path: &str) -> (String, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.lines().next().unwrap_or_default().to_string();
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn the_preview_makes_the_pdf_only_when_it_is_opened() {
    use cityreport::serve::{self, PreviewBuilder, ServeConfig};
    let project = example_copy();
    let root = project.path().canonicalize().unwrap();
    let builder = PreviewBuilder::new(root.clone());
    let config = ServeConfig { port: 0, watch: builder.watched_folders(), ..ServeConfig::default() };
    let server = serve::start(config, builder).unwrap();
    let addr = server.addr();

    // The preview's pages link to the PDF, which its builds do not make…
    let (status, _, page) = http_get(addr, "/2024/en/method.html");
    assert!(status.contains("200"), "{status}");
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("<a href=\"report.pdf\" type=\"application/pdf\">PDF edition (made when opened, in the preview)</a>"), "no link to the PDF");
    // …until a reader opens it: then it is typeset from the preview's data.
    let (status, head, body) = http_get(addr, "/2024/en/report.pdf");
    assert!(status.contains("200"), "{status}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/pdf"), "{head}");
    assert!(body.starts_with(b"%PDF-"), "not a PDF");
    // No such edition, or not a print edition: the usual 404.
    assert!(http_get(addr, "/1999/en/report.pdf").0.contains("404"));
    assert!(http_get(addr, "/2024/xx/report.pdf").0.contains("404"));
    server.shutdown();
}
