//! The table of measures: one row per measure, in output order, then the KPIs of a
//! comparison in the order of `sweep.csv`. To add a measure, add its row here (and, for a
//! KPI, its line in `kpis!`); ARCHITECTURE.md ("Adding a measure") lists the other files.

use super::Better::{Higher, Lower, Neither};
use super::Format::{Count, Days, Decimal, Euros, EurosEach, Share};
use super::Level::{Region, Segment, Service};
use super::{Group, Measure, Unit, Words};

/// Defines [`Metric`] (one variant per row, in the rows' order) and its rows.
macro_rules! metrics {
    ($($variant:ident => $row:expr;)*) => {
        /// A measure recorded per level and period in every replication. The order here
        /// is the order of rows in the outputs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $($variant,)*
        }

        impl Metric {
            /// All metrics, in output order.
            pub const ALL: [Metric; [$(Metric::$variant),*].len()] = [$(Metric::$variant),*];
        }

        /// The rows of the metrics, in [`Metric`] order.
        pub(super) static METRICS: [Measure; Metric::ALL.len()] = [$($row,)*];
    };
}

/// Defines [`Kpi`] (one variant per KPI, in the order of `sweep.csv`) and [`KPIS`].
macro_rules! kpis {
    ($($variant:ident => $row:expr,)*) => {
        /// One KPI of a comparison: a metric of the region over the whole window, or a
        /// risk measure.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Kpi {
            $($variant,)*
        }

        /// The KPIs, in the order of `sweep.csv`, `differences.csv` and `replications.csv`.
        pub const KPIS: [Kpi; [$(Kpi::$variant),*].len()] = [$(Kpi::$variant),*];

        impl Kpi {
            /// Its row of the table.
            pub fn measure(self) -> &'static Measure {
                match self {
                    $(Kpi::$variant => $row,)*
                }
            }
        }
    };
}

/// A row's words.
const fn w(name: &'static str, label: &'static str, description: &'static str) -> Words {
    Words {
        name,
        label,
        description,
    }
}

