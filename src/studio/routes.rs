//! The studio's addresses: the pages (`/`, `/edit`, `/run`, `/compare`), the JSON API
//! behind them (`/api/…`), the files of the output and scenarios folders (`/out/…`,
//! `/scenarios/…`) and the embedded stylesheet and script.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::catalog;
use super::editor::{Base, Editor, Value, scenario_file};
use super::jobs::State as JobState;
use super::pages;
use super::safety::{Refusal, check_raw_path, resolve};
use super::texts;
use super::work::{self, Prepared};
use crate::report::lang::Lang;
use crate::report::output::write_file;

/// `?lang=…` and the other query parameters of the pages.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub lang: Option<String>,
    pub base: Option<String>,
    pub scenario: Option<String>,
    pub download: Option<String>,
}

impl PageQuery {
    fn lang(&self) -> Lang {
        texts::parse(self.lang.as_deref())
    }
}

/// A JSON body, or a 400 (413 when too large, 415 when not JSON) with the reason.
fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, Refusal> {
    b.map(|Json(t)| t).map_err(|r| {
        let status = match r.status() {
            s @ (StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE) => s,
            _ => StatusCode::BAD_REQUEST,
        };
        Refusal::new(status, r.body_text())
    })
}

fn refused_page(lang: Lang, r: Refusal) -> Response {
    (r.status, Html(pages::problem(lang, &r.message))).into_response()
}

/// `GET /`: the start page.
pub async fn start(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let c = s.config.clone();
    let entries = tokio::task::spawn_blocking(move || catalog::list(&c.scenarios, &c.out))
        .await
        .unwrap_or_default();
    Html(pages::start(&entries, q.lang())).into_response()
}

/// `GET /api/scenarios`: what the start page lists, as JSON.
pub async fn scenarios(State(s): State<AppState>) -> Response {
    let c = s.config.clone();
    let entries = tokio::task::spawn_blocking(move || catalog::list(&c.scenarios, &c.out))
        .await
        .unwrap_or_default();
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "scenario": e.base.key(), "name": e.name, "description": e.description,
                "horizon": e.horizon, "problem": e.problem,
                "results": match &e.results {
                    catalog::Results::None => "none",
                    catalog::Results::Current(_) => "current",
                    catalog::Results::Stale(_) => "stale",
                    catalog::Results::Unreadable(_) => "unreadable",
                },
            })
        })
        .collect();
    Json(list).into_response()
}

/// The entry of scenario `key` (`builtin` or a file name), refused when unknown.
fn entry(s: &AppState, key: &str) -> Result<catalog::Entry, Refusal> {
    let base = Base::parse(key);
    if let Base::File(f) = &base {
        scenario_file(&s.config.scenarios, f)?;
    }
    catalog::list(&s.config.scenarios, &s.config.out)
        .into_iter()
        .find(|e| e.base == base)
        .ok_or_else(|| Refusal::new(StatusCode::NOT_FOUND, format!("no scenario '{key}'")))
}

/// `GET /edit?base=…`: the strategy editor.
pub async fn edit(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    let base = Base::parse(q.base.as_deref().unwrap_or("builtin"));
    let dir = s.config.scenarios.clone();
    match tokio::task::spawn_blocking(move || Editor::load(&dir, base)).await {
        Ok(Ok(ed)) => Html(pages::editor::page(&ed, lang)).into_response(),
        Ok(Err(r)) => refused_page(lang, r),
        Err(_) => refused_page(
            lang,
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        ),
    }
}

/// `GET /run?scenario=…`: the run page.
pub async fn run_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    match entry(&s, q.scenario.as_deref().unwrap_or("builtin")) {
        Ok(e) if e.problem.is_none() => Html(pages::run(&e, lang)).into_response(),
        Ok(e) => refused_page(
            lang,
            Refusal::new(StatusCode::BAD_REQUEST, e.problem.unwrap_or_default()),
        ),
        Err(r) => refused_page(lang, r),
    }
}

