//! The words of the charts and the HTML report, in Dutch (the default: the users are
//! Dutch regions) or English, and numbers and dates written the way each language does.

use jiff::civil::Date;

use crate::measure::Metric;

mod compare;
pub use compare::CompareWords;

/// The language of charts and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Nederlands.
    #[default]
    Nl,
    /// English.
    En,
}

/// Every label the charts and the report use, in one language.
#[derive(Debug)]
pub struct Labels {
    pub html_lang: &'static str,
    pub report: &'static str,
    pub sweep_report: &'static str,
    pub key_numbers: &'static str,
    pub charts: &'static str,
    pub contents: &'static str,
    pub of_admissions: &'static str,
    pub tables: &'static str,
    pub replications: &'static str,
    pub seed: &'static str,
    pub horizon: &'static str,
    pub date: &'static str,
    pub year: &'static str,
    pub days: &'static str,
    pub youths: &'static str,
    pub youths_per_period: &'static str,
    pub euro_m: &'static str,
    pub band_90: &'static str,
    pub ci_95: &'static str,
    pub planned_step: &'static str,
    pub realised_step: &'static str,
    pub time_to_care: &'static str,
    pub norm: &'static str,
    pub flows: &'static str,
    pub cost_per_year: &'static str,
    pub budget_vs_pxq: &'static str,
    pub budget: &'static str,
    pub pxq_mean: &'static str,
    pub occupancy_title: &'static str,
    pub occupancy_unlimited: &'static str,
    pub waiting_title: &'static str,
    pub system: &'static str,
    pub segment: &'static str,
    pub service: &'static str,
    pub peak_wait: &'static str,
    pub region: &'static str,
    pub mean: &'static str,
    pub interval: &'static str,
    pub strategy: &'static str,
    pub strategies: &'static str,
    pub kpis_title: &'static str,
    pub cost_fan_title: &'static str,
    pub no_costs: &'static str,
    pub lower_is_better: &'static str,
    pub printed_from: &'static str,
    pub unlimited: &'static str,
    pub summary_note: &'static str,
    pub funding_title: &'static str,
    pub funding_model: &'static str,
    pub funding_paid: &'static str,
    pub surplus: &'static str,
    pub whole_horizon: &'static str,
    pub services_over_norm: &'static str,
    pub flag_rule: &'static str,
    pub none_flagged: &'static str,
    pub highest: &'static str,
    pub longest_wait: &'static str,
}

/// Dutch labels.
pub const NL: Labels = Labels {
    html_lang: "nl",
    report: "Rapport",
    sweep_report: "Vergelijking van strategieën",
    key_numbers: "Kerncijfers",
    charts: "Grafieken",
    contents: "Inhoud",
    of_admissions: "van de opnames bij instroom in zorg",
    tables: "Tabellen",
    replications: "replicaties",
    seed: "seed",
    horizon: "periode",
    date: "datum",
    year: "jaar",
    days: "dagen",
    youths: "jeugdigen",
    youths_per_period: "jeugdigen per periode",
    euro_m: "€ mln",
    band_90: "90%-band (p05–p95)",
    ci_95: "95%-betrouwbaarheidsinterval",
    planned_step: "geplande stap",
    realised_step: "gerealiseerde stap (mediaan, p05–p95)",
    time_to_care: "tijd tot zorg (gem. / p90, dagen)",
    norm: "norm",
    flows: "Instroom, opnames en uitstroom",
    cost_per_year: "Kosten per jaar per segment (P×Q)",
    budget_vs_pxq: "Budget tegenover P×Q",
    budget: "budget",
    pxq_mean: "P×Q (gemiddeld)",
    occupancy_title: "Bezetting en capaciteit",
    occupancy_unlimited: "Bezetting (capaciteit onbeperkt)",
    waiting_title: "Wachtlijst en wachttijd",
    system: "totaal",
    segment: "segment",
    service: "voorziening",
    peak_wait: "Hoogste gemiddelde wachttijd",
    region: "regio",
    mean: "gemiddeld",
    interval: "interval",
    strategy: "strategie",
    strategies: "strategieën",
    kpis_title: "Kerncijfers per strategie (gemiddelde, 95%-interval)",
    cost_fan_title: "Totale kosten per jaar per strategie",
    no_costs: "geen tarieven in dit scenario",
    lower_is_better: "lager is beter",
    printed_from: "gemaakt met jeugdflow",
    unlimited: "onbeperkt",
    summary_note: "gemiddelde over replicaties, hele periode",
    funding_title: "Bekostiging: wat elk model betaalt naast P×Q (€ mln, gemiddelde over replicaties; verschil = model − P×Q, per replicatie gepaard, 95%-interval)",
    funding_model: "model",
    funding_paid: "model",
    surplus: "verschil",
    whole_horizon: "hele periode",
    services_over_norm: "Diensten boven de norm",
    flag_rule: "meer dan {} van de opnames te laat",
    none_flagged: "geen",
    highest: "hoogste",
    longest_wait: "langste wachttijd",
};