metrics! {
    Arrivals => Measure {
        name: "arrivals", unit: Unit::Youths, level: Service, better: Neither, group: None,
        format: Count, key_number: false,
        nl: w("instroom", "instroom (jeugdigen)",
            "Verwijzingen die in de periode binnenkomen. Bij een voorziening: elke verwijzing \
             (een omgeleide, uitgeweken of in een gezinsplek geplaatste jeugdige komt ook \
             binnen bij de voorziening waar hij geplaatst wordt); bij een segment: \
             verwijzingen van buiten het segment; bij totaal: nieuwe verwijzingen van buiten \
             de zorg, elk één keer."),
        en: w("arrivals", "arrivals (youths)",
            "referrals arriving in the period. At a service: every referral (a diverted, \
             overflowed or matched youth also arrives at the service it is placed in); at a \
             segment: referrals from outside the segment; at `all`: new referrals from \
             outside care, each once"),
    };
    Admissions => Measure {
        name: "admissions", unit: Unit::Youths, level: Service, better: Neither, group: None,
        format: Count, key_number: false,
        nl: w("opnames", "opnames",
            "Opnames in de periode, geteld zoals de instroom (een overplaatsing tussen twee \
             voorzieningen van één segment is een opname bij de tweede voorziening, niet bij \
             het segment)."),
        en: w("admissions", "admissions",
            "admissions in the period, counted like arrivals (a transfer between two services \
             of one segment is an admission of the second service, not of the segment)"),
    };
    Discharges => Measure {
        name: "discharges", unit: Unit::Youths, level: Service, better: Neither, group: None,
        format: Count, key_number: false,
        nl: w("uitstroom", "uitstroom",
            "Verblijven die in de periode eindigen: bij een segment die het segment verlaten, \
             bij totaal die de zorg verlaten."),
        en: w("discharges", "discharges",
            "stays ended in the period: at a segment, those leaving the segment; at `all`, \
             those leaving care"),
    };
    Clients => Measure {
        name: "clients", unit: Unit::Youths, level: Service, better: Neither,
        group: Some(Group::Flow), format: Count, key_number: false,
        nl: w("cliënten", "cliënten (jeugdigen)",
            "Verschillende jeugdigen die ergens in de periode in zorg zijn (het \
             \"#cliënten\" van de gemeentelijke tabellen)."),
        en: w("clients", "clients (youths)",
            "distinct youths in care at any time in the period (the seed's \"#cliënten\")"),
    };
    OccupancyMean => Measure {
        name: "occupancy_mean", unit: Unit::Youths, level: Service, better: Neither,
        group: Some(Group::Flow), format: Decimal, key_number: false,
        nl: w("bezetting", "bezetting (gem., jeugdigen)",
            "Het gemiddelde aantal jeugdigen in zorg over de tijd."),
        en: w("occupancy", "occupancy (mean, youths)",
            "time-average number of youths in care"),
    };
    CapacityMean => Measure {
        name: "capacity_mean", unit: Unit::Places, level: Service, better: Neither,
        group: None, format: Decimal, key_number: false,
        nl: w("capaciteit", "capaciteit (gem., plaatsen)",
            "Het gemiddelde aantal plaatsen over de tijd (leeg als een voorziening van het \
             niveau onbeperkt is)."),
        en: w("capacity", "capacity (mean, places)",
            "time-average places (empty when a service in the level is unlimited)"),
    };
    Utilisation => Measure {
        name: "utilisation", unit: Unit::Share, level: Service, better: Neither, group: None,
        format: Share, key_number: false,
        nl: w("benutting", "benutting (%)", "Gemiddelde bezetting gedeeld door gemiddelde capaciteit."),
        en: w("utilisation", "utilisation (%)", "`occupancy_mean / capacity_mean`"),
    };
    WaitingMean => Measure {
        name: "waiting_mean", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Wait), format: Decimal, key_number: false,
        nl: w("wachtlijst", "wachtlijst (gem., jeugdigen)",
            "Het gemiddelde aantal jeugdigen op wachtlijsten over de tijd."),
        en: w("waiting list", "waiting list (mean, youths)",
            "time-average number of youths on waiting lists"),
    };
    WaitingEnd => Measure {
        name: "waiting_end", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Wait), format: Count, key_number: true,
        nl: w("wachtend aan het eind", "wachtend aan het eind",
            "Jeugdigen die aan het eind van de periode wachten."),
        en: w("waiting at the end", "waiting at the end",
            "youths waiting at the end of the period"),
    };
    WaitDaysMean => Measure {
        name: "wait_days_mean", unit: Unit::Days, level: Service, better: Lower,
        group: Some(Group::Wait), format: Days, key_number: true,
        nl: w("gem. wachttijd", "gem. wachttijd (dagen)",
            "Gemiddelde wachttijd in dagen van de opnames die het niveau in de periode telt."),
        en: w("mean wait", "mean wait (days)",
            "mean wait (days) of the admissions the level counts in the period"),
    };
    WaitDaysP90 => Measure {
        name: "wait_days_p90", unit: Unit::Days, level: Service, better: Lower,
        group: Some(Group::Wait), format: Days, key_number: false,
        nl: w("wachttijd p90", "wachttijd p90 (dagen)",
            "Het 90e percentiel van die wachttijden (uit een histogram met klassen van \
             hoogstens 3,1% breed)."),
        en: w("wait p90", "wait p90 (days)",
            "90th percentile of those waits (from a histogram with bins at most 3.1% wide)"),
    };
    TimeToCareDaysMean => Measure {
        name: "time_to_care_days_mean", unit: Unit::Days, level: Segment, better: Lower,
        group: Some(Group::Wait), format: Days, key_number: false,
        nl: w("tijd tot zorg, gem.", "tijd tot zorg, gem. (dagen)",
            "Dagen van de verwijzing naar het segment (of naar de zorg) tot het begin van de \
             eerste voorziening die geen beoordeling is — wachttijden, verwijsvertraging en \
             beoordelingen meegeteld — van de trajecten waarvan de zorg in de periode begon \
             en, in de laatste periode (en dus het hele venster), van de trajecten die aan \
             het eind van de horizon nog open zijn, met hun tijd tot nu plus een schatting \
             van de tijd die nog komt (zie time_to_care_estimated_share); het gemiddelde. \
             Een traject telt in het segment van de voorziening waarnaar de \
             jeugdige verwezen werd, waar hij ook geplaatst wordt (omgeleid, uitgeweken, of \
             in een gezinsplek voor een verwijzing naar een groep)."),
        en: w("time to care, mean", "time to care, mean (days)",
            "days from the referral into the segment (or into care) to the start of the first \
             service that is not an `assessment` — waits, referral delays and assessment \
             steps included — of the pathways whose care started in the period and, in the \
             last period (and so the whole window), of those still open at the horizon, with \
             their time so far plus an estimate of the time still ahead (see \
             `time_to_care_estimated_share`): their mean. A pathway counts in the segment of the service the youth was referred to, \
             wherever it is placed: a diversion, an overflow (a JeugdzorgPlus referral placed \
             elsewhere counts in bovenregionaal) or a family place matched to a referral for \
             a group"),
    };
    TimeToCareDaysP90 => Measure {
        name: "time_to_care_days_p90", unit: Unit::Days, level: Segment, better: Lower,
        group: Some(Group::Wait), format: Days, key_number: false,
        nl: w("tijd tot zorg p90", "tijd tot zorg p90 (dagen)",
            "Het 90e percentiel van de tijd tot zorg van dezelfde trajecten (uit hetzelfde \
             histogram als de wachttijden)."),
        en: w("time to care p90", "time to care p90 (days)",
            "90th percentile of the same pathways' time to care (from the same histogram as \
             waits)"),
    };
    TimeToCareEstimatedShare => Measure {
        name: "time_to_care_estimated_share", unit: Unit::Share, level: Segment,
        better: Neither, group: None, format: Share, key_number: false,
        nl: w("tijd tot zorg geschat", "tijd tot zorg geschat (% trajecten)",
            "Het aandeel van de trajecten in de tijd tot zorg dat aan het eind van de horizon \
             nog open is (wachtend, in verwijsvertraging of in een beoordeling) en dus telt \
             met een geschatte tijd tot zorg: de tijd tot nu plus de verwachte tijd die nog \
             komt — de eigen plaats op de wachtlijst gedeeld door de opnames en het afhaken \
             van het laatste jaar van de voorziening, dan de resterende verwijsvertraging, \
             beoordeling en de wachttijd bij de volgende voorziening. Boven 0 alleen in de \
             laatste periode en het hele venster."),
        en: w("time to care estimated", "time to care estimated (% pathways)",
            "the share of the pathways in `time_to_care_days_mean` still open at the horizon \
             (waiting, in a referral delay or in an assessment), which count with an \
             estimated time to care: their time so far plus the expected time still ahead — \
             their place on the waiting list over the admissions and giving up of the \
             service's last year, then what is left of a referral delay or an assessment and \
             the wait at the next service. Above 0 only in the last period and the whole \
             window"),
    };
    TimeToCareLowerBound => Measure {
        name: "time_to_care_lower_bound", unit: Unit::Youths, level: Segment,
        better: Neither, group: None, format: Count, key_number: false,
        nl: w("tijd tot zorg ondergrens", "tijd tot zorg ondergrens (trajecten)",
            "Trajecten die aan het eind van de horizon open zijn en waarvan de tijd die nog \
             komt onbekend is, omdat een voorziening op hun weg in haar laatste jaar niemand \
             opnam: ze tellen in de tijd tot zorg met hun tijd tot nu, een ondergrens."),
        en: w("time to care lower bounds", "time to care lower bounds (pathways)",
            "pathways open at the horizon whose time still ahead is unknown, because a \
             service on their way admitted nobody in its last year: they count in the time \
             to care with their time so far, a lower bound"),
    };
    OverNormShare => Measure {
        name: "over_norm_share", unit: Unit::Share, level: Service, better: Lower,
        group: Some(Group::Wait), format: Share, key_number: true,
        nl: w("boven de norm", "boven de norm (% opnames)",
            "Bij een voorziening: het aandeel opnames dat langer wachtte dan de norm \
             (queue.norm); wie afhaakte of uitweek telt als te laat. Bij een segment en \
             totaal: het aandeel trajecten (die binnenkomen bij een voorziening met een norm) \
             dat de norm brak — norm_intake/norm_treatment of norm op de tijd tot zorg — of \
             eindigde in afhaken of uitwijken. Leeg zonder norm."),
        en: w("over the norm", "over the norm (% of admissions)",
            "at a service: share of its admissions that waited longer than its `queue.norm`, \
             youths who gave up waiting or overflowed there counting as over. At a segment \
             and `all`: share of pathways (entering at a service with a norm) that broke \
             their norm — `norm_intake`/`norm_treatment` or `norm` on the time to care — or \
             ended by giving up or overflowing (an out-of-region place). Empty without a norm"),
    };
    OutOfHomeDays => Measure {
        name: "out_of_home_days", unit: Unit::Days, level: Service, better: Lower,
        group: Some(Group::OutOfHome), format: Days, key_number: true,
        nl: w("dagen uithuisplaatsing", "dagen uithuisplaatsing",
            "Dagen in zorg bij voorzieningen met setting residential, family of crisis."),
        en: w("out-of-home days", "out-of-home days",
            "days spent in care in `residential`, `family` or `crisis` services"),
    };
    OohWaitDays => Measure {
        name: "ooh_wait_days", unit: Unit::Days, level: Service, better: Lower,
        group: Some(Group::OutOfHome), format: Days, key_number: false,
        nl: w("dagen wachten op uithuisplaatsing", "dagen wachten op uithuisplaatsing",
            "Dagen die jeugdigen wachten op een plek bij een voorziening met setting \
             residential, family of crisis waarvoor ze zijn verwezen: de meesten thuis \
             (wie intussen elders een plek houdt telt mee)."),
        en: w("days waiting for an out-of-home place", "days waiting for an out-of-home place",
            "days youths wait for a place they were referred to in a `residential`, `family` \
             or `crisis` service: most at home (those holding a place elsewhere meanwhile \
             count too)"),
    };
    BlockedDays => Measure {
        name: "blocked_days", unit: Unit::Days, level: Service, better: Lower,
        group: Some(Group::OutOfHome), format: Days, key_number: false,
        nl: w("dagen bed bezet in afwachting", "dagen bed bezet in afwachting",
            "Dagen dat jeugdigen na hun verblijf een plaats bezet hielden, wachtend op de \
             volgende voorziening."),
        en: w("bed days blocked", "bed days blocked",
            "days that youths kept a place after their stay, waiting for the next service \
             (bed blocking)"),
    };
    Reneged => Measure {
        name: "reneged", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Wait), format: Count, key_number: false,
        nl: w("afgehaakt", "afgehaakt (jeugdigen)",
            "Jeugdigen die hier het wachten opgaven (queue.patience)."),
        en: w("gave up", "gave up waiting (youths)",
            "youths who gave up waiting here (`queue.patience`)"),
    };
    Diverted => Measure {
        name: "diverted", unit: Unit::Youths, level: Service, better: Neither, group: None,
        format: Count, key_number: false,
        nl: w("omgeleid", "omgeleid (jeugdigen)",
            "Verwijzingen naar deze voorziening die naar haar divert-alternatief gingen."),
        en: w("diverted", "diverted (youths)",
            "referrals to this service sent to its `divert` alternative"),
    };
    DivertedPlaced => Measure {
        name: "diverted_placed", unit: Unit::Youths, level: Service, better: Neither,
        group: None, format: Count, key_number: false,
        nl: w("omgeleid, later toch geplaatst", "omgeleid, later toch geplaatst (jeugdigen)",
            "Omgeleide jeugdigen die toch hier geplaatst werden (divert.placed_later); ze \
             tellen hier als instroom en opname."),
        en: w("diverted, placed later", "diverted, placed later (youths)",
            "diverted youths placed at this service after all (`divert.placed_later`); they \
             count as arrivals and admissions here"),
    };
    Matched => Measure {
        name: "matched", unit: Unit::Youths, level: Service, better: Neither, group: None,
        format: Count, key_number: false,
        nl: w("in een gezinsplek geplaatst", "in een gezinsplek geplaatst (jeugdigen)",
            "Jeugdigen verwezen naar deze voorziening (een groep) die in een gezinsplek \
             (match_to) geplaatst werden, bij de verwijzing of vanaf de wachtlijst."),
        en: w("placed in a family place", "placed in a family place (youths)",
            "youths referred to this service placed in a family place instead (`match_to`), \
             at referral or from its list"),
    };
    Overflowed => Measure {
        name: "overflowed", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::OutOfHome), format: Count, key_number: false,
        nl: w("uitgeweken", "uitgeweken (jeugdigen)",
            "Verwijzingen die naar overflow_to gingen omdat deze voorziening vol was."),
        en: w("overflowed", "overflowed (youths)",
            "referrals sent to `overflow_to` because this service was full"),
    };
    SecureCareBreaches => Measure {
        name: "secure_care_breaches", unit: Unit::Youths, level: Service, better: Lower,
        group: None, format: Count, key_number: false,
        nl: w("wachtend op gesloten zorg", "wachtend op gesloten zorg (jeugdigen)",
            "Jeugdigen die gesloten of besloten zorg nodig hadden en erop moesten wachten: op \
             de wachtlijst van een voorziening met secure = true (elk een overschrijding op \
             zich)."),
        en: w("waiting for secure care", "waiting for secure care (youths)",
            "youths who needed secure care and had to wait for it: joined the waiting list \
             of a `secure` service (each a breach of its own)"),
    };
    Reentries => Measure {
        name: "reentries", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Flow), format: Count, key_number: false,
        nl: w("terug in zorg", "terug in zorg",
            "Jeugdigen die bij deze voorziening in zorg terugkomen (reentry van de \
             voorziening die ze verlieten, of comeback van de wachtlijst die ze opgaven)."),
        en: w("re-entries", "re-entries",
            "youths returning to care at this service (`reentry` of the service they left, \
             or `queue.comeback` of the list they gave up on)"),
    };
    AgedOut => Measure {
        name: "aged_out", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Flow), format: Count, key_number: false,
        nl: w("18 geworden", "18 geworden",
            "Jeugdigen wier zorg hier eindigde op de leeftijdsgrens (at_18, max_age)."),
        en: w("aged out", "aged out",
            "youths whose care here ended at the age limit (`at_18`, `max_age`)"),
    };
    Moves => Measure {
        name: "moves", unit: Unit::Moves, level: Service, better: Lower, group: None,
        format: Count, key_number: false,
        nl: w("overplaatsingen", "overplaatsingen",
            "Plaatsingen die hier afbraken (breakdown)."),
        en: w("moves", "moves", "placement breakdowns here (`breakdown`)"),
    };
    EpisodeMovesMean => Measure {
        name: "moves_per_episode_mean", unit: Unit::Moves, level: Region, better: Lower,
        group: None, format: Decimal, key_number: false,
        nl: w("overplaatsingen per traject, gem.", "overplaatsingen per traject (gem.)",
            "Per zorgtraject met een verblijf uit huis dat in de periode eindigde (de \
             jeugdige verliet de zorg): het gemiddelde aantal overplaatsingen erin."),
        en: w("moves per episode, mean", "moves per episode (mean)",
            "per care episode that included an out-of-home stay and ended in the period \
             (left care): breakdown moves during it, the mean"),
    };
    EpisodeMovesP90 => Measure {
        name: "moves_per_episode_p90", unit: Unit::Moves, level: Region, better: Lower,
        group: None, format: Count, key_number: false,
        nl: w("overplaatsingen per traject, p90", "overplaatsingen per traject (p90)",
            "Het 90e percentiel van de overplaatsingen per zo'n traject."),
        en: w("moves per episode, p90", "moves per episode (p90)",
            "the 90th percentile of the breakdown moves of those episodes"),
    };
    EpisodeOohDaysMean => Measure {
        name: "out_of_home_days_per_episode_mean", unit: Unit::Days, level: Region,
        better: Lower, group: None, format: Days, key_number: false,
        nl: w("dagen uithuis per traject, gem.", "dagen uithuis per traject (gem.)",
            "De dagen uit huis van dezelfde trajecten, gemiddeld. Dagen van voor de start \
             zijn niet bekend: trajecten van jeugdigen die bij de start in zorg zijn tellen \
             vanaf de start (vroege jaren zijn te laag)."),
        en: w("out-of-home days per episode, mean", "out-of-home days per episode (mean)",
            "the same episodes' days out of home, their mean. Days before the start of the \
             run are not known, so episodes of youths in care at the start are counted from \
             the start (early years read low)"),
    };
    EpisodeOohDaysP90 => Measure {
        name: "out_of_home_days_per_episode_p90", unit: Unit::Days, level: Region,
        better: Lower, group: None, format: Days, key_number: false,
        nl: w("dagen uithuis per traject, p90", "dagen uithuis per traject (p90)",
            "Het 90e percentiel van de dagen uit huis van die trajecten."),
        en: w("out-of-home days per episode, p90", "out-of-home days per episode (p90)",
            "the 90th percentile of those episodes' days out of home"),
    };
    WaitingPeak => Measure {
        name: "waiting_peak", unit: Unit::Youths, level: Service, better: Lower,
        group: Some(Group::Wait), format: Count, key_number: false,
        nl: w("hoogste wachtlijst", "hoogste wachtlijst (jeugdigen)",
            "De langste wachtlijst in de periode."),
        en: w("peak waiting list", "peak waiting list (youths)",
            "the largest waiting list during the period"),
    };
    Fte => Measure {
        name: "fte", unit: Unit::Fte, level: Service, better: Neither, group: None,
        format: Decimal, key_number: false,
        nl: w("fte", "fte (gem.)",
            "Productieve fte, gemiddeld over de tijd (voorzieningen met personeel, en \
             segmenten en totaal die ze bevatten)."),
        en: w("FTE", "FTE (mean)",
            "time-average productive FTE (staffed services, and segments/`all` containing \
             them)"),
    };
    Hires => Measure {
        name: "hires", unit: Unit::Fte, level: Service, better: Neither, group: None,
        format: Decimal, key_number: false,
        nl: w("aangenomen fte", "aangenomen fte", "In de periode aangenomen fte."),
        en: w("FTE hired", "FTE hired", "FTE hired in the period"),
    };
    Families => Measure {
        name: "families", unit: Unit::Families, level: Service, better: Neither,
        group: None, format: Decimal, key_number: false,
        nl: w("pleeggezinnen", "pleeggezinnen (gem.)",
            "Actieve gezinnen van voorzieningen met recruit (en van segmenten en totaal die \
             ze bevatten), gemiddeld over de tijd; niet in fte."),
        en: w("families", "families (mean)",
            "time-average active families of recruiting services (`recruit`), and of \
             segments/`all` containing them; not in `fte`"),
    };
    Recruited => Measure {
        name: "recruited", unit: Unit::Families, level: Service, better: Neither,
        group: None, format: Decimal, key_number: false,
        nl: w("geworven gezinnen", "geworven gezinnen",
            "In de periode geworven gezinnen (actief na hun screening), bij voorzieningen \
             met recruit en segmenten en totaal die ze bevatten."),
        en: w("families recruited", "families recruited",
            "families recruited in the period (active after their lead time), at recruiting \
             services and segments/`all` containing them"),
    };
    MaxChangeLoad => Measure {
        name: "max_change_load", unit: Unit::Segments, level: Region, better: Lower,
        group: Some(Group::Flow), format: Count, key_number: false,
        nl: w("max. segmenten tegelijk in transitie", "max. segmenten tegelijk in transitie",
            "Het grootste aantal segmenten dat in één kwartaal van de periode tegelijk in een \
             inkooptransitie zit."),
        en: w("max. segments in transition at once", "max. segments in transition at once",
            "the most segments in a procurement transition in one quarter of the period"),
    };
    FamilyPlacesIdle => Measure {
        name: "family_places_idle", unit: Unit::Places, level: Region, better: Neither,
        group: None, format: Decimal, key_number: false,
        nl: w("lege gezinsplekken", "lege gezinsplekken (gem.)",
            "Plaatsen min jeugdigen in zorg, gemiddeld over de tijd, opgeteld over de \
             voorzieningen met setting family en een capaciteit: lege pleeggezinnen en \
             gezinshuisplekken."),
        en: w("idle family places", "idle family places (mean)",
            "time-average places minus youths in care, summed over the `family` services \
             with a capacity: idle foster and family-home places"),
    };
    Cost => Measure {
        name: "cost", unit: Unit::Euros, level: Service, better: Lower,
        group: Some(Group::Cost), format: Euros, key_number: false,
        nl: w("kosten", "kosten P×Q (€ mln)",
            "Euro's zorg in de periode onder P×Q: dagen in zorg × dagtarief (per dag, en per \
             uur × uren per week / 7) + opnames × per_admission + plaatsen × \
             per_place_per_year, geïndexeerd."),
        en: w("cost", "cost P×Q (€ M)",
            "euros of care in the period under P×Q: days in care × day tariff (per day, and \
             per hour × hours a week / 7) + admissions × `per_admission` + places × \
             `per_place_per_year`, indexed"),
    };
    CostCapacity => Measure {
        name: "cost_capacity", unit: Unit::Euros, level: Service, better: Lower, group: None,
        format: Euros, key_number: false,
        nl: w("kosten van alle plaatsen", "kosten van alle plaatsen (€ mln)",
            "Euro's als elke plaats betaald wordt, gebruikt of niet (lumpsum op capaciteit): \
             plaatsdagen × (dagtarief + vaste plaatskosten); voorzieningen zonder capaciteit \
             tellen tegen P×Q."),
        en: w("cost of all places", "cost of all places (€ M)",
            "euros if every place is paid for whether used or not (capacity-based lump sum): \
             place-days × (day tariff + fixed place cost); services without a capacity count \
             at P×Q"),
    };
    CostStranded => Measure {
        name: "cost_stranded", unit: Unit::Euros, level: Service, better: Lower,
        group: Some(Group::Cost), format: Euros, key_number: false,
        nl: w("kosten afbouw, leegstand", "kosten afbouw, leegstand (€ mln)",
            "Euro's van gesloten plaatsen in afbouw (tariff.closing: plaatsdagen × vast \
             aandeel × dagtarief) en van vrijgekomen personeel in omscholing (release: \
             fte-dagen × fte_cost_per_year / 365,25), geïndexeerd; bij de voorziening waar de \
             plaatsen sloten."),
        en: w("stranded cost of closing", "stranded cost of closing (€ M)",
            "euros of closed places winding down (`tariff.closing`: place-days × fixed share \
             × day tariff) and of freed staff retraining (`release`: FTE-days × \
             `fte_cost_per_year` / 365.25), indexed; at the service the places closed"),
    };
    CostTrajectory => Measure {
        name: "cost_trajectory", unit: Unit::Euros, level: Segment, better: Lower,
        group: None, format: Euros, key_number: false,
        nl: w("kosten in trajectprijzen", "kosten in trajectprijzen (€ mln)",
            "Euro's aan trajectprijzen voor wie een segment binnenkomt dat per traject \
             bekostigd wordt (leeg als geen segment dat is)."),
        en: w("cost in trajectory prices", "cost in trajectory prices (€ M)",
            "euros of trajectory prices for entries into segments funded by `trajectory` \
             (empty when no segment is)"),
    };
    Income => Measure {
        name: "income", unit: Unit::Euros, level: Segment, better: Neither, group: None,
        format: Euros, key_number: false,
        nl: w("inkomsten van buiten", "inkomsten van buiten (€ mln)",
            "Euro's die een segment van buiten de regio ontvangt ([[finance.income]]), \
             nominaal: het jaarbedrag midden in de periode × haar dagen / 365,25 (leeg \
             zonder)."),
        en: w("income from outside", "income from outside (€ M)",
            "euros received from outside (`[[finance.income]]`), nominal: the yearly amount \
             at mid-period × the period's days / 365.25 (empty without any)"),
    };
    CostTop10Share => Measure {
        name: "cost_top10_share", unit: Unit::Share, level: Region, better: Neither,
        group: None, format: Share, key_number: false,
        nl: w("aandeel duurste 10%", "aandeel duurste 10% (%)",
            "Per jeugdige en kalenderjaar zijn P×Q-kosten (al zijn trajecten en diensten \
             in dat jaar samen; een verblijf over de jaargrens gesplitst): het aandeel in het \
             totaal van de duurste 10% jeugdige-jaren. Een periode telt de jeugdige-jaren die \
             erin sluiten (aan het eind van het jaar, of als de jeugdige de zorg voorgoed \
             verlaat). In de standaard, 2024–2030: 37% (de Alkmaarse aanbieders uit de \
             bronnen noemen ~60% voor 10% van de cliënten; zie README)."),
        en: w("share of the costliest 10%", "share of the costliest 10% (%)",
            "per youth and calendar year, its P×Q cost (all the youth's episodes and \
             services in that year summed; a stay over the turn of a year split there): the \
             share of the total taken by the costliest 10% of youth-years. A period holds the \
             youth-years that close in it (at the year's end, or when the youth leaves care \
             for good). In the default, 2024–2030: 37% (the seed's Alkmaar providers say 10% \
             of clients take ~60%; see the README)"),
    };
    CostPerYouthP50 => Measure {
        name: "cost_per_youth_p50", unit: Unit::Euros, level: Region, better: Neither,
        group: None, format: EurosEach, key_number: false,
        nl: w("kosten per jeugdige, mediaan", "kosten per jeugdige, mediaan (€)",
            "De mediaan van de P×Q-kosten van die jeugdige-jaren."),
        en: w("cost per youth, median", "cost per youth, median (€)",
            "the median of those youth-years' P×Q cost"),
    };
    CostPerYouthP90 => Measure {
        name: "cost_per_youth_p90", unit: Unit::Euros, level: Region, better: Neither,
        group: None, format: EurosEach, key_number: false,
        nl: w("kosten per jeugdige, p90", "kosten per jeugdige, p90 (€)",
            "Het 90e percentiel van de P×Q-kosten van die jeugdige-jaren."),
        en: w("cost per youth, p90", "cost per youth, p90 (€)",
            "the 90th percentile of those youth-years' P×Q cost"),
    };
}

