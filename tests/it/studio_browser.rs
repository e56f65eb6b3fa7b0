//! The studio as a programme manager uses it, in headless Chromium at 1280×900 driven
//! over WebDriver (Debian's `chromium-driver` and the fantoccini client), doing issue
//! 29's task: take gefaseerd, close the residential beds a year later, give intensive
//! ambulatory care 10% more, save it, run it, compare it with gefaseerd and the big bang.
//! On the way: the token leaves the address bar; wrong values are told on their cell in
//! the page's words; the planned-path chart is redrawn on an edit; a reload offers the
//! draft back; the road is changed in place after the file that extends it is listed;
//! an earlier version is put back; the roads are compared in two futures; the runs list
//! re-opens and removes a comparison. Finding one's way: services by name, collapsed,
//! the search and the jump list.
//! Screenshots of every page are kept in `target/studio-check/*.png`.
//!
//! `JEUGDFLOW_CHROMIUM` and `JEUGDFLOW_CHROMEDRIVER` may name the binaries. Without them
//! the test says `SKIPPED: …` on stderr and passes, unless `JEUGDFLOW_REQUIRE_BROWSER=1`
//! (set by `.ci/run` when it installed them), when it fails.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::studio::Server;

mod futures;
mod way;

use futures::compare_in_futures;
use way::find_your_way;

