//! The report of a sweep or a comparison: the strategies side by side first (a KPI
//! table and the comparison charts), then links to each strategy's own report.

use super::{Block, Page, Section, Table};
use crate::report::lang::Lang;
use crate::report::plots::Chart;
use crate::report::plots::compare::Strategy;
use crate::sweep::KPIS;

/// The KPI table: one row per KPI, one column per strategy, `mean [ci_low, ci_high]`.
fn kpi_table(strategies: &[Strategy], lang: Lang) -> Table {
    let l = lang.labels();
    let mut header = vec!["KPI".to_string()];
    header.extend(
        strategies
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {}", i + 1, s.name)),
    );
    let rows = KPIS
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mut row = vec![lang.kpi(*m)];
            for s in strategies {
                let cell = s.kpis.get(k).map_or("–".into(), |v| {
                    let d = if v.mean.abs() < 10.0 { 3 } else { 0 };
                    if v.ci_low.is_finite() {
                        format!(
                            "{} [{}, {}]",
                            lang.number(v.mean, d),
                            lang.number(v.ci_low, d),
                            lang.number(v.ci_high, d)
                        )
                    } else {
                        lang.number(v.mean, d)
                    }
                });
                row.push(cell);
            }
            row
        })
        .collect();
    Table {
        caption: format!(
            "{}; {}; {}",
            l.kpis_title, l.whole_horizon, l.lower_is_better
        ),
        header,
        rows,
    }
}

/// The comparison page. `name` is the sweep's (or `compare`'s) title, `description` a
/// line about what was compared, `links` (text, relative address) lead to each strategy's
/// report. `chart_files` says whether the charts are also written to `plots/`.
#[allow(clippy::too_many_arguments)]
pub fn page(
    name: &str,
    description: &str,
    meta: Vec<String>,
    strategies: &[Strategy],
    charts: &[Chart],
    links: Vec<(String, String)>,
    chart_files: bool,
    lang: Lang,
) -> Page {
    let l = lang.labels();
    let mut sections = vec![Section {
        heading: l.sweep_report.into(),
        blocks: vec![
            Block::Table(kpi_table(strategies, lang)),
            Block::Charts(charts.to_vec()),
        ],
    }];
    if !links.is_empty() {
        sections.push(Section {
            heading: format!("{} ({})", l.report, l.strategies),
            blocks: vec![Block::Links(links)],
        });
    }
    Page {
        lang,
        kind: l.sweep_report.into(),
        title: name.to_string(),
        description: description.to_string(),
        meta,
        key_numbers: Vec::new(),
        chart_files,
        sections,
    }
}
