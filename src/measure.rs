//! The measures jeugdflow reports, defined once: for each its CSV name, unit, the levels it
//! is reported at, which direction is better, its group among a comparison's KPIs, how its
//! numbers are written, and its words in Dutch and English (a short name, a label with
//! its unit, a description). Every output reads them from here: the CSV files (names and
//! order), the KPIs of a comparison and their workbook formats, the labels of charts, the
//! report and the terminal, and the studio's key numbers. The rows are in `table.rs` (see
//! below); the README's table of metrics is checked against them.
//!
//! Two kinds of measure share the one table: a [`Metric`] is recorded in every
//! replication per level (service, segment, region) and period, and written to
//! `summary.csv` and `timeseries.csv`; the risk measures of a comparison (`risk_wait`,
//! `risk_budget`, `regret`) are computed per replication of a run (or of a comparison)
//! for the region only. The KPIs of a comparison ([`Kpi`], [`KPIS`]) are some of both, in
//! the order of `sweep.csv`.
//!
//! # The table
//!
//! `measure/table.rs` holds one row per measure ([`Measure`]) and the list of KPIs. It
//! sits at the bottom of the layers: it knows no model, no statistics and no files.

mod table;

pub use table::{KPIS, Kpi, MAX_REGRET, Metric, SHARE_FUTURES_MEETING_LIMITS};

/// One measure: everything an output needs to name, order and write it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measure {
    /// The name in CSV files (`metric` column), unique among all measures.
    pub name: &'static str,
    /// What its numbers count.
    pub unit: Unit,
    /// The lowest level it is reported at; it is reported at every level above too.
    pub level: Level,
    /// Which direction is better (what `p_better` of `differences.csv` judges).
    pub better: Better,
    /// Its group in a comparison's report when it is a KPI ([`KPIS`]); `None` otherwise.
    pub group: Option<Group>,
    /// How its numbers are written in reports, charts and workbooks.
    pub format: Format,
    /// Whether the studio's start page shows it among a run's key numbers.
    pub key_number: bool,
    /// Its words in Dutch.
    pub nl: Words,
    /// Its words in English.
    pub en: Words,
}

/// A measure's words in one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// A short name without its unit, lower case (`dagen uithuisplaatsing`), for headers
    /// followed by a year, legends, and values that carry their unit.
    pub name: &'static str,
    /// The name with its unit (`gem. wachttijd (dagen)`), for columns of bare numbers.
    pub label: &'static str,
    /// What it measures, in a sentence or a few (Markdown code spans in English: the
    /// README's table of metrics is these descriptions).
    pub description: &'static str,
}

/// What a measure's numbers count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Youths (or referrals, admissions, exits: youths passing a point).
    Youths,
    /// Places.
    Places,
    /// Days (a wait, days in care).
    Days,
    /// A share between 0 and 1.
    Share,
    /// Euros.
    Euros,
    /// Full-time equivalents of staff.
    Fte,
    /// Placement breakdowns (moves).
    Moves,
    /// Segments.
    Segments,
    /// Foster families (a recruiting service's stock).
    Families,
}

impl Unit {
    /// The unit as the README's table of metrics names it.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Youths => "youths",
            Unit::Places => "places",
            Unit::Days => "days",
            Unit::Share => "share",
            Unit::Euros => "euros",
            Unit::Fte => "FTE",
            Unit::Moves => "moves",
            Unit::Segments => "segments",
            Unit::Families => "families",
        }
    }
}

/// A level of the results, from the lowest: a service, a segment (`service = all`), the
/// region (`all`/`all`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Service,
    Segment,
    Region,
}

/// Which direction of a measure is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// A volume that is not a goal in itself (`clients`, `arrivals`, places).
    Neither,
}

/// How a measure's numbers are written: in reports and charts per language (see
/// `report::lang`), in workbooks as a number format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Whole numbers (youths, events).
    Count,
    /// One decimal (a mean count: occupancy, FTE, moves per episode).
    Decimal,
    /// Days: one decimal below 100, whole above.
    Days,
    /// A share, as a percentage with one decimal.
    Share,
    /// Euros of a region or a year: millions with one decimal in reports, whole euros in
    /// workbooks.
    Euros,
    /// Euros of one youth: whole euros.
    EurosEach,
}

