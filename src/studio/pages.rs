//! The studio's pages as HTML: plain, escaped markup with the studio's stylesheet and
//! script (both embedded, nothing from the network). The start page, the run page and the
//! compare page are here; the strategy editor is in [`editor`].

pub mod editor;

use std::fmt::Write;

use super::catalog::{Entry, Results};
use super::editor::Base;
use super::texts::{Texts, code, texts};
use super::work::out_link;
use crate::measure::Metric;
use crate::report::html::escape;
use crate::report::lang::Lang;

/// The studio's stylesheet.
pub const CSS: &str = include_str!("assets/studio.css");
/// The studio's script.
pub const JS: &str = include_str!("assets/studio.js");

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

/// A whole page: header with the navigation and the language switch, then `body`.
/// `here` is the page's address without `lang` (for the switch).
pub fn layout(lang: Lang, title: &str, here: &str, body: &str) -> String {
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
    format!(
        "<!doctype html>\n<html lang=\"{l}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><link rel=\"stylesheet\" href=\"/static/studio.css\"></head>\n\
         <body data-lang=\"{l}\"><header><a class=\"brand\" href=\"/?lang={l}\">{}</a>\
         <nav><a href=\"/?lang={l}\">{}</a><a href=\"/compare?lang={l}\">{}</a></nav>\
         <span class=\"lang\">{} | {}</span></header>\n<main>\n{body}\n</main>\n\
         <script src=\"/static/studio.js\"></script></body></html>\n",
        escape(title),
        t.studio,
        t.studio,
        t.scenarios,
        t.compare,
        switch(Lang::Nl, "NL"),
        switch(Lang::En, "EN"),
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

/// The start page: every scenario with its description, horizon, results and actions.
pub fn start(entries: &[Entry], lang: Lang) -> String {
    let t = texts(lang);
    let l = code(lang);
    let mut b = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>\n<table class=\"list\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        t.scenarios, t.intro, t.scenario, t.horizon, t.results, t.key_numbers, t.actions
    );
    for e in entries {
        let key = enc(e.base.key());
        let title = match &e.base {
            Base::Builtin => format!(
                "{} <small>({})</small>",
                escape(e.name.as_deref().unwrap_or("")),
                t.builtin
            ),
            Base::File(f) => format!(
                "{} <small><a href=\"/scenarios/{}\">{f}</a></small>",
                escape(e.name.as_deref().unwrap_or(f)),
                enc(f),
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
        let (state, nums) = match &e.results {
            Results::None => (t.none.to_string(), String::new()),
            Results::Current(n) => (t.current.to_string(), numbers(n, lang)),
            Results::Unreadable(why) => (
                format!("<span class=\"err\">{}</span>", escape(why)),
                String::new(),
            ),
            Results::Stale(n) => (
                format!("<span class=\"warn\">{}</span>", t.stale),
                numbers(n, lang),
            ),
        };
        let mut actions = String::new();
        if e.problem.is_none() {
            let _ = write!(
                actions,
                "<a class=\"btn\" href=\"/edit?base={key}&lang={l}\">{}</a> \
                 <a class=\"btn\" href=\"/run?scenario={key}&lang={l}\">{}</a>",
                t.make_strategy, t.run
            );
            if !matches!(e.results, Results::None)
                && let Some(n) = &e.name
            {
                let _ = write!(
                    actions,
                    " <a href=\"{}\">{}</a>",
                    escape(&out_link(&[n, "report.html"])),
                    t.report
                );
            }
        }
        let _ = writeln!(
            b,
            "<tr data-scenario=\"{}\"><td>{title}{about}</td><td>{horizon}</td><td>{state}</td><td>{nums}</td><td>{actions}</td></tr>",
            escape(e.base.key())
        );
    }
    b.push_str("</tbody></table>\n");
    let _ = write!(
        b,
        "<p><a class=\"btn primary\" href=\"/compare?lang={l}\">{}</a></p>",
        t.compare
    );
    layout(lang, t.scenarios, "/", &b)
}

/// The texts the script needs, as a JSON block.
fn script_texts(t: &Texts) -> String {
    let j = serde_json::json!({
        "ok": t.ok, "problems": t.problems, "saved": t.saved, "overwrite": t.overwrite,
        "run_it": t.run_it, "queued": t.queued, "running": t.running, "done": t.done,
        "failed": t.failed, "remove_row": t.remove_row, "download": t.download,
    });
    // `</` cannot end the script block early
    format!(
        "<script type=\"application/json\" id=\"texts\">{}</script>",
        j.to_string().replace("</", "<\\/")
    )
}

/// The progress line and the frame the result appears in.
fn progress_block() -> &'static str {
    "<div id=\"job\" hidden><progress id=\"bar\" max=\"1\" value=\"0\"></progress> <span id=\"jobstate\"></span></div>\
     <div id=\"joberror\" class=\"err\"></div><div id=\"downloads\"></div>\
     <iframe id=\"result\" title=\"report\" hidden></iframe>"
}

/// The run page of scenario `e`: replications, Start, progress, then its report.
pub fn run(e: &Entry, lang: Lang) -> String {
    let t = texts(lang);
    let name = e.name.clone().unwrap_or_default();
    let existing = match e.results {
        Results::None => String::new(),
        _ => out_link(&[&name, "report.html"]),
    };
    let b = format!(
        "<h1>{}: {}</h1><p class=\"desc\">{}</p>{}\n<div class=\"runform\" id=\"runform\" data-scenario=\"{}\" data-existing=\"{}\">\
         <label>{} <input id=\"reps\" type=\"number\" min=\"1\" value=\"{}\"></label> \
         <button id=\"start\" class=\"primary\">{}</button></div>\n{}",
        t.run_title,
        escape(&name),
        escape(&e.description),
        script_texts(t),
        escape(e.base.key()),
        escape(&existing),
        t.replications,
        e.replications,
        t.start,
        progress_block()
    );
    layout(
        lang,
        &name,
        &format!("/run?scenario={}", enc(e.base.key())),
        &b,
    )
}

/// The compare page: tick the scenarios, choose the baseline, name the comparison.
pub fn compare(entries: &[Entry], lang: Lang) -> String {
    let t = texts(lang);
    let mut rows = String::new();
    for (i, e) in entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.problem.is_none())
    {
        let key = escape(e.base.key());
        let _ = writeln!(
            rows,
            "<tr><td><input type=\"checkbox\" class=\"pick\" value=\"{key}\"></td>\
             <td><input type=\"radio\" name=\"baseline\" value=\"{key}\"{}></td><td>{} <small>{}</small></td><td class=\"desc\">{}</td></tr>",
            if i == 0 { " checked" } else { "" },
            escape(e.name.as_deref().unwrap_or("")),
            match &e.base {
                Base::Builtin => t.builtin.to_string(),
                Base::File(f) => escape(f),
            },
            escape(&e.description)
        );
    }
    let b = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>{}\n<table class=\"list\" id=\"picks\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th></tr></thead><tbody>\n{rows}</tbody></table>\n<div class=\"runform\" id=\"compareform\">\
         <label>{} <input id=\"cname\" value=\"{}\"></label> <label>{} <input id=\"reps\" type=\"number\" min=\"1\" value=\"{}\"></label> \
         <button id=\"startcompare\" class=\"primary\">{}</button></div>\n{}",
        t.compare,
        t.compare_intro,
        script_texts(t),
        t.include,
        t.baseline,
        t.scenario,
        t.description,
        t.comparison_name,
        if lang == Lang::Nl {
            "vergelijking"
        } else {
            "comparison"
        },
        t.replications,
        entries.first().map_or(50, |e| e.replications),
        t.compare,
        progress_block()
    );
    layout(lang, t.compare, "/compare", &b)
}

/// A page that says what went wrong.
pub fn problem(lang: Lang, message: &str) -> String {
    let b = format!(
        "<div class=\"err\">{}</div><p><a href=\"/?lang={}\">←</a></p>",
        escape(message),
        code(lang)
    );
    layout(lang, "!", "/", &b)
}
