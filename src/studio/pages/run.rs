//! The run page (replications, Start, progress, the report), the compare page (the
//! scenarios ticked, the baseline always among them, the futures to run them in, the
//! comparison's name) and the results page of a saved output (its report, its downloads,
//! with futures its roads × futures, removing it).

use std::fmt::Write;
use std::path::Path;

use super::super::catalog::{Entry, Results};
use super::super::editor::Base;
use super::super::outputs::{OutKind, Output, out_link};
use super::super::texts::{Texts, code, texts};
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

/// The futures of the compare page (when the futures folder has any): tick those every
/// road runs in.
fn futures_block(futures: &[String], t: &Texts) -> String {
    if futures.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    for f in futures {
        let _ = writeln!(
            rows,
            "<tr><td><input type=\"checkbox\" class=\"future\" value=\"{f}\"></td><td>{} \
             <small><a href=\"/scenarios/futures/{}\">{f}</a></small></td></tr>",
            escape(f.trim_end_matches(".toml")),
            enc(f),
            f = escape(f),
        );
    }
    format!(
        "<h2>{}</h2><p class=\"intro\">{}</p>\n<table class=\"list\" id=\"futures\"><thead><tr><th>{}</th><th>{}</th></tr></thead>\
         <tbody>\n{rows}</tbody></table><div class=\"msg\" data-for=\"futures\"></div>\n",
        t.futures, t.futures_intro, t.include, t.future
    )
}

/// The compare page: tick the scenarios, choose the baseline (always included), the
/// futures to run them in (if any), name the comparison.
pub fn compare(entries: &[Entry], futures: &[String], lang: Lang) -> String {
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
         {}<div class=\"runform\" id=\"compareform\">{} {} \
         <button id=\"startcompare\" class=\"primary\">{}</button></div>\n{}",
        t.compare,
        t.compare_intro,
        t.include,
        t.baseline,
        t.scenario,
        t.description,
        futures_block(futures, t),
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

/// The roads × futures of a comparison's `robustness.csv` in the page's words: per road
/// its saving net of harm in each future (€ mln) with its regret, its largest regret and
/// the share of futures within the limits. `None` when the file does not read as one.
fn robust_table(text: &str, lang: Lang) -> Option<String> {
    let t = texts(lang);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let head = rdr.headers().ok()?.clone();
    let col = |name: &str| head.iter().position(|h| h == name);
    let (road, future, metric, mean, regret) = (
        col("strategy")?,
        col("future")?,
        col("metric")?,
        col("mean")?,
        col("regret")?,
    );
    let mut roads: Vec<String> = Vec::new();
    let mut futures: Vec<String> = Vec::new();
    // (road, future) → (mean, regret); (road, "all", metric) → mean
    let mut cells: Vec<(String, String, String, f64, f64)> = Vec::new();
    for r in rdr.records() {
        let r = r.ok()?;
        let num = |i: usize| {
            r.get(i)
                .and_then(|x| x.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        let (ro, fu, me) = (r.get(road)?, r.get(future)?, r.get(metric)?);
        if !roads.iter().any(|x| x == ro) {
            roads.push(ro.to_string());
        }
        if fu != "all" && !futures.iter().any(|x| x == fu) {
            futures.push(fu.to_string());
        }
        let wanted = me == crate::sweep::Kpi::SavingHarmWeighted.name()
            || me == crate::measure::MAX_REGRET.name
            || me == crate::measure::SHARE_FUTURES_MEETING_LIMITS.name;
        if wanted {
            cells.push((ro.into(), fu.into(), me.into(), num(mean), num(regret)));
        }
    }
    let find = |ro: &str, fu: &str, me: &str| {
        cells
            .iter()
            .find(|c| c.0 == ro && c.1 == fu && c.2 == me)
            .map(|c| (c.3, c.4))
    };
    let mln = |x: f64| {
        if x.is_finite() {
            lang.number(x / 1e6, 1)
        } else {
            "–".to_string()
        }
    };
    let mut s = format!(
        "<table class=\"list robust\"><thead><tr><th>{}</th>",
        t.road
    );
    for f in &futures {
        let _ = write!(s, "<th>{}</th>", escape(f));
    }
    let _ = write!(
        s,
        "<th>{}</th><th>{}</th></tr></thead><tbody>",
        t.max_regret, t.share_meeting
    );
    for ro in &roads {
        let _ = write!(s, "<tr data-road=\"{r}\"><td>{r}</td>", r = escape(ro));
        for f in &futures {
            let cell = find(ro, f, crate::sweep::Kpi::SavingHarmWeighted.name()).map_or_else(
                || "–".to_string(),
                |(m, g)| format!("{} <small>({} {})</small>", mln(m), t.regret, mln(g)),
            );
            let _ = write!(s, "<td data-future=\"{}\">{cell}</td>", escape(f));
        }
        let max = find(ro, "all", crate::measure::MAX_REGRET.name).map_or(f64::NAN, |c| c.0);
        let share = find(ro, "all", crate::measure::SHARE_FUTURES_MEETING_LIMITS.name)
            .map_or(f64::NAN, |c| c.0);
        let share = if share.is_finite() {
            format!("{} %", lang.number(share * 100.0, 0))
        } else {
            "–".to_string()
        };
        let _ = write!(
            s,
            "<td class=\"max\">{}</td><td class=\"share\">{share}</td></tr>",
            mln(max)
        );
    }
    s.push_str("</tbody></table>");
    Some(s)
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
            "<a class=\"dl\" href=\"{}?download=1&lang={}\">{} {f}</a>",
            escape(&out_link(&[&o.folder, &f])),
            code(lang),
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
    // a comparison made with futures: its roads × futures
    if let Some(table) = std::fs::read_to_string(out.join(&o.folder).join("robustness.csv"))
        .ok()
        .and_then(|text| robust_table(&text, lang))
    {
        let _ = write!(
            b,
            "<section id=\"robustness\"><h2>{}</h2><p class=\"note\">{}</p>{table}</section>",
            t.robustness, t.robustness_intro,
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