/// `risk_wait` (see `sweep::kpi`).
static RISK_WAIT: Measure = Measure {
    name: "risk_wait",
    unit: Unit::Share,
    level: Region,
    better: Lower,
    group: Some(Group::Risk),
    format: Share,
    key_number: false,
    nl: w(
        "kans op wachten boven de norm",
        "kans op wachten boven de norm",
        "Het aandeel replicaties waarin in minstens één kalenderjaar meer dan \
         risk_over_norm_share (standaard 5%) van de opnames in de regio langer wacht dan de \
         norm.",
    ),
    en: w(
        "risk of waits over the norm",
        "risk of waits over the norm",
        "the share of replications in which, in at least one calendar year, more than \
         `risk_over_norm_share` (default 5%) of the region's admissions wait beyond their norm",
    ),
};

/// `risk_budget` (see `sweep::kpi`).
static RISK_BUDGET: Measure = Measure {
    name: "risk_budget",
    unit: Unit::Share,
    level: Region,
    better: Lower,
    group: Some(Group::Risk),
    format: Share,
    key_number: false,
    nl: w(
        "kans op budgetoverschrijding",
        "kans op budgetoverschrijding",
        "Het aandeel replicaties waarin de P×Q-kosten van de regio in minstens één jaar boven \
         het budget uitkomen (wat de bekostigingsmodellen betalen als er een lumpsum is, \
         anders [report] budget).",
    ),
    en: w(
        "risk of a budget overrun",
        "risk of a budget overrun",
        "the share of replications in which the region's P×Q cost exceeds its budget in at \
         least one year (what the funding models pay where a lump sum is set, else \
         `[report] budget`)",
    ),
};

