//! Charts comparing strategies (the scenarios of a sweep, or the folders given to
//! `compare`), drawn from what [`crate::report::strategy`] read from their files, so a
//! resumed, merged or lean sweep draws the same charts. Every strategy keeps one colour
//! ([`strategy_colour`]) and one number in every chart; legends carry the short name only.
//!
//! - `strategies-tradeoff`: the saving against the baseline against waits beyond the norm
//!   and against out-of-home days (more than the baseline), each strategy a dot with its 95% interval both ways,
//!   dominated strategies hollow;
//! - `strategies-places`, `strategies-waiting`, `strategies-ooh-cost`: time paths with
//!   95% bands (from `paths.csv` and the cost per year of `summary.csv`);
//! - `strategies-kpis`: every KPI as dot and whisker per strategy.

use super::figure::{GREY, Layer, Mark, Panel, Sheet, line_in_band, numeric_axis, strategy_colour};
use crate::measure::Metric;
use crate::report::lang::{Lang, capitalised};
use crate::report::paths::{PathPoint, Series};
use crate::report::strategy::{Strategy, dominated, savings, versus_first};
use crate::sweep::{Format, KPIS, Kpi};

/// A strategy's legend entry: its number and name (its road's, in a sweep with futures,
/// where the chart is of one future).
pub fn legend(s: &Strategy) -> String {
    format!("{}. {}", s.number + 1, s.road)
}

/// Scale of a KPI's values in charts: euros in millions, shares in percent.
fn scale(format: Format) -> f64 {
    match format {
        Format::Euros => 1e-6,
        Format::Share => 100.0,
        Format::Count | Format::Decimal | Format::Days | Format::EurosEach => 1.0,
    }
}

/// Every KPI in its own small panel: per strategy the mean and its 95% interval
/// (dot and whisker), strategies told apart by colour and number.
pub fn kpis(strategies: &[Strategy], lang: Lang) -> Sheet {
    let n = strategies.len();
    let ticks: Vec<(f64, String)> = strategies
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64, (s.number + 1).to_string()))
        .collect();
    let panels = KPIS
        .iter()
        .map(|k| {
            let f = scale(k.format());
            let mut layers = Vec::new();
            for (i, s) in strategies.iter().enumerate() {
                let x = i as f64;
                let v = s.kpi(*k);
                layers.push(Layer::new(
                    Mark::Whiskers {
                        segs: vec![[x, v.ci_low * f, x, v.ci_high * f]],
                    },
                    strategy_colour(s.number),
                    "",
                ));
                layers.push(Layer::new(
                    Mark::Points {
                        xs: vec![x],
                        ys: vec![v.mean * f],
                    },
                    strategy_colour(s.number),
                    &legend(s),
                ));
            }
            Panel {
                title: lang.kpi_label(*k).to_string(),
                x_desc: String::new(),
                y_desc: String::new(),
                x_range: (-0.6, n as f64 - 0.4),
                x_ticks: ticks.clone(),
                layers,
            }
        })
        .collect();
    // two columns: a panel is wide enough for the longest label as its title
    let rows = KPIS.len().div_ceil(2) as u32;
    Sheet {
        title: lang.compare().kpi_chart.into(),
        panels,
        cols: 2,
        size: (1000, 60 + rows * 190),
        lang,
    }
}

/// The decimal year of a date.
fn year_of(d: jiff::civil::Date) -> f64 {
    let days = if d.in_leap_year() { 366.0 } else { 365.0 };
    d.year() as f64 + (d.day_of_year() as f64 - 1.0) / days
}

/// The x range and yearly ticks covering every strategy's paths and cost years.
fn time_axis(strategies: &[Strategy]) -> ((f64, f64), Vec<(f64, String)>) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in strategies {
        for p in s.paths.values().flatten() {
            lo = lo.min(year_of(p.date));
            hi = hi.max(year_of(p.date) + 1.0 / 12.0);
        }
        for c in &s.cost {
            lo = lo.min(c.0 as f64);
            hi = hi.max(c.0 as f64 + 1.0);
        }
    }
    if !lo.is_finite() {
        return ((0.0, 1.0), Vec::new());
    }
    let ticks = (lo.ceil() as i32..=hi.floor() as i32)
        .map(|y| (y as f64, y.to_string()))
        .collect();
    ((lo, hi), ticks)
}

