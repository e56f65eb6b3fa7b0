//! `extends`: a scenario built on another file, overriding only what differs.
//!
//! Each file of the chain is parsed on its own into a spanned TOML tree; the trees are then
//! merged and the result deserialised as one scenario. Every file is parsed at its own
//! offset of a virtual concatenation of all files (by padding its text with spaces), so the
//! span of any value — whichever file it came from — identifies that file, line and column.
//!
//! Merge rules (the child overrides its base):
//! - `[scenario]`, `[report]` and `[finance]`: key by key; a key given replaces the base's
//!   value as a whole (a table value such as `queue = { … }` is replaced, not merged);
//! - `[[service]]` and `[[profile]]`: matched by `id`; keys given replace the base's, and a
//!   new id adds an entry; `[[inflow]]`: matched by `to` (and `profile`), likewise;
//! - every other list (`[[schedule]]`, `[[transition]]`, `[[finance.funding]]`, …) given in
//!   the child replaces the base's list as a whole.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME, Diagnostic, ScenarioError, Source};

/// The name under which a scenario refers to the built-in default.
pub const BUILTIN_EXTENDS: &str = "builtin:groningen";

/// One file of a chain, placed at `offset` in the virtual concatenation.
#[derive(Clone, Debug)]
pub struct ChainFile {
    pub name: String,
    pub text: String,
    pub offset: usize,
}

/// A scenario file and the files it extends, child first.
#[derive(Clone, Debug)]
pub struct Chain {
    pub files: Vec<ChainFile>,
}

impl Chain {
    /// A problem at global offset `offset`.
    pub fn diag(&self, offset: usize, field: &str, message: String) -> Diagnostic {
        let f = self
            .files
            .iter()
            .rev()
            .find(|f| f.offset <= offset)
            .unwrap_or(&self.files[0]);
        let local = (offset - f.offset).min(f.text.len());
        Diagnostic::at(&f.name, &f.text, local, field, message)
    }

    /// The file containing global offset `offset`, and the offset within it.
    pub fn locate(&self, offset: usize) -> (&ChainFile, usize) {
        let f = self
            .files
            .iter()
            .rev()
            .find(|f| f.offset <= offset)
            .unwrap_or(&self.files[0]);
        (f, (offset - f.offset).min(f.text.len()))
    }
}

fn toml_error(chain: &Chain, e: &toml::de::Error) -> ScenarioError {
    let offset = e.span().map_or(0, |s| s.start);
    let (file, local) = chain.locate(offset);
    let field = super::raw::field_of_message(&file.text, local);
    ScenarioError::Invalid(vec![chain.diag(
        offset,
        &field,
        super::raw::friendly(e.message().trim()),
    )])
}

/// The `extends` value of a parsed file, with its span.
fn extends_of(table: &DeTable<'_>) -> Option<Spanned<String>> {
    let scenario = table.get("scenario")?;
    let DeValue::Table(t) = scenario.get_ref() else {
        return None;
    };
    let v = t.get("extends")?;
    match v.get_ref() {
        DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
        _ => None,
    }
}