/// `saving_harm_weighted` (see `sweep::robust`): the decision measure of a comparison.
static SAVING_HARM_WEIGHTED: Measure = Measure {
    name: "saving_harm_weighted",
    unit: Unit::Euros,
    level: Region,
    better: Higher,
    group: Some(Group::Cost),
    format: Euros,
    key_number: false,
    nl: w(
        "besparing na schade",
        "besparing na schade (€ mln)",
        "Per replicatie, tegen niets doen in dezelfde toekomst: de P×Q-kosten en afbouwkosten \
         die de strategie minder maakt, min de zorg die zij niet levert (jeugdigen die langer \
         wachten in plaats van zorg krijgen, gewaardeerd tegen de gemiddelde dagprijs van zorg \
         in de basis) — die telt niet als besparing en daarbovenop als schade. De maat waarop \
         spijt wordt gemeten.",
    ),
    en: w(
        "saving net of harm",
        "saving net of harm (€ M)",
        "per replication, against doing nothing in the same future: the P×Q and stranded cost \
         the road saves, less the care it does not deliver (youths waiting instead of being \
         cared for, valued at the baseline's mean cost of a youth-day in care) — which is no \
         saving and counts once more as a harm. The measure regret is taken on",
    ),
};

/// `risk_worse_wait` (see `sweep::robust`).
static RISK_WORSE_WAIT: Measure = Measure {
    name: "risk_worse_wait",
    unit: Unit::Share,
    level: Region,
    better: Lower,
    group: Some(Group::Risk),
    format: Share,
    key_number: false,
    nl: w(
        "kans op langer wachten dan bij niets doen",
        "kans op langer wachten dan bij niets doen",
        "Het aandeel replicaties waarin de gemiddelde tijd tot zorg meer dan 7 dagen langer is \
         dan bij niets doen in dezelfde toekomst (zelfde jeugdigen, gepaard per replicatie).",
    ),
    en: w(
        "risk of waiting longer than doing nothing",
        "risk of waiting longer than doing nothing",
        "the share of replications in which the mean time to care is more than 7 days longer \
         than doing nothing in the same future (the same youths, paired per replication)",
    ),
};

