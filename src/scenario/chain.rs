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
//!
//! A sweep's *future* ([`Chain::with_overlay`]) is merged on top of the whole chain by the
//! same rules, with one difference: a table value it gives inside an entry or section
//! (`staff = { attrition_per_year = 0.17 }`) is merged key by key into the scenario's, so a
//! future can change the staff market without restating each road's own hiring plan.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diag::{field_of_message, friendly};
use super::{
    DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME, Diagnostic, ScenarioError, Source, TOO_LARGE,
};

/// The name under which a scenario refers to the built-in default.
pub const BUILTIN_EXTENDS: &str = "builtin:groningen";

/// One file of a chain, placed at `offset` in the virtual concatenation.
#[derive(Clone, Debug)]
pub struct ChainFile {
    pub name: String,
    pub text: String,
    pub offset: usize,
}

/// A scenario file and the files it extends, child first, then any sweep overrides.
///
/// The file the user named is always there (a chain is never empty), so every question
/// about "the last file" has an answer.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The scenario file the user named, at offset 0.
    root: ChainFile,
    /// The files it extends, nearest first.
    bases: Vec<ChainFile>,
    /// A sweep's future: a partial scenario merged on top of the root and its bases.
    overlay: Option<ChainFile>,
    /// Sweep overrides, applied after merging, with the synthetic last file holding their
    /// text (`path = value` lines) so that errors point at them.
    overrides: Option<(ChainFile, Vec<Override>)>,
}

impl Chain {
    /// A problem at global offset `offset`.
    pub fn diag(&self, offset: usize, field: &str, message: String) -> Diagnostic {
        let (f, local) = self.locate(offset);
        Diagnostic::at(&f.name, &f.text, local, field, message)
    }

    /// Every file: the root, its bases nearest first, a future, the overrides' file last.
    pub fn files(&self) -> impl DoubleEndedIterator<Item = &ChainFile> {
        std::iter::once(&self.root)
            .chain(&self.bases)
            .chain(&self.overlay)
            .chain(self.overrides.as_ref().map(|(f, _)| f))
    }

    /// The file containing global offset `offset`, and the offset within it.
    pub fn locate(&self, offset: usize) -> (&ChainFile, usize) {
        // the root starts at 0, so it contains every offset no later file does
        let f = self
            .files()
            .rev()
            .find(|f| f.offset <= offset)
            .unwrap_or(&self.root);
        (f, (offset - f.offset).min(f.text.len()))
    }

    /// How near the user the file holding global offset `offset` is: 0 for an override
    /// (a sweep's value), then a sweep's future, then the file the user named, then the
    /// file it extends, and so on. A value from a nearer file overrides the same key of a
    /// farther one.
    pub fn rank(&self, offset: usize) -> usize {
        let (f, _) = self.locate(offset);
        if self
            .overrides
            .as_ref()
            .is_some_and(|(o, _)| std::ptr::eq(o, f))
        {
            return 0;
        }
        if self.overlay.as_ref().is_some_and(|o| std::ptr::eq(o, f)) {
            return 1;
        }
        let o = usize::from(self.overlay.is_some());
        if std::ptr::eq(&self.root, f) {
            return 1 + o;
        }
        2 + o
            + self
                .bases
                .iter()
                .position(|b| std::ptr::eq(b, f))
                .unwrap_or(0)
    }

    /// `file:line` of global offset `offset`, to name the place of a value in a message.
    pub fn place(&self, offset: usize) -> String {
        let (f, local) = self.locate(offset);
        let d = Diagnostic::at(&f.name, &f.text, local, "", String::new());
        format!("{}:{}", d.file, d.line)
    }

    /// The file placed last: the overrides' file, else a future, else the farthest base,
    /// else the root.
    fn last_file(&self) -> &ChainFile {
        match (&self.overrides, &self.overlay) {
            (Some((f, _)), _) => f,
            (None, Some(f)) => f,
            (None, None) => self.bases.last().unwrap_or(&self.root),
        }
    }

    /// Where a file added to the chain starts in the virtual concatenation.
    fn next_offset(&self) -> usize {
        let last = self.last_file();
        last.offset + last.text.len() + 1
    }
}

