//! `extends`: a scenario on top of another, with the documented merge rules.

use jeugdflow::model::{Target, TimeFn};
use jeugdflow::scenario::{self, Source};

use crate::common::{data, model};

#[test]
fn a_child_overrides_by_id_and_inherits_the_rest() {
    let m = model("extends/child.toml");
    assert_eq!(m.name, "child");
    assert_eq!(m.description, "the base"); // inherited
    assert_eq!(m.replications, 2); // overridden
    assert_eq!(m.seed, 5); // inherited
    let ids: Vec<&str> = m.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]); // c added after the base's services
    let a = &m.services[0];
    assert_eq!(a.capacity, Some(TimeFn::Const(12.0)));
    // a key given replaces the base's value whole: the queue lost its patience
    assert_eq!(a.norm, Some(7.0));
    assert!(a.patience.is_none());
    assert_eq!(a.next.len(), 2);
    assert_eq!(
        a.next[0].to,
        Target::Service(jeugdflow::model::ServiceId(2))
    );
    // keys not given are inherited
    assert!((a.los.mean() - 30.0).abs() < 1e-9);
    // inflows are matched by `to`: b's rate replaced, a's kept
    assert_eq!(m.inflows.len(), 2);
    assert!((m.inflows[0].per_day.at(0.0) * 365.25 - 100.0).abs() < 1e-9);
    assert!((m.inflows[1].per_day.at(0.0) * 365.25 - 80.0).abs() < 1e-9);
}

#[test]
fn the_built_in_default_can_be_extended() {
    let src = Source {
        name: data("extends/nowhere.toml").display().to_string(),
        text: "[scenario]\nname = \"mine\"\nextends = \"builtin:groningen\"\n\n[[service]]\nid = \"residentieel\"\ncapacity = 520\n".into(),
    };
    let m = scenario::load(&src).unwrap();
    assert_eq!(m.name, "mine");
    let r = m.services.iter().find(|s| s.id == "residentieel").unwrap();
    assert_eq!(r.capacity, Some(TimeFn::Const(520.0)));
    assert_eq!(m.services.len(), 15);
}

/// A scenario `text` as if written beside the shipped scenarios (its `extends` are
/// relative to `scenarios/`).
fn beside_shipped(text: &str) -> Source {
    Source {
        name: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/mine.toml")
            .display()
            .to_string(),
        text: text.into(),
    }
}

fn problems(src: &Source) -> Vec<jeugdflow::scenario::Diagnostic> {
    match scenario::load(src) {
        Err(scenario::ScenarioError::Invalid(d)) => d,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_value_changed_in_the_child_is_reported_at_the_childs_line() {
    // the capacity the user lowered, not the base's `initial`
    let src = beside_shipped(
        "[scenario]\nname = \"mine\"\nextends = \"builtin:groningen\"\n\n\
         [[service]]\nid = \"residentieel\"\ncapacity = 10\n",
    );
    let d = problems(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].file.as_str(), d[0].line),
        (src.name.as_str(), 7),
        "{}",
        d[0]
    );
    assert_eq!(d[0].field, "service 'residentieel'.capacity");
    assert!(
        d[0].message.contains("fewer than the 458 youths"),
        "{}",
        d[0]
    );
    assert!(
        d[0].message.contains(
            "`service 'residentieel'.initial` is in scenarios/groningen.toml (built in):"
        ),
        "{}",
        d[0]
    );
}

#[test]
fn a_child_can_shorten_the_horizon_and_the_bases_dates_are_cut_with_a_note() {
    // `end = 2026-12-31` on a strategy whose steps run to 2029
    let src = beside_shipped(
        "[scenario]\nname = \"mine\"\nextends = \"fasering-gefaseerd.toml\"\nend = 2026-12-31\n",
    );
    let m = scenario::load(&src).unwrap_or_else(|e| panic!("{e}"));
    let horizon = m.timeline.horizon;
    assert_eq!(m.timeline.years.len(), 3);
    for s in &m.services {
        assert!(s.steps.iter().all(|st| st.at < horizon), "{}", s.id);
    }
    assert!(
        m.transitions
            .iter()
            .all(|t| t.from < horizon && t.to <= horizon)
    );
    // the residential schedule keeps its 2026-07-01 step and drops 2027 and 2028
    let r = m.services.iter().find(|s| s.id == "residentieel").unwrap();
    assert_eq!(r.steps.iter().map(|s| s.value).collect::<Vec<_>>(), [460]);
    // the demand trend is cut where it crosses the end, not bent: 1.0 on 2025-01-01
    // rising linearly to 1.12 on 2030-12-31
    let last = horizon - 1.0;
    let expected = 1.0 + 0.12 * (last - 366.0) / (2556.0 - 366.0);
    assert!((m.inflows[0].trend.at(last) - expected).abs() < 1e-9);
    let w = m.warnings();
    let note = w
        .iter()
        .find(|x| x.contains("groningen.toml at its bounds"))
        .unwrap_or_else(|| panic!("{w:?}"));
    assert!(note.contains("inflow #1.trend[2].at (line 184)"), "{note}");
    assert!(
        w.iter().any(
            |x| x.contains("fasering-gefaseerd.toml") && x.contains("schedule #2.points[2].at")
        ),
        "{w:?}"
    );
    // and it runs
    let plan = jeugdflow::experiment::Plan {
        replications: 1,
        seed: 1,
        threads: Some(1),
    };
    jeugdflow::experiment::run(&m, plan, &|_| {}).unwrap();

    // lengthened and started later: the base's steps before the new start hold from it
    let src = beside_shipped(
        "[scenario]\nname = \"mine\"\nextends = \"fasering-gefaseerd.toml\"\n\
         start = 2027-01-01\nend = 2034-12-31\n",
    );
    let m = scenario::load(&src).unwrap_or_else(|e| panic!("{e}"));
    let r = m.services.iter().find(|s| s.id == "residentieel").unwrap();
    assert_eq!(r.capacity.as_ref().map(|c| c.at(0.0)), Some(460.0));
    assert_eq!(
        r.steps.iter().map(|s| s.value).collect::<Vec<_>>(),
        [420, 380]
    );
}

#[test]
fn a_date_outside_the_horizon_in_the_users_own_file_is_still_an_error() {
    let src = beside_shipped(
        "[scenario]\nname = \"mine\"\nextends = \"builtin:groningen\"\nend = 2026-12-31\n\n\
         [[schedule]]\nservice = \"residentieel\"\nparam = \"capacity\"\n\
         points = [{ at = 2027-06-01, value = 400 }]\n",
    );
    let d = problems(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].file.as_str(), d[0].line), (src.name.as_str(), 9));
    assert!(d[0].message.contains("outside the horizon"), "{}", d[0]);
}