/// `risk_worse_cost` (see `sweep::robust`).
static RISK_WORSE_COST: Measure = Measure {
    name: "risk_worse_cost",
    unit: Unit::Share,
    level: Region,
    better: Lower,
    group: Some(Group::Risk),
    format: Share,
    key_number: false,
    nl: w(
        "kans op hogere kosten dan bij niets doen",
        "kans op hogere kosten dan bij niets doen",
        "Het aandeel replicaties waarin de P×Q- en afbouwkosten over de periode meer dan 1% hoger \
         zijn dan bij niets doen in dezelfde toekomst (gepaard per replicatie).",
    ),
    en: w(
        "risk of costing more than doing nothing",
        "risk of costing more than doing nothing",
        "the share of replications in which the P×Q and stranded cost over the horizon is more \
         than 1% above doing nothing in the same future (paired per replication)",
    ),
};

/// `regret` (see `sweep::robust`).
static REGRET: Measure = Measure {
    name: "regret",
    unit: Unit::Euros,
    level: Region,
    better: Lower,
    group: Some(Group::Risk),
    format: Euros,
    key_number: false,
    nl: w(
        "spijt",
        "spijt (€ mln)",
        "Hoeveel besparing na schade de strategie achterblijft bij de beste strategie in \
         dezelfde toekomst (de beste op het gemiddelde), per replicatie gepaard en dan \
         gemiddeld: 0 voor de beste.",
    ),
    en: w(
        "regret",
        "regret (€ M)",
        "how much saving net of harm the road falls short of the best road in the same future \
         (the best on the mean), paired per replication and then averaged: 0 for the best",
    ),
};

