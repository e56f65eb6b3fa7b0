//! A road of the studio opened to be changed in place: the editor of the file it extends
//! (so that saving writes the differences from that base again), with the road's own
//! values in the fields and its name and description.

use std::path::Path;

use axum::http::StatusCode;
use toml::Table;

use super::{Base, Editor, Kind, Road, Value};
use crate::studio::safety::Refusal;

/// The base a scenario text `extends`: the built-in default, a file of the same folder,
/// or `None` (no `extends`, or a file elsewhere).
pub fn extends_of(text: &str) -> Option<Base> {
    let t: Table = toml::from_str(text).ok()?;
    let e = t.get("scenario")?.get("extends")?.as_str()?;
    if e == crate::scenario::chain::BUILTIN_EXTENDS {
        Some(Base::Builtin)
    } else if !e.contains(['/', '\\']) && e.ends_with(".toml") {
        Some(Base::File(e.to_string()))
    } else {
        None
    }
}

impl Editor {
    /// The editor of road `file` (one the studio saved, see [`crate::studio::roads`]):
    /// the fields of the file it extends, holding the road's values.
    pub fn load_road(scenarios: &Path, file: &str) -> Result<Editor, Refusal> {
        let road = Editor::load(scenarios, Base::File(file.to_string()))?;
        let text = Base::File(file.to_string()).source(scenarios)?.text;
        let parent = extends_of(&text).ok_or_else(|| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("'{file}' does not extend a scenario of the studio's folder"),
            )
        })?;
        let mut ed = Editor::load(scenarios, parent)?;
        ed.overlay(&road);
        ed.road = Some(Road {
            file: file.to_string(),
            name: road.base_name.clone(),
            description: road.description.clone(),
        });
        Ok(ed)
    }

    /// Takes the values of `road` (an editor of a file extending this one's base): field
    /// by field, and the capacity-step tables service by service, in order (a table the
    /// road does not have is emptied).
    fn overlay(&mut self, road: &Editor) {
        for (key, f) in self.fields.iter_mut() {
            if key.starts_with("schedule.") {
                continue;
            }
            if let Some(r) = road.fields.get(key)
                && same_shape(&f.kind, &r.kind)
            {
                f.value = r.base.clone();
            }
        }
        let ids: Vec<String> = self.services.iter().map(|s| s.id.clone()).collect();
        for id in ids {
            let mine = self.slots_of(&id);
            let theirs = road.slots_of(&id);
            for (n, k) in mine.into_iter().enumerate() {
                for part in ["points", "gate.service", "gate.min_capacity"] {
                    let key = format!("schedule.{k}.{part}");
                    let value = theirs.get(n).and_then(|r| {
                        road.fields
                            .get(&format!("schedule.{r}.{part}"))
                            .map(|f| f.base.clone())
                    });
                    if let Some(f) = self.fields.get_mut(&key) {
                        f.value = value.unwrap_or_else(|| match f.kind {
                            Kind::Rows(_) => Value::Rows(Vec::new()),
                            _ => Value::Text(String::new()),
                        });
                    }
                }
            }
        }
    }
}

fn same_shape(a: &Kind, b: &Kind) -> bool {
    match (a, b) {
        (Kind::Rows(x), Kind::Rows(y)) => x == y,
        (Kind::Choice(_), Kind::Choice(_))
        | (Kind::Cell, Kind::Cell)
        | (Kind::Flag, Kind::Flag) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_saved_road_opens_with_its_values_over_its_base() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in ["groningen.toml", "fasering-gefaseerd.toml"] {
            std::fs::copy(Path::new("scenarios").join(f), d.join(f)).unwrap();
        }
        let mut ed = Editor::load(d, Base::File("fasering-gefaseerd.toml".into())).unwrap();
        let k = ed.slots_of("residentieel")[0];
        let edits = BTreeMap::from([
            (
                format!("schedule.{k}.points"),
                Value::Rows(vec![
                    vec!["2027-07-01".into(), "460".into()],
                    vec!["2029-07-01".into(), "380".into()],
                ]),
            ),
            (
                "svc.intensief-ambulant.staff.target_fte".to_string(),
                Value::Rows(vec![vec![String::new(), "46".into()]]),
            ),
        ]);
        ed.apply(&edits).unwrap();
        let c = ed.check(
            d,
            "later",
            "Bedden een jaar later",
            crate::report::lang::Lang::Nl,
        );
        assert!(c.ok, "{c:?}");
        std::fs::write(d.join("later.toml"), &c.toml).unwrap();
        let road = Editor::load_road(d, "later.toml").unwrap();
        assert_eq!(road.base, Base::File("fasering-gefaseerd.toml".into()));
        assert_eq!(
            road.road
                .as_ref()
                .map(|r| (r.name.as_str(), r.description.as_str())),
            Some(("later", "Bedden een jaar later"))
        );
        let k = road.slots_of("residentieel")[0];
        assert_eq!(
            road.value(&format!("schedule.{k}.points")),
            edits[&format!("schedule.{}.points", k)]
        );
        assert_eq!(
            road.value("svc.intensief-ambulant.staff.target_fte"),
            Value::Rows(vec![vec![String::new(), "46".into()]])
        );
        // its base values are the parent's: saving it again writes the same file
        let again = road.check(
            d,
            "later",
            "Bedden een jaar later",
            crate::report::lang::Lang::Nl,
        );
        assert_eq!(again.toml, c.toml);
    }
}
