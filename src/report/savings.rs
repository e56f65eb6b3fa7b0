//! The savings view as a chart and a page: each strategy's saving per year against the
//! baseline and its cumulative frictiekosten, with 95% intervals (from
//! [`crate::finance::savings`]). Pure: returns a [`Sheet`] and a [`Page`], and [`files`]
//! the whole savings folder as bytes.

use super::finance_csv::savings_csv;
use super::html::{self, Block, KeyNumber, Page, Section, Table};
use super::lang::Lang;
use super::manifest::{SavingsManifest, json_bytes};
use super::plots::figure::{Panel, Sheet, colour, line_in_band, year_axis};
use super::plots::{self, Chart, PlotError};
use crate::finance::savings::SavingsRow;

/// The words of this view, in one language.
struct Words {
    kind: &'static str,
    title: &'static str,
    saving: &'static str,
    friction: &'static str,
    table: &'static str,
    strategy: &'static str,
    cumulative: &'static str,
    explain: &'static str,
    /// Before and after an amount in millions on a key number.
    money: (&'static str, &'static str),
    replications: &'static str,
}

const NL: Words = Words {
    kind: "Besparing per strategie",
    title: "Besparing en frictiekosten ten opzichte van",
    saving: "Besparing per jaar (P×Q, t.o.v. de basis)",
    friction: "Frictiekosten, cumulatief (dubbel draaien)",
    table: "Besparing per jaar, € mln [95%-interval]",
    strategy: "strategie",
    cumulative: "Besparing 2024–2030 (cumulatief)",
    money: ("€ ", " mln"),
    replications: "replicaties",
    explain: "Besparing = kosten van de basis − kosten van de strategie (P×Q), per replicatie \
              gepaard: alle runs delen hun toevalsgetallen. Frictiekosten = wat een strategie \
              per segment méér betaalt voor plaatsen (gebruikt of niet) dan de basis, opgeteld \
              over de jaren: oud en nieuw die naast elkaar draaien. Een besparing is zorg die \
              niet betaald wordt — lees haar naast de wachttijden.",
};

const EN: Words = Words {
    kind: "Savings per strategy",
    title: "Savings and frictiekosten against",
    saving: "Saving per year (P×Q, against the baseline)",
    friction: "Frictiekosten, cumulative (double running)",
    table: "Saving per year, EUR million [95% interval]",
    strategy: "strategy",
    cumulative: "Saving 2024–2030 (cumulative)",
    money: ("EUR ", " million"),
    replications: "replications",
    explain: "Saving = the baseline's cost − the strategy's cost (P×Q), paired per \
              replication: all runs share their random numbers. Frictiekosten = what a \
              strategy pays per segment for places (used or not) beyond the baseline, summed \
              over the years: old and new care running side by side. A saving is care not \
              paid for — read it next to the waiting times.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The region's rows of one measure, per strategy in order of first appearance.
fn series<'a>(rows: &'a [SavingsRow], measure: &str) -> Vec<(&'a str, Vec<&'a SavingsRow>)> {
    let mut out: Vec<(&str, Vec<&SavingsRow>)> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.segment == "all" && r.measure.name() == measure)
    {
        match out.iter_mut().find(|(n, _)| *n == r.strategy) {
            Some((_, v)) => v.push(r),
            None => out.push((r.strategy.as_str(), vec![r])),
        }
    }
    out
}

/// Two panels: the saving per year and the cumulative frictiekosten, each strategy a line
/// in its 95% band.
pub fn sheet(rows: &[SavingsRow], lang: Lang) -> Sheet {
    let w = words(lang);
    let l = lang.labels();
    let panel = |measure: &str, title: &str| {
        let mut layers = Vec::new();
        let mut years: Vec<i16> = Vec::new();
        for (i, (name, rs)) in series(rows, measure).into_iter().enumerate() {
            years.extend(rs.iter().map(|r| r.year));
            let m = |f: fn(&SavingsRow) -> f64| rs.iter().map(|r| f(r) / 1e6).collect();
            layers.extend(line_in_band(
                rs.iter().map(|r| r.year as f64).collect(),
                m(|r| r.summary.mean),
                (m(|r| r.summary.ci_low), m(|r| r.summary.ci_high)),
                colour(i),
                name,
            ));
        }
        years.sort_unstable();
        years.dedup();
        let (x_range, x_ticks) = year_axis(&years, 0.3);
        Panel {
            title: title.to_string(),
            x_desc: l.year.into(),
            y_desc: l.euro_m.into(),
            x_range,
            x_ticks,
            layers,
        }
    };
    Sheet {
        title: w.kind.into(),
        panels: vec![
            panel("saving", w.saving),
            panel("frictiekosten_cumulative", w.friction),
        ],
        cols: 1,
        size: (1000, 760),
        lang,
    }
}

/// The line under the title: how many runs, replications and the seed.
pub fn meta(runs: usize, replications: u32, seed: u64, lang: Lang) -> String {
    format!(
        "{runs} × {replications} {}, seed {seed}",
        words(lang).replications
    )
}

