//! A road's timeline page: the whole road the way a programme plan looks — per segment
//! its transition windows, per service its closings and openings (a step that waits for
//! another service drawn where it happens), diversions and staff targets — and below it
//! the planned path of every service. The plan comes from [`crate::studio::plan`]; the
//! script only draws it.

use super::super::catalog::Entry;
use super::super::plan::Plan;
use super::super::texts::{code, texts};
use super::{enc, layout};
use crate::report::html::escape;
use crate::report::lang::Lang;

/// The timeline page of scenario `e` with its plan.
pub fn page(e: &Entry, plan: &Plan, lang: Lang) -> String {
    let t = texts(lang);
    let name = e.name.clone().unwrap_or_default();
    let key = enc(e.base.key());
    let json = serde_json::to_string(plan)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let b = format!(
        "<h1>{}: {}</h1><p class=\"desc\">{}</p><p class=\"note\">{}</p>\
         <p><a class=\"btn\" href=\"/run?scenario={key}&lang={l}\">{}</a></p>\
         <script type=\"application/json\" id=\"plan\">{json}</script>\
         <div id=\"roadchart\"></div><h2>{}</h2><p class=\"note\">{}</p><div id=\"charts\" class=\"charts\"></div>",
        t.timeline,
        escape(&name),
        escape(&e.description),
        t.tl_intro,
        t.run,
        t.per_service,
        t.chart_expected,
        l = code(lang),
    );
    layout(
        lang,
        &format!("{} {name}", t.timeline),
        &format!("/road?scenario={key}"),
        &b,
        &["plan.js"],
    )
}