/// A panel of one path per strategy: the mean line in its 95% band, scaled by `f`.
fn path_panel(
    strategies: &[Strategy],
    series: Series,
    f: f64,
    title: &str,
    y_desc: &str,
    lang: Lang,
) -> Panel {
    let mut layers = Vec::new();
    for s in strategies {
        let pts: &[PathPoint] = s.paths.get(&series).map_or(&[], Vec::as_slice);
        let xs = pts.iter().map(|p| year_of(p.date)).collect();
        let m = |g: fn(&PathPoint) -> f64| pts.iter().map(|p| g(p) * f).collect::<Vec<f64>>();
        layers.extend(line_in_band(
            xs,
            m(|p| p.mean),
            (m(|p| p.ci_low), m(|p| p.ci_high)),
            strategy_colour(s.number),
            &legend(s),
        ));
    }
    let (x_range, x_ticks) = time_axis(strategies);
    Panel {
        title: title.to_string(),
        x_desc: lang.labels().year.into(),
        y_desc: y_desc.to_string(),
        x_range,
        x_ticks,
        layers,
    }
}

/// One band of neutral grey in the legend says what the coloured bands are.
fn band_legend(lang: Lang) -> Layer {
    Layer::new(
        Mark::Band {
            xs: Vec::new(),
            lo: Vec::new(),
            hi: Vec::new(),
        },
        GREY,
        lang.compare().ci,
    )
}

/// Height of a sheet of `panels` stacked panels whose legend lists `n` strategies.
fn stacked(panels: u32, n: usize) -> (u32, u32) {
    let legend = 60 + 44 * n as u32;
    (1000, (40 + panels * 300).max(legend))
}

