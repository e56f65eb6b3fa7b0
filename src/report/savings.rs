//! The savings view as a chart and a page: each strategy's saving per year against the
//! baseline and its cumulative frictiekosten, with 95% intervals (from
//! [`crate::finance::savings`]). Pure: returns a [`Sheet`] and a [`Page`], and [`files`]
//! the whole savings folder as bytes.

use super::finance_csv::savings_csv;
use super::html::{self, Block, KeyNumber, Page, Section, Table};
use super::lang::Lang;
use super::manifest::{SavingsManifest, json_bytes};
use super::plots::figure::{Layer, Mark, Panel, Sheet, colour, line_in_band, year_axis};
use super::plots::{self, Chart, PlotError};
use crate::finance::savings::{Measure, SavingsRow};
use plotters::style::RGBColor;

/// The words of this view, in one language.
struct Words {
    kind: &'static str,
    title: &'static str,
    saving: &'static str,
    structural: &'static str,
    not_delivered: &'static str,
    friction: &'static str,
    target: &'static str,
    table: &'static str,
    parts: &'static str,
    parts_header: [&'static str; 6],
    gap: &'static str,
    strategy: &'static str,
    cumulative: &'static str,
    explain: &'static str,
    example: &'static str,
    /// Before and after an amount in millions on a key number.
    money: (&'static str, &'static str),
    replications: &'static str,
}

const NL: Words = Words {
    kind: "Besparing per strategie",
    title: "Besparing en frictiekosten ten opzichte van",
    saving: "Besparing per jaar (structureel − frictiekosten)",
    structural: "Structurele besparing per jaar (en de taakstelling, gestippeld)",
    not_delivered: "Niet-geleverde zorg per jaar (geen besparing)",
    friction: "Frictiekosten, cumulatief",
    target: "taakstelling",
    table: "Besparing per jaar (structureel − frictiekosten), € mln [95%-interval]",
    parts: "Waar het verschil in kosten uit bestaat, cumulatief over de hele periode, € mln",
    parts_header: [
        "strategie",
        "kosten basis − strategie",
        "structurele besparing",
        "niet-geleverde zorg",
        "frictiekosten",
        "besparing",
    ],
    gap: "Structurele besparing tegen de taakstelling (Hervormingsagenda) per jaar, € mln: besparing / taakstelling (tekort)",
    strategy: "strategie",
    cumulative: "Besparing over de periode (cumulatief)",
    money: ("€ ", " mln"),
    replications: "replicaties",
    explain: "Per replicatie gepaard (alle runs delen hun toevalsgetallen) wordt het verschil \
              in kosten gesplitst: kosten basis − kosten strategie = structurele besparing + \
              niet-geleverde zorg − frictiekosten. Niet-geleverde zorg is P×Q die alleen \
              daalt doordat jongeren minder of later zorg kregen dan in de basis (langer \
              wachten, afhaken, nog wachtend aan het eind): schade, geen besparing, lees haar \
              naast de wachttijden. De structurele besparing is de rest van het P×Q-verschil: \
              dezelfde jongeren goedkoper of korter geholpen. Frictiekosten = dubbel draaien \
              (plaatsen die een strategie vooruit bouwt en betaalt terwijl ze leeg staan) + \
              desinvesteringen (afbouw van gesloten plaatsen, omscholing) − landelijk \
              transformatiegeld. De besparing = structurele besparing − frictiekosten.",
    example: "Voorbeeld: de basis kost € 100 mln, de strategie € 90 mln. Daarvan is € 6 mln \
              zorg die wachtende jongeren niet kregen en € 2 mln frictiekosten: structurele \
              besparing 10 − 6 + 2 = € 6 mln, besparing 6 − 2 = € 4 mln.",
};

const EN: Words = Words {
    kind: "Savings per strategy",
    title: "Savings and frictiekosten against",
    saving: "Saving per year (structural − frictiekosten)",
    structural: "Structural saving per year (and the target, dashed)",
    not_delivered: "Care not delivered per year (not a saving)",
    friction: "Frictiekosten, cumulative",
    target: "target",
    table: "Saving per year (structural − frictiekosten), EUR million [95% interval]",
    parts: "What the cost difference is made of, summed over the period, EUR million",
    parts_header: [
        "strategy",
        "cost baseline − strategy",
        "structural saving",
        "care not delivered",
        "frictiekosten",
        "saving",
    ],
    gap: "Structural saving against the target (Hervormingsagenda) per year, EUR million: saving / target (shortfall)",
    strategy: "strategy",
    cumulative: "Saving over the period (cumulative)",
    money: ("EUR ", " million"),
    replications: "replications",
    explain: "Paired per replication (all runs share their random numbers), the cost \
              difference is split: the baseline's cost − the strategy's = structural saving \
              + care not delivered − frictiekosten. Care not delivered is P×Q that falls only \
              because youths got less or later care than in the baseline (longer waits, \
              giving up, still waiting at the end): a harm, not a saving — read it next to \
              the waiting times. The structural saving is the rest of the P×Q difference: the \
              same youths cared for in a cheaper or shorter way. Frictiekosten = double \
              running (places a strategy builds ahead and pays while they stand idle) + \
              stranded cost (closed places winding down, retraining) − national \
              transformation money. The saving = structural saving − frictiekosten.",
    example: "Example: the baseline costs EUR 100 million, the strategy EUR 90 million. Of \
              that, EUR 6 million is care waiting youths did not get and EUR 2 million \
              frictiekosten: structural saving 10 − 6 + 2 = EUR 6 million, saving 6 − 2 = \
              EUR 4 million.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The region's rows of one measure, per strategy in order of first appearance.
fn series(rows: &[SavingsRow], measure: Measure) -> Vec<(&str, Vec<&SavingsRow>)> {
    let mut out: Vec<(&str, Vec<&SavingsRow>)> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.segment == "all" && r.measure == measure)
    {
        match out.iter_mut().find(|(n, _)| *n == r.strategy) {
            Some((_, v)) => v.push(r),
            None => out.push((r.strategy.as_str(), vec![r])),
        }
    }
    out
}

/// Four panels: the headline saving per year, the structural saving per year against the
/// target, care not delivered per year and the cumulative frictiekosten, each strategy a
/// line in its 95% band.
pub fn sheet(rows: &[SavingsRow], lang: Lang) -> Sheet {
    let w = words(lang);
    let l = lang.labels();
    let panel = |measure: Measure, title: &str| {
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
        if measure == Measure::SavingStructural {
            // the target is the same for every strategy: the first one's rows
            if let Some((_, rs)) = series(rows, Measure::Target).into_iter().next() {
                layers.push(Layer::new(
                    Mark::Line {
                        xs: rs.iter().map(|r| r.year as f64).collect(),
                        ys: rs.iter().map(|r| r.summary.mean / 1e6).collect(),
                        dashed: true,
                    },
                    RGBColor(60, 60, 60),
                    w.target,
                ));
            }
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
            panel(Measure::Saving, w.saving),
            panel(Measure::SavingStructural, w.structural),
            panel(Measure::CareNotDelivered, w.not_delivered),
            panel(Measure::FrictiekostenCumulative, w.friction),
        ],
        cols: 2,
        size: (1200, 860),
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

/// The savings page: the cumulative saving per strategy up front (with its parts), the
/// chart, what the cost difference is made of, the yearly savings with their intervals,
/// and the structural saving against the target.
pub fn page(
    baseline: &str,
    meta: Vec<String>,
    rows: &[SavingsRow],
    charts: &[Chart],
    lang: Lang,
) -> Page {
    let w = words(lang);
    let m = |x: f64| lang.number(x / 1e6, 1);
    let with_ci = |r: &SavingsRow| {
        format!(
            "{} [{}, {}]",
            m(r.summary.mean),
            m(r.summary.ci_low),
            m(r.summary.ci_high)
        )
    };
    let last = |measure: Measure| -> Vec<(&str, Option<&SavingsRow>)> {
        series(rows, measure)
            .into_iter()
            .map(|(n, rs)| (n, rs.last().copied()))
            .collect()
    };
    let cumulative = last(Measure::SavingCumulative);
    let key_numbers = cumulative
        .iter()
        .take(4)
        .map(|(name, last)| KeyNumber {
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
        })
        .collect();
    let saving = series(rows, Measure::Saving);
    let mut years: Vec<i16> = saving
        .iter()
        .flat_map(|(_, rs)| rs.iter().map(|r| r.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    let year_table = |caption: &str, cell: &dyn Fn(&str, i16) -> String| {
        let mut header = vec![w.strategy.to_string()];
        header.extend(years.iter().map(|y| y.to_string()));
        Table {
            caption: caption.into(),
            header,
            rows: saving
                .iter()
                .map(|(name, _)| {
                    std::iter::once(name.to_string())
                        .chain(years.iter().map(|y| cell(name, *y)))
                        .collect()
                })
                .collect(),
        }
    };
    let find = |name: &str, year: i16, measure: Measure| {
        rows.iter().find(|r| {
            r.strategy == name && r.segment == "all" && r.year == year && r.measure == measure
        })
    };
    let yearly = year_table(w.table, &|name, y| {
        find(name, y, Measure::Saving).map_or("–".into(), with_ci)
    });
    // the cumulative parts at the last year: they add up like the yearly ones
    let parts = Table {
        caption: w.parts.into(),
        header: w.parts_header.iter().map(|h| h.to_string()).collect(),
        rows: cumulative
            .iter()
            .map(|(name, last)| {
                let y = last.map_or(0, |r| r.year);
                let total = |measure: Measure| {
                    years
                        .iter()
                        .filter(|yy| **yy <= y)
                        .filter_map(|yy| find(name, *yy, measure))
                        .map(|r| r.summary.mean)
                        .sum::<f64>()
                };
                let at = |measure: Measure| find(name, y, measure).map(|r| r.summary.mean);
                let cell = |x: Option<f64>| x.map_or("–".into(), m);
                vec![
                    name.to_string(),
                    m(total(Measure::CostBaseline) - total(Measure::Cost)),
                    cell(at(Measure::SavingStructuralCumulative)),
                    cell(at(Measure::CareNotDeliveredCumulative)),
                    cell(at(Measure::FrictiekostenCumulative)),
                    cell(at(Measure::SavingCumulative)),
                ]
            })
            .collect(),
    };
    let mut blocks = vec![
        Block::Paragraph(w.explain.into()),
        Block::Paragraph(w.example.into()),
        Block::Charts(charts.to_vec()),
        Block::Table(parts),
        Block::Table(yearly),
    ];
    if rows.iter().any(|r| r.measure == Measure::Target) {
        blocks.push(Block::Table(year_table(w.gap, &|name, y| match (
            find(name, y, Measure::SavingStructural),
            find(name, y, Measure::Target),
            find(name, y, Measure::TargetGap),
        ) {
            (Some(s), Some(t), Some(g)) => format!(
                "{} / {} ({})",
                m(s.summary.mean),
                m(t.summary.mean),
                m(g.summary.mean)
            ),
            _ => "–".into(),
        })));
    }
    Page {
        lang,
        kind: w.kind.into(),
        title: format!("{} {baseline}", w.title),
        description: String::new(),
        meta,
        key_numbers,
        sections: vec![Section {
            heading: w.kind.into(),
            blocks,
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
                for m in Measure::ALL {
                    rows.push(row(s, y, m.name(), 1e6 * y as f64 / 2024.0));
                }
            }
        }
        let sh = sheet(&rows, Lang::En);
        assert_eq!(sh.panels.len(), 4);
        for (i, p) in sh.panels.iter().enumerate() {
            let lines = p
                .layers
                .iter()
                .filter(|l| matches!(l.mark, Mark::Line { .. }))
                .count();
            // the structural saving also has the target, once
            assert_eq!(lines, if i == 1 { 3 } else { 2 }, "{}", p.title);
        }
        let pg = page("base", Vec::new(), &rows, &[], Lang::Nl);
        assert_eq!(pg.key_numbers.len(), 2);
        let blocks = &pg.sections[0].blocks;
        assert_eq!(blocks.len(), 6, "the target table is there");
        let Block::Table(t) = &blocks[4] else {
            panic!("a table")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.header, ["strategie", "2024", "2025"]);
        // 1.0 million saved, with an interval: Dutch decimals
        assert!(t.rows[0][1].starts_with("1,1 ["), "{}", t.rows[0][1]);
    }
}
