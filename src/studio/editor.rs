//! The strategy editor's model: a base scenario's phasing plan as fields a page can show
//! in tables — per service the capacity path, its capacity steps (with their gate), staff
//! target, hiring cap and lead time, the diversion share over time; the transition windows;
//! each inflow's trend. Every value is kept as the person typed it; [`mod@write`] turns the
//! fields into the TOML file that `extends` the base and holds only what differs, and
//! checks it with the same rules and messages as `jeugdflow validate`.

pub mod cells;
pub mod road;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toml::{Table, Value as Toml};

use super::safety::Refusal;
use crate::model::Model;
use crate::scenario::chain::{self, BUILTIN_EXTENDS};
use crate::scenario::{self, Source};

/// A field's value as typed: a cell, a table of rows of cells, or a tick box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Flag(bool),
    Text(String),
    Rows(Vec<Vec<String>>),
}

/// What a field holds, and so how the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One cell: a number or a date.
    Cell,
    /// One of a list (the empty string: none).
    Choice(Vec<String>),
    /// A tick box.
    Flag,
    /// Rows of cells under these columns (`at`, `value`, `factor`, `segment`, …).
    Rows(Vec<&'static str>),
}

/// One editable quantity.
#[derive(Clone, Debug)]
pub struct Field {
    pub kind: Kind,
    /// The value in the base scenario.
    pub base: Value,
    /// The value now.
    pub value: Value,
}

/// The scenario a strategy starts from: a file of the scenarios folder or the built-in
/// default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Builtin,
    File(String),
}

impl Base {
    /// `builtin`, or a file name of the scenarios folder (checked by the caller).
    pub fn parse(s: &str) -> Base {
        if s == "builtin" {
            Base::Builtin
        } else {
            Base::File(s.to_string())
        }
    }

    /// How pages and forms name it.
    pub fn key(&self) -> &str {
        match self {
            Base::Builtin => "builtin",
            Base::File(f) => f,
        }
    }

    /// The value of `extends` in a file saved beside the base.
    pub fn extends(&self) -> &str {
        match self {
            Base::Builtin => BUILTIN_EXTENDS,
            Base::File(f) => f,
        }
    }

    /// Its source text and name, as `jeugdflow run` would read it.
    pub fn source(&self, scenarios: &Path) -> Result<Source, Refusal> {
        match self {
            Base::Builtin => Ok(Source::builtin()),
            Base::File(f) => {
                let path = scenario_file(scenarios, f)?;
                Source::read(&path)
                    .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, e.to_string()))
            }
        }
    }
}

/// The path of scenario file `file` (a plain `*.toml` name) in the folder `scenarios`,
/// refusing anything else (400) and symlinks leading out (403).
pub fn scenario_file(scenarios: &Path, file: &str) -> Result<PathBuf, Refusal> {
    if file.contains('/') || !file.ends_with(".toml") {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "'{file}' is not a scenario file of the studio's folder (a name like plan.toml)"
            ),
        ));
    }
    super::safety::resolve(scenarios, file)?;
    Ok(scenarios.join(file))
}

/// A service as the editor shows it.
#[derive(Clone, Debug)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub segment: String,
    pub setting: String,
    /// Its capacity follows its staff (`staff` fields instead of a capacity path).
    pub staffed: bool,
}

/// A `[[schedule]]` entry of the base (or a new one for a service that has none).
#[derive(Clone, Debug)]
pub struct Slot {
    pub service: String,
    /// An entry the editor does not change (another parameter): written back as it was.
    pub kept: Option<Table>,
}

/// An inflow: where youths are referred, and their profile.
#[derive(Clone, Debug)]
pub struct InflowView {
    pub to: String,
    pub profile: Option<String>,
}

/// A road of the studio opened to be changed in place: its file, name and description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Road {
    pub file: String,
    pub name: String,
    pub description: String,
}

