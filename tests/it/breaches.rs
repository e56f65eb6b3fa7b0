//! A service in trouble is named wherever a region figure is
//! shown, and each figure has one definition across the outputs.

use std::fs;

use jeugdflow::report::html::run::key_numbers;
use jeugdflow::report::lang::Lang;
use jeugdflow::stats::{LevelRef, Metric};
use jeugdflow::timeline::PeriodRef;

use crate::common::{data, jeugdflow, jeugdflow_ok, model, run, s};

#[test]
fn the_key_numbers_equal_the_rows_they_summarise() {
    // one report said "3,2% boven de norm" in its key numbers and 0,3% in its table
    let m = model("small.toml");
    let res = run(&m);
    let region = res.summary(LevelRef::All, Metric::OverNormShare, PeriodRef::Total);
    for lang in [Lang::En, Lang::Nl] {
        let keys = key_numbers(&m, &res, lang);
        let over = keys
            .iter()
            .find(|k| {
                k.label
                    == format!(
                        "{} ({})",
                        jeugdflow::report::lang::capitalised(
                            lang.metric_name(Metric::OverNormShare)
                        ),
                        lang.labels().region
                    )
            })
            .unwrap_or_else(|| panic!("{keys:?}"));
        assert_eq!(over.value, lang.percent(region.mean), "{over:?}");
        // the services behind it: crisis waits beyond its one-day norm almost always
        let svc = keys
            .iter()
            .find(|k| k.label == lang.labels().services_over_norm)
            .unwrap_or_else(|| panic!("{keys:?}"));
        assert_eq!(svc.value, "2", "{svc:?}");
        assert!(
            svc.note.contains("crisis") && svc.note.contains("residential"),
            "{svc:?}"
        );
    }
}

#[test]
fn run_and_compare_name_the_services_over_their_norm() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let o = jeugdflow(&["run", s(&data("small.toml")), "--out", s(&a)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    // the terminal's region row is summary.csv's row
    let summary = fs::read_to_string(a.join("summary.csv")).unwrap();
    let row = summary
        .lines()
        .find(|l| l.contains(",all,all,over_norm_share,total,"))
        .unwrap();
    let mean: f64 = row.split(',').nth(5).unwrap().parse().unwrap();
    let all = out.lines().find(|l| l.starts_with("all ")).unwrap();
    let shown: f64 = all.split_whitespace().nth(4).unwrap().parse().unwrap();
    assert!((shown - mean).abs() < 0.0005, "{all} vs {row}");
    assert!(
        out.contains("services over norm (share of admissions; (!) above 0.2): crisis 0.986 (!), residential 0.320 (!)"),
        "{out}"
    );
    // a scenario that flags only beyond half its admissions late
    let f = dir.path().join("lenient.toml");
    fs::write(
        &f,
        format!(
            "[scenario]\nname = \"lenient\"\nextends = \"{}\"\n[report]\nflag_over_norm_share = 0.5\n",
            data("small.toml").display()
        ),
    )
    .unwrap();
    let b = dir.path().join("b");
    assert!(
        jeugdflow(&["run", s(&f), "--quiet", "--out", s(&b)])
            .status
            .success()
    );
    let o = jeugdflow(&["compare", s(&a), s(&b)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains(
            "  small: over 20% late (!): crisis 99%, residential 32%; longest wait crisis 94 days"
        ),
        "{out}"
    );
    assert!(
        out.contains("  lenient: over 50% late (!): crisis 99%;"),
        "{out}"
    );
    // the comparison page names them too, each run by its own limit
    let html = dir.path().join("c.html");
    jeugdflow_ok(&["compare", s(&a), s(&b), "--html", s(&html), "--lang", "en"]);
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.contains("Services over their norm"), "{page}");
    assert!(
        page.contains("⚑ crisis 98.6%, ⚑ residential 32.0%"),
        "{page}"
    );
    assert!(!page.contains("⚑ residential 32.0%, ⚑ crisis"), "{page}");
    let lenient = page
        .find("⚑ crisis 98.6%<")
        .expect("the lenient run flags crisis alone");
    assert!(lenient > 0);
}

#[test]
fn a_sweep_names_each_points_services_over_their_norm() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sw");
    let o = jeugdflow(&["sweep", s(&data("sweep/grid.toml")), "--out", s(&out)]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("late")).collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|l| l.contains("crisis")),
        "{text}"
    );
    // and so does the sweep's comparison page
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        page.contains("Diensten boven de norm") && page.contains("⚑ crisis"),
        "{page}"
    );
}
