//! A chart described as data — panels with axes and layers, and one legend — and drawn
//! with plotters on any backend (SVG or bitmap), so both outputs show the same thing.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use crate::report::lang::Lang;

/// The Okabe–Ito palette, safe for colour-blind readers, in the order charts use it.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// One colour per strategy, for up to 12 strategies told apart in every chart of a
/// comparison: Okabe–Ito first (yellow last, it is faint on white), then four colours of
/// Paul Tol's muted scheme that stay distinct from them for colour-blind readers.
pub const STRATEGY_PALETTE: [RGBColor; 12] = [
    PALETTE[0],              // blue
    PALETTE[1],              // orange
    PALETTE[2],              // bluish green
    PALETTE[3],              // vermillion
    PALETTE[4],              // reddish purple
    PALETTE[5],              // sky blue
    PALETTE[7],              // black
    RGBColor(136, 34, 85),   // wine (Tol)
    RGBColor(51, 34, 136),   // indigo (Tol)
    RGBColor(153, 153, 51),  // olive (Tol)
    RGBColor(204, 102, 119), // rose (Tol)
    PALETTE[6],              // yellow
];

/// The colour of the `i`-th strategy (cycling beyond 12).
pub fn strategy_colour(i: usize) -> RGBColor {
    STRATEGY_PALETTE[i % STRATEGY_PALETTE.len()]
}

/// A colour as CSS (`#0072b2`).
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Grey for reference marks (planned dates).
pub const GREY: RGBColor = RGBColor(110, 110, 110);

/// The n-th palette colour, cycling.
pub fn colour(n: usize) -> RGBColor {
    PALETTE[n % PALETTE.len()]
}

/// What one layer draws, in data coordinates.
#[derive(Clone, Debug)]
pub enum Mark {
    /// A line through the points; NaN values break it.
    Line {
        xs: Vec<f64>,
        ys: Vec<f64>,
        dashed: bool,
    },
    /// A filled band between `lo` and `hi`; NaN values break it.
    Band {
        xs: Vec<f64>,
        lo: Vec<f64>,
        hi: Vec<f64>,
    },
    /// A dashed horizontal line across the panel.
    HLine { y: f64 },
    /// A dashed vertical line across the panel.
    VLine { x: f64 },
    /// Rectangles `[x0, x1] × [y0, y1]`.
    Bars { rects: Vec<[f64; 4]> },
    /// Dots.
    Points { xs: Vec<f64>, ys: Vec<f64> },
    /// Hollow dots (rings): points that are marked as lesser, e.g. dominated.
    Rings { xs: Vec<f64>, ys: Vec<f64> },
    /// Whiskers, from `(x0, y0)` to `(x1, y1)`.
    Whiskers { segs: Vec<[f64; 4]> },
}

/// One layer: a mark in a colour, with an optional legend entry.
#[derive(Clone, Debug)]
pub struct Layer {
    pub mark: Mark,
    pub colour: RGBColor,
    pub legend: Option<String>,
}

impl Layer {
    /// A layer with a legend entry (none when `legend` is empty).
    pub fn new(mark: Mark, colour: RGBColor, legend: &str) -> Layer {
        Layer {
            mark,
            colour,
            legend: (!legend.is_empty()).then(|| legend.to_string()),
        }
    }
}

/// Years as x ticks, with `margin` years either side (wider for bars than for lines).
pub fn year_axis(years: &[i16], margin: f64) -> ((f64, f64), Vec<(f64, String)>) {
    let lo = years.first().map_or(0.0, |y| *y as f64) - margin;
    let hi = years.last().map_or(0.0, |y| *y as f64) + margin;
    let step = year_step(years.len());
    (
        (lo, hi),
        years
            .iter()
            .filter(|y| i32::from(**y).rem_euclid(step) == 0)
            .map(|y| (*y as f64, y.to_string()))
            .collect(),
    )
}

