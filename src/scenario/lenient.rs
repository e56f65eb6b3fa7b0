//! Reading a merged scenario tree past the values serde cannot read, so that every problem
//! of a file is listed at once: serde stops at the first value of a wrong type or unknown
//! key, so that value's key (or, for a missing key, its table) is taken out of the tree
//! and the rest read again, until it reads. What is left out is reported once; a later
//! "missing key" of a table a part was taken from is its consequence, not a new problem.
//! When a required key had to go (and so its whole table), the rest is not given on to
//! validation, which would report that table's absence as problems of their own.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::Diagnostic;

/// Problems read past before giving up (a file with more is far from a scenario).
const MAX_PROBLEMS: usize = 100;

/// What [`deserialize`] read.
pub(super) struct Lenient<T> {
    /// The tree as a `T` with every part that could not be read left out; `None` when
    /// what is left does not read either (a required table itself is wrong), or a
    /// required key was left out (so its whole table: checking the rest would report that
    /// table's absence).
    pub value: Option<T>,
    /// The problems of the parts left out.
    pub problems: Vec<Diagnostic>,
    /// Where the tables and arrays a part was taken from begin (global offsets): a later
    /// problem found there (validation finding a key missing) is a consequence.
    pub left_out: Vec<usize>,
}

/// `tree` as a `T`, with every part that cannot be read left out, and the problems of
/// those parts (`diag` turns serde's error into them).
pub(super) fn deserialize<T: DeserializeOwned>(
    mut tree: Spanned<DeTable<'_>>,
    diag: impl Fn(&toml::de::Error) -> Vec<Diagnostic>,
) -> Lenient<T> {
    let mut problems = Vec::new();
    let root = tree.span();
    let mut consequences: Vec<Range<usize>> = vec![root.clone()];
    let done = |value, problems, consequences: Vec<Range<usize>>| Lenient {
        value,
        problems,
        left_out: consequences
            .iter()
            .filter(|r| **r != root)
            .map(|r| r.start)
            .collect(),
    };
    // false once a required key had to be left out: its table goes too, and validating
    // what is left would report the table's absence as problems of their own
    let mut whole = true;
    for _ in 0..MAX_PROBLEMS {
        let e = match T::deserialize(toml::de::Deserializer::from(tree.clone())) {
            Ok(v) => return done(whole.then_some(v), problems, consequences),
            Err(e) => e,
        };
        let Some(span) = e.span() else {
            problems.extend(diag(&e));
            return done(None, problems, consequences);
        };
        if consequences.contains(&span) {
            whole = false;
        } else {
            problems.extend(diag(&e));
        }
        match remove_in_table(tree.get_mut(), &span) {
            Some(path) => consequences.extend(path),
            None => return done(None, problems, consequences),
        }
    }
    done(None, problems, consequences)
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer != inner
}

/// Takes the deepest key of `t` whose key or value holds `span` out of it (a table or an
/// array item when the span is the whole of it: a missing key); returns the spans of the
/// tables and arrays passed on the way (their "missing key" errors are consequences), or
/// `None` when nothing in `t` holds it. Every branch is searched: after merging, a
/// table's own span is its base's, which need not hold the child's keys.
fn remove_in_table(t: &mut DeTable<'_>, span: &Range<usize>) -> Option<Vec<Range<usize>>> {
    let keys: Vec<String> = t.keys().map(|k| k.get_ref().to_string()).collect();
    for key in keys {
        let Some((k, _)) = t.get_key_value(key.as_str()) else {
            continue;
        };
        if k.span() == *span || contains(&k.span(), span) {
            t.remove(key.as_str());
            return Some(Vec::new());
        }
        let value = t.get_mut(key.as_str())?;
        let outer = value.span();
        let deeper = match value.get_mut() {
            DeValue::Table(inner) => remove_in_table(inner, span),
            DeValue::Array(items) => remove_in_array(items, span),
            _ => None,
        };
        if let Some(mut path) = deeper {
            path.push(outer);
            return Some(path);
        }
        if outer == *span || contains(&outer, span) {
            t.remove(key.as_str());
            return Some(Vec::new());
        }
    }
    None
}

/// [`remove_in_table`] for the items of an array: the deepest part of an item holding
/// `span` is taken out, or the item itself.
fn remove_in_array(items: &mut DeArray<'_>, span: &Range<usize>) -> Option<Vec<Range<usize>>> {
    for pos in 0..items.len() {
        let item = &mut items.as_mut()[pos];
        let outer = item.span();
        let deeper = match item.get_mut() {
            DeValue::Table(inner) => remove_in_table(inner, span),
            DeValue::Array(inner) => remove_in_array(inner, span),
            _ => None,
        };
        if let Some(mut path) = deeper {
            path.push(outer);
            return Some(path);
        }
        if outer == *span || contains(&outer, span) {
            remove_item(items, pos);
            return Some(Vec::new());
        }
    }
    None
}

/// Takes item `pos` out of `items` (a `DeArray` has no `remove`: it is rebuilt).
pub(super) fn remove_item(items: &mut DeArray<'_>, pos: usize) {
    let kept: Vec<Spanned<DeValue<'_>>> = std::mem::replace(items, DeArray::new())
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != pos)
        .map(|(_, v)| v)
        .collect();
    *items = kept.into_iter().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        a: A,
        #[serde(default)]
        item: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct A {
        n: Option<i64>,
        name: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        x: Option<f64>,
    }

    fn read(text: &str) -> (Option<Doc>, Vec<String>) {
        let tree = DeTable::parse(text).unwrap();
        let Lenient {
            value: doc,
            problems,
            ..
        } = deserialize::<Doc>(tree, |e| {
            vec![Diagnostic::at(
                "t.toml",
                text,
                e.span().map_or(0, |s| s.start),
                "f",
                e.message().to_string(),
            )]
        });
        (doc, problems.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn every_bad_value_is_reported_and_the_rest_read() {
        let (doc, p) = read(
            "[a]\nn = \"ten\"\nname = \"x\"\nbogus = 1\n\n[[item]]\nid = \"i\"\nx = \"y\"\n\n[[item]]\nid = \"j\"\n",
        );
        let mut places: Vec<&str> = p.iter().map(|x| &x[..x.find(": f:").unwrap()]).collect();
        places.sort();
        assert_eq!(places, ["t.toml:2:5", "t.toml:4:1", "t.toml:8:5"], "{p:?}");
        let doc = doc.expect("the rest reads");
        assert_eq!(doc.a.n, None);
        assert_eq!(doc.item.len(), 2);
    }

    #[test]
    fn a_missing_key_drops_its_entry_once_and_a_required_table_ends_it() {
        let (doc, p) = read("[a]\nname = \"x\"\n\n[[item]]\nx = 1.0\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("missing field `id`"), "{p:?}");
        assert_eq!(doc.expect("the rest reads").item.len(), 0);
        // a required key of a wrong type: reported once, and the rest not given on
        let (doc, p) = read("[a]\nname = \"x\"\n\n[[item]]\nid = 3\nx = \"y\"\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(doc.is_none());
        // a required key of a required table: reported once, nothing read
        let (doc, p) = read("[a]\nname = 3\n");
        assert!(doc.is_none());
        assert_eq!(p.len(), 1, "{p:?}");
    }
}
