//! The studio's roads and outputs over HTTP: a road saved by the studio is changed in
//! place and its earlier version put back; a shipped or hand-edited file is never
//! replaced; saving over a file others extend first lists them and what changes in them;
//! the planned road follows the model's capacity rules; runs and comparisons are listed,
//! re-opened and removed (only jeugdflow's own output).

use std::fs;

use serde_json::{Value, json};

use crate::studio::{Server, two_capacities};

/// The studio's mark on the files it saves.
const MARK: &str = "# Made in the jeugdflow studio";

/// `two_capacities(name)` changed in place (road `name.toml`) with residential `places`.
fn in_place(name: &str, places: &str) -> Value {
    let mut b = two_capacities(name);
    b["road"] = json!(format!("{name}.toml"));
    b["edits"]["svc.residentieel.capacity"] = json!(places);
    b["lang"] = json!("en");
    b
}

#[test]
fn a_road_is_changed_in_place_and_an_earlier_version_put_back() {
    let srv = Server::start(&[]);
    let file = srv.scenarios().join("mijn-weg.toml");
    assert_eq!(srv.post("api/save", &two_capacities("mijn-weg")).0, 200);
    let first = fs::read_to_string(&file).expect("saved");
    assert!(first.starts_with(MARK), "{first}");
    // the editor opens it in place: its name fixed, its values
    let (status, page) = srv.get("edit?road=mijn-weg.toml");
    assert_eq!(status, 200);
    assert!(page.contains("data-road=\"mijn-weg.toml\""), "{page}");
    assert!(page.contains("readonly"), "the name is fixed");
    // saved under its own name, without being asked to overwrite
    let (status, j) = srv.post("api/save", &in_place("mijn-weg", "460"));
    assert_eq!(status, 200, "{j}");
    let second = fs::read_to_string(&file).expect("saved");
    assert!(second.contains("capacity = 460") && second.starts_with(MARK));
    // the text it replaced is kept, and can be put back
    let (status, list) = srv.get("api/versions?road=mijn-weg.toml");
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let (status, j) = srv.post(
        "api/restore",
        &json!({"road": "mijn-weg.toml", "version": list[0]["id"], "lang": "en"}),
    );
    assert_eq!(status, 200, "{j}");
    assert_eq!(fs::read_to_string(&file).expect("restored"), first);
    // and putting it back kept the one it replaced
    let (_, list) = srv.get("api/versions?road=mijn-weg.toml");
    let list: Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    // an unknown version, or one outside the history, is not found
    for v in ["nothing", "../mijn-weg.toml", "/etc/passwd"] {
        let (status, _) = srv.post(
            "api/restore",
            &json!({"road": "mijn-weg.toml", "version": v}),
        );
        assert_eq!(status, 404, "{v}");
    }
    assert_eq!(fs::read_to_string(&file).expect("kept"), first);
}

#[test]
fn a_file_the_studio_did_not_write_is_never_replaced() {
    let srv = Server::start(&[]);
    // a shipped scenario, saved over under its name: refused, the file as it was
    let shipped = srv.scenarios().join("fasering-big-bang.toml");
    let before = fs::read_to_string(&shipped).expect("shipped");
    let mut over = two_capacities("fasering-big-bang");
    over["overwrite"] = json!(true);
    over["confirm"] = json!(true);
    let (status, j) = srv.post("api/save", &over);
    assert_eq!(status, 403, "{j}");
    over["road"] = json!("fasering-big-bang.toml");
    assert_eq!(srv.post("api/save", &over).0, 403);
    assert_eq!(fs::read_to_string(&shipped).expect("shipped"), before);
    // opened "in place", a shipped scenario is copied: the name is free to change
    let (status, page) = srv.get("edit?road=fasering-big-bang.toml");
    assert_eq!(status, 200);
    assert!(
        !page.contains("data-road=\"fasering-big-bang.toml\""),
        "a copy"
    );
    // a studio file edited by hand since is no longer the studio's
    assert_eq!(srv.post("api/save", &two_capacities("met-de-hand")).0, 200);
    let file = srv.scenarios().join("met-de-hand.toml");
    let edited = fs::read_to_string(&file).expect("saved") + "# mijn aantekening\n";
    fs::write(&file, &edited).expect("edit by hand");
    let (status, j) = srv.post("api/save", &in_place("met-de-hand", "460"));
    assert_eq!(status, 403, "{j}");
    assert_eq!(fs::read_to_string(&file).expect("kept"), edited);
}

