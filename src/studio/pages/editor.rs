//! The strategy editor page: a jump list and a search on the left; the base's phasing
//! plan in the middle — per segment and service (collapsed, by name, with its setting in
//! the page's language) its tables beside the chart of its planned path, then the
//! transition windows and the inflow trends —, or the whole road as a timeline; on the
//! right the check (problems, warnings), Save, the files that change with it, earlier
//! versions and the file that will be saved. Each field carries its key (`data-key`);
//! the script sends them all to `/api/check` on every edit and keeps an unsaved draft in
//! the browser.

use std::fmt::Write;

use super::super::editor::{Editor, Kind, Value};
use super::super::texts::{Texts, setting, texts};
use super::{enc, layout};
use crate::report::html::escape;
use crate::report::lang::Lang;

/// A column's heading, with what an empty cell means where it means something.
fn column(t: &Texts, c: &str, value_label: &str) -> String {
    let hint = |h: &str| format!(" <small>({h})</small>");
    match c {
        "at" => format!("{}{}", t.date, hint(t.blank_date)),
        "from" => format!("{}{}", t.from, hint(t.blank_date)),
        "to" => format!("{}{}", t.to, hint(t.to_hint)),
        "value" => value_label.to_string(),
        "factor" => t.factor.into(),
        "segment" => t.segment.into(),
        "capacity_loss" => t.capacity_loss.into(),
        "referral_delay" => t.referral_delay.into(),
        other => other.into(),
    }
}

/// The message slot of field `key`.
fn msg(key: &str) -> String {
    format!("<div class=\"msg\" data-for=\"{}\"></div>", escape(key))
}

/// A `<select>` of `options` (value, shown), `value` chosen; the empty one shows `–`.
fn select(attrs: &str, options: &[(String, String)], value: &str) -> String {
    let mut s = format!("<select {attrs}>");
    for (o, shown) in options {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            escape(o),
            if o == value { " selected" } else { "" },
            if o.is_empty() { "–" } else { shown.as_str() }
        );
    }
    s.push_str("</select>");
    s
}

/// One input cell of a table row.
fn row_cell(ed: &Editor, col: &str, value: &str) -> String {
    if col == "segment" {
        let mut opts: Vec<(String, String)> = vec![(String::new(), String::new())];
        opts.extend(ed.segments.iter().map(|s| (s.clone(), escape(s))));
        if !opts.iter().any(|o| o.0 == value) {
            opts.push((value.to_string(), escape(value)));
        }
        return select(&format!("data-col=\"{col}\""), &opts, value);
    }
    let kind = if matches!(col, "at" | "from" | "to") {
        "date"
    } else {
        "num"
    };
    let ph = if kind == "date" { "jjjj-mm-dd" } else { "" };
    format!(
        "<input class=\"{kind}\" data-col=\"{col}\" value=\"{}\" size=\"10\" placeholder=\"{ph}\">",
        escape(value)
    )
}

/// A table field: its rows, a removal button per row, and "+ row".
fn rows_field(ed: &Editor, t: &Texts, key: &str, label: &str, value_label: &str) -> String {
    let Some(f) = ed.fields.get(key) else {
        return String::new();
    };
    let (Kind::Rows(cols), Value::Rows(rows)) = (&f.kind, &f.value) else {
        return String::new();
    };
    let mut s = format!(
        "<div class=\"field\"><div class=\"label\">{label}</div><table class=\"rows\" data-key=\"{}\" data-cols=\"{}\"><thead><tr>",
        escape(key),
        cols.join(",")
    );
    for c in cols {
        let _ = write!(s, "<th>{}</th>", column(t, c, value_label));
    }
    s.push_str("<th></th></tr></thead><tbody>");
    let del = format!(
        "<td><button type=\"button\" class=\"del\" title=\"{0}\" aria-label=\"{0}\">×</button></td>",
        t.remove_row
    );
    for r in rows {
        s.push_str("<tr>");
        for (c, v) in cols.iter().zip(r) {
            let _ = write!(s, "<td>{}</td>", row_cell(ed, c, v));
        }
        let _ = write!(s, "{del}</tr>");
    }
    // an empty row to clone for "+ row"
    s.push_str("</tbody><tfoot hidden><tr>");
    for c in cols {
        let _ = write!(s, "<td>{}</td>", row_cell(ed, c, ""));
    }
    let _ = write!(
        s,
        "{del}</tr></tfoot></table><button type=\"button\" class=\"add\">{}</button>{}</div>",
        t.add_row,
        msg(key)
    );
    s
}

