//! The run page (replications, Start, progress, the report), the compare page (the
//! scenarios ticked, the baseline always among them, the comparison's name) and the
//! results page of a saved output (its report, its downloads, removing it).

use std::fmt::Write;
use std::path::Path;

use super::super::catalog::{Entry, Results};
use super::super::editor::Base;
use super::super::outputs::{OutKind, Output, out_link};
use super::super::texts::{code, texts};
use super::{enc, kind_word, layout};
use crate::report::html::escape;
use crate::report::lang::Lang;

/// The progress line, the message slot and the frame the result appears in.
fn progress_block() -> &'static str {
    "<div id=\"job\" hidden><progress id=\"bar\" max=\"1\" value=\"0\"></progress> <span id=\"jobstate\"></span></div>\
     <div id=\"joberror\" class=\"err\"></div><div id=\"downloads\"></div>\
     <iframe id=\"result\" title=\"report\" hidden></iframe>"
}

/// A labelled input with its message slot.
fn input(label: &str, id: &str, value: &str, size: usize) -> String {
    format!(
        "<span class=\"field small\"><label>{label} <input id=\"{id}\" value=\"{}\" size=\"{size}\" autocomplete=\"off\"></label>\
         <span class=\"msg\" data-for=\"{id}\"></span></span>",
        escape(value)
    )
}

/// The run page of scenario `e`: replications, Start, progress, then its report.
pub fn run(e: &Entry, lang: Lang) -> String {
    let t = texts(lang);
    let name = e.name.clone().unwrap_or_default();
    let existing = match &e.results {
        Results::Ran(r) if r.within.is_none() => r.report.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let key = enc(e.base.key());
    let b = format!(
        "<h1>{}: {}</h1><p class=\"desc\">{}</p><p><a href=\"/road?scenario={key}&lang={l}\">{}</a></p>\n\
         <div class=\"runform\" id=\"runform\" data-scenario=\"{}\" data-existing=\"{}\">{} \
         <button id=\"start\" class=\"primary\">{}</button></div>\n{}",
        t.run_title,
        escape(&name),
        escape(&e.description),
        t.timeline,
        escape(e.base.key()),
        escape(&existing),
        input(t.replications, "reps", &e.replications.to_string(), 6),
        t.start,
        progress_block(),
        l = code(lang),
    );
    layout(
        lang,
        &name,
        &format!("/run?scenario={}", enc(e.base.key())),
        &b,
        &[],
    )
}

/// The compare page: tick the scenarios, choose the baseline (always included), name
/// the comparison.
pub fn compare(entries: &[Entry], lang: Lang) -> String {
    let t = texts(lang);
    let mut rows = String::new();
    for (i, e) in entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.problem.is_none())
    {
        let key = escape(e.base.key());
        let first = i == 0;
        let _ = writeln!(
            rows,
            "<tr><td><input type=\"checkbox\" class=\"pick\" value=\"{key}\"{}></td>\
             <td><input type=\"radio\" name=\"baseline\" value=\"{key}\"{}></td><td>{} <small>{}</small></td><td class=\"desc\">{}</td></tr>",
            if first { " checked disabled" } else { "" },
            if first { " checked" } else { "" },
            escape(e.name.as_deref().unwrap_or("")),
            match &e.base {
                Base::Builtin => t.builtin.to_string(),
                Base::File(f) => escape(f),
            },
            escape(&e.description)
        );
    }
    let b = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>\n<table class=\"list\" id=\"picks\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th></tr></thead><tbody>\n{rows}</tbody></table><div class=\"msg\" data-for=\"picks\"></div>\n\
         <div class=\"runform\" id=\"compareform\">{} {} \
         <button id=\"startcompare\" class=\"primary\">{}</button></div>\n{}",
        t.compare,
        t.compare_intro,
        t.include,
        t.baseline,
        t.scenario,
        t.description,
        input(
            t.comparison_name,
            "cname",
            if lang == Lang::Nl {
                "vergelijking"
            } else {
                "comparison"
            },
            24
        ),
        input(
            t.replications,
            "reps",
            &entries.first().map_or(50, |e| e.replications).to_string(),
            6
        ),
        t.compare,
        progress_block()
    );
    layout(lang, t.compare, "/compare", &b, &[])
}

/// The files of an output offered for download, those it has.
fn downloads(out: &Path, o: &Output) -> Vec<String> {
    let names: &[&str] = match o.kind {
        OutKind::Comparison | OutKind::Sweep => &[
            "differences.csv",
            "sweep.csv",
            "comparison.xlsx",
            "robustness.csv",
            "report.html",
        ],
        OutKind::Run => &["summary.csv", "timeseries.csv", "costs.csv", "report.html"],
        OutKind::Savings => &["savings.csv", "report.html"],
    };
    names
        .iter()
        .filter(|f| out.join(&o.folder).join(f).is_file())
        .map(|f| f.to_string())
        .collect()
}

/// The table of a CSV file's text (a header and rows), escaped; at most 200 rows.
fn csv_table(text: &str) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut s = String::from("<table class=\"list robust\"><thead><tr>");
    if let Ok(h) = rdr.headers() {
        for c in h {
            let _ = write!(s, "<th>{}</th>", escape(c));
        }
    }
    s.push_str("</tr></thead><tbody>");
    for r in rdr.records().take(200).flatten() {
        s.push_str("<tr>");
        for c in &r {
            let _ = write!(s, "<td>{}</td>", escape(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// The page of output `o` of folder `out`: what it is, its downloads, the roads × futures
/// of a comparison made with futures (its `robustness.csv`), its report, and removing it.
pub fn results(out: &Path, o: &Output, lang: Lang) -> String {
    let t = texts(lang);
    let mut b = format!(
        "<h1>{}: {}</h1><p class=\"desc\">{} · {}: {} · {}: {}</p>",
        crate::report::lang::capitalised(kind_word(t, o.kind)),
        escape(&o.folder),
        escape(&o.when),
        t.roads,
        escape(&o.roads.join(", ")),
        t.replications,
        o.replications.map(|r| r.to_string()).unwrap_or_default(),
    );
    if let Some(p) = &o.problem {
        let _ = write!(b, "<div class=\"err\">{}</div>", escape(p));
    }
    b.push_str("<div id=\"downloads\">");
    for f in downloads(out, o) {
        let _ = write!(
            b,
            "<a class=\"dl\" href=\"{}?download=1\">{} {f}</a>",
            escape(&out_link(&[&o.folder, &f])),
            t.download
        );
    }
    b.push_str("</div>");
    if o.removable {
        let _ = write!(
            b,
            "<p><button type=\"button\" class=\"remove\" data-folder=\"{}\" data-then=\"/?lang={}#runs\">{}</button></p>",
            escape(&o.folder),
            code(lang),
            t.remove
        );
    }
    // the hook for a comparison made with futures: its roads × futures, as written
    if let Ok(text) = std::fs::read_to_string(out.join(&o.folder).join("robustness.csv")) {
        let _ = write!(
            b,
            "<section id=\"robustness\"><h2>{}</h2><p class=\"note\">{}</p>{}</section>",
            t.robustness,
            t.robustness_intro,
            csv_table(&text)
        );
    }
    if let Some(r) = &o.report {
        let _ = write!(
            b,
            "<iframe id=\"result\" title=\"report\" src=\"{}\"></iframe>",
            escape(r)
        );
    }
    layout(
        lang,
        &o.folder,
        &format!("/results?folder={}", enc(&o.folder)),
        &b,
        &[],
    )
}
