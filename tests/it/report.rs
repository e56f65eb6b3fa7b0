//! Charts and `report.html`: every chart renders (edge cases included), every SVG is
//! well-formed XML with drawn elements, every PNG decodes at its size, the report lists
//! and inlines every chart, and the folder is identical whatever the thread count.

use std::fs;
use std::path::Path;

use jeugdflow::report::lang::Lang;
use jeugdflow::report::plots::{self, Chart};
use jeugdflow::report::{comparison, html};

use crate::common::{data, jeugdflow, jeugdflow_ok, model, run, s};

/// Parses an SVG and counts its drawn elements (lines, areas, bars, dots, text).
fn drawn_elements(svg: &str, what: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    doc.descendants()
        .filter(|n| {
            matches!(
                n.tag_name().name(),
                "path" | "polyline" | "polygon" | "rect" | "circle" | "line" | "text"
            )
        })
        .count()
}

/// Decodes a PNG and returns its size.
fn png_size(bytes: &[u8], what: &str) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let info = reader.info();
    (info.width, info.height)
}

fn check_charts(charts: &[Chart]) {
    for c in charts {
        assert!(
            c.name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'),
            "{}",
            c.name
        );
        // a title, axes, a legend and data: far more than a handful of elements
        assert!(
            drawn_elements(&c.svg, &c.name) > 15,
            "{} is nearly empty",
            c.name
        );
        let (w, h) = png_size(&c.png, &c.name);
        assert!(w >= 400 && h >= 300, "{}: {w}×{h}", c.name);
    }
}

#[test]
fn edge_cases_render_without_panics() {
    // one month, one replication, no arrivals, an unlimited service
    let m = model("report/edge.toml");
    let res = run(&m);
    for lang in [Lang::Nl, Lang::En] {
        let charts = plots::render_all(&plots::run::run_sheets(&m, &res, lang)).unwrap();
        // 2 services × 2, 2 segments + system flows, cost
        assert_eq!(charts.len(), 2 * 2 + 3 + 1);
        check_charts(&charts);
        let unlimited = charts
            .iter()
            .find(|c| c.name == "service-open-occupancy")
            .unwrap();
        let word = lang.labels().unlimited;
        assert!(unlimited.svg.contains(word), "{word}");
        let page = html::run::page(&m, &res, 1, m.seed, &charts, lang);
        let h = html::render(&page);
        assert!(!h.contains("<script>"), "the description must be escaped");
        assert!(
            h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
        );
        assert_eq!(h.matches("<svg").count(), charts.len());
    }
}

#[test]
fn budget_chart_has_a_panel_per_segment_and_the_system() {
    let m = model("small-costs.toml");
    let res = run(&m);
    let budgets = jeugdflow::finance::budgets(&m, &res, 0.9);
    let sheet = plots::run::budget_vs_pxq(&m, &res, &budgets, Lang::En);
    assert_eq!(sheet.panels.len(), m.segments.len() + 1);
    let c = plots::render("budget", &sheet).unwrap();
    check_charts(&[c]);
}

/// Files of a folder, recursively, relative names sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_run_folder_has_every_chart_as_svg_and_png_and_a_report_listing_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small");
    jeugdflow_ok(&[
        "run",
        s(&data("small-costs.toml")),
        "--quiet",
        "--lang",
        "en",
        "--out",
        s(&out),
    ]);
    let files = tree(&out);
    let svgs: Vec<&String> = files.iter().filter(|f| f.ends_with(".svg")).collect();
    // 4 services × 2, 3 segments + system, cost per year
    assert_eq!(svgs.len(), 4 * 2 + 4 + 1, "{files:?}");
    for f in &svgs {
        assert!(f.starts_with("plots/"), "{f}");
        let svg = fs::read_to_string(out.join(f)).unwrap();
        assert!(drawn_elements(&svg, f) > 15, "{f}");
        let png = fs::read(out.join(f.replace(".svg", ".png"))).unwrap();
        let expected = if f.contains("-waiting") {
            (1000, 760)
        } else {
            (1000, 480)
        };
        assert_eq!(png_size(&png, f), expected, "{f}");
    }
    let h = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(h.contains("<html lang=\"en\">") && h.contains("Key numbers"));
    assert!(
        h.contains("Crisis beds feeding residential care"),
        "the description"
    );
    let listed = h.matches("<a href=\"#chart-").count();
    assert_eq!(listed, svgs.len());
    assert_eq!(h.matches("<svg").count(), svgs.len());
    assert!(h.contains(&format!("data-charts=\"{}\"", svgs.len())));
    // self-contained: no scripts, nothing loaded from elsewhere
    assert!(!h.contains("<script"));
    assert!(!h.contains(" src=") && !h.contains("url(") && !h.contains("<link"));
}

