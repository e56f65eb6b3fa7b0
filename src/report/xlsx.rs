//! Workbooks for finance staff (`budget.xlsx`, `savings.xlsx`, `comparison.xlsx`), made
//! from the very CSV bytes written beside them, so the numbers are the CSV's: every cell
//! that parses as a number is written as that number (Excel keeps the 17 significant
//! digits of an `f64`), the rest as text. Formats only change how numbers *look*: euros,
//! percentages, whole numbers, days, years.
//!
//! Each workbook has an `info` sheet first (scenario, seed, replications, …) and then one
//! sheet per table, headers bold, frozen and written in words of the report's language
//! (`ci_low` is "95%-interval, onder"), columns sized to their contents; a [`Pivot`] sheet
//! lays a long table out as rows by columns (a road's savings per year). No time stamp
//! goes into the file: the same run gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::lang::Lang;

/// How a column's numbers are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// Text, or a number shown as it is.
    Plain,
    /// Euros, whole: `€ 12.345.678`.
    Euros,
    /// A share as a percentage with one decimal.
    Percent,
    /// A count: whole, with thousands separators.
    Count,
    /// Days, one decimal.
    Days,
    /// A year or an index: no thousands separator.
    Integer,
}

impl Look {
    fn format(self) -> Format {
        let f = Format::new();
        match self {
            Look::Plain => f,
            Look::Euros => f.set_num_format("\"€ \"#,##0"),
            Look::Percent => f.set_num_format("0.0%"),
            Look::Count => f.set_num_format("#,##0"),
            Look::Days => f.set_num_format("#,##0.0"),
            Look::Integer => f.set_num_format("0"),
        }
    }
}

/// One table of a workbook: its sheet name, the CSV bytes, and how each cell looks
/// given its column name and its row (as read from the CSV, header included).
pub struct Table<'a> {
    pub sheet: &'a str,
    pub csv: &'a [u8],
    pub look: &'a dyn Fn(&str, &csv::StringRecord, &csv::StringRecord) -> Look,
}

/// A sheet laid out from a long table (`csv`): one row per value of `row_key` columns and
/// `measure` column (kept when `keep` holds for the row), one column per value of the `col`
/// column, the cell the `value` column — a road's savings per year, with its frictiekosten,
/// the target and the gap as rows.
pub struct Pivot<'a> {
    pub sheet: &'a str,
    pub csv: &'a [u8],
    /// The columns that name a row (e.g. `strategy`, `measure`), in order.
    pub row_key: &'a [&'a str],
    /// The column whose values become columns (e.g. `year`).
    pub col: &'a str,
    /// The column of the cells' values (e.g. `mean`).
    pub value: &'a str,
    /// Which rows of the CSV take part.
    pub keep: &'a dyn Fn(&csv::StringRecord, &csv::StringRecord) -> bool,
    /// How a row's name is shown: the key's values, translated (a measure's words).
    pub label: &'a dyn Fn(&str, &str) -> String,
    pub look: Look,
}

