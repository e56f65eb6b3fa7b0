//! The report of a sweep or a comparison, built to decide from, in this order: the
//! strategies with their colours (a key table, axis values included, so legends can stay
//! short); the scope of each road (flagged where it differs); the decision at a glance
//! (places, saving, waits, out-of-home days, risks, regret); the trade-off chart; the
//! paths over time; risk; the key numbers by subject; links to each strategy's own report.
//! A sweep with futures shows the roads across the futures first (a heat map of regret,
//! the maximum regret and the futures within the limits), then each future's glance,
//! trade-off and paths. Tables have one row per strategy and a handful of columns, so they
//! fit a 1280-px window and an A4 page for any number of strategies. Every difference is
//! against each strategy's own baseline, whatever the order of the rows.

mod scope;

use super::{Block, Cell, HeatCell, HeatTable, Page, Section, StrategyTable};
use crate::report::lang::Lang;
use crate::report::paths::Series;
use crate::report::plots::Chart;
use crate::report::plots::compare::legend;
use crate::report::plots::figure::{css, strategy_colour};
use crate::report::robustness::{Robustness, robustness};
use crate::report::strategy::{Strategy, dominated};
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
fn name_cell(s: &Strategy, links: &[(String, String)]) -> Cell {
    Cell {
        text: legend(s),
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
            .map(|s| {
                let mut row = vec![name_cell(s, links)];
                row.extend(cells(s));
                (css(strategy_colour(s.number)), row)
            })
            .collect(),
    }
}

/// An axis as its column is headed: the report's words for the limits of `[report]`,
/// else the last two parts of its path (`residentieel.capacity`).
fn short_axis(a: &str, lang: Lang) -> String {
    let w = lang.compare();
    match a {
        "report.risk_over_norm_share" => return w.axis_risk_limit.to_string(),
        "report.budget" => return w.axis_budget.to_string(),
        _ => {}
    }
    let mut last: Vec<&str> = a.rsplit('.').take(2).collect();
    last.reverse();
    last.join(".")
}

/// A value on axis `a` (TOML source text) as a reader writes it: the limits of `[report]`
/// in their unit (a share in %, a budget in € mln), other numbers in the report's language,
/// text without quotes.
fn axis_value(a: &str, v: &str, lang: Lang) -> String {
    match (a, v.parse::<f64>()) {
        ("report.risk_over_norm_share", Ok(x)) if x.is_finite() => return lang.percent(x),
        ("report.budget", Ok(x)) if x.is_finite() => return lang.number(x / 1e6, 1),
        ("report.budget", Err(_)) => {
            if let Some(path) = schedule(v) {
                let at = |(d, x): &(String, f64)| {
                    format!("{} ({})", lang.number(x / 1e6, 1), d.get(..4).unwrap_or(d))
                };
                return match (path.first(), path.last()) {
                    (Some(f), Some(l)) if path.len() > 1 => format!("{} → {}", at(f), at(l)),
                    (Some(f), _) => at(f),
                    _ => v.to_string(),
                };
            }
        }
        _ => {}
    }
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

/// The points `(date, value)` of a schedule written as TOML source text
/// (`[{ at = 2024-01-01, value = 3 }, …]`), or `None` when it is not one.
fn schedule(v: &str) -> Option<Vec<(String, f64)>> {
    let t: toml::Table = format!("x = {v}").parse().ok()?;
    t.get("x")?
        .as_array()?
        .iter()
        .map(|p| {
            let p = p.as_table()?;
            let value = p
                .get("value")
                .and_then(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))?;
            Some((p.get("at")?.to_string(), value))
        })
        .collect()
}

/// Places of `series` at the end of the horizon (the last point of the path) with, below
/// them, the places at the start: the bed reduction as a path.
fn places_cell(s: &Strategy, series: Series, lang: Lang) -> Cell {
    let path = s.paths.get(&series);
    let at = |p: Option<&crate::report::paths::PathPoint>| p.map_or(f64::NAN, |p| p.mean);
    let (first, last) = (
        at(path.and_then(|p| p.first())),
        at(path.and_then(|p| p.last())),
    );
    Cell {
        text: lang.unit_value(Format::Count, last),
        sub: if first.is_finite() {
            format!(
                "{} {}",
                lang.compare().from,
                lang.unit_value(Format::Count, first)
            )
        } else {
            String::new()
        },
        link: None,
    }
}

