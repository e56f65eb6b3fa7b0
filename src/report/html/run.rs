//! The report of one run: key numbers up front, then the charts, then summary tables per
//! segment and per service.

use super::{Block, KeyNumber, Page, Section, Table};
use crate::experiment::Results;
use crate::model::Model;
use crate::report::headline::headlines;
use crate::report::lang::{Lang, capitalised};
use crate::report::plots::Chart;
use crate::stats::summary::{Summary, summarise};
use crate::stats::{LevelRef, Metric};
use crate::sweep::breach::{breaches, service_waits};
use crate::timeline::PeriodRef;

/// Reads summaries of the results.
struct View<'a> {
    model: &'a Model,
    res: &'a Results,
}

impl<'a> View<'a> {
    fn new(model: &'a Model, res: &'a Results) -> Self {
        View { model, res }
    }
    /// The first and last calendar year, and the index of the last.
    fn first_and_last_year(&self) -> (i16, i16, usize) {
        let years = &self.model.timeline.years;
        (
            years.first().map_or(0, |y| y.0),
            years.last().map_or(0, |y| y.0),
            years.len().saturating_sub(1),
        )
    }
    fn get(&self, level: LevelRef, m: Metric, p: PeriodRef) -> Summary {
        self.res.summary(level, m, p)
    }
}

/// The key numbers: peak mean wait, youths admitted after more than the norm, out-of-home
/// days, and the cost of the first year against the last.
pub fn key_numbers(model: &Model, res: &Results, lang: Lang) -> Vec<KeyNumber> {
    let l = lang.labels();
    let v = View::new(model, res);
    let tl = &model.timeline;
    let all = LevelRef::All;
    let mut out = Vec::new();

    let peak = (0..tl.intervals.len())
        .map(|p| {
            (
                p,
                v.get(all, Metric::WaitDaysMean, PeriodRef::Interval(p))
                    .mean,
            )
        })
        .filter(|(_, w)| w.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1));
    out.push(KeyNumber {
        label: l.peak_wait.into(),
        value: peak.map_or("–".into(), |(_, w)| {
            format!("{} {}", lang.number(w, 0), l.days)
        }),
        note: peak.map_or(String::new(), |(p, _)| {
            lang.month_year(tl.intervals[p].first_day)
        }),
    });

    // the region's figures are its rows of summary.csv, as in the tables and the terminal
    let heads = headlines(model, res);
    let Some(region) = heads.last() else {
        return out;
    };
    out.push(KeyNumber {
        label: format!(
            "{} ({})",
            capitalised(lang.metric_name(Metric::OverNormShare)),
            l.region
        ),
        value: lang.percent(region.over_norm_share.mean),
        note: l.of_admissions.into(),
    });
    out.push(services_over_norm(model, res, lang));

    let ooh = region.out_of_home_days;
    out.push(KeyNumber {
        label: capitalised(lang.metric_name(Metric::OutOfHomeDays)),
        value: lang.number(ooh.mean, 0),
        note: format!(
            "{} {} – {}",
            l.ci_95,
            lang.number(ooh.ci_low, 0),
            lang.number(ooh.ci_high, 0)
        ),
    });

    let has_cost = model.services.iter().any(|s| s.tariff.is_some());
    let (first, last) = (tl.years.first(), tl.years.last());
    let cost = match (has_cost, first, last) {
        (true, Some(f), Some(z)) => {
            let a = region.cost_first_year.mean;
            let b = region.cost_last_year.mean;
            let change = if a > 0.0 { b / a - 1.0 } else { f64::NAN };
            KeyNumber {
                label: format!("{} {}", capitalised(lang.metric_name(Metric::Cost)), z.0),
                value: lang.euro_m(b),
                note: if tl.years.len() < 2 {
                    String::new()
                } else if change.is_finite() {
                    format!(
                        "{}: {} ({}{})",
                        f.0,
                        lang.euro_m(a),
                        if change >= 0.0 { "+" } else { "" },
                        lang.percent(change)
                    )
                } else {
                    format!("{}: {}", f.0, lang.euro_m(a))
                },
            }
        }
        _ => KeyNumber {
            label: capitalised(lang.metric_name(Metric::Cost)),
            value: "–".into(),
            note: l.no_costs.into(),
        },
    };
    out.push(cost);
    out
}

