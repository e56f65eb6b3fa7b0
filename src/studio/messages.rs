//! What the studio says to a person, in the page's language and a manager's words: for a
//! field, what is wrong, what is allowed and an example — never a parser's, serializer's
//! or HTTP's own text. Also the kinds of value a field takes ([`NumSpec`]) and of problem
//! ([`NumError`], [`DateError`]) the messages are about. The problems `validate` finds
//! in a file are said by [`super::problems`].

use jiff::civil::Date;

use super::texts::texts;
use crate::model::Model;
use crate::report::lang::Lang;

/// What a number field counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Places,
    Fte,
    Caseload,
    Hires,
    Days,
    Share,
    Factor,
    Replications,
}

/// What a number field takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumSpec {
    pub what: What,
    /// Whole numbers only.
    pub whole: bool,
    pub min: f64,
    /// `min` itself is not allowed.
    pub above_min: bool,
    pub max: f64,
    /// `max` itself is not allowed.
    pub below_max: bool,
    /// An example the message gives (as a person would type it, Dutch decimal comma).
    pub example: &'static str,
}

/// Why a typed number is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum NumError {
    Empty,
    NotANumber,
    /// `1.000`: a thousands separator or a decimal point?
    Ambiguous,
    NotWhole(f64),
    OutOfRange(f64),
}

/// Why a typed date is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum DateError {
    Empty,
    /// Not in the form `yyyy-mm-dd`.
    Form,
    /// In the form, but no such day (`2027-13-45`).
    NoSuchDay,
    /// Outside the scenario's period.
    Outside(Date),
}

/// One text in each language.
fn say(lang: Lang, nl: String, en: String) -> String {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// A number as a message shows it: thousands grouped from 10,000 on (`10.000.000`,
/// `1000`), decimals with the language's mark, no trailing zeros.
pub fn shown(lang: Lang, x: f64) -> String {
    let decimals = if x.fract() == 0.0 {
        0
    } else {
        let s = format!("{x}");
        s.split_once('.').map_or(0, |(_, f)| f.len().min(6))
    };
    if x.abs() >= 10_000.0 {
        lang.number(x, decimals)
    } else {
        let s = format!("{x:.decimals$}");
        match lang {
            Lang::Nl => s.replace('.', ","),
            Lang::En => s,
        }
    }
}

/// An example as the person would type it in `lang` (written with a Dutch comma).
fn example(lang: Lang, e: &str) -> String {
    match lang {
        Lang::Nl => e.to_string(),
        Lang::En => e.replace(',', "."),
    }
}

fn noun(lang: Lang, w: What) -> &'static str {
    match (lang, w) {
        (Lang::Nl, What::Places) => "aantal plaatsen",
        (Lang::Nl, What::Fte) => "aantal fte",
        (Lang::Nl, What::Caseload) => "aantal jeugdigen per fte",
        (Lang::Nl, What::Hires) => "aantal fte per maand",
        (Lang::Nl, What::Days) => "aantal dagen",
        (Lang::Nl, What::Share) => "aandeel (0 = niets, 1 = alles)",
        (Lang::Nl, What::Factor) => "factor (1 = zoals in de basis)",
        (Lang::Nl, What::Replications) => "aantal replicaties",
        (Lang::En, What::Places) => "number of places",
        (Lang::En, What::Fte) => "number of FTE",
        (Lang::En, What::Caseload) => "number of youths per FTE",
        (Lang::En, What::Hires) => "number of FTE a month",
        (Lang::En, What::Days) => "number of days",
        (Lang::En, What::Share) => "share (0 = none, 1 = all)",
        (Lang::En, What::Factor) => "factor (1 = as in the base)",
        (Lang::En, What::Replications) => "number of replications",
    }
}

