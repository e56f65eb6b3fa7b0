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
    pub glance_title: &'static str,
    pub glance_money_caption: &'static str,
    pub glance_wait_caption: &'static str,
    pub institutional_end: &'static str,
    pub family_end: &'static str,
    pub from: &'static str,
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
    pub dip_note: &'static str,
    pub places_chart: &'static str,
    pub institutional_panel: &'static str,
    pub institutional_youths_panel: &'static str,
    pub family_panel: &'static str,
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
    pub future: &'static str,
    pub futures_title: &'static str,
    pub futures_caption: &'static str,
    pub robust_title: &'static str,
    pub robust_explain: &'static str,
    pub heat_caption: &'static str,
    pub within_limits: &'static str,
    pub outside_limits: &'static str,
    pub future_heading: &'static str,
    pub scope_title: &'static str,
    pub scope_explain: &'static str,
    pub scope_segments: &'static str,
    pub scope_until: &'static str,
    pub scope_gate: &'static str,
    pub scope_none: &'static str,
    pub scope_differs: &'static str,
    pub scope_same: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub axis_risk_limit: &'static str,
    pub axis_budget: &'static str,
}

const NL: CompareWords = CompareWords {
    key_title: "Strategieën",
    key_caption: "Elke strategie houdt haar kleur en nummer in alle grafieken en tabellen",
    number: "nr.",
    glance_title: "In één oogopslag",
    glance_money_caption: "Plaatsen en geld, hele periode: gemiddelde over replicaties, daaronder het 95%-interval",
    glance_wait_caption: "Wachten, uithuisplaatsing en risico, hele periode",
    institutional_end: "institutionele plaatsen aan het eind",
    family_end: "gezinsplekken aan het eind",
    from: "van",
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
    paths_note: "Lijnen zijn gemiddelden over replicaties, banden hun 95%-interval. Institutionele plaatsen: groepen, behandelgroepen, gesloten en besloten zorg en crisisopvang, met een capaciteit; gezinsplekken (pleeggezinnen, gezinshuizen) staan apart, zodat de afbouw van bedden als het pad te zien is dat hij is. De band van zo'n som is ruim genomen (de som van de intervallen).",
    dip_note: "Let op: een plotselinge daling van de wachttijd of van het aandeel boven de norm bij het begin van een inkooptransitie is geen betere zorg. In een transitie worden verwijzingen een tijd vastgehouden (de verwijsvertraging); wie nog niet is doorverwezen, telt niet mee als wachtende of als opname, tot de vertraging voorbij is.",
    places_chart: "Plaatsen per strategie",
    institutional_panel: "Institutionele plaatsen (groepen, behandelgroepen, gesloten, crisis)",
    institutional_youths_panel: "Jeugdigen in institutionele plaatsen",
    family_panel: "Gezinsplekken (pleegzorg, gezinshuizen)",
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
    risk_explain: "Twee soorten risico, geen van beide afgesteld op de basis zelf. Tegen niets doen, gepaard per replicatie (dezelfde jeugdigen): de kans dat de gemiddelde tijd tot zorg meer dan 7 dagen langer is dan bij niets doen, en de kans dat de kosten (P×Q plus afbouw) meer dan 1% hoger zijn. Tegen grenzen uit beleid: de kans op wachten boven de norm is het aandeel replicaties waarin in minstens één kalenderjaar meer opnames te laat zijn dan de risicogrens van het scenario (standaard 5%); de normen zelf zijn de treeknormen (4 weken tot intake, 10 weken tot behandeling; domeincijfers §2). De kans op budgetoverschrijding is het aandeel replicaties waarin de kosten in minstens één jaar boven het budget van de regio uitkomen (wat de bekostigingsmodellen betalen als er een lumpsum is, anders het budget dat het scenario opgeeft; leeg als geen van beide er is). Spijt: hoeveel besparing na schade de strategie achterblijft bij de beste strategie in dezelfde toekomst. Het interval van een kans is het Wilson-interval.",
    reports: "Rapport per strategie",
    future: "toekomst",
    futures_title: "Toekomsten",
    futures_caption: "Elke strategie loopt in elke toekomst, met dezelfde jeugdigen (gemeenschappelijke toevalsgetallen); in elke toekomst is niets doen de basis",
    robust_title: "Strategieën over toekomsten",
    robust_explain: "Een strategie moet het in meer dan één toekomst goed doen. Per toekomst meten we de besparing na schade: wat de strategie minder kost dan niets doen in die toekomst (P×Q en afbouw), min de zorg die zij niet levert doordat jeugdigen langer wachten — die is geen besparing en telt daarbovenop als schade. Spijt is hoeveel een strategie daarop achterblijft bij de beste strategie van die toekomst (0 voor de beste); de grootste spijt is de slechtste over alle toekomsten. Binnen de grenzen: de gemiddelde tijd tot zorg blijft binnen de treeknorm (4 + 10 weken = 98 dagen; domeincijfers §2) en het budget wordt in minstens 90% van de replicaties gehaald. Zo rekent ook de EMA Workbench (TU Delft) robuustheid: spijt ten opzichte van de beste per scenario, en het aandeel scenario's dat een drempel haalt.",
    heat_caption: "Spijt per strategie en toekomst (€ mln; donkerder is meer spijt), daaronder de besparing na schade en of de strategie binnen de grenzen blijft",
    within_limits: "✓ binnen de grenzen",
    outside_limits: "✗ buiten de grenzen",
    future_heading: "Toekomst",
    scope_title: "Reikwijdte van de strategieën",
    scope_explain: "Strategieën zijn alleen eerlijk te vergelijken als ze hetzelfde doen: dezelfde segmenten aanbesteden, op hetzelfde moment klaar, met of zonder go/no-go-stap. ⚑ markeert een strategie die daarin afwijkt van de meeste andere; haar resultaat zegt dan ook iets over die andere reikwijdte.",
    scope_segments: "segmenten in een inkooptransitie",
    scope_until: "klaar in",
    scope_gate: "go/no-go (gate)",
    scope_none: "geen",
    scope_differs: "⚑ wijkt af",
    scope_same: "zelfde reikwijdte",
    yes: "ja",
    no: "nee",
    axis_risk_limit: "risicogrens wachten (% opnames te laat per jaar)",
    axis_budget: "budget (€ mln per jaar, prijzen 2024)",
};