/// `max_regret` of `robustness.csv` (see `sweep::robust`): a road's largest regret over the
/// futures of a sweep.
pub static MAX_REGRET: Measure = Measure {
    name: "max_regret",
    unit: Unit::Euros,
    level: Region,
    better: Lower,
    group: None,
    format: Euros,
    key_number: false,
    nl: w(
        "grootste spijt",
        "grootste spijt over de toekomsten (€ mln)",
        "De grootste spijt van de strategie over alle toekomsten van de sweep.",
    ),
    en: w(
        "maximum regret",
        "maximum regret over the futures (€ M)",
        "the road's largest regret over the futures of the sweep",
    ),
};

/// `share_futures_meeting_limits` of `robustness.csv` (see `sweep::robust`).
pub static SHARE_FUTURES_MEETING_LIMITS: Measure = Measure {
    name: "share_futures_meeting_limits",
    unit: Unit::Share,
    level: Region,
    better: Higher,
    group: None,
    format: Share,
    key_number: false,
    nl: w(
        "toekomsten binnen de grenzen",
        "toekomsten binnen de grenzen (%)",
        "Het aandeel toekomsten waarin de strategie binnen de beleidsgrenzen blijft: de \
         gemiddelde tijd tot zorg binnen de treeknorm en het budget gehaald in minstens 90% \
         van de replicaties.",
    ),
    en: w(
        "futures within the limits",
        "futures within the limits (%)",
        "the share of futures in which the road stays within the policy limits: the mean time \
         to care within the treeknorm, and the budget met in at least 90% of replications",
    ),
};

