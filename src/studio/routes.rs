//! The studio's pages (`/`, `/edit`, `/road`, `/run`, `/compare`, `/results`), the files
//! of the output and scenarios folders (`/out/…`, `/scenarios/…`) and the embedded
//! stylesheet and scripts (a file refused or missing answers with a page in the language of
//! `?lang=`, Dutch by default). The JSON API behind the pages is in [`super::api`].

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::catalog;
use super::editor::{Base, Editor, scenario_file};
use super::messages as m;
use super::outputs;
use super::pages;
use super::plan;
use super::request::blocking;
use super::roads;
use super::safety::{Refusal, check_name, check_raw_path, resolve, said};
use super::texts;
use crate::report::lang::Lang;

/// `?lang=…` and the other query parameters of the pages.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub lang: Option<String>,
    pub base: Option<String>,
    pub road: Option<String>,
    pub scenario: Option<String>,
    pub folder: Option<String>,
    pub download: Option<String>,
}

impl PageQuery {
    fn lang(&self) -> Lang {
        texts::parse(self.lang.as_deref())
    }
}

fn refused_page(lang: Lang, r: Refusal) -> Response {
    (r.status, Html(pages::problem(lang, &r.message))).into_response()
}

/// Runs `page` on the blocking pool: its page, or a page that says why not.
async fn page<F>(lang: Lang, page: F) -> Response
where
    F: FnOnce() -> Result<String, Refusal> + Send + 'static,
{
    let r = blocking(lang, move || page().map(|p| Html(p).into_response())).await;
    if r.status().is_success() {
        return r;
    }
    // a refusal answers as JSON; a page says it on a page
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|j| j["error"].as_str().map(String::from))
        .unwrap_or_default();
    refused_page(lang, Refusal::new(status, message))
}

/// `GET /`: the start page.
pub async fn start(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    let jobs = s.jobs.list();
    page(lang, move || {
        let c = &s.config;
        let entries = catalog::list(&c.scenarios, &c.out, lang);
        let outs = outputs::list(&c.out, lang);
        Ok(pages::start(&entries, &jobs, &outs, lang))
    })
    .await
}

/// `GET /api/scenarios`: what the start page lists, as JSON.
pub async fn scenarios(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    blocking(lang, move || {
        let entries = catalog::list(&s.config.scenarios, &s.config.out, lang);
        let list: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                let (results, when, within) = match &e.results {
                    catalog::Results::None => ("none", None, None),
                    catalog::Results::Ran(r) => (
                        if r.current { "current" } else { "stale" },
                        Some(r.when.clone()),
                        r.within.as_ref().map(|(_, f)| f.clone()),
                    ),
                    catalog::Results::Unreadable(_) => ("unreadable", None, None),
                };
                serde_json::json!({
                    "scenario": e.base.key(), "name": e.name, "description": e.description,
                    "horizon": e.horizon, "problem": e.problem, "own": e.own,
                    "results": results, "last_run": when, "within": within,
                })
            })
            .collect();
        Ok(axum::Json(list).into_response())
    })
    .await
}

/// The entry of scenario `key` (`builtin` or a file name), refused when unknown.
fn entry(s: &AppState, key: &str, lang: Lang) -> Result<catalog::Entry, Refusal> {
    let base = Base::parse(key);
    let not_found = || Refusal::new(StatusCode::NOT_FOUND, m::no_such_scenario(lang, key));
    if let Base::File(f) = &base {
        scenario_file(&s.config.scenarios, f).map_err(|r| match r.status {
            StatusCode::NOT_FOUND => not_found(),
            _ => said(r, lang, f),
        })?;
    }
    catalog::list(&s.config.scenarios, &s.config.out, lang)
        .into_iter()
        .find(|e| e.base == base)
        .ok_or_else(not_found)
}

/// The entry of `key`, refused when it does not validate.
fn valid_entry(s: &AppState, key: &str, lang: Lang) -> Result<catalog::Entry, Refusal> {
    let e = entry(s, key, lang)?;
    match &e.problem {
        None => Ok(e),
        Some(p) => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            m::scenario_invalid(lang, key, p),
        )),
    }
}

