//! Numbers as a spreadsheet writes them: `1500`, `1.500` and `1.500,5` (Dutch), `1,500.5`
//! (English), `€ 1.500`, `15%`, `1 500` — and which of them could mean two things.
//!
//! A cell with one separator followed by exactly three digits (`1.500`, `1,500`) reads two
//! ways: with a decimal point `1.500` is 1.5 and `1,500` is 1500; with a decimal comma
//! (Dutch) `1.500` is 1500 and `1,500` is 1.5. Every other shape reads one way only:
//! `0.85`, `73.05`, `1.234,5` and `14.000.000` cannot be read with the other mark.
//!
//! A file's decimal mark ([`Format`]) is decided once, from those cells that read one way
//! and show a mark (`0,85` shows a comma, `73.05` a point); when no cell shows one, from the
//! separator, when it is `;` (what a Dutch spreadsheet writes: decimal comma; a comma-
//! separated file may come from either). A two-way cell is read with the file's mark —
//! except where the file mixes both marks or nothing decides it (a comma-separated file
//! or a workbook's text cells without a mark), and except a count of youths written with
//! three decimals, which is surely a thousands separator: those are refused, with both
//! readings, so that no cell is read one way when it could mean another.

/// A decimal mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// `1.5` (and `1,500` for fifteen hundred).
    Point,
    /// `1,5` (and `1.500` for fifteen hundred), as Dutch spreadsheets write.
    Comma,
}

impl Mark {
    fn char(self) -> char {
        match self {
            Mark::Point => '.',
            Mark::Comma => ',',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mark::Point => "a decimal point",
            Mark::Comma => "a decimal comma",
        }
    }
}

/// How a number's text reads, before the file's mark is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// Digits only (or with spaces between groups of three): no mark shown.
    Plain(f64),
    /// One reading only, which shows the decimal mark it was written with.
    Marked(f64, Mark),
    /// `1.500` or `1,500`: the value with a decimal point, and with a decimal comma.
    TwoWays { point: f64, comma: f64 },
}

/// Digits `a` (1–3, not starting with 0) followed by groups of exactly three.
fn thousands(parts: &[&str]) -> bool {
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return false,
    };
    (1..=3).contains(&first.len())
        && !(first.starts_with('0'))
        && first.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `int` and `frac` (digits, either may be empty but not both) as a number.
fn value(int: &str, frac: &str) -> Option<f64> {
    let s = format!(
        "{}.{}",
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "0" } else { frac }
    );
    s.parse().ok()
}

/// The shape of an unsigned number's text (no sign, euro sign or percent left), or
/// `None` when it is not a number.
pub fn shape(s: &str) -> Option<Shape> {
    // spaces (also the non-breaking ones spreadsheets use) between groups of three
    if s.contains([' ', '\u{a0}', '\u{202f}']) {
        let parts: Vec<&str> = s.split([' ', '\u{a0}', '\u{202f}']).collect();
        let (int_groups, tail) = parts.split_at(parts.len() - 1);
        // the last group may carry decimals: `1 500,5`
        let (last, frac) = match tail[0].find([',', '.']) {
            Some(i) => (&tail[0][..i], Some(&tail[0][i..])),
            None => (tail[0], None),
        };
        let mut groups: Vec<&str> = int_groups.to_vec();
        groups.push(last);
        if !thousands(&groups) {
            return None;
        }
        let int: String = groups.concat();
        return match frac {
            None => int.parse().ok().map(Shape::Plain),
            Some(f) => {
                let mark = if f.starts_with(',') {
                    Mark::Comma
                } else {
                    Mark::Point
                };
                let f = &f[1..];
                digits(f)
                    .then(|| value(&int, f))
                    .flatten()
                    .map(|x| Shape::Marked(x, mark))
            }
        };
    }
    if let Some(i) = s.find(['e', 'E']) {
        // scientific notation, as a spreadsheet writes a very large or small number
        let (m, e) = (&s[..i], &s[i + 1..]);
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(e) {
            return None;
        }
        let x: f64 = s.parse().ok()?;
        return match shape(m)? {
            Shape::Plain(_) => Some(Shape::Plain(x)),
            Shape::Marked(_, Mark::Point) => Some(Shape::Marked(x, Mark::Point)),
            _ => None,
        };
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    match (dots, commas) {
        (0, 0) => digits(s)
            .then(|| s.parse().ok())
            .flatten()
            .map(Shape::Plain),
        (_, 0) | (0, _) => {
            let mark = if commas == 0 {
                Mark::Point
            } else {
                Mark::Comma
            };
            let sep = mark.char();
            let parts: Vec<&str> = s.split(sep).collect();
            if parts.len() > 2 {
                // only thousands: 14.000.000 (a decimal comma file) or 14,000,000
                let x: f64 = thousands(&parts).then(|| parts.concat().parse().ok())??;
                let other = if mark == Mark::Point {
                    Mark::Comma
                } else {
                    Mark::Point
                };
                return Some(Shape::Marked(x, other));
            }
            let (int, frac) = (parts[0], parts[1]);
            if !(int.is_empty() || digits(int)) || !digits(frac) {
                return None;
            }
            let decimal = value(int, frac)?;
            if thousands(&parts) {
                let whole: f64 = format!("{int}{frac}").parse().ok()?;
                return Some(match mark {
                    Mark::Point => Shape::TwoWays {
                        point: decimal,
                        comma: whole,
                    },
                    Mark::Comma => Shape::TwoWays {
                        point: whole,
                        comma: decimal,
                    },
                });
            }
            Some(Shape::Marked(decimal, mark))
        }
        _ => {
            // both: the last one is the decimal mark, the others separate thousands
            let last = s.rfind(['.', ','])?;
            let mark = if s[last..].starts_with(',') {
                Mark::Comma
            } else {
                Mark::Point
            };
            let (int, frac) = (&s[..last], &s[last + 1..]);
            let sep = if mark == Mark::Comma { '.' } else { ',' };
            let groups: Vec<&str> = int.split(sep).collect();
            if !thousands(&groups) || !digits(frac) || s.matches(mark.char()).count() != 1 {
                return None;
            }
            value(&groups.concat(), frac).map(|x| Shape::Marked(x, mark))
        }
    }
}

/// Where a file's decimal mark was seen, for messages: row, column letter and name, the
/// cell's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub row: usize,
    pub letter: String,
    pub column: &'static str,
    pub text: String,
}