/// English labels.
pub const EN: Labels = Labels {
    html_lang: "en",
    report: "Report",
    sweep_report: "Comparison of strategies",
    key_numbers: "Key numbers",
    charts: "Charts",
    contents: "Contents",
    of_admissions: "of admissions into care",
    tables: "Tables",
    replications: "replications",
    seed: "seed",
    horizon: "horizon",
    date: "date",
    year: "year",
    days: "days",
    youths: "youths",
    youths_per_period: "youths per period",
    euro_m: "€ M",
    band_90: "90% band (p05–p95)",
    ci_95: "95% confidence interval",
    planned_step: "planned step",
    realised_step: "realised step (median, p05–p95)",
    time_to_care: "time to care (mean / p90, days)",
    norm: "norm",
    flows: "Arrivals, admissions and exits",
    cost_per_year: "Cost per year per segment (P×Q)",
    budget_vs_pxq: "Budget against P×Q",
    budget: "budget",
    pxq_mean: "P×Q (mean)",
    occupancy_title: "Occupancy and capacity",
    occupancy_unlimited: "Occupancy (capacity unlimited)",
    waiting_title: "Waiting list and wait",
    system: "all",
    segment: "segment",
    service: "service",
    peak_wait: "Peak mean wait",
    region: "region",
    mean: "mean",
    interval: "interval",
    strategy: "strategy",
    strategies: "strategies",
    kpis_title: "Key numbers per strategy (mean, 95% interval)",
    cost_fan_title: "Total cost per year per strategy",
    no_costs: "no tariffs in this scenario",
    lower_is_better: "lower is better",
    printed_from: "made with jeugdflow",
    unlimited: "unlimited",
    summary_note: "mean over replications, whole horizon",
    funding_title: "Funding: what each model pays beside P×Q (€ M, mean over replications; surplus = model − P×Q, paired per replication, 95% interval)",
    funding_model: "model",
    funding_paid: "model",
    surplus: "surplus",
    whole_horizon: "whole horizon",
    services_over_norm: "Services over the norm",
    flag_rule: "more than {} of admissions late",
    none_flagged: "none",
    highest: "highest",
    longest_wait: "longest wait",
};

/// `s` with its first letter in capitals: a measure's name as a heading (`Kosten`).
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const MONTHS_NL: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Lang {
    /// The labels of this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// `x` with `decimals` decimals and thousands separators (`12.345,6` in Dutch,
    /// `12,345.6` in English); `–` when undefined.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let (thousands, point) = match self {
            Lang::Nl => ('.', ','),
            Lang::En => (',', '.'),
        };
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(thousands);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        let zero = s.chars().all(|c| c == '0' || c == '.');
        if x < 0.0 && !zero {
            out.insert(0, '-');
        }
        out
    }

    /// A metric's short name (no unit), from the table of measures.
    pub fn metric_name(self, m: Metric) -> &'static str {
        self.words(m.measure()).name
    }

    /// Euros in millions: `€ 12,3 mln` / `€12.3 M`.
    pub fn euro_m(self, x: f64) -> String {
        let m = self.number(x / 1e6, 1);
        match self {
            Lang::Nl => format!("€ {m} mln"),
            Lang::En => format!("€{m} M"),
        }
    }

    /// A share as a percentage with one decimal.
    pub fn percent(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        format!("{}%", self.number(x * 100.0, 1))
    }

    /// `mrt 2025` / `Mar 2025`.
    pub fn month_year(self, d: Date) -> String {
        let m = (d.month() - 1) as usize;
        let name = match self {
            Lang::Nl => MONTHS_NL[m],
            Lang::En => MONTHS_EN[m],
        };
        format!("{name} {}", d.year())
    }

    /// `8 mrt` / `8 Mar`.
    pub fn day_month(self, d: Date) -> String {
        let m = (d.month() - 1) as usize;
        let name = match self {
            Lang::Nl => MONTHS_NL[m],
            Lang::En => MONTHS_EN[m],
        };
        format!("{} {name}", d.day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::Nl.number(12345.678, 1), "12.345,7");
        assert_eq!(Lang::En.number(12345.678, 1), "12,345.7");
        assert_eq!(Lang::En.number(-1234.0, 0), "-1,234");
        assert_eq!(Lang::En.number(-0.01, 1), "0.0");
        assert_eq!(Lang::Nl.number(999.0, 0), "999");
        assert_eq!(Lang::Nl.number(f64::NAN, 0), "–");
        assert_eq!(Lang::Nl.euro_m(12_345_678.0), "€ 12,3 mln");
        assert_eq!(Lang::En.euro_m(12_345_678.0), "€12.3 M");
        assert_eq!(Lang::En.percent(0.1234), "12.3%");
        let d = jiff::civil::date(2025, 3, 8);
        assert_eq!(Lang::Nl.month_year(d), "mrt 2025");
        assert_eq!(Lang::En.day_month(d), "8 Mar");
    }
}
