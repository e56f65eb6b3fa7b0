//! The roads of issue 29's task compared in two futures, in Chromium: the report's heat
//! map, and the results page's roads × futures in the page's words.

use std::path::Path;

use fantoccini::Client;
use serde_json::json;

use super::{REPORT_READY, click, js, shot, type_into, until};
use crate::studio::Server;

/// The same roads in two futures: every road, the baseline too, in each; the report's
/// roads × futures heat map, and the results page's roads × futures in the page's words.
pub(super) async fn compare_in_futures(c: &Client, srv: &Server, shots: &Path) {
    c.goto(&format!("{}compare", srv.url))
        .await
        .expect("compare page");
    until(c, "document.querySelector('#futures')", "the futures").await;
    click(c, "input[name=baseline][value=\"fasering-gefaseerd.toml\"]").await;
    click(c, ".pick[value=\"fasering-big-bang.toml\"]").await;
    click(c, ".pick[value=\"gefaseerd-bedden-later.toml\"]").await;
    click(c, ".future[value=\"autonoom.toml\"]").await;
    click(c, ".future[value=\"hoge-vraag.toml\"]").await;
    type_into(c, "#reps", "2").await;
    type_into(c, "#cname", "bedden-later-toekomsten").await;
    click(c, "#startcompare").await;
    until(c, REPORT_READY, "the comparison in futures").await;
    let heat = js(
        c,
        "document.querySelector('#result').contentDocument.querySelectorAll('table.heat td[data-shade]').length",
    )
    .await;
    assert!(
        heat.as_u64().unwrap_or(0) >= 6,
        "3 roads × 2 futures in the heat map: {heat}"
    );
    assert!(
        js(c, "document.querySelector('#downloads').innerText")
            .await
            .as_str()
            .is_some_and(|d| d.contains("robustness.csv")),
        "robustness.csv offered"
    );
    let dir = srv.out().join("bedden-later-toekomsten");
    assert!(
        dir.join("gefaseerd-bedden-later.hoge-vraag/summary.csv")
            .is_file()
    );
    // found again: its page shows the roads × futures in the page's words
    c.goto(&format!(
        "{}results?folder=bedden-later-toekomsten",
        srv.url
    ))
    .await
    .expect("results page");
    until(
        c,
        "document.querySelector('#robustness table')",
        "the roads × futures",
    )
    .await;
    let rows = js(
        c,
        "Array.from(document.querySelectorAll('#robustness tbody tr')).map(function (r) { return r.dataset.road; })",
    )
    .await;
    assert_eq!(
        rows,
        json!([
            "fasering-gefaseerd",
            "fasering-big-bang",
            "gefaseerd-bedden-later"
        ])
    );
    let head = js(c, "document.querySelector('#robustness thead').innerText").await;
    let head = head.as_str().unwrap_or("");
    assert!(
        head.contains("autonoom") && head.contains("hoge-vraag") && head.contains("Grootste spijt"),
        "{head}"
    );
    c.execute(
        "document.querySelector('#robustness').scrollIntoView();",
        vec![],
    )
    .await
    .expect("scroll");
    shot(c, shots, "10-futures").await;
}