/// The savings page: the cumulative saving per strategy up front, the chart, and a table
/// of the yearly savings with their intervals.
pub fn page(
    baseline: &str,
    meta: Vec<String>,
    rows: &[SavingsRow],
    charts: &[Chart],
    lang: Lang,
) -> Page {
    let w = words(lang);
    let m = |x: f64| lang.number(x / 1e6, 1);
    let saving = series(rows, "saving");
    let cumulative = series(rows, "saving_cumulative");
    let key_numbers = cumulative
        .iter()
        .take(4)
        .map(|(name, rs)| {
            let last = rs.last();
            KeyNumber {
                label: name.to_string(),
                value: last.map_or("–".into(), |r| {
                    format!("{}{}{}", w.money.0, m(r.summary.mean), w.money.1)
                }),
                note: last.map_or(String::new(), |r| {
                    format!(
                        "{} [{}, {}]",
                        w.cumulative,
                        m(r.summary.ci_low),
                        m(r.summary.ci_high)
                    )
                }),
            }
        })
        .collect();
    let mut years: Vec<i16> = saving
        .iter()
        .flat_map(|(_, rs)| rs.iter().map(|r| r.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut header = vec![w.strategy.to_string()];
    header.extend(years.iter().map(|y| y.to_string()));
    let table_rows = saving
        .iter()
        .map(|(name, rs)| {
            let mut row = vec![name.to_string()];
            for y in &years {
                row.push(rs.iter().find(|r| r.year == *y).map_or("–".into(), |r| {
                    format!(
                        "{} [{}, {}]",
                        m(r.summary.mean),
                        m(r.summary.ci_low),
                        m(r.summary.ci_high)
                    )
                }));
            }
            row
        })
        .collect();
    Page {
        lang,
        kind: w.kind.into(),
        title: format!("{} {baseline}", w.title),
        description: String::new(),
        meta,
        key_numbers,
        sections: vec![Section {
            heading: w.kind.into(),
            blocks: vec![
                Block::Paragraph(w.explain.into()),
                Block::Charts(charts.to_vec()),
                Block::Table(Table {
                    caption: w.table.into(),
                    header,
                    rows: table_rows,
                }),
            ],
        }],
        chart_files: true,
    }
}

/// Why the savings folder's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SavingsError {
    #[error(transparent)]
    Plot(#[from] PlotError),
    #[error(transparent)]
    Xlsx(#[from] super::xlsx::XlsxFileError),
}

/// The files (name, bytes) of the savings folder: `savings.csv`, `savings.xlsx` (the same
/// table for finance staff, with the baseline, strategies, seed and replications on its
/// `info` sheet), `report.html` and `plots/savings.*`. `runs` counts the baseline and the
/// strategies, all run with `replications` and `seed`.
pub fn files(
    baseline: &str,
    rows: &[SavingsRow],
    runs: usize,
    replications: u32,
    seed: u64,
    lang: Lang,
) -> Result<Vec<(String, Vec<u8>)>, SavingsError> {
    let charts = vec![plots::render("savings", &sheet(rows, lang))?];
    let meta = vec![meta(runs, replications, seed, lang)];
    let report = html::render(&page(baseline, meta, rows, &charts, lang));
    let csv = savings_csv(rows);
    let mut info = vec![("baseline".to_string(), baseline.to_string())];
    let mut names: Vec<&str> = rows.iter().map(|r| r.strategy.as_str()).collect();
    names.dedup();
    for (i, n) in names.iter().enumerate() {
        info.push((format!("strategy {}", i + 1), n.to_string()));
    }
    info.push(("seed".to_string(), seed.to_string()));
    info.push(("replications".to_string(), replications.to_string()));
    info.push((
        "made with".to_string(),
        format!("jeugdflow {}", env!("CARGO_PKG_VERSION")),
    ));
    let xlsx = super::finance_csv::savings_xlsx(&info, &csv, lang)?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("savings.csv".into(), csv),
        ("savings.xlsx".into(), xlsx),
        ("report.html".into(), report.into_bytes()),
    ];
    files.extend(plots::files(&charts));
    let mut strategies: Vec<String> = rows.iter().map(|r| r.strategy.clone()).collect();
    strategies.dedup();
    let mut names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    names.insert(1, "manifest.json".into());
    let manifest = SavingsManifest {
        tool: "jeugdflow",
        version: env!("CARGO_PKG_VERSION"),
        kind: "savings",
        baseline: baseline.to_string(),
        strategies,
        seed,
        replications,
        files: names,
    };
    // serialising plain strings and numbers cannot fail
    let json = json_bytes(&manifest).unwrap_or_default();
    files.insert(1, ("manifest.json".into(), json));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::figure::Mark;
    use crate::stats::summary::summarise;

    fn row(strategy: &str, year: i16, measure: &'static str, v: f64) -> SavingsRow {
        SavingsRow {
            strategy: strategy.into(),
            baseline: "base".into(),
            segment: "all".into(),
            year,
            measure: crate::finance::savings::Measure::parse(measure).expect("a measure"),
            summary: summarise([v, v + 2e5].into_iter(), &mut Vec::new()),
        }
    }

    #[test]
    fn the_sheet_has_a_line_per_strategy_and_the_page_a_row_per_strategy() {
        let mut rows = Vec::new();
        for s in ["a", "b"] {
            for y in [2024, 2025] {
                for m in ["saving", "saving_cumulative", "frictiekosten_cumulative"] {
                    rows.push(row(s, y, m, 1e6 * y as f64 / 2024.0));
                }
            }
        }
        let sh = sheet(&rows, Lang::En);
        assert_eq!(sh.panels.len(), 2);
        for p in &sh.panels {
            let lines = p
                .layers
                .iter()
                .filter(|l| matches!(l.mark, Mark::Line { .. }))
                .count();
            assert_eq!(lines, 2);
        }
        let pg = page("base", Vec::new(), &rows, &[], Lang::Nl);
        assert_eq!(pg.key_numbers.len(), 2);
        let Block::Table(t) = &pg.sections[0].blocks[2] else {
            panic!("a table")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.header, ["strategie", "2024", "2025"]);
        // 1.0 million saved, with an interval: Dutch decimals
        assert!(t.rows[0][1].starts_with("1,1 ["), "{}", t.rows[0][1]);
    }
}