/// What `spec` allows, with an example: "een heel aantal plaatsen van 0 tot en met
/// 10.000.000, bijvoorbeeld 450".
pub fn allowed(lang: Lang, spec: &NumSpec) -> String {
    let (lo, hi) = (shown(lang, spec.min), shown(lang, spec.max));
    let n = noun(lang, spec.what);
    let ex = example(lang, spec.example);
    match lang {
        Lang::Nl => {
            let kind = if spec.whole { "een heel" } else { "een" };
            let range = match (spec.above_min, spec.below_max) {
                (true, _) => format!("groter dan {lo} en hoogstens {hi}"),
                (_, true) => format!("van {lo} tot {hi} ({hi} zelf niet)"),
                _ => format!("van {lo} tot en met {hi}"),
            };
            format!("{kind} {n} {range}, bijvoorbeeld {ex}")
        }
        Lang::En => {
            let kind = if spec.whole { "a whole" } else { "a" };
            let range = match (spec.above_min, spec.below_max) {
                (true, _) => format!("above {lo} and at most {hi}"),
                (_, true) => format!("from {lo} up to but not including {hi}"),
                _ => format!("from {lo} to {hi}"),
            };
            format!("{kind} {n} {range}, for example {ex}")
        }
    }
}

/// The message for a number refused: the field, what is wrong, what is allowed.
pub fn number_problem(
    lang: Lang,
    label: &str,
    typed: &str,
    e: &NumError,
    spec: &NumSpec,
) -> String {
    let t = typed.trim();
    let ok = allowed(lang, spec);
    let (nl, en) = match e {
        NumError::Empty => (
            "dit veld is leeg.".to_string(),
            "this field is empty.".to_string(),
        ),
        NumError::NotANumber => (
            format!("‘{t}’ is geen getal."),
            format!("‘{t}’ is not a number."),
        ),
        NumError::Ambiguous => (
            format!(
                "‘{t}’ kan duizendtallen betekenen of decimalen. Schrijf duizend als 1000, zonder punt; een komma geeft decimalen (0,5)."
            ),
            format!(
                "‘{t}’ could mean thousands or decimals. Write a thousand as 1000, without a separator; a point gives decimals (0.5)."
            ),
        ),
        NumError::NotWhole(_) => (
            format!("‘{t}’ is geen heel getal."),
            format!("‘{t}’ is not a whole number."),
        ),
        NumError::OutOfRange(x) if *x > spec.max || (spec.below_max && *x >= spec.max) => (
            format!("‘{t}’ is te groot."),
            format!("‘{t}’ is too large."),
        ),
        NumError::OutOfRange(_) => (
            format!("‘{t}’ is te klein."),
            format!("‘{t}’ is too small."),
        ),
    };
    say(
        lang,
        format!("{label}: {nl} Toegestaan: {ok}."),
        format!("{label}: {en} Allowed: {ok}."),
    )
}

/// The message for a date refused.
pub fn date_problem(
    lang: Lang,
    label: &str,
    typed: &str,
    e: &DateError,
    start: Date,
    end: Date,
) -> String {
    let t = typed.trim();
    match e {
        DateError::Empty => say(
            lang,
            format!("{label}: vul een datum in als jjjj-mm-dd, bijvoorbeeld {end}."),
            format!("{label}: give a date as yyyy-mm-dd, for example {end}."),
        ),
        DateError::Form => say(
            lang,
            format!(
                "{label}: ‘{t}’ is geen datum in de vorm jjjj-mm-dd. Bijvoorbeeld 2027-07-01 voor 1 juli 2027."
            ),
            format!(
                "{label}: ‘{t}’ is not a date in the form yyyy-mm-dd. For example 2027-07-01 for 1 July 2027."
            ),
        ),
        DateError::NoSuchDay => say(
            lang,
            format!(
                "{label}: ‘{t}’ bestaat niet: een maand loopt van 01 tot en met 12, een dag tot hoogstens 28 à 31. Bijvoorbeeld 2027-07-01."
            ),
            format!(
                "{label}: there is no day ‘{t}’: months run from 01 to 12, days to 28–31 at most. For example 2027-07-01."
            ),
        ),
        DateError::Outside(d) => say(
            lang,
            format!(
                "{label}: {d} valt buiten de periode van het scenario, {start} tot en met {end}."
            ),
            format!("{label}: {d} is outside the scenario's period, {start} to {end}."),
        ),
    }
}