impl Seen {
    fn place(&self) -> String {
        format!(
            "row {}, column {} ({}): \"{}\"",
            self.row, self.letter, self.column, self.text
        )
    }
}

/// How a file writes its decimals, and why.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    /// Its cells show this mark (and none the other): the first such cell.
    Cells(Mark, Seen),
    /// No cell shows a mark, and the file is separated by `;`, as a Dutch spreadsheet
    /// writes it: decimal comma.
    Separator(Mark, char),
    /// Cells show both marks: two-way cells are refused.
    Mixed { comma: Seen, point: Seen },
    /// Nothing decides (a comma-separated file or a workbook's text cells, without a
    /// mark; the separator if any): two-way cells are refused.
    Unknown(Option<char>),
}

impl Format {
    /// The mark two-way cells are read with, if any.
    pub fn mark(&self) -> Option<Mark> {
        match self {
            Format::Cells(m, _) | Format::Separator(m, _) => Some(*m),
            _ => None,
        }
    }

    /// Why the file's numbers read as they do, for messages.
    fn why(&self) -> String {
        match self {
            Format::Cells(m, seen) => format!("this file writes {} ({})", m.name(), seen.place()),
            Format::Separator(m, sep) => format!(
                "this file is separated by '{sep}' and no number in it shows its decimal mark, so it is read with {}",
                m.name()
            ),
            Format::Mixed { comma, point } => format!(
                "this file writes decimals both with a comma ({}) and with a point ({})",
                comma.place(),
                point.place()
            ),
            Format::Unknown(None) => {
                "no other number in the sheet shows whether it writes a decimal point or a decimal comma"
                    .into()
            }
            Format::Unknown(Some(sep)) => format!(
                "no other number in this '{sep}'-separated file shows whether it writes a decimal point or a decimal comma"
            ),
        }
    }
}

/// Decides a file's [`Format`] from its number cells (as [`Seen`], text as written) and its
/// separator (`None`: a workbook).
pub fn decide<'a>(cells: impl IntoIterator<Item = &'a Seen>, separator: Option<char>) -> Format {
    let (mut comma, mut point) = (None, None);
    for c in cells {
        let (body, _) = strip(&c.text);
        if let Some(Shape::Marked(_, m)) = shape(body.trim_start_matches(['-', '+'])) {
            let slot = if m == Mark::Comma {
                &mut comma
            } else {
                &mut point
            };
            if slot.is_none() {
                *slot = Some(c.clone());
            }
        }
    }
    match (comma, point, separator) {
        (Some(comma), Some(point), _) => Format::Mixed { comma, point },
        (Some(c), None, _) => Format::Cells(Mark::Comma, c),
        (None, Some(p), _) => Format::Cells(Mark::Point, p),
        (None, None, Some(';')) => Format::Separator(Mark::Comma, ';'),
        (None, None, sep) => Format::Unknown(sep),
    }
}

