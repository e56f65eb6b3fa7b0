//! The import graph of `src/`: no module imports one above it in the layer order that
//! ARCHITECTURE.md declares (its `layers` block), and no circle of imports among the
//! modules of any folder — the top level's modules, a module's files, a folder's
//! subfolders. Each problem is named by an edge: the file, and the path it uses.
//!
//! Paths are read from `use` trees (braces expanded) and from `crate::`, `super::`,
//! `self::` and (in the binary) `jeugdflow::` paths anywhere in the code, comments and
//! strings left out; a path names the deepest module it reaches. The tests at the end of a
//! file (from its first `#[cfg(test)]`) are left out: a test may build what it checks from
//! modules above. The binary (`main.rs`, `cmd.rs`, `cmd/`) is one top-level module, `cmd`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module: its path from the crate root, `bin` or `lib` first (`lib::stats::recorder`).
type Module = Vec<String>;

/// One import: the file, the module it is in, the module it uses, and the path as written.
#[derive(Clone, Debug)]
struct Edge {
    file: String,
    from: Module,
    to: Module,
    text: String,
}

/// The module of a file under `src/` (`stats/recorder.rs`, `model/mod.rs`, `main.rs`).
fn module_of(rel: &str) -> Module {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.first().map(String::as_str) {
        Some("lib") if parts.len() == 1 => vec!["lib".into()],
        Some("main") if parts.len() == 1 => vec!["bin".into()],
        Some("cmd") => std::iter::once("bin".to_string()).chain(parts).collect(),
        _ => std::iter::once("lib".to_string()).chain(parts).collect(),
    }
}

/// The code of a file without comments, string and character literals, and without its
/// tests (from its first `#[cfg(test)]`).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && !ident(c.get(i.wrapping_sub(1)))
        {
            // a raw string: r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (0..hashes).all(|k| c.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' && (next == Some('\\') || c.get(i + 2) == Some(&'\'')) {
            // a character literal ('x', '\n', '\''); a lifetime ('a) has no closing quote
            i += 1;
            if c.get(i) == Some(&'\\') {
                i += 2;
            } else {
                i += 1;
            }
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// The paths of a `use` tree, braces expanded (`a::{b, c::{d}}` → `a::b`, `a::c::d`).
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let Some(close) = tree.rfind('}') else {
        return vec![tree.to_string()];
    };
    let (prefix, inner) = (&tree[..open], &tree[open + 1..close]);
    let mut parts = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for ch in inner.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |q| format!("{prefix}{q}")))
        .collect()
}

