//! `jeugdflow serve` over HTTP, on loopback: the start line and pages, traversal refused
//! (`..`, `%2e%2e`, absolute paths, symlinks out), the token (401), a non-loopback address
//! without a token (exit 2), bad bodies (400 and the server goes on), the caps, saving
//! without overwriting, a folder jeugdflow did not write left alone, a strategy's run
//! byte-identical to `jeugdflow run` on its file, a comparison with common random numbers
//! (and in futures, as `jeugdflow sweep` with `futures` makes it), and every refusal in
//! the page's language. Each test starts its own studio on port 0 in a temporary folder.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{jeugdflow, jeugdflow_ok, s};

/// A studio running in a temporary folder (a copy of the shipped scenarios and futures),
/// stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// Starts `jeugdflow serve --port 0` with `extra` options; waits for its start line.
    pub fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temporary folder");
        let scen = dir.path().join("scenarios");
        fs::create_dir_all(&scen).expect("scenarios folder");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        // the shipped scenarios and their futures
        for sub in ["", "futures"] {
            fs::create_dir_all(scen.join(sub)).expect("folder");
            for e in fs::read_dir(shipped.join(sub)).expect("shipped scenarios") {
                let p = e.expect("entry").path();
                if p.extension().is_some_and(|x| x == "toml") {
                    fs::copy(&p, scen.join(sub).join(p.file_name().expect("name"))).expect("copy");
                }
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_jeugdflow"))
            .args(["serve", "--port", "0", "--scenarios"])
            .arg(&scen)
            .arg("--out")
            .arg(dir.path().join("output"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("jeugdflow serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("start line");
        let url = line
            .trim()
            .strip_prefix("studio: ")
            .unwrap_or_else(|| panic!("start line is `studio: http://HOST:PORT/`, got {line:?}"))
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "{url}"
        );
        Server { child, url, dir }
    }

    pub fn scenarios(&self) -> PathBuf {
        self.dir.path().join("scenarios")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// `host:port`.
    fn authority(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    }

    /// A request written byte for byte (clients normalise `..` and `%2e%2e` away, so the
    /// traversal tests cannot use one); returns the status and the whole response.
    pub fn raw(&self, path: &str, headers: &[&str]) -> (u16, String) {
        let mut stream = TcpStream::connect(self.authority()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.authority()
        );
        for h in headers {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        stream.write_all(req.as_bytes()).expect("send");
        let mut resp = Vec::new();
        let _ = stream.read_to_end(&mut resp);
        let text = String::from_utf8_lossy(&resp).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// One request over HTTP/1.0 (the reply is never chunked and the connection closes
    /// after it; no client crate, so the tests share every dependency's features with the
    /// program and reuse what `cargo build` compiled): `headers` as `Name: value` lines.
    pub fn request(&self, method: &str, path: &str, headers: &[&str], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(self.authority()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
        let mut req = format!(
            "{method} /{path} HTTP/1.0\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.authority(),
            body.len()
        );
        for h in headers {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        stream.write_all(&bytes).expect("send");
        let mut resp = Vec::new();
        stream.read_to_end(&mut resp).expect("reply");
        let end = resp
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a reply with headers");
        let head = String::from_utf8_lossy(&resp[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: resp[end + 4..].to_vec(),
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let r = self.request("GET", path, &[], b"");
        (r.status, r.text())
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.request(
            "POST",
            path,
            &["Content-Type: application/json"],
            body.to_string().as_bytes(),
        );
        (r.status, r.json().unwrap_or(Value::Null))
    }

    /// Polls job `id` until it is done or failed; returns its last status and body.
    pub fn wait(&self, id: u64) -> (u16, Value) {
        let started = Instant::now();
        loop {
            let r = self.request("GET", &format!("api/jobs/{id}"), &[], b"");
            let status = r.status;
            let j: Value = r.json().expect("job JSON");
            if j["state"] == "done" || j["state"] == "failed" {
                return (status, j);
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "job {id} not done: {j}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A reply read by [`Server::request`].
pub struct Reply {
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of header `name` (lower case); empty when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Result<Value> {
        serde_json::from_slice(&self.body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A strategy from the built-in default with two capacities changed.
pub fn two_capacities(name: &str) -> Value {
    json!({
        "base": "builtin", "name": name, "description": "twee capaciteiten",
        "edits": {
            "svc.residentieel.capacity": "470",
            "svc.hsj-behandelgroep.capacity": "80",
        }
    })
}

#[test]
fn the_start_page_lists_the_scenarios() {
    let srv = Server::start(&[]);
    let (status, page) = srv.get("");
    assert_eq!(status, 200);
    assert!(page.contains("fasering-gefaseerd"), "{page}");
    assert!(page.contains("/edit?base=builtin"), "{page}");
    let (status, en) = srv.get("?lang=en");
    assert_eq!(status, 200);
    assert!(en.contains("Build a strategy") && page.contains("Strategie maken"));
    let (status, list) = srv.get("api/scenarios");
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(list[0]["scenario"], "builtin");
    assert_eq!(list[0]["horizon"][1], "2030-12-31");
    for page in [
        "edit?base=fasering-big-bang.toml",
        "run?scenario=builtin",
        "compare",
        "static/studio.js",
        "scenarios/groningen.toml",
    ] {
        assert_eq!(srv.get(page).0, 200, "{page}");
    }
}

#[test]
fn traversal_is_refused() {
    let srv = Server::start(&[]);
    let secret = srv.dir.path().join("secret.txt");
    fs::write(&secret, "SECRET-CONTENT").expect("secret");
    fs::create_dir_all(srv.out().join("a")).expect("out");
    std::os::unix::fs::symlink(&secret, srv.out().join("a/link.txt")).expect("symlink");
    std::os::unix::fs::symlink(&secret, srv.scenarios().join("link.toml")).expect("symlink");
    let cases: [(&str, u16); 12] = [
        ("/out/../secret.txt", 400),
        ("/out/a/../../secret.txt", 400),
        ("/out/%2e%2e/secret.txt", 400),
        ("/out/%2E%2E%2Fsecret.txt", 400),
        ("/out/a%2f..%2f..%2fsecret.txt", 400),
        ("/out//etc/passwd", 400),
        ("/scenarios/../secret.txt", 400),
        ("/scenarios/..%5csecret.txt", 400),
        ("/out/a/link.txt", 403),
        ("/scenarios/link.toml", 403),
        ("/run?scenario=../secret.txt", 400),
        ("/edit?base=%2Fetc%2Fpasswd", 400),
    ];
    for (path, want) in cases {
        let (status, text) = srv.raw(path, &[]);
        assert_eq!(status, want, "{path}: {text}");
        assert!(!text.contains("SECRET-CONTENT"), "{path} leaked the file");
    }
    // through the API too
    for body in [
        json!({"scenario": "../secret.txt"}),
        json!({"scenario": "/etc/passwd"}),
        json!({"scenario": "link.toml"}),
    ] {
        let (status, j) = srv.post("api/runs", &body);
        assert!([400, 403].contains(&status), "{body}: {status} {j}");
    }
    let (status, _) = srv.post("api/save", &two_capacities("../escape"));
    assert_eq!(status, 422);
    assert!(!srv.dir.path().join("escape.toml").exists());
    // and the server is still there
    assert_eq!(srv.get("").0, 200);
}

#[test]
fn the_token_is_required() {
    let srv = Server::start(&["--token", "s3cret-token"]);
    let (status, text) = srv.raw("/", &[]);
    assert_eq!(status, 401, "{text}");
    assert_eq!(
        srv.raw("/api/scenarios", &["Authorization: Bearer wrong-token"])
            .0,
        401
    );
    assert_eq!(srv.raw("/out/x", &[]).0, 401);
    assert_eq!(srv.raw("/", &["Authorization: Bearer s3cret-token"]).0, 200);
    let (status, text) = srv.raw("/?token=s3cret-token", &[]);
    assert_eq!(status, 200);
    assert!(
        text.to_ascii_lowercase()
            .contains("set-cookie: jeugdflow_token=s3cret-token; httponly"),
        "{text}"
    );
    assert_eq!(
        srv.raw("/compare", &["Cookie: jeugdflow_token=s3cret-token"])
            .0,
        200
    );
    assert_eq!(srv.post("api/runs", &json!({"scenario": "builtin"})).0, 401);
}

#[test]
fn a_public_address_without_a_token_is_refused() {
    for args in [
        &["serve", "--listen", "0.0.0.0", "--port", "0"][..],
        &["serve", "--listen", "::", "--port", "0"][..],
        &["serve", "--listen", "example.org", "--port", "0"][..],
        &["serve", "--token", "short", "--port", "0"][..],
    ] {
        let o = jeugdflow(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            o.stdout.is_empty(),
            "{args:?}: nothing listens, nothing is printed"
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--listen") || err.contains("--token"), "{err}");
    }
}

#[test]
fn bad_bodies_are_refused_and_the_server_keeps_serving() {
    let srv = Server::start(&[]);
    let post = |path: &str, ctype: &str, body: Vec<u8>| {
        srv.request("POST", path, &[&format!("Content-Type: {ctype}")], &body)
            .status
    };
    assert_eq!(
        post("api/check", "application/json", b"{not json".to_vec()),
        400
    );
    assert_eq!(post("api/runs", "application/json", b"[1, 2".to_vec()), 400);
    assert_eq!(
        post(
            "api/runs",
            "application/json",
            br#"{"scenario": 3}"#.to_vec()
        ),
        400
    );
    assert_eq!(
        post(
            "api/runs",
            "application/json",
            br#"{"scenario": "builtin", "x": 1}"#.to_vec()
        ),
        400
    );
    assert_eq!(post("api/check", "text/plain", b"{}".to_vec()), 415);
    let huge = format!(
        "{{\"base\": \"builtin\", \"name\": \"{}\"}}",
        "x".repeat(400_000)
    );
    assert_eq!(
        post("api/check", "application/json", huge.into_bytes()),
        413
    );
    let (status, j) = srv.post(
        "api/check",
        &json!({"base": "builtin", "name": "x", "edits": {"no.such.field": "1"}}),
    );
    assert_eq!(status, 400, "{j}");
    let (status, j) = srv.post(
        "api/check",
        &json!({"base": "builtin", "name": "x", "edits": {"transitions": [["a"]]}}),
    );
    assert_eq!(status, 400, "{j}");
    let (status, j) = srv.post("api/check", &json!({"base": "nothing.toml", "name": "x"}));
    assert_eq!(status, 404, "{j}");
    assert_eq!(srv.get("api/jobs/77").0, 404);
    // a wrong value is not a bad request: the check answers with a message on its field,
    // in the page's language: what was typed, what is allowed, an example
    for (lang, allowed) in [("en", "from 0 to"), ("nl", "van 0 tot en met")] {
        let (status, j) = srv.post(
            "api/check",
            &json!({"base": "builtin", "name": "x", "lang": lang,
                    "edits": {"svc.residentieel.capacity": "-5"}}),
        );
        assert_eq!(status, 200);
        assert_eq!(j["ok"], false);
        let m = j["messages"]["svc.residentieel.capacity"][0]
            .as_str()
            .expect("message");
        assert!(m.contains("‘-5’") && m.contains(allowed), "{lang}: {m}");
        assert!(!m.contains("service '") && !m.contains("TOML"), "{m}");
    }
    assert_eq!(srv.get("").0, 200, "still serving");
}

#[test]
fn replications_strategies_and_names_are_capped() {
    let srv = Server::start(&[]);
    let (status, j) = srv.post(
        "api/runs",
        &json!({"scenario": "builtin", "reps": 5000, "lang": "en"}),
    );
    assert_eq!(status, 400, "{j}");
    assert!(
        j["error"].as_str().unwrap_or("").contains("1 to 1000"),
        "{j}"
    );
    // the field is read strictly: nothing is guessed (no 50 for 0 or text, no 2 for 2.5),
    // and the message is the page's, on the field
    for reps in [
        json!(0),
        json!(-1),
        json!(2.5),
        json!(""),
        json!("abc"),
        json!("2,5"),
        json!("99999999999999999999"),
        json!(99_999_999_999_999_999_999.0),
        json!([2]),
    ] {
        let (status, j) = srv.post(
            "api/runs",
            &json!({"scenario": "builtin", "reps": reps, "lang": "nl"}),
        );
        assert_eq!(status, 400, "{reps}: {j}");
        assert_eq!(j["field"], "reps", "{reps}: {j}");
        let m = j["error"].as_str().unwrap_or("");
        assert!(
            m.contains("replicaties") && m.contains("bijvoorbeeld 50"),
            "{reps}: {m}"
        );
        for word in ["u32", "JSON", "deserialize", "HTTP", "invalid type"] {
            assert!(!m.contains(word), "{reps}: {m}");
        }
    }
    let one = json!({"baseline": "builtin", "scenarios": ["builtin"], "name": "c", "reps": 2});
    assert_eq!(srv.post("api/compare", &one).0, 400);
    let many: Vec<String> = (0..13).map(|i| format!("s{i}.toml")).collect();
    for i in 0..13 {
        let text = format!("[scenario]\nname = \"s{i}\"\nextends = \"builtin:groningen\"\n");
        fs::write(srv.scenarios().join(format!("s{i}.toml")), text).expect("write");
    }
    let too_many = json!({"baseline": "builtin", "scenarios": many, "name": "c", "reps": 2});
    let (status, j) = srv.post("api/compare", &too_many);
    assert_eq!(status, 400, "{j}");
    let bad_name =
        json!({"baseline": "builtin", "scenarios": ["s1.toml"], "name": "../c", "reps": 2});
    assert_eq!(srv.post("api/compare", &bad_name).0, 400);
    assert_eq!(srv.get("").0, 200);
}

#[test]
fn saving_never_overwrites_without_asking() {
    let srv = Server::start(&[]);
    let file = srv.scenarios().join("mijn-plan.toml");
    let (status, j) = srv.post("api/save", &two_capacities("mijn-plan"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["saved"], "mijn-plan.toml");
    let first = fs::read_to_string(&file).expect("saved");
    assert!(first.contains("extends = \"builtin:groningen\""), "{first}");
    assert!(
        first.contains("[[service]]\nid = \"residentieel\"\ncapacity = 470\n"),
        "{first}"
    );
    assert!(
        !first.contains("[[schedule]]") && !first.contains("[[inflow]]"),
        "{first}"
    );
    // the saved file is valid as `validate` sees it
    jeugdflow_ok(&["validate", s(&file)]);
    let mut changed = two_capacities("mijn-plan");
    changed["edits"]["svc.residentieel.capacity"] = json!("460");
    let (status, j) = srv.post("api/save", &changed);
    assert_eq!(status, 409, "{j}");
    assert_eq!(j["exists"], true);
    assert_eq!(
        fs::read_to_string(&file).expect("file"),
        first,
        "not overwritten"
    );
    changed["overwrite"] = json!(true);
    assert_eq!(srv.post("api/save", &changed).0, 200);
    assert!(
        fs::read_to_string(&file)
            .expect("file")
            .contains("capacity = 460")
    );
    // a strategy with problems is not saved
    let mut wrong = two_capacities("fout");
    wrong["edits"]["svc.residentieel.capacity"] = json!("veel");
    let (status, j) = srv.post("api/save", &wrong);
    assert_eq!(status, 422, "{j}");
    assert!(!srv.scenarios().join("fout.toml").exists());
    // nor over its own base
    let mut own = two_capacities("x");
    own["base"] = json!("fasering-pilot.toml");
    own["name"] = json!("fasering-pilot");
    own["overwrite"] = json!(true);
    assert_eq!(srv.post("api/save", &own).0, 422);
}

#[test]
fn a_folder_jeugdflow_did_not_write_is_left_alone() {
    let srv = Server::start(&[]);
    let theirs = srv.out().join("groningen");
    fs::create_dir_all(&theirs).expect("folder");
    fs::write(theirs.join("notes.txt"), "mine").expect("notes");
    let (status, j) = srv.post(
        "api/runs",
        &json!({"scenario": "builtin", "reps": 1, "lang": "en"}),
    );
    assert_eq!(status, 409, "{j}");
    assert!(
        j["error"]
            .as_str()
            .unwrap_or("")
            .contains("not written by jeugdflow"),
        "{j}"
    );
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).expect("kept"),
        "mine"
    );
}

/// Every file of folder `dir`, relative, sorted.
fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("inside").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A manifest without what depends on the machine (wall time, threads).
fn manifest_facts(path: &Path) -> Value {
    let mut m: Value = serde_json::from_slice(&fs::read(path).expect("manifest")).expect("JSON");
    let o = m.as_object_mut().expect("object");
    o.remove("wall_seconds");
    o.remove("threads");
    m
}

#[test]
fn a_saved_strategy_runs_byte_identical_to_jeugdflow_run() {
    let srv = Server::start(&[]);
    assert_eq!(
        srv.post("api/save", &two_capacities("twee-capaciteiten")).0,
        200
    );
    let (status, j) = srv.post(
        "api/runs",
        &json!({"scenario": "twee-capaciteiten.toml", "reps": 3}),
    );
    assert_eq!(status, 202, "{j}");
    let (status, job) = srv.wait(j["id"].as_u64().expect("id"));
    assert_eq!(
        (status, job["state"].as_str()),
        (200, Some("done")),
        "{job}"
    );
    assert_eq!(job["link"], "/out/twee-capaciteiten/report.html");
    let studio = srv.out().join("twee-capaciteiten");
    let cli = srv.dir.path().join("cli");
    let file = srv.scenarios().join("twee-capaciteiten.toml");
    jeugdflow_ok(&["run", s(&file), "--reps", "3", "--quiet", "--out", s(&cli)]);
    let names = files_of(&studio);
    assert_eq!(names, files_of(&cli));
    assert!(names.len() > 10, "{names:?}");
    for n in &names {
        if n == Path::new("manifest.json") {
            assert_eq!(
                manifest_facts(&studio.join(n)),
                manifest_facts(&cli.join(n))
            );
        } else {
            assert!(
                fs::read(studio.join(n)).expect("studio file")
                    == fs::read(cli.join(n)).expect("cli file"),
                "{} differs between the studio and `jeugdflow run`",
                n.display()
            );
        }
    }
    // the report is served from the output folder
    let (status, page) = srv.get("out/twee-capaciteiten/report.html");
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "the report has inline charts");
    // and the start page now shows its key numbers
    let (_, start) = srv.get("");
    assert!(start.contains("data-metric=\"wait_days_mean\""), "{start}");
}

#[test]
fn a_comparison_shares_seed_and_replications() {
    let srv = Server::start(&[]);
    let (status, j) = srv.post(
        "api/compare",
        &json!({"baseline": "builtin", "scenarios": ["builtin", "fasering-big-bang.toml"],
                "name": "bb", "reps": 2, "lang": "en"}),
    );
    assert_eq!(status, 202, "{j}");
    let (status, job) = srv.wait(j["id"].as_u64().expect("id"));
    assert_eq!(
        (status, job["state"].as_str()),
        (200, Some("done")),
        "{job}"
    );
    let dir = srv.out().join("bb");
    for f in [
        "manifest.json",
        "report.html",
        "sweep.csv",
        "differences.csv",
        "comparison.xlsx",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let base = manifest_facts(&dir.join("groningen/manifest.json"));
    let other = manifest_facts(&dir.join("fasering-big-bang/manifest.json"));
    assert_eq!(
        (&base["seed"], &base["replications"]),
        (&other["seed"], &other["replications"])
    );
    assert_eq!(base["replications"], 2);
    let diff = fs::read_to_string(dir.join("differences.csv")).expect("differences");
    assert!(
        diff.contains("\nfasering-big-bang,groningen,wait_days_mean,"),
        "{diff}"
    );
    let r = srv.request("GET", "out/bb/differences.csv?download=1", &[], b"");
    assert_eq!(r.status, 200);
    let cd = r.header("content-disposition").to_string();
    assert_eq!(cd, "attachment; filename=\"differences.csv\"");
    // the workbook for finance staff, as Excel expects it
    let r = srv.request("GET", "out/bb/comparison.xlsx?download=1", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.body.starts_with(b"PK"), "an xlsx is a zip");
    let (_, page) = srv.get("out/bb/report.html");
    assert!(
        page.contains("<svg") && page.contains("fasering-big-bang"),
        "comparison page"
    );
}

#[test]
fn ctrl_c_stops_the_studio_cleanly() {
    let mut srv = Server::start(&[]);
    assert_eq!(srv.get("").0, 200);
    let pid = srv.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(st) = srv.child.try_wait().expect("status") {
            break st;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        TcpStream::connect(srv.authority()).is_err(),
        "nothing listens any more"
    );
}

/// A refusal's words (on a page: its message), with the developer's words it must not
/// have.
fn said_well(what: &str, text: &str, expected: &str) {
    let text = text
        .split("id=\"problem\">")
        .nth(1)
        .and_then(|t| t.split("</div>").next())
        .unwrap_or(text);
    assert!(text.contains(expected), "{what}: {text}");
    for word in [
        "does not exist",
        "no job",
        "not allowed",
        "expected",
        "got ",
        "Invalid URL",
        "TOML",
        "serde",
    ] {
        assert!(!text.contains(word), "{what}: {word:?} in {text}");
    }
}

#[test]
fn every_refusal_is_said_in_the_page_s_language() {
    let srv = Server::start(&[]);
    // a job the studio does not know, or no number at all
    for (path, expected) in [
        ("api/jobs/999", "kent berekening ‘999’ niet"),
        ("api/jobs/abc", "kent berekening ‘abc’ niet"),
        ("api/jobs/999?lang=en", "does not know run ‘999’"),
    ] {
        let (status, text) = srv.get(path);
        assert_eq!(status, 404, "{path}");
        said_well(path, &text, expected);
    }
    // a file of the output or scenarios folder: missing, outside, or no plain name
    for (path, status, expected) in [
        ("/out/weg/report.html", 404, "bestaat niet (meer)"),
        (
            "/out/weg/report.html?lang=en",
            404,
            "does not exist (any more)",
        ),
        (
            "/out/%2e%2e/secret.txt",
            400,
            "is geen bestand van de studio",
        ),
        (
            "/scenarios/../secret.txt",
            400,
            "is geen bestand van de studio",
        ),
        (
            "/run?scenario=../secret.txt",
            400,
            "is geen bestand van de studio",
        ),
        (
            "/run?scenario=weg.toml",
            404,
            "Er is geen scenario ‘weg.toml’",
        ),
    ] {
        let (got, text) = srv.raw(path, &[]);
        assert_eq!(got, status, "{path}: {text}");
        if expected.starts_with("does") {
            assert!(text.contains(expected), "{path}: {text}");
        } else {
            said_well(path, &text, expected);
        }
    }
    // a scenario file with a problem: on the home page and refused to run, in Dutch, at
    // its line and field
    fs::write(
        srv.scenarios().join("kapot.toml"),
        "[scenario]\nname = \"kapot\"\nextends = \"groningen.toml\"\n\n\
         [[service]]\nid = \"residentieel\"\ncapacity = -4\n",
    )
    .expect("a broken scenario");
    let (_, home) = srv.get("");
    let row = home
        .split("<tr data-scenario=\"kapot.toml\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the broken scenario listed");
    said_well(
        "home",
        row,
        "‘kapot.toml’, regel 7, dienst residentieel, Plaatsen vanaf de start",
    );
    let (status, page) = srv.get("run?scenario=kapot.toml");
    assert_eq!(status, 400);
    said_well("run page", &page, "bevat fouten en kan niet draaien");
    let (status, j) = srv.post("api/runs", &json!({"scenario": "kapot.toml"}));
    assert_eq!(status, 400);
    said_well("api/runs", &j.to_string(), "regel 7");
}

#[test]
fn a_comparison_in_futures_is_the_sweep_with_futures() {
    let srv = Server::start(&[]);
    let (_, page) = srv.get("compare");
    for f in ["autonoom.toml", "hoge-vraag.toml", "personeelstekort.toml"] {
        assert!(
            page.contains(&format!("class=\"future\" value=\"{f}\"")),
            "{f} offered"
        );
    }
    let ask = |futures: Value| {
        json!({"baseline": "groningen.toml",
               "scenarios": ["groningen.toml", "fasering-gefaseerd.toml"],
               "futures": futures, "name": "toekomsten", "reps": 2})
    };
    // a future that is not there, or one that changes the road, is refused on its field
    let (status, j) = srv.post("api/compare", &ask(json!(["nergens.toml"])));
    assert_eq!((status, j["field"].as_str()), (404, Some("futures")), "{j}");
    said_well(
        "no future",
        &j["error"].to_string(),
        "Er is geen toekomst ‘nergens.toml’",
    );
    fs::write(
        srv.scenarios().join("futures/met-plan.toml"),
        "[[transition]]\nsegment = \"wonen\"\nfrom = 2026-01-01\nto = 2026-07-01\n",
    )
    .expect("a future with a plan");
    let (status, j) = srv.post("api/compare", &ask(json!(["met-plan.toml"])));
    assert_eq!((status, j["field"].as_str()), (400, Some("futures")), "{j}");
    said_well(
        "a plan in a future",
        &j["error"].to_string(),
        "‘met-plan.toml’, regel 1",
    );
    // every road in every future, named as a sweep names its points
    let (status, j) = srv.post(
        "api/compare",
        &ask(json!(["autonoom.toml", "hoge-vraag.toml"])),
    );
    assert_eq!(status, 202, "{j}");
    assert_eq!(j["total"], 8, "2 roads × 2 futures × 2 replications");
    let (status, job) = srv.wait(j["id"].as_u64().expect("id"));
    assert_eq!(
        (status, job["state"].as_str()),
        (200, Some("done")),
        "{job}"
    );
    let dir = srv.out().join("toekomsten");
    for point in [
        "groningen.autonoom",
        "fasering-gefaseerd.autonoom",
        "groningen.hoge-vraag",
        "fasering-gefaseerd.hoge-vraag",
    ] {
        assert!(dir.join(point).join("summary.csv").is_file(), "{point}");
    }
    // the same numbers as `jeugdflow sweep` over the same roads and futures
    let sweep = srv.scenarios().join("toekomsten.sweep.toml");
    fs::write(
        &sweep,
        "[sweep]\nname = \"toekomsten\"\nscenarios = [\"groningen.toml\", \"fasering-gefaseerd.toml\"]\n\
         futures = [\"futures/autonoom.toml\", \"futures/hoge-vraag.toml\"]\nreplications = 2\n",
    )
    .expect("sweep file");
    let cli = srv.dir.path().join("cli");
    jeugdflow_ok(&["sweep", s(&sweep), "--out", s(&cli), "--quiet"]);
    for f in ["robustness.csv", "differences.csv"] {
        let studio = fs::read_to_string(dir.join(f)).expect(f);
        assert_eq!(studio, fs::read_to_string(cli.join(f)).expect(f), "{f}");
    }
    let robust = fs::read_to_string(dir.join("robustness.csv")).expect("robustness");
    assert!(
        robust.contains("\nfasering-gefaseerd,all,max_regret,"),
        "{robust}"
    );
    // its page: the roads × futures in the page's words
    let (status, page) = srv.get("results?folder=toekomsten");
    assert_eq!(status, 200);
    let table = page
        .split("<section id=\"robustness\">")
        .nth(1)
        .and_then(|t| t.split("</section>").next())
        .expect("the roads × futures");
    assert!(
        table.contains("Strategieën × toekomsten")
            && table.contains("<th>hoge-vraag</th>")
            && table.contains("Grootste spijt")
            && table.contains("<tr data-road=\"fasering-gefaseerd\">"),
        "{table}"
    );
    for word in ["saving_harm_weighted", "max_regret", "ci_low", "strategy"] {
        assert!(!table.contains(word), "{word}: {table}");
    }
}