/// Labels an axis of `n` years can hold without overlapping: at most [`MAX_YEAR_LABELS`].
pub const MAX_YEAR_LABELS: usize = 12;

/// Every how many years an axis of `n` years is labelled: 1, 2, 5, 10, 20, 50… so that at
/// most [`MAX_YEAR_LABELS`] labels are shown (at years divisible by the step).
pub fn year_step(n: usize) -> i32 {
    let mut step = 1;
    for k in [2, 5, 10, 20, 50, 100] {
        // a step labels at most ceil(n / step) + 1 years
        if n.div_ceil(step as usize) < MAX_YEAR_LABELS {
            break;
        }
        step = k;
    }
    step
}

/// A numeric axis from `lo` to `hi` (widened a little) with about six ticks at round
/// numbers, labelled in `lang`.
pub fn numeric_axis(lo: f64, hi: f64, lang: Lang) -> ((f64, f64), Vec<(f64, String)>) {
    let (lo, hi) = if !(lo.is_finite() && hi.is_finite()) {
        (0.0, 1.0)
    } else if hi - lo < 1e-9 {
        (lo - 0.5 * lo.abs().max(1.0), hi + 0.5 * hi.abs().max(1.0))
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|f| f * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let pad = (hi - lo) * 0.06;
    let (a, b) = (lo - pad, hi + pad);
    let dec = decimals(step * 5.0);
    let mut ticks = Vec::new();
    let mut k = (a / step).ceil();
    while k * step <= b + 1e-9 {
        let x = k * step;
        let x = if x.abs() < step * 1e-9 { 0.0 } else { x };
        ticks.push((x, lang.number(x, needed_decimals(x, dec))));
        k += 1.0;
    }
    ((a, b), ticks)
}

/// A line through `ys` inside a band from `lo` to `hi`, both in `colour`; only the line
/// has a legend entry.
pub fn line_in_band(
    xs: Vec<f64>,
    ys: Vec<f64>,
    (lo, hi): (Vec<f64>, Vec<f64>),
    colour: RGBColor,
    legend: &str,
) -> [Layer; 2] {
    [
        Layer::new(
            Mark::Band {
                xs: xs.clone(),
                lo,
                hi,
            },
            colour,
            "",
        ),
        Layer::new(
            Mark::Line {
                xs,
                ys,
                dashed: false,
            },
            colour,
            legend,
        ),
    ]
}

/// One plotting area with its axes.
#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub x_range: (f64, f64),
    /// Tick positions on the x axis with their labels.
    pub x_ticks: Vec<(f64, String)>,
    pub layers: Vec<Layer>,
}

impl Panel {
    /// The y range: from 0 (or the lowest value, if negative) to a little above the
    /// highest finite value of any layer.
    pub fn y_range(&self) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0f64, f64::NEG_INFINITY);
        let mut see = |v: f64| {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        };
        for l in &self.layers {
            match &l.mark {
                Mark::Line { ys, .. } | Mark::Points { ys, .. } | Mark::Rings { ys, .. } => {
                    ys.iter().for_each(|v| see(*v))
                }
                Mark::Band { lo, hi, .. } => lo.iter().chain(hi).for_each(|v| see(*v)),
                Mark::HLine { y } => see(*y),
                Mark::VLine { .. } => {}
                Mark::Bars { rects } => rects.iter().for_each(|r| {
                    see(r[1]);
                    see(r[3])
                }),
                Mark::Whiskers { segs } => segs.iter().for_each(|s| {
                    see(s[1]);
                    see(s[3])
                }),
            }
        }
        if !hi.is_finite() || hi <= lo {
            hi = lo + 1.0;
        }
        (lo, hi + (hi - lo) * 0.08)
    }
}

/// A whole chart: a title, panels in a grid of `cols` columns, and a legend at the right.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub title: String,
    pub panels: Vec<Panel>,
    pub cols: usize,
    pub size: (u32, u32),
    pub lang: Lang,
}

