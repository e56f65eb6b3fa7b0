//! Lines of the tables the commands print on the terminal: a first column left-aligned,
//! then cells right-aligned, each after one space.

/// The widths of a terminal table's columns.
#[derive(Clone, Debug)]
pub struct Columns {
    first: usize,
    /// Widths of the cells after the first column; the last one repeats.
    cells: Vec<usize>,
}

impl Columns {
    /// A first column of `first` characters, then cells of the given widths (the last
    /// width repeated for any further cells).
    pub fn new(first: usize, cells: &[usize]) -> Columns {
        Columns {
            first,
            cells: cells.to_vec(),
        }
    }

    /// One line: `first` padded to its width, then [`Columns::cells`].
    pub fn line<S: AsRef<str>>(&self, first: &str, cells: &[S]) -> String {
        format!("{first:<w$}{}", self.cells(cells), w = self.first)
    }

    /// The cells alone, each after one space and right-aligned in its width.
    pub fn cells<S: AsRef<str>>(&self, cells: &[S]) -> String {
        let last = self.cells.last().copied().unwrap_or(0);
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = self.cells.get(i).copied().unwrap_or(last);
                format!(" {:>w$}", c.as_ref())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_column_left_cells_right_last_width_repeats() {
        let c = Columns::new(6, &[4, 3]);
        assert_eq!(c.line("ab", &["1", "2", "345"]), "ab        1   2 345");
        // a label wider than its column is not cut
        assert_eq!(c.line("abcdefgh", &["1"]), "abcdefgh    1");
        assert_eq!(c.cells::<&str>(&[]), "");
    }
}
