//! How each column's numbers are read and described: which kind of number a column holds
//! ([`number_kind`]), how a file writes its numbers ([`number_format`], decided once from
//! all its number cells), and what to write instead ([`number_hint`]).

use super::super::number::read::{self as numbers, Format, Kind, Seen};
use super::super::table::RawTable;
use super::{Col, col_pos, trim_float};

/// `x` as the file writes decimals (`0,9` with a decimal comma).
pub(super) fn decimal(x: f64, format: &Format) -> String {
    let s = trim_float(x);
    if format.mark() == Some(numbers::Mark::Comma) {
        s.replace('.', ",")
    } else {
        s
    }
}

/// How a number cell may be written, for messages, with decimals as the file writes them.
pub(super) fn number_hint(c: Col, format: &Format) -> String {
    let d = |x: f64| decimal(x, format);
    let euros = if format.mark() == Some(numbers::Mark::Comma) {
        "€ 33.908.066"
    } else {
        "€ 33,908,066"
    };
    match c {
        Col::Clients => "youths in care in the year, a whole number, e.g. 2877".into(),
        Col::Spend => format!("euros in the year, e.g. 33908066 or {euros}"),
        Col::Stay => "days, e.g. 274".into(),
        Col::StayCv => format!(
            "the standard deviation of the stay divided by its mean, e.g. {}",
            d(1.2)
        ),
        Col::Occupancy => format!("the share of places in use, e.g. {} or 90%", d(0.9)),
        Col::WaitNorm => "days, e.g. 28".into(),
        Col::MinAge | Col::MaxAge => "years, e.g. 17".into(),
        Col::Growth => format!("a share per year, e.g. {} or 2%", d(0.02)),
        Col::WaitingNow => "youths waiting, a whole number, e.g. 120".into(),
        Col::MeanWait => "days, e.g. 84".into(),
        _ => "a number".into(),
    }
}

/// Columns that hold numbers, and what kind.
pub(super) fn number_kind(c: Col) -> Option<Kind> {
    match c {
        Col::Clients | Col::WaitingNow => Some(Kind::Count),
        Col::Spend => Some(Kind::Euros),
        Col::Occupancy | Col::Growth => Some(Kind::Share),
        Col::Stay | Col::StayCv | Col::WaitNorm | Col::MinAge | Col::MaxAge | Col::MeanWait => {
            Some(Kind::Plain)
        }
        _ => None,
    }
}

/// How the table writes its numbers: from every number cell written as text (and the
/// shares in `next`), and the file's separator.
pub(super) fn number_format(raw: &RawTable, index: &[Option<usize>]) -> Format {
    let mut seen = Vec::new();
    for r in &raw.rows {
        for c in Col::all() {
            let Some(i) = index[col_pos(c)] else { continue };
            let Some(text) = r.cells.get(i).filter(|t| !t.is_empty()) else {
                continue;
            };
            if r.numbers.get(i).copied().flatten().is_some() {
                continue;
            }
            let at = |text: &str| Seen {
                row: r.row,
                letter: raw.letter(i),
                column: c.name(),
                text: text.to_string(),
            };
            if number_kind(c).is_some() {
                seen.push(at(text));
            } else if c == Col::Next {
                seen.extend(
                    text.split_whitespace()
                        .filter_map(|t| t.split_once(':'))
                        .map(|(_, p)| at(p)),
                );
            }
        }
    }
    numbers::decide(&seen, raw.separator)
}
