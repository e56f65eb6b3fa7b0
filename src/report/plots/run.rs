//! The charts of one run (and of `budget`), described from a model and its results:
//! occupancy against capacity and waiting per service, flows per segment, and cost per
//! year.

use super::figure::{GREY, Layer, Mark, Panel, Sheet, colour, year_axis};
use crate::experiment::Results;
use crate::finance::Budget;
use crate::model::Model;
use crate::report::lang::Lang;
use crate::stats::summary::{Summary, summarise};
use crate::stats::{LevelRef, Metric};
use crate::timeline::{PeriodRef, Timeline};

/// Chart size in pixels, for single-panel charts.
pub const SIZE: (u32, u32) = (1000, 480);

/// The decimal year of simulation day `t` (2027.5 is mid-2027).
pub fn decimal_year(tl: &Timeline, t: f64) -> f64 {
    let d = tl.date_of(t);
    let days = if d.in_leap_year() { 366.0 } else { 365.0 };
    d.year() as f64 + (d.day_of_year() as f64 - 1.0 + t.fract()) / days
}

/// The x range of the statistics window and ticks with date labels: years for long
/// horizons, quarters or months for shorter ones, weeks for a month or two.
pub fn time_axis(tl: &Timeline, lang: Lang) -> ((f64, f64), Vec<(f64, String)>) {
    use jiff::ToSpan;
    let x0 = decimal_year(tl, tl.warmup);
    let x1 = decimal_year(tl, tl.horizon - 1.0) + 1.0 / 365.0;
    let span = x1 - x0;
    let first = tl.date_of(tl.warmup);
    let last = tl.date_of(tl.horizon - 1.0);
    let (mut d, step) = if span >= 2.5 {
        (first.first_of_year(), 1.year())
    } else if span >= 0.75 {
        (first.first_of_year(), 3.months())
    } else if span >= 0.2 {
        (first.first_of_month(), 1.month())
    } else {
        (first, 7.days())
    };
    // on a long horizon, every few years (as on the yearly charts)
    let every = super::figure::year_step(span.ceil() as usize) as i16;
    let mut ticks = Vec::new();
    while d <= last {
        if d >= first && (span < 2.5 || d.year().rem_euclid(every) == 0) {
            let x = d.year() as f64
                + (d.day_of_year() as f64 - 1.0) / if d.in_leap_year() { 366.0 } else { 365.0 };
            let label = if span >= 2.5 || (d.month() == 1 && d.day() == 1 && span >= 0.75) {
                d.year().to_string()
            } else if span >= 0.2 {
                lang.month_year(d)
            } else {
                lang.day_month(d)
            };
            ticks.push((x, label));
        }
        match d.checked_add(step) {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    ((x0, x1), ticks)
}

/// Summaries of a metric at a level for each report interval.
fn series(res: &Results, tl: &Timeline, level: LevelRef, m: Metric) -> Vec<Summary> {
    (0..tl.intervals.len())
        .map(|p| res.summary(level, m, PeriodRef::Interval(p)))
        .collect()
}

/// Interval midpoints, starts and ends as decimal years.
fn interval_xs(tl: &Timeline) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mid = tl
        .intervals
        .iter()
        .map(|p| decimal_year(tl, (p.start + p.end) / 2.0))
        .collect();
    let start = tl
        .intervals
        .iter()
        .map(|p| decimal_year(tl, p.start))
        .collect();
    let end = tl
        .intervals
        .iter()
        .map(|p| decimal_year(tl, p.end - 1.0) + 1.0 / 365.0)
        .collect();
    (mid, start, end)
}

fn band(xs: &[f64], s: &[Summary]) -> Mark {
    Mark::Band {
        xs: xs.to_vec(),
        lo: s.iter().map(|s| s.p05).collect(),
        hi: s.iter().map(|s| s.p95).collect(),
    }
}

fn line(xs: &[f64], s: &[Summary]) -> Mark {
    Mark::Line {
        xs: xs.to_vec(),
        ys: s.iter().map(|s| s.mean).collect(),
        dashed: false,
    }
}

fn panel(tl: &Timeline, lang: Lang, title: &str, y_desc: &str, layers: Vec<Layer>) -> Panel {
    let (x_range, x_ticks) = time_axis(tl, lang);
    Panel {
        title: title.to_string(),
        x_desc: lang.labels().date.to_string(),
        y_desc: y_desc.to_string(),
        x_range,
        x_ticks,
        layers,
    }
}

fn sheet(title: String, panels: Vec<Panel>, cols: usize, size: (u32, u32), lang: Lang) -> Sheet {
    Sheet {
        title,
        panels,
        cols,
        size,
        lang,
    }
}

/// Every chart of a run, named: per service occupancy and waiting, flows per segment
/// and for the whole system, and cost per year when the scenario has tariffs.
pub fn run_sheets(model: &Model, res: &Results, lang: Lang) -> Vec<(String, Sheet)> {
    let mut out = Vec::new();
    for s in 0..model.services.len() {
        let id = super::slug(&model.services[s].id);
        out.push((
            format!("service-{id}-occupancy"),
            occupancy(model, res, s, lang),
        ));
        out.push((
            format!("service-{id}-waiting"),
            waiting(model, res, s, lang),
        ));
    }
    for (g, seg) in model.segments.iter().enumerate() {
        out.push((
            format!("segment-{}-flows", super::slug(seg)),
            flows(
                model,
                res,
                LevelRef::Segment(g),
                &format!("{} {seg}", lang.labels().segment),
                lang,
            ),
        ));
    }
    let l = lang.labels();
    out.push((
        "system-flows".into(),
        flows(model, res, LevelRef::All, l.system, lang),
    ));
    if model.services.iter().any(|s| s.tariff.is_some()) {
        out.push(("cost-per-year".into(), cost_per_year(model, res, lang)));
    }
    out
}

fn service_title(model: &Model, s: usize) -> String {
    let svc = &model.services[s];
    if svc.name.is_empty() || svc.name == svc.id {
        svc.id.clone()
    } else {
        format!("{} ({})", svc.name, svc.id)
    }
}

/// Occupancy (mean and 90% band over replications) against capacity, with planned
/// capacity steps and when they really happened.
pub fn occupancy(model: &Model, res: &Results, s: usize, lang: Lang) -> Sheet {
    let l = lang.labels();
    let tl = &model.timeline;
    let (mid, start, end) = interval_xs(tl);
    let occ = series(res, tl, LevelRef::Service(s), Metric::OccupancyMean);
    let mut layers = vec![
        Layer::new(band(&mid, &occ), colour(0), l.band_90),
        Layer::new(
            line(&mid, &occ),
            colour(0),
            lang.metric_name(Metric::OccupancyMean),
        ),
    ];
    let svc = &model.services[s];
    let limited = svc.capacity.is_some() || svc.staff.is_some();
    if limited {
        let cap = series(res, tl, LevelRef::Service(s), Metric::CapacityMean);
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for (i, c) in cap.iter().enumerate() {
            xs.extend([start[i], end[i]]);
            ys.extend([c.mean, c.mean]);
        }
        layers.push(Layer::new(
            Mark::Line {
                xs,
                ys,
                dashed: false,
            },
            colour(1),
            lang.metric_name(Metric::CapacityMean),
        ));
        let mut buf = Vec::new();
        for (k, step) in svc.steps.iter().enumerate() {
            if step.at < tl.warmup || step.at >= tl.horizon {
                continue;
            }
            layers.push(Layer::new(
                Mark::VLine {
                    x: decimal_year(tl, step.at),
                },
                GREY,
                l.planned_step,
            ));
            let done = summarise(
                res.step_times
                    .iter()
                    .map(|r| r.get(s).and_then(|v| v.get(k)).copied().unwrap_or(f64::NAN)),
                &mut buf,
            );
            if done.n == 0 {
                continue;
            }
            let y = step.value as f64;
            let x = |t: f64| decimal_year(tl, t);
            layers.push(Layer::new(
                Mark::Whiskers {
                    segs: vec![[x(done.p05), y, x(done.p95), y]],
                },
                colour(3),
                "",
            ));
            layers.push(Layer::new(
                Mark::Points {
                    xs: vec![x(done.p50)],
                    ys: vec![y],
                },
                colour(3),
                l.realised_step,
            ));
        }
    }
    let kind = if limited {
        l.occupancy_title
    } else {
        l.occupancy_unlimited
    };
    let title = format!("{kind} — {}", service_title(model, s));
    let p = panel(tl, lang, "", l.youths, layers);
    sheet(title, vec![p], 1, SIZE, lang)
}

/// Waiting list (youths) and mean wait (days) against the norm, in two panels.
pub fn waiting(model: &Model, res: &Results, s: usize, lang: Lang) -> Sheet {
    let l = lang.labels();
    let tl = &model.timeline;
    let (mid, _, _) = interval_xs(tl);
    let wl = series(res, tl, LevelRef::Service(s), Metric::WaitingMean);
    let wd = series(res, tl, LevelRef::Service(s), Metric::WaitDaysMean);
    let top = panel(
        tl,
        lang,
        lang.metric_label(Metric::WaitingMean),
        l.youths,
        vec![
            Layer::new(band(&mid, &wl), colour(0), l.band_90),
            Layer::new(
                line(&mid, &wl),
                colour(0),
                lang.metric_label(Metric::WaitingMean),
            ),
        ],
    );
    let mut layers = vec![
        Layer::new(band(&mid, &wd), colour(2), l.band_90),
        Layer::new(
            line(&mid, &wd),
            colour(2),
            lang.metric_label(Metric::WaitDaysMean),
        ),
    ];
    if let Some(norm) = model.services[s].norm {
        layers.push(Layer::new(Mark::HLine { y: norm }, colour(3), l.norm));
    }
    let bottom = panel(
        tl,
        lang,
        lang.metric_label(Metric::WaitDaysMean),
        l.days,
        layers,
    );
    let title = format!("{} — {}", l.waiting_title, service_title(model, s));
    sheet(title, vec![top, bottom], 1, (1000, 760), lang)
}

/// Arrivals and admissions (lines) and exits stacked by reason (bars), per interval.
pub fn flows(model: &Model, res: &Results, level: LevelRef, name: &str, lang: Lang) -> Sheet {
    let l = lang.labels();
    let tl = &model.timeline;
    let (mid, start, end) = interval_xs(tl);
    let mut layers = Vec::new();
    let mut base = vec![0.0; mid.len()];
    let exits = [
        (Metric::Discharges, 5),
        (Metric::Reneged, 3),
        (Metric::AgedOut, 4),
        (Metric::Overflowed, 6),
    ];
    for (m, c) in exits {
        let label = lang.metric_name(m);
        let s = series(res, tl, level, m);
        let rects: Vec<[f64; 4]> = s
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let v = if s.mean.is_finite() { s.mean } else { 0.0 };
                let gap = (end[i] - start[i]) * 0.12;
                let r = [start[i] + gap, base[i], end[i] - gap, base[i] + v];
                base[i] += v;
                r
            })
            .collect();
        layers.push(Layer::new(Mark::Bars { rects }, colour(c), label));
    }
    for (m, c) in [(Metric::Arrivals, 0), (Metric::Admissions, 2)] {
        let label = lang.metric_name(m);
        let s = series(res, tl, level, m);
        layers.push(Layer::new(line(&mid, &s), colour(c), label));
    }
    let title = format!("{} — {}", l.flows, name);
    let p = panel(tl, lang, "", l.youths_per_period, layers);
    sheet(title, vec![p], 1, SIZE, lang)
}

