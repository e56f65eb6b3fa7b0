//! Every cell of the editor checked before anything is written, strictly and in the
//! page's language: a number field takes a number in its range (no guessing: `abc`, `2,5`
//! places, `1.000` or a number beyond the range is refused, each with the allowed range
//! and an example), a date field a date of the scenario's period as `yyyy-mm-dd`, and an
//! empty date means "from the start" wherever the page says so. Rows of a table come in
//! date order. Problems are keyed by field (`svc.<id>.capacity`) or by cell
//! (`schedule.3.points#1.at`: row 1, column `at`), so the page puts each on its cell.
//!
//! Only a draft whose cells all pass is written and checked by `validate`; what it finds
//! then (a capacity below the youths in care at the start, …) is about the scenario as a
//! whole and is put beside the field it came from.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{Editor, Kind, Value};
use crate::report::lang::Lang;
use crate::studio::messages::{self as m, DateError, NumError, NumSpec, What};

const fn num(what: What, whole: bool, min: f64, max: f64, example: &'static str) -> NumSpec {
    NumSpec {
        what,
        whole,
        min,
        above_min: false,
        max,
        below_max: false,
        example,
    }
}

/// Places of a service: whole, from 0 to 10,000,000 (`validate`'s range of a count).
pub const PLACES: NumSpec = num(What::Places, true, 0.0, 1e7, "450");
/// FTE.
pub const FTE: NumSpec = num(What::Fte, false, 0.0, 1e5, "30");
/// Youths per FTE: more than 0.
pub const CASELOAD: NumSpec = NumSpec {
    above_min: true,
    ..num(What::Caseload, false, 0.0, 1e4, "5")
};
/// FTE hired a month at most.
pub const HIRES: NumSpec = num(What::Hires, false, 0.0, 1e4, "1");
/// Days (a lead time, a referral delay).
pub const DAYS: NumSpec = num(What::Days, false, 0.0, 3650.0, "365");
/// A share from 0 to 1.
pub const SHARE: NumSpec = num(What::Share, false, 0.0, 1.0, "0,3");
/// A share of places lost: from 0 to below 1.
pub const LOSS: NumSpec = NumSpec {
    below_max: true,
    ..num(What::Share, false, 0.0, 1.0, "0,05")
};
/// A factor on the inflow.
pub const FACTOR: NumSpec = num(What::Factor, false, 0.0, 100.0, "1,1");

/// Reads `typed` as `spec` asks: digits with at most one decimal point or comma, an
/// optional minus; a whole-number field refuses fractions, and a group of exactly three
/// digits after one separator (`1.000`, `12,500`) is refused as ambiguous wherever a
/// thousand could be meant.
pub fn number(typed: &str, spec: &NumSpec) -> Result<f64, NumError> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(NumError::Empty);
    }
    let body = t.strip_prefix('-').unwrap_or(t);
    let seps = body.chars().filter(|c| *c == '.' || *c == ',').count();
    let digits_ok = !body.is_empty()
        && seps <= 1
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body.chars().last().is_some_and(|c| c.is_ascii_digit());
    if !digits_ok {
        return Err(NumError::NotANumber);
    }
    if let Some((int, frac)) = body.split_once(['.', ',']) {
        let could_be_thousands =
            frac.len() == 3 && !int.starts_with('0') && int.len() <= 3 && spec.max >= 1000.0;
        if could_be_thousands {
            return Err(NumError::Ambiguous);
        }
    }
    let x: f64 = t
        .replace(',', ".")
        .parse()
        .map_err(|_| NumError::NotANumber)?;
    if !x.is_finite() {
        return Err(NumError::OutOfRange(x));
    }
    let low = if spec.above_min {
        x <= spec.min
    } else {
        x < spec.min
    };
    let high = if spec.below_max {
        x >= spec.max
    } else {
        x > spec.max
    };
    if low || high {
        return Err(NumError::OutOfRange(x));
    }
    if spec.whole && x.fract() != 0.0 {
        return Err(NumError::NotWhole(x));
    }
    Ok(x)
}

