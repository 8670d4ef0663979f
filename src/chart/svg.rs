//! SVG text helpers shared by every chart: escaping, number formatting, the accessible `<svg>`
//! header and the clean-up of plotters' output.

use std::fmt::Write as _;

use crate::model::Lang;

use super::font::FONT_STACK;
use super::words::{ChartWords, fill};

/// Text colour (contrast 14:1 on white).
pub(crate) const INK: &str = "#1f2933";
/// Secondary text: axis ticks, notes (6.4:1 on white, above the 4.5:1 WCAG minimum).
pub(crate) const MUTED: &str = "#52606d";
pub(crate) const GRID: &str = "#e4e7eb";
pub(crate) const AXIS: &str = "#7b8794";

pub(crate) use crate::format::escape as esc;

/// Formats a published value with `precision` decimals, rounding half up as the printed reports
/// do (Rust's `{:.2}` rounds the binary value, so 0.125 would print 0.12). The tiny nudge absorbs
/// binary representation error (109.765 is stored as 109.76499…).
pub(crate) fn fmt_value(v: f64, precision: u8) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let p = i32::from(precision.min(12));
    let m = 10f64.powi(p);
    let scaled = v.abs() * m;
    let rounded = (scaled + scaled * 1e-12 + 1e-9 + 0.5).floor() / m;
    let signed = if v < 0.0 && rounded != 0.0 {
        -rounded
    } else {
        rounded
    };
    format!("{:.*}", p as usize, signed)
}

/// Formats a coordinate with one decimal (a tenth of a pixel is below what any screen shows and
/// keeps files small); `-0.0` prints as `0.0` so output never depends on the sign of zero.
pub(crate) fn fmt_coord(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else {
        trim_zeros(format!("{r:.1}"))
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Turns a figure id into a valid XML id prefix: ASCII letters, digits, `-` and `_` only,
/// starting with a letter. Two figures on one page must have different ids; ids inside a figure
/// are this prefix plus a suffix.
pub(crate) fn id_prefix(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "fig-");
    }
    out
}

/// The opening `<svg>` with role, accessible name and description, plus `<defs>` if any.
pub(crate) fn open_svg(
    id: &str,
    lang: Lang,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
    defs: &str,
) -> String {
    let mut s = String::new();
    let (w, h) = (fmt_coord(width), fmt_coord(height));
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         lang=\"{lang}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\" fill=\"{INK}\">\n\
         <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
        lang = lang.html_tag(),
        font = esc(FONT_STACK),
        title = esc(title),
        desc = esc(desc),
    );
    if !defs.is_empty() {
        s.push_str("<defs>\n");
        s.push_str(defs);
        s.push_str("</defs>\n");
    }
    s
}

/// A `<text>` element. `attrs` is inserted verbatim (callers build it from fixed strings and
/// [`fmt_coord`]); `text` is escaped here.
/// The visible title of a hand-written chart: bold 16 px lines, 22 px apart, from the top-left
/// margin (plotters-drawn charts get the same look through their restyling).
pub(crate) fn title_lines(margin: f64, lines: &[String]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| text(margin, margin + 16.0 + i as f64 * 22.0, 16.0, "font-weight=\"bold\" class=\"chart-title\"", line))
        .collect()
}

pub(crate) fn text(x: f64, y: f64, size: f64, attrs: &str, text: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}{}>{}</text>\n",
        fmt_coord(x),
        fmt_coord(y),
        fmt_coord(size),
        if attrs.is_empty() { "" } else { " " },
        attrs,
        esc(text)
    )
}

/// A diagonal-hatch pattern: `stripe` lines on `background`, `gap` px apart.
pub(crate) fn hatch_pattern(
    id: &str,
    background: &str,
    stripe: &str,
    gap: f64,
    width: f64,
) -> String {
    format!(
        "<pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"{g}\" height=\"{g}\" patternTransform=\"rotate(45)\">\
         <rect width=\"{g}\" height=\"{g}\" fill=\"{background}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{g}\" stroke=\"{stripe}\" stroke-width=\"{w}\"/></pattern>\n",
        g = fmt_coord(gap),
        w = fmt_coord(width),
    )
}

/// How a placeholder colour that plotters drew is turned into the real styling.
///
/// plotters cannot emit patterns, dashes, halos or classes, so we draw with unique placeholder
/// colours and substitute attributes afterwards.
pub(crate) struct Restyle {
    /// The placeholder as plotters writes it (`#RRGGBB`, upper case).
    pub placeholder: String,
    /// Replaces `fill="<placeholder>"` (and plotters' `stroke="none"` after it, when this
    /// sets its own stroke).
    pub fill: String,
    /// Replaces `stroke="<placeholder>"`.
    pub stroke: String,
}