/// The label of a one-cell field, by its key.
pub fn field_label(lang: Lang, key: &str) -> String {
    let t = texts(lang);
    let tail = key.rsplit_once('.').map_or(key, |(_, t)| t);
    match tail {
        "capacity" => t.capacity_start,
        "min_capacity" => t.gate_min,
        "fte" => t.fte_start,
        "caseload" => t.caseload,
        "max_hires_per_month" => t.max_hires,
        "lead_days" => t.lead_days,
        "attrition_per_year" => t.attrition,
        "service" => t.gate,
        "to" => t.divert_to,
        "share" => t.divert_share,
        "target_fte" => t.target_fte,
        "points" => t.capacity_steps,
        "transitions" => t.transitions,
        "trend" => t.inflow_trends,
        _ => tail,
    }
    .to_string()
}

/// The label of a cell of a table: its row (from 1) and column.
pub fn cell_label(lang: Lang, key: &str, col: &str, row: usize) -> String {
    let t = texts(lang);
    let column = match col {
        "at" => t.date,
        "value" if key.ends_with(".target_fte") => t.fte,
        "value" if key.ends_with(".share") => t.share,
        "value" => t.places,
        "factor" => t.factor,
        "segment" => t.segment,
        "from" => t.from,
        "to" => t.to,
        "capacity_loss" => t.capacity_loss,
        "referral_delay" => t.referral_delay,
        other => other,
    };
    say(
        lang,
        format!("Rij {}, {column}", row + 1),
        format!("Row {}, {column}", row + 1),
    )
}

/// A choice left empty.
pub fn choose(lang: Lang, label: &str) -> String {
    say(
        lang,
        format!("{label}: kies er een uit de lijst."),
        format!("{label}: choose one from the list."),
    )
}

/// An empty date (the start) below another date.
pub fn empty_date_not_first(lang: Lang, label: &str) -> String {
    say(
        lang,
        format!(
            "{label}: een lege datum betekent ‘vanaf de start’ en kan alleen in de eerste rij staan. Vul een datum in, of zet deze rij bovenaan."
        ),
        format!(
            "{label}: an empty date means ‘from the start’ and can only be in the first row. Give a date, or move this row to the top."
        ),
    )
}

/// A date not after the one above it.
pub fn dates_out_of_order(lang: Lang, label: &str, d: Date, before: Date) -> String {
    say(
        lang,
        format!(
            "{label}: {d} komt niet na de datum in de rij erboven ({before}). Zet de rijen op volgorde van datum, elke datum één keer."
        ),
        format!(
            "{label}: {d} is not after the date in the row above ({before}). Put the rows in date order, each date once."
        ),
    )
}

/// A transition window that ends before it starts.
pub fn window_backwards(lang: Lang, label: &str, from: Date) -> String {
    say(
        lang,
        format!("{label}: de periode moet na de begindatum ({from}) eindigen."),
        format!("{label}: the window must end after it starts ({from})."),
    )
}

/// Two transition windows of one segment that overlap.
pub fn windows_overlap(lang: Lang, label: &str, segment: &str, other: usize) -> String {
    say(
        lang,
        format!(
            "{label}: deze periode overlapt met rij {} van hetzelfde segment ({segment}); een segment heeft één overgangsperiode tegelijk.",
            other + 1
        ),
        format!(
            "{label}: this window overlaps row {} of the same segment ({segment}); a segment has one transition window at a time.",
            other + 1
        ),
    )
}

pub fn gate_on_itself(lang: Lang) -> String {
    say(
        lang,
        "Een stap kan niet wachten op de eigen dienst; kies een andere dienst of laat het leeg."
            .into(),
        "A step cannot wait for its own service; choose another service or leave it empty.".into(),
    )
}

pub fn gate_needs_min(lang: Lang) -> String {
    say(
        lang,
        "Vul in hoeveel plaatsen die dienst minstens moet hebben, bijvoorbeeld 150; of kies bij ‘wacht tot dienst’ niets.".into(),
        "Give how many places that service must have at least, for example 150; or choose nothing under ‘wait for service’.".into(),
    )
}

pub fn gate_needs_service(lang: Lang) -> String {
    say(
        lang,
        "Kies op welke dienst de stap wacht, of maak ‘minstens plaatsen’ leeg.".into(),
        "Choose the service the step waits for, or empty ‘at least places’.".into(),
    )
}