/// The words of a CSV column in a workbook's header, in `lang`; a column jeugdflow does
/// not name (an axis path of a sweep) as it is.
pub fn header_label(column: &str, lang: Lang) -> String {
    let (nl, en) = match column {
        "scenario" => ("scenario", "scenario"),
        "future" => ("toekomst", "future"),
        "strategy" => ("strategie", "strategy"),
        "baseline" => ("basis", "baseline"),
        "metric" | "measure" => ("maatstaf", "measure"),
        "mean" => ("gemiddelde", "mean"),
        "ci_low" => ("95%-interval, onder", "95% interval, low"),
        "ci_high" => ("95%-interval, boven", "95% interval, high"),
        "p05" => ("5e percentiel", "5th percentile"),
        "p50" => ("mediaan", "median"),
        "p90" => ("90e percentiel", "90th percentile"),
        "p95" => ("95e percentiel", "95th percentile"),
        "reps" => ("replicaties", "replications"),
        "mean_diff" => ("verschil met de basis", "difference from the baseline"),
        "p_better" => ("aandeel replicaties beter", "share of replications better"),
        "paired" => ("gepaard per replicatie", "paired per replication"),
        "regret" => ("spijt", "regret"),
        "segment" => ("segment", "segment"),
        "service" => ("voorziening", "service"),
        "year" => ("jaar", "year"),
        "funding_model" => ("bekostigingsmodel", "funding model"),
        "confidence" => ("zekerheid", "confidence"),
        "budget" => ("budget", "budget"),
        "pxq_mean" => ("P×Q-kosten, gemiddeld", "P×Q cost, mean"),
        "target_share" => (
            "doel: aandeel binnen de norm",
            "target share within the norm",
        ),
        "capacity" => ("capaciteit (hele plaatsen)", "capacity (whole places)"),
        "note" => ("opmerking", "note"),
        "model" => ("bekostigingsmodel", "funding model"),
        "p_over" => ("kans op overschrijding", "chance of an overrun"),
        "overrun" => ("overschrijding, gemiddeld", "overrun, mean"),
        "region" => ("betaalt de regio", "paid by the region"),
        "provider" => ("draagt de aanbieder", "carried by the provider"),
        _ => return column.to_string(),
    };
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The words of an `info` line's label in `lang` (the labels jeugdflow writes there).
fn info_label(label: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return label.to_string();
    }
    let (word, rest) = match label.split_once(' ') {
        Some((w, r)) if r.parse::<usize>().is_ok() => (w, Some(r)),
        _ => (label, None),
    };
    let nl = match word {
        "comparison" => "vergelijking",
        "scenario" => "scenario",
        "scenario file" => "scenariobestand",
        "strategy" => "strategie",
        "seed" => "seed",
        "replications" => "replicaties",
        "baseline" => "basis",
        "confidence" => "zekerheid",
        "wait norm share" => "aandeel binnen de norm",
        "made with" => "gemaakt met",
        other => other,
    };
    match rest {
        Some(r) => format!("{nl} {r}"),
        None => nl.to_string(),
    }
}

/// Why a workbook could not be made.
#[derive(Debug, thiserror::Error)]
pub enum XlsxFileError {
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("table '{sheet}': {message}")]
    Csv { sheet: String, message: String },
}

/// The width (in characters) of a column holding `longest` characters at most.
fn width(longest: usize) -> f64 {
    (longest as f64 + 2.0).clamp(8.0, 48.0)
}

/// The looks, in the order of their formats in [`formats`].
const LOOKS: [Look; 6] = [
    Look::Plain,
    Look::Euros,
    Look::Percent,
    Look::Count,
    Look::Days,
    Look::Integer,
];

/// The formats of [`LOOKS`].
fn formats() -> Vec<Format> {
    LOOKS.iter().map(|l| l.format()).collect()
}

/// The workbook: an `info` sheet of (label, value) lines, then one sheet per table, with
/// headers and labels in `lang`.
pub fn workbook(
    info: &[(String, String)],
    tables: &[Table],
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    workbook_with(info, tables, &[], lang)
}

