//! Narrative content: shortcodes give the data's figures, errors point at file and line, and
//! nothing from the data or the content can inject markup.

use crate::common::site as site_common;

use cityreport::model::{Bilingual, ContentPage, Edition, Lang};
use cityreport::site::{EditionInput, RenderOptions, SiteError, TemplateSource, render_site};
use site_common::*;

fn page(ed: &Edition, lang: Lang, key: &str, body: &str) -> ContentPage {
    ContentPage {
        lang,
        key: key.into(),
        title: None,
        description: None,
        draft: false,
        body: body.into(),
        file: format!("content/{}/{}/{key}.md", ed.year, lang.code()).into(),
        body_line: 4,
    }
}

/// Replaces (or adds) the narrative `key` in `lang`.
fn set_page(ed: &mut Edition, lang: Lang, key: &str, body: &str) {
    ed.content.retain(|c| !(c.lang == lang && c.key == key));
    let p = page(ed, lang, key, body);
    ed.content.push(p);
}

fn prose(html: &str) -> String {
    let start = html.find("<div class=\"prose").expect("narrative present");
    let end = start + html[start..].find("</div>").unwrap();
    html[start..end].to_string()
}

#[test]
fn shortcodes_give_the_printed_figures() {
    let (mut ed, res) = demo();
    let body = "A {{ value(indicator=\"overall\", entity=\"city\") }} \
                B {{ top(indicator=\"overall\", n=3) }} \
                C {{ diff(indicator=\"infra\", a=\"central\", b=\"suburban\") }} \
                D {{ weight(indicator=\"infra\") }} \
                E {{ change(indicator=\"overall\", entity=\"city\") }} \
                F {{ rank(indicator=\"infra\", entity=\"pudong\") }} \
                G {{ bottom(indicator=\"overall\", n=2, region=\"suburban\") }} \
                H {{ name(entity=\"central\") }} \
                I {{ rank(indicator=\"overall\", entity=\"baoshan\", scope=\"region\") }}";
    set_page(&mut ed, Lang::Zh, "method", body);
    set_page(&mut ed, Lang::En, "method", body);
    let files = render(&ed, &res, &RenderOptions::default());
    let zh = prose(&html(&files, "2020/zh/method.html"));
    // The diff is taken from the published (rounded) regional values, so it agrees with the
    // tables even where the recomputed aggregates differ from the print by 0.01.
    let infra = &res.nodes[ed.tree.index_of("infra").unwrap()];
    let round = |x: f64| cityreport::compute::round_half_up(x, 2);
    let c = format!("C {:.2}", round(infra.regions[0]) - round(infra.regions[1]));
    assert!(zh.contains(&c), "`{c}` not in {zh}");
    for part in ["A 109.77", "B 浦东、徐汇和黄浦", "D 20%", "E +3.91", "F 8 ", "G 崇明和奉贤", "H 中心城区", "I 1"] {
        assert!(zh.contains(part), "`{part}` not in {zh}");
    }
    let en = prose(&html(&files, "2020/en/method.html"));
    assert!(en.contains("B Pudong New Area, Xuhui and Huangpu") || en.contains("B Pudong, Xuhui and Huangpu"), "{en}");
}

#[test]
fn a_backslash_before_braces_writes_them_literally() {
    let (mut ed, res) = demo();
    let body = "Write \\{{ value(indicator=\"overall\", entity=\"city\") }} to get {{ value(indicator=\"overall\", entity=\"city\") }}; \\{{ nope }} is text too.";
    set_page(&mut ed, Lang::En, "method", body);
    let files = render(&ed, &res, &RenderOptions::default());
    let en = prose(&html(&files, "2020/en/method.html"));
    assert!(
        en.contains("Write {{ value(indicator=\"overall\", entity=\"city\") }} to get 109.77; {{ nope }} is text too."),
        "{en}"
    );
}

#[test]
fn unknown_indicator_fails_with_file_line_and_suggestion() {
    let (mut ed, res) = demo();
    set_page(&mut ed, Lang::En, "regional/5g", "First line.\n\nThe city scored {{ value(indicator=\"infr\", entity=\"city\") }}.\n");
    let err = try_render(&ed, &res, &RenderOptions::default()).unwrap_err();
    match &err {
        SiteError::Content { file, line, column, message } => {
            assert_eq!(file.to_str().unwrap(), "content/2020/en/regional/5g.md");
            assert_eq!(*line, 4 + 2, "body starts on line 4; the shortcode is two lines further");
            assert_eq!(*column, 26, "points at the `indicator` argument");
            assert!(message.contains("unknown indicator `infr`"), "{message}");
            assert!(message.contains("did you mean `infra`"), "{message}");
        }
        other => panic!("expected a content error, got {other:?}"),
    }
    assert!(err.to_string().starts_with("content/2020/en/regional/5g.md:6:26: "), "{err}");
}