const EN: CompareWords = CompareWords {
    key_title: "Strategies",
    key_caption: "Each strategy keeps its colour and number in every chart and table",
    number: "no.",
    glance_title: "At a glance",
    glance_money_caption: "Places and money, whole horizon: mean over replications, its 95% interval below",
    glance_wait_caption: "Waiting, out-of-home care and risk, whole horizon",
    institutional_end: "institutional places at the end",
    family_end: "family-like places at the end",
    from: "from",
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
    paths_note: "Lines are means over replications, bands their 95% interval. Institutional places: groups, treatment groups, secure care and crisis units, with a capacity; family-like places (foster families, family homes) are apart, so the bed reduction shows as the path it is. The band of such a sum is generous (the sum of the intervals).",
    dip_note: "Note: a sudden drop of the wait or of the share over the norm when a procurement transition starts is not better care. In a transition, referrals are held back for a while (the referral delay); a youth not yet referred on counts neither as waiting nor as admitted until the delay is over.",
    places_chart: "Places per strategy",
    institutional_panel: "Institutional places (groups, treatment groups, secure, crisis)",
    institutional_youths_panel: "Youths in institutional places",
    family_panel: "Family-like places (foster care, family homes)",
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
    risk_explain: "Two kinds of risk, neither tuned to the baseline itself. Against doing nothing, paired per replication (the same youths): the risk that the mean time to care is more than 7 days longer than doing nothing, and the risk that the cost (P×Q plus stranded cost) is more than 1% higher. Against limits from policy: the risk of waits over the norm is the share of replications in which, in at least one calendar year, more admissions are late than the scenario's risk limit (5% unless set); the norms themselves are the treeknormen (4 weeks to intake, 10 weeks to treatment; domain figures §2). The risk of a budget overrun is the share of replications in which the cost exceeds the region's budget in at least one year (what the funding models pay where a lump sum is set, else the budget the scenario gives; empty when there is neither). Regret: how much saving net of harm the strategy falls short of the best strategy in the same future. The interval of a risk is Wilson's.",
    reports: "Report per strategy",
    future: "future",
    futures_title: "Futures",
    futures_caption: "Every strategy runs in every future, with the same youths (common random numbers); in each future, doing nothing is the baseline",
    robust_title: "Strategies across futures",
    robust_explain: "A strategy must do well in more than one future. In each future we measure the saving net of harm: what the strategy costs less than doing nothing in that future (P×Q and stranded cost), less the care it does not deliver because youths wait longer — which is no saving and counts once more as a harm. Regret is how much a strategy falls short of the best strategy of that future on it (0 for the best); the maximum regret is the worst over all futures. Within the limits: the mean time to care stays within the treeknorm (4 + 10 weeks = 98 days; domain figures §2) and the budget is met in at least 90% of replications. This is how the EMA Workbench (TU Delft) computes robustness: regret against the best per scenario, and the share of scenarios that meet a threshold.",
    heat_caption: "Regret per strategy and future (€ M; darker is more regret), with the saving net of harm below and whether the strategy stays within the limits",
    within_limits: "✓ within the limits",
    outside_limits: "✗ outside the limits",
    future_heading: "Future",
    scope_title: "Scope of the strategies",
    scope_explain: "Strategies compare fairly only when they do the same: procure the same segments, be done at the same time, with or without a go/no-go step. ⚑ marks a strategy whose scope differs from most others; its result then also says something about that other scope.",
    scope_segments: "segments in a procurement transition",
    scope_until: "done in",
    scope_gate: "go/no-go (gate)",
    scope_none: "none",
    scope_differs: "⚑ differs",
    scope_same: "same scope",
    yes: "yes",
    no: "no",
    axis_risk_limit: "wait risk limit (% of admissions late in a year)",
    axis_budget: "budget (€ M a year, 2024 prices)",
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