/// [`workbook`] with [`Pivot`] sheets after the tables.
pub fn workbook_with(
    info: &[(String, String)],
    tables: &[Table],
    pivots: &[Pivot],
    lang: Lang,
) -> Result<Vec<u8>, XlsxFileError> {
    let mut wb = Workbook::new();
    // a fixed creation time: the bytes depend on the results only
    let when = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("info")?;
    let mut w0 = 8;
    let mut w1 = 8;
    for (r, (k, v)) in info.iter().enumerate() {
        let k = info_label(k, lang);
        ws.write_string_with_format(r as u32, 0, &k, &bold)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => ws.write_number(r as u32, 1, x)?,
            _ => ws.write_string(r as u32, 1, v)?,
        };
        w0 = w0.max(k.chars().count());
        w1 = w1.max(v.chars().count());
    }
    ws.set_column_width(0, width(w0))?;
    ws.set_column_width(1, width(w1))?;
    for t in tables {
        let fail = |e: csv::Error| XlsxFileError::Csv {
            sheet: t.sheet.to_string(),
            message: e.to_string(),
        };
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(t.csv);
        let mut records = rd.records();
        let header = match records.next() {
            Some(h) => h.map_err(fail)?,
            None => csv::StringRecord::new(),
        };
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet)?;
        let labels: Vec<String> = header.iter().map(|h| header_label(h, lang)).collect();
        let mut widths: Vec<usize> = labels.iter().map(|h| h.chars().count()).collect();
        for (c, h) in labels.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        let looks = LOOKS;
        let formats = formats();
        for (r, rec) in records.enumerate() {
            let rec = rec.map_err(fail)?;
            let row = r as u32 + 1;
            for (c, cell) in rec.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let col = c as u16;
                let name = header.get(c).unwrap_or("");
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => {
                        let look = (t.look)(name, &rec, &header);
                        let i = looks.iter().position(|l| *l == look).unwrap_or(0);
                        ws.write_number_with_format(row, col, x, &formats[i])?;
                    }
                    _ => {
                        ws.write_string(row, col, cell)?;
                    }
                }
                if let Some(w) = widths.get_mut(c) {
                    // a formatted number is about as wide as its text, plus separators
                    *w = (*w).max(cell.chars().count() + 3);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, width(*w))?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    for p in pivots {
        pivot(wb.add_worksheet(), p, &bold)?;
    }
    Ok(super::output::stamp_workbook(wb.save_to_buffer()?))
}

/// Writes pivot sheet `p` into `ws`.
fn pivot(ws: &mut Worksheet, p: &Pivot, bold: &Format) -> Result<(), XlsxFileError> {
    let fail = |e: csv::Error| XlsxFileError::Csv {
        sheet: p.sheet.to_string(),
        message: e.to_string(),
    };
    ws.set_name(p.sheet)?;
    let mut rd = csv::Reader::from_reader(p.csv);
    let header = rd.headers().map_err(fail)?.clone();
    // rows in order of first appearance, columns likewise
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cols: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(fail)?;
        if !(p.keep)(&rec, &header) {
            continue;
        }
        let key: Vec<String> = p
            .row_key
            .iter()
            .map(|k| field(k, &rec, &header).to_string())
            .collect();
        let col = field(p.col, &rec, &header).to_string();
        let r = rows.iter().position(|x| *x == key).unwrap_or_else(|| {
            rows.push(key);
            rows.len() - 1
        });
        let c = cols.iter().position(|x| *x == col).unwrap_or_else(|| {
            cols.push(col);
            cols.len() - 1
        });
        if let Ok(v) = field(p.value, &rec, &header).parse::<f64>()
            && v.is_finite()
        {
            cells.push((r, c, v));
        }
    }
    let n_key = p.row_key.len() as u16;
    let mut widths = vec![8usize; n_key as usize + cols.len()];
    for (c, col) in cols.iter().enumerate() {
        let at = n_key + c as u16;
        match col.parse::<f64>() {
            Ok(x) if x.is_finite() && x.fract() == 0.0 => {
                ws.write_number_with_format(0, at, x, &bold.clone().set_num_format("0"))?
            }
            _ => ws.write_string_with_format(0, at, col, bold)?,
        };
    }
    for (r, key) in rows.iter().enumerate() {
        for (k, v) in key.iter().enumerate() {
            let text = (p.label)(p.row_key[k], v);
            widths[k] = widths[k].max(text.chars().count());
            ws.write_string_with_format(r as u32 + 1, k as u16, &text, bold)?;
        }
    }
    let format = p.look.format();
    for (r, c, v) in cells {
        ws.write_number_with_format(r as u32 + 1, n_key + c as u16, v, &format)?;
        let w = &mut widths[n_key as usize + c];
        *w = (*w).max(format!("{v:.0}").len() + 4);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, width(*w))?;
    }
    ws.set_freeze_panes(1, n_key)?;
    Ok(())
}