/// The legend's kind of swatch for a mark.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Swatch {
    Line,
    Dashed,
    Band,
    Bar,
    Dot,
    Ring,
    Whisker,
}

impl Sheet {
    /// Legend entries of all panels, first occurrence of each name, in order.
    fn legend(&self) -> Vec<(String, RGBColor, Swatch)> {
        let mut out: Vec<(String, RGBColor, Swatch)> = Vec::new();
        for l in self.panels.iter().flat_map(|p| &p.layers) {
            let Some(name) = &l.legend else { continue };
            if out.iter().any(|e| &e.0 == name) {
                continue;
            }
            let sw = match &l.mark {
                Mark::Line { dashed: false, .. } => Swatch::Line,
                Mark::Line { dashed: true, .. } | Mark::HLine { .. } | Mark::VLine { .. } => {
                    Swatch::Dashed
                }
                Mark::Band { .. } => Swatch::Band,
                Mark::Bars { .. } => Swatch::Bar,
                Mark::Points { .. } => Swatch::Dot,
                Mark::Rings { .. } => Swatch::Ring,
                Mark::Whiskers { .. } => Swatch::Whisker,
            };
            out.push((name.clone(), l.colour, sw));
        }
        out
    }
}

const FONT: &str = "sans-serif";
const LEGEND_W: u32 = 250;
const TITLE_H: u32 = 40;

/// Draws `sheet` on `root`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sheet: &Sheet,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let (top, rest) = root.split_vertically(TITLE_H);
    top.draw(&Text::new(
        sheet.title.clone(),
        (14, 10),
        (FONT, 20).into_font().color(&BLACK),
    ))
    .map_err(err)?;
    let legend = sheet.legend();
    let legend_w = if legend.is_empty() {
        0
    } else {
        LEGEND_W.min(w / 3)
    };
    let (plots, legend_area) = rest.split_horizontally(w - legend_w);
    let cols = sheet.cols.max(1);
    let rows = sheet.panels.len().div_ceil(cols).max(1);
    let cells = plots.split_evenly((rows, cols));
    for (cell, panel) in cells.iter().zip(&sheet.panels) {
        draw_panel(cell, panel, sheet.lang)?;
    }
    draw_legend(&legend_area, &legend)
}

/// An x axis whose ticks are given (dates, years, numbered strategies) rather than
/// chosen by plotters.
struct TickAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for TickAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let f = (v - self.lo) / (self.hi - self.lo);
        limit.0 + (f * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Decimals for y labels so that ticks about `span / 5` apart read distinctly.
fn decimals(span: f64) -> usize {
    let step = span / 5.0;
    if step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(4)
    }
}