/// A one-cell, choice or tick-box field.
fn small_field(ed: &Editor, key: &str, label: &str) -> String {
    let Some(f) = ed.fields.get(key) else {
        return String::new();
    };
    let k = escape(key);
    let input = match (&f.kind, &f.value) {
        (Kind::Choice(opts), Value::Text(v)) => {
            let opts: Vec<(String, String)> = opts
                .iter()
                .map(|o| (o.clone(), escape(&ed.name_of(o))))
                .collect();
            select(&format!("data-key=\"{k}\""), &opts, v)
        }
        (Kind::Flag, Value::Flag(b)) => format!(
            "<input type=\"checkbox\" data-key=\"{k}\"{}>",
            if *b { " checked" } else { "" }
        ),
        (_, Value::Text(v)) => format!(
            "<input class=\"num\" data-key=\"{k}\" value=\"{}\" size=\"8\">",
            escape(v)
        ),
        _ => return String::new(),
    };
    format!(
        "<div class=\"field small\"><label>{label} {input}</label>{}</div>",
        msg(key)
    )
}

/// One service's section: collapsed, its name, setting and id in the summary; its
/// tables beside the chart of its planned path.
fn service(ed: &Editor, t: &Texts, lang: Lang, i: usize) -> String {
    let s = &ed.services[i];
    let k = |x: &str| format!("svc.{}.{x}", s.id);
    let mut b = format!(
        "<details class=\"svc\" id=\"svc-{id}\" data-svc=\"{id}\" data-name=\"{}\"><summary><span class=\"svcname\">{}</span> \
         <small>{} · {id}</small><span class=\"badges\"></span></summary><div class=\"svcbody\"><div class=\"tables\">{}",
        escape(&s.name.to_lowercase()),
        escape(&s.name),
        escape(setting(lang, &s.setting)),
        msg(&format!("svc.{}", s.id)),
        id = escape(&s.id)
    );
    if s.staffed {
        let _ = write!(b, "<p class=\"note\">{} {}</p>", t.staff, t.staffed_note);
        for (c, label) in [
            ("fte", t.fte_start),
            ("caseload", t.caseload),
            ("max_hires_per_month", t.max_hires),
            ("lead_days", t.lead_days),
            ("attrition_per_year", t.attrition),
        ] {
            b.push_str(&small_field(ed, &k(&format!("staff.{c}")), label));
        }
        b.push_str(&rows_field(
            ed,
            t,
            &k("staff.target_fte"),
            t.target_fte,
            t.fte,
        ));
    } else {
        match ed.fields.get(&k("capacity")).map(|f| &f.kind) {
            Some(Kind::Rows(_)) => b.push_str(&rows_field(
                ed,
                t,
                &k("capacity"),
                t.capacity_start,
                t.places,
            )),
            _ => b.push_str(&small_field(ed, &k("capacity"), t.capacity_start)),
        }
        for slot in ed.slots_of(&s.id) {
            let sk = |x: &str| format!("schedule.{slot}.{x}");
            b.push_str(&rows_field(
                ed,
                t,
                &sk("points"),
                t.capacity_steps,
                t.places,
            ));
            b.push_str("<div class=\"gate\">");
            b.push_str(&small_field(ed, &sk("gate.service"), t.gate));
            b.push_str(&small_field(ed, &sk("gate.min_capacity"), t.gate_min));
            b.push_str("</div>");
        }
    }
    let _ = write!(
        b,
        "<div class=\"divert\"><div class=\"label\">{}</div>",
        t.divert
    );
    b.push_str(&small_field(ed, &k("divert.to"), t.divert_to));
    b.push_str(&small_field(ed, &k("divert.only_if_free"), t.only_if_free));
    b.push_str(&rows_field(
        ed,
        t,
        &k("divert.share"),
        t.divert_share,
        t.share,
    ));
    let _ = writeln!(
        b,
        "</div></div><figure class=\"chart\" data-chart=\"{}\"></figure></div></details>",
        escape(&s.id)
    );
    b
}

