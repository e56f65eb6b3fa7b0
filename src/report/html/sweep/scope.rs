//! The scope of the roads on a comparison page: which segments each procures in a
//! transition, when its last change is done, whether a go/no-go gate holds a step back —
//! and a flag (⚑) on every road whose scope differs from that of most roads, since a road
//! that does less (a pilot without the aanvullende hulp tender) can win by scope rather
//! than by design.

use super::{Block, Cell, Section, table};
use crate::report::lang::Lang;
use crate::report::strategy::Strategy;

/// What a road's scope is compared on: the segments in a transition (sorted), whether a
/// gate holds a step back, and whether its changes are done within the horizon.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Signature {
    segments: Vec<String>,
    gated: bool,
    done_in_horizon: bool,
}

/// The year (YYYY) of a date written YYYY-MM-DD.
fn year(d: &str) -> &str {
    d.get(..4).unwrap_or(d)
}

/// The last date of road `s`'s changes: its last transition day or planned capacity step.
fn done(s: &Strategy) -> Option<String> {
    let sc = &s.manifest.scope;
    sc.transitions
        .iter()
        .map(|t| t.to.clone())
        .chain(sc.last_step.clone())
        .max()
}

fn signature(s: &Strategy) -> Signature {
    let sc = &s.manifest.scope;
    let mut segments: Vec<String> = sc.transitions.iter().map(|t| t.segment.clone()).collect();
    segments.sort();
    segments.dedup();
    Signature {
        segments,
        gated: !sc.gated.is_empty(),
        done_in_horizon: done(s).is_none_or(|d| d <= s.manifest.end),
    }
}

/// Per strategy: `None` for a baseline (doing nothing is no road), else whether its
/// scope differs from the scope most roads share (the first such scope on a tie).
fn differs(strategies: &[Strategy]) -> Vec<Option<bool>> {
    let roads: Vec<Signature> = strategies
        .iter()
        .filter(|s| !s.is_baseline)
        .map(signature)
        .collect();
    let most = roads
        .iter()
        .max_by_key(|sig| {
            (
                roads.iter().filter(|x| x == sig).count(),
                // on a tie, the first listed
                std::cmp::Reverse(roads.iter().position(|x| x == *sig)),
            )
        })
        .cloned();
    strategies
        .iter()
        .map(|s| (!s.is_baseline).then(|| most.as_ref() != Some(&signature(s))))
        .collect()
}

/// The scope section, or none when no road procures anything or gates a step (nothing to
/// compare).
pub fn section(strategies: &[Strategy], lang: Lang) -> Option<Section> {
    let roads = strategies.iter().filter(|s| !s.is_baseline);
    if roads
        .clone()
        .all(|s| s.manifest.scope.transitions.is_empty() && s.manifest.scope.gated.is_empty())
    {
        return None;
    }
    let w = lang.compare();
    let flags = differs(strategies);
    let header = vec![
        w.scope_segments.to_string(),
        w.scope_until.to_string(),
        w.scope_gate.to_string(),
        String::new(),
    ];
    let index = |s: &Strategy| strategies.iter().position(|x| x.name == s.name);
    let t = table(
        w.scope_title.into(),
        lang.labels().strategy,
        header,
        strategies,
        &[],
        |s| {
            let sig = signature(s);
            let segments = if sig.segments.is_empty() {
                w.scope_none.to_string()
            } else {
                sig.segments.join(", ")
            };
            let until = done(s).map_or(String::new(), |d| year(&d).to_string());
            let gate = if sig.gated {
                format!("{} ({})", w.yes, s.manifest.scope.gated.join(", "))
            } else {
                w.no.to_string()
            };
            let flag = match index(s).and_then(|i| flags[i]) {
                None => w.baseline.to_string(),
                Some(true) => w.scope_differs.to_string(),
                Some(false) => w.scope_same.to_string(),
            };
            vec![
                Cell::text(segments),
                Cell::text(until),
                Cell::text(gate),
                Cell::text(flag),
            ]
        },
    );
    Some(Section {
        heading: w.scope_title.into(),
        blocks: vec![
            Block::Paragraph(w.scope_explain.into()),
            Block::Strategies(t),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::manifest::{Manifest, Scope, ScopeTransition};

    fn road(name: &str, segments: &[&str], gated: bool, baseline: bool) -> Strategy {
        let mut manifest = Manifest::example(1, 3);
        manifest.end = "2030-12-31".into();
        manifest.scope = Scope {
            transitions: segments
                .iter()
                .map(|s| ScopeTransition {
                    segment: s.to_string(),
                    from: "2025-01-01".into(),
                    to: "2025-12-31".into(),
                    referral_delay: 14.0,
                })
                .collect(),
            gated: if gated { vec!["x".into()] } else { vec![] },
            last_step: Some("2026-01-01".into()),
        };
        Strategy {
            name: name.into(),
            road: name.into(),
            future: None,
            number: 0,
            values: Vec::new(),
            seed: 1,
            reps: Vec::new(),
            kpis: Vec::new(),
            baseline: "base".into(),
            is_baseline: baseline,
            diff: Vec::new(),
            cost: Vec::new(),
            paths: Default::default(),
            paired: true,
            breaches: crate::sweep::breach::breaches(&[], 0.2),
            manifest,
        }
    }

    #[test]
    fn a_road_that_procures_less_or_gates_is_flagged() {
        let s = [
            road("base", &[], false, true),
            road("big-bang", &["hsj", "wonen", "aanvullend"], false, false),
            road("phased", &["aanvullend", "hsj", "wonen"], false, false),
            road("gated", &["aanvullend", "hsj", "wonen"], true, false),
            road("pilot", &["hsj", "wonen"], false, false),
        ];
        assert_eq!(
            differs(&s),
            [None, Some(false), Some(false), Some(true), Some(true)]
        );
        // a road whose changes run past the horizon differs too
        let mut late = road("late", &["aanvullend", "hsj", "wonen"], false, false);
        late.manifest.scope.last_step = Some("2031-06-01".into());
        let s2 = [s[0].clone(), s[1].clone(), s[2].clone(), late];
        assert_eq!(differs(&s2)[3], Some(true));
        assert_eq!(done(&s[1]).as_deref(), Some("2026-01-01"));
        // nothing procured and nothing gated: no section
        assert!(section(&[s[0].clone(), road("x", &[], false, false)], Lang::En).is_none());
        assert!(section(&s, Lang::En).is_some());
    }
}
