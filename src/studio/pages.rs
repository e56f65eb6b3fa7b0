//! The studio's pages as HTML: plain, escaped markup with the studio's stylesheet and
//! scripts (all embedded, nothing from the network). The start page — the scenarios with
//! their last runs, and the runs and comparisons — is here; the run, compare and results
//! pages in [`run`], the strategy editor in [`editor`], a road's timeline in [`road`].

pub mod editor;
pub mod road;
pub mod run;

use std::fmt::Write;

use super::catalog::{Entry, Results};
use super::editor::Base;
use super::jobs::{State, Status};
use super::outputs::{OutKind, Output};
use super::texts::{Texts, code, texts};
use crate::measure::Metric;
use crate::report::html::escape;
use crate::report::lang::Lang;

/// The studio's stylesheet.
pub const CSS: &str = include_str!("assets/studio.css");
/// The script of every page.
pub const JS: &str = include_str!("assets/studio.js");
/// The editor's script (fields, checks, drafts, saving).
pub const EDITOR_JS: &str = include_str!("assets/editor.js");
/// The charts and the timeline of a road.
pub const PLAN_JS: &str = include_str!("assets/plan.js");

/// A query string value, percent-encoded.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A whole page: header with the navigation and the language switch, then `body`, then
/// the scripts `scripts` (names under `/static/`). `here` is the page's address without
/// `lang` (for the switch).
pub fn layout(lang: Lang, title: &str, here: &str, body: &str, scripts: &[&str]) -> String {
    let t = texts(lang);
    let l = code(lang);
    let sep = if here.contains('?') { '&' } else { '?' };
    let switch = |to: Lang, label: &str| {
        if to == lang {
            format!("<b>{label}</b>")
        } else {
            format!(
                "<a href=\"{}{sep}lang={}\">{label}</a>",
                escape(here),
                code(to)
            )
        }
    };
    let mut js = String::from("<script src=\"/static/studio.js\"></script>");
    for s in scripts {
        let _ = write!(js, "<script src=\"/static/{s}\"></script>");
    }
    format!(
        "<!doctype html>\n<html lang=\"{l}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><link rel=\"stylesheet\" href=\"/static/studio.css\"></head>\n\
         <body data-lang=\"{l}\"><header><a class=\"brand\" href=\"/?lang={l}\">{}</a>\
         <nav><a href=\"/?lang={l}\">{}</a><a href=\"/?lang={l}#runs\">{}</a><a href=\"/compare?lang={l}\">{}</a></nav>\
         <span class=\"lang\">{} | {}</span></header>\n<main>\n{body}\n</main>\n{}\n{js}</body></html>\n",
        escape(title),
        t.studio,
        t.studio,
        t.scenarios,
        t.runs_title,
        t.compare,
        switch(Lang::Nl, "NL"),
        switch(Lang::En, "EN"),
        script_texts(t),
    )
}

/// The key numbers of a run as `label: value` items, each with its label, format and
/// description (shown on hover) from the table of measures.
fn numbers(n: &[(Metric, f64)], lang: Lang) -> String {
    let mut s = String::from("<ul class=\"kn\">");
    for (m, v) in n {
        let words = lang.words(m.measure());
        let _ = write!(
            s,
            "<li title=\"{}\">{}: <b data-metric=\"{}\">{}</b></li>",
            escape(&words.description.replace('`', "")),
            words.label,
            m.name(),
            lang.metric_value(*m, *v)
        );
    }
    s.push_str("</ul>");
    s
}

/// A kind of output in words.
pub fn kind_word(t: &Texts, k: OutKind) -> &'static str {
    match k {
        OutKind::Run => t.kind_run,
        OutKind::Comparison => t.kind_comparison,
        OutKind::Sweep => t.kind_sweep,
        OutKind::Savings => t.kind_savings,
    }
}

/// The address of the results page of output `folder`.
pub fn results_link(folder: &str, lang: Lang) -> String {
    format!("/results?folder={}&lang={}", enc(folder), code(lang))
}