/// The jump list: segments and their services, the windows and the trends.
fn jump_list(ed: &Editor, t: &Texts) -> String {
    let mut b = format!(
        "<nav class=\"jump\" aria-label=\"{}\"><input id=\"find\" type=\"search\" placeholder=\"{}\" aria-label=\"{}\"><ul>",
        t.jump, t.search, t.search
    );
    for seg in &ed.segments {
        let _ = write!(
            b,
            "<li class=\"seg\">{} {}</li>",
            t.segment_word,
            escape(seg)
        );
        for s in ed.services.iter().filter(|s| &s.segment == seg) {
            let _ = write!(
                b,
                "<li><a href=\"#svc-{id}\" data-svc=\"{id}\">{}</a></li>",
                escape(&s.name),
                id = escape(&s.id)
            );
        }
    }
    let _ = write!(
        b,
        "<li class=\"seg\"><a href=\"#transitions\" data-svc=\"transitions\">{}</a></li>\
         <li class=\"seg\"><a href=\"#inflows\" data-svc=\"inflows\">{}</a></li></ul></nav>",
        t.transitions, t.inflow_trends
    );
    b
}

/// The head of the page: the title, what the page does, and whether the road is changed
/// in place or copied.
fn head(ed: &Editor, t: &Texts, copied_from: Option<&str>) -> (String, String) {
    let title = match &ed.road {
        Some(r) => format!("{} {}", t.edit_title, r.name),
        None => format!("{} {}", t.new_strategy, ed.base_name),
    };
    let mut b = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>",
        escape(&title),
        t.editor_intro
    );
    if ed.road.is_some() {
        let _ = write!(b, "<p class=\"notice\">{}</p>", t.in_place_note);
    } else if let Some(f) = copied_from {
        let _ = write!(b, "<p class=\"notice\">‘{}’ {}</p>", escape(f), t.copy_note);
    }
    let _ = write!(
        b,
        "<div id=\"draftbar\" class=\"notice draft\" hidden><span id=\"drafttext\"></span> \
         <button type=\"button\" id=\"draftrestore\" class=\"primary\">{}</button> \
         <button type=\"button\" id=\"draftdiscard\">{}</button></div>",
        t.draft_restore, t.draft_discard
    );
    (title, b)
}

/// The side panel: the check, Save, the files that change with it, earlier versions,
/// the file.
fn side(ed: &Editor, t: &Texts) -> String {
    let mut b = format!(
        "<aside class=\"side\"><h2>{}</h2><div id=\"state\"></div><div id=\"dirty\" class=\"note\"></div>\
         <div id=\"general\" class=\"err\"></div><div id=\"warnings\" class=\"warn\"></div>\
         <button id=\"save\" class=\"primary\" type=\"button\">{}</button>",
        t.check_state, t.save
    );
    if ed.road.is_some() {
        let _ = write!(
            b,
            " <button id=\"saveasnew\" type=\"button\">{}</button>",
            t.save_as_new
        );
    }
    let _ = write!(
        b,
        "<div id=\"saved\"></div><div id=\"dependants\" hidden><p class=\"warn\" id=\"deptitle\"></p><ul id=\"deplist\"></ul>\
         <button type=\"button\" id=\"depyes\" class=\"primary\">{}</button> <button type=\"button\" id=\"depno\">{}</button></div>",
        t.save_anyway, t.cancel
    );
    if let Some(r) = &ed.road {
        let _ = write!(
            b,
            "<h2>{}</h2><ul id=\"versions\" data-road=\"{}\"><li>{}</li></ul>",
            t.versions,
            escape(&r.file),
            t.no_versions
        );
    }
    let _ = write!(
        b,
        "<details class=\"file\"><summary>{}</summary><pre id=\"toml\"></pre></details></aside>",
        t.file_preview
    );
    b
}