/// Reads `source` and every file it extends.
pub fn load_chain(source: &Source) -> Result<Chain, ScenarioError> {
    let mut files = vec![ChainFile {
        name: source.name.clone(),
        text: source.text.clone(),
        offset: 0,
    }];
    let mut seen: Vec<PathBuf> = vec![canonical(Path::new(&source.name))];
    loop {
        let (base_name, span, dir) = {
            let last = files.last().unwrap_or_else(|| unreachable!());
            let chain = Chain {
                files: files.clone(),
            };
            let padded = pad(last);
            let table = DeTable::parse(&padded).map_err(|e| toml_error(&chain, &e))?;
            let Some(ext) = extends_of(table.get_ref()) else {
                break;
            };
            let dir = Path::new(&last.name)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            (ext.get_ref().clone(), ext.span(), dir)
        };
        let chain = Chain {
            files: files.clone(),
        };
        let (name, text) = if base_name == BUILTIN_EXTENDS {
            (
                DEFAULT_SCENARIO_NAME.to_string(),
                DEFAULT_SCENARIO.to_string(),
            )
        } else {
            let path = dir.join(&base_name);
            let canon = canonical(&path);
            if seen.contains(&canon) {
                return Err(ScenarioError::Invalid(vec![chain.diag(
                    span.start,
                    "scenario.extends",
                    format!("\"{base_name}\" is already in this chain of `extends`: a cycle"),
                )]));
            }
            seen.push(canon);
            match std::fs::read_to_string(&path) {
                Ok(t) => (path.display().to_string(), t),
                Err(e) => {
                    return Err(ScenarioError::Invalid(vec![chain.diag(
                        span.start,
                        "scenario.extends",
                        format!(
                            "cannot read \"{}\": {e} (paths are relative to this file; \
                             \"{BUILTIN_EXTENDS}\" is the built-in default)",
                            path.display()
                        ),
                    )]));
                }
            }
        };
        if files.len() >= 16 {
            return Err(ScenarioError::Invalid(vec![chain.diag(
                span.start,
                "scenario.extends",
                "more than 16 files in a chain of `extends`".into(),
            )]));
        }
        let last = files.last().unwrap_or_else(|| unreachable!());
        let offset = last.offset + last.text.len() + 1;
        files.push(ChainFile { name, text, offset });
    }
    Ok(Chain { files })
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The file's text at its global offset: spaces, then the text.
fn pad(f: &ChainFile) -> String {
    let mut s = String::with_capacity(f.offset + f.text.len());
    s.extend(std::iter::repeat_n(' ', f.offset));
    s.push_str(&f.text);
    s
}

/// Parses every file of the chain and merges them, base first.
pub fn parse_merged<T: serde::de::DeserializeOwned>(chain: &Chain) -> Result<T, ScenarioError> {
    let padded: Vec<String> = chain.files.iter().map(pad).collect();
    let mut tables = Vec::with_capacity(padded.len());
    for text in &padded {
        tables.push(DeTable::parse(text).map_err(|e| toml_error(chain, &e))?);
    }
    let mut merged = tables.pop().unwrap_or_else(|| unreachable!());
    while let Some(child) = tables.pop() {
        let span = child.span();
        merge_document(merged.get_mut(), child.into_inner());
        merged = Spanned::new(span, merged.into_inner());
    }
    if let Some(DeValue::Table(s)) = merged.get_mut().get_mut("scenario").map(|v| v.get_mut()) {
        s.remove("extends");
    }
    let de = toml::de::Deserializer::from(merged);
    T::deserialize(de).map_err(|e| toml_error(chain, &e))
}

/// Merges a child document into its base (see the module documentation).
fn merge_document<'i>(base: &mut DeTable<'i>, child: DeTable<'i>) {
    for (key, value) in child {
        let k: &str = key.get_ref();
        match (k, base.get_mut(k)) {
            ("scenario" | "report" | "finance", Some(b)) => {
                if let (DeValue::Table(bt), DeValue::Table(ct)) = (b.get_mut(), value.get_ref()) {
                    for (ck, cv) in ct.clone() {
                        bt.insert(ck, cv);
                    }
                } else {
                    *b = value;
                }
            }
            ("service" | "profile" | "inflow", Some(b)) => {
                let (DeValue::Array(ba), DeValue::Array(ca)) = (b.get_mut(), value.get_ref())
                else {
                    *b = value;
                    continue;
                };
                for item in ca.iter() {
                    let DeValue::Table(ct) = item.get_ref() else {
                        ba.push(item.clone());
                        continue;
                    };
                    let id = identity(k, ct);
                    let found = ba.iter_mut().find(|x| match x.get_ref() {
                        DeValue::Table(bt) => id.is_some() && identity(k, bt) == id,
                        _ => false,
                    });
                    match found {
                        Some(x) => {
                            if let DeValue::Table(bt) = x.get_mut() {
                                for (ck, cv) in ct.clone() {
                                    bt.insert(ck, cv);
                                }
                            }
                        }
                        None => ba.push(item.clone()),
                    }
                }
            }
            _ => {
                base.insert(key, value);
            }
        }
    }
}

/// What identifies an entry of a list across files: `id`, or for inflows `to` + `profile`.
fn identity(list: &str, t: &DeTable<'_>) -> Option<String> {
    let s = |k: &str| match t.get(k).map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    };
    match list {
        "inflow" => s("to").map(|to| format!("{to}\u{0}{}", s("profile").unwrap_or_default())),
        _ => s("id"),
    }
}