/// Reads `typed` as a date `yyyy-mm-dd` from `start` to `end`.
pub fn date(typed: &str, start: Date, end: Date) -> Result<Date, DateError> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(DateError::Empty);
    }
    let parts: Vec<&str> = t.split('-').collect();
    let form = parts.len() == 3
        && parts[0].len() == 4
        && (1..=2).contains(&parts[1].len())
        && (1..=2).contains(&parts[2].len())
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !form {
        return Err(DateError::Form);
    }
    let n = |s: &str| s.parse::<i16>().unwrap_or(0);
    let (y, mo, d) = (n(parts[0]), n(parts[1]), n(parts[2]));
    let d = i8::try_from(mo)
        .ok()
        .zip(i8::try_from(d).ok())
        .and_then(|(mo, d)| Date::new(y, mo, d).ok())
        .ok_or(DateError::NoSuchDay)?;
    if d < start || d > end {
        return Err(DateError::Outside(d));
    }
    Ok(d)
}

/// What an empty date means in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyDate {
    /// The start of the scenario.
    Start,
    /// Nothing: a date is needed.
    Required,
}

/// How the columns of a table are checked: by column name, for field `key`.
pub fn column_spec(key: &str, col: &str) -> Option<NumSpec> {
    match col {
        "factor" => Some(FACTOR),
        "capacity_loss" => Some(LOSS),
        "referral_delay" => Some(DAYS),
        "value" if key.ends_with(".target_fte") => Some(FTE),
        "value" if key.ends_with(".share") => Some(SHARE),
        "value" => Some(PLACES),
        _ => None,
    }
}

/// How a one-cell field is checked, and whether it may stay empty.
pub fn cell_spec(key: &str) -> Option<(NumSpec, bool)> {
    let tail = key.rsplit_once('.').map_or(key, |(_, t)| t);
    Some(match tail {
        "capacity" | "min_capacity" => (PLACES, tail == "min_capacity"),
        "fte" => (FTE, false),
        "caseload" => (CASELOAD, false),
        "max_hires_per_month" => (HIRES, true),
        "lead_days" => (DAYS, true),
        "attrition_per_year" => (SHARE, true),
        _ => return None,
    })
}

/// The problems of the editor's cells, by field or cell key.
pub fn check(ed: &Editor, lang: Lang) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (Ok(start), Ok(end)) = (ed.start.parse::<Date>(), ed.end.parse::<Date>()) else {
        return out;
    };
    let mut put = |k: String, msg: String| out.entry(k).or_default().push(msg);
    for (key, f) in &ed.fields {
        match (&f.kind, &f.value) {
            (Kind::Cell, Value::Text(t)) => {
                let Some((spec, may_be_empty)) = cell_spec(key) else {
                    continue;
                };
                // a service without places in its base (unlimited) keeps an empty cell
                let base_empty = matches!(&f.base, Value::Text(b) if b.trim().is_empty());
                let may_be_empty = may_be_empty || base_empty;
                let label = m::field_label(lang, key);
                match number(t, &spec) {
                    Err(NumError::Empty) if may_be_empty => {}
                    Err(e) => put(key.clone(), m::number_problem(lang, &label, t, &e, &spec)),
                    Ok(_) => {}
                }
            }
            (Kind::Rows(cols), Value::Rows(rows)) => {
                rows_problems(key, cols, rows, (start, end), lang, &mut put);
            }
            _ => {}
        }
    }
    links(ed, lang, &mut put);
    out
}