/// The decision at a glance — places and money, then waiting, out-of-home care and risk —
/// and which strategies are dominated on saving against waits.
fn glance(strategies: &[Strategy], links: &[(String, String)], lang: Lang) -> Vec<Block> {
    let w = lang.compare();
    let l = lang.labels();
    let mut header = vec![
        w.institutional_end.to_string(),
        w.family_end.to_string(),
        w.saving_cum.to_string(),
    ];
    let money = [Kpi::SavingHarmWeighted, Kpi::Regret];
    header.extend(money.iter().map(|k| lang.kpi_label(*k).to_string()));
    let places = table(
        w.glance_money_caption.into(),
        l.strategy,
        header,
        strategies,
        links,
        |s| {
            let mut sv = cell(lang, Format::Euros, s.saving());
            if s.is_baseline {
                sv.sub = w.baseline.into();
            }
            let mut row = vec![
                places_cell(s, Series::ResidentialCapacity, lang),
                places_cell(s, Series::FamilyCapacity, lang),
                sv,
            ];
            row.extend(money.iter().map(|k| kpi_cell(lang, s, *k)));
            row
        },
    );
    let waits = [
        Kpi::TimeToCareDaysMean,
        Kpi::OverNormShare,
        Kpi::OutOfHomeDays,
        Kpi::RiskWorseWait,
        Kpi::RiskWait,
        Kpi::RiskBudget,
    ];
    let waiting = table(
        w.glance_wait_caption.into(),
        l.strategy,
        waits
            .iter()
            .map(|k| lang.kpi_label(*k).to_string())
            .collect(),
        strategies,
        links,
        |s| waits.iter().map(|k| kpi_cell(lang, s, *k)).collect(),
    );
    let points: Vec<(f64, f64)> = strategies
        .iter()
        .map(|s| (s.saving().0, s.kpi(Kpi::OverNormShare).mean))
        .collect();
    let dom = dominated(&points);
    let names = |d: bool| {
        strategies
            .iter()
            .enumerate()
            .filter(|(i, _)| dom[*i] == d)
            .map(|(_, s)| legend(s))
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
    vec![
        Block::Strategies(places),
        Block::Strategies(waiting),
        Block::Paragraph(reading),
    ]
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

/// The key table: each strategy (road) with its colour and number and, for a sweep with
/// axes, its values on them.
fn key_table(
    axes: &[String],
    strategies: &[Strategy],
    links: &[(String, String)],
    lang: Lang,
) -> Block {
    let w = lang.compare();
    let header: Vec<String> = axes.iter().map(|a| short_axis(a, lang)).collect();
    Block::Strategies(table(
        w.key_caption.into(),
        lang.labels().strategy,
        header,
        strategies,
        links,
        |s| {
            axes.iter()
                .zip(&s.values)
                .map(|(a, v)| Cell::text(axis_value(a, v, lang)))
                .collect()
        },
    ))
}

/// The risk section: what the risks mean (and where their limits come from) and their
/// table.
fn risk_section(strategies: &[Strategy], links: &[(String, String)], lang: Lang) -> Section {
    let w = lang.compare();
    let risk: Vec<Kpi> = KPIS
        .iter()
        .copied()
        .filter(|k| k.group() == Group::Risk)
        .collect();
    Section {
        heading: w.risk_title.into(),
        blocks: vec![
            Block::Paragraph(w.risk_explain.into()),
            Block::Strategies(table(
                format!("{} — {}", lang.group_label(Group::Risk), w.kpi_caption),
                lang.labels().strategy,
                risk.iter()
                    .map(|k| lang.kpi_label(*k).to_string())
                    .collect(),
                strategies,
                links,
                |s| risk.iter().map(|k| kpi_cell(lang, s, *k)).collect(),
            )),
        ],
    }
}

/// The note under the paths: what the lines and places are, and — when a road holds
/// referrals back in a transition — why its waits dip then.
fn paths_blocks(strategies: &[Strategy], charts: Vec<Chart>, lang: Lang) -> Vec<Block> {
    let w = lang.compare();
    if charts.is_empty() {
        return vec![Block::Paragraph(w.no_paths.into())];
    }
    let mut blocks = vec![Block::Paragraph(w.paths_note.into())];
    if strategies.iter().any(|s| {
        s.manifest
            .scope
            .transitions
            .iter()
            .any(|t| t.referral_delay > 0.0)
    }) {
        blocks.push(Block::Paragraph(w.dip_note.into()));
    }
    blocks.push(Block::Charts(charts));
    blocks
}

/// The futures the strategies ran in, in order of first appearance.
fn futures_of(strategies: &[Strategy]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in strategies.iter().filter_map(|s| s.future.as_ref()) {
        if !out.contains(f) {
            out.push(f.clone());
        }
    }
    out
}

/// The heat map of roads × futures: per cell the road's regret in that future (shaded
/// by its share of the largest regret), its saving net of harm and whether it stays
/// within the limits; then per road its maximum regret and the share of futures within
/// the limits.
fn heat_map(r: &Robustness, strategies: &[Strategy], lang: Lang) -> HeatTable {
    let w = lang.compare();
    let euros = |x: f64| lang.unit_value(Format::Euros, x);
    let top = r
        .max_regret
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let mut header = vec![lang.labels().strategy.to_string()];
    header.extend(r.futures.iter().cloned());
    header.push(lang.words(&crate::measure::MAX_REGRET).label.to_string());
    header.push(
        lang.words(&crate::measure::SHARE_FUTURES_MEETING_LIMITS)
            .label
            .to_string(),
    );
    let rows = r
        .roads
        .iter()
        .enumerate()
        .map(|(road, name)| {
            let first = HeatCell {
                text: format!("{}. {name}", road + 1),
                sub: String::new(),
                shade: None,
            };
            let mut cells = vec![first];
            for cell in &r.cells[road] {
                cells.push(match cell {
                    Some(c) => HeatCell {
                        text: euros(c.regret.mean),
                        sub: format!(
                            "{} {} · {}",
                            lang.words(Kpi::SavingHarmWeighted.measure()).name,
                            euros(c.decision.mean),
                            match c.meets {
                                Some(true) => w.within_limits,
                                Some(false) => w.outside_limits,
                                None => "",
                            }
                        ),
                        shade: (top > 0.0 && c.regret.mean.is_finite())
                            .then(|| (c.regret.mean / top).clamp(0.0, 1.0)),
                    },
                    None => HeatCell::default(),
                });
            }
            cells.push(HeatCell {
                text: euros(r.max_regret[road]),
                sub: String::new(),
                shade: None,
            });
            cells.push(HeatCell {
                text: lang.unit_value(Format::Share, r.share_meeting[road]),
                sub: String::new(),
                shade: None,
            });
            let number = strategies
                .iter()
                .find(|s| s.road == *name)
                .map_or(road, |s| s.number);
            (css(strategy_colour(number)), cells)
        })
        .collect();
    HeatTable {
        caption: w.heat_caption.into(),
        header,
        rows,
    }
}

/// The page of a sweep with futures: the roads and the futures, the roads across the
/// futures (heat map), the roads' scope, then per future its glance, trade-off and paths.
fn futures_page(
    axes: &[String],
    strategies: &[Strategy],
    charts: &[Chart],
    links: &[(String, String)],
    lang: Lang,
) -> Vec<Section> {
    let w = lang.compare();
    let futures = futures_of(strategies);
    let first: Vec<Strategy> = strategies
        .iter()
        .filter(|s| s.future.as_ref() == futures.first())
        .cloned()
        .collect();
    let mut sections = vec![Section {
        heading: w.key_title.into(),
        blocks: vec![
            key_table(axes, &first, &[], lang),
            Block::Paragraph(format!("{}: {}.", w.futures_caption, futures.join(", "))),
        ],
    }];
    if let Some(r) = robustness(strategies) {
        sections.push(Section {
            heading: w.robust_title.into(),
            blocks: vec![
                Block::Paragraph(w.robust_explain.into()),
                Block::Heat(heat_map(&r, strategies, lang)),
            ],
        });
    }
    sections.extend(scope::section(&first, lang));
    for f in &futures {
        let of: Vec<Strategy> = strategies
            .iter()
            .filter(|s| s.future.as_ref() == Some(f))
            .cloned()
            .collect();
        let named = |prefix: &str| -> Vec<Chart> {
            charts
                .iter()
                .filter(|c| c.name == format!("{prefix}-{f}"))
                .cloned()
                .collect()
        };
        let mut blocks = glance(&of, links, lang);
        let tradeoff = named("strategies-tradeoff");
        if !tradeoff.is_empty() {
            blocks.push(Block::Paragraph(w.tradeoff_note.into()));
            blocks.push(Block::Charts(tradeoff));
        }
        let mut paths = named("strategies-places");
        paths.extend(named("strategies-waiting"));
        blocks.extend(paths_blocks(&of, paths, lang));
        sections.push(Section {
            heading: format!("{}: {f}", w.future_heading),
            blocks,
        });
    }
    sections.push(risk_section(strategies, links, lang));
    sections
}

/// The page of a comparison without futures (a sweep, or `compare`).
fn plain_page(
    axes: &[String],
    strategies: &[Strategy],
    charts: &[Chart],
    links: &[(String, String)],
    lang: Lang,
) -> Vec<Section> {
    let w = lang.compare();
    let charts_named = |f: &dyn Fn(&str) -> bool| -> Vec<Chart> {
        charts.iter().filter(|c| f(&c.name)).cloned().collect()
    };
    let mut sections = vec![Section {
        heading: w.key_title.into(),
        blocks: vec![key_table(axes, strategies, links, lang)],
    }];
    sections.extend(scope::section(strategies, lang));
    sections.push(Section {
        heading: w.glance_title.into(),
        blocks: glance(strategies, links, lang),
    });
    sections.push(services_over_norm(strategies, links, lang));
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
        blocks: paths_blocks(strategies, paths, lang),
    });
    sections.push(risk_section(strategies, links, lang));
    let mut blocks = kpi_tables(strategies, links, lang);
    blocks.push(Block::Charts(charts_named(&|n| n == "strategies-kpis")));
    sections.push(Section {
        heading: w.kpi_tables_title.into(),
        blocks,
    });
    sections
}