/// A binary named by `var`, else the first of `names` found in `/usr/bin` or on PATH.
fn binary(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let mut dirs = vec![PathBuf::from("/usr/bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs.iter()
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free loopback port; returns it and its address.
fn start_driver(path: &Path) -> (Driver, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Driver(child), format!("http://127.0.0.1:{port}"))
}

/// Waits until the JavaScript expression `cond` is true in the page (fails after two
/// minutes, saying what it waited for).
async fn until(c: &Client, cond: &str, what: &str) {
    let started = Instant::now();
    loop {
        let v = c
            .execute(&format!("return !!({cond});"), vec![])
            .await
            .unwrap_or(Value::Bool(false));
        if v == Value::Bool(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let state = c
                .execute(
                    "return document.body ? document.body.innerText.slice(0, 2000) : '';",
                    vec![],
                )
                .await
                .unwrap_or_default();
            panic!("waited two minutes for {what}; the page says: {state}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of a JavaScript expression.
async fn js(c: &Client, expr: &str) -> Value {
    c.execute(&format!("return ({expr});"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
}

async fn shot(c: &Client, dir: &Path, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    fs::write(dir.join(format!("{name}.png")), png).expect("screenshot file");
}

/// Replaces the text of the input matched by `css`.
async fn type_into(c: &Client, css: &str, text: &str) {
    let e = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    e.clear().await.expect("clear");
    e.send_keys(text).await.expect("type");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// The token the studio is started with.
const TOKEN: &str = "browser-test-token-29";

/// The editor has checked the draft and found it `state` (`ok` or `bad`).
fn checked(state: &str) -> String {
    format!(
        "document.querySelector('#editor') && document.querySelector('#editor').dataset.checked === '{state}'"
    )
}

/// The file the editor would save includes `text`, and the draft checks out.
fn toml_has(text: &str) -> String {
    format!(
        "{} && document.querySelector('#toml').textContent.includes('{text}')",
        checked("ok")
    )
}

/// The residential service's table of capacity steps, row `row` (from 1), column `col`.
fn step_cell(row: usize, col: &str) -> String {
    format!(
        "#svc-residentieel table[data-key$=\".points\"] tbody tr:nth-child({row}) input[data-col=\"{col}\"]"
    )
}

/// The values of column `col` of the table `table` (a CSS selector).
async fn column(c: &Client, table: &str, col: &str) -> Vec<String> {
    let v = js(
        c,
        &format!(
            "Array.from(document.querySelectorAll('{table} tbody tr')).map(function (tr) {{ return tr.querySelector('[data-col=\"{col}\"]').value; }})"
        ),
    )
    .await;
    serde_json::from_value(v).expect("a column")
}

/// The planned places of the residential service's chart, as drawn (`[[date, value], …]`).
async fn drawn(c: &Client) -> String {
    js(
        c,
        "document.querySelector('figure[data-chart=\"residentieel\"] path.new').getAttribute('data-points')",
    )
    .await
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Types `typed` into the cell `css` and returns the message shown on that cell.
async fn message_on(c: &Client, css: &str, typed: &str) -> String {
    type_into(c, css, typed).await;
    let sel = serde_json::to_string(css).expect("selector");
    let quoted = serde_json::to_string(&format!("‘{typed}’")).expect("text");
    // the cell's own message, once the check of what was typed has come back
    let message = format!(
        "(function () {{ var i = document.querySelector({sel}); var m = i.parentNode.querySelector('.cellmsg'); \
         return i.classList.contains('bad') && m && m.textContent.indexOf({quoted}) >= 0 ? m.textContent : ''; }})()"
    );
    until(
        c,
        &format!("{} && {message}", checked("bad")),
        &format!("the message on the cell for {typed:?}"),
    )
    .await;
    let m = js(c, &message).await.as_str().unwrap_or("").to_string();
    assert!(!m.is_empty(), "{typed:?}: no message on its cell");
    for word in [
        "TOML",
        "datetime",
        "wrong type",
        "expected",
        "serde",
        "HTTP",
        "invalid",
    ] {
        assert!(!m.contains(word), "{typed:?}: {m}");
    }
    m
}

/// The editor of the task: gefaseerd, residential beds closing a year later,
/// intensive ambulatory care 10% more; wrong values on their cells; the chart redrawn;
/// the draft kept across a reload; saved.
async fn build_road(c: &Client, srv: &Server, shots: &Path) {
    click(
        c,
        "tr[data-scenario=\"fasering-gefaseerd.toml\"] a[href^=\"/edit?base=\"]",
    )
    .await;
    until(c, &checked("ok"), "the editor's first check").await;
    find_your_way(c).await;
    type_into(c, "#name", "gefaseerd-bedden-later").await;
    type_into(
        c,
        "#description",
        "Bedden een jaar later dicht, intensief ambulant 10% meer",
    )
    .await;
    click(c, "nav.jump a[data-svc=\"residentieel\"]").await;
    until(
        c,
        "document.querySelector('#svc-residentieel').open && document.querySelector('figure[data-chart=\"residentieel\"] path.new')",
        "the residential service open, with its chart",
    )
    .await;
    let before = drawn(c).await;
    let table = "#svc-residentieel table[data-key$=\".points\"]";
    let dates = column(c, table, "at").await;
    assert_eq!(dates, ["2026-07-01", "2027-07-01", "2028-07-01"]);
    for (row, d) in dates.iter().enumerate().rev() {
        let year: i32 = d[..4].parse().expect("year");
        type_into(
            c,
            &step_cell(row + 1, "at"),
            &format!("{}{}", year + 1, &d[4..]),
        )
        .await;
    }
    until(
        c,
        &toml_has("{ at = 2029-07-01, value = 380 }"),
        "the later closings",
    )
    .await;
    // the chart is the model's planned path of the draft, redrawn on the edit
    let after = drawn(c).await;
    assert_ne!(before, after, "the chart changed");
    assert!(
        before.contains("[\"2026-07-01\",460]")
            && !after.contains("\"2026-07-01\"")
            && after.contains("[\"2029-07-01\",380]"),
        "{before} → {after}"
    );
    // a wrong value: on its cell, in the page's words, the field and an example
    let date = step_cell(1, "at");
    let m = message_on(c, &date, "2027-13-45").await;
    assert!(
        m.contains("2027-13-45") && m.to_lowercase().contains("bijvoorbeeld 2027-07-01"),
        "{m}"
    );
    let value = step_cell(1, "value");
    type_into(c, &date, "2027-07-01").await;
    for typed in ["abc", "99999999999999999999", "-3", "2,5", "1.000"] {
        let m = message_on(c, &value, typed).await;
        assert!(m.contains("plaatsen"), "{typed}: {m}");
    }
    shot(c, shots, "2-editor-problem").await;
    type_into(c, &value, "460").await;
    until(c, &checked("ok"), "the check after the fix").await;
    // intensive ambulatory care, found by the jump list: 10% more FTE at every target
    click(c, "nav.jump a[data-svc=\"intensief-ambulant\"]").await;
    until(
        c,
        "document.querySelector('#svc-intensief-ambulant').open",
        "the service the jump list leads to, open",
    )
    .await;
    let targets = "table[data-key=\"svc.intensief-ambulant.staff.target_fte\"]";
    let fte = column(c, targets, "value").await;
    assert_eq!(fte, ["25", "34", "42"]);
    for (row, more) in ["27,5", "37,4", "46,2"].iter().enumerate() {
        type_into(
            c,
            &format!(
                "{targets} tbody tr:nth-child({}) [data-col=\"value\"]",
                row + 1
            ),
            more,
        )
        .await;
    }
    until(c, &toml_has("value = 46.2"), "the larger team").await;
    // a staffed service's chart: FTE and the places they give, the hiring cap, lead time
    let chart = "figure[data-chart=\"intensief-ambulant\"]";
    until(
        c,
        &format!("document.querySelectorAll('{chart} path.new').length === 2"),
        "the FTE and places panels of the staffed chart",
    )
    .await;
    let caption = js(
        c,
        &format!("document.querySelector('{chart} figcaption').innerText"),
    )
    .await;
    let caption = caption.as_str().unwrap_or("");
    assert!(
        caption.contains("aanwerven: hoogstens 1 fte per maand")
            && caption.contains("inwerken")
            && caption.contains("doel-fte"),
        "{caption}"
    );
    shot(c, shots, "3-editor").await;
    // leaving asks first; a reload offers the draft back
    let asks = js(
        c,
        "(function () { var e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()",
    )
    .await;
    assert_eq!(asks, Value::Bool(true), "leaving with unsaved changes asks");
    c.refresh().await.expect("reload");
    until(c, &checked("ok"), "the editor after the reload").await;
    until(
        c,
        "!document.querySelector('#draftbar').hidden",
        "the draft offered back",
    )
    .await;
    shot(c, shots, "4-draft").await;
    click(c, "#draftrestore").await;
    until(c, &toml_has("value = 46.2"), "the draft restored").await;
    assert_eq!(
        js(c, "document.querySelector('#name').value").await,
        json!("gefaseerd-bedden-later")
    );
    assert_eq!(
        column(c, table, "at").await,
        ["2027-07-01", "2028-07-01", "2029-07-01"]
    );
    click(c, "#save").await;
    until(c, "document.querySelector('#runit')", "the saved message").await;
    let saved = fs::read_to_string(srv.scenarios().join("gefaseerd-bedden-later.toml"))
        .expect("saved file");
    assert!(
        saved.contains("extends = \"fasering-gefaseerd.toml\"")
            && saved.contains("{ at = 2027-07-01, value = 460 }")
            && saved.contains("value = 46.2"),
        "{saved}"
    );
    // from now on the road is changed in place, and nothing is left to lose
    assert_eq!(
        js(c, "document.querySelector('#name').readOnly").await,
        json!(true)
    );
    assert_eq!(
        js(c, "document.querySelector('#editor').dataset.dirty").await,
        json!("no")
    );
}

/// Runs the road from its saved message: the report with its charts.
async fn run_road(c: &Client, shots: &Path) {
    click(c, "#runit").await;
    until(c, "document.querySelector('#start')", "the run page").await;
    type_into(c, "#reps", "2,5").await;
    click(c, "#start").await;
    until(
        c,
        "document.querySelector('.msg[data-for=\"reps\"]').textContent.includes('2,5')",
        "the message on the replications",
    )
    .await;
    type_into(c, "#reps", "2").await;
    click(c, "#start").await;
    until(c, REPORT_READY, "the run's report").await;
    let svgs = js(c, "document.querySelector('#result').contentDocument.querySelectorAll('figure.chart svg').length").await;
    assert!(
        svgs.as_u64().unwrap_or(0) >= 3,
        "the run report's charts: {svgs}"
    );
    shot(c, shots, "5-run").await;
}

/// The road changed in place: the file that extends it listed with what changes in it
/// before saving; then the earlier version put back.
async fn change_in_place(c: &Client, srv: &Server, shots: &Path) {
    let file = srv.scenarios().join("gefaseerd-bedden-later.toml");
    let first = fs::read_to_string(&file).expect("saved");
    fs::write(
        srv.scenarios().join("bedden-later-pilot.toml"),
        "[scenario]\nname = \"bedden-later-pilot\"\nextends = \"gefaseerd-bedden-later.toml\"\n",
    )
    .expect("a file that extends the road");
    c.goto(&format!("{}edit?road=gefaseerd-bedden-later.toml", srv.url))
        .await
        .expect("the editor in place");
    until(c, &checked("ok"), "the road in the editor").await;
    assert_eq!(
        js(c, "document.querySelector('#name').readOnly").await,
        json!(true)
    );
    until(
        c,
        "document.querySelector('#versions li')",
        "the versions list",
    )
    .await;
    click(c, "#svc-residentieel > summary").await;
    type_into(c, &step_cell(3, "value"), "370").await;
    until(c, &toml_has("value = 370"), "the change").await;
    click(c, "#save").await;
    until(
        c,
        "!document.querySelector('#dependants').hidden",
        "the dependants' warning",
    )
    .await;
    let listed = js(c, "document.querySelector('#deplist').innerText").await;
    let listed = listed.as_str().unwrap_or("");
    assert!(
        listed.contains("bedden-later-pilot.toml")
            && listed.contains("380")
            && listed.contains("370"),
        "{listed}"
    );
    assert_eq!(fs::read_to_string(&file).expect("not yet saved"), first);
    shot(c, shots, "6-dependants").await;
    click(c, "#depyes").await;
    until(c, "document.querySelector('#runit')", "saved in place").await;
    assert!(
        fs::read_to_string(&file)
            .expect("saved")
            .contains("value = 370")
    );
    until(
        c,
        "document.querySelector('#versions button.restore')",
        "the earlier version",
    )
    .await;
    js(c, "(window.confirm = function () { return true; }, true)").await;
    click(c, "#versions button.restore").await;
    until(
        c,
        "document.querySelector('#dependants') && !document.querySelector('#dependants').hidden",
        "the dependants' warning before restoring",
    )
    .await;
    click(c, "#depyes").await;
    until(
        c,
        &toml_has("value = 380"),
        "the editor on the version put back",
    )
    .await;
    assert_eq!(fs::read_to_string(&file).expect("restored"), first);
    // the whole road as a timeline
    click(c, "button.tab[data-tab=\"road\"]").await;
    until(
        c,
        "document.querySelector('#roadchart svg.timeline')",
        "the timeline",
    )
    .await;
    shot(c, shots, "7-timeline").await;
}

/// The report of a run or comparison is shown in the page.
const REPORT_READY: &str = "(function(){ var f = document.querySelector('#result'); \
    var d = f && !f.hidden && f.contentDocument; \
    return d && d.readyState === 'complete' && d.querySelectorAll('svg').length > 0; })()";

/// Compares the road with gefaseerd and the big bang, then finds the runs on the home
/// page, re-opens the comparison and removes it.
async fn compare_and_find_again(c: &Client, srv: &Server, shots: &Path) {
    c.goto(&format!("{}compare", srv.url))
        .await
        .expect("compare page");
    until(
        c,
        "document.querySelector('#startcompare')",
        "the compare page",
    )
    .await;
    click(c, "input[name=baseline][value=\"fasering-gefaseerd.toml\"]").await;
    // the baseline is compared, and its box says so
    assert_eq!(
        js(
            c,
            "document.querySelector('.pick[value=\"fasering-gefaseerd.toml\"]').checked"
        )
        .await,
        json!(true)
    );
    // the default's box was ticked only as the baseline: no longer
    assert_eq!(
        js(
            c,
            "document.querySelector('.pick[value=\"builtin\"]').checked"
        )
        .await,
        json!(false)
    );
    click(c, ".pick[value=\"fasering-big-bang.toml\"]").await;
    click(c, ".pick[value=\"gefaseerd-bedden-later.toml\"]").await;
    type_into(c, "#reps", "2").await;
    type_into(c, "#cname", "bedden-later-vergelijking").await;
    click(c, "#startcompare").await;
    until(c, REPORT_READY, "the comparison's report").await;
    let doc = "document.querySelector('#result').contentDocument";
    let text = js(c, &format!("{doc}.body.innerText")).await;
    let text = text.as_str().unwrap_or("");
    assert!(
        text.contains("gefaseerd-bedden-later") && text.contains("fasering-big-bang"),
        "{text}"
    );
    shot(c, shots, "8-compare").await;
    let diff = fs::read_to_string(srv.out().join("bedden-later-vergelijking/differences.csv"))
        .expect("differences");
    assert!(
        diff.contains("\ngefaseerd-bedden-later,fasering-gefaseerd,"),
        "{diff}"
    );
    compare_in_futures(c, srv, shots).await;

    // the home remembers: the runs and the comparison, each road's last run
    c.goto(&srv.url).await.expect("home");
    until(c, "document.querySelector('#outputs')", "the runs list").await;
    // per output: its kind, name, roads, replications and status, as the table shows them
    let rows = js(
        c,
        "Array.from(document.querySelectorAll('#outputs tr[data-folder]')).map(function (r) { \
         return Array.from(r.cells).slice(1, 6).map(function (td) { return td.innerText; }); })",
    )
    .await;
    let rows: Vec<Vec<String>> = serde_json::from_value(rows).expect("rows");
    let row = |f: &str| rows.iter().find(|r| r[1] == f).cloned();
    assert_eq!(
        row("gefaseerd-bedden-later"),
        Some(
            [
                "run",
                "gefaseerd-bedden-later",
                "gefaseerd-bedden-later",
                "2",
                "klaar"
            ]
            .map(String::from)
            .to_vec()
        ),
        "{rows:?}"
    );
    let cmp = row("bedden-later-vergelijking").expect("the comparison listed");
    assert_eq!(
        (cmp[2].as_str(), cmp[3].as_str()),
        (
            "fasering-gefaseerd, fasering-big-bang, gefaseerd-bedden-later",
            "2"
        ),
        "{cmp:?}"
    );
    let last = js(
        c,
        "document.querySelector('tr[data-scenario=\"fasering-big-bang.toml\"] td.last').innerText",
    )
    .await;
    assert!(
        last.as_str()
            .is_some_and(|l| l.contains("bedden-later-vergelijking")),
        "the big bang ran inside the comparison: {last}"
    );
    c.execute("document.querySelector('#runs').scrollIntoView();", vec![])
        .await
        .expect("scroll");
    shot(c, shots, "9-runs").await;
    // re-opened
    click(c, "tr[data-folder=\"bedden-later-vergelijking\"] a.btn").await;
    until(c, REPORT_READY, "the comparison re-opened").await;
    // and removed, after asking
    c.goto(&srv.url).await.expect("home");
    until(c, "document.querySelector('#outputs')", "the runs list").await;
    js(c, "(window.confirm = function () { return true; }, true)").await;
    click(
        c,
        "button.remove[data-folder=\"bedden-later-vergelijking\"]",
    )
    .await;
    until(
        c,
        "!document.querySelector('tr[data-folder=\"bedden-later-vergelijking\"]')",
        "the comparison removed",
    )
    .await;
    assert!(!srv.out().join("bedden-later-vergelijking").exists());
    assert!(
        srv.out()
            .join("gefaseerd-bedden-later/report.html")
            .is_file()
    );
}

/// The walk through the studio: the token leaves the address bar; the task of issue 29
/// built, interrupted by a reload, saved, run, changed in place, compared, found again.
async fn walk(c: &Client, srv: &Server, shots: &Path) {
    c.set_window_size(1280, 900).await.expect("window size");
    c.goto(&format!("{}?token={TOKEN}", srv.url))
        .await
        .expect("start page");
    until(
        c,
        "document.querySelector('tr[data-scenario=\"fasering-gefaseerd.toml\"]')",
        "the start page",
    )
    .await;
    let address = js(c, "location.href").await;
    assert!(
        !address.as_str().unwrap_or("").contains(TOKEN),
        "the token left the address bar: {address}"
    );
    let rows = js(c, "document.querySelectorAll('tr[data-scenario]').length").await;
    assert!(
        rows.as_u64().unwrap_or(0) >= 6,
        "the default and the shipped scenarios: {rows}"
    );
    // shipped files are read-only: a strategy is built on them
    assert_eq!(
        js(
            c,
            "document.querySelector('tr[data-scenario=\"fasering-gefaseerd.toml\"] .badge').innerText"
        )
        .await,
        json!("alleen lezen")
    );
    shot(c, shots, "1-start").await;
    build_road(c, srv, shots).await;
    run_road(c, shots).await;
    change_in_place(c, srv, shots).await;
    compare_and_find_again(c, srv, shots).await;
    // the studio's own road on the home page, and the page in English
    c.goto(&format!("{}?lang=en", srv.url))
        .await
        .expect("home in English");
    until(c, "document.querySelector('#outputs')", "the English home").await;
    assert_eq!(
        js(
            c,
            "document.querySelector('tr[data-scenario=\"gefaseerd-bedden-later.toml\"] .badge.own').innerText"
        )
        .await,
        json!("own strategy")
    );
    assert_eq!(
        js(c, "document.querySelector('h1').innerText").await,
        json!("Scenarios")
    );
    c.goto(&format!(
        "{}edit?base=fasering-big-bang.toml&lang=en",
        srv.url
    ))
    .await
    .expect("the editor in English");
    until(c, &checked("ok"), "the English editor").await;
    let heading = js(
        c,
        "document.querySelector('#svc-pleegzorg > summary').innerText",
    )
    .await;
    assert!(
        heading
            .as_str()
            .is_some_and(|h| h.contains("family-like (foster, family home)")),
        "{heading}"
    );
    assert_eq!(
        js(
            c,
            "document.querySelector('#transitions .svcname').innerText"
        )
        .await,
        json!("Transition windows per segment")
    );
}

/// The screenshots the walk takes.
const SHOTS: [&str; 10] = [
    "1-start",
    "2-editor-problem",
    "3-editor",
    "4-draft",
    "5-run",
    "6-dependants",
    "7-timeline",
    "8-compare",
    "9-runs",
    "10-futures",
];

#[test]
fn a_strategy_is_built_run_and_compared_in_a_browser() {
    let required = std::env::var("JEUGDFLOW_REQUIRE_BROWSER").as_deref() == Ok("1");
    let browser = binary("JEUGDFLOW_CHROMIUM", &["chromium", "chromium-browser"]);
    let driver = binary("JEUGDFLOW_CHROMEDRIVER", &["chromedriver"]);
    let (Some(browser), Some(driver)) = (browser, driver) else {
        eprintln!(
            "SKIPPED: chromium or chromedriver not found (apt-get install chromium chromium-driver)"
        );
        assert!(
            !required,
            "JEUGDFLOW_REQUIRE_BROWSER=1 but chromium or chromedriver was not found"
        );
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let shots = tmp.parent().unwrap_or(&tmp).join("studio-check");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("studio-check folder");
    let srv = Server::start(&["--token", TOKEN]);
    let (_driver, webdriver) = start_driver(&driver);
    let profile = tempfile::tempdir().expect("profile folder");
    let mut caps = serde_json::Map::new();
    // leaving the editor with unsaved work asks (beforeunload); the reload accepts it
    caps.insert("unhandledPromptBehavior".into(), json!("accept"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": browser.to_string_lossy(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&webdriver)
            .await
            .expect("a WebDriver session");
        walk(&c, &srv, &shots).await;
        c.close().await.expect("close the session");
    });
    for n in SHOTS {
        assert!(shots.join(format!("{n}.png")).is_file(), "{n}.png");
    }
}