/// P×Q cost per calendar year, stacked by segment (€ M), with the 90% band of the total.
pub fn cost_per_year(model: &Model, res: &Results, lang: Lang) -> Sheet {
    let l = lang.labels();
    let tl = &model.timeline;
    let years: Vec<i16> = tl.years.iter().map(|y| y.0).collect();
    let mut base = vec![0.0; years.len()];
    let mut layers = Vec::new();
    for (g, seg) in model.segments.iter().enumerate() {
        let rects = (0..years.len())
            .map(|y| {
                let s = res.summary(LevelRef::Segment(g), Metric::Cost, PeriodRef::Year(y));
                let v = if s.mean.is_finite() {
                    s.mean / 1e6
                } else {
                    0.0
                };
                let x = years[y] as f64;
                let r = [x - 0.35, base[y], x + 0.35, base[y] + v];
                base[y] += v;
                r
            })
            .collect();
        layers.push(Layer::new(Mark::Bars { rects }, colour(g), seg));
    }
    let segs = (0..years.len())
        .map(|y| {
            let s = res.summary(LevelRef::All, Metric::Cost, PeriodRef::Year(y));
            let x = years[y] as f64;
            [x, s.p05 / 1e6, x, s.p95 / 1e6]
        })
        .collect();
    layers.push(Layer::new(
        Mark::Whiskers { segs },
        colour(7),
        &format!("{} ({})", l.system, l.band_90),
    ));
    let (x_range, x_ticks) = year_axis(&years, 0.6);
    let p = Panel {
        title: String::new(),
        x_desc: l.year.into(),
        y_desc: l.euro_m.into(),
        x_range,
        x_ticks,
        layers,
    };
    sheet(l.cost_per_year.into(), vec![p], 1, SIZE, lang)
}

