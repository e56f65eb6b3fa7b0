//! The studio as a person uses it, in headless Chromium driven over WebDriver
//! (Debian's `chromium-driver` and the fantoccini client): open the start page, build a
//! strategy from the default by editing two capacities, save it, run it, compare it with
//! the default, and check the charts (inline SVG) and numbers on the way. Screenshots of
//! every page are kept in `target/studio-check/*.png`.
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

/// The walk through the studio: start page, editor, save, run, compare.
async fn walk(c: &Client, srv: &Server, shots: &Path) {
    c.set_window_size(1400, 1100).await.expect("window size");
    c.goto(&srv.url).await.expect("start page");
    until(
        c,
        "document.querySelector('tr[data-scenario=\"builtin\"]')",
        "the start page",
    )
    .await;
    let rows = js(c, "document.querySelectorAll('tr[data-scenario]').length").await;
    assert!(
        rows.as_u64().unwrap_or(0) >= 6,
        "the default and the shipped scenarios: {rows}"
    );
    shot(c, shots, "1-start").await;

    click(c, "tr[data-scenario=\"builtin\"] a[href^=\"/edit\"]").await;
    until(c, "document.querySelector('#editor') && document.querySelector('#editor').dataset.checked === 'ok'", "the editor's first check").await;
    type_into(c, "#name", "browser-strategie").await;
    type_into(
        c,
        "#description",
        "Twee capaciteiten aangepast in de browser",
    )
    .await;
    type_into(c, "input[data-key=\"svc.residentieel.capacity\"]", "470").await;
    type_into(
        c,
        "input[data-key=\"svc.hsj-behandelgroep.capacity\"]",
        "80",
    )
    .await;
    let ready = "document.querySelector('#editor').dataset.checked === 'ok' && \
                 document.querySelector('#toml').textContent.includes('capacity = 470') && \
                 document.querySelector('#toml').textContent.includes('capacity = 80')";
    until(c, ready, "the check of the two capacities").await;
    // a wrong value is shown beside its field, with validate's words
    type_into(
        c,
        "input[data-key=\"svc.hsj-behandelgroep.capacity\"]",
        "8.5",
    )
    .await;
    until(c, "document.querySelector('.msg[data-for=\"svc.hsj-behandelgroep.capacity\"]').textContent.includes(\"service 'hsj-behandelgroep'.capacity\")", "the message beside the field").await;
    shot(c, shots, "2-editor-problem").await;
    type_into(
        c,
        "input[data-key=\"svc.hsj-behandelgroep.capacity\"]",
        "80",
    )
    .await;
    until(c, ready, "the check after the fix").await;
    shot(c, shots, "3-editor").await;
    click(c, "#save").await;
    until(c, "document.querySelector('#runit')", "the saved message").await;
    let saved =
        fs::read_to_string(srv.scenarios().join("browser-strategie.toml")).expect("saved file");
    assert!(
        saved.contains("extends = \"builtin:groningen\"") && saved.contains("capacity = 470"),
        "{saved}"
    );

    click(c, "#runit").await;
    until(c, "document.querySelector('#start')", "the run page").await;
    type_into(c, "#reps", "2").await;
    click(c, "#start").await;
    let report_ready = "(function(){ var f = document.querySelector('#result'); \
        var d = f && !f.hidden && f.contentDocument; \
        return d && d.readyState === 'complete' && d.querySelectorAll('svg').length > 0; })()";
    until(c, report_ready, "the run's report").await;
    let svgs = js(c, "document.querySelector('#result').contentDocument.querySelectorAll('figure.chart svg').length").await;
    assert!(
        svgs.as_u64().unwrap_or(0) >= 3,
        "the run report's charts: {svgs}"
    );
    let numbers = js(c, "Array.from(document.querySelector('#result').contentDocument.querySelectorAll('.key-number .value')).map(function(e){return e.textContent;})").await;
    let numbers: Vec<String> = serde_json::from_value(numbers).expect("key numbers");
    assert!(
        !numbers.is_empty()
            && numbers
                .iter()
                .all(|n| n.chars().any(|c| c.is_ascii_digit())),
        "{numbers:?}"
    );
    shot(c, shots, "4-run").await;

    c.goto(&format!("{}compare", srv.url))
        .await
        .expect("compare page");
    until(
        c,
        "document.querySelector('#startcompare')",
        "the compare page",
    )
    .await;
    click(c, ".pick[value=\"builtin\"]").await;
    click(c, ".pick[value=\"browser-strategie.toml\"]").await;
    type_into(c, "#reps", "2").await;
    type_into(c, "#cname", "browser-vergelijking").await;
    click(c, "#startcompare").await;
    until(c, report_ready, "the comparison's report").await;
    let doc = "document.querySelector('#result').contentDocument";
    let svgs = js(c, &format!("{doc}.querySelectorAll('svg').length")).await;
    assert!(
        svgs.as_u64().unwrap_or(0) >= 1,
        "the comparison's charts: {svgs}"
    );
    let text = js(c, &format!("{doc}.body.innerText")).await;
    let text = text.as_str().unwrap_or("");
    assert!(
        text.contains("browser-strategie") && text.contains("groningen"),
        "{text}"
    );
    let links = js(c, "Array.from(document.querySelectorAll('#downloads a')).map(function(a){return a.getAttribute('href');})").await;
    assert_eq!(
        links,
        json!([
            "/out/browser-vergelijking/differences.csv?download=1",
            "/out/browser-vergelijking/sweep.csv?download=1",
            "/out/browser-vergelijking/comparison.xlsx?download=1",
            "/out/browser-vergelijking/report.html?download=1"
        ])
    );
    shot(c, shots, "5-compare").await;
    let diff = fs::read_to_string(srv.out().join("browser-vergelijking/differences.csv"))
        .expect("differences");
    assert!(diff.contains("\nbrowser-strategie,groningen,"), "{diff}");
}

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
    let srv = Server::start(&[]);
    let (_driver, webdriver) = start_driver(&driver);
    let profile = tempfile::tempdir().expect("profile folder");
    let mut caps = serde_json::Map::new();
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
    for n in [
        "1-start",
        "2-editor-problem",
        "3-editor",
        "4-run",
        "5-compare",
    ] {
        assert!(shots.join(format!("{n}.png")).is_file(), "{n}.png");
    }
}
