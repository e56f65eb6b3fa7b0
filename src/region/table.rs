//! Reading a region table: a `.csv` file or the first sheet of an `.xlsx` workbook, as
//! text cells with the row and column a spreadsheet user sees.
//!
//! Nothing is interpreted here: every cell becomes a string (a number cell of a
//! workbook in Rust's shortest round-trip notation, so a workbook and its CSV export give
//! the same text), rows keep their number in the file, and [`super::check`] does the
//! rest. CSV files may be separated by `,` or `;` (Dutch spreadsheets export `;` with a
//! decimal comma), may start with a byte-order mark, may be in UTF-8 or Windows-1252
//! (what Excel writes for "CSV (comma delimited)"), and may hold `#` comment lines.

use std::path::Path;

use super::RegionError;

/// A table as read: the header and the rows below it, all as text.
#[derive(Clone, Debug, PartialEq)]
pub struct RawTable {
    /// The file as the user named it, for messages.
    pub file: String,
    /// Row number (1-based, as a spreadsheet shows it) of the header.
    pub header_row: usize,
    /// Header cells, trimmed.
    pub header: Vec<String>,
    /// 0-based index of the sheet column that holds the first cell of each row (0 for
    /// CSV; a workbook's used range may start further right).
    pub first_col: usize,
    pub rows: Vec<RawRow>,
    /// The CSV file's separator (`,` or `;`); `None` for a workbook.
    pub separator: Option<char>,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Every sheet of the workbook, in order (empty for CSV).
    pub sheets: Vec<String>,
}

/// One data row of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    /// Row number in the file or sheet (1-based), for messages.
    pub row: usize,
    /// Cells, trimmed; as many as the row has (may differ from the header).
    pub cells: Vec<String>,
    /// The number a workbook's number cell holds, by position (empty for CSV, whose
    /// cells are all text).
    pub numbers: Vec<Option<f64>>,
}

impl RawTable {
    /// The spreadsheet letter of column `i` of a row (`A`, …, `Z`, `AA`, …).
    pub fn letter(&self, i: usize) -> String {
        column_letter(self.first_col + i)
    }
}

/// `A` for 0, `Z` for 25, `AA` for 26.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// Reads a `.csv` file or a sheet of an `.xlsx` (also `.xlsm`, `.xls`, `.ods`) workbook:
/// `sheet`, or the first. A scenario or sweep file (`.toml`) is named for what it is.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<RawTable, RegionError> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let fail = |message: String| RegionError::Read {
        path: file.clone(),
        message,
    };
    let workbook = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods");
    if sheet.is_some() && !workbook {
        return Err(fail(
            "--sheet chooses a sheet of a workbook (.xlsx); a .csv file has none: leave it out"
                .into(),
        ));
    }
    match ext.as_str() {
        "csv" => parse_csv(&file, &read_bytes(path, &file)?),
        _ if workbook => read_workbook(&read_bytes(path, &file)?, &file, sheet),
        "toml" => Err(fail(
            "this is a scenario or sweep file (TOML), not a region table: run a scenario with \
             `jeugdflow run FILE`, a sweep with `jeugdflow sweep FILE`; a region table is a \
             .csv file or an .xlsx workbook with one row per service (README, \"Your own region\")"
                .into(),
        )),
        _ => Err(fail(
            "a region table is a .csv file or an .xlsx workbook, one row per service (README, \
             \"Your own region\")"
                .into(),
        )),
    }
}

/// The largest region table read: a region's table has one row per service (a few kB as
/// CSV, some hundred kB as a workbook), so 64 MiB is far beyond any real one, yet small
/// enough that a wrong path (a database dump, `/dev/zero`) is refused at once instead of
/// filling memory.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of the table at `path`, read through [`MAX_TABLE_BYTES`].
fn read_bytes(path: &Path, file: &str) -> Result<Vec<u8>, RegionError> {
    let fail = |message: String| RegionError::Read {
        path: file.to_string(),
        message,
    };
    crate::scenario::read_capped(path, MAX_TABLE_BYTES)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| {
            fail("file is larger than 64 MiB; a region table has one row per service".into())
        })
}

/// Parses the bytes of a CSV file named `file`.
pub fn parse_csv(file: &str, bytes: &[u8]) -> Result<RawTable, RegionError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // Excel's "CSV (comma delimited)" is Windows-1252, not UTF-8
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let semicolons = header_line.matches(';').count();
    let delimiter = if semicolons > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    // comment lines become empty lines, so that the reader's line numbers stay the file's
    let text: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.trim_start().starts_with('#') {
                if l.ends_with('\n') { "\n" } else { "" }
            } else {
                l
            }
        })
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut records = reader.records();
    while let Some(rec) = records.next() {
        let rec = rec.map_err(|e| RegionError::Read {
            path: file.to_string(),
            message: format!("not a readable CSV table: {e}"),
        })?;
        // the record's own position may lie before blank lines the reader skipped:
        // count back from where it ended instead
        let end = records.reader().position();
        let ended_by_newline = (end.byte() as usize)
            .checked_sub(1)
            .and_then(|b| text.as_bytes().get(b))
            == Some(&b'\n');
        let inside: usize = rec.iter().map(|c| c.matches('\n').count()).sum();
        let line = (end.line() as usize).saturating_sub(usize::from(ended_by_newline) + inside);
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if header.is_none() {
            header = Some((line, cells));
        } else {
            rows.push(RawRow {
                row: line,
                cells,
                numbers: Vec::new(),
            });
        }
    }
    let (header_row, header) = header.ok_or_else(|| RegionError::Read {
        path: file.to_string(),
        message: "the table is empty: it needs a header row and one row per service".into(),
    })?;
    Ok(RawTable {
        file: file.to_string(),
        header_row,
        header,
        first_col: 0,
        rows,
        separator: Some(char::from(delimiter)),
        sheet: None,
        sheets: Vec::new(),
    })
}