/// `GET /compare`: the compare page.
pub async fn compare_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let entries = catalog::list(&s.config.scenarios, &s.config.out);
    Html(pages::compare(&entries, q.lang())).into_response()
}

/// What the editor sends: its base, the strategy's name and description, and the fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    pub base: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub edits: BTreeMap<String, Value>,
    #[serde(default)]
    pub overwrite: bool,
    #[serde(default)]
    pub lang: Option<String>,
}

fn editor_for(s: &AppState, r: &EditRequest) -> Result<Editor, Refusal> {
    let base = Base::parse(&r.base);
    let mut ed = Editor::load(&s.config.scenarios, base)?;
    ed.apply(&r.edits)?;
    Ok(ed)
}

/// `POST /api/check`: the draft file and its problems, beside their fields.
pub async fn check(
    State(s): State<AppState>,
    b: Result<Json<EditRequest>, JsonRejection>,
) -> Response {
    let r = match body(b) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let res = tokio::task::spawn_blocking(move || {
        let ed = editor_for(&s, &r)?;
        Ok::<_, Refusal>(ed.check(&s.config.scenarios, &r.name, &r.description))
    })
    .await;
    match res {
        Ok(Ok(c)) => Json(c).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

/// `POST /api/save`: writes `<name>.toml` when it checks out; an existing file only with
/// `overwrite` (409 otherwise, so the page can ask).
pub async fn save(
    State(s): State<AppState>,
    b: Result<Json<EditRequest>, JsonRejection>,
) -> Response {
    let r = match body(b) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let lang = texts::parse(r.lang.as_deref());
    let res = tokio::task::spawn_blocking(move || {
        let _guard = s
            .save_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let ed = editor_for(&s, &r)?;
        let checked = ed.check(&s.config.scenarios, &r.name, &r.description);
        if !checked.ok {
            let body =
                serde_json::json!({ "error": "the strategy has problems", "checked": checked });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
        }
        let file = format!("{}.toml", r.name);
        let path = s.config.scenarios.join(&file);
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if !meta.is_file() {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    format!("'{file}' exists and is not a plain file; the studio leaves it alone"),
                ));
            }
            if !r.overwrite {
                let body = serde_json::json!({
                    "error": format!("'{file}' exists already; send overwrite to replace it"),
                    "exists": true, "file": file,
                });
                return Ok((StatusCode::CONFLICT, Json(body)).into_response());
            }
        }
        write_file(&path, checked.toml.as_bytes())
            .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
        let run = format!(
            "/run?scenario={}&lang={}",
            pages::enc(&file),
            texts::code(lang)
        );
        let body = serde_json::json!({ "saved": file, "run": run, "checked": checked });
        Ok(Json(body).into_response())
    })
    .await;
    match res {
        Ok(Ok(resp)) => resp,
        Ok(Err(e)) => e.into_response(),
        Err(_) => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

/// What the run page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    pub scenario: String,
    #[serde(default)]
    pub reps: Option<u32>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// What the compare page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    pub baseline: String,
    pub scenarios: Vec<String>,
    pub name: String,
    #[serde(default)]
    pub reps: Option<u32>,
    #[serde(default)]
    pub lang: Option<String>,
}

