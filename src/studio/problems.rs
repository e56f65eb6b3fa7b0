//! The problems `validate` finds in a scenario file, said in the page's language: where
//! (the file's name, its line, the field in a manager's words) and what is wrong. The
//! problems a studio draft or a file that extends a road can run into are translated; any
//! other is named by its place, with the command that says what exactly is wrong — on a
//! Dutch page never in `validate`'s own English (an English page quotes it: those are the
//! command line's messages to its users).

use crate::report::lang::Lang;
use crate::scenario::{Diagnostic, ScenarioError};

use super::messages::field_label;

/// One text in each language.
fn say(lang: Lang, nl: String, en: String) -> String {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// The text between `a` and `b` in `s`.
fn between<'s>(s: &'s str, a: &str, b: &str) -> Option<&'s str> {
    let rest = &s[s.find(a)? + a.len()..];
    Some(&rest[..rest.find(b)?])
}

/// `validate`'s message `message` in `lang`, when it is one the studio translates.
fn translated(lang: Lang, message: &str) -> Option<String> {
    if let Some(initial) = between(message, "fewer than the ", " youths in care then") {
        let places = message
            .trim_start_matches("the staff gives ")
            .split(' ')
            .next()
            .unwrap_or("");
        return Some(say(
            lang,
            format!(
                "Bij de start {places} plaatsen, minder dan de {initial} jeugdigen die dan al in zorg zijn. Geef vanaf de start minstens {initial} plaatsen en bouw later af (capaciteitsstappen)."
            ),
            format!(
                "{places} places at the start, fewer than the {initial} youths in care then. Give at least {initial} places from the start and reduce later (capacity steps)."
            ),
        ));
    }
    if let Some((initial, rest)) = message.split_once(" youths in care at the start, but ") {
        let places = rest
            .split_whitespace()
            .find(|w| w.parse::<f64>().is_ok())
            .unwrap_or("");
        return Some(say(
            lang,
            format!(
                "Bij de start zijn {initial} jeugdigen in zorg, maar er zijn dan maar {places} plaatsen. Er moeten vanaf de start minstens {initial} plaatsen zijn (bouw later af met capaciteitsstappen), of minder jeugdigen bij de start."
            ),
            format!(
                "{initial} youths are in care at the start, but there are only {places} places then. There must be at least {initial} places from the start (reduce later with capacity steps), or fewer youths at the start."
            ),
        ));
    }
    if message.contains("is already in this chain of `extends`") {
        return Some(say(
            lang,
            "Deze strategie zou op zichzelf voortbouwen (via de basis). Kies een andere naam of een andere basis.".into(),
            "This strategy would build on itself (through its base). Choose another name or another base.".into(),
        ));
    }
    if let Some(id) = between(message, "unknown service \"", "\"") {
        return Some(say(
            lang,
            format!("Er is geen dienst ‘{id}’ in het scenario. Kies een dienst die er is."),
            format!("There is no service ‘{id}’ in the scenario. Choose one that exists."),
        ));
    }
    if let Some(rest) = message.strip_prefix("date ")
        && let Some((date, horizon)) = rest.split_once(" is outside the horizon ")
        && let Some((start, end)) = horizon.split_once(" to ")
    {
        return Some(say(
            lang,
            format!(
                "{date} ligt buiten de periode van het scenario, {start} tot en met {end}. Kies een datum daarbinnen, bijvoorbeeld {start}."
            ),
            format!(
                "{date} is outside the scenario's period, {start} to {end}. Choose a date within it, for example {start}."
            ),
        ));
    }
    if let Some(range) = between(message, "must be a whole number of places from ", ", got ")
        && let Some((lo, hi)) = range.split_once(" to ")
    {
        let got = message.rsplit_once(", got ").map_or("", |(_, g)| g);
        let nl = |x: &str| x.replace(',', ".");
        return Some(say(
            lang,
            format!(
                "Dit moet een heel aantal plaatsen zijn van {} tot en met {}; er staat {got}. Bijvoorbeeld 450.",
                nl(lo),
                nl(hi)
            ),
            format!(
                "This must be a whole number of places from {lo} to {hi}; it says {got}. For example 450."
            ),
        ));
    }
    if let Some(key) = between(message, "a future may not set `", "`") {
        return Some(say(
            lang,
            format!(
                "Een toekomst verandert de wereld waarin de strategieën lopen (vraag, personeel, pleeggezinnen, prijzen), nooit een strategie zelf of de vergelijking: ‘{key}’ hoort in het scenariobestand van een strategie."
            ),
            format!(
                "A future changes the world the roads run in (demand, staff, foster families, prices), never a road itself or the comparison: ‘{key}’ belongs in a road's scenario file."
            ),
        ));
    }
    if message.contains("strictly increasing date order") {
        return Some(say(
            lang,
            "De datums moeten van vroeg naar laat staan, elke datum één keer, bijvoorbeeld 2026-07-01 en daarna 2027-07-01.".into(),
            "The dates must run from early to late, each date once, for example 2026-07-01 then 2027-07-01.".into(),
        ));
    }
    None
}

/// The problems `validate` can find in a draft whose cells all passed, in `lang`; any
/// other is said as one the studio's own checks missed (on an English page with
/// `validate`'s words).
pub fn validate_problem(lang: Lang, message: &str) -> String {
    translated(lang, message).unwrap_or_else(|| {
        say(
            lang,
            "Deze waarde past niet bij de rest van het scenario. Controleer het opgeslagen bestand met `jeugdflow validate` voor de precieze reden.".into(),
            format!("The scenario check says: {message}"),
        )
    })
}