/// Where a KPI appears in a comparison's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Wait,
    OutOfHome,
    Flow,
    Cost,
    Risk,
}

impl Group {
    /// The groups, in the report's order.
    pub const ALL: [Group; 5] = [
        Group::Wait,
        Group::OutOfHome,
        Group::Flow,
        Group::Cost,
        Group::Risk,
    ];
}

impl Measure {
    /// Whether it is reported at `level`.
    pub fn reported_at(&self, level: Level) -> bool {
        self.level <= level
    }

    /// Whether a lower value is better; `None` when neither direction is.
    pub fn lower_is_better(&self) -> Option<bool> {
        match self.better {
            Better::Lower => Some(true),
            Better::Higher => Some(false),
            Better::Neither => None,
        }
    }
}

impl Metric {
    /// Number of metrics.
    pub const COUNT: usize = Self::ALL.len();

    /// Its row of the table.
    #[inline]
    pub fn measure(self) -> &'static Measure {
        &table::METRICS[self as usize]
    }

    /// The name used in CSV files.
    #[inline]
    pub fn name(self) -> &'static str {
        self.measure().name
    }

    /// Whether the metric is reported for the whole region only (`all`/`all`).
    #[inline]
    pub fn system_only(self) -> bool {
        self.measure().level == Level::Region
    }

    /// Looks a metric up by its CSV name.
    pub fn from_name(s: &str) -> Option<Metric> {
        Self::ALL.iter().copied().find(|m| m.name() == s)
    }
}