/// A scenario's last run: when, where, whether it is current, its report.
fn last_run(e: &Entry, t: &Texts, lang: Lang) -> (String, String) {
    match &e.results {
        Results::None => (t.none.to_string(), String::new()),
        Results::Unreadable(why) => (
            format!("<span class=\"err\">{}</span>", escape(why)),
            String::new(),
        ),
        Results::Ran(r) => {
            let where_ = match &r.within {
                None => t.alone.to_string(),
                Some((k, folder)) => format!(
                    "{} <a href=\"{}\">{}</a>",
                    if *k == OutKind::Sweep {
                        t.in_sweep
                    } else {
                        t.in_comparison
                    },
                    escape(&results_link(folder, lang)),
                    escape(folder)
                ),
            };
            let state = if r.current {
                format!("<span class=\"ok\">{}</span>", t.current)
            } else {
                format!("<span class=\"warn\">{}</span>", t.stale)
            };
            (
                format!(
                    "<span class=\"when\">{}</span><br>{where_}<br>{state}",
                    escape(&r.when)
                ),
                numbers(&r.numbers, lang),
            )
        }
    }
}

/// The actions of a scenario: change it in place (the studio's own roads) or build a
/// strategy on it, its timeline, run it, its report.
fn actions(e: &Entry, t: &Texts, l: &str) -> String {
    let key = enc(e.base.key());
    let mut a = String::new();
    if e.problem.is_some() {
        return a;
    }
    if e.own {
        let _ = write!(
            a,
            "<a class=\"btn primary\" href=\"/edit?road={key}&lang={l}\">{}</a> \
             <a class=\"btn\" href=\"/edit?base={key}&lang={l}\">{}</a> ",
            t.edit, t.new_on_this
        );
    } else {
        let _ = write!(
            a,
            "<a class=\"btn\" href=\"/edit?base={key}&lang={l}\">{}</a> ",
            t.make_strategy
        );
    }
    let _ = write!(
        a,
        "<a class=\"btn\" href=\"/run?scenario={key}&lang={l}\">{}</a> \
         <a class=\"btn\" href=\"/road?scenario={key}&lang={l}\">{}</a>",
        t.run, t.timeline
    );
    if let Results::Ran(r) = &e.results
        && let Some(report) = &r.report
    {
        let _ = write!(a, " <a href=\"{}\">{}</a>", escape(report), t.report);
    }
    a
}

/// The start page: every scenario with its last run, then the runs and comparisons.
pub fn start(entries: &[Entry], jobs: &[Status], outputs: &[Output], lang: Lang) -> String {
    let t = texts(lang);
    let l = code(lang);
    let mut b = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>\n<table class=\"list\" id=\"scenarios\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        t.scenarios, t.intro, t.scenario, t.horizon, t.results, t.key_numbers, t.actions
    );
    for e in entries {
        let title = match &e.base {
            Base::Builtin => format!(
                "{} <small>({})</small>",
                escape(e.name.as_deref().unwrap_or("")),
                t.builtin
            ),
            Base::File(f) => format!(
                "{} <small><a href=\"/scenarios/{}\">{f}</a></small> <span class=\"badge{}\">{}</span>",
                escape(e.name.as_deref().unwrap_or(f)),
                enc(f),
                if e.own { " own" } else { "" },
                if e.own { t.own_road } else { t.read_only },
                f = escape(f)
            ),
        };
        let about = match &e.problem {
            Some(p) => format!("<div class=\"err\">{}: {}</div>", t.invalid, escape(p)),
            None => format!("<div class=\"desc\">{}</div>", escape(&e.description)),
        };
        let horizon = e
            .horizon
            .as_ref()
            .map(|(a, b)| format!("{a} – {b}"))
            .unwrap_or_default();
        let (state, nums) = last_run(e, t, lang);
        let _ = writeln!(
            b,
            "<tr data-scenario=\"{}\"><td>{title}{about}</td><td class=\"horizon\">{horizon}</td><td class=\"last\">{state}</td><td>{nums}</td><td class=\"actions\">{}</td></tr>",
            escape(e.base.key()),
            actions(e, t, l)
        );
    }
    b.push_str("</tbody></table>\n");
    let _ = write!(
        b,
        "<p><a class=\"btn primary\" href=\"/compare?lang={l}\">{}</a></p>",
        t.compare
    );
    b.push_str(&runs(jobs, outputs, lang));
    layout(lang, t.scenarios, "/", &b, &[])
}