#[test]
fn the_default_language_is_dutch_and_an_unknown_one_exits_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nl");
    let o = jeugdflow(&[
        "run",
        s(&data("small.toml")),
        "--reps",
        "2",
        "--out",
        s(&out),
    ]);
    assert!(o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("report.html"), "{stdout}");
    let h = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(h.contains("<html lang=\"nl\">") && h.contains("Kerncijfers"));
    let svg = fs::read_to_string(out.join("plots/service-residential-occupancy.svg")).unwrap();
    assert!(svg.contains("bezetting") && svg.contains("capaciteit"));
    let o = jeugdflow(&["run", s(&data("small.toml")), "--lang", "de"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_whole_folder_is_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (out, t) in [(&a, "1"), (&b, "2")] {
        let o = jeugdflow(&[
            "run",
            s(&data("small-costs.toml")),
            "--quiet",
            "--reps",
            "5",
            "--threads",
            t,
            "--out",
            s(out),
        ]);
        assert!(o.status.success());
    }
    let files = tree(&a);
    assert_eq!(files, tree(&b));
    assert!(files.iter().any(|f| f == "report.html"));
    for f in files.iter().filter(|f| *f != "manifest.json") {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // the manifest too, but for what it reports about the machine
    let manifest = |d: &Path| {
        let mut m: serde_json::Value =
            serde_json::from_slice(&fs::read(d.join("manifest.json")).unwrap()).unwrap();
        let o = m.as_object_mut().unwrap();
        assert!(o.remove("wall_seconds").is_some() && o.remove("threads").is_some());
        m
    };
    assert_eq!(manifest(&a), manifest(&b));
}

#[test]
fn budget_writes_its_chart_and_sweeps_compare_strategies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("budget");
    jeugdflow_ok(&[
        "budget",
        s(&data("small-costs.toml")),
        "--quiet",
        "--reps",
        "35",
        "--out",
        s(&out),
    ]);
    assert!(out.join("plots/budget-vs-pxq.svg").exists());
    let h = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(h.contains("id=\"chart-budget-vs-pxq\""));

    // a sweep, and the same sweep in two shards merged: the same comparison report
    let two = data("sweep/two.toml");
    let single = dir.path().join("single");
    jeugdflow_ok(&[
        "sweep",
        s(&two),
        "--quiet",
        "--keep",
        "all",
        "--out",
        s(&single),
    ]);
    let mut shards = Vec::new();
    for k in 1..=2 {
        let p = dir.path().join(format!("shard{k}"));
        let o = jeugdflow(&[
            "sweep",
            s(&two),
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--keep",
            "all",
            "--out",
            s(&p),
        ]);
        assert!(o.status.success());
        shards.push(p);
    }
    let merged = dir.path().join("merged");
    jeugdflow_ok(&["merge", s(&shards[0]), s(&shards[1]), "--out", s(&merged)]);
    for f in [
        "report.html",
        "plots/strategies-kpis.svg",
        "plots/strategies-kpis.png",
        "small/report.html",
        "small/plots/system-flows.svg",
    ] {
        assert!(
            fs::read(single.join(f)).unwrap() == fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    let h = fs::read_to_string(single.join("report.html")).unwrap();
    // the comparison comes first, then links to each strategy's report
    let kpis = h.find("hoogste wachtlijst (jeugdigen)").unwrap();
    let link = h.find("<li><a href=\"small/report.html\"").unwrap();
    assert!(kpis < link);
    assert_eq!(
        h.matches("<svg").count(),
        4,
        "no costs, so no trade-off: three path charts and the KPIs"
    );

    // compare writes the same kind of page on request
    let page = dir.path().join("cmp.html");
    let o = jeugdflow_ok(&[
        "compare",
        s(&single.join("small")),
        s(&single.join("mmc")),
        "--html",
        s(&page),
        "--lang",
        "en",
    ]);
    let h = fs::read_to_string(&page).unwrap();
    // numbered in the order given (the first is the baseline), whatever the ranking
    let _ = o;
    assert!(h.contains("Comparison of strategies") && h.contains("1. small<"));
    assert!(h.contains("2. mmc<"));
    assert_eq!(h.matches("<svg").count(), 4, "the sweep's charts, inline");
    assert!(
        !h.contains("<figcaption>"),
        "compare writes no plots/ to name"
    );
}

#[test]
fn strategy_charts_come_from_the_folders_csv() {
    let summary = b"scenario,segment,service,metric,period,mean,ci_low,ci_high,p05,p50,p95,reps\n\
        x,all,all,cost,2024,100,90,110,80,100,120,3\n\
        x,all,all,cost,2025,200,190,210,180,200,220,3\n\
        x,all,all,cost,total,300,290,310,280,300,320,3\n\
        x,wonen,all,cost,2024,50,40,60,30,50,70,3\n";
    // every KPI a run has, for two replications: clients 10 and 12, the rest undefined
    let mut reps = String::from("scenario,rep,metric,value\n");
    for r in 0..2 {
        for k in jeugdflow::sweep::KPIS.iter().filter(|k| k.per_run()) {
            let v = if k.name() == "clients" {
                (10 + 2 * r).to_string()
            } else {
                String::new()
            };
            reps.push_str(&format!("x,{r},{},{v}\n", k.name()));
        }
    }
    let run = |name: &str, summary: &[u8]| comparison::Compared {
        name: name.into(),
        dir: name.into(),
        values: Vec::new(),
        files: [
            ("replications.csv".to_string(), reps.clone().into_bytes()),
            ("summary.csv".to_string(), summary.to_vec()),
            (
                "manifest.json".to_string(),
                crate::common::run_manifest_json(7, 2),
            ),
        ]
        .into(),
    };
    let st = comparison::strategies(&[run("x", summary), run("x2", summary)]).unwrap();
    assert_eq!(st[0].cost.len(), 2);
    assert_eq!(st[0].cost[1], (2025, 200.0, 190.0, 210.0));
    let clients = jeugdflow::sweep::Kpi::from_name("clients").unwrap();
    assert_eq!(st[0].kpi(clients).mean, 11.0);
    let charts = plots::render_all(&plots::compare::sheets(&st, &[], Lang::Nl)).unwrap();
    assert!(!charts.is_empty());
    check_charts(&charts);
    let e = comparison::strategies(&[run("y", b"a,b\n1,2\n")]).unwrap_err();
    assert!(
        e.to_string()
            .contains("summary.csv': line 1: the columns are 'a,b'"),
        "{e}"
    );
    // a missing manifest is named, never read as a default
    let mut bare = run("z", summary);
    bare.files.remove("manifest.json");
    let e = comparison::strategies(&[bare]).unwrap_err().to_string();
    assert!(e.contains("manifest.json': missing"), "{e}");
}
