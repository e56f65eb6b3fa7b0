//! [`CsvTable`]: the one way the exporters build CSV. It formats into a `String`, so adding a
//! row cannot fail and nothing can be dropped on the way to the bytes.
//!
//! The bytes are those of the `csv` crate's default writer with `\n` line ends (the format
//! the outputs have always had, which the test below checks): a field is quoted when it
//! holds a comma, a quote, `\r` or `\n`, quotes inside are doubled, and a record of one
//! empty field is written `""`.

/// A CSV table built in memory, header first, every row as wide as the header.
#[derive(Clone, Debug)]
pub struct CsvTable {
    text: String,
    width: usize,
}

impl CsvTable {
    /// A table with this header row.
    pub fn new<I>(header: I) -> CsvTable
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut t = CsvTable {
            text: String::new(),
            width: 0,
        };
        t.width = t.push(header);
        t
    }

    /// Appends a row.
    ///
    /// # Panics
    /// When the row is not as wide as the header: that is a bug in the exporter (the field
    /// lists are fixed in code), and a table with a ragged row must never be written.
    pub fn row<I>(&mut self, fields: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let n = self.push(fields);
        assert_eq!(
            n, self.width,
            "a CSV row has {n} fields but its header {}",
            self.width
        );
    }

    /// The table's bytes (UTF-8, `\n` after every row).
    pub fn into_bytes(self) -> Vec<u8> {
        self.text.into_bytes()
    }

    /// Writes one record and its line end; returns the number of fields.
    fn push<I>(&mut self, fields: I) -> usize
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut n = 0;
        let mut only_empty = true;
        for f in fields {
            let f = f.as_ref();
            if n > 0 {
                self.text.push(',');
            }
            n += 1;
            only_empty &= f.is_empty();
            if f.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
                self.text.push('"');
                self.text.push_str(&f.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(f);
            }
        }
        // one empty field (or none) would be an empty line, which readers skip
        if n <= 1 && only_empty {
            self.text.push_str("\"\"");
        }
        self.text.push('\n');
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the `csv` crate writes for the same records.
    fn csv_crate(records: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn table(records: &[Vec<String>]) -> Vec<u8> {
        let mut t = CsvTable::new(&records[0]);
        for r in &records[1..] {
            t.row(r);
        }
        t.into_bytes()
    }

    #[test]
    fn plain_and_quoted_fields() {
        let mut t = CsvTable::new(["a", "b", "c"]);
        t.row(["1", "", "x,y"]);
        t.row(["say \"hi\"", "line\nbreak", "cr\r"]);
        assert_eq!(
            String::from_utf8(t.into_bytes()).unwrap(),
            "a,b,c\n1,,\"x,y\"\n\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\r\"\n"
        );
    }

    #[test]
    fn a_record_of_one_empty_field_is_not_an_empty_line() {
        let mut t = CsvTable::new(["x"]);
        t.row([""]);
        assert_eq!(t.into_bytes(), b"x\n\"\"\n");
    }

    #[test]
    #[should_panic(expected = "a CSV row has 1 fields but its header 2")]
    fn a_ragged_row_is_a_bug() {
        CsvTable::new(["a", "b"]).row(["1"]);
    }

    proptest! {
        #[test]
        fn same_bytes_as_the_csv_crate(
            width in 1usize..5,
            cells in proptest::collection::vec("[a-z0-9 ,.\"\r\n€-]{0,6}", 0..40),
        ) {
            let mut records: Vec<Vec<String>> = cells.chunks(width).map(<[String]>::to_vec).collect();
            records.retain(|r| r.len() == width);
            prop_assume!(!records.is_empty());
            prop_assert_eq!(table(&records), csv_crate(&records));
        }
    }
}