/// The services behind the region's figure: how many are over their norm for more than
/// `[report] flag_over_norm_share` of their admissions, naming the worst on over-norm
/// share and the one with the longest mean wait.
fn services_over_norm(model: &Model, res: &Results, lang: Lang) -> KeyNumber {
    let l = lang.labels();
    let b = breaches(&service_waits(model, res), model.flag_over_norm_share);
    let rule = l.flag_rule.replace("{}", &lang.percent(b.flag));
    let mut note = if b.flagged.is_empty() {
        rule
    } else {
        let names: Vec<String> = b
            .flagged
            .iter()
            .map(|s| format!("{} {}", s.service, lang.percent(s.over_norm_share.mean)))
            .collect();
        format!("{rule}: {}", names.join(", "))
    };
    if b.flagged.is_empty()
        && let Some(top) = b.over_norm.first()
    {
        note.push_str(&format!(
            "; {}: {} {}",
            l.highest,
            top.service,
            lang.percent(top.over_norm_share.mean)
        ));
    }
    if let Some(w) = b.wait.first() {
        note.push_str(&format!(
            "; {}: {} {} {}",
            l.longest_wait,
            w.service,
            lang.number(w.wait_days_mean.mean, 0),
            l.days
        ));
    }
    KeyNumber {
        label: l.services_over_norm.into(),
        value: if b.flagged.is_empty() {
            l.none_flagged.into()
        } else {
            b.flagged.len().to_string()
        },
        note,
    }
}

/// Per segment and for the whole system: the headline numbers of the horizon.
fn segment_table(model: &Model, res: &Results, lang: Lang) -> Table {
    let l = lang.labels();
    let (y0, yn, _) = View::new(model, res).first_and_last_year();
    let header = vec![
        l.segment.to_string(),
        format!("{} {y0}", lang.metric_name(Metric::Clients)),
        lang.metric_label(Metric::WaitDaysMean).to_string(),
        l.time_to_care.to_string(),
        lang.metric_label(Metric::OverNormShare).to_string(),
        lang.metric_label(Metric::WaitingEnd).to_string(),
        lang.metric_label(Metric::OutOfHomeDays).to_string(),
        format!("{} {y0}", lang.metric_name(Metric::Cost)),
        format!("{} {yn}", lang.metric_name(Metric::Cost)),
    ];
    let rows = headlines(model, res)
        .into_iter()
        .map(|h| {
            let name = if h.level == LevelRef::All {
                l.system.to_string()
            } else {
                h.name
            };
            vec![
                name,
                lang.number(h.clients_first_year.mean, 0),
                lang.number(h.wait_days_mean.mean, 1),
                format!(
                    "{} / {}",
                    lang.number(h.time_to_care_days_mean.mean, 1),
                    lang.number(h.time_to_care_days_p90.mean, 0)
                ),
                lang.percent(h.over_norm_share.mean),
                lang.number(h.waiting_end.mean, 0),
                lang.number(h.out_of_home_days.mean, 0),
                lang.euro_m(h.cost_first_year.mean),
                lang.euro_m(h.cost_last_year.mean),
            ]
        })
        .collect();
    Table {
        caption: format!("{} ({})", l.segment, l.summary_note),
        header,
        rows,
    }
}

/// Per service: capacity in the first and last year, occupancy, waiting and the norm.
fn service_table(model: &Model, res: &Results, lang: Lang) -> Table {
    let l = lang.labels();
    let v = View::new(model, res);
    let total = PeriodRef::Total;
    let (y0, yn, last) = v.first_and_last_year();
    let header = vec![
        l.service.to_string(),
        l.segment.to_string(),
        format!("{} {y0}", lang.metric_name(Metric::CapacityMean)),
        format!("{} {yn}", lang.metric_name(Metric::CapacityMean)),
        lang.metric_name(Metric::OccupancyMean).to_string(),
        lang.metric_label(Metric::WaitingMean).to_string(),
        lang.metric_label(Metric::WaitDaysMean).to_string(),
        format!("{} ({})", l.norm, l.days),
        lang.metric_label(Metric::OverNormShare).to_string(),
    ];
    let rows = model
        .services
        .iter()
        .enumerate()
        .map(|(s, svc)| {
            let s = LevelRef::Service(s);
            let cap = |y: usize| {
                let c = v.get(s, Metric::CapacityMean, PeriodRef::Year(y)).mean;
                if c.is_finite() {
                    lang.number(c, 0)
                } else {
                    l.unlimited.to_string()
                }
            };
            vec![
                svc.id.clone(),
                model.segments[svc.segment.0 as usize].clone(),
                cap(0),
                cap(last),
                lang.number(v.get(s, Metric::OccupancyMean, total).mean, 0),
                lang.number(v.get(s, Metric::WaitingMean, total).mean, 1),
                lang.number(v.get(s, Metric::WaitDaysMean, total).mean, 1),
                svc.norm.map_or("–".into(), |n| lang.number(n, 0)),
                {
                    let share = v.get(s, Metric::OverNormShare, total).mean;
                    let flag = if share > model.flag_over_norm_share {
                        " ⚑"
                    } else {
                        ""
                    };
                    format!("{}{flag}", lang.percent(share))
                },
            ]
        })
        .collect();
    Table {
        caption: format!("{} ({})", l.service, l.summary_note),
        header,
        rows,
    }
}