impl Kpi {
    /// The name in CSV files.
    pub fn name(self) -> &'static str {
        self.measure().name
    }

    /// The KPI of a CSV name.
    pub fn from_name(s: &str) -> Option<Kpi> {
        KPIS.iter().copied().find(|k| k.name() == s)
    }

    /// Its position in [`KPIS`] (the declaration order, so every KPI has one).
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The metric it is, when it is one (all but the risk measures).
    pub fn metric(self) -> Option<Metric> {
        Metric::from_name(self.name())
    }

    /// The KPI of metric `m`, when `m` is one.
    pub fn of(m: Metric) -> Option<Kpi> {
        Kpi::from_name(m.name())
    }

    /// How its numbers are written.
    pub fn format(self) -> Format {
        self.measure().format
    }

    /// Where it appears in the report (every KPI's row has a group: see the tests).
    pub fn group(self) -> Group {
        self.measure().group.unwrap_or(Group::Flow)
    }

    /// Whether a lower value is better; `None` for a volume that is not a goal
    /// (`clients`).
    pub fn lower_is_better(self) -> Option<bool> {
        self.measure().lower_is_better()
    }

    /// Whether one run's replications give its value: those are in `replications.csv`.
    /// The others are measured against the other runs of a comparison (the baseline of the
    /// same future, the best road): `saving_harm_weighted`, the paired risks and `regret`.
    pub fn per_run(self) -> bool {
        !matches!(
            self,
            Kpi::SavingHarmWeighted | Kpi::RiskWorseWait | Kpi::RiskWorseCost | Kpi::Regret
        )
    }

    /// Whether it is a share of replications (a risk), whose interval is Wilson's.
    pub fn is_risk_share(self) -> bool {
        matches!(
            self,
            Kpi::RiskWait | Kpi::RiskBudget | Kpi::RiskWorseWait | Kpi::RiskWorseCost
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique_among_all_measures() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        let mut names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        names.extend(
            KPIS.iter()
                .filter(|k| k.metric().is_none())
                .map(|k| k.name()),
        );
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "two measures share a CSV name");
    }

    #[test]
    fn a_measure_is_a_kpi_exactly_when_its_row_has_a_group() {
        for k in KPIS {
            assert!(
                k.measure().group.is_some(),
                "KPI {} has no group in its row",
                k.name()
            );
            assert_eq!(KPIS[k.index()], k);
            assert_eq!(Kpi::from_name(k.name()), Some(k));
        }
        for m in Metric::ALL {
            assert_eq!(
                m.measure().group.is_some(),
                Kpi::of(m).is_some(),
                "{}: a row with a KPI group must be listed in KPIS, and the other way round",
                m.name()
            );
        }
        for g in Group::ALL {
            assert!(KPIS.iter().any(|k| k.group() == g), "{g:?} has no KPI");
        }
        assert_eq!(Kpi::Regret.group(), Group::Risk);
        assert!(!Kpi::Regret.per_run() && Kpi::RiskBudget.per_run());
        assert_eq!(Kpi::Clients.lower_is_better(), None);
        assert_eq!(Kpi::Cost.metric(), Some(Metric::Cost));
        assert_eq!(Kpi::RiskWait.metric(), None);
    }

    #[test]
    fn every_measure_has_words_in_both_languages() {
        let rows = Metric::ALL
            .iter()
            .map(|m| m.measure())
            .chain(KPIS.iter().map(|k| k.measure()));
        for r in rows {
            for w in [&r.nl, &r.en] {
                assert!(!w.name.is_empty() && !w.label.is_empty(), "{}", r.name);
                assert!(w.description.len() > 20, "{}: no description", r.name);
                assert!(
                    !w.label.contains('_'),
                    "{}: a label is not a CSV name",
                    r.name
                );
            }
            assert_ne!(r.nl.label, r.en.label, "{}: not translated", r.name);
        }
    }

    #[test]
    fn levels_and_directions_come_from_the_rows() {
        assert!(Metric::CostPerYouthP90.system_only());
        assert!(!Metric::TimeToCareDaysMean.system_only());
        let ttc = Metric::TimeToCareDaysMean.measure();
        assert!(!ttc.reported_at(Level::Service) && ttc.reported_at(Level::Segment));
        assert!(Metric::Arrivals.measure().reported_at(Level::Service));
        assert_eq!(Metric::Cost.measure().lower_is_better(), Some(true));
    }

    /// The README's table of metrics, as the table of measures writes it: a row per
    /// metric (name, unit, levels, the English description), in output order.
    fn readme_rows() -> Vec<String> {
        Metric::ALL
            .iter()
            .map(|m| {
                let r = m.measure();
                let levels = match r.level {
                    Level::Service => "service, segment, `all`",
                    Level::Segment => "segment, `all`",
                    Level::Region => "`all`",
                };
                format!(
                    "| `{}` | {} | {levels} | {} |",
                    r.name,
                    r.unit.name(),
                    r.en.description
                )
            })
            .collect()
    }

    /// The README documents every metric as the table defines it (JEUGDFLOW_BLESS=1
    /// rewrites its rows when a measure changed on purpose).
    #[test]
    fn the_readme_table_of_metrics_is_the_table_of_measures() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let text = std::fs::read_to_string(path).expect("README.md");
        let start = text.find("### Metrics\n").expect("a Metrics section");
        let header = "| metric | unit | levels | meaning |\n|---|---|---|---|\n";
        let at = start + text[start..].find(header).expect("the table's header") + header.len();
        let rows: Vec<&str> = text[at..]
            .lines()
            .take_while(|l| l.starts_with('|'))
            .collect();
        let want = readme_rows();
        // after the metrics: the rows of summary.csv that are no measure
        let extra = ["| `capacity_step_K_year` |"];
        let (rest, ours): (Vec<&str>, Vec<&str>) = rows
            .iter()
            .partition(|l| extra.iter().any(|e| l.starts_with(e)));
        if std::env::var_os("JEUGDFLOW_BLESS").is_some() && ours != want {
            let end = at + rows.iter().map(|l| l.len() + 1).sum::<usize>();
            let tail: String = rest.iter().map(|l| format!("{l}\n")).collect();
            let new = format!("{}{}\n{tail}{}", &text[..at], want.join("\n"), &text[end..]);
            std::fs::write(path, new).expect("README.md written");
            return;
        }
        for (i, w) in want.iter().enumerate() {
            assert_eq!(
                ours.get(i).copied(),
                Some(w.as_str()),
                "README.md, Metrics, row {}: not as the table of measures has it \
                 (JEUGDFLOW_BLESS=1 rewrites the rows)",
                i + 1
            );
        }
        assert_eq!(
            ours.len(),
            want.len(),
            "README rows that are no metric: {ours:?}"
        );
        assert_eq!(rest.len(), extra.len(), "{rest:?}");
        assert_eq!(
            rows.last(),
            rest.last(),
            "the other rows come after the metrics"
        );
    }
}