/// The editor page for `ed`; `copied_from` names a file the person asked to change that
/// the studio does not change (a copy is made instead).
pub fn page(ed: &Editor, lang: Lang, copied_from: Option<&str>) -> String {
    let t = texts(lang);
    let (title, mut b) = head(ed, t, copied_from);
    let (name, description) = match &ed.road {
        Some(r) => (r.name.clone(), r.description.clone()),
        None => (format!("{}-strategie", ed.base_name), String::new()),
    };
    let road_file = ed.road.as_ref().map(|r| r.file.as_str()).unwrap_or("");
    let _ = writeln!(
        b,
        "<div class=\"editor\">{}<form id=\"editor\" data-base=\"{}\" data-road=\"{}\" data-start=\"{}\" data-end=\"{}\" autocomplete=\"off\" onsubmit=\"return false\">\
         <div class=\"field small\"><label>{} <input id=\"name\" value=\"{}\" size=\"30\"{}></label>{}</div>\
         <div class=\"field small\"><label>{} <input id=\"description\" value=\"{}\" size=\"60\" placeholder=\"{}\"></label>{}</div>\
         <div class=\"tabs\" role=\"tablist\"><button type=\"button\" class=\"tab on\" data-tab=\"services\">{}</button>\
         <button type=\"button\" class=\"tab\" data-tab=\"road\">{}</button></div><div id=\"tab-services\">",
        jump_list(ed, t),
        escape(ed.base.key()),
        escape(road_file),
        escape(&ed.start),
        escape(&ed.end),
        t.name,
        escape(&name),
        if ed.road.is_some() { " readonly" } else { "" },
        msg("name"),
        t.description,
        escape(&description),
        t.description_hint,
        msg("description"),
        t.per_service,
        t.whole_road,
    );
    for seg in &ed.segments {
        let _ = write!(
            b,
            "<h2 class=\"seg\">{} {}</h2>",
            t.segment_word,
            escape(seg)
        );
        for i in (0..ed.services.len()).filter(|i| &ed.services[*i].segment == seg) {
            b.push_str(&service(ed, t, lang, i));
        }
    }
    let _ = writeln!(
        b,
        "<details class=\"svc\" id=\"transitions\" data-svc=\"transitions\" data-name=\"{}\"><summary><span class=\"svcname\">{}</span><span class=\"badges\"></span></summary>\
         <p class=\"note\">{}</p>{}</details>",
        escape(&t.transitions.to_lowercase()),
        t.transitions,
        t.transitions_intro,
        rows_field(ed, t, "transitions", "", "")
    );
    let _ = write!(
        b,
        "<details class=\"svc\" id=\"inflows\" data-svc=\"inflows\" data-name=\"{}\"><summary><span class=\"svcname\">{}</span><span class=\"badges\"></span></summary>\
         <p class=\"note\">{}</p>",
        escape(&t.inflow_trends.to_lowercase()),
        t.inflow_trends,
        t.inflow_intro
    );
    for (k, inflow) in ed.inflows.iter().enumerate() {
        let label = match &inflow.profile {
            Some(p) => format!("→ {} ({p})", ed.name_of(&inflow.to)),
            None => format!("→ {}", ed.name_of(&inflow.to)),
        };
        b.push_str(&rows_field(
            ed,
            t,
            &format!("inflow.{k}.trend"),
            &escape(&label),
            t.factor,
        ));
    }
    let _ = write!(
        b,
        "</details></div><div id=\"tab-road\" hidden><p class=\"note\">{}</p><div id=\"roadchart\"></div></div></form>{}</div>",
        t.tl_intro,
        side(ed, t)
    );
    let here = match &ed.road {
        Some(r) => format!("/edit?road={}", enc(&r.file)),
        None => format!("/edit?base={}", enc(ed.base.key())),
    };
    layout(lang, &title, &here, &b, &["plan.js", "editor.js"])
}
