//! The words of the comparison of strategies (its page and charts), in Dutch and English,
//! and how a measure's words and values are shown: every KPI and metric has a label with
//! its unit in the table of measures ([`crate::measure`]), so no raw CSV name reaches a
//! reader.

use super::Lang;
use crate::measure::{Format, Group, Kpi, Measure, Metric, Words};

/// The words of the comparison page and its charts, in one language.
#[derive(Debug)]
pub struct CompareWords {
    pub key_title: &'static str,
    pub key_caption: &'static str,
    pub number: &'static str,
    pub colour_note: &'static str,
    pub glance_title: &'static str,
    pub glance_caption: &'static str,
    pub places_mean: &'static str,
    pub places_end: &'static str,
    pub saving_cum: &'static str,
    pub baseline: &'static str,
    pub tradeoff_title: &'static str,
    pub tradeoff_chart: &'static str,
    pub tradeoff_note: &'static str,
    pub dominated: &'static str,
    pub not_dominated_are: &'static str,
    pub dominated_are: &'static str,
    pub dominated_none: &'static str,
    pub paths_title: &'static str,
    pub paths_note: &'static str,
    pub places_chart: &'static str,
    pub waiting_chart: &'static str,
    pub ooh_cost_chart: &'static str,
    pub wait_panel: &'static str,
    pub over_norm_panel: &'static str,
    pub per_period: &'static str,
    pub cost_panel: &'static str,
    pub places: &'static str,
    pub youths: &'static str,
    pub days: &'static str,
    pub percent_admissions: &'static str,
    pub days_per_interval: &'static str,
    pub euro_m: &'static str,
    pub saving_axis: &'static str,
    pub limit: &'static str,
    pub ci: &'static str,
    pub no_paths: &'static str,
    pub kpi_tables_title: &'static str,
    pub kpi_caption: &'static str,
    pub kpi_chart: &'static str,
    pub risk_title: &'static str,
    pub risk_explain: &'static str,
    pub reports: &'static str,
}

const NL: CompareWords = CompareWords {
    key_title: "Strategieën",
    key_caption: "Elke strategie houdt haar kleur en nummer in alle grafieken en tabellen",
    number: "nr.",
    colour_note: "kleur",
    glance_title: "In één oogopslag",
    glance_caption: "Per strategie, hele periode: gemiddelde over replicaties, daaronder het 95%-interval",
    places_mean: "residentiële plaatsen, gemiddeld over de periode",
    places_end: "residentiële plaatsen aan het eind",
    saving_cum: "besparing t.o.v. de basis, cumulatief (€ mln)",
    baseline: "basis",
    tradeoff_title: "Afweging: besparing tegenover wachten en uithuisplaatsing",
    tradeoff_chart: "Besparing tegenover wachten en uithuisplaatsing",
    tradeoff_note: "Elke stip is een strategie met haar 95%-interval in beide richtingen. Rechts is goedkoper, lager is beter. Een open rondje is gedomineerd: een andere strategie bespaart minstens evenveel én scoort minstens even goed (op de gemiddelden).",
    dominated: "open rondje = gedomineerd",
    not_dominated_are: "Niet gedomineerd (besparing tegenover boven de norm)",
    dominated_are: "gedomineerd",
    dominated_none: "geen strategie is gedomineerd",
    paths_title: "Verloop in de tijd",
    paths_note: "Lijnen zijn gemiddelden over replicaties, banden hun 95%-interval. Residentiële plaatsen: plaatsen in instellingen (groepen, behandelgroepen, gesloten en besloten zorg, crisisopvang: setting residential of crisis) met een capaciteit, niet pleegzorg en gezinshuizen (setting family); de band van die som is ruim genomen (de som van de intervallen).",
    places_chart: "Residentiële plaatsen per strategie",
    waiting_chart: "Wachten per strategie",
    ooh_cost_chart: "Uithuisplaatsing en kosten per strategie",
    wait_panel: "Gemiddelde wachttijd van opgenomen jeugdigen",
    over_norm_panel: "Opnames boven de norm",
    per_period: "per periode",
    cost_panel: "Kosten per jaar (P×Q)",
    places: "plaatsen",
    youths: "jeugdigen",
    days: "dagen",
    percent_admissions: "% van de opnames",
    days_per_interval: "dagen",
    euro_m: "€ mln",
    saving_axis: "besparing t.o.v. de basis, cumulatief (€ mln)",
    limit: "risicogrens",
    ci: "95%-interval",
    no_paths: "Geen tijdpaden: deze uitvoermappen hebben geen paths.csv (gemaakt met een oudere versie).",
    kpi_tables_title: "Kerncijfers per onderwerp",
    kpi_caption: "gemiddelde over replicaties, daaronder het 95%-interval; hele periode",
    kpi_chart: "Kerncijfers per strategie (gemiddelde, 95%-interval)",
    risk_title: "Risico",
    risk_explain: "Kans op wachten boven de norm: het aandeel replicaties waarin in minstens één kalenderjaar meer dan de risicogrens (risk_over_norm_share, standaard 5%) van de opnames in de regio langer wacht dan de norm. Kans op budgetoverschrijding: het aandeel replicaties waarin de P×Q-kosten van de regio in minstens één jaar boven het budget uitkomen (wat de bekostigingsmodellen betalen als er een lumpsum is, anders [report] budget; leeg als geen van beide is gegeven). Spijt: per replicatie de kosten van de strategie min die van de goedkoopste strategie die in die replicatie de norm haalt (in geen enkel jaar boven de risicogrens), gemiddeld; negatief betekent goedkoper doordat de norm niet gehaald werd. Het interval van een kans is het Wilson-interval.",
    reports: "Rapport per strategie",
};