/// The comparison page. `name` is the sweep's (or `compare`'s) title, `axes` the sweep's
/// parameter paths (each strategy's values on them are in the key table), `links` (run
/// name, relative address) lead to each strategy's report. `chart_files` says whether
/// the charts are also written to `plots/`. Strategies are shown in the order given;
/// every difference is against each one's own baseline.
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
    let mut sections = if strategies.iter().any(|s| s.future.is_some()) {
        futures_page(axes, strategies, charts, &links, lang)
    } else {
        plain_page(axes, strategies, charts, &links, lang)
    };
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
        assert_eq!(axis_value("x.y", "215000000.0", Lang::Nl), "215.000.000");
        assert_eq!(axis_value("x.y", "0.02", Lang::Nl), "0,02");
        assert_eq!(axis_value("x.y", "\"x\"", Lang::En), "x");
        assert_eq!(
            short_axis("service.residentieel.capacity", Lang::En),
            "residentieel.capacity"
        );
        // the limits of [report] in words and in their unit, never as a raw path
        assert_eq!(
            short_axis("report.budget", Lang::Nl),
            "budget (€ mln per jaar, prijzen 2024)"
        );
        assert_eq!(axis_value("report.budget", "210e6", Lang::Nl), "210,0");
        assert!(!short_axis("report.risk_over_norm_share", Lang::En).contains('_'));
        assert_eq!(
            axis_value("report.risk_over_norm_share", "0.85", Lang::En),
            "85.0%"
        );
        let path = "[{ at = 2024-01-01, value = 216.2e6 }, { at = 2028-01-01, value = 189.2e6 }]";
        assert_eq!(
            axis_value("report.budget", path, Lang::Nl),
            "216,2 (2024) → 189,2 (2028)"
        );
    }
}