/// A base scenario's phasing plan, as fields.
#[derive(Clone, Debug)]
pub struct Editor {
    pub base: Base,
    /// The base, validated (its planned path is the chart's base line).
    pub model: Model,
    /// The studio's own road being changed in place (its values are the fields' values;
    /// `base` is the file it extends), or `None` for a new strategy.
    pub road: Option<Road>,
    /// The base's scenario name and description.
    pub base_name: String,
    pub description: String,
    /// First and last simulated day (ISO dates).
    pub start: String,
    pub end: String,
    pub segments: Vec<String>,
    pub services: Vec<ServiceView>,
    pub slots: Vec<Slot>,
    pub inflows: Vec<InflowView>,
    /// By key: `svc.<id>.capacity`, `svc.<id>.staff.target_fte`, `schedule.<k>.points`,
    /// `transitions`, `inflow.<k>.trend`, …
    pub fields: BTreeMap<String, Field>,
    /// How a (t) value was interpolated in the base, by field key (kept when written).
    pub interpolate: BTreeMap<String, String>,
    /// The base's staff tables, by service id (the keys the editor does not show are kept).
    pub staff: BTreeMap<String, Table>,
}

/// The text of a TOML scalar as a cell: numbers and dates as written in TOML.
pub fn cell(v: &Toml) -> String {
    match v {
        Toml::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A (t) value as rows of (date, value): a constant is one row without a date. Also
/// returns the interpolation of the `{ points, interpolate }` form.
fn time_rows(v: Option<&Toml>, value_key: &str) -> (Vec<Vec<String>>, Option<String>) {
    let points = |a: &Vec<Toml>| {
        a.iter()
            .map(|p| {
                let get = |k: &str| p.get(k).map(cell).unwrap_or_default();
                vec![get("at"), get(value_key)]
            })
            .collect()
    };
    match v {
        None => (Vec::new(), None),
        Some(Toml::Array(a)) => (points(a), None),
        Some(Toml::Table(t)) => (
            t.get("points")
                .and_then(Toml::as_array)
                .map(points)
                .unwrap_or_default(),
            t.get("interpolate")
                .and_then(Toml::as_str)
                .map(String::from),
        ),
        Some(c) => (vec![vec![String::new(), cell(c)]], None),
    }
}

fn text(t: &Table, k: &str) -> String {
    t.get(k).map(cell).unwrap_or_default()
}

impl Editor {
    /// The fields of `base`; with `replace`, as it would be if the file at that path in
    /// its chain of `extends` read that text.
    fn new(
        scenarios: &Path,
        base: Base,
        replace: Option<(&Path, &str)>,
    ) -> Result<Editor, Refusal> {
        let bad = |m: String| Refusal::new(StatusCode::BAD_REQUEST, m);
        let source = base.source(scenarios)?;
        let (model, chain) = match replace {
            None => (scenario::load(&source), chain::load_chain(&source)),
            Some((p, text)) => (
                scenario::load_replacing(&source, p, text),
                chain::load_chain_replacing(&source, p, text),
            ),
        };
        let model = model.map_err(|e| bad(e.to_string()))?;
        let chain = chain.map_err(|e| bad(e.to_string()))?;
        let doc: Table = chain::parse_merged(&chain).map_err(|e| bad(e.to_string()))?;
        let tl = &model.timeline;
        let mut ed = Editor {
            base,
            road: None,
            base_name: model.name.clone(),
            description: model.description.clone(),
            start: tl.start_date.to_string(),
            end: tl.date_of(tl.horizon - 1.0).to_string(),
            segments: model.segments.clone(),
            services: Vec::new(),
            slots: Vec::new(),
            inflows: Vec::new(),
            fields: BTreeMap::new(),
            interpolate: BTreeMap::new(),
            staff: BTreeMap::new(),
            model,
        };
        let list = |k: &str| -> Vec<Table> {
            doc.get(k)
                .and_then(Toml::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        for s in list("service") {
            ed.add_service(&s);
        }
        for sc in list("schedule") {
            ed.add_slot(sc);
        }
        let without: Vec<String> = ed
            .services
            .iter()
            .filter(|s| {
                !s.staffed
                    && !ed
                        .slots
                        .iter()
                        .any(|k| k.service == s.id && k.kept.is_none())
            })
            .map(|s| s.id.clone())
            .collect();
        for id in without {
            ed.push_slot(id, Vec::new(), String::new(), String::new());
        }
        let transitions: Vec<Vec<String>> = list("transition")
            .iter()
            .map(|t| {
                ["segment", "from", "to", "capacity_loss", "referral_delay"]
                    .iter()
                    .map(|k| text(t, k))
                    .collect()
            })
            .collect();
        ed.add(
            "transitions",
            Kind::Rows(vec![
                "segment",
                "from",
                "to",
                "capacity_loss",
                "referral_delay",
            ]),
            Value::Rows(transitions),
        );
        for (k, inflow) in list("inflow").iter().enumerate() {
            ed.inflows.push(InflowView {
                to: text(inflow, "to"),
                profile: inflow
                    .get("profile")
                    .and_then(Toml::as_str)
                    .map(String::from),
            });
            let (rows, _) = time_rows(inflow.get("trend"), "factor");
            ed.add(
                &format!("inflow.{k}.trend"),
                Kind::Rows(vec!["at", "factor"]),
                Value::Rows(rows),
            );
        }
        Ok(ed)
    }

    fn add(&mut self, key: &str, kind: Kind, value: Value) {
        self.fields.insert(
            key.to_string(),
            Field {
                kind,
                base: value.clone(),
                value,
            },
        );
    }

    fn add_time(&mut self, key: &str, v: Option<&Toml>, value_key: &'static str) {
        let (rows, interp) = time_rows(v, value_key);
        if let Some(i) = interp {
            self.interpolate.insert(key.to_string(), i);
        }
        self.add(key, Kind::Rows(vec!["at", value_key]), Value::Rows(rows));
    }

    fn service_choice(&self) -> Kind {
        Kind::Choice(
            std::iter::once(String::new())
                .chain(self.services.iter().map(|s| s.id.clone()))
                .collect(),
        )
    }

    fn add_service(&mut self, s: &Table) {
        let id = text(s, "id");
        let staff = s.get("staff").and_then(Toml::as_table);
        self.services.push(ServiceView {
            id: id.clone(),
            name: s.get("name").map(cell).unwrap_or_else(|| id.clone()),
            segment: text(s, "segment"),
            setting: text(s, "setting"),
            staffed: staff.is_some(),
        });
        let f = |k: &str| format!("svc.{id}.{k}");
        match staff {
            Some(st) => {
                self.staff.insert(id.clone(), st.clone());
                self.add_time(&f("staff.target_fte"), st.get("target_fte"), "value");
                // the numbers of the staff as cells; a lead time drawn from a distribution
                // (`lead`) is kept as it is, and so is any key that is not a number
                for k in STAFF_CELLS {
                    let number = st.get(k).is_none_or(|v| v.is_integer() || v.is_float());
                    if number && !(k == "lead_days" && st.contains_key("lead")) {
                        self.add(
                            &f(&format!("staff.{k}")),
                            Kind::Cell,
                            Value::Text(text(st, k)),
                        );
                    }
                }
            }
            None => match s.get("capacity") {
                Some(c @ (Toml::Array(_) | Toml::Table(_))) => {
                    self.add_time(&f("capacity"), Some(&c.clone()), "value")
                }
                c => self.add(
                    &f("capacity"),
                    Kind::Cell,
                    Value::Text(c.map(cell).unwrap_or_default()),
                ),
            },
        }
        let divert = s.get("divert").and_then(Toml::as_table);
        let choice = Kind::Choice(Vec::new()); // filled in once every service is known
        self.add(
            &f("divert.to"),
            choice,
            Value::Text(divert.map(|d| text(d, "to")).unwrap_or_default()),
        );
        self.add_time(
            &f("divert.share"),
            divert.and_then(|d| d.get("share")),
            "value",
        );
        let free = divert
            .and_then(|d| d.get("only_if_free"))
            .and_then(Toml::as_bool)
            .unwrap_or(false);
        self.add(&f("divert.only_if_free"), Kind::Flag, Value::Flag(free));
    }

    /// Adds a `[[schedule]]` entry: editable when it is a capacity path of a service
    /// without staff, with points and at most a gate; kept as it is otherwise.
    fn add_slot(&mut self, sc: Table) {
        let service = text(&sc, "service");
        let editable = text(&sc, "param") == "capacity"
            && self.services.iter().any(|s| s.id == service && !s.staffed)
            && sc
                .keys()
                .all(|k| ["service", "param", "points", "gate"].contains(&k.as_str()))
            && sc.get("points").is_some_and(Toml::is_array)
            && sc.get("gate").is_none_or(Toml::is_table);
        if !editable {
            self.slots.push(Slot {
                service,
                kept: Some(sc),
            });
            return;
        }
        let (rows, _) = time_rows(sc.get("points"), "value");
        let gate = sc.get("gate").and_then(Toml::as_table);
        let g = |k: &str| gate.map(|g| text(g, k)).unwrap_or_default();
        self.push_slot(service, rows, g("service"), g("min_capacity"));
    }

    fn push_slot(&mut self, service: String, rows: Vec<Vec<String>>, gate: String, min: String) {
        let k = self.slots.len();
        self.slots.push(Slot {
            service,
            kept: None,
        });
        self.add(
            &format!("schedule.{k}.points"),
            Kind::Rows(vec!["at", "value"]),
            Value::Rows(rows),
        );
        self.add(
            &format!("schedule.{k}.gate.service"),
            Kind::Choice(Vec::new()),
            Value::Text(gate),
        );
        self.add(
            &format!("schedule.{k}.gate.min_capacity"),
            Kind::Cell,
            Value::Text(min),
        );
    }

    /// Fills the lists of the choice fields (the services, the segments) once all are known.
    fn fill_choices(&mut self) {
        let services = self.service_choice();
        for (key, f) in self.fields.iter_mut() {
            if let Kind::Choice(list) = &mut f.kind
                && list.is_empty()
                && (key.ends_with(".divert.to") || key.ends_with(".gate.service"))
                && let Kind::Choice(all) = &services
            {
                *list = all.clone();
            }
        }
    }

    /// Reads `base` (with the files it extends) from the folder `scenarios` and makes its
    /// fields; a base that does not validate is refused with its problems (400).
    pub fn load(scenarios: &Path, base: Base) -> Result<Editor, Refusal> {
        let mut ed = Editor::new(scenarios, base, None)?;
        ed.fill_choices();
        Ok(ed)
    }

    /// As [`Editor::load`], with the file at `path` in the chain of `extends` read as
    /// `text` (what `base` becomes when that file is replaced).
    pub fn load_replacing(
        scenarios: &Path,
        base: Base,
        path: &Path,
        text: &str,
    ) -> Result<Editor, Refusal> {
        let mut ed = Editor::new(scenarios, base, Some((path, text)))?;
        ed.fill_choices();
        Ok(ed)
    }

    /// The name of service `id` (the id itself when there is none).
    pub fn name_of(&self, id: &str) -> String {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    /// Applies edits (key → value as typed). An unknown key, a value of the wrong shape or
    /// an oversized table is the request's fault (400).
    pub fn apply(&mut self, edits: &BTreeMap<String, Value>) -> Result<(), Refusal> {
        let bad = |m: String| Refusal::new(StatusCode::BAD_REQUEST, m);
        for (key, v) in edits {
            let f = self
                .fields
                .get_mut(key)
                .ok_or_else(|| bad(format!("no field '{key}' in this editor")))?;
            let fits = match (&f.kind, v) {
                (Kind::Cell | Kind::Choice(_), Value::Text(s)) => s.len() <= MAX_CELL,
                (Kind::Flag, Value::Flag(_)) => true,
                (Kind::Rows(cols), Value::Rows(rows)) => {
                    rows.len() <= MAX_ROWS
                        && rows
                            .iter()
                            .all(|r| r.len() == cols.len() && r.iter().all(|c| c.len() <= MAX_CELL))
                }
                _ => false,
            };
            if !fits {
                return Err(bad(format!(
                    "field '{key}': wrong shape of value (or more than {MAX_ROWS} rows or {MAX_CELL} characters in a cell)"
                )));
            }
            if let (Kind::Choice(list), Value::Text(s)) = (&f.kind, v)
                && !list.contains(s)
            {
                return Err(bad(format!(
                    "field '{key}': \"{s}\" is not one of the choices"
                )));
            }
            f.value = v.clone();
        }
        Ok(())
    }

    /// The value of field `key` now (an empty cell when there is none).
    pub fn value(&self, key: &str) -> Value {
        self.fields
            .get(key)
            .map(|f| f.value.clone())
            .unwrap_or(Value::Text(String::new()))
    }

    /// The indices of the `[[schedule]]` entries the editor shows under service `id`.
    pub fn slots_of(&self, id: &str) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|k| self.slots[*k].service == id && self.slots[*k].kept.is_none())
            .collect()
    }
}

/// The numbers of a staff table the editor shows as cells, in the order a file has them.
pub const STAFF_CELLS: [&str; 5] = [
    "fte",
    "caseload",
    "max_hires_per_month",
    "lead_days",
    "attrition_per_year",
];

/// At most this many rows in one table of the editor.
pub const MAX_ROWS: usize = 200;
/// At most this many characters in one cell.
pub const MAX_CELL: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_becomes_fields() {
        let ed = Editor::load(Path::new("scenarios"), Base::Builtin).unwrap();
        assert_eq!(ed.base_name, "groningen");
        assert_eq!(ed.start, "2024-01-01");
        assert_eq!(ed.end, "2030-12-31");
        assert_eq!(
            ed.value("svc.residentieel.capacity"),
            Value::Text("475".into())
        );
        assert_eq!(
            ed.value("svc.intensief-ambulant.staff.target_fte"),
            Value::Rows(vec![vec![String::new(), "25".into()]])
        );
        assert!(!ed.fields.contains_key("svc.intensief-ambulant.capacity"));
        assert_eq!(
            ed.value("inflow.0.trend"),
            Value::Rows(vec![
                vec!["2025-01-01".into(), "1.0".into()],
                vec!["2030-12-31".into(), "1.12".into()]
            ])
        );
        // every service without staff has one (empty) capacity-step table
        assert_eq!(ed.slots_of("residentieel").len(), 1);
        assert!(ed.slots_of("intensief-ambulant").is_empty());
        let Kind::Choice(list) = &ed.fields["svc.crisis.divert.to"].kind else {
            panic!("a choice")
        };
        assert!(list.contains(&"intensief-ambulant".to_string()) && list[0].is_empty());
    }

    #[test]
    fn edits_are_checked_for_shape() {
        let mut ed = Editor::load(Path::new("scenarios"), Base::Builtin).unwrap();
        let one = |k: &str, v: Value| BTreeMap::from([(k.to_string(), v)]);
        assert!(
            ed.apply(&one("svc.residentieel.capacity", Value::Text("450".into())))
                .is_ok()
        );
        assert_eq!(
            ed.value("svc.residentieel.capacity"),
            Value::Text("450".into())
        );
        for (k, v) in [
            ("nothing", Value::Text("1".into())),
            ("svc.residentieel.capacity", Value::Flag(true)),
            ("transitions", Value::Rows(vec![vec!["x".into()]])),
            ("svc.crisis.divert.to", Value::Text("nowhere".into())),
        ] {
            assert_eq!(
                ed.apply(&one(k, v)).unwrap_err().status,
                StatusCode::BAD_REQUEST,
                "{k}"
            );
        }
        assert_eq!(
            scenario_file(Path::new("scenarios"), "../x.toml")
                .unwrap_err()
                .status,
            StatusCode::BAD_REQUEST
        );
    }
}