/// The runs and comparisons: this session's jobs that are not written yet (waiting,
/// running, failed), then every output folder.
fn runs(jobs: &[Status], outputs: &[Output], lang: Lang) -> String {
    let t = texts(lang);
    let mut b = format!(
        "<h2 id=\"runs\">{}</h2><p class=\"intro\">{}</p><table class=\"list\" id=\"outputs\"><thead><tr>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>\n",
        t.runs_title, t.runs_intro, t.when, t.kind, t.name_col, t.roads, t.replications, t.status
    );
    let mut any = false;
    for j in jobs.iter().filter(|j| j.state != State::Done) {
        any = true;
        let state = match j.state {
            State::Queued => t.queued.to_string(),
            State::Running => format!("{} {}/{}", t.running, j.done, j.total),
            State::Failed => format!(
                "<span class=\"err\">{}: {}</span>",
                t.failed,
                escape(&j.message)
            ),
            State::Done => t.done.to_string(),
        };
        let _ = writeln!(
            b,
            "<tr class=\"job\" data-job=\"{}\" data-state=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"state\">{state}</td><td></td></tr>",
            j.id,
            serde_json::to_value(j.state)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            escape(&j.queued),
            kind_word(t, j.job.kind),
            escape(&j.job.folder),
            escape(&j.job.roads.join(", ")),
            j.job.replications
        );
    }
    for o in outputs {
        any = true;
        let status = match &o.problem {
            Some(p) => format!("<span class=\"err\">{}</span>", escape(p)),
            None => t.done.to_string(),
        };
        let remove = if o.removable {
            format!(
                "<button type=\"button\" class=\"remove\" data-folder=\"{}\">{}</button>",
                escape(&o.folder),
                t.remove
            )
        } else {
            format!("<small title=\"{}\">–</small>", t.not_removable)
        };
        let _ = writeln!(
            b,
            "<tr data-folder=\"{f}\"><td>{}</td><td>{}</td><td><a href=\"{}\">{f}</a></td><td>{}</td><td>{}</td><td>{status}</td>\
             <td class=\"actions\"><a class=\"btn\" href=\"{}\">{}</a> {remove}</td></tr>",
            escape(&o.when),
            kind_word(t, o.kind),
            escape(&results_link(&o.folder, lang)),
            escape(&o.roads.join(", ")),
            o.replications.map(|r| r.to_string()).unwrap_or_default(),
            escape(&results_link(&o.folder, lang)),
            t.open,
            f = escape(&o.folder),
        );
    }
    if !any {
        let _ = writeln!(b, "<tr><td colspan=\"7\">{}</td></tr>", t.no_outputs);
    }
    b.push_str("</tbody></table>\n");
    b
}

/// The texts the scripts need, as a JSON block.
fn script_texts(t: &Texts) -> String {
    let j = serde_json::to_string(t).unwrap_or_default();
    // `</` cannot end the script block early
    format!(
        "<script type=\"application/json\" id=\"texts\">{}</script>",
        j.replace("</", "<\\/")
    )
}

/// A page that says what went wrong, and the way back.
pub fn problem(lang: Lang, message: &str) -> String {
    let t = texts(lang);
    let b = format!(
        "<h1>{}</h1><div class=\"err\" id=\"problem\">{}</div><p><a class=\"btn\" href=\"/?lang={}\">{}</a></p>",
        t.not_found,
        escape(message),
        code(lang),
        t.back_home
    );
    layout(lang, t.not_found, "/", &b, &[])
}