#[test]
fn saving_over_a_file_others_extend_lists_them_first() {
    let srv = Server::start(&[]);
    assert_eq!(srv.post("api/save", &two_capacities("basisweg")).0, 200);
    let file = srv.scenarios().join("basisweg.toml");
    let dependant = "[scenario]\nname = \"afgeleid\"\nextends = \"basisweg.toml\"\n\n\
                     [[service]]\nid = \"hsj-behandelgroep\"\ncapacity = 75\n";
    fs::write(srv.scenarios().join("afgeleid.toml"), dependant).expect("dependant");
    let before = fs::read_to_string(&file).expect("saved");
    let (status, j) = srv.post("api/save", &in_place("basisweg", "465"));
    assert_eq!(status, 409, "{j}");
    let deps = j["dependants"].as_array().expect("dependants");
    assert_eq!(deps.len(), 1, "{j}");
    assert_eq!(deps[0]["file"], "afgeleid.toml");
    let changes: Vec<&str> = deps[0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        changes
            .iter()
            .any(|c| c.contains("470") && c.contains("465")),
        "what changes in it: {changes:?}"
    );
    // its own value (75) is not a change
    assert!(!changes.iter().any(|c| c.contains("75")), "{changes:?}");
    assert_eq!(fs::read_to_string(&file).expect("not yet"), before);
    let mut sure = in_place("basisweg", "465");
    sure["confirm"] = json!(true);
    assert_eq!(srv.post("api/save", &sure).0, 200);
    assert!(
        fs::read_to_string(&file)
            .expect("saved")
            .contains("capacity = 465")
    );
    // a change the dependant overrides changes nothing in its tables, and says so, in
    // the page's language
    let mut hidden = two_capacities("basisweg");
    hidden["road"] = json!("basisweg.toml");
    hidden["lang"] = json!("nl");
    hidden["edits"]["svc.residentieel.capacity"] = json!("465");
    hidden["edits"]["svc.hsj-behandelgroep.capacity"] = json!("78");
    let (status, j) = srv.post("api/save", &hidden);
    assert_eq!(status, 409, "{j}");
    let error = j["error"].as_str().unwrap_or("");
    assert!(error.contains("bouwt voort op ‘basisweg.toml’"), "{error}");
    assert_eq!(
        j["dependants"][0]["changes"],
        json!([
            "niets in de tabellen van de editor; wel wat het bestand verder van de basis overneemt"
        ]),
        "{j}"
    );
    // a file that would no longer be a valid scenario says its first problem in the
    // page's words, at its line and field — not in validate's English
    fs::write(
        srv.scenarios().join("krap.toml"),
        "[scenario]\nname = \"krap\"\nextends = \"basisweg.toml\"\n\n\
         [[service]]\nid = \"residentieel\"\ninitial = 463\n",
    )
    .expect("a dependant with more youths at the start");
    let mut fewer = in_place("basisweg", "460");
    fewer["lang"] = json!("nl");
    let (status, j) = srv.post("api/save", &fewer);
    assert_eq!(status, 409, "{j}");
    let krap = j["dependants"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["file"] == "krap.toml"))
        .unwrap_or_else(|| panic!("krap.toml listed: {j}"));
    let broken = krap["broken"].as_str().unwrap_or("");
    assert!(
        broken.starts_with("‘krap.toml’, regel 7, dienst residentieel, jeugdigen bij de start:")
            && broken.contains("463 jeugdigen in zorg, maar er zijn dan maar 460 plaatsen"),
        "{broken}"
    );
    for word in ["places", "youths", "fewer", "problem", "initial"] {
        assert!(!broken.contains(word), "{word}: {broken}");
    }
}

/// The points `[[date, value], …]` of a planned path.
fn points(v: &Value) -> Vec<(String, f64)> {
    serde_json::from_value(v.clone()).expect("points")
}

#[test]
fn the_planned_road_follows_the_model_s_rules() {
    let srv = Server::start(&[]);
    let (status, plan) = srv.get("api/plan?scenario=fasering-gefaseerd.toml");
    assert_eq!(status, 200, "{plan}");
    let plan: Value = serde_json::from_str(&plan).expect("JSON");
    let steps = plan["steps"].as_array().expect("steps");
    assert!(
        steps
            .iter()
            .any(|s| s["service"] == "residentieel" && s["planned"] == "2026-07-01"),
        "{steps:?}"
    );
    let services = plan["services"].as_array().expect("services");
    let ia = services
        .iter()
        .find(|s| s["id"] == "intensief-ambulant")
        .expect("intensief-ambulant");
    assert_eq!(ia["staffed"], true);
    // the hiring cap and lead time shown are the file's, and the path starts from its staff
    assert_eq!(
        (ia["max_hires"].as_f64(), ia["lead_days"].as_f64()),
        (Some(1.0), Some(365.0))
    );
    let fte = points(&ia["fte"]);
    assert!(fte.len() > 2 && (fte[0].1 - 22.0).abs() < 1.0, "{fte:?}");
    // a draft moves the step a year: the check's planned road moves it too
    let rows = json!([
        ["2027-07-01", "460"],
        ["2028-07-01", "420"],
        ["2029-07-01", "380"]
    ]);
    let (status, ed) = srv.get("edit?base=fasering-gefaseerd.toml");
    assert_eq!(status, 200);
    let key = ed
        .split("data-key=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|k| {
            k.starts_with("schedule.") && k.ends_with(".points") && {
                let at = ed.find(&format!("data-key=\"{k}\"")).unwrap_or(0);
                let svc = ed[..at].rfind("data-svc=\"").unwrap_or(0);
                ed[svc..].starts_with("data-svc=\"residentieel\"")
            }
        })
        .expect("the residential steps");
    let (status, c) = srv.post(
        "api/check",
        &json!({"base": "fasering-gefaseerd.toml", "name": "later", "edits": {key: rows}}),
    );
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["ok"], true, "{c}");
    let planned: Vec<&str> = c["plan"]["new"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["service"] == "residentieel")
        .filter_map(|s| s["planned"].as_str())
        .collect();
    assert_eq!(planned, ["2027-07-01", "2028-07-01", "2029-07-01"]);
    // 10% more target FTE never plans fewer FTE at the end
    let targets = json!([
        ["2024-01-01", "27,5"],
        ["2025-01-01", "37,4"],
        ["2027-01-01", "46,2"]
    ]);
    let (status, c) = srv.post(
        "api/check",
        &json!({"base": "fasering-gefaseerd.toml", "name": "meer",
                "edits": {"svc.intensief-ambulant.staff.target_fte": targets}}),
    );
    assert_eq!((status, &c["ok"]), (200, &json!(true)), "{c}");
    let last = |plan: &Value| {
        let s = plan["services"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["id"] == "intensief-ambulant"))
            .expect("intensief-ambulant");
        points(&s["fte"]).last().map(|p| p.1).expect("FTE")
    };
    let (base, more) = (last(&c["plan"]["base"]), last(&c["plan"]["new"]));
    assert!(more >= base - 1e-9, "{base} → {more}");
}