/// Every path a file's code uses that starts at a module (`crate::`, `super::`, `self::`,
/// `jeugdflow::`).
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // use trees
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 4..];
        if ident(before.as_ref()) {
            continue;
        }
        if let Some(end) = rest.find(';') {
            out.extend(expand(&rest[..end]));
        }
    }
    // paths anywhere
    let c: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < c.len() {
        let starts = ["crate::", "super::", "self::", "jeugdflow::"]
            .iter()
            .any(|s| c[i..].iter().take(s.len()).copied().eq(s.chars()));
        if starts && !ident(c.get(i.wrapping_sub(1))) && c.get(i.wrapping_sub(1)) != Some(&':') {
            let mut j = i;
            while j < c.len() && (ident(c.get(j)) || c[j] == ':') {
                j += 1;
            }
            out.push(c[i..j].iter().collect());
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The module `path` (used in module `from`) reaches: the deepest of `modules` it names,
/// or `None` for a path outside the crate.
fn resolve(from: &Module, path: &str, modules: &BTreeSet<Module>) -> Option<Module> {
    let path = path.split(" as ").next().unwrap_or(path);
    let segs: Vec<&str> = path
        .split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut target: Module = match segs.first().copied() {
        Some("crate") => vec![from[0].clone()],
        Some("jeugdflow") => vec!["lib".into()],
        Some("super") | Some("self") => from.clone(),
        _ => return None,
    };
    let mut rest = &segs[1..];
    if matches!(segs[0], "super" | "self") {
        rest = &segs[..];
        while let Some(s) = rest.first() {
            match *s {
                "super" => {
                    target.pop();
                }
                "self" => {}
                _ => break,
            }
            rest = &rest[1..];
        }
    }
    target.extend(rest.iter().map(|s| s.to_string()));
    (1..=target.len())
        .rev()
        .map(|k| target[..k].to_vec())
        .find(|m| modules.contains(m))
}

/// The imports of `files` (path under `src/`, text).
fn edges(files: &[(String, String)]) -> Vec<Edge> {
    let modules: BTreeSet<Module> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut out = Vec::new();
    for (p, text) in files {
        let from = module_of(p);
        // a path in a `use` is also a path in the code: count each once
        let once: BTreeSet<String> = paths(&code(text)).into_iter().collect();
        for path in once {
            if let Some(to) = resolve(&from, &path, &modules)
                && to != from
            {
                out.push(Edge {
                    file: format!("src/{p}"),
                    from: from.clone(),
                    to,
                    text: path,
                });
            }
        }
    }
    out
}

/// The top-level module of a module: `cmd` for the binary, else the library's module.
fn top(m: &Module) -> Option<String> {
    match m[0].as_str() {
        "bin" => Some("cmd".into()),
        _ => m.get(1).cloned(),
    }
}

/// The layers declared in ARCHITECTURE.md's `layers` block, from the top: each line's
/// modules before a `:` (or the whole line).
fn declared_layers(architecture: &str) -> Vec<Vec<String>> {
    let Some(start) = architecture.find("```layers\n") else {
        return Vec::new();
    };
    let body = &architecture[start + "```layers\n".len()..];
    let body = &body[..body.find("```").unwrap_or(body.len())];
    body.lines()
        .map(|l| l.split(':').next().unwrap_or(""))
        .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The circles among the nodes of a graph (strongly connected components of more than
/// one node), each in a stable order.
fn circles(nodes: &BTreeSet<String>, arcs: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    // Kosaraju: reachability both ways is cheap at this size
    let reach = |from: &String, forward: bool| {
        let mut seen = BTreeSet::from([from.clone()]);
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for (a, b) in arcs {
                let (x, y) = if forward { (a, b) } else { (b, a) };
                if *x == n && seen.insert(y.clone()) {
                    todo.push(y.clone());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for n in nodes {
        if done.contains(n) {
            continue;
        }
        let comp: Vec<String> = reach(n, true)
            .intersection(&reach(n, false))
            .cloned()
            .collect();
        done.extend(comp.iter().cloned());
        if comp.len() > 1 {
            out.push(comp);
        }
    }
    out
}

/// Every problem of the import graph of `files` against `layers` (from the top).
fn problems(files: &[(String, String)], layers: &[Vec<String>]) -> Vec<String> {
    let edges = edges(files);
    let mut out = Vec::new();
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |m| (m.as_str(), layers.len() - i)))
        .collect();
    // every top-level module is declared once
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|(p, _)| top(&module_of(p)))
        .collect();
    for t in &tops {
        if !rank.contains_key(t.as_str()) {
            out.push(format!(
                "module '{t}' is in no layer of ARCHITECTURE.md's layers block"
            ));
        }
    }
    let declared: Vec<&String> = layers.iter().flatten().collect();
    for d in &declared {
        if declared.iter().filter(|x| x == &d).count() > 1 {
            out.push(format!("module '{d}' is declared in two layers"));
        }
    }
    // no import of a layer above or beside
    for e in &edges {
        let (Some(a), Some(b)) = (top(&e.from), top(&e.to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let (ra, rb) = (rank.get(a.as_str()), rank.get(b.as_str()));
        if let (Some(ra), Some(rb)) = (ra, rb)
            && rb >= ra
        {
            let how = if rb > ra { "above" } else { "beside" };
            out.push(format!(
                "{}: {a} uses {} — {b} is {how} {a} in the layer order",
                e.file, e.text
            ));
        }
    }
    // no circle among the children of any module
    let parents: BTreeSet<Module> = edges
        .iter()
        .flat_map(|e| [e.from.clone(), e.to.clone()])
        .flat_map(|m| (1..m.len()).map(move |k| m[..k].to_vec()))
        .collect();
    for p in parents {
        let child =
            |m: &Module| (m.len() > p.len() && m.starts_with(&p)).then(|| m[p.len()].clone());
        let mut arcs: BTreeMap<(String, String), &Edge> = BTreeMap::new();
        for e in &edges {
            if let (Some(a), Some(b)) = (child(&e.from), child(&e.to))
                && a != b
            {
                arcs.entry((a, b)).or_insert(e);
            }
        }
        let keys: BTreeSet<(String, String)> = arcs.keys().cloned().collect();
        let nodes: BTreeSet<String> = keys
            .iter()
            .flat_map(|(a, b)| [a.clone(), b.clone()])
            .collect();
        for c in circles(&nodes, &keys) {
            let name = if p.len() == 1 {
                "the crate".to_string()
            } else {
                p[1..].join("::")
            };
            let hops: Vec<String> = arcs
                .iter()
                .filter(|((a, b), _)| c.contains(a) && c.contains(b))
                .map(|((a, b), e)| format!("{a} → {b} ({}: {})", e.file, e.text))
                .collect();
            out.push(format!(
                "a circle of imports among the modules of {name}: {}; {}",
                c.join(", "),
                hops.join("; ")
            ));
        }
    }
    out
}

/// The files under `dir`, as (path under it, text), sorted.
fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, base, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p
                .strip_prefix(base)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).expect("a source file")));
        }
    }
}

#[test]
fn src_has_no_upward_import_and_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &root.join("src"), &mut files);
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let layers = declared_layers(&architecture);
    assert!(
        layers.len() > 5,
        "ARCHITECTURE.md has a layers block: {layers:?}"
    );
    let found = problems(&files, &layers);
    assert!(
        found.is_empty(),
        "the import graph of src/:\n{}",
        found.join("\n")
    );
    // the check sees the graph: the binary uses the library, the model the statistics
    let e = edges(&files);
    let uses = |a: &str, b: &str| {
        e.iter()
            .any(|e| top(&e.from).as_deref() == Some(a) && top(&e.to).as_deref() == Some(b))
    };
    assert!(uses("cmd", "report") && uses("model", "stats") && uses("report", "sweep"));
}

