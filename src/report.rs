//! Reports: the CSV and JSON files of a run, its charts and HTML report, and writing
//! them atomically.
//!
//! Exporters are pure: they take results and return bytes. [`run_folder`] assembles a run's
//! whole folder, [`comparison`] a sweep's tables and comparison page, [`savings`] the
//! savings folder; CSV is built with [`csv_table::CsvTable`]. Only [`output`] touches the
//! file system, and it writes into a temporary folder (or file) that is renamed into
//! place, so a failed run never leaves half a result.

pub mod comparison;
pub mod csv_out;
pub mod csv_table;
pub mod finance_csv;
pub mod folder;
pub mod headline;
pub mod html;
pub mod lang;
pub mod manifest;
pub mod output;
pub mod paths;
pub mod plots;
pub mod robustness;
pub mod run_folder;
pub mod savings;
pub mod strategy;
pub mod xlsx;

use crate::model::Model;
use crate::stats::LevelRef;

/// One row label of the outputs: a service, a segment (`service = all`) or everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelName {
    /// The level of the results.
    pub level: LevelRef,
    pub segment: String,
    pub service: String,
}

/// Levels in output order: `all/all`, then each segment followed by its services.
pub fn level_names(model: &Model) -> Vec<LevelName> {
    let mut out = vec![LevelName {
        level: LevelRef::All,
        segment: "all".into(),
        service: "all".into(),
    }];
    for (g, seg) in model.segments.iter().enumerate() {
        out.push(LevelName {
            level: LevelRef::Segment(g),
            segment: seg.clone(),
            service: "all".into(),
        });
        for (i, s) in model.services.iter().enumerate() {
            if s.segment.0 as usize == g {
                out.push(LevelName {
                    level: LevelRef::Service(i),
                    segment: seg.clone(),
                    service: s.id.clone(),
                });
            }
        }
    }
    out
}

/// Formats a number for CSV: rounded to 4 decimals, shortest form, empty when undefined.
pub fn num(x: f64) -> String {
    Num::new(x).as_str().to_owned()
}

/// [`num`]'s text, on the stack, for the exporters that write tens of thousands of cells.
///
/// `x` rounded to 4 decimals is `k / 10⁴` for a whole `k`; while `|k| < 10¹⁵` that decimal
/// has at most 15 significant digits, so it is exactly the shortest form Rust's `{}` prints
/// for the double (no shorter string lies as close), and it is written from `k`'s digits
/// without the float formatter. Larger numbers take the formatter.
#[derive(Clone)]
pub enum Num {
    Short { buf: [u8; 24], len: u8 },
    Long(String),
}

impl Num {
    /// The text of `x` (empty when undefined).
    pub fn new(x: f64) -> Num {
        let mut buf = [0u8; 24];
        let mut len = 0usize;
        if x.is_finite() {
            let k = (x * 1e4).round();
            if k == 0.0 {
                buf[0] = b'0';
                len = 1;
            } else if k.abs() < 1e15 {
                len = decimal(k as i64, &mut buf);
            } else {
                return Num::Long(format!("{}", k / 1e4));
            }
        }
        Num::Short {
            buf,
            len: len as u8,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            // only ASCII digits, '-' and '.' are written into `buf`
            Num::Short { buf, len } => std::str::from_utf8(&buf[..*len as usize]).unwrap_or(""),
            Num::Long(s) => s,
        }
    }
}

/// Writes `k / 10⁴` (|k| < 10¹⁵) in decimal into `buf`, trailing zeros of the fraction
/// dropped; returns the length.
fn decimal(k: i64, buf: &mut [u8; 24]) -> usize {
    let mut len = 0;
    if k < 0 {
        buf[0] = b'-';
        len = 1;
    }
    // least significant digit first: digits[0..4] are the fraction, the rest the whole part
    let mut digits = [b'0'; 20];
    let mut m = k.unsigned_abs();
    let mut d = 0;
    while m > 0 || d <= 4 {
        digits[d] = b'0' + (m % 10) as u8;
        m /= 10;
        d += 1;
    }
    for &c in digits[4..d].iter().rev() {
        buf[len] = c;
        len += 1;
    }
    if let Some(last) = (0..4).find(|&i| digits[i] != b'0') {
        buf[len] = b'.';
        len += 1;
        for &c in digits[last..4].iter().rev() {
            buf[len] = c;
            len += 1;
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidy() {
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(15962.0), "15962");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(2.0 / 3.0), "0.6667");
        assert_eq!(num(-1.5), "-1.5");
        assert_eq!(num(0.00005), "0.0001");
        assert_eq!(num(1e20), "100000000000000000000");
    }

    proptest::proptest! {
        /// The digits path writes exactly what the float formatter writes.
        #[test]
        fn num_is_the_formatters_shortest_form(x in proptest::num::f64::ANY, scale in -6i32..16) {
            let x = x % 10f64.powi(scale);
            let r = (x * 1e4).round() / 1e4;
            let want = if !x.is_finite() { String::new() } else if r == 0.0 { "0".into() } else { format!("{r}") };
            proptest::prop_assert_eq!(num(x), want);
        }
    }
}