/// The problems of one table: each cell, then the order of its dates, then (for the
/// transition windows) windows that end before they start or overlap.
fn rows_problems(
    key: &str,
    cols: &[&str],
    rows: &[Vec<String>],
    (start, end): (Date, Date),
    lang: Lang,
    put: &mut dyn FnMut(String, String),
) {
    let filled: Vec<usize> = (0..rows.len())
        .filter(|r| rows[*r].iter().any(|c| !c.trim().is_empty()))
        .collect();
    let mut dated: Vec<(usize, Date, &str)> = Vec::new();
    let mut windows: Vec<(usize, String, Date, Date)> = Vec::new();
    for &r in &filled {
        let row = &rows[r];
        let cell = |c: &str| format!("{key}#{r}.{c}");
        let mut from_to = (None, None, String::new());
        for (c, typed) in cols.iter().zip(row) {
            let label = m::cell_label(lang, key, c, r);
            match *c {
                "at" | "from" | "to" => {
                    let empty = if *c == "to" {
                        EmptyDate::Required
                    } else {
                        EmptyDate::Start
                    };
                    let d = match date(typed, start, end) {
                        Ok(d) => Some(d),
                        Err(DateError::Empty) if empty == EmptyDate::Start => Some(start),
                        Err(e) => {
                            put(
                                cell(c),
                                m::date_problem(lang, &label, typed, &e, start, end),
                            );
                            None
                        }
                    };
                    match *c {
                        "at" => {
                            if let Some(d) = d {
                                dated.push((r, d, typed.trim()));
                            }
                        }
                        "from" => from_to.0 = d,
                        _ => from_to.1 = d,
                    }
                }
                "segment" => {
                    if typed.trim().is_empty() {
                        put(cell(c), m::choose(lang, &label));
                    }
                    from_to.2 = typed.trim().to_string();
                }
                _ => {
                    let Some(spec) = column_spec(key, c) else {
                        continue;
                    };
                    let empty_ok = matches!(*c, "capacity_loss" | "referral_delay");
                    match number(typed, &spec) {
                        Err(NumError::Empty) if empty_ok => {}
                        Err(e) => put(cell(c), m::number_problem(lang, &label, typed, &e, &spec)),
                        Ok(_) => {}
                    }
                }
            }
        }
        if let (Some(f), Some(t)) = (from_to.0, from_to.1) {
            windows.push((r, from_to.2, f, t));
        }
    }
    // an empty date is the start, so it can only be the first; the rest in date order
    for w in dated.windows(2) {
        let ((_, before, typed_before), (r, d, typed)) = (w[0], w[1]);
        if d <= before {
            let label = m::cell_label(lang, key, "at", r);
            let msg = if typed.is_empty() || typed_before.is_empty() {
                m::empty_date_not_first(lang, &label)
            } else {
                m::dates_out_of_order(lang, &label, d, before)
            };
            put(format!("{key}#{r}.at"), msg);
        }
    }
    for (i, (r, seg, from, to)) in windows.iter().enumerate() {
        let label = m::cell_label(lang, key, "to", *r);
        if to <= from {
            put(
                format!("{key}#{r}.to"),
                m::window_backwards(lang, &label, *from),
            );
        } else if let Some((other, ..)) = windows[..i]
            .iter()
            .find(|(_, s, f, t)| s == seg && f < to && from < t)
        {
            let label = m::cell_label(lang, key, "from", *r);
            put(
                format!("{key}#{r}.from"),
                m::windows_overlap(lang, &label, seg, *other),
            );
        }
    }
}