pub fn divert_to_itself(lang: Lang) -> String {
    say(
        lang,
        "Een dienst kan niet naar zichzelf omleiden; kies een andere dienst.".into(),
        "A service cannot divert to itself; choose another service.".into(),
    )
}

pub fn divert_needs_share(lang: Lang) -> String {
    say(
        lang,
        "Vul het aandeel verwijzingen in dat wordt omgeleid: minstens één rij, bijvoorbeeld 0,3 (een lege datum = vanaf de start).".into(),
        "Give the share of referrals diverted: at least one row, for example 0.3 (an empty date = from the start).".into(),
    )
}

pub fn divert_cannot_go(lang: Lang) -> String {
    say(
        lang,
        "De basis leidt hier om; een strategie bouwt op de basis voort en kan dat niet weghalen. Zet het aandeel op 0 om niet meer om te leiden.".into(),
        "The base diverts here; a strategy builds on its base and cannot remove that. Set the share to 0 to stop diverting.".into(),
    )
}

pub fn capacity_cannot_go(lang: Lang) -> String {
    say(
        lang,
        "De basis geeft deze dienst plaatsen; een strategie kan die niet weghalen. Geef 0 plaatsen om de dienst te sluiten.".into(),
        "The base gives this service places; a strategy cannot remove them. Give 0 places to close the service.".into(),
    )
}

/// A name that cannot be a file name.
pub fn bad_name(lang: Lang, name: &str) -> String {
    say(
        lang,
        format!(
            "‘{name}’ kan geen naam zijn: gebruik 1 tot 64 letters, cijfers, - en _, te beginnen met een letter of cijfer, bijvoorbeeld gefaseerd-bedden-later."
        ),
        format!(
            "‘{name}’ cannot be a name: use 1 to 64 letters, digits, - and _, starting with a letter or digit, for example phased-beds-later."
        ),
    )
}

/// A strategy named as the file it extends.
pub fn name_is_base(lang: Lang, name: &str) -> String {
    say(
        lang,
        format!(
            "‘{name}’ is de naam van de basis zelf; een strategie kan het bestand waarop ze voortbouwt niet vervangen. Kies een andere naam."
        ),
        format!(
            "‘{name}’ is the base's own name; a strategy cannot replace the file it builds on. Choose another name."
        ),
    )
}

/// The warning when more segments are in a transition window at once than the model's
/// `max_concurrent`, from the model itself.
pub fn change_load(lang: Lang, model: &Model) -> Option<String> {
    let max = model.change_load.iter().map(|x| x.1).max().unwrap_or(0);
    if max <= model.max_concurrent {
        return None;
    }
    let quarters: Vec<String> = model
        .change_load
        .iter()
        .filter(|(_, l)| *l > model.max_concurrent)
        .map(|(t, l)| format!("{} ({l})", model.timeline.date_of(*t)))
        .collect();
    Some(say(
        lang,
        format!(
            "Tot {max} segmenten tegelijk in een overgangsperiode, meer dan de {} die de regio aankan (max_concurrent): kwartalen vanaf {}. Elke periode kost dan meer capaciteit en vertraagt verwijzingen meer.",
            model.max_concurrent,
            quarters.join(", ")
        ),
        format!(
            "Up to {max} segments in a transition window at once, more than the {} the region can manage (max_concurrent): quarters from {}. Each window then costs more places and delays referrals more.",
            model.max_concurrent,
            quarters.join(", ")
        ),
    ))
}

/// A scenario that does not validate, asked to run.
pub fn scenario_invalid(lang: Lang, file: &str, first: &str) -> String {
    say(
        lang,
        format!(
            "‘{file}’ bevat fouten en kan niet draaien. Open het in de editor of controleer het met `jeugdflow validate`. Eerste melding: {first}"
        ),
        format!(
            "‘{file}’ has problems and cannot run. Open it in the editor or check it with `jeugdflow validate`. First problem: {first}"
        ),
    )
}

/// A scenario whose name cannot name a folder.
pub fn scenario_name_unusable(lang: Lang, file: &str, name: &str) -> String {
    say(
        lang,
        format!(
            "De naam van ‘{file}’ (‘{name}’) kan geen mapnaam zijn: gebruik letters, cijfers, - en _."
        ),
        format!(
            "The name of ‘{file}’ (‘{name}’) cannot name a folder: use letters, digits, - and _."
        ),
    )
}

