//! Shared ground of the charts drawn with plotters (ranked bars, trend line): drawing into an
//! in-memory SVG, placeholder colours that `svg::clean_plotters_svg` swaps for the real styling,
//! fonts at the size we mean, white knock-out boxes behind labels, and round axis steps.

use plotters::prelude::{Color, IntoDrawingArea, DrawingArea, DrawingAreaErrorKind, FontDesc, FontFamily, FontStyle, RGBColor, Rectangle, SVGBackend};
use plotters::coord::Shift;
use plotters::style::text_anchor::HPos;

use super::font::{FONT_STACK, register_with_plotters, text_width};
use super::svg::{self, Restyle};

/// What every plotters drawing call returns.
pub(crate) type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The drawing area plotters draws a chart into.
pub(crate) type Canvas<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// Lets `draw` paint a `width` × `height` px canvas (in the shipped font) and returns plotters'
/// raw SVG, ready for `svg::clean_plotters_svg`.
pub(crate) fn draw_svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&Canvas<'_>) -> DrawResult,
) -> String {
    register_with_plotters();
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (width, height)).into_drawing_area();
        draw(&root)
            .expect("plotters drawing into a String cannot fail once the font is registered");
        root.present()
            .expect("presenting an in-memory SVG cannot fail");
    }
    raw
}

// Placeholder colours plotters draws with; `clean_plotters_svg` swaps in the real styling.
pub(crate) const PH_LABEL: u32 = 0x0A0101;
pub(crate) const PH_VALUE: u32 = 0x0A0102;
pub(crate) const PH_REF_LINE: u32 = 0x0A0103;
pub(crate) const PH_REF_LABEL: u32 = 0x0A0104;
pub(crate) const PH_TITLE: u32 = 0x0A0105;
pub(crate) const PH_LEGEND_TEXT: u32 = 0x0A0106;
pub(crate) const PH_AXIS: u32 = 0x0A0107;
pub(crate) const PH_GRID: u32 = 0x0A0108;
pub(crate) const PH_KNOCKOUT: u32 = 0x0A0109;
/// Bars of group g use `PH_BAR + g`, legend swatches `PH_SWATCH + g`.
pub(crate) const PH_BAR: u32 = 0x0A0200;
pub(crate) const PH_SWATCH: u32 = 0x0A0300;

pub(crate) fn ph(c: u32) -> RGBColor {
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

pub(crate) fn ph_hex(c: u32) -> String {
    format!("#{c:06X}")
}

/// Styling of the placeholders shared by the plotters-drawn charts.
pub(crate) fn common_restyles() -> Vec<Restyle> {
    vec![
        Restyle {
            placeholder: ph_hex(PH_LABEL),
            fill: format!("fill=\"{}\" class=\"label\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_VALUE),
            fill: format!("fill=\"{}\" class=\"value\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_REF_LINE),
            fill: String::new(),
            stroke: format!(
                "stroke=\"{}\" stroke-dasharray=\"5 3\" class=\"ref-line\"",
                svg::INK
            ),
        },
        Restyle {
            placeholder: ph_hex(PH_REF_LABEL),
            fill: "fill=\"#3e4c59\" class=\"ref-label\"".into(),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_TITLE),
            fill: format!("fill=\"{}\" class=\"chart-title\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_LEGEND_TEXT),
            fill: format!("fill=\"{}\" class=\"legend-label\"", svg::INK),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_AXIS),
            fill: format!("fill=\"{}\"", svg::MUTED),
            stroke: format!("stroke=\"{}\"", svg::AXIS),
        },
        Restyle {
            placeholder: ph_hex(PH_KNOCKOUT),
            fill: "fill=\"#ffffff\" stroke=\"none\" class=\"knockout\"".into(),
            stroke: String::new(),
        },
        Restyle {
            placeholder: ph_hex(PH_GRID),
            fill: String::new(),
            stroke: format!("stroke=\"{}\"", svg::GRID),
        },
    ]
}

pub(crate) fn font(size: f64) -> FontDesc<'static> {
    // plotters writes font-size = size / 1.24; compensate so the SVG gets the size we mean.
    FontDesc::new(FontFamily::Name(FONT_STACK), size * 1.24, FontStyle::Normal)
}

pub(crate) fn bold(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_STACK), size * 1.24, FontStyle::Bold)
}

pub(crate) fn px(v: f64) -> i32 {
    v.round() as i32
}

/// A white box behind a label, so reference lines passing under it (even between glyphs, where a
/// stroke halo would not reach) never cut through the digits.
pub(crate) fn knockout(
    root: &Canvas<'_>,
    text: &str,
    size: f64,
    x: f64,
    y_mid: f64,
    anchor: HPos,
) -> DrawResult {
    let w = text_width(text, size, false);
    let left = match anchor {
        HPos::Left => x,
        HPos::Center => x - w / 2.0,
        HPos::Right => x - w,
    };
    root.draw(&Rectangle::new(
        [
            (px(left - 2.0), px(y_mid - size * 0.6)),
            (px(left + w + 2.0), px(y_mid + size * 0.6)),
        ],
        ph(PH_KNOCKOUT).filled(),
    ))
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * 0.999_999 {
            return m * mag;
        }
    }
    10.0 * mag
}

/// Decimals needed to print multiples of `step` exactly (2.5 → 1, 0.25 → 2, 20 → 0).
pub(crate) fn decimals_for(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_and_decimals() {
        assert_eq!(nice_step(22.2), 25.0);
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(decimals_for(25.0), 0);
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(0.2), 1);
    }
}