/// The points `(xs[i], ys[i])` whose coordinates are both finite.
fn finite<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    xs.iter()
        .zip(ys)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    lang: Lang,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (y0, y1) = p.y_range();
    let (x0, x1) = if p.x_range.1 > p.x_range.0 {
        p.x_range
    } else {
        (p.x_range.0 - 0.5, p.x_range.0 + 0.5)
    };
    let mut b = ChartBuilder::on(area);
    if !p.title.is_empty() {
        b.caption(&p.title, (FONT, 15));
    }
    b.margin(8)
        .margin_right(18)
        .x_label_area_size(if p.x_desc.is_empty() { 26 } else { 46 })
        .y_label_area_size(if p.y_desc.is_empty() { 52 } else { 70 });
    let ticks: Vec<f64> = p.x_ticks.iter().map(|t| t.0).collect();
    let mut chart = b
        .build_cartesian_2d(
            TickAxis {
                lo: x0,
                hi: x1,
                ticks,
            },
            y0..y1,
        )
        .map_err(err)?;
    let dec = decimals(y1 - y0);
    let xfmt = |x: &f64| {
        p.x_ticks
            .iter()
            .find(|t| (t.0 - x).abs() < 1e-9)
            .map(|t| t.1.clone())
            .unwrap_or_default()
    };
    let yfmt = |y: &f64| lang.number(*y, needed_decimals(*y, dec));
    chart
        .configure_mesh()
        .x_desc(p.x_desc.as_str())
        .y_desc(p.y_desc.as_str())
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_labels(6)
        .bold_line_style(RGBColor(226, 226, 226))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(120, 120, 120))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 13))
        .draw()
        .map_err(err)?;
    for l in &p.layers {
        let c = l.colour;
        match &l.mark {
            Mark::Band { xs, lo, hi } => {
                for run in runs(xs.len(), |i| lo[i].is_finite() && hi[i].is_finite()) {
                    let mut pts: Vec<(f64, f64)> = run.clone().map(|i| (xs[i], lo[i])).collect();
                    pts.extend(run.rev().map(|i| (xs[i], hi[i])));
                    chart
                        .draw_series(std::iter::once(Polygon::new(pts, c.mix(0.22).filled())))
                        .map_err(err)?;
                }
            }
            Mark::Line { xs, ys, dashed } => {
                for run in runs(xs.len(), |i| ys[i].is_finite()) {
                    let pts: Vec<(f64, f64)> = run.map(|i| (xs[i], ys[i])).collect();
                    if *dashed {
                        chart
                            .draw_series(DashedLineSeries::new(pts, 7, 5, c.stroke_width(2)))
                            .map_err(err)?;
                    } else {
                        chart
                            .draw_series(LineSeries::new(pts, c.stroke_width(2)))
                            .map_err(err)?;
                    }
                }
            }
            Mark::HLine { y } => {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x0, *y), (x1, *y)],
                        7,
                        5,
                        c.stroke_width(2),
                    ))
                    .map_err(err)?;
            }
            Mark::VLine { x } => {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(*x, y0), (*x, y1)],
                        4,
                        4,
                        c.stroke_width(1),
                    ))
                    .map_err(err)?;
            }
            Mark::Bars { rects } => {
                chart
                    .draw_series(
                        rects
                            .iter()
                            .filter(|r| r.iter().all(|v| v.is_finite()))
                            .map(|r| Rectangle::new([(r[0], r[1]), (r[2], r[3])], c.filled())),
                    )
                    .map_err(err)?;
            }
            Mark::Points { xs, ys } => {
                chart
                    .draw_series(finite(xs, ys).map(|(x, y)| Circle::new((x, y), 4, c.filled())))
                    .map_err(err)?;
            }
            Mark::Rings { xs, ys } => {
                chart
                    .draw_series(finite(xs, ys).flat_map(|(x, y)| {
                        [
                            Circle::new((x, y), 5, WHITE.filled()),
                            Circle::new((x, y), 5, c.stroke_width(2)),
                        ]
                    }))
                    .map_err(err)?;
            }
            Mark::Whiskers { segs } => {
                chart
                    .draw_series(
                        segs.iter()
                            .filter(|s| s.iter().all(|v| v.is_finite()))
                            .map(|s| {
                                PathElement::new(
                                    vec![(s[0], s[1]), (s[2], s[3])],
                                    c.stroke_width(2),
                                )
                            }),
                    )
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// The fewest decimals, at most `max`, that show `y` as `max` decimals would: tick
/// labels `4` rather than `4,0`, but `2,5` and `0,25`.
fn needed_decimals(y: f64, max: usize) -> usize {
    let mut d = max;
    while d > 0 {
        let scaled = y * 10f64.powi(d as i32 - 1);
        if (scaled.round() - scaled).abs() > 1e-6 {
            break;
        }
        d -= 1;
    }
    d
}

/// Maximal runs of consecutive indices `0..n` where `ok` holds.
fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Splits a legend name into lines of at most `width` characters at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split(' ') {
        let last = lines.last_mut().map(|l| l.chars().count()).unwrap_or(0);
        if last > 0 && last + 1 + word.chars().count() > width {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor, Swatch)],
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let mut y = 24;
    for (name, c, sw) in entries {
        match sw {
            Swatch::Line => area.draw(&PathElement::new(vec![(8, y), (34, y)], c.stroke_width(3))),
            Swatch::Dashed => area
                .draw(&PathElement::new(vec![(8, y), (16, y)], c.stroke_width(2)))
                .and_then(|_| {
                    area.draw(&PathElement::new(vec![(22, y), (30, y)], c.stroke_width(2)))
                }),
            Swatch::Band => area.draw(&Rectangle::new(
                [(8, y - 7), (34, y + 7)],
                c.mix(0.22).filled(),
            )),
            Swatch::Bar => area.draw(&Rectangle::new([(8, y - 7), (34, y + 7)], c.filled())),
            Swatch::Dot => area.draw(&Circle::new((21, y), 5, c.filled())),
            Swatch::Ring => area.draw(&Circle::new((21, y), 5, c.stroke_width(2))),
            Swatch::Whisker => area.draw(&PathElement::new(
                vec![(21, y - 8), (21, y + 8)],
                c.stroke_width(2),
            )),
        }
        .map_err(err)?;
        for (i, line) in wrap(name, 28).into_iter().enumerate() {
            area.draw(&Text::new(
                line,
                (42, y - 8 + 16 * i as i32),
                (FONT, 13).into_font().color(&BLACK),
            ))
            .map_err(err)?;
            if i > 0 {
                y += 16;
            }
        }
        y += 24;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_horizon_labels_every_few_years_without_overlap() {
        // a 30-year cost chart labelled each of its 30 years, the labels overlapping
        let years: Vec<i16> = (2024..2054).collect();
        let (_, ticks) = year_axis(&years, 0.6);
        assert!(ticks.len() <= MAX_YEAR_LABELS, "{ticks:?}");
        assert_eq!(ticks.first().map(|t| t.1.as_str()), Some("2025"));
        assert_eq!(ticks.len(), 6);
        // the usual seven years keep every label
        let years: Vec<i16> = (2024..2031).collect();
        assert_eq!(year_axis(&years, 0.6).1.len(), 7);
        for n in 1..400usize {
            assert!(n.div_ceil(year_step(n) as usize) < MAX_YEAR_LABELS, "{n}");
        }
    }

    #[test]
    fn runs_skip_undefined_values() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN];
        assert_eq!(runs(v.len(), |i| v[i].is_finite()), vec![0..1, 2..4]);
        assert!(runs(0, |_| true).is_empty());
    }

    #[test]
    fn tick_labels_drop_needless_decimals() {
        assert_eq!(needed_decimals(4.0, 1), 0);
        assert_eq!(needed_decimals(2.5, 1), 1);
        assert_eq!(needed_decimals(0.25, 2), 2);
        assert_eq!(needed_decimals(0.1 + 0.2, 2), 1);
        assert_eq!(needed_decimals(1000.0, 0), 0);
    }

    #[test]
    fn legend_names_wrap_at_spaces() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("short", 28), vec!["short"]);
    }

    #[test]
    fn y_range_starts_at_zero_and_survives_empty_panels() {
        let mut p = Panel {
            title: String::new(),
            x_desc: String::new(),
            y_desc: String::new(),
            x_range: (0.0, 1.0),
            x_ticks: vec![],
            layers: vec![],
        };
        assert_eq!(p.y_range(), (0.0, 1.08));
        p.layers.push(Layer::new(
            Mark::Line {
                xs: vec![0.0, 1.0],
                ys: vec![5.0, f64::NAN],
                dashed: false,
            },
            colour(0),
            "x",
        ));
        assert_eq!(p.y_range().0, 0.0);
        assert!((p.y_range().1 - 5.4).abs() < 1e-9);
    }
}