/// An internal error (a bug): said as one, with its own words for the report.
pub fn internal(lang: Lang, what: &str) -> String {
    say(
        lang,
        format!(
            "Dit liep vast op een fout in jeugdflow zelf, niet op uw invoer. Meld het alstublieft, met deze tekst: {what}"
        ),
        format!(
            "This stopped on an error in jeugdflow itself, not in your input. Please report it, with this text: {what}"
        ),
    )
}

/// A place in the output folder the studio will not replace or remove.
pub fn not_ours(lang: Lang, name: &str, why: &str) -> String {
    // `why` is the output rule's own (English) account of what it found; the Dutch
    // page says what it means without it
    say(
        lang,
        format!(
            "‘{name}’ in de uitvoermap is niet (alleen) door jeugdflow gemaakt; de studio vervangt of verwijdert het niet. Kies een andere naam, of verplaats de map."
        ),
        format!(
            "‘{name}’ in the output folder was not written by jeugdflow (or holds more than it wrote); the studio will not replace or remove it. Choose another name, or move it. ({why})"
        ),
    )
}

/// A comparison of too few or too many scenarios.
pub fn compare_count(lang: Lang, n: usize, max: usize) -> String {
    say(
        lang,
        format!(
            "{n} scenario's gekozen: een vergelijking heeft een basis en 1 tot {} strategieën. Vink er meer of minder aan.",
            max - 1
        ),
        format!(
            "{n} scenarios chosen: a comparison holds a baseline and 1 to {} strategies. Tick more or fewer.",
            max - 1
        ),
    )
}

/// Too many futures for one comparison.
pub fn futures_count(lang: Lang, n: usize, max: usize) -> String {
    say(
        lang,
        format!(
            "{n} toekomsten gekozen: een vergelijking laat de strategieën in 0 tot {max} toekomsten lopen. Vink er minder aan."
        ),
        format!(
            "{n} futures chosen: a comparison runs its roads in 0 to {max} futures. Tick fewer."
        ),
    )
}

/// A future that is not in the futures folder.
pub fn no_such_future(lang: Lang, file: &str) -> String {
    say(
        lang,
        format!(
            "Er is geen toekomst ‘{file}’ in de map futures van de studio. Kies er een uit de lijst."
        ),
        format!(
            "There is no future ‘{file}’ in the studio's futures folder. Choose one from the list."
        ),
    )
}

/// A road that does not validate in a future (`why`: its first problem, said).
pub fn road_in_future(lang: Lang, road: &str, future: &str, why: &str) -> String {
    say(
        lang,
        format!(
            "‘{road}’ kan niet draaien in de toekomst ‘{future}’; vink een van beide uit. Eerste melding: {why}"
        ),
        format!(
            "‘{road}’ cannot run in the future ‘{future}’; untick one of them. First problem: {why}"
        ),
    )
}

/// Two scenarios of a comparison with one name.
pub fn same_names(lang: Lang, name: &str) -> String {
    say(
        lang,
        format!(
            "Twee gekozen scenario's heten allebei ‘{name}’; hun resultaten zouden in één map komen. Vink er een uit."
        ),
        format!(
            "Two scenarios chosen are both named ‘{name}’; their results would share a folder. Untick one."
        ),
    )
}

/// The queue is full.
pub fn queue_full(lang: Lang, waiting: usize) -> String {
    say(
        lang,
        format!(
            "Er wachten al {waiting} berekeningen; probeer het opnieuw als er een paar klaar zijn."
        ),
        format!("{waiting} runs are waiting already; try again when some are done."),
    )
}

/// A job dropped because the studio stops.
pub fn stopping(lang: Lang) -> String {
    say(
        lang,
        "De studio stopt; deze berekening is niet begonnen.".into(),
        "The studio is stopping; this run did not start.".into(),
    )
}

/// A dependant whose editor values do not change (only what the tables do not show may).
pub fn no_visible_change(lang: Lang) -> String {
    say(
        lang,
        "niets in de tabellen van de editor; wel wat het bestand verder van de basis overneemt"
            .into(),
        "nothing in the editor's tables; only what else the file takes from its base".into(),
    )
}

