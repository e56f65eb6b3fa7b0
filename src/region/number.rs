//! Numbers as the region's messages and scenario comments write them ([`grouped`],
//! [`trim_float`]), and as a region's spreadsheet writes them ([`read`]).

pub mod read;

/// `1,234.5`: a number with thousands separators and `decimals` decimals.
pub fn grouped(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A float with at most 6 decimals and no trailing zeros.
pub fn trim_float(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(1644.07, 1), "1,644.1");
        assert_eq!(grouped(34386343.5, 0), "34,386,344");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(0.0, 1), "0.0");
        assert_eq!(grouped(-1234.0, 0), "−1,234");
    }
}