/// The time paths: institutional places (capacity and occupancy) apart from family-like
/// places; the waiting list, the mean wait and the share over the norm (with the risk
/// limit); out-of-home days and the cost per year. Empty when no strategy has paths.
/// `suffix` ends each chart's file name and `subject` its title (the future of a sweep
/// with futures; both empty otherwise).
pub fn paths(
    strategies: &[Strategy],
    suffix: &str,
    subject: &str,
    lang: Lang,
) -> Vec<(String, Sheet)> {
    if strategies.iter().all(|s| s.paths.is_empty()) {
        return Vec::new();
    }
    let w = lang.compare();
    let n = strategies.len();
    let mut places = vec![
        path_panel(
            strategies,
            Series::ResidentialCapacity,
            1.0,
            w.institutional_panel,
            w.places,
            lang,
        ),
        path_panel(
            strategies,
            Series::ResidentialOccupancy,
            1.0,
            w.institutional_youths_panel,
            w.youths,
            lang,
        ),
    ];
    if strategies.iter().any(|s| {
        s.paths
            .get(&Series::FamilyCapacity)
            .is_some_and(|p| p.iter().any(|x| x.mean.is_finite()))
    }) {
        places.push(path_panel(
            strategies,
            Series::FamilyCapacity,
            1.0,
            w.family_panel,
            w.places,
            lang,
        ));
    }
    places[0].layers.insert(0, band_legend(lang));
    let mut over = path_panel(
        strategies,
        Series::OverNormShare,
        100.0,
        w.over_norm_panel,
        w.percent_admissions,
        lang,
    );
    let limits: Vec<f64> = strategies
        .iter()
        .filter_map(|s| s.paths.get(&Series::OverNormLimit)?.first().map(|p| p.mean))
        .collect();
    if let Some(l) = limits.first()
        && limits.iter().all(|x| x == l)
    {
        over.layers.push(Layer::new(
            Mark::HLine { y: l * 100.0 },
            GREY,
            &format!("{} ({})", w.limit, lang.percent(*l)),
        ));
    }
    let waiting = vec![
        path_panel(
            strategies,
            Series::WaitingMean,
            1.0,
            &capitalised(lang.metric_label(Metric::WaitingMean)),
            w.youths,
            lang,
        ),
        path_panel(
            strategies,
            Series::WaitDaysMean,
            1.0,
            w.wait_panel,
            w.days,
            lang,
        ),
        over,
    ];
    let ooh = path_panel(
        strategies,
        Series::OutOfHomeDays,
        1.0,
        &format!(
            "{} {}",
            capitalised(lang.metric_name(Metric::OutOfHomeDays)),
            w.per_period
        ),
        w.days_per_interval,
        lang,
    );
    let mut cost = Panel {
        title: w.cost_panel.into(),
        x_desc: lang.labels().year.into(),
        y_desc: w.euro_m.into(),
        x_range: ooh.x_range,
        x_ticks: ooh.x_ticks.clone(),
        layers: Vec::new(),
    };
    for s in strategies {
        let xs: Vec<f64> = s.cost.iter().map(|c| c.0 as f64 + 0.5).collect();
        let m = |g: fn(&(i16, f64, f64, f64)) -> f64| s.cost.iter().map(|c| g(c) / 1e6).collect();
        cost.layers.extend(line_in_band(
            xs.clone(),
            m(|c| c.1),
            (m(|c| c.2), m(|c| c.3)),
            strategy_colour(s.number),
            &legend(s),
        ));
        cost.layers.push(Layer::new(
            Mark::Points { xs, ys: m(|c| c.1) },
            strategy_colour(s.number),
            "",
        ));
    }
    let sheet = |title: &str, panels: Vec<Panel>| Sheet {
        title: titled(title, subject),
        size: stacked(panels.len() as u32, n),
        panels,
        cols: 1,
        lang,
    };
    vec![
        (
            format!("strategies-places{suffix}"),
            sheet(w.places_chart, places),
        ),
        (
            format!("strategies-waiting{suffix}"),
            sheet(w.waiting_chart, waiting),
        ),
        (
            format!("strategies-ooh-cost{suffix}"),
            sheet(w.ooh_cost_chart, vec![ooh, cost]),
        ),
    ]
}

/// A chart's title, with its subject after ` — ` when there is one (the page's list of
/// charts groups charts of one subject on one line).
fn titled(title: &str, subject: &str) -> String {
    if subject.is_empty() {
        title.to_string()
    } else {
        format!("{title} — {subject}")
    }
}

/// A trade-off panel: per strategy, x = saving (€ M) and y = `ys` (mean, 95% interval),
/// a dot (a ring when dominated) with whiskers both ways.
fn tradeoff_panel(
    strategies: &[Strategy],
    xs: &[(f64, f64, f64)],
    ys: &[(f64, f64, f64)],
    y_desc: &str,
    lang: Lang,
) -> Panel {
    let points: Vec<(f64, f64)> = xs.iter().zip(ys).map(|(x, y)| (x.0, y.0)).collect();
    let dom = dominated(&points);
    let mut layers = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, s) in strategies.iter().enumerate() {
        let (x, y) = (xs[i], ys[i]);
        for v in [x.0, x.1, x.2] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        let c = strategy_colour(s.number);
        layers.push(Layer::new(
            Mark::Whiskers {
                segs: vec![[x.1, y.0, x.2, y.0], [x.0, y.1, x.0, y.2]],
            },
            c,
            "",
        ));
        let (p, r) = (
            Mark::Points {
                xs: vec![x.0],
                ys: vec![y.0],
            },
            Mark::Rings {
                xs: vec![x.0],
                ys: vec![y.0],
            },
        );
        // the legend shows the strategy as a dot, whether or not it is dominated here
        layers.push(Layer::new(if dom[i] { r } else { p }, c, ""));
        layers.push(Layer::new(
            Mark::Points {
                xs: Vec::new(),
                ys: Vec::new(),
            },
            c,
            &legend(s),
        ));
    }
    layers.push(Layer::new(
        Mark::Rings {
            xs: Vec::new(),
            ys: Vec::new(),
        },
        GREY,
        lang.compare().dominated,
    ));
    let (x_range, x_ticks) = numeric_axis(lo.min(0.0), hi.max(0.0), lang);
    Panel {
        title: String::new(),
        x_desc: lang.compare().saving_axis.into(),
        y_desc: y_desc.into(),
        x_range,
        x_ticks,
        layers,
    }
}