/// Budget (at the confidence level, with its interval) against the mean P×Q cost and its
/// 90% band, per segment and for the whole system, € M per year.
pub fn budget_vs_pxq(model: &Model, res: &Results, budgets: &[Budget], lang: Lang) -> Sheet {
    let l = lang.labels();
    let tl = &model.timeline;
    let years: Vec<i16> = tl.years.iter().map(|y| y.0).collect();
    let (x_range, x_ticks) = year_axis(&years, 0.6);
    let levels = std::iter::once(("all", LevelRef::All)).chain(
        model
            .segments
            .iter()
            .enumerate()
            .map(|(g, s)| (s.as_str(), LevelRef::Segment(g))),
    );
    let mut panels = Vec::new();
    for (seg, level) in levels {
        let xs: Vec<f64> = years.iter().map(|y| *y as f64).collect();
        let pxq: Vec<Summary> = (0..years.len())
            .map(|y| {
                let mut s = res.summary(level, Metric::Cost, PeriodRef::Year(y));
                for v in [&mut s.mean, &mut s.p05, &mut s.p95] {
                    *v /= 1e6;
                }
                s
            })
            .collect();
        let mine: Vec<&Budget> = budgets.iter().filter(|b| b.segment == seg).collect();
        let bx: Vec<f64> = mine.iter().map(|b| b.year as f64 + 0.15).collect();
        let layers = vec![
            Layer::new(band(&xs, &pxq), colour(0), &format!("P×Q {}", l.band_90)),
            Layer::new(line(&xs, &pxq), colour(0), l.pxq_mean),
            Layer::new(
                Mark::Whiskers {
                    segs: mine
                        .iter()
                        .zip(&bx)
                        .map(|(b, x)| [*x, b.ci_low.millions(), *x, b.ci_high.millions()])
                        .collect(),
                },
                colour(1),
                "",
            ),
            Layer::new(
                Mark::Points {
                    xs: bx.clone(),
                    ys: mine.iter().map(|b| b.budget.millions()).collect(),
                },
                colour(1),
                &format!("{} ({})", l.budget, l.ci_95),
            ),
        ];
        let title = if seg == "all" { l.system } else { seg };
        panels.push(Panel {
            title: title.to_string(),
            x_desc: l.year.into(),
            y_desc: l.euro_m.into(),
            x_range,
            x_ticks: x_ticks.clone(),
            layers,
        });
    }
    let rows = panels.len().div_ceil(2) as u32;
    sheet(
        l.budget_vs_pxq.into(),
        panels,
        2,
        (1000, 60 + 300 * rows),
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::Interval;
    use jiff::civil::date;

    fn labels(tl: &Timeline) -> Vec<String> {
        time_axis(tl, Lang::En).1.into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn the_time_axis_ticks_suit_the_horizon() {
        let seven = Timeline::new(date(2024, 1, 1), 2557, 0, Interval::Month);
        assert_eq!(
            labels(&seven),
            ["2024", "2025", "2026", "2027", "2028", "2029", "2030"]
        );
        let ((x0, x1), _) = time_axis(&seven, Lang::En);
        assert_eq!(x0, 2024.0);
        assert!((x1 - 2031.0).abs() < 0.01, "{x1}");
        let year = Timeline::new(date(2024, 1, 1), 366, 0, Interval::Month);
        assert_eq!(labels(&year), ["2024", "Apr 2024", "Jul 2024", "Oct 2024"]);
        let month = Timeline::new(date(2024, 1, 1), 31, 0, Interval::Week);
        assert_eq!(
            labels(&month),
            ["1 Jan", "8 Jan", "15 Jan", "22 Jan", "29 Jan"]
        );
        // mid-2027 is about 2027.5
        assert!((decimal_year(&seven, 1277.0) - 2027.5).abs() < 0.01);
    }
}