kpis! {
    Clients => Metric::Clients.measure(),
    WaitingPeak => Metric::WaitingPeak.measure(),
    WaitingMean => Metric::WaitingMean.measure(),
    WaitingEnd => Metric::WaitingEnd.measure(),
    WaitDaysMean => Metric::WaitDaysMean.measure(),
    WaitDaysP90 => Metric::WaitDaysP90.measure(),
    TimeToCareDaysMean => Metric::TimeToCareDaysMean.measure(),
    TimeToCareDaysP90 => Metric::TimeToCareDaysP90.measure(),
    OverNormShare => Metric::OverNormShare.measure(),
    OutOfHomeDays => Metric::OutOfHomeDays.measure(),
    OohWaitDays => Metric::OohWaitDays.measure(),
    Overflowed => Metric::Overflowed.measure(),
    Reneged => Metric::Reneged.measure(),
    BlockedDays => Metric::BlockedDays.measure(),
    Reentries => Metric::Reentries.measure(),
    AgedOut => Metric::AgedOut.measure(),
    MaxChangeLoad => Metric::MaxChangeLoad.measure(),
    OccupancyMean => Metric::OccupancyMean.measure(),
    Cost => Metric::Cost.measure(),
    CostStranded => Metric::CostStranded.measure(),
    SavingHarmWeighted => &SAVING_HARM_WEIGHTED,
    RiskWait => &RISK_WAIT,
    RiskBudget => &RISK_BUDGET,
    RiskWorseWait => &RISK_WORSE_WAIT,
    RiskWorseCost => &RISK_WORSE_COST,
    Regret => &REGRET,
}