fn toml_error(chain: &Chain, e: &toml::de::Error) -> ScenarioError {
    let offset = e.span().map_or(0, |s| s.start);
    let (file, local) = chain.locate(offset);
    let field = field_of_message(&file.text, local);
    ScenarioError::Invalid(vec![chain.diag(
        offset,
        &field,
        friendly(e.message().trim()),
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
    read_chain(source, None)
}

/// Reads `source` and every file it extends as [`load_chain`] does, but with the file at
/// `path`, should the chain reach it, read as `text`: what a scenario would become if
/// that file were replaced (the studio shows it before saving over a file others extend).
pub fn load_chain_replacing(
    source: &Source,
    path: &Path,
    text: &str,
) -> Result<Chain, ScenarioError> {
    read_chain(source, Some((&canonical(path), text)))
}

fn read_chain(source: &Source, replaced: Option<(&Path, &str)>) -> Result<Chain, ScenarioError> {
    let mut chain = Chain {
        root: ChainFile {
            name: source.name.clone(),
            text: source.text.clone(),
            offset: 0,
        },
        bases: Vec::new(),
        overlay: None,
        overrides: None,
    };
    let mut seen: Vec<PathBuf> = vec![canonical(Path::new(&source.name))];
    loop {
        // the file read last: does it extend another?
        let (base_name, span, dir) = {
            let last = chain.last_file();
            let padded = pad(last);
            let table = DeTable::parse(&padded).map_err(|e| toml_error(&chain, &e))?;
            let top = table.get_ref();
            if top.contains_key("sweep") && !top.contains_key("scenario") {
                return Err(ScenarioError::WrongKind {
                    path: last.name.clone(),
                    message: format!(
                        "this is a sweep file (it has [sweep]), not a scenario: run it with \
                         `jeugdflow sweep {}`",
                        last.name
                    ),
                });
            }
            let Some(ext) = extends_of(table.get_ref()) else {
                break;
            };
            let dir = Path::new(&last.name)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            (ext.get_ref().clone(), ext.span(), dir)
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
            let is_replaced = replaced.filter(|(p, _)| *p == canon).map(|(_, t)| t);
            seen.push(canon);
            let fail = |why: String| {
                ScenarioError::Invalid(vec![chain.diag(
                    span.start,
                    "scenario.extends",
                    format!("cannot read \"{}\": {why}", path.display()),
                )])
            };
            let read = match is_replaced {
                Some(text) => Ok(Source {
                    name: path.display().to_string(),
                    text: text.to_string(),
                }),
                None => Source::read_file(&path),
            };
            match read {
                Ok(src) => (src.name, src.text),
                Err(ScenarioError::Read { message, .. }) if message == TOO_LARGE => {
                    return Err(fail(message));
                }
                Err(ScenarioError::WrongKind { message, .. }) => return Err(fail(message)),
                Err(ScenarioError::Read { message, .. }) => {
                    return Err(fail(format!(
                        "{message} (paths are relative to this file; \
                         \"{BUILTIN_EXTENDS}\" is the built-in default)"
                    )));
                }
                Err(e) => return Err(e),
            }
        };
        if 1 + chain.bases.len() >= 16 {
            return Err(ScenarioError::Invalid(vec![chain.diag(
                span.start,
                "scenario.extends",
                "more than 16 files in a chain of `extends`".into(),
            )]));
        }
        let offset = chain.next_offset();
        chain.bases.push(ChainFile { name, text, offset });
    }
    Ok(chain)
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

/// One override of a sweep: a dotted path into the scenario and a TOML value.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// `service.residentieel.capacity`, `inflow.0.per_year`, `scenario.seed`, …
    pub path: String,
    /// The value as TOML source text, e.g. `350` or `[{ at = 2026-01-01, value = 300 }]`.
    pub value: String,
    /// Where the user wrote it, so that problems point there; `None` for an override
    /// made by a program, which problems locate in a synthetic file of `path = value`
    /// lines.
    pub at: Option<WrittenAt>,
}

/// Where an override was written: byte offsets into its file (a sweep file), and the
/// text to read as its value there (the value as written, or a value drawn from a
/// range written there).
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenAt {
    /// Offset of the path (the axis's `path = "…"` value).
    pub path: usize,
    /// Offset of the value (one of the axis's `values`, or its `range`).
    pub value: usize,
    /// The value's TOML text, read as if it stood at `value`.
    pub text: String,
}

impl Override {
    /// An override made by a program (not written in a file).
    pub fn new(path: impl Into<String>, value: impl Into<String>) -> Override {
        Override {
            path: path.into(),
            value: value.into(),
            at: None,
        }
    }
}

/// The file the overrides of a sweep were written in.
#[derive(Clone, Debug, PartialEq)]
pub struct OverrideFile {
    pub name: String,
    pub text: String,
}

impl Chain {
    /// Adds a sweep's future (a partial scenario file) on top of the root and its bases,
    /// before any overrides: it is merged like a child that `extends` the scenario, its
    /// tables key by key (see the module documentation). What a future may hold is
    /// checked where futures are read (`sweep::read`).
    pub fn with_overlay(mut self, future: &Source) -> Chain {
        debug_assert!(
            self.overrides.is_none(),
            "a future goes before the overrides"
        );
        let offset = self.next_offset();
        self.overlay = Some(ChainFile {
            name: future.name.clone(),
            text: future.text.clone(),
            offset,
        });
        self
    }

    /// Adds overrides as a last file, so errors in an override point at it: `file` when
    /// the overrides were written there (each with [`Override::at`]), else a synthetic
    /// file of `path = value` lines named `<origin> (override)`.
    pub fn with_overrides(
        mut self,
        origin: &str,
        file: Option<&OverrideFile>,
        overrides: &[Override],
    ) -> Chain {
        if overrides.is_empty() {
            return self;
        }
        let offset = self.next_offset();
        let written = file.filter(|_| overrides.iter().all(|o| o.at.is_some()));
        let (name, text) = match written {
            Some(f) => (f.name.clone(), f.text.clone()),
            None => (
                format!("{origin} (override)"),
                overrides
                    .iter()
                    .map(|o| format!("{} = {}\n", o.path, o.value))
                    .collect(),
            ),
        };
        let mut placed = overrides.to_vec();
        if written.is_none() {
            // each at its line of the synthetic file
            let mut at = 0;
            for o in placed.iter_mut() {
                let line = format!("{} = {}", o.path, o.value);
                o.at = Some(WrittenAt {
                    path: at,
                    value: at + o.path.len() + 3,
                    text: o.value.clone(),
                });
                at += line.len() + 1;
            }
        }
        self.overrides = Some((ChainFile { name, text, offset }, placed));
        self
    }
}

/// Parses every file of the chain and merges them, base first; then applies overrides.
/// Every problem comes back, not only the first (see [`parse_merged_all`]).
pub fn parse_merged<T: serde::de::DeserializeOwned>(chain: &Chain) -> Result<T, ScenarioError> {
    match parse_merged_all(chain)? {
        Merged {
            value: Some(v),
            problems,
            ..
        } if problems.is_empty() => Ok(v),
        m => Err(ScenarioError::Invalid(m.problems)),
    }
}

/// A chain merged and read past what could not be read (see [`parse_merged_all`]).
pub struct Merged<T> {
    /// The value with the parts that could not be read left out; `None` when the rest
    /// does not read either.
    pub value: Option<T>,
    /// The problems of the parts left out.
    pub problems: Vec<Diagnostic>,
    /// `(file, line, column)` of the tables a part was taken from: a problem validation
    /// finds there (a key now missing) is a consequence, not a problem of its own.
    pub left_out: Vec<(String, usize, usize)>,
}

impl<T> Merged<T> {
    /// Whether `d` is at a table a part was taken from.
    pub fn is_consequence(&self, d: &Diagnostic) -> bool {
        self.left_out
            .iter()
            .any(|(f, l, c)| *f == d.file && *l == d.line && *c == d.column)
    }
}

/// [`parse_merged`] that reads on past a value it cannot read: the value with every part
/// that could not be read left out (when the rest can be read), and the problems of
/// those parts — each value of a wrong type, unknown key, and service a file adds with
/// a misspelt id — so that they are listed at once with what validation finds in the
/// rest. Syntax errors and bad overrides end it at once.
pub fn parse_merged_all<T: serde::de::DeserializeOwned>(
    chain: &Chain,
) -> Result<Merged<T>, ScenarioError> {
    let root_text = pad(&chain.root);
    let base_texts: Vec<String> = chain.bases.iter().map(pad).collect();
    // each override value is parsed as `x = value` placed so that the value stands at
    // its offset in the overrides' file, so its span points there
    let mut override_texts = Vec::new();
    let mut override_at = Vec::new();
    if let Some((file, overrides)) = &chain.overrides {
        for o in overrides {
            let at = o.at.as_ref().map_or((0, 0, o.value.as_str()), |w| {
                (w.path, w.value, w.text.as_str())
            });
            let value_at = file.offset + at.1;
            override_texts.push(format!(
                "{}x = {}",
                " ".repeat(value_at.saturating_sub(4)),
                at.2
            ));
            override_at.push(file.offset + at.0);
        }
    }
    let overlay_text = chain.overlay.as_ref().map(pad);
    let parse = |text| DeTable::parse(text).map_err(|e| toml_error(chain, &e));
    let root = parse(&root_text)?;
    let mut bases = Vec::with_capacity(base_texts.len());
    for text in &base_texts {
        bases.push(parse(text)?);
    }
    let mut new = Vec::new();
    let mut merged = merged(root, &mut bases.into_iter(), &mut new);
    if let Some(text) = &overlay_text {
        merge_document(
            merged.get_mut(),
            parse(text)?.into_inner(),
            Depth::Deep,
            &mut new,
        );
    }
    if let Some(DeValue::Table(s)) = merged.get_mut().get_mut("scenario").map(|v| v.get_mut()) {
        s.remove("extends");
    }
    let overrides = chain.overrides.iter().flat_map(|(_, o)| o);
    for ((o, text), at) in overrides.zip(&override_texts).zip(&override_at) {
        let invalid = |msg: String| ScenarioError::Invalid(vec![chain.diag(*at, &o.path, msg)]);
        let value = parse(text)?.into_inner().remove("x").ok_or_else(|| {
            invalid("expected one value, e.g. 350 or [{ at = 2026-01-01, value = 300 }]".into())
        })?;
        set_path(merged.get_mut(), &o.path, value).map_err(invalid)?;
    }
    let mut problems = misspelt_ids(chain, merged.get_mut(), &new);
    let diag = |e: &toml::de::Error| match toml_error(chain, e) {
        ScenarioError::Invalid(d) => d,
        ScenarioError::Read { .. } | ScenarioError::WrongKind { .. } => Vec::new(),
    };
    let read = super::lenient::deserialize(merged, diag);
    problems.extend(read.problems);
    let left_out = read
        .left_out
        .iter()
        .map(|at| {
            let d = chain.diag(*at, "", String::new());
            (d.file, d.line, d.column)
        })
        .collect();
    Ok(Merged {
        value: read.value,
        problems,
        left_out,
    })
}

/// A `[[service]]` of a file that extends another whose id is none of the base's: a new
/// service (or a misspelt id).
struct NewService {
    /// The span of its `id` value.
    id_span: std::ops::Range<usize>,
    id: String,
    /// The ids of the base's services.
    base_ids: Vec<String>,
}

/// `child` merged onto the merge of its `bases` (nearest first): the farthest base is the
/// start, and each nearer file overrides what it gives. Services a file adds are noted
/// in `new`.
fn merged<'i>(
    child: Spanned<DeTable<'i>>,
    bases: &mut impl Iterator<Item = Spanned<DeTable<'i>>>,
    new: &mut Vec<NewService>,
) -> Spanned<DeTable<'i>> {
    let Some(base) = bases.next() else {
        return child;
    };
    let mut merged = merged(base, bases, new);
    let span = child.span();
    merge_document(merged.get_mut(), child.into_inner(), Depth::Shallow, new);
    Spanned::new(span, merged.into_inner())
}

/// The keys a new `[[service]]` needs besides its `id` (the others have defaults).
const NEW_SERVICE_KEYS: [&str; 3] = ["segment", "setting", "los"];

/// Takes out of `merged` every service a file adds without the keys a new service needs
/// ([`NEW_SERVICE_KEYS`]): surely an id misspelt where a base's service was meant. Each
/// is a problem at its id naming the base's nearest ids ("did you mean …"); the rest of
/// the file is read on without it, so that its other problems are listed too.
fn misspelt_ids(chain: &Chain, merged: &mut DeTable<'_>, new: &[NewService]) -> Vec<Diagnostic> {
    let Some(DeValue::Array(list)) = merged.get_mut("service").map(|v| v.get_mut()) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for n in new {
        let Some(pos) = list.iter().position(|item| match item.get_ref() {
            DeValue::Table(t) => t.get("id").is_some_and(|v| v.span() == n.id_span),
            _ => false,
        }) else {
            continue;
        };
        let DeValue::Table(t) = list[pos].get_ref() else {
            continue;
        };
        let missing: Vec<&str> = NEW_SERVICE_KEYS
            .into_iter()
            .filter(|k| !t.contains_key(*k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        super::lenient::remove_item(list, pos);
        let (file, _) = chain.locate(n.id_span.start);
        let base = chain
            .files()
            .skip_while(|f| !std::ptr::eq(*f, file))
            .nth(1)
            .map_or("the file it extends".to_string(), |b| b.name.clone());
        let close = super::diag::closest(&n.id, &n.base_ids);
        let hint = if close.is_empty() {
            format!("its services are {}", crate::words::list(&n.base_ids))
        } else {
            let quoted: Vec<String> = close.iter().map(|c| format!("\"{c}\"")).collect();
            format!("did you mean {}?", crate::words::alternatives(&quoted))
        };
        problems.push(chain.diag(
            n.id_span.start,
            "service.id",
            format!(
                "\"{}\" is not a service of {base}, which this file extends, so this [[service]] \
                 adds a new one, which needs {} too; {hint}",
                n.id,
                crate::words::list(&missing)
            ),
        ));
    }
    problems
}

/// Merges a child document into its base (see the module documentation).
fn merge_document<'i>(
    base: &mut DeTable<'i>,
    child: DeTable<'i>,
    depth: Depth,
    new: &mut Vec<NewService>,
) {
    for (key, value) in child {
        let k: &str = key.get_ref();
        match (k, base.get_mut(k)) {
            ("scenario" | "report" | "finance", Some(b)) => {
                if let (DeValue::Table(bt), DeValue::Table(ct)) = (b.get_mut(), value.get_ref()) {
                    merge_keys(bt, ct, depth);
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
                                merge_keys(bt, ct, depth);
                            }
                        }
                        None => {
                            if k == "service"
                                && let Some(id) = ct.get("id")
                                && let DeValue::String(text) = id.get_ref()
                            {
                                let base_ids = ba
                                    .iter()
                                    .filter_map(|x| match x.get_ref() {
                                        DeValue::Table(bt) => identity(k, bt),
                                        _ => None,
                                    })
                                    .collect();
                                new.push(NewService {
                                    id_span: id.span(),
                                    id: text.to_string(),
                                    base_ids,
                                });
                            }
                            ba.push(item.clone());
                        }
                    }
                }
            }
            _ => {
                base.insert(key, value);
            }
        }
    }
}