/// A dependant that does not validate now and would after saving.
pub fn repairs(lang: Lang) -> String {
    say(
        lang,
        "bevat nu fouten en is daarna weer een geldig scenario".into(),
        "has problems now and is a valid scenario again afterwards".into(),
    )
}

/// A file the studio did not write, asked to be replaced.
pub fn not_a_studio_file(lang: Lang, file: &str) -> String {
    say(
        lang,
        format!(
            "‘{file}’ is niet in de studio gemaakt (een meegeleverd scenario, of een bestand dat buiten de studio is veranderd); de studio vervangt het nooit. Sla uw strategie op onder een andere naam."
        ),
        format!(
            "‘{file}’ was not made in the studio (a shipped scenario, or a file changed outside the studio); the studio never replaces it. Save your strategy under another name."
        ),
    )
}

/// A file that is not a plain file.
pub fn not_a_plain_file(lang: Lang, file: &str) -> String {
    say(
        lang,
        format!("‘{file}’ bestaat en is geen gewoon bestand; de studio laat het ongemoeid."),
        format!("‘{file}’ exists and is not a plain file; the studio leaves it alone."),
    )
}

/// A scenario or page that does not exist.
pub fn no_such_scenario(lang: Lang, key: &str) -> String {
    say(
        lang,
        format!(
            "Er is geen scenario ‘{key}’ in de map van de studio. Kies er een op de startpagina."
        ),
        format!(
            "There is no scenario ‘{key}’ in the studio's folder. Choose one on the start page."
        ),
    )
}

/// A path (in an address, or a scenario's name) the studio does not serve: not a plain
/// name inside its folders.
pub fn bad_path(lang: Lang, path: &str) -> String {
    say(
        lang,
        format!(
            "‘{path}’ is geen bestand van de studio: alleen gewone namen, gescheiden door /, zonder .. of verborgen namen, bijvoorbeeld fasering-gefaseerd/report.html of fasering-gefaseerd.toml."
        ),
        format!(
            "‘{path}’ is not a file of the studio: only plain names, separated by /, without .. or hidden names, for example fasering-gefaseerd/report.html or fasering-gefaseerd.toml."
        ),
    )
}

/// A file that does not exist (any more).
pub fn no_such_file(lang: Lang, path: &str) -> String {
    say(
        lang,
        format!(
            "Het bestand ‘{path}’ bestaat niet (meer). Open de uitvoer opnieuw vanaf de startpagina."
        ),
        format!(
            "The file ‘{path}’ does not exist (any more). Open the output again from the start page."
        ),
    )
}

/// A path that leads out of the studio's folders (a link pointing elsewhere).
pub fn leads_out(lang: Lang, path: &str) -> String {
    say(
        lang,
        format!(
            "‘{path}’ verwijst naar een plek buiten de mappen van de studio; de studio toont het niet."
        ),
        format!(
            "‘{path}’ points to a place outside the studio's folders; the studio does not show it."
        ),
    )
}

/// A job (run or comparison) the studio does not know (any more).
pub fn no_such_job(lang: Lang, id: &str) -> String {
    say(
        lang,
        format!(
            "De studio kent berekening ‘{id}’ niet (meer); na een herstart zijn lopende berekeningen weg. Zie de lijst Runs en vergelijkingen op de startpagina."
        ),
        format!(
            "The studio does not know run ‘{id}’ (any more); a restart forgets the runs in progress. See Runs and comparisons on the start page."
        ),
    )
}

/// A request without the studio's token (no page yet, so both languages).
pub fn token_needed() -> String {
    "Deze studio vraagt om zijn sleutel: open het adres één keer met ?token=… zoals de studio      het bij de start liet zien.
This studio needs its key: open the address once with      ?token=… as the studio showed it when it started.
"
        .into()
}

/// A request addressed to another host name (another site reaching in through the browser).
pub fn wrong_host(host: &str) -> String {
    format!(
        "Deze studio antwoordt alleen op zijn eigen adres, niet op ‘{host}’.
This studio answers          only to its own address, not to ‘{host}’.
"
    )
}