/// A diagnostic's field in a manager's words: `service 'x'.capacity` → "dienst x, Plaatsen
/// vanaf de start"; `schedule #2.points[1].at` → "capaciteitsstap 2"; else the path as the
/// file names it.
fn field_words(lang: Lang, field: &str) -> String {
    if let Some(rest) = field.strip_prefix("service '")
        && let Some((id, tail)) = rest.split_once('\'')
    {
        let tail = tail.trim_start_matches('.');
        let what = match tail {
            "" => String::new(),
            "initial" => say(
                lang,
                ", jeugdigen bij de start".into(),
                ", youths at the start".into(),
            ),
            _ => format!(", {}", field_label(lang, tail)),
        };
        return say(
            lang,
            format!("dienst {id}{what}"),
            format!("service {id}{what}"),
        );
    }
    if let Some(rest) = field.strip_prefix("schedule #") {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return say(
            lang,
            format!("capaciteitsplan {n}"),
            format!("capacity plan {n}"),
        );
    }
    format!("‘{field}’")
}

/// Where a diagnostic is: the file's name (not its folder), the line and the field.
fn place(lang: Lang, d: &Diagnostic) -> String {
    let file = std::path::Path::new(&d.file)
        .file_name()
        .map_or_else(|| d.file.clone(), |n| n.to_string_lossy().into_owned());
    say(
        lang,
        format!(
            "‘{file}’, regel {}, {}",
            d.line,
            field_words(lang, &d.field)
        ),
        format!("‘{file}’, line {}, {}", d.line, field_words(lang, &d.field)),
    )
}

/// One problem of a scenario file in `lang`: where it is and what is wrong.
pub fn diagnostic(lang: Lang, d: &Diagnostic) -> String {
    let what = translated(lang, &d.message).unwrap_or_else(|| {
        say(
            lang,
            "deze waarde klopt zo niet; `jeugdflow validate` op dat bestand zegt precies wat er mis is.".into(),
            d.message.clone(),
        )
    });
    format!("{}: {what}", place(lang, d))
}

/// The first problem of a scenario that does not load, in `lang` (with how many more
/// there are).
pub fn scenario_error(lang: Lang, e: &ScenarioError) -> String {
    let file = |p: &str| {
        std::path::Path::new(p)
            .file_name()
            .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
    };
    match e {
        ScenarioError::Read { path, .. } => say(
            lang,
            format!("‘{}’ kan niet worden gelezen.", file(path)),
            format!("‘{}’ cannot be read.", file(path)),
        ),
        ScenarioError::WrongKind { path, .. } => say(
            lang,
            format!(
                "‘{}’ is geen scenario maar een ander soort invoer.",
                file(path)
            ),
            format!(
                "‘{}’ is not a scenario but another kind of input.",
                file(path)
            ),
        ),
        ScenarioError::Invalid(diags) => {
            let Some(first) = diags.first() else {
                return String::new();
            };
            let more = diags.len() - 1;
            let mut s = diagnostic(lang, first);
            if more > 0 {
                s.push_str(&say(
                    lang,
                    format!(
                        " (en nog {more} {})",
                        if more == 1 { "melding" } else { "meldingen" }
                    ),
                    format!(" (and {more} more)"),
                ));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_s_capacity_message_is_said_in_the_page_s_words() {
        let m = "100 places at the start, fewer than the 412 youths in care then (`initial`)";
        let nl = validate_problem(Lang::Nl, m);
        assert!(
            nl.contains("100 plaatsen") && nl.contains("412 jeugdigen"),
            "{nl}"
        );
        let s = "the staff gives 110 places at the start, fewer than the 120 youths in care then (`initial`)";
        assert!(validate_problem(Lang::En, s).starts_with("110 places"));
    }

    #[test]
    fn a_file_s_problem_is_placed_and_said_without_validate_s_english() {
        let d = Diagnostic {
            file: "/tmp/x/scenarios/pilot.toml".into(),
            line: 7,
            column: 1,
            field: "service 'residentieel'.capacity".into(),
            message: "expected a whole number of places >= 0, got -4".into(),
        };
        let nl = diagnostic(Lang::Nl, &d);
        assert_eq!(
            nl,
            "‘pilot.toml’, regel 7, dienst residentieel, Plaatsen vanaf de start: deze waarde \
             klopt zo niet; `jeugdflow validate` op dat bestand zegt precies wat er mis is."
        );
        let range = Diagnostic {
            message: "capacity must be a whole number of places from 0 to 10,000,000, got -4"
                .into(),
            ..d.clone()
        };
        assert!(
            diagnostic(Lang::Nl, &range)
                .ends_with("van 0 tot en met 10.000.000; er staat -4. Bijvoorbeeld 450."),
            "{}",
            diagnostic(Lang::Nl, &range)
        );
        let en = diagnostic(Lang::En, &d);
        assert!(en.ends_with("got -4") && en.contains("line 7"), "{en}");
        let outside = Diagnostic {
            field: "schedule #2.points[1].at".into(),
            message: "date 2031-01-01 is outside the horizon 2024-01-01 to 2030-12-31".into(),
            ..d.clone()
        };
        let two = ScenarioError::Invalid(vec![outside, d]);
        let nl = scenario_error(Lang::Nl, &two);
        assert!(
            nl.contains("capaciteitsplan 2")
                && nl.contains("2031-01-01 ligt buiten de periode")
                && nl.ends_with("(en nog 1 melding)"),
            "{nl}"
        );
        for word in ["horizon", "expected", "got"] {
            assert!(!nl.contains(word), "{nl}");
        }
    }
}