/// Problems between fields of a service: a gate or diversion pointing at its own
/// service, half a gate, a diversion without its share, a capacity or diversion of the
/// base removed.
fn links(ed: &Editor, lang: Lang, put: &mut dyn FnMut(String, String)) {
    let text = |k: &str| match ed.fields.get(k).map(|f| &f.value) {
        Some(Value::Text(t)) => t.trim().to_string(),
        _ => String::new(),
    };
    let filled_rows = |k: &str| match ed.fields.get(k).map(|f| &f.value) {
        Some(Value::Rows(rows)) => rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .count(),
        _ => 0,
    };
    for (k, slot) in ed.slots.iter().enumerate() {
        if slot.kept.is_some() {
            continue;
        }
        let key = |x: &str| format!("schedule.{k}.{x}");
        let (gate, min) = (text(&key("gate.service")), text(&key("gate.min_capacity")));
        if gate == slot.service {
            put(key("gate.service"), m::gate_on_itself(lang));
        } else if !gate.is_empty() && min.is_empty() {
            put(key("gate.min_capacity"), m::gate_needs_min(lang));
        } else if gate.is_empty() && !min.is_empty() {
            put(key("gate.service"), m::gate_needs_service(lang));
        }
    }
    for s in &ed.services {
        let key = |x: &str| format!("svc.{}.{x}", s.id);
        let to = text(&key("divert.to"));
        let had = ed
            .fields
            .get(&key("divert.to"))
            .is_some_and(|f| f.base != Value::Text(String::new()));
        if to == s.id {
            put(key("divert.to"), m::divert_to_itself(lang));
        } else if !to.is_empty() && filled_rows(&key("divert.share")) == 0 {
            put(key("divert.share"), m::divert_needs_share(lang));
        } else if to.is_empty() && had {
            put(key("divert.to"), m::divert_cannot_go(lang));
        }
        if !s.staffed
            && let Some(f) = ed.fields.get(&key("capacity"))
        {
            let empty = match &f.value {
                Value::Text(t) => t.trim().is_empty(),
                Value::Rows(_) => filled_rows(&key("capacity")) == 0,
                Value::Flag(_) => false,
            };
            let base_empty = match &f.base {
                Value::Text(t) => t.trim().is_empty(),
                _ => false,
            };
            if empty && !base_empty && matches!(f.kind, Kind::Rows(_)) {
                put(key("capacity"), m::capacity_cannot_go(lang));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_strictly() {
        assert_eq!(number(" 450 ", &PLACES), Ok(450.0));
        assert_eq!(number("0,3", &SHARE), Ok(0.3));
        assert_eq!(number("0.125", &SHARE), Ok(0.125));
        assert_eq!(number("abc", &PLACES), Err(NumError::NotANumber));
        assert_eq!(number("", &PLACES), Err(NumError::Empty));
        assert_eq!(number("2.5", &PLACES), Err(NumError::NotWhole(2.5)));
        assert_eq!(number("1.000", &PLACES), Err(NumError::Ambiguous));
        assert_eq!(number("12,500", &FTE), Err(NumError::Ambiguous));
        assert_eq!(number("1e3", &PLACES), Err(NumError::NotANumber));
        assert_eq!(number("1,2,3", &PLACES), Err(NumError::NotANumber));
        assert_eq!(number("-1", &PLACES), Err(NumError::OutOfRange(-1.0)));
        assert!(matches!(
            number("99999999999999999999", &PLACES),
            Err(NumError::OutOfRange(_))
        ));
        assert_eq!(number("1", &LOSS), Err(NumError::OutOfRange(1.0)));
        assert_eq!(number("0", &CASELOAD), Err(NumError::OutOfRange(0.0)));
        assert_eq!(number("0", &PLACES), Ok(0.0));
    }

    #[test]
    fn dates_are_real_days_of_the_period() {
        let (s, e) = (
            Date::new(2024, 1, 1).unwrap(),
            Date::new(2030, 12, 31).unwrap(),
        );
        assert_eq!(date("2027-07-01", s, e), Ok(Date::new(2027, 7, 1).unwrap()));
        assert_eq!(date("2027-13-45", s, e), Err(DateError::NoSuchDay));
        assert_eq!(date("2027-02-30", s, e), Err(DateError::NoSuchDay));
        assert_eq!(date("1-7-2027", s, e), Err(DateError::Form));
        assert_eq!(date("abc", s, e), Err(DateError::Form));
        assert!(matches!(
            date("2031-01-01", s, e),
            Err(DateError::Outside(_))
        ));
        assert_eq!(date(" ", s, e), Err(DateError::Empty));
    }
}
