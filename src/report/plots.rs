//! Charts of a run, a budget and a sweep, as SVG and PNG bytes (for `plots/`) — pure:
//! nothing here writes a file.
//!
//! Each chart is first described as data ([`figure::Sheet`]) by [`run`] or [`compare`],
//! then drawn twice with the same code: on plotters' SVG backend and on its bitmap
//! backend, encoded as PNG. Text is measured and drawn with DejaVu Sans compiled into the
//! binary (`fonts/`, with its licence), so no system font library is needed and the
//! output is the same on every machine.

pub mod compare;
mod crisp;
pub mod figure;
pub mod run;

use plotters::prelude::*;

use figure::Sheet;

/// One rendered chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// File stem, ASCII and stable: `plots/<name>.svg` and `plots/<name>.png`.
    pub name: String,
    /// The chart's title, for the report's list of charts.
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw chart '{name}': {message}")]
pub struct PlotError {
    pub name: String,
    pub message: String,
}

static FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// Registers the embedded font once, as plotters' `sans-serif`.
fn ensure_font() -> Result<(), String> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded font could not be read".into())
    }
}

/// Draws a sheet as SVG and PNG.
pub fn render(name: &str, sheet: &Sheet) -> Result<Chart, PlotError> {
    let fail = |message: String| PlotError {
        name: name.to_string(),
        message,
    };
    ensure_font().map_err(fail)?;
    let (w, h) = sheet.size;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        figure::draw(&root, sheet).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = crisp::Crisp(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        figure::draw(&root, sheet).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| fail(e.to_string()))?;
    Ok(Chart {
        name: name.to_string(),
        title: sheet.title.clone(),
        svg,
        png,
    })
}

/// Draws every sheet, in parallel on rayon's pool (the charts are independent), and
/// returns them in order: the bytes do not depend on the thread count.
pub fn render_all(sheets: &[(String, Sheet)]) -> Result<Vec<Chart>, PlotError> {
    use rayon::prelude::*;
    sheets.par_iter().map(|(n, s)| render(n, s)).collect()
}

/// The PNG row filter of every chart (see [`encode_png`]).
const FILTER: png::FilterType = png::FilterType::Paeth;

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // charts are mostly flat colour: FILTER on every row (no per-row trial of all five
        // filters, which took 40% of drawing a chart) and fast compression
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(FILTER);
        enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
}

/// The files of charts: `plots/<name>.svg` and `plots/<name>.png`, in chart order.
pub fn files(charts: &[Chart]) -> Vec<(String, Vec<u8>)> {
    charts
        .iter()
        .flat_map(|c| {
            [
                (format!("plots/{}.svg", c.name), c.svg.as_bytes().to_vec()),
                (format!("plots/{}.png", c.name), c.png.clone()),
            ]
        })
        .collect()
}

/// A file-name-safe form of an id: ASCII letters, digits, `-` and `_`; anything else
/// becomes `_`.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::figure::{Layer, Mark, Panel, colour};
    use super::*;
    use crate::report::lang::Lang;

    #[test]
    fn a_sheet_renders_as_parseable_svg_and_png_of_its_size() {
        let sheet = Sheet {
            title: "Test <&> ë".into(),
            panels: vec![Panel {
                title: "p".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                x_range: (0.0, 2.0),
                x_ticks: vec![(0.0, "a".into()), (1.0, "b".into())],
                layers: vec![Layer::new(
                    Mark::Line {
                        xs: vec![0.0, 1.0, 2.0],
                        ys: vec![1.0, f64::NAN, 3.0],
                        dashed: false,
                    },
                    colour(0),
                    "line",
                )],
            }],
            cols: 1,
            size: (400, 300),
            lang: Lang::En,
        };
        let c = render("t", &sheet).unwrap();
        assert!(c.svg.starts_with("<svg"));
        assert!(c.svg.contains("Test &lt;&amp;&gt; ë"));
        let dec = png::Decoder::new(std::io::Cursor::new(&c.png));
        let reader = dec.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (400, 300));
        assert_eq!(slug("a b/é"), "a_b__");
    }
}
