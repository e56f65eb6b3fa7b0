//! The strategy editor page: the base's phasing plan as tables, per segment and service,
//! then the transition windows and the inflow trends; beside it the check (problems,
//! warnings), the file that will be saved, and Save. Each field carries its key
//! (`data-key`); the script sends them all to `/api/check` on every edit.

use std::fmt::Write;

use super::super::editor::{Editor, Kind, Value};
use super::super::texts::{Texts, texts};
use super::{enc, layout, script_texts};
use crate::report::html::escape;
use crate::report::lang::Lang;

/// A column's heading.
fn column(t: &Texts, c: &str, value_label: &str) -> String {
    match c {
        "at" => format!("{} <small>({})</small>", t.date, t.blank_date),
        "value" => value_label.to_string(),
        "factor" => t.factor.into(),
        "segment" => t.segment.into(),
        "from" => t.from.into(),
        "to" => t.to.into(),
        "capacity_loss" => t.capacity_loss.into(),
        "referral_delay" => t.referral_delay.into(),
        other => other.into(),
    }
    .to_string()
}

/// The message slot of field `key`.
fn msg(key: &str) -> String {
    format!("<div class=\"msg\" data-for=\"{}\"></div>", escape(key))
}

/// A `<select>` of `options` (the empty one shown as `–`) with `value` chosen.
fn select(attrs: &str, options: &[String], value: &str) -> String {
    let mut s = format!("<select {attrs}>");
    for o in options {
        let _ = write!(
            s,
            "<option value=\"{o}\"{}>{}</option>",
            if o == value { " selected" } else { "" },
            if o.is_empty() {
                "–".to_string()
            } else {
                o.clone()
            },
            o = escape(o)
        );
    }
    s.push_str("</select>");
    s
}

/// One input cell of a table row.
fn row_cell(col: &str, value: &str, segments: &[String]) -> String {
    if col == "segment" {
        let mut opts = vec![String::new()];
        opts.extend(segments.iter().cloned());
        if !opts.iter().any(|o| o == value) {
            opts.push(value.to_string());
        }
        return select(&format!("data-col=\"{col}\""), &opts, value);
    }
    let kind = if col == "at" || col == "from" || col == "to" {
        "date"
    } else {
        "num"
    };
    format!(
        "<input class=\"{kind}\" data-col=\"{col}\" value=\"{}\" size=\"10\">",
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
    for r in rows {
        s.push_str("<tr>");
        for (c, v) in cols.iter().zip(r) {
            let _ = write!(s, "<td>{}</td>", row_cell(c, v, &ed.segments));
        }
        let _ = write!(
            s,
            "<td><button type=\"button\" class=\"del\" title=\"{0}\">×</button></td></tr>",
            t.remove_row
        );
    }
    // an empty row to clone for "+ row"
    s.push_str("</tbody><tfoot hidden><tr>");
    for c in cols {
        let _ = write!(s, "<td>{}</td>", row_cell(c, "", &ed.segments));
    }
    let _ = write!(
        s,
        "<td><button type=\"button\" class=\"del\" title=\"{}\">×</button></td></tr></tfoot></table>\
         <button type=\"button\" class=\"add\">{}</button>{}</div>",
        t.remove_row,
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
        (Kind::Choice(opts), Value::Text(v)) => select(&format!("data-key=\"{k}\""), opts, v),
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

/// One service's section.
fn service(ed: &Editor, t: &Texts, lang: Lang, i: usize) -> String {
    let s = &ed.services[i];
    let k = |x: &str| format!("svc.{}.{x}", s.id);
    let mut b = format!(
        "<section class=\"svc\" id=\"svc-{id}\"><h3>{} <small>{id} · {}</small></h3>{}",
        escape(&s.name),
        escape(crate::studio::texts::setting(lang, &s.setting)),
        msg(&format!("svc.{}", s.id)),
        id = escape(&s.id)
    );
    if s.staffed {
        let _ = write!(b, "<p class=\"note\">{} {}</p>", t.staff, t.staffed_note);
        b.push_str(&rows_field(
            ed,
            t,
            &k("staff.target_fte"),
            t.target_fte,
            t.fte,
        ));
        b.push_str(&small_field(
            ed,
            &k("staff.max_hires_per_month"),
            t.max_hires,
        ));
        b.push_str(&small_field(ed, &k("staff.lead_days"), t.lead_days));
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
    b.push_str("</div></section>\n");
    b
}

/// The editor page for `ed`.
pub fn page(ed: &Editor, lang: Lang) -> String {
    let t = texts(lang);
    let mut b = format!(
        "<h1>{} {}</h1><p class=\"intro\">{}</p>{}\n<div class=\"editor\"><form id=\"editor\" data-base=\"{}\" autocomplete=\"off\" onsubmit=\"return false\">\
         <div class=\"field small\"><label>{} <input id=\"name\" value=\"{}-strategie\" size=\"30\"></label>{}</div>\
         <div class=\"field small\"><label>{} <input id=\"description\" value=\"\" size=\"60\"></label>{}</div>\n",
        t.new_strategy,
        escape(&ed.base_name),
        t.editor_intro,
        script_texts(t),
        escape(ed.base.key()),
        t.name,
        escape(&ed.base_name),
        msg("name"),
        t.description,
        msg("description"),
    );
    for seg in &ed.segments {
        let _ = write!(
            b,
            "<details open class=\"segment\"><summary>{}</summary>",
            escape(seg)
        );
        for i in (0..ed.services.len()).filter(|i| &ed.services[*i].segment == seg) {
            b.push_str(&service(ed, t, lang, i));
        }
        b.push_str("</details>\n");
    }
    let _ = writeln!(
        b,
        "<details open class=\"segment\"><summary>{}</summary><p class=\"note\">{}</p>{}</details>",
        t.transitions,
        t.transitions_intro,
        rows_field(ed, t, "transitions", "", "")
    );
    let _ = write!(
        b,
        "<details open class=\"segment\"><summary>{}</summary><p class=\"note\">{}</p>",
        t.inflow_trends, t.inflow_intro
    );
    for (k, inflow) in ed.inflows.iter().enumerate() {
        let label = match &inflow.profile {
            Some(p) => format!("→ {} ({p})", inflow.to),
            None => format!("→ {}", inflow.to),
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
        "</details></form>\n<aside class=\"side\"><h2>{}</h2><div id=\"state\"></div><div id=\"general\" class=\"err\"></div>\
         <div id=\"warnings\" class=\"warn\"></div><button id=\"save\" class=\"primary\" type=\"button\">{}</button>\
         <div id=\"saved\"></div><h2>{}</h2><pre id=\"toml\"></pre></aside></div>",
        t.check_state, t.save, t.file_preview
    );
    layout(
        lang,
        &format!("{} {}", t.new_strategy, ed.base_name),
        &format!("/edit?base={}", enc(ed.base.key())),
        &b,
    )
}
