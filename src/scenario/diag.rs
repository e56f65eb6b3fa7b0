//! Problems found in a scenario, with their place in the file.

use std::fmt;

/// One problem: where it is, which field, and what is wrong or allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The field, as a path a user recognises: `service 'pleegzorg'.los.sd`.
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    /// A problem at byte offset `offset` of `text`.
    pub fn at(file: &str, text: &str, offset: usize, field: &str, message: String) -> Self {
        let (line, column) = line_col(text, offset);
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            field: field.to_string(),
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.field, self.message
        )
    }
}

/// 1-based line and column of a byte offset (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The field at `offset`, as a hint to the user: the enclosing table header and the key
/// on that line, e.g. `service.capacity`.
pub(super) fn field_of_message(text: &str, offset: usize) -> String {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let header_of = |line: &str| {
        let l = line.trim();
        l.starts_with('[').then(|| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
    };
    let line = text[start..].lines().next().unwrap_or("");
    if let Some(h) = header_of(line) {
        return h;
    }
    let table = text[..start]
        .lines()
        .rev()
        .find_map(header_of)
        .unwrap_or_default();
    let key = match line.split_once('=') {
        Some((k, _)) if !k.trim().is_empty() => k.trim().to_string(),
        _ => String::new(),
    };
    match (table.is_empty(), key.is_empty()) {
        (false, false) => format!("{table}.{key}"),
        (false, true) => table,
        (true, false) => key,
        (true, true) => "file".to_string(),
    }
}

/// Makes serde's wording a little friendlier for people writing scenarios: no Rust type
/// names (`i64`, `f64`, `struct RawDist`), which mean nothing to them.
pub(super) fn friendly(message: &str) -> String {
    let mut m = message
        .replace("invalid type: ", "wrong type: got ")
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace(
            "expected struct RawDist",
            "expected a distribution table such as { dist = \"exponential\", mean = 30 }",
        );
    for int in ["i64", "u64", "i32", "u32", "u16", "u8", "usize"] {
        m = m.replace(&format!("expected {int}"), "expected a whole number");
    }
    m = m.replace("expected f64", "expected a number");
    // any other struct of the schema: a table
    while let Some(at) = m.find("expected struct Raw") {
        let name_end = m[at + "expected struct ".len()..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(m.len(), |e| at + "expected struct ".len() + e);
        m.replace_range(at..name_end, "expected a table { … }");
    }
    m
}

/// The words of `candidates` nearest `word` by edit distance (at most 2, or a third of
/// the word), nearest first, at most three: the ids a misspelt one was likely meant as.
pub fn closest<S: AsRef<str>>(word: &str, candidates: &[S]) -> Vec<String> {
    let limit = (word.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| c.as_ref())
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Levenshtein distance (insertions, deletions and substitutions of characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Why a scenario could not be used. Every variant is the user's input at fault.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file '{path}': {message}")]
    Read { path: String, message: String },
    /// The file is another kind of input (a region table, a workbook, a sweep where a
    /// scenario is expected, or the reverse): what it is, and the command that reads it.
    #[error("{path}: {message}")]
    WrongKind { path: String, message: String },
    /// The file was read but has problems; all of them are listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Diagnostic>),
}

fn list(d: &[Diagnostic]) -> String {
    let mut s = format!(
        "{} problem{} in the scenario:",
        d.len(),
        if d.len() == 1 { "" } else { "s" }
    );
    for x in d {
        s.push_str("\n  ");
        s.push_str(&x.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_ids_are_suggested() {
        let ids = ["residentieel", "crisis", "pleegzorg", "gezinshuis"];
        assert_eq!(closest("residentiel", &ids), ["residentieel"]);
        assert_eq!(closest("Crisis", &ids), ["crisis"]);
        assert_eq!(closest("pleegzrog", &ids), ["pleegzorg"]);
        assert!(closest("ambulant", &ids).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn line_and_column_are_one_based() {
        let t = "a = 1\nbb = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, 11), (2, 6));
        assert_eq!(line_col(t, 999), (3, 1));
    }

    #[test]
    fn the_field_of_a_toml_error_is_its_table_and_key() {
        let t = "seed = 1\n[scenario]\nname = 3\n\n[[service]]\nid = \"a\"\n";
        let at = |s: &str| t.find(s).unwrap();
        assert_eq!(field_of_message(t, at("seed")), "seed");
        assert_eq!(field_of_message(t, at("[scenario]")), "scenario");
        assert_eq!(field_of_message(t, at("name") + 7), "scenario.name");
        assert_eq!(field_of_message(t, at("[[service]]") - 1), "scenario");
        assert_eq!(field_of_message(t, at("id =")), "service.id");
        assert_eq!(field_of_message("", 0), "file");
    }

    #[test]
    fn serde_wording_is_made_friendlier() {
        assert_eq!(
            friendly("unknown field `x`, missing field `y`, invalid type: string"),
            "unknown key `x`, missing key `y`, wrong type: got string"
        );
    }

    #[test]
    fn rust_type_names_become_plain_words() {
        assert_eq!(
            friendly("invalid type: floating point `2.5`, expected i64"),
            "wrong type: got floating point `2.5`, expected a whole number"
        );
        assert_eq!(
            friendly("invalid type: string \"5\", expected f64"),
            "wrong type: got string \"5\", expected a number"
        );
        assert_eq!(
            friendly("invalid type: integer `14`, expected struct RawDist"),
            "wrong type: got integer `14`, expected a distribution table such as \
             { dist = \"exponential\", mean = 30 }"
        );
        assert_eq!(
            friendly("invalid type: integer `1`, expected struct RawQueue"),
            "wrong type: got integer `1`, expected a table { … }"
        );
    }

    #[test]
    fn invalid_lists_every_problem() {
        let d = Diagnostic::at("x.toml", "a\nb", 2, "scenario.seed", "bad".into());
        let e = ScenarioError::Invalid(vec![d.clone(), d]);
        let s = e.to_string();
        assert!(s.starts_with("2 problems"));
        assert!(s.contains("x.toml:2:1: scenario.seed: bad"));
    }
}