/// The cycles the code had before the layers were made true, in a small tree: each is
/// found and named by its edge.
#[test]
fn the_check_names_upward_imports_and_circles() {
    let f = |p: &str, t: &str| (p.to_string(), t.to_string());
    let files = vec![
        f(
            "lib.rs",
            "pub mod model;\npub mod stats;\npub mod region;\npub mod report;\npub mod scenario;\npub mod experiment;",
        ),
        f("stats.rs", "mod recorder;"),
        f(
            "stats/recorder.rs",
            "use crate::model::PathwayNorm;\n// use crate::report::x; (a comment)\nconst S: &str = \"crate::report::y\";",
        ),
        f(
            "model.rs",
            "use crate::stats::Recorder;\npub fn f() -> char { '\"' }",
        ),
        f("experiment.rs", "pub const MAX: u32 = 1;"),
        f("scenario.rs", "fn g() -> u32 { crate::experiment::MAX }"),
        f("region.rs", "mod check;\nmod solve;\nmod write;"),
        f("region/check.rs", "use super::write::grouped;"),
        f(
            "region/solve.rs",
            "use super::{check::Problem, write::starting_list};",
        ),
        f("region/write.rs", "use super::solve::{Flow, Solution};"),
        f(
            "report.rs",
            "pub mod comparison;\npub mod html;\npub mod plots;",
        ),
        f(
            "report/comparison.rs",
            "use super::html;\nuse super::plots::{self, Chart};",
        ),
        f("report/html.rs", "pub mod sweep;"),
        f(
            "report/html/sweep.rs",
            "use crate::report::comparison::{Strategy, dominated};",
        ),
        f("report/plots.rs", "pub mod compare;"),
        f(
            "report/plots/compare.rs",
            "fn s(x: &crate::report::comparison::Strategy) {}\n#[cfg(test)]\nmod tests { use crate::region::check; }",
        ),
        f("main.rs", "mod cmd;\nuse jeugdflow::scenario::load;"),
        f("cmd.rs", "use jeugdflow::report;"),
    ];
    let layers: Vec<Vec<String>> = [
        "cmd",
        "report",
        "region",
        "experiment",
        "scenario",
        "model",
        "stats",
    ]
    .iter()
    .map(|l| vec![l.to_string()])
    .collect();
    let p = problems(&files, &layers);
    let has = |s: &str| p.iter().any(|x| x.contains(s));
    assert!(
        has("src/stats/recorder.rs: stats uses crate::model::PathwayNorm — model is above stats"),
        "{p:#?}"
    );
    assert!(
        has("src/scenario.rs: scenario uses crate::experiment::MAX — experiment is above scenario"),
        "{p:#?}"
    );
    assert!(
        has("a circle of imports among the modules of the crate: model, stats"),
        "{p:#?}"
    );
    assert!(
        has("a circle of imports among the modules of region: check, solve, write"),
        "{p:#?}"
    );
    assert!(
        has("a circle of imports among the modules of report: comparison, html, plots"),
        "{p:#?}"
    );
    assert!(
        has(
            "plots → comparison (src/report/plots/compare.rs: crate::report::comparison::Strategy)"
        ),
        "{p:#?}"
    );
    // comments, strings, character literals and tests are no imports
    assert!(
        !p.iter()
            .any(|x| x.contains("report::x") || x.contains("report::y")),
        "{p:#?}"
    );
    assert!(!p.iter().any(|x| x.contains("region::check;")), "{p:#?}");
    assert_eq!(p.len(), 5, "{p:#?}");
    // a module in no layer is named
    let p = problems(&files, &layers[1..]);
    assert!(
        p.iter()
            .any(|x| x == "module 'cmd' is in no layer of ARCHITECTURE.md's layers block"),
        "{p:#?}"
    );
}

#[test]
fn use_trees_expand_and_paths_resolve_to_the_deepest_module() {
    assert_eq!(
        expand("crate::a::{b, c::{d, e as f}, self}"),
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e as f",
            "crate::a::self"
        ]
    );
    let modules: BTreeSet<Module> =
        [module_of("lib.rs"), module_of("a.rs"), module_of("a/b.rs")].into();
    let from = module_of("a/b.rs");
    assert_eq!(
        resolve(&from, "super::b::Item", &modules),
        Some(module_of("a/b.rs"))
    );
    assert_eq!(
        resolve(&from, "crate::a::Other", &modules),
        Some(module_of("a.rs"))
    );
    assert_eq!(resolve(&from, "std::fs", &modules), None);
    assert_eq!(
        module_of("cmd/common/folders.rs"),
        ["bin", "cmd", "common", "folders"]
    );
}
