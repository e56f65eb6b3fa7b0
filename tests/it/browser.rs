//! The report as a reader sees it: headless Chromium opens a run's `report.html` and must
//! log no console message, render every chart the report lists as a non-empty inline
//! SVG, and take a screenshot (kept in `target/browser-check/report.png` to look at).
//!
//! `JEUGDFLOW_CHROMIUM` may name the browser binary. Without Chromium the test says `SKIPPED: chromium not found` on stderr and passes,
//! unless `JEUGDFLOW_REQUIRE_BROWSER=1` (set by `.ci/run` when it installed Chromium),
//! when it fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{data, jeugdflow_ok, s};

/// Chromium on this machine, if any (`JEUGDFLOW_CHROMIUM` names another browser binary).
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("JEUGDFLOW_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.exists() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `extra` arguments and a fresh profile; returns
/// (stdout, stderr). A browser still running after three minutes is stopped and the test
/// fails: that is a hang, not a slow machine.
fn headless(browser: &Path, page: &Path, extra: &[&str], work: &Path) -> (String, String) {
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let (out_path, err_path) = (work.join("stdout.txt"), work.join("stderr.txt"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).expect("stdout file"))
        .stderr(fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("chromium status").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within three minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        fs::read_to_string(out_path).unwrap_or_default(),
        fs::read_to_string(err_path).unwrap_or_default(),
    )
}

/// Drawn elements inside each `<svg>…</svg>` of a serialised DOM.
fn elements_per_svg(dom: &str) -> Vec<usize> {
    dom.split("<svg")
        .skip(1)
        .map(|chunk| {
            let body = chunk.split("</svg>").next().unwrap_or("");
            [
                "<path",
                "<polyline",
                "<polygon",
                "<rect",
                "<circle",
                "<line",
                "<text",
            ]
            .iter()
            .map(|t| body.matches(t).count())
            .sum()
        })
        .collect()
}

#[test]
fn the_report_renders_in_a_headless_browser() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: chromium not found");
        if std::env::var("JEUGDFLOW_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("JEUGDFLOW_REQUIRE_BROWSER=1 but chromium was not found");
        }
        return;
    };
    // target/browser-check, beside the test binaries' own temporary folder
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let work = tmp.parent().unwrap_or(&tmp).join("browser-check");
    fs::create_dir_all(&work).expect("browser-check folder");
    // only this test's own folder: the comparison test works beside it at the same time
    let out = work.join("small-costs");
    let _ = fs::remove_dir_all(&out);
    jeugdflow_ok(&[
        "run",
        s(&data("small-costs.toml")),
        "--quiet",
        "--reps",
        "3",
        "--out",
        s(&out),
    ]);
    let page = fs::canonicalize(out.join("report.html")).expect("report.html written");
    let html = fs::read_to_string(&page).expect("report.html readable");
    let listed: usize = html
        .split("data-charts=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .expect("the report says how many charts it lists");
    assert!(listed > 0);

    let (dom, log) = headless(&browser, &page, &["--dump-dom"], &work);
    assert!(
        dom.contains("<h1>small-costs</h1>"),
        "the browser did not render the report: {}",
        &dom[..dom.len().min(500)]
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let svgs = elements_per_svg(&dom);
    assert_eq!(
        svgs.len(),
        listed,
        "inline charts against the charts listed"
    );
    for (i, n) in svgs.iter().enumerate() {
        assert!(*n > 15, "chart {} has only {n} drawn elements", i + 1);
    }

    let shot = work.join("report.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    let (_, log) = headless(
        &browser,
        &page,
        &[&shot_arg, "--window-size=1280,2400", "--hide-scrollbars"],
        &work,
    );
    let bytes = fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}); log:\n{log}"));
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the screenshot is a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1280, 2400));
    eprintln!("screenshot: {}", shot.display());
}

/// A copy of `page` with a script at the end that measures, at the window's width, every
/// element wider than the window or cut off inside a scrolling box, and the inline charts,
/// and writes the findings into `<pre id="check">` (the report itself has no script).
fn with_check(page: &Path, to: &Path) {
    let html = fs::read_to_string(page).expect("report.html readable");
    let script = r#"<pre id="check"></pre><script>
const w = document.documentElement.clientWidth, bad = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > w + 1 || r.left < -1)) bad.push('wide ' + e.tagName + ' ' + Math.round(r.right));
  if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') bad.push('scrolls ' + e.tagName + ' ' + e.scrollWidth);
}
const charts = [...document.querySelectorAll('figure.chart svg')].filter(s => s.getBoundingClientRect().height > 100).length;
document.getElementById('check').textContent = 'CHECK ' + JSON.stringify({width: w, charts, bad});
</script></body>"#;
    fs::write(to, html.replace("</body>", script)).expect("checked copy written");
}