/// How a child's table values within a section or entry are merged: replaced whole (a
/// file that `extends`) or key by key (a sweep's future).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    Shallow,
    Deep,
}

/// Sets the keys of `child` in `base`: each replaces the base's value, except that with
/// [`Depth::Deep`] a table given where the base has a table is merged into it key by key.
fn merge_keys<'i>(base: &mut DeTable<'i>, child: &DeTable<'i>, depth: Depth) {
    for (ck, cv) in child {
        if depth == Depth::Deep
            && let Some(b) = base.get_mut(ck.get_ref().as_ref())
            && let (DeValue::Table(bt), DeValue::Table(ct)) = (b.get_mut(), cv.get_ref())
        {
            merge_keys(bt, ct, depth);
            continue;
        }
        base.insert(ck.clone(), cv.clone());
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

/// Sets the value at a dotted path: tables by key; `service.<id>` and `profile.<id>` by id;
/// `inflow.<n>` by position (from 0) or by target service id.
fn set_path<'i>(
    root: &mut DeTable<'i>,
    path: &str,
    value: Spanned<DeValue<'i>>,
) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "\"{path}\" is not a parameter path; use e.g. service.<id>.capacity, inflow.0.per_year or scenario.seed"
        ));
    }
    let mut table: &mut DeTable<'i> = root;
    let mut i = 0;
    while i + 1 < parts.len() {
        let key = parts[i];
        let entry = table
            .get_mut(key)
            .ok_or_else(|| format!("unknown path \"{path}\": there is no `{key}` here"))?;
        match entry.get_mut() {
            DeValue::Table(t) => {
                table = t;
                i += 1;
            }
            DeValue::Array(items) => {
                let sel = parts[i + 1];
                let pos = if key == "inflow" {
                    sel.parse::<usize>().ok().filter(|n| *n < items.len()).or_else(|| {
                        items.iter().position(|x| matches!(x.get_ref(), DeValue::Table(t) if matches!(t.get("to").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == sel)))
                    })
                } else {
                    items.iter().position(|x| matches!(x.get_ref(), DeValue::Table(t) if matches!(t.get("id").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == sel)))
                };
                let pos = pos.ok_or_else(|| {
                    format!("unknown path \"{path}\": no `{key}` entry \"{sel}\"")
                })?;
                let slice: &mut [Spanned<DeValue<'i>>] = items;
                match slice[pos].get_mut() {
                    DeValue::Table(t) => table = t,
                    _ => return Err(format!("unknown path \"{path}\"")),
                }
                i += 2;
                if i >= parts.len() {
                    return Err(format!(
                        "\"{path}\" names a whole `{key}` entry; add the parameter, e.g. {path}.capacity"
                    ));
                }
            }
            _ => {
                return Err(format!(
                    "unknown path \"{path}\": `{key}` is a value, not a table"
                ));
            }
        }
    }
    let last = parts[parts.len() - 1];
    let key = Spanned::new(value.span(), std::borrow::Cow::Owned(last.to_string()));
    table.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            name: "t.toml".into(),
            text: text.into(),
        }
    }

    fn with_override(path: &str, value: &str) -> Chain {
        let text = "[scenario]\nname = \"t\"\nextends = \"builtin:groningen\"\n";
        let o = Override::new(path, value);
        load_chain(&source(text))
            .unwrap()
            .with_overrides("t.toml", None, &[o])
    }

    fn only_problem(e: ScenarioError) -> Diagnostic {
        match e {
            ScenarioError::Invalid(mut d) if d.len() == 1 => d.remove(0),
            other => panic!("expected one problem, got {other}"),
        }
    }

    #[test]
    fn a_file_of_the_chain_can_be_read_as_it_would_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, "[scenario]\nname = \"a\"\nextends = \"b.toml\"\n").unwrap();
        std::fs::write(&b, "[scenario]\nname = \"b\"\nseed = 3\n").unwrap();
        let src = Source::read(&a).unwrap();
        let seed = |c: &Chain| -> i64 {
            let t: toml::Table = parse_merged(c).unwrap();
            t["scenario"]["seed"].as_integer().unwrap()
        };
        assert_eq!(seed(&load_chain(&src).unwrap()), 3);
        let new = "[scenario]\nname = \"b\"\nseed = 9\n";
        assert_eq!(seed(&load_chain_replacing(&src, &b, new).unwrap()), 9);
        // the file on disk is untouched, and a file outside the chain changes nothing
        assert!(std::fs::read_to_string(&b).unwrap().contains("seed = 3"));
        let other = dir.path().join("c.toml");
        assert_eq!(seed(&load_chain_replacing(&src, &other, new).unwrap()), 3);
    }

    #[test]
    fn files_follow_one_another_root_bases_then_overrides() {
        let chain = with_override("scenario.seed", "7");
        let files: Vec<&ChainFile> = chain.files().collect();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["t.toml", DEFAULT_SCENARIO_NAME, "t.toml (override)"]
        );
        assert_eq!(files[0].offset, 0);
        for pair in files.windows(2) {
            assert_eq!(pair[1].offset, pair[0].offset + pair[0].text.len() + 1);
        }
        for f in &files {
            let (found, local) = chain.locate(f.offset + 2);
            assert_eq!((found.name.as_str(), local), (f.name.as_str(), 2));
        }
    }

    #[test]
    fn an_override_of_an_unknown_entry_points_at_the_override() {
        let chain = with_override("service.nowhere.capacity", "3");
        let d = only_problem(parse_merged::<toml::Table>(&chain).unwrap_err());
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            ("t.toml (override)", 1, 1)
        );
        assert_eq!(d.field, "service.nowhere.capacity");
        assert!(d.message.contains("no `service` entry \"nowhere\""), "{d}");
    }

    #[test]
    fn a_bad_override_value_points_at_the_value() {
        let chain = with_override("scenario.seed", "[1,");
        let d = only_problem(parse_merged::<toml::Table>(&chain).unwrap_err());
        assert_eq!((d.file.as_str(), d.line), ("t.toml (override)", 1));
        assert!(d.column >= "scenario.seed = ".len(), "{d}");
    }

    #[test]
    fn the_child_overrides_its_base_and_extends_is_dropped() {
        let chain = load_chain(&source(
            "[scenario]\nname = \"mine\"\nextends = \"builtin:groningen\"\n",
        ))
        .unwrap();
        let t: toml::Table = parse_merged(&chain).unwrap();
        let sc = t["scenario"].as_table().unwrap();
        assert_eq!(sc["name"].as_str(), Some("mine"));
        assert!(!sc.contains_key("extends"));
        assert!(sc.contains_key("start"), "inherited from the base");
    }
}