#[test]
fn other_shortcode_errors_are_located_too() {
    let (mut ed, res) = demo();
    let cases = [
        ("{{ value(indicator=\"infra\", entity=\"pudongg\") }}", "did you mean `pudong`"),
        ("{{ valeu(indicator=\"infra\", entity=\"city\") }}", "did you mean `value`"),
        ("{{ value(indicator=\"infra\", entiy=\"city\") }}", "takes no argument `entiy`"),
        ("{{ value(indicator=\"infra\") }}", "missing `entity`"),
        ("{{ rank(indicator=\"infra\", entity=\"central\") }}", "not a district"),
        ("{{ value(indicator=\"infra\", entity=\"city\")", "`}}`"),
    ];
    for (code, expected) in cases {
        set_page(&mut ed, Lang::Zh, "_index", code);
        let err = try_render(&ed, &res, &RenderOptions::default()).unwrap_err();
        assert!(matches!(&err, SiteError::Content { line: 4, .. }), "{code}: {err}");
        assert!(err.to_string().contains(expected), "{code}: {err}");
    }
}

#[test]
fn change_without_previous_edition_is_an_error() {
    let (mut ed, res) = demo();
    set_page(&mut ed, Lang::Zh, "_index", "x\n{{ change(indicator=\"overall\", entity=\"city\") }}");
    let figures = fake_figures(&ed);
    let input = EditionInput { edition: &ed, results: &res, figures: (&figures).into(), downloads: vec![], previous: None, changes: None, previous_edition: None, history: vec![], uncertainty: None, sensitivity: None };
    let err = render_site(&[input], &TemplateSource::builtin(), &RenderOptions::default()).unwrap_err();
    assert!(matches!(&err, SiteError::Content { line: 5, .. }), "{err}");
    assert!(err.to_string().contains("no previous edition"), "{err}");
}

#[test]
fn drafts_only_with_drafts_on() {
    let (mut ed, res) = demo();
    set_page(&mut ed, Lang::En, "method", "Secret draft text.");
    ed.content.iter_mut().find(|c| c.key == "method" && c.lang == Lang::En).unwrap().draft = true;
    let files = render(&ed, &res, &RenderOptions::default());
    assert!(!html(&files, "2020/en/method.html").contains("Secret draft text"));
    let files = render(&ed, &res, &RenderOptions { drafts: true, preview: true, ..Default::default() });
    let page = html(&files, "2020/en/method.html");
    assert!(page.contains("Secret draft text") && page.contains("class=\"draft-banner\""));
}

/// Hostile names in the data and raw HTML in the content come out as text everywhere.
#[test]
fn markup_in_data_and_content_is_escaped_everywhere() {
    let (mut ed, res) = demo();
    let evil = "<script>alert(1)</script>";
    let d = &mut ed.districts.districts[0];
    d.name = Bilingual::new(evil, evil);
    d.full_name = Bilingual::new(evil, evil);
    d.id = "pu&dong".into();
    for c in &mut ed.content {
        c.body = c.body.replace("\"pudong\"", "\"pu&dong\"");
    }
    ed.title = Bilingual::new(format!("报告{evil}"), format!("Report {evil}"));
    ed.tree.nodes[1].name = Bilingual::new(evil, evil);
    set_page(&mut ed, Lang::En, "_index", &format!("Hello {evil} and {{{{ name(entity=\"pu&dong\") }}}} <img src=x onerror=alert(2)>"));
    let files = render(&ed, &res, &RenderOptions { base_url: Some("https://example.org/".into()), ..Default::default() });
    let mut checked = 0;
    for (path, bytes) in &files.files {
        let text = std::str::from_utf8(bytes).unwrap_or("");
        assert!(!text.contains("<script>alert"), "{path} contains a live script tag");
        assert!(!text.contains("<img src=x"), "{path} contains a live img tag");
        if path.ends_with(".html") && path.starts_with("2020/") {
            checked += 1;
        }
    }
    assert!(checked > 100);
    let home = html(&files, "2020/en/index.html");
    assert!(home.contains("<title>Report &lt;script&gt;alert(1)&lt;/script&gt;</title>"), "title escaped");
    assert!(home.contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; and &lt;script&gt;alert(1)&lt;/script&gt;"), "narrative escaped");
    let district = html(&files, "2020/zh/districts/pu&dong.html");
    assert!(district.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    // The sitemap stays well-formed XML with the odd id escaped.
    let xml = html(&files, "sitemap.xml");
    roxmltree::Document::parse(&xml).expect("sitemap parses");
    assert!(xml.contains("districts/pu&amp;dong.html"));
}