/// Per segment paid by another model than P×Q (and the region): P×Q, what the model pays
/// and the paired surplus, in the first and the last year. `None` when every segment is
/// paid by P×Q.
fn funding_table(model: &Model, res: &Results, lang: Lang) -> Option<Table> {
    let l = lang.labels();
    let costs = crate::finance::funding::year_costs(model, res);
    if costs
        .iter()
        .all(|c| c.model == crate::finance::funding::FundingKind::Pxq)
    {
        return None;
    }
    let tl = &model.timeline;
    let years: Vec<i16> = match (tl.years.first(), tl.years.last()) {
        (Some(a), Some(b)) if a.0 != b.0 => vec![a.0, b.0],
        (Some(a), _) => vec![a.0],
        _ => return None,
    };
    let mut header = vec![l.segment.to_string(), l.funding_model.to_string()];
    for y in &years {
        header.extend([
            format!("P×Q {y}"),
            format!("{} {y}", l.funding_paid),
            format!("{} {y}", l.surplus),
        ]);
    }
    let mut buf = Vec::new();
    let mut mean =
        |v: &[crate::finance::money::Euros]| summarise(v.iter().map(|e| e.value()), &mut buf);
    let m = |x: f64| lang.number(x / 1e6, 1);
    let mut rows = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in costs
        .iter()
        .filter(|c| c.model != crate::finance::funding::FundingKind::Pxq)
    {
        if seen.contains(&c.segment.as_str()) {
            continue;
        }
        seen.push(&c.segment);
        let mut row = vec![c.segment.clone(), c.model.name().to_string()];
        for y in &years {
            let Some(cy) = costs
                .iter()
                .find(|x| x.segment == c.segment && x.year == *y)
            else {
                row.extend(["–".into(), "–".into(), "–".into()]);
                continue;
            };
            let s = mean(&cy.surplus());
            row.extend([
                m(mean(&cy.pxq).mean),
                m(mean(&cy.funded).mean),
                format!("{} [{}, {}]", m(s.mean), m(s.ci_low), m(s.ci_high)),
            ]);
        }
        rows.push(row);
    }
    Some(Table {
        caption: l.funding_title.into(),
        header,
        rows,
    })
}

/// The page of one run. `charts` are shown in order; `replications` and `seed` are those
/// the run used.
pub fn page(
    model: &Model,
    res: &Results,
    replications: u32,
    seed: u64,
    charts: &[Chart],
    lang: Lang,
) -> Page {
    let l = lang.labels();
    let tl = &model.timeline;
    let meta = vec![
        format!("{replications} {}", l.replications),
        format!("{} {seed}", l.seed),
        format!(
            "{} {} – {}",
            l.horizon,
            tl.date_of(tl.warmup),
            tl.date_of(tl.horizon - 1.0)
        ),
    ];
    Page {
        lang,
        kind: l.report.into(),
        title: model.name.clone(),
        description: model.description.clone(),
        meta,
        key_numbers: key_numbers(model, res, lang),
        chart_files: true,
        sections: vec![
            Section {
                heading: l.charts.into(),
                blocks: vec![Block::Charts(charts.to_vec())],
            },
            Section {
                heading: l.tables.into(),
                blocks: [
                    Some(Block::Table(segment_table(model, res, lang))),
                    funding_table(model, res, lang).map(Block::Table),
                    Some(Block::Table(service_table(model, res, lang))),
                ]
                .into_iter()
                .flatten()
                .collect(),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{self, Plan};
    use crate::scenario::{self, Source};

    fn run(funding: &str) -> (Model, Results) {
        let text = format!(
            "[scenario]\nname = \"f\"\nstart = 2024-01-01\nend = 2025-12-31\n\
             [[inflow]]\nto = \"a\"\nper_year = 100\n\
             [[service]]\nid = \"a\"\nsegment = \"x\"\nsetting = \"ambulant\"\ncapacity = 20\n\
             los = {{ dist = \"exponential\", mean = 30 }}\ntariff = {{ per_day = 50.0 }}\n{funding}"
        );
        let m = scenario::load(&Source {
            name: "f.toml".into(),
            text,
        })
        .expect("valid");
        let plan = Plan {
            replications: 3,
            seed: 1,
            threads: Some(1),
        };
        let r = experiment::run(&m, plan, &|_| {}).expect("runs");
        (m, r)
    }

    #[test]
    fn the_funding_table_appears_only_when_a_segment_is_not_pxq() {
        let (m, r) = run("");
        assert!(funding_table(&m, &r, Lang::En).is_none());
        let (m, r) = run("[[finance.funding]]\nsegment = \"x\"\nmodel = \"taakgericht\"\n");
        let t = funding_table(&m, &r, Lang::En).expect("a table");
        // the region and segment x, each with P×Q, payment and surplus for 2024 and 2025
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][..2], ["x".to_string(), "taakgericht".to_string()]);
        assert_eq!(t.header.len(), 2 + 3 * 2);
        // every place paid for: 20 places × 366 days × €50 = €0.4 M in 2024
        assert_eq!(t.rows[1][3], "0.4");
        let page = page(&m, &r, 3, 1, &[], Lang::En);
        let tables = page.sections[1]
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count();
        assert_eq!(tables, 3);
    }
}