/// What a number cell may hold besides the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A count of youths: a value written with three decimals is refused unless the
    /// file's mark makes them thousands.
    Count,
    /// Euros: a euro sign is allowed (`€ 1.500`).
    Euros,
    /// A share: `15%` is allowed.
    Share,
    /// Any other number (days, years, a ratio).
    Plain,
}

/// The text without a euro sign or a percent sign (and the spaces beside them), and the
/// signs found: (euro, percent).
fn strip(s: &str) -> (&str, (bool, bool)) {
    let mut t = s.trim();
    let mut euro = false;
    let mut percent = false;
    if let Some(r) = t.strip_prefix('€') {
        t = r.trim_start();
        euro = true;
    } else if let Some(r) = t.strip_suffix('€') {
        t = r.trim_end();
        euro = true;
    }
    if let Some(r) = t.strip_suffix('%') {
        t = r.trim_end();
        percent = true;
    }
    (t, (euro, percent))
}

/// How to write `x` in a file of `format` (for examples in messages).
fn written(x: f64, format: &Format) -> String {
    let s = super::trim_float(x);
    match format.mark() {
        Some(Mark::Comma) => s.replace('.', ","),
        _ => s,
    }
}

/// Why a cell could not be read, in the user's words.
#[derive(Clone, Debug, PartialEq)]
pub enum Unread {
    /// Not a number, or a sign this column does not take: the caller adds what it takes.
    Not(String),
    /// A number that reads two ways: the message gives both and what to write instead.
    TwoWays(String),
}

impl Unread {
    pub fn message(&self) -> &str {
        match self {
            Unread::Not(m) | Unread::TwoWays(m) => m,
        }
    }

    #[cfg(test)]
    fn contains(&self, s: &str) -> bool {
        self.message().contains(s)
    }
}