/// Rewrites plotters' SVG: swaps its `<svg>` line for `header`, puts each text on one line, drops
/// the redundant `opacity="1"` and per-text font stack (inherited from the root), rounds font
/// sizes (plotters divides by 1.24) and applies `restyles`.
pub(crate) fn clean_plotters_svg(raw: &str, header: &str, restyles: &[Restyle]) -> String {
    // plotters writes the font stack with its own escaping (`&apos;`), or with bare quotes.
    let escaped_stack = esc(FONT_STACK).replace("&#39;", "'");
    let family_attr_a = format!(" font-family=\"{}\"", escaped_stack.replace('\'', "&apos;"));
    let family_attr_b = format!(" font-family=\"{escaped_stack}\"");
    let mut out = String::with_capacity(raw.len());
    out.push_str(header);
    let mut lines = raw.lines();
    // First line is plotters' own <svg …> opening.
    lines.next();
    let mut pending_text: Option<String> = None;
    for line in lines {
        if let Some(open) = pending_text.as_mut() {
            if line == "</text>" {
                open.push_str("</text>\n");
                out.push_str(open);
                pending_text = None;
            } else {
                open.push_str(line);
            }
            continue;
        }
        if line == "</svg>" {
            continue;
        }
        let mut l = line.replace(" opacity=\"1\"", "");
        l = l.replace(&family_attr_a, "").replace(&family_attr_b, "");
        l = round_font_size(&l);
        for r in restyles {
            let fill = format!("fill=\"{}\"", r.placeholder);
            if l.contains(&fill) {
                let with_none = format!("{fill} stroke=\"none\"");
                if r.fill.contains("stroke=") && l.contains(&with_none) {
                    l = l.replace(&with_none, &r.fill);
                } else {
                    l = l.replace(&fill, &r.fill);
                }
            }
            let stroke = format!("stroke=\"{}\"", r.placeholder);
            if l.contains(&stroke) {
                l = l.replace(&stroke, &r.stroke);
            }
        }
        if l.starts_with("<text") {
            pending_text = Some(l);
        } else {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

fn round_font_size(line: &str) -> String {
    const KEY: &str = "font-size=\"";
    let Some(start) = line.find(KEY) else {
        return line.to_string();
    };
    let rest = &line[start + KEY.len()..];
    let Some(end) = rest.find('"') else {
        return line.to_string();
    };
    let Ok(v) = rest[..end].parse::<f64>() else {
        return line.to_string();
    };
    let rounded = trim_zeros(format!("{:.2}", (v * 100.0).round() / 100.0));
    format!("{}{}{}{}", &line[..start], KEY, rounded, &rest[end..])
}

/// A short summary of a data series for `<desc>`: count, highest, lowest, mean, in the words of
/// the chart's language. `noun` names what is counted ("个区", "districts").
pub(crate) fn summarise(
    words: &ChartWords,
    items: &[(&str, f64)],
    precision: u8,
    noun: &str,
) -> String {
    let finite: Vec<&(&str, f64)> = items.iter().filter(|(_, v)| v.is_finite()).collect();
    if finite.is_empty() {
        return fill(&words.summary_none, &[("noun", noun)]);
    }
    // First of equal maxima / minima, so ties resolve in input order.
    let mut hi = finite[0];
    let mut lo = finite[0];
    for it in &finite {
        if it.1 > hi.1 {
            hi = it;
        }
        if it.1 < lo.1 {
            lo = it;
        }
    }
    let mean = finite.iter().map(|(_, v)| v).sum::<f64>() / finite.len() as f64;
    let f = |v: f64| fmt_value(v, precision);
    fill(
        &words.summary,
        &[
            ("n", &finite.len().to_string()),
            ("noun", noun),
            ("hi", &format!("{} {}", hi.0, f(hi.1))),
            ("lo", &format!("{} {}", lo.0, f(lo.1))),
            ("mean", &f(mean)),
        ],
    )
}

/// Joins the caller's description and the generated summary.
pub(crate) fn join_desc(description: &str, summary: &str) -> String {
    let d = description.trim();
    if d.is_empty() {
        summary.to_string()
    } else {
        format!("{d} {summary}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_half_up_like_the_printed_report() {
        assert_eq!(fmt_value(109.765, 2), "109.77");
        assert_eq!(fmt_value(0.125, 2), "0.13");
        assert_eq!(fmt_value(2.5, 0), "3");
        assert_eq!(fmt_value(-1.005, 2), "-1.01");
        assert_eq!(fmt_value(-0.001, 2), "0.00");
        assert_eq!(fmt_value(100.0, 2), "100.00");
        assert_eq!(fmt_value(f64::NAN, 2), "–");
    }

    #[test]
    fn coordinates_are_short_and_sign_stable() {
        assert_eq!(fmt_coord(-0.04), "0");
        assert_eq!(fmt_coord(12.0), "12");
        assert_eq!(fmt_coord(12.345), "12.3");
        assert_eq!(fmt_coord(-3.24), "-3.2");
    }

    #[test]
    fn escaping_and_ids() {
        assert_eq!(esc("<script>&\"'\u{7}"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(id_prefix("bars-5g"), "bars-5g");
        assert_eq!(id_prefix("5g bars"), "fig-5g-bars");
        assert_eq!(id_prefix("图 3-2"), "fig---3-2");
    }

    #[test]
    fn summary_names_extremes_and_mean() {
        let items = [("A", 1.0), ("B", 3.0), ("C", 2.0)];
        assert_eq!(
            summarise(&ChartWords::builtin(Lang::En), &items, 1, "districts"),
            "3 districts. Highest: B 3.0. Lowest: A 1.0. Mean: 2.0."
        );
        assert_eq!(
            summarise(&ChartWords::builtin(Lang::Zh), &items, 1, "个区"),
            "共 3 个区。最高：B 3.0；最低：A 1.0；平均 2.0。"
        );
    }
}