const EN: CompareWords = CompareWords {
    key_title: "Strategies",
    key_caption: "Each strategy keeps its colour and number in every chart and table",
    number: "no.",
    colour_note: "colour",
    glance_title: "At a glance",
    glance_caption: "Per strategy, whole horizon: mean over replications, its 95% interval below",
    places_mean: "residential places, mean over the horizon",
    places_end: "residential places at the end",
    saving_cum: "saving against the baseline, cumulative (€ M)",
    baseline: "baseline",
    tradeoff_title: "Trade-off: saving against waiting and out-of-home care",
    tradeoff_chart: "Saving against waiting and out-of-home care",
    tradeoff_note: "Each dot is a strategy with its 95% interval in both directions. Right is cheaper, lower is better. A hollow dot is dominated: another strategy saves at least as much and does at least as well (on the means).",
    dominated: "hollow dot = dominated",
    not_dominated_are: "Not dominated (saving against over the norm)",
    dominated_are: "dominated",
    dominated_none: "no strategy is dominated",
    paths_title: "Over time",
    paths_note: "Lines are means over replications, bands their 95% interval. Residential places: institutional places (groups, treatment groups, secure care, crisis units: setting residential or crisis) with a capacity, not foster care and family homes (setting family); the band of that sum is generous (the sum of the intervals).",
    places_chart: "Residential places per strategy",
    waiting_chart: "Waiting per strategy",
    ooh_cost_chart: "Out-of-home care and cost per strategy",
    wait_panel: "Mean wait of youths admitted",
    over_norm_panel: "Admissions over the norm",
    per_period: "per period",
    cost_panel: "Cost per year (P×Q)",
    places: "places",
    youths: "youths",
    days: "days",
    percent_admissions: "% of admissions",
    days_per_interval: "days",
    euro_m: "€ M",
    saving_axis: "saving against the baseline, cumulative (€ M)",
    limit: "risk limit",
    ci: "95% interval",
    no_paths: "No time paths: these output folders have no paths.csv (made by an older version).",
    kpi_tables_title: "Key numbers by subject",
    kpi_caption: "mean over replications, its 95% interval below; whole horizon",
    kpi_chart: "Key numbers per strategy (mean, 95% interval)",
    risk_title: "Risk",
    risk_explain: "Risk of waits over the norm: the share of replications in which, in at least one calendar year, more than the risk limit (risk_over_norm_share, default 5%) of the region's admissions wait beyond their norm. Risk of a budget overrun: the share of replications in which the region's P×Q cost exceeds its budget in at least one year (what the funding models pay where a lump sum is set, else [report] budget; empty when neither is given). Regret: per replication, the strategy's cost minus that of the cheapest strategy that meets the norm in that replication (no year over the risk limit), averaged; negative means cheaper because the norm was missed. The interval of a risk is Wilson's.",
    reports: "Report per strategy",
};

impl Lang {
    /// The words of the comparison of strategies.
    pub fn compare(self) -> &'static CompareWords {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// A measure's words in this language (from the table of measures).
    pub fn words(self, m: &'static Measure) -> &'static Words {
        match self {
            Lang::Nl => &m.nl,
            Lang::En => &m.en,
        }
    }

    /// A metric's name with its unit, as a reader sees it.
    pub fn metric_label(self, m: Metric) -> &'static str {
        self.words(m.measure()).label
    }

    /// A KPI's name with its unit.
    pub fn kpi_label(self, k: Kpi) -> &'static str {
        self.words(k.measure()).label
    }

    /// A group of KPIs.
    pub fn group_label(self, g: Group) -> &'static str {
        let (nl, en) = match g {
            Group::Wait => ("Wachten", "Waiting"),
            Group::OutOfHome => ("Uithuisplaatsing", "Out-of-home care"),
            Group::Flow => ("Stroom en verandering", "Flow and change"),
            Group::Cost => ("Kosten", "Cost"),
            Group::Risk => ("Risico", "Risk"),
        };
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// A value in a format: counts whole, one decimal for a mean count, days with a
    /// decimal below 100, shares as a percentage, euros of a region in millions (as the
    /// labels say), a youth's euros whole.
    pub fn unit_value(self, format: Format, x: f64) -> String {
        match format {
            Format::Count => self.number(x, 0),
            Format::Decimal => self.number(x, 1),
            Format::Days => self.number(x, if x.abs() < 100.0 { 1 } else { 0 }),
            Format::Share => self.percent(x),
            Format::Euros => self.number(x / 1e6, 1),
            Format::EurosEach => self.number(x, 0),
        }
    }

    /// A KPI's value, as [`Lang::unit_value`] writes its format.
    pub fn kpi_value(self, k: Kpi, x: f64) -> String {
        self.unit_value(k.format(), x)
    }

    /// A metric's value, as [`Lang::unit_value`] writes its format.
    pub fn metric_value(self, m: Metric, x: f64) -> String {
        self.unit_value(m.measure().format, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::KPIS;

    #[test]
    fn every_kpi_has_a_label_that_is_not_its_csv_name() {
        for lang in [Lang::Nl, Lang::En] {
            for k in KPIS {
                let l = lang.kpi_label(k);
                assert!(!l.contains('_'), "{l}");
                assert_ne!(l, k.name());
            }
        }
        assert_eq!(Lang::Nl.kpi_value(Kpi::Clients, 2000.4), "2.000");
        assert_eq!(Lang::Nl.kpi_value(Kpi::WaitDaysMean, 23.45), "23,4");
        assert_eq!(Lang::En.kpi_value(Kpi::RiskWait, 0.25), "25.0%");
        assert_eq!(Lang::Nl.kpi_value(Kpi::Regret, -1.25e6), "-1,2");
    }
}
