//! The report of a sweep or a comparison, built to decide from, in this order: the
//! strategies with their colours (a key table, axis values included, so legends can stay
//! short); the decision at a glance (places cut, saving, waits, out-of-home days, risks,
//! regret); the trade-off chart; the paths over time; risk; the key numbers by subject;
//! links to each strategy's own report. Tables have one row per strategy and a handful of
//! columns, so they fit a 1280-px window and an A4 page for any number of strategies.

use super::{Block, Cell, Page, Section, StrategyTable};
use crate::report::lang::Lang;
use crate::report::paths::Series;
use crate::report::plots::Chart;
use crate::report::plots::compare::legend;
use crate::report::plots::figure::{css, strategy_colour};
use crate::report::strategy::{Strategy, dominated, savings};
use crate::sweep::{Format, Group, KPIS, Kpi};

/// A value and its interval below it (none when the interval is undefined or a point).
fn cell(lang: Lang, unit: Format, (mean, lo, hi): (f64, f64, f64)) -> Cell {
    let text = lang.unit_value(unit, mean);
    let (a, b) = (lang.unit_value(unit, lo), lang.unit_value(unit, hi));
    let sub = if lo.is_finite() && hi.is_finite() && a != b {
        format!("[{a} – {b}]")
    } else {
        String::new()
    };
    Cell {
        text,
        sub,
        link: None,
    }
}

fn kpi_cell(lang: Lang, s: &Strategy, k: Kpi) -> Cell {
    let v = s.kpi(k);
    let (lo, hi) = shown_interval(k.format(), v.ci_low, v.ci_high);
    cell(lang, k.format(), (v.mean, lo, hi))
}

/// An interval of KPI values as shown: a count, days or a share is never negative and a
/// share never above 100%, so the Student-t interval (which, over few replications, can
/// reach past them) is cut at those bounds on the page; the CSV keeps it as computed.
fn shown_interval(format: Format, lo: f64, hi: f64) -> (f64, f64) {
    let floor = |x: f64| if x.is_finite() { x.max(0.0) } else { x };
    match format {
        Format::Euros => (lo, hi),
        Format::Count | Format::Decimal | Format::Days | Format::EurosEach => (floor(lo), hi),
        Format::Share => (floor(lo), if hi.is_finite() { hi.min(1.0) } else { hi }),
    }
}

/// The first cell of a row: the strategy's number and name, linked to its report.
fn name_cell(i: usize, s: &Strategy, links: &[(String, String)]) -> Cell {
    Cell {
        text: legend(i, s),
        sub: String::new(),
        link: links.iter().find(|l| l.0 == s.name).map(|l| l.1.clone()),
    }
}

/// A table of strategies: the name column, then `header` and each row's cells.
fn table(
    caption: String,
    first: &str,
    header: Vec<String>,
    strategies: &[Strategy],
    links: &[(String, String)],
    cells: impl Fn(&Strategy) -> Vec<Cell>,
) -> StrategyTable {
    let mut h = vec![first.to_string()];
    h.extend(header);
    StrategyTable {
        caption,
        header: h,
        rows: strategies
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut row = vec![name_cell(i, s, links)];
                row.extend(cells(s));
                (css(strategy_colour(i)), row)
            })
            .collect(),
    }
}

/// The last two parts of an axis path (`residentieel.capacity`).
fn short_axis(a: &str) -> String {
    let mut last: Vec<&str> = a.rsplit('.').take(2).collect();
    last.reverse();
    last.join(".")
}

/// A value on an axis (TOML source text) as a reader writes it: numbers in the report's
/// language, text without quotes.
fn axis_value(v: &str, lang: Lang) -> String {
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => {
            let d = (0..=4)
                .find(|d| ((x * 10f64.powi(*d)).round() - x * 10f64.powi(*d)).abs() < 1e-9)
                .unwrap_or(4) as usize;
            lang.number(x, d)
        }
        _ => v.trim_matches('"').to_string(),
    }
}

/// The mean residential places over the horizon (the mean of the path's intervals).
fn places_mean(s: &Strategy) -> f64 {
    let p = s.paths.get(&Series::ResidentialCapacity);
    p.map_or(f64::NAN, |p| {
        p.iter().map(|x| x.mean).sum::<f64>() / p.len().max(1) as f64
    })
}

/// The residential places at the end of the horizon: the last point of the path.
fn places_end(s: &Strategy) -> (f64, f64, f64) {
    s.paths
        .get(&Series::ResidentialCapacity)
        .and_then(|p| p.last())
        .map_or((f64::NAN, f64::NAN, f64::NAN), |p| {
            (p.mean, p.ci_low, p.ci_high)
        })
}