#[test]
fn the_comparison_fits_the_window_and_shows_every_chart() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: chromium not found");
        if std::env::var("JEUGDFLOW_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("JEUGDFLOW_REQUIRE_BROWSER=1 but chromium was not found");
        }
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let work = tmp
        .parent()
        .unwrap_or(&tmp)
        .join("browser-check")
        .join("comparison");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("browser-check folder");
    let out = work.join("twelve");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/twelve.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    let page = fs::canonicalize(out.join("report.html")).expect("report.html written");
    let html = fs::read_to_string(&page).unwrap();
    let listed: usize = html
        .split("data-charts=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .expect("the report says how many charts it lists");
    assert_eq!(listed, 5, "trade-off, three path charts, KPIs");
    let checked = out.join("checked.html");
    with_check(&page, &checked);
    let (dom, log) = headless(
        &browser,
        &checked,
        &["--dump-dom", "--window-size=1280,1000"],
        &work,
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let found = dom
        .split("CHECK ")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| panic!("the check did not run: {}", &dom[..dom.len().min(400)]));
    let v: serde_json::Value = serde_json::from_str(&found.replace("&quot;", "\"")).unwrap();
    // the window less a vertical scroll bar, if any
    let width = v["width"].as_u64().unwrap_or(0);
    assert!((1250..=1280).contains(&width), "{v}");
    assert_eq!(v["charts"], listed, "every chart drawn: {v}");
    assert_eq!(
        v["bad"],
        serde_json::json!([]),
        "too wide or scrolling: {v}"
    );

    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|p| p.join("browser-check").join("comparison.png"))
        .expect("target folder");
    let shot_arg = format!("--screenshot={}", shot.display());
    let (_, log) = headless(
        &browser,
        &page,
        &[&shot_arg, "--window-size=1280,3000", "--hide-scrollbars"],
        &work,
    );
    let bytes = fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}); log:\n{log}"));
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the screenshot is a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1280, 3000));
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn the_roads_across_futures_page_fits_the_window_and_shows_every_chart() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: chromium not found");
        if std::env::var("JEUGDFLOW_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("JEUGDFLOW_REQUIRE_BROWSER=1 but chromium was not found");
        }
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let work = tmp
        .parent()
        .unwrap_or(&tmp)
        .join("browser-check")
        .join("futures");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("browser-check folder");
    let out = work.join("futures");
    jeugdflow_ok(&[
        "sweep",
        s(&data("sweep/futures.toml")),
        "--quiet",
        "--out",
        s(&out),
    ]);
    let page = fs::canonicalize(out.join("report.html")).expect("report.html written");
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("class=\"strategies heat\""), "the heat map");
    let listed: usize = html
        .split("data-charts=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .expect("the report says how many charts it lists");
    assert!(listed >= 2, "charts of each future: {listed}");
    let checked = out.join("checked.html");
    with_check(&page, &checked);
    let (dom, log) = headless(
        &browser,
        &checked,
        &["--dump-dom", "--window-size=1280,1000"],
        &work,
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let found = dom
        .split("CHECK ")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| panic!("the check did not run: {}", &dom[..dom.len().min(400)]));
    let v: serde_json::Value = serde_json::from_str(&found.replace("&quot;", "\"")).unwrap();
    let width = v["width"].as_u64().unwrap_or(0);
    assert!((1250..=1280).contains(&width), "{v}");
    assert_eq!(v["charts"], listed, "every chart drawn: {v}");
    assert_eq!(
        v["bad"],
        serde_json::json!([]),
        "too wide or scrolling: {v}"
    );
    let shot = work.join("futures.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    let (_, log) = headless(
        &browser,
        &page,
        &[&shot_arg, "--window-size=1280,3000", "--hide-scrollbars"],
        &work,
    );
    let bytes = fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}); log:\n{log}"));
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the screenshot is a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1280, 3000));
    eprintln!("screenshot: {}", shot.display());
}
