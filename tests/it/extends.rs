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
    assert_eq!(m.services.len(), 14);
}