/// `GET /edit?base=…` (a new strategy on a scenario) or `/edit?road=…` (the studio's own
/// road changed in place; any other file is copied instead).
pub async fn edit(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    page(lang, move || {
        let dir = &s.config.scenarios;
        let key = q.road.as_deref().or(q.base.as_deref()).unwrap_or("builtin");
        let e = valid_entry(&s, key, lang)?;
        let (ed, copied) = match (&q.road, &e.base) {
            (Some(_), Base::File(f)) if roads::is_own_file(dir, f) => {
                (Editor::load_road(dir, f)?, None)
            }
            (Some(_), Base::File(f)) => (Editor::load(dir, e.base.clone())?, Some(f.clone())),
            _ => (Editor::load(dir, e.base.clone())?, None),
        };
        Ok(pages::editor::page(&ed, lang, copied.as_deref()))
    })
    .await
}

/// `GET /road?scenario=…`: a scenario's road as a timeline, and every service's path.
pub async fn road_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    page(lang, move || {
        let e = valid_entry(&s, q.scenario.as_deref().unwrap_or("builtin"), lang)?;
        let l = super::work::load(&s.config.scenarios, &e.base, lang)?;
        let p = plan::plan(&l.model).ok_or_else(|| {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, m::internal(lang, "plan"))
        })?;
        Ok(pages::road::page(&e, &p, lang))
    })
    .await
}

/// `GET /run?scenario=…`: the run page.
pub async fn run_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    page(lang, move || {
        let e = valid_entry(&s, q.scenario.as_deref().unwrap_or("builtin"), lang)?;
        Ok(pages::run::run(&e, lang))
    })
    .await
}

/// `GET /compare`: the compare page.
pub async fn compare_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    page(lang, move || {
        let entries = catalog::list(&s.config.scenarios, &s.config.out, lang);
        let futures = super::work::future_files(&s.config.scenarios);
        Ok(pages::run::compare(&entries, &futures, lang))
    })
    .await
}

/// `GET /results?folder=…`: a saved output: its report, downloads, removal.
pub async fn results_page(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let lang = q.lang();
    page(lang, move || {
        let folder = q.folder.unwrap_or_default();
        let missing = || Refusal::new(StatusCode::NOT_FOUND, m::no_such_output(lang, &folder));
        check_name(&folder).map_err(|_| missing())?;
        let o = outputs::list(&s.config.out, lang)
            .into_iter()
            .find(|o| o.folder == folder)
            .ok_or_else(missing)?;
        Ok(pages::run::results(&s.config.out, &o, lang))
    })
    .await
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

/// Serves file `rel` of folder `root` (see [`resolve`] for what is refused); a refusal
/// is a page in `lang` that says why.
async fn serve_file(
    root: std::path::PathBuf,
    uri: &Uri,
    rel: String,
    download: bool,
    lang: Lang,
) -> Response {
    let shown = rel.clone();
    let refused = |r: Refusal| {
        let r = said(r, lang, &shown);
        (r.status, Html(pages::problem(lang, &r.message))).into_response()
    };
    if let Err(r) = check_raw_path(uri.path()) {
        return refused(r);
    }
    let res = tokio::task::spawn_blocking(move || {
        let path = resolve(&root, &rel)?;
        let not_found = || Refusal::new(StatusCode::NOT_FOUND, String::new());
        if !path.is_file() {
            return Err(not_found());
        }
        let bytes = std::fs::read(&path).map_err(|_| not_found())?;
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
        Ok(Err(r)) => refused(r),
        Err(e) => refused(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            m::internal(lang, &e.to_string()),
        )),
    }
}

/// `GET /out/{*path}`: a file of the output folder.
pub async fn out_file(
    State(s): State<AppState>,
    uri: Uri,
    UrlPath(rel): UrlPath<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let lang = q.lang();
    serve_file(s.config.out.clone(), &uri, rel, q.download.is_some(), lang).await
}

/// `GET /scenarios/{*path}`: a file of the scenarios folder, as text.
pub async fn scenario_text(
    State(s): State<AppState>,
    uri: Uri,
    UrlPath(rel): UrlPath<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    serve_file(s.config.scenarios.clone(), &uri, rel, false, q.lang()).await
}

/// `GET /static/studio.css`.
pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::CSS,
    )
        .into_response()
}

/// `GET /static/{name}`: the scripts.
pub async fn script(UrlPath(name): UrlPath<String>) -> Response {
    let body = match name.as_str() {
        "studio.js" => pages::JS,
        "editor.js" => pages::EDITOR_JS,
        "plan.js" => pages::PLAN_JS,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
        .into_response()
}