#[test]
fn runs_and_comparisons_are_listed_reopened_and_removed() {
    let srv = Server::start(&[]);
    let (status, j) = srv.post("api/runs", &json!({"scenario": "builtin", "reps": 1}));
    assert_eq!(status, 202, "{j}");
    assert_eq!(srv.wait(j["id"].as_u64().expect("id")).1["state"], "done");
    let (status, j) = srv.post(
        "api/compare",
        &json!({"baseline": "builtin", "scenarios": ["fasering-big-bang.toml"],
                "name": "vgl", "reps": 1}),
    );
    assert_eq!(status, 202, "{j}");
    assert_eq!(srv.wait(j["id"].as_u64().expect("id")).1["state"], "done");
    let theirs = srv.out().join("aantekeningen");
    fs::create_dir_all(&theirs).expect("folder");
    fs::write(theirs.join("notes.txt"), "mine").expect("notes");

    let (status, list) = srv.get("api/outputs");
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&list).expect("JSON");
    let outputs = list["outputs"].as_array().expect("outputs");
    let find = |f: &str| outputs.iter().find(|o| o["folder"] == f).cloned();
    let run = find("groningen").expect("the run");
    assert_eq!(
        (&run["kind"], &run["replications"], &run["removable"]),
        (&json!("run"), &json!(1), &json!(true)),
        "{run}"
    );
    let cmp = find("vgl").expect("the comparison");
    assert_eq!(cmp["kind"], "comparison", "{cmp}");
    assert_eq!(cmp["replications"], 1, "{cmp}");
    let roads = cmp["roads"].to_string();
    assert!(
        roads.contains("groningen") && roads.contains("fasering-big-bang"),
        "{cmp}"
    );
    assert!(find("aantekeningen").is_none(), "not jeugdflow's: {list}");
    // re-opened, and on the home page: the big bang ran only inside the comparison
    assert_eq!(srv.get("results?folder=vgl").0, 200);
    assert_eq!(srv.get("results?folder=..%2Fscenarios").0, 404);
    let (_, home) = srv.get("");
    let row = home
        .split("<tr data-scenario=\"fasering-big-bang.toml\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the big bang's row");
    assert!(
        !row.contains("nog niet gedraaid") && row.contains("vgl"),
        "{row}"
    );
    assert!(home.contains("data-folder=\"vgl\""), "the runs list");
    // removed: only jeugdflow's own output
    for (folder, want) in [("aantekeningen", 404), ("../scenarios", 404), ("", 404)] {
        let (status, j) = srv.post("api/outputs/remove", &json!({"folder": folder}));
        assert_eq!(status, want, "{folder}: {j}");
    }
    assert!(theirs.join("notes.txt").is_file());
    fs::write(srv.out().join("vgl/mijn-notitie.txt"), "mine").expect("a note");
    let (status, j) = srv.post("api/outputs/remove", &json!({"folder": "vgl"}));
    assert_eq!(status, 409, "a folder with more than jeugdflow wrote: {j}");
    fs::remove_file(srv.out().join("vgl/mijn-notitie.txt")).expect("note removed");
    let (status, j) = srv.post("api/outputs/remove", &json!({"folder": "vgl"}));
    assert_eq!(status, 200, "{j}");
    assert!(!srv.out().join("vgl").exists());
    assert!(srv.out().join("groningen/report.html").is_file());
}