/// The trade-off: saving against the baseline (cumulative to the horizon) against the
/// share of admissions over the norm (whole horizon), and against the out-of-home days
/// more than the baseline (thousands, paired like the saving); `None` without costs.
/// `subject` ends its title (the future, in a sweep with futures).
pub fn tradeoff(strategies: &[Strategy], subject: &str, lang: Lang) -> Option<Sheet> {
    let saving: Vec<(f64, f64, f64)> = savings(strategies)
        .into_iter()
        .map(|(m, a, b)| (m / 1e6, a / 1e6, b / 1e6))
        .collect();
    let mut roads = strategies
        .iter()
        .zip(&saving)
        .filter(|(s, _)| !s.is_baseline);
    if strategies.len() < 2 || roads.all(|(_, sv)| !sv.0.is_finite()) {
        return None;
    }
    let over: Vec<(f64, f64, f64)> = strategies
        .iter()
        .map(|s| {
            let v = s.kpi(Kpi::OverNormShare);
            (v.mean * 100.0, v.ci_low * 100.0, v.ci_high * 100.0)
        })
        .collect();
    let ooh: Vec<(f64, f64, f64)> = versus_first(strategies, Kpi::OutOfHomeDays)
        .into_iter()
        .map(|(m, a, b)| (m / 1e3, a / 1e3, b / 1e3))
        .collect();
    let ooh_desc = format!(
        "{} {}",
        lang.metric_name(Metric::OutOfHomeDays),
        match lang {
            Lang::Nl => "t.o.v. de basis (× 1.000)",
            Lang::En => "against the baseline (× 1,000)",
        }
    );
    Some(Sheet {
        title: titled(lang.compare().tradeoff_chart, subject),
        panels: vec![
            tradeoff_panel(
                strategies,
                &saving,
                &over,
                lang.metric_label(Metric::OverNormShare),
                lang,
            ),
            tradeoff_panel(strategies, &saving, &ooh, &ooh_desc, lang),
        ],
        cols: 1,
        size: stacked(2, strategies.len() + 1),
        lang,
    })
}

/// The comparison charts, named, in the page's order: for a comparison without futures
/// the trade-off, the paths and every KPI; with futures, per future (in the order of
/// `futures`) the trade-off, the places and the waiting (named `…-<future>`).
pub fn sheets(strategies: &[Strategy], futures: &[String], lang: Lang) -> Vec<(String, Sheet)> {
    let mut out = Vec::new();
    if futures.is_empty() {
        if let Some(t) = tradeoff(strategies, "", lang) {
            out.push(("strategies-tradeoff".to_string(), t));
        }
        out.extend(paths(strategies, "", "", lang));
        out.push(("strategies-kpis".to_string(), kpis(strategies, lang)));
        return out;
    }
    for f in futures {
        let of: Vec<Strategy> = strategies
            .iter()
            .filter(|s| s.future.as_ref() == Some(f))
            .cloned()
            .collect();
        let subject = format!("{} {f}", lang.compare().future);
        if let Some(t) = tradeoff(&of, &subject, lang) {
            out.push((format!("strategies-tradeoff-{f}"), t));
        }
        out.extend(
            paths(&of, &format!("-{f}"), &subject, lang)
                .into_iter()
                .filter(|(n, _)| !n.starts_with("strategies-ooh-cost")),
        );
    }
    out
}
