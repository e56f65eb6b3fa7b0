//! Command-line values as a Dutch user writes them, or refused with an example of what is
//! accepted — never a parser's own words ("invalid digit found in string").
//!
//! - whole numbers (`--reps`, `--seed`, `--threads`): `1000`, `1.000`, `1,000`, `1 000` (a
//!   separator between groups of three is read as thousands: these options take no
//!   decimals) and `1e3`; a negative number is taken as a value (`--reps -5`), and refused
//!   for what it is;
//! - dates (`--start`, `--end`): `2025-01-01`, and day-month-year as the Dutch write it,
//!   `01-01-2025`, `1-1-2025`, `1/1/2025`, `1.1.2025`;
//! - shares (`--tolerance`, `--confidence`, `--wait-norm-share`): `0.05`, `0,05` or `5%`.

use jiff::civil::Date;

/// A whole number from `lo` to `hi` for `option`, whose example is `example`.
fn whole(s: &str, lo: u64, hi: u64, option: &str, example: &str) -> Result<u64, String> {
    let wanted = || {
        format!(
            "{option} takes a whole number from {} to {}, e.g. {option} {example}",
            thousands(lo),
            thousands(hi)
        )
    };
    let t = s.trim();
    if t.starts_with(['-', '−']) && t.len() > 1 {
        return Err(format!("\"{s}\" is negative: {}", wanted()));
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let x = read_whole(t).ok_or_else(|| match read_decimal(t) {
        Some(x) if x.is_finite() => format!("\"{s}\" is not a whole number: {}", wanted()),
        _ => format!(
            "\"{s}\" is not a number: {} (thousands may be written 1.000 or 1,000)",
            wanted()
        ),
    })?;
    if x < u128::from(lo) || x > u128::from(hi) {
        let (how, bound) = if x < u128::from(lo) {
            ("less than", lo)
        } else {
            ("more than", hi)
        };
        return Err(format!(
            "{} is {how} {}: {}",
            thousands(x),
            thousands(bound),
            wanted()
        ));
    }
    Ok(x as u64)
}

/// `1,234,567`: a whole number with thousands separated (exact, whatever its size).
fn thousands(x: impl Into<u128>) -> String {
    let digits = x.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Digits, with `.`, `,`, `_` or spaces between groups of three, or `1e3` that is whole;
/// exact (as an integer) whatever its size.
fn read_whole(t: &str) -> Option<u128> {
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    for sep in ['.', ',', '_', ' ', '\u{a0}'] {
        let parts: Vec<&str> = t.split(sep).collect();
        let grouped = parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts[1..].iter().all(|p| p.len() == 3);
        if grouped {
            return parts.concat().parse().ok();
        }
    }
    if t.contains(['e', 'E']) {
        let x: f64 = t.parse().ok()?;
        // beyond 2^53 a float is no longer exact: such a number is written out
        return (x.is_finite() && x.fract() == 0.0 && (0.0..=9.0e15).contains(&x))
            .then_some(x as u128);
    }
    None
}

/// A decimal number with a point or a comma: `0.05`, `0,05`, `.5`.
fn read_decimal(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'e' | 'E' | '-' | '+'))
        || t.matches([',', '.']).count() > 1
    {
        return None;
    }
    t.replace(',', ".").parse().ok()
}

/// `--reps`: 1 to 1,000,000.
pub fn reps(s: &str) -> Result<u32, String> {
    let max = u64::from(super::MAX_REPLICATIONS);
    whole(s, 1, max, "--reps", "200").map(|x| x as u32)
}

/// `calibrate --reps`: 2 to 1,000,000 (an interval needs two).
pub fn reps_two(s: &str) -> Result<u32, String> {
    let max = u64::from(super::MAX_REPLICATIONS);
    whole(s, 2, max, "--reps", "40").map(|x| x as u32)
}

/// `--seed`: 0 to 2^63 − 1, what a scenario's `seed` holds.
pub fn seed(s: &str) -> Result<u64, String> {
    whole(s, 0, i64::MAX as u64, "--seed", "2024")
}

/// `--threads`: 1 to 1,024.
pub fn threads(s: &str) -> Result<u16, String> {
    let max = u64::from(super::MAX_THREADS);
    whole(s, 1, max, "--threads", "4").map(|x| x as u16)
}

/// `--start`, `--end`: `2025-01-01`, or day-month-year (`01-01-2025`, `1-1-2025`,
/// `1/1/2025`, `1.1.2025`).
pub fn date(s: &str) -> Result<Date, String> {
    let t = s.trim();
    let accepted = "write a date as 2025-01-01 or as day-month-year, 1-1-2025 or 01-01-2025";
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let numbers: Option<Vec<i64>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let Some(n) = numbers.filter(|n| n.len() == 3) else {
        return Err(format!("\"{s}\" is not a date: {accepted}"));
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        (n[2], n[1], n[0])
    } else {
        return Err(format!(
            "\"{s}\" has no year of four digits: {accepted} (the year in full)"
        ));
    };
    if !(1..=12).contains(&m) {
        return Err(format!("\"{s}\": {m} is not a month (1 to 12); {accepted}"));
    }
    Date::new(y as i16, m as i8, d as i8)
        .map_err(|_| format!("\"{s}\": month {m} of {y} has no day {d}; {accepted}"))
}