/// The decision at a glance, and which strategies are dominated on saving against waits.
fn glance(strategies: &[Strategy], links: &[(String, String)], lang: Lang) -> Vec<Block> {
    let w = lang.compare();
    let l = lang.labels();
    let saving = savings(strategies);
    let mut header = vec![
        w.places_mean.to_string(),
        w.places_end.to_string(),
        w.saving_cum.to_string(),
    ];
    let kpis = [
        Kpi::OverNormShare,
        Kpi::OutOfHomeDays,
        Kpi::RiskWait,
        Kpi::RiskBudget,
        Kpi::Regret,
    ];
    header.extend(kpis.iter().map(|k| lang.kpi_label(*k).to_string()));
    let index = |s: &Strategy| {
        strategies
            .iter()
            .position(|x| x.name == s.name)
            .unwrap_or(0)
    };
    let t = table(
        w.glance_caption.into(),
        l.strategy,
        header,
        strategies,
        links,
        |s| {
            let i = index(s);
            let mean = places_mean(s);
            let mut row = vec![
                cell(lang, Format::Count, (mean, f64::NAN, f64::NAN)),
                cell(lang, Format::Count, places_end(s)),
            ];
            let mut sv = cell(lang, Format::Euros, saving[i]);
            if i == 0 {
                sv.sub = w.baseline.into();
            }
            row.push(sv);
            row.extend(kpis.iter().map(|k| kpi_cell(lang, s, *k)));
            row
        },
    );
    let points: Vec<(f64, f64)> = strategies
        .iter()
        .zip(&saving)
        .map(|(s, sv)| (sv.0, s.kpi(Kpi::OverNormShare).mean))
        .collect();
    let dom = dominated(&points);
    let names = |d: bool| {
        strategies
            .iter()
            .enumerate()
            .filter(|(i, _)| dom[*i] == d)
            .map(|(i, s)| legend(i, s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut reading = format!("{}: {}.", w.not_dominated_are, names(false));
    if dom.iter().any(|d| *d) {
        reading.push_str(&format!(
            " {}: {}.",
            capitalise(w.dominated_are),
            names(true)
        ));
    } else {
        reading.push_str(&format!(" {}.", capitalise(w.dominated_none)));
    }
    vec![Block::Strategies(t), Block::Paragraph(reading)]
}

/// Per strategy, the services behind the region's figures: those over their norm for more
/// than the run's `flag_over_norm_share` (⚑; else the highest share), and the longest mean
/// waits — the same ranking as the run's own key numbers and `compare`'s terminal.
fn services_over_norm(strategies: &[Strategy], links: &[(String, String)], lang: Lang) -> Section {
    let (heading, over, longest, none, explain) = match lang {
        Lang::Nl => (
            "Diensten boven de norm",
            "diensten boven de norm (% opnames te laat)",
            "langste gemiddelde wachttijd (dagen)",
            "geen boven",
            "Een regiocijfer kan een dienst in de knel verbergen. ⚑: meer van de opnames te laat dan de grens die het scenario stelt (standaard 20%); het getal is het aandeel opnames dat langer wachtte dan de norm van de dienst.",
        ),
        Lang::En => (
            "Services over their norm",
            "services over the norm (% of admissions late)",
            "longest mean wait (days)",
            "none above",
            "A region-wide figure can hide a service in trouble. ⚑: more of its admissions late than the limit its scenario sets (20% unless set); the number is the share of admissions that waited longer than the service's norm.",
        ),
    };
    let t = table(
        heading.into(),
        lang.labels().strategy,
        vec![over.into(), longest.into()],
        strategies,
        links,
        |s| {
            let b = &s.breaches;
            let over = if b.flagged.is_empty() {
                let highest = b
                    .over_norm
                    .first()
                    .map(|x| format!("; {} {}", x.service, lang.percent(x.over_norm_share.mean)))
                    .unwrap_or_default();
                format!("{none} {}{highest}", lang.percent(b.flag))
            } else {
                b.flagged
                    .iter()
                    .map(|x| format!("⚑ {} {}", x.service, lang.percent(x.over_norm_share.mean)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let wait = b
                .wait
                .iter()
                .map(|x| format!("{} {}", x.service, lang.number(x.wait_days_mean.mean, 1)))
                .collect::<Vec<_>>()
                .join(", ");
            vec![Cell::text(over), Cell::text(wait)]
        },
    );
    Section {
        heading: heading.into(),
        blocks: vec![Block::Paragraph(explain.into()), Block::Strategies(t)],
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The KPI tables, one per group (risk has its own section).
fn kpi_tables(strategies: &[Strategy], links: &[(String, String)], lang: Lang) -> Vec<Block> {
    let w = lang.compare();
    Group::ALL
        .iter()
        .filter(|g| **g != Group::Risk)
        .map(|g| {
            let ks: Vec<Kpi> = KPIS.iter().copied().filter(|k| k.group() == *g).collect();
            Block::Strategies(table(
                format!("{} — {}", lang.group_label(*g), w.kpi_caption),
                lang.labels().strategy,
                ks.iter().map(|k| lang.kpi_label(*k).to_string()).collect(),
                strategies,
                links,
                |s| ks.iter().map(|k| kpi_cell(lang, s, *k)).collect(),
            ))
        })
        .collect()
}

/// The comparison page. `name` is the sweep's (or `compare`'s) title, `axes` the sweep's
/// parameter paths (each strategy's values on them are in the key table), `links` (run
/// name, relative address) lead to each strategy's report. `chart_files` says whether
/// the charts are also written to `plots/`.
#[allow(clippy::too_many_arguments)]
pub fn page(
    name: &str,
    meta: Vec<String>,
    axes: &[String],
    strategies: &[Strategy],
    charts: &[Chart],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Page {
    let l = lang.labels();
    let w = lang.compare();
    let charts_named = |f: &dyn Fn(&str) -> bool| -> Vec<Chart> {
        charts.iter().filter(|c| f(&c.name)).cloned().collect()
    };
    let mut key_header: Vec<String> = axes.iter().map(|a| short_axis(a)).collect();
    if key_header.is_empty() {
        key_header.push(w.colour_note.into());
    }
    let key = table(
        w.key_caption.into(),
        l.strategy,
        key_header,
        strategies,
        &links,
        |s| {
            if s.values.is_empty() {
                vec![Cell::text("")]
            } else {
                s.values
                    .iter()
                    .map(|v| Cell::text(axis_value(v, lang)))
                    .collect()
            }
        },
    );
    let mut sections = vec![
        Section {
            heading: w.key_title.into(),
            blocks: vec![Block::Strategies(key)],
        },
        Section {
            heading: w.glance_title.into(),
            blocks: glance(strategies, &links, lang),
        },
        services_over_norm(strategies, &links, lang),
    ];
    let tradeoff = charts_named(&|n| n == "strategies-tradeoff");
    if !tradeoff.is_empty() {
        sections.push(Section {
            heading: w.tradeoff_title.into(),
            blocks: vec![
                Block::Paragraph(w.tradeoff_note.into()),
                Block::Charts(tradeoff),
            ],
        });
    }
    let paths = charts_named(&|n| {
        [
            "strategies-places",
            "strategies-waiting",
            "strategies-ooh-cost",
        ]
        .contains(&n)
    });
    sections.push(Section {
        heading: w.paths_title.into(),
        blocks: if paths.is_empty() {
            vec![Block::Paragraph(w.no_paths.into())]
        } else {
            vec![Block::Paragraph(w.paths_note.into()), Block::Charts(paths)]
        },
    });
    let risk: Vec<Kpi> = KPIS
        .iter()
        .copied()
        .filter(|k| k.group() == Group::Risk)
        .collect();
    sections.push(Section {
        heading: w.risk_title.into(),
        blocks: vec![
            Block::Paragraph(w.risk_explain.into()),
            Block::Strategies(table(
                format!("{} — {}", lang.group_label(Group::Risk), w.kpi_caption),
                l.strategy,
                risk.iter()
                    .map(|k| lang.kpi_label(*k).to_string())
                    .collect(),
                strategies,
                &links,
                |s| risk.iter().map(|k| kpi_cell(lang, s, *k)).collect(),
            )),
        ],
    });
    let mut blocks = kpi_tables(strategies, &links, lang);
    blocks.push(Block::Charts(charts_named(&|n| n == "strategies-kpis")));
    sections.push(Section {
        heading: w.kpi_tables_title.into(),
        blocks,
    });
    if !links.is_empty() {
        sections.push(Section {
            heading: w.reports.into(),
            blocks: vec![Block::Links(links)],
        });
    }
    Page {
        lang,
        kind: l.sweep_report.into(),
        title: name.to_string(),
        description: String::new(),
        meta,
        key_numbers: Vec::new(),
        chart_files,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_shown_stay_within_what_the_kpi_can_be() {
        assert_eq!(shown_interval(Format::Share, -0.05, 1.14), (0.0, 1.0));
        assert_eq!(shown_interval(Format::Days, -35.4, 194.0), (0.0, 194.0));
        assert_eq!(shown_interval(Format::Euros, -5.0, 3.0), (-5.0, 3.0));
        let (lo, hi) = shown_interval(Format::Count, f64::NAN, f64::NAN);
        assert!(lo.is_nan() && hi.is_nan(), "undefined stays undefined");
    }

    #[test]
    fn axis_values_read_as_numbers_in_the_language() {
        assert_eq!(axis_value("215000000.0", Lang::Nl), "215.000.000");
        assert_eq!(axis_value("0.02", Lang::Nl), "0,02");
        assert_eq!(axis_value("\"x\"", Lang::En), "x");
        assert_eq!(
            short_axis("service.residentieel.capacity"),
            "residentieel.capacity"
        );
    }
}