fn read_workbook(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<RawTable, RegionError> {
    use calamine::{Data, Reader};
    let fail = |message: String| RegionError::Read {
        path: file.to_string(),
        message,
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| {
            fail(
                "not a workbook jeugdflow can read (.xlsx, .xlsm, .xls or .ods): save the table \
             again from the spreadsheet program, or export it as CSV"
                    .into(),
            )
        })?;
    let sheets = book.sheet_names();
    let names = || {
        let quoted: Vec<String> = sheets.iter().map(|n| format!("\"{n}\"")).collect();
        crate::words::list(&quoted)
    };
    let name = match sheet {
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| fail("the workbook has no sheet".into()))?,
        Some(want) => sheets
            .iter()
            .find(|n| n.as_str() == want)
            .or_else(|| sheets.iter().find(|n| n.eq_ignore_ascii_case(want)))
            .cloned()
            .ok_or_else(|| {
                fail(format!(
                    "the workbook has no sheet \"{want}\"; its sheets are {}",
                    names()
                ))
            })?,
    };
    let range = book.worksheet_range(&name).map_err(|_| {
        fail(format!(
            "cannot read its sheet \"{name}\"; its sheets are {}",
            names()
        ))
    })?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    // text as a spreadsheet shows it, and the number of a number cell
    let cell = |d: &Data| -> (String, Option<f64>) {
        match d {
            Data::Empty => (String::new(), None),
            Data::String(s) => (s.trim().to_string(), None),
            Data::Float(f) => (f.to_string(), Some(*f)),
            Data::Int(i) => (i.to_string(), Some(*i as f64)),
            Data::Bool(b) => (b.to_string(), None),
            Data::DateTime(d) => (d.to_string(), None),
            Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), None),
            Data::Error(e) => (format!("{e}"), None),
        }
    };
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let row = row0 as usize + i + 1;
        let (mut cells, mut numbers): (Vec<String>, Vec<Option<f64>>) = r.iter().map(cell).unzip();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
            numbers.pop();
        }
        if cells.is_empty() || cells[0].starts_with('#') {
            continue;
        }
        if header.is_none() {
            header = Some((row, cells));
        } else {
            rows.push(RawRow {
                row,
                cells,
                numbers,
            });
        }
    }
    let (header_row, header) = header.ok_or_else(|| {
        fail(format!(
            "sheet \"{name}\" is empty: it needs a header row and one row per service{}",
            other_sheets(&sheets, &name)
        ))
    })?;
    Ok(RawTable {
        file: file.to_string(),
        header_row,
        header,
        first_col: col0 as usize,
        rows,
        separator: None,
        sheet: Some(name),
        sheets,
    })
}

/// `; the workbook's other sheets are "A", "B": choose one with --sheet NAME`, or nothing
/// when it has no other.
pub fn other_sheets(sheets: &[String], read: &str) -> String {
    let others: Vec<String> = sheets
        .iter()
        .filter(|n| n.as_str() != read)
        .map(|n| format!("\"{n}\""))
        .collect();
    match others.as_slice() {
        [] => String::new(),
        [one] => format!(
            "; the workbook's other sheet is {one}: choose it with --sheet {}",
            bare(one)
        ),
        _ => format!(
            "; the workbook's other sheets are {}: choose one with --sheet NAME",
            crate::words::list(&others)
        ),
    }
}

/// A quoted sheet name as it is typed after `--sheet` (quoted for the shell when it has
/// spaces).
fn bare(quoted: &str) -> String {
    let n = quoted.trim_matches('"');
    if n.contains(' ') {
        format!("'{n}'")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_past_comments_and_blank_lines() {
        let t = parse_csv(
            "t.csv",
            b"# a comment\nservice,name\n\n# another\na,\"A, quoted\"\n,\nb,B\n",
        )
        .unwrap();
        assert_eq!(t.header_row, 2);
        assert_eq!(t.header, ["service", "name"]);
        let rows: Vec<(usize, &str)> = t
            .rows
            .iter()
            .map(|r| (r.row, r.cells[1].as_str()))
            .collect();
        assert_eq!(rows, [(5, "A, quoted"), (7, "B")]);
        assert_eq!(t.separator, Some(','));
        let t = parse_csv("t.csv", b"service,name\r\na,\"two\nlines\"\r\n\r\nb,c").unwrap();
        let rows: Vec<usize> = t.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, [2, 5]);
    }

    #[test]
    fn semicolons_bom_and_windows_1252_are_understood() {
        let mut bytes = b"service;name\nres;Residenti".to_vec();
        bytes.push(0xEB); // ë in Windows-1252
        bytes.extend_from_slice(b"le\n");
        let t = parse_csv("t.csv", &bytes).unwrap();
        assert_eq!(t.rows[0].cells, ["res", "Residentiële"]);
        assert_eq!(t.separator, Some(';'));
        let t = parse_csv("t.csv", "\u{feff}service,name\na,b\n".as_bytes()).unwrap();
        assert_eq!(t.header[0], "service");
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let e = parse_csv("t.csv", b"\n# only a comment\n").unwrap_err();
        assert!(e.to_string().contains("t.csv"), "{e}");
    }
}