/// A share more than 0 and less than 1 for `option`: `0.05`, `0,05` or `5%`.
fn share(s: &str, option: &str, example: f64) -> Result<f64, String> {
    let t = s.trim();
    let (body, scale) = match t.strip_suffix('%') {
        Some(b) => (b.trim_end(), 0.01),
        None => (t, 1.0),
    };
    let pct = example * 100.0;
    let wanted = || {
        format!(
            "{option} takes a share more than 0 and less than 1, e.g. {option} {example}, \
             {option} {} or {option} {pct}%",
            example.to_string().replace('.', ",")
        )
    };
    match read_decimal(body).map(|x| x * scale) {
        Some(x) if x > 0.0 && x < 1.0 => Ok(x),
        Some(x) if scale == 1.0 && (1.0..100.0).contains(&x) => Err(format!(
            "\"{s}\" is not a share: for {x}% write {option} {x}% (or {})",
            x / 100.0
        )),
        Some(_) => Err(format!("\"{s}\" is out of range: {}", wanted())),
        None => Err(format!("\"{s}\" is not a number: {}", wanted())),
    }
}

/// `calibrate --tolerance`.
pub fn tolerance(s: &str) -> Result<f64, String> {
    share(s, "--tolerance", 0.05)
}

/// `budget --confidence`.
pub fn confidence(s: &str) -> Result<f64, String> {
    share(s, "--confidence", 0.9)
}

/// `budget --wait-norm-share`.
pub fn norm_share(s: &str) -> Result<f64, String> {
    share(s, "--wait-norm-share", 0.8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_as_written() {
        for (s, x) in [
            ("1000", 1000),
            ("1.000", 1000),
            ("1,000", 1000),
            ("1 000", 1000),
            ("1e3", 1000),
            ("+20", 20),
            ("1.000.000", 1_000_000),
        ] {
            assert_eq!(reps(s), Ok(x), "{s}");
        }
        let e = reps("-5").unwrap_err();
        assert!(e.contains("\"-5\" is negative: --reps takes a whole number from 1 to 1,000,000, e.g. --reps 200"), "{e}");
        assert!(reps("1.5").unwrap_err().contains("is not a whole number"));
        assert!(reps("1e-3").unwrap_err().contains("is not a whole number"));
        assert!(reps("ten").unwrap_err().contains("\"ten\" is not a number"));
        assert!(reps("0").unwrap_err().contains("0 is less than 1"));
        assert!(
            reps("2000000")
                .unwrap_err()
                .contains("2,000,000 is more than 1,000,000")
        );
        assert!(reps_two("1").is_err());
        assert_eq!(threads("4"), Ok(4));
        assert!(threads("9999").unwrap_err().contains("from 1 to 1,024"));
        assert!(
            seed("18446744073709551615")
                .unwrap_err()
                .contains("9,223,372,036,854,775,807")
        );
    }

    #[test]
    fn dates_as_the_dutch_write_them() {
        let jan1 = Date::new(2025, 1, 1).unwrap();
        for s in [
            "2025-01-01",
            "01-01-2025",
            "1-1-2025",
            "1/1/2025",
            "1.1.2025",
        ] {
            assert_eq!(date(s), Ok(jan1), "{s}");
        }
        assert_eq!(date("3-2-2025"), Ok(Date::new(2025, 2, 3).unwrap()));
        assert!(
            date("31-02-2025")
                .unwrap_err()
                .contains("month 2 of 2025 has no day 31")
        );
        assert!(date("1-13-2025").unwrap_err().contains("13 is not a month"));
        assert!(
            date("1-1-25")
                .unwrap_err()
                .contains("no year of four digits")
        );
        assert!(
            date("tomorrow")
                .unwrap_err()
                .contains("write a date as 2025-01-01")
        );
    }

    #[test]
    fn shares_as_written() {
        for s in ["0.05", "0,05", "5%", "5 %", ".05"] {
            assert!((tolerance(s).unwrap() - 0.05).abs() < 1e-12, "{s}");
        }
        assert!((tolerance("7,5%").unwrap() - 0.075).abs() < 1e-12);
        let e = tolerance("5").unwrap_err();
        assert!(e.contains("for 5% write --tolerance 5%"), "{e}");
        assert!(tolerance("0").unwrap_err().contains("out of range"));
        assert!(tolerance("many").unwrap_err().contains("not a number"));
        assert!((confidence("90%").unwrap() - 0.9).abs() < 1e-12);
    }
}