/// The value of column `name` in `row` (read with `header`), or "".
pub fn field<'a>(name: &str, row: &'a csv::StringRecord, header: &csv::StringRecord) -> &'a str {
    header
        .iter()
        .position(|h| h == name)
        .and_then(|i| row.get(i))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_deterministic_and_reads_back_as_its_csv() {
        use calamine::{Data, Reader, Xlsx};
        let csv = b"segment,year,mean,share\nall,2024,1234567.89,0.25\nwonen,2025,,x\n";
        let look = |c: &str, _: &csv::StringRecord, _: &csv::StringRecord| match c {
            "mean" => Look::Euros,
            "share" => Look::Percent,
            "year" => Look::Integer,
            _ => Look::Plain,
        };
        let info = vec![("scenario".to_string(), "groningen".to_string())];
        let t = [Table {
            sheet: "costs",
            csv,
            look: &look,
        }];
        let a = workbook(&info, &t, Lang::Nl).unwrap();
        assert_eq!(
            a,
            workbook(&info, &t, Lang::Nl).unwrap(),
            "same input, same bytes"
        );
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(x.sheet_names(), ["info", "costs"]);
        let r = x.worksheet_range("costs").unwrap();
        // headers in words of the language
        assert_eq!(r.get((0, 2)), Some(&Data::String("gemiddelde".into())));
        assert_eq!(r.get((0, 1)), Some(&Data::String("jaar".into())));
        assert_eq!(r.get((1, 2)), Some(&Data::Float(1234567.89)));
        assert_eq!(r.get((1, 1)), Some(&Data::Float(2024.0)));
        assert_eq!(r.get((2, 3)), Some(&Data::String("x".into())));
        assert!(matches!(r.get((2, 2)), None | Some(Data::Empty)));
        let info = x.worksheet_range("info").unwrap();
        assert_eq!(info.get((0, 1)), Some(&Data::String("groningen".into())));
    }

    #[test]
    fn a_pivot_lays_a_long_table_out_by_year() {
        use calamine::{Data, Reader, Xlsx};
        let csv = b"strategy,segment,year,measure,mean\n\
                    a,all,2024,saving,1.5\na,all,2025,saving,2.5\na,wonen,2024,saving,9\n\
                    a,all,2024,target,3\nb,all,2025,saving,4\n";
        let keep = |r: &csv::StringRecord, h: &csv::StringRecord| field("segment", r, h) == "all";
        let label = |k: &str, v: &str| {
            if k == "measure" {
                v.to_uppercase()
            } else {
                v.into()
            }
        };
        let p = Pivot {
            sheet: "per year",
            csv,
            row_key: &["strategy", "measure"],
            col: "year",
            value: "mean",
            keep: &keep,
            label: &label,
            look: Look::Euros,
        };
        let a = workbook_with(&[], &[], &[p], Lang::En).unwrap();
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(a)).unwrap();
        let r = x.worksheet_range("per year").unwrap();
        assert_eq!(r.get((0, 2)), Some(&Data::Float(2024.0)));
        assert_eq!(r.get((0, 3)), Some(&Data::Float(2025.0)));
        assert_eq!(r.get((1, 1)), Some(&Data::String("SAVING".into())));
        assert_eq!(r.get((1, 2)), Some(&Data::Float(1.5)));
        assert_eq!(r.get((1, 3)), Some(&Data::Float(2.5)));
        assert_eq!(r.get((2, 1)), Some(&Data::String("TARGET".into())));
        assert_eq!(r.get((3, 0)), Some(&Data::String("b".into())));
        assert_eq!(r.get((3, 3)), Some(&Data::Float(4.0)));
        assert!(matches!(r.get((3, 2)), None | Some(Data::Empty)));
        assert_eq!(r.height(), 4, "the wonen row is left out");
    }
}