/// A file of an output folder that does not read back (damaged, or written by another
/// version); in English with the reader's own account of what it found.
pub fn unreadable(lang: Lang, e: &crate::report::folder::ReadError) -> String {
    let mut parts = e.file.iter().rev().take(2).collect::<Vec<_>>();
    parts.reverse();
    let shown = parts
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    say(
        lang,
        format!(
            "‘{shown}’ is niet te lezen: beschadigd, of geschreven door een andere versie van jeugdflow. Draai opnieuw om het te vervangen."
        ),
        e.to_string(),
    )
}

/// A version of a road that does not exist.
pub fn no_such_version(lang: Lang) -> String {
    say(
        lang,
        "Die eerdere versie bestaat niet (meer).".into(),
        "That earlier version does not exist (any more).".into(),
    )
}

/// An output folder that does not exist.
pub fn no_such_output(lang: Lang, name: &str) -> String {
    say(
        lang,
        format!("Er is geen uitvoer ‘{name}’ (meer)."),
        format!("There is no output ‘{name}’ (any more)."),
    )
}

/// A request the page never sends (a bug in the page, or another program).
pub fn bad_request(lang: Lang) -> String {
    say(
        lang,
        "De studio kon dit verzoek niet lezen. Laad de pagina opnieuw en probeer het nog eens."
            .into(),
        "The studio could not read this request. Reload the page and try again.".into(),
    )
}

/// A draft with problems, asked to be saved.
pub fn has_problems(lang: Lang) -> String {
    say(
        lang,
        "Er zijn nog fouten; zie de velden. Er is niets opgeslagen.".into(),
        "There are problems; see the fields. Nothing was saved.".into(),
    )
}

/// A road of another name that exists.
pub fn exists(lang: Lang, file: &str) -> String {
    say(
        lang,
        format!("‘{file}’ bestaat al. Vervangen? (De huidige versie blijft bewaard.)"),
        format!("‘{file}’ exists already. Replace it? (The current version is kept.)"),
    )
}

/// Files that extend the one being saved.
pub fn dependants(lang: Lang, file: &str, n: usize) -> String {
    say(
        lang,
        format!(
            "{n} {} voort op ‘{file}’ en {} mee als u opslaat.",
            if n == 1 {
                "bestand bouwt"
            } else {
                "bestanden bouwen"
            },
            if n == 1 { "verandert" } else { "veranderen" }
        ),
        format!(
            "{n} {} on ‘{file}’ and {} with it when you save.",
            if n == 1 { "file builds" } else { "files build" },
            if n == 1 { "changes" } else { "change" }
        ),
    )
}

/// An output a job is writing.
pub fn busy(lang: Lang, folder: &str) -> String {
    say(
        lang,
        format!("‘{folder}’ wordt nu berekend; verwijder het als de berekening klaar is."),
        format!("‘{folder}’ is being computed now; remove it when the run is done."),
    )
}

/// A request body over the cap.
pub fn too_large(lang: Lang, max_kib: usize) -> String {
    say(
        lang,
        format!("Dit verzoek is groter dan de {max_kib} KiB die de studio aanneemt."),
        format!("This request is larger than the {max_kib} KiB the studio takes."),
    )
}

/// The replications field refused.
pub fn replications(lang: Lang, typed: &str, e: &NumError, max: u32) -> String {
    let spec = NumSpec {
        what: What::Replications,
        whole: true,
        min: 1.0,
        above_min: false,
        max: f64::from(max),
        below_max: false,
        example: "50",
    };
    let label = texts(lang).replications;
    let mut m = number_problem(lang, label, typed, e, &spec);
    if matches!(e, NumError::OutOfRange(x) if *x > f64::from(max)) {
        m.push_str(&say(
            lang,
            " Meer kan met `jeugdflow run --reps` op de opdrachtregel.".into(),
            " For more, use `jeugdflow run --reps` on the command line.".into(),
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages() {
        assert_eq!(shown(Lang::Nl, 10_000_000.0), "10.000.000");
        assert_eq!(shown(Lang::En, 10_000_000.0), "10,000,000");
        assert_eq!(shown(Lang::En, 1000.0), "1000");
        assert_eq!(shown(Lang::Nl, 0.05), "0,05");
        assert_eq!(shown(Lang::Nl, 2.5), "2,5");
    }
}
