//! Workbooks for finance staff (`budget.xlsx`, `savings.xlsx`, `comparison.xlsx`), made
//! from the very CSV bytes written beside them, so the numbers are the CSV's: every cell
//! that parses as a number is written as that number (Excel keeps the 17 significant
//! digits of an `f64`), the rest as text. Formats only change how numbers *look*: euros,
//! percentages, whole numbers, days, years.
//!
//! Each workbook has an `info` sheet first (scenario, seed, replications, …) and then one
//! sheet per table, headers bold and frozen, columns sized to their contents. No time stamp
//! goes into the file: the same run gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

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

/// The workbook: an `info` sheet of (label, value) lines, then one sheet per table.
pub fn workbook(info: &[(String, String)], tables: &[Table]) -> Result<Vec<u8>, XlsxFileError> {
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
        ws.write_string_with_format(r as u32, 0, k, &bold)?;
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
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        let looks = [
            Look::Plain,
            Look::Euros,
            Look::Percent,
            Look::Count,
            Look::Days,
            Look::Integer,
        ];
        let formats: Vec<Format> = looks.iter().map(|l| l.format()).collect();
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
    Ok(super::output::stamp_workbook(wb.save_to_buffer()?))
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
        let a = workbook(&info, &t).unwrap();
        assert_eq!(a, workbook(&info, &t).unwrap(), "same input, same bytes");
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(x.sheet_names(), ["info", "costs"]);
        let r = x.worksheet_range("costs").unwrap();
        assert_eq!(r.get((1, 2)), Some(&Data::Float(1234567.89)));
        assert_eq!(r.get((1, 1)), Some(&Data::Float(2024.0)));
        assert_eq!(r.get((2, 3)), Some(&Data::String("x".into())));
        assert!(matches!(r.get((2, 2)), None | Some(Data::Empty)));
        let info = x.worksheet_range("info").unwrap();
        assert_eq!(info.get((0, 1)), Some(&Data::String("groningen".into())));
    }
}