fn queue(s: &AppState, p: Result<Prepared, Refusal>) -> Response {
    let p = match p {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match s.jobs.submit(p.total, p.work) {
        Ok(id) => (
            StatusCode::ACCEPTED,
            Json(serde_json::json!({ "id": id, "total": p.total, "status": format!("/api/jobs/{id}") })),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Checks the names of scenarios a request gives.
fn bases(s: &AppState, keys: &[String]) -> Result<Vec<Base>, Refusal> {
    keys.iter()
        .map(|k| {
            let b = Base::parse(k);
            if let Base::File(f) = &b {
                scenario_file(&s.config.scenarios, f)?;
            }
            Ok(b)
        })
        .collect()
}

/// `POST /api/runs`: queues a run (202 with its job), or says why not.
pub async fn start_run(
    State(s): State<AppState>,
    b: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    let r = match body(b) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let s2 = s.clone();
    let p = tokio::task::spawn_blocking(move || {
        let base = bases(&s2, std::slice::from_ref(&r.scenario))?.remove(0);
        work::prepare_run(&s2.config, &base, r.reps, texts::parse(r.lang.as_deref()))
    })
    .await
    .unwrap_or_else(|_| {
        Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
        ))
    });
    queue(&s, p)
}

/// `POST /api/compare`: queues a comparison (202 with its job), or says why not.
pub async fn start_compare(
    State(s): State<AppState>,
    b: Result<Json<CompareRequest>, JsonRejection>,
) -> Response {
    let r = match body(b) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let s2 = s.clone();
    let p = tokio::task::spawn_blocking(move || {
        if r.scenarios.len() > 4 * work::MAX_COMPARED {
            return Err(Refusal::new(StatusCode::BAD_REQUEST, "too many scenarios"));
        }
        let baseline = bases(&s2, std::slice::from_ref(&r.baseline))?.remove(0);
        let others = bases(&s2, &r.scenarios)?;
        work::prepare_compare(
            &s2.config,
            &baseline,
            &others,
            &r.name,
            r.reps,
            texts::parse(r.lang.as_deref()),
        )
    })
    .await
    .unwrap_or_else(|_| {
        Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
        ))
    });
    queue(&s, p)
}

/// `GET /api/jobs/{id}`: a job's progress; a failed job answers with its failure's status
/// (500 for an internal error) and message.
pub async fn job(State(s): State<AppState>, UrlPath(id): UrlPath<u64>) -> Response {
    match s.jobs.status(id) {
        None => Refusal::new(StatusCode::NOT_FOUND, format!("no job {id}")).into_response(),
        Some(st) => {
            let code = if st.state == JobState::Failed {
                st.status
            } else {
                StatusCode::OK
            };
            (code, Json(st)).into_response()
        }
    }
}

fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json" => "application/json",
        "toml" | "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves file `rel` of folder `root` (see [`resolve`] for what is refused).
async fn serve_file(root: std::path::PathBuf, uri: &Uri, rel: String, download: bool) -> Response {
    if let Err(r) = check_raw_path(uri.path()) {
        return r.into_response();
    }
    let res = tokio::task::spawn_blocking(move || {
        let path = resolve(&root, &rel)?;
        if !path.is_file() {
            return Err(Refusal::new(
                StatusCode::NOT_FOUND,
                format!("'{rel}' is not a file"),
            ));
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| Refusal::new(StatusCode::NOT_FOUND, format!("'{rel}': {e}")))?;
        Ok((path, bytes))
    })
    .await;
    match res {
        Ok(Ok((path, bytes))) => {
            let mut resp = ([(header::CONTENT_TYPE, content_type(&path))], bytes).into_response();
            if download {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
                let safe: String = name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
                    .collect();
                if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
                    resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            resp
        }
        Ok(Err(r)) => r.into_response(),
        Err(_) => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

/// `GET /out/{*path}`: a file of the output folder.
pub async fn out_file(
    State(s): State<AppState>,
    uri: Uri,
    UrlPath(rel): UrlPath<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    serve_file(s.config.out.clone(), &uri, rel, q.download.is_some()).await
}

/// `GET /scenarios/{*path}`: a file of the scenarios folder, as text.
pub async fn scenario_text(
    State(s): State<AppState>,
    uri: Uri,
    UrlPath(rel): UrlPath<String>,
) -> Response {
    serve_file(s.config.scenarios.clone(), &uri, rel, false).await
}

/// `GET /static/studio.css`.
pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::CSS,
    )
        .into_response()
}

/// `GET /static/studio.js`.
pub async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::JS,
    )
        .into_response()
}