/// Reads one number cell of a file of `format`.
pub fn read(text: &str, kind: Kind, format: &Format) -> Result<f64, Unread> {
    let (body, (euro, percent)) = strip(text);
    if euro && kind != Kind::Euros {
        return Err(Unread::Not(format!(
            "\"{text}\" has a euro sign, but this column is not an amount of money"
        )));
    }
    if percent && kind != Kind::Share {
        return Err(Unread::Not(format!(
            "\"{text}\" is a percentage, but this column is not a share"
        )));
    }
    let (negative, unsigned) = match body.strip_prefix(['-', '−']) {
        Some(r) => (true, r.trim_start()),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    let scale = if percent { 0.01 } else { 1.0 };
    let Some(sh) = shape(unsigned) else {
        return Err(Unread::Not(format!("\"{text}\" is not a number")));
    };
    let x = match sh {
        Shape::Plain(x) | Shape::Marked(x, _) => x,
        Shape::TwoWays { point, comma } => {
            // with a dot `1.500` is 1,500 with the Dutch mark and 1.5 with a point
            let dot = unsigned.contains('.');
            let (thousands, decimal) = if dot { (comma, point) } else { (point, comma) };
            let sep = if dot { "dot" } else { "comma" };
            let both = format!(
                "\"{text}\" reads two ways: {} with the {sep} between thousands, or {} with the {sep} as decimal mark",
                super::grouped(thousands * sign, 0),
                written(decimal * sign, &Format::Unknown(None))
            );
            let whole = super::trim_float(thousands * sign);
            match format.mark() {
                None => {
                    return Err(Unread::TwoWays(format!(
                        "{both}; {}: write {whole} or {} instead",
                        format.why(),
                        written(decimal * sign, format)
                    )));
                }
                Some(m) => {
                    let x = if m == Mark::Point { point } else { comma };
                    // a count written with three decimals is a thousands separator
                    if kind == Kind::Count && unsigned.contains(m.char()) {
                        return Err(Unread::TwoWays(format!(
                            "{both}; a count of youths has no decimals, yet {}, which makes it {}: write {whole} instead",
                            format.why(),
                            written(x * sign, format)
                        )));
                    }
                    x
                }
            }
        }
    };
    let x = x * sign * scale;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Unread::Not(format!("\"{text}\" is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(text: &str) -> Seen {
        Seen {
            row: 2,
            letter: "G".into(),
            column: "mean_stay_days",
            text: text.into(),
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("1500"), Some(Shape::Plain(1500.0)));
        assert_eq!(shape("0.85"), Some(Shape::Marked(0.85, Mark::Point)));
        assert_eq!(shape("0,85"), Some(Shape::Marked(0.85, Mark::Comma)));
        assert_eq!(shape("0.850"), Some(Shape::Marked(0.85, Mark::Point)));
        assert_eq!(shape("73.05"), Some(Shape::Marked(73.05, Mark::Point)));
        assert_eq!(
            shape("1.500"),
            Some(Shape::TwoWays {
                point: 1.5,
                comma: 1500.0
            })
        );
        assert_eq!(
            shape("1,500"),
            Some(Shape::TwoWays {
                point: 1500.0,
                comma: 1.5
            })
        );
        assert_eq!(shape("14.000.000"), Some(Shape::Marked(14e6, Mark::Comma)));
        assert_eq!(shape("14,000,000"), Some(Shape::Marked(14e6, Mark::Point)));
        assert_eq!(shape("1.500,5"), Some(Shape::Marked(1500.5, Mark::Comma)));
        assert_eq!(shape("1,500.5"), Some(Shape::Marked(1500.5, Mark::Point)));
        assert_eq!(shape("1 500"), Some(Shape::Plain(1500.0)));
        assert_eq!(
            shape("1\u{a0}500,5"),
            Some(Shape::Marked(1500.5, Mark::Comma))
        );
        assert_eq!(shape(".5"), Some(Shape::Marked(0.5, Mark::Point)));
        assert_eq!(shape("1e3"), Some(Shape::Plain(1000.0)));
        assert_eq!(shape("1.5e3"), Some(Shape::Marked(1500.0, Mark::Point)));
        for bad in [
            "",
            "x",
            "1.5.0",
            "1.50.000",
            "1,5.0",
            "1.500,5,5",
            "12 34",
            "NaN",
            "inf",
            "1e",
            "1..5",
            "1.",
            ",",
            "1,5e3",
        ] {
            assert_eq!(shape(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_file_decides_two_way_cells() {
        let dutch = decide(&[seen("0,85")], Some(';'));
        assert_eq!(read("1.500", Kind::Count, &dutch), Ok(1500.0));
        assert_eq!(read("€ 1.500", Kind::Euros, &dutch), Ok(1500.0));
        assert_eq!(read("1.500,5", Kind::Plain, &dutch), Ok(1500.5));
        assert_eq!(read("15%", Kind::Share, &dutch), Ok(0.15));
        assert_eq!(read("7,5 %", Kind::Share, &dutch), Ok(0.075));
        assert_eq!(read("-5", Kind::Plain, &dutch), Ok(-5.0));
        // a separator alone decides when no cell shows a mark
        let semicolons = decide(&[seen("12")], Some(';'));
        assert_eq!(read("1.500", Kind::Count, &semicolons), Ok(1500.0));
        let point = decide(&[seen("73.05")], Some(','));
        assert_eq!(read("182.625", Kind::Plain, &point), Ok(182.625));
        // a count written with three decimals is refused, with both readings
        let e = read("1.500", Kind::Count, &point).unwrap_err();
        assert!(e.contains("1,500 with the dot between thousands"), "{e:?}");
        assert!(e.contains("1.5 with the dot as decimal mark"), "{e:?}");
        assert!(e.contains("\"73.05\""), "{e:?}");
        assert!(
            e.contains("which makes it 1.5: write 1500 instead"),
            "{e:?}"
        );
    }

    #[test]
    fn mixed_or_undecided_files_refuse_two_way_cells() {
        let mixed = decide(&[seen("0,85"), seen("73.05")], Some(';'));
        assert!(matches!(mixed, Format::Mixed { .. }));
        assert_eq!(read("0,85", Kind::Plain, &mixed), Ok(0.85));
        let e = read("2.600", Kind::Plain, &mixed).unwrap_err();
        assert!(e.contains("both with a comma"), "{e:?}");
        let sheet = decide(&[seen("12")], None);
        assert_eq!(sheet, Format::Unknown(None));
        // a comma-separated file without a mark does not decide either
        let commas = decide(&[seen("12")], Some(','));
        assert_eq!(commas, Format::Unknown(Some(',')));
        assert!(read("2.600", Kind::Plain, &commas).is_err());
        let e = read("1.500", Kind::Plain, &sheet).unwrap_err();
        assert!(e.contains("reads two ways"), "{e:?}");
    }

    #[test]
    fn signs_belong_to_their_columns() {
        let f = Format::Unknown(None);
        assert!(
            read("€ 12", Kind::Count, &f)
                .unwrap_err()
                .contains("euro sign")
        );
        assert!(
            read("12%", Kind::Plain, &f)
                .unwrap_err()
                .contains("percentage")
        );
        assert!(
            read("twelve", Kind::Plain, &f)
                .unwrap_err()
                .contains("not a number")
        );
    }
}
