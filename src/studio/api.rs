//! The studio's JSON API, behind its pages: checking a draft (with its planned road),
//! saving it (in place, or as a new road; over a file others extend only once the page
//! has shown what changes in them), a road's earlier versions and putting one back,
//! queueing runs and comparisons, their progress, and the outputs the home lists and
//! removes. Every endpoint takes its body through [`super::request`].

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::AppState;
use super::editor::write::Checked;
use super::editor::{Base, Editor, Value, scenario_file};
use super::jobs::State as JobState;
use super::messages as m;
use super::outputs;
use super::pages::enc;
use super::plan;
use super::request::{ApiQuery, Said, blocking, handle, lang_of};
use super::roads;
use super::safety::{Refusal, check_name, said};
use super::texts;
use super::work::{self, Prepared};
use crate::report::lang::Lang;
use crate::report::output::write_file;

/// What the editor sends: its base, the road it changes in place (if any), the
/// strategy's name and description, and every field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    pub base: String,
    #[serde(default)]
    pub road: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub edits: BTreeMap<String, Value>,
    /// Replace an existing road of another name.
    #[serde(default)]
    pub overwrite: bool,
    /// The page has shown what saving changes in the files that extend it.
    #[serde(default)]
    pub confirm: bool,
    #[serde(default)]
    pub lang: Option<String>,
}

impl Said for EditRequest {
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// The editor of request `r`: its base (refused in `lang` when it is no scenario of the
/// folder or does not validate) with the request's edits.
fn editor_for(s: &AppState, r: &EditRequest, lang: Lang) -> Result<Editor, Refusal> {
    let base = bases(s, std::slice::from_ref(&r.base), lang)?.remove(0);
    let mut ed = Editor::load(&s.config.scenarios, base.clone()).map_err(|e| {
        // the base's own problem, in the page's words
        work::load(&s.config.scenarios, &base, lang)
            .err()
            .unwrap_or(e)
    })?;
    ed.apply(&r.edits)
        .map_err(|e| Refusal::new(e.status, m::bad_request(lang)))?;
    Ok(ed)
}

/// The draft's check as JSON, with the planned road of the base and of the draft.
fn checked_json(ed: &Editor, c: &Checked) -> Json_ {
    let mut j = serde_json::to_value(c).unwrap_or_default();
    j["plan"] = json!({
        "base": plan::plan(&ed.model),
        "new": c.model.as_ref().and_then(plan::plan),
    });
    j
}

/// `POST /api/check`: the draft file, its problems beside their fields, and its road.
pub async fn check(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<EditRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        let ed = editor_for(&s, &r, lang)?;
        let c = ed.check(&s.config.scenarios, &r.name, &r.description, lang);
        Ok(Json(checked_json(&ed, &c)).into_response())
    })
    .await
}

fn conflict(body: Json_) -> Response {
    (StatusCode::CONFLICT, Json(body)).into_response()
}

/// Replaces scenario file `file` by `text` under the roads' rules: only a file the
/// studio saved; over one that others extend only when `confirm`ed (else 409 with
/// what changes in them); the text it replaces kept as an earlier version.
fn replace(
    s: &AppState,
    file: &str,
    text: &str,
    confirm: bool,
    lang: Lang,
) -> Result<Option<Response>, Refusal> {
    let scen = &s.config.scenarios;
    let path = scen.join(file);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(
            Refusal::new(StatusCode::FORBIDDEN, m::not_a_plain_file(lang, file)).on("name"),
        );
    }
    let old = crate::scenario::Source::read(&path)
        .map_err(|_| Refusal::new(StatusCode::FORBIDDEN, m::not_a_studio_file(lang, file)))?
        .text;
    if !roads::is_own(&old) {
        return Err(
            Refusal::new(StatusCode::FORBIDDEN, m::not_a_studio_file(lang, file)).on("name"),
        );
    }
    if old == text {
        return Ok(None);
    }
    if !confirm {
        let dependants = roads::changes(scen, file, text, lang);
        if !dependants.is_empty() {
            return Ok(Some(conflict(json!({
                "error": m::dependants(lang, file, dependants.len()),
                "file": file,
                "dependants": dependants,
            }))));
        }
    }
    roads::keep_version(scen, file, &old).map_err(|e| {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            m::internal(lang, &e.to_string()),
        )
    })?;
    Ok(None)
}

fn write_scenario(s: &AppState, file: &str, text: &str, lang: Lang) -> Result<(), Refusal> {
    write_file(&s.config.scenarios.join(file), text.as_bytes()).map_err(|e| {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            m::internal(lang, &format!("{e:#}")),
        )
    })
}

/// `POST /api/save`: writes `<name>.toml` when it checks out. An existing road of
/// another name only with `overwrite` (409 otherwise, so the page can ask); a file the
/// studio did not write never (403); a file others extend only with `confirm` (409 with
/// the files and what changes in them).
pub async fn save(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<EditRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        let _guard = s
            .save_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let ed = editor_for(&s, &r, lang)?;
        let checked = ed.check(&s.config.scenarios, &r.name, &r.description, lang);
        if !checked.ok {
            let body =
                json!({ "error": m::has_problems(lang), "checked": checked_json(&ed, &checked) });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
        }
        let file = format!("{}.toml", r.name);
        let in_place = r.road.as_deref() == Some(file.as_str());
        let exists = std::fs::symlink_metadata(s.config.scenarios.join(&file)).is_ok();
        if exists && !in_place && !r.overwrite && roads::is_own_file(&s.config.scenarios, &file) {
            return Ok(conflict(json!({
                "error": m::exists(lang, &file), "exists": true, "file": file,
            })));
        }
        if let Some(asked) = replace(&s, &file, &checked.toml, r.confirm, lang)? {
            return Ok(asked);
        }
        write_scenario(&s, &file, &checked.toml, lang)?;
        let l = texts::code(lang);
        let body = json!({
            "saved": file,
            "run": format!("/run?scenario={}&lang={l}", enc(&file)),
            "edit": format!("/edit?road={}&lang={l}", enc(&file)),
            "checked": checked_json(&ed, &checked),
            "versions": roads::versions(&s.config.scenarios, &file),
        });
        Ok(Json(body).into_response())
    })
    .await
}

/// `?road=` of the versions list.
#[derive(Debug, Deserialize)]
pub struct RoadQuery {
    pub road: String,
    pub lang: Option<String>,
}

/// `GET /api/versions?road=…`: the earlier versions of a road, newest first.
pub async fn versions(State(s): State<AppState>, Query(q): Query<RoadQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref(), None);
    blocking(lang, move || {
        bases(&s, std::slice::from_ref(&q.road), lang)?;
        Ok(Json(roads::versions(&s.config.scenarios, &q.road)).into_response())
    })
    .await
}

/// What the page sends to put an earlier version back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    pub road: String,
    pub version: String,
    #[serde(default)]
    pub confirm: bool,
    #[serde(default)]
    pub lang: Option<String>,
}

impl Said for RestoreRequest {
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// `POST /api/restore`: puts version `version` of road `road` back, by the same rules as
/// saving (the version it replaces is kept in its turn).
pub async fn restore(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<RestoreRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        let _guard = s
            .save_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        bases(&s, std::slice::from_ref(&r.road), lang)?;
        let text = roads::version_text(&s.config.scenarios, &r.road, &r.version)
            .filter(|t| roads::is_own(t))
            .ok_or_else(|| Refusal::new(StatusCode::NOT_FOUND, m::no_such_version(lang)))?;
        if let Some(asked) = replace(&s, &r.road, &text, r.confirm, lang)? {
            return Ok(asked);
        }
        write_scenario(&s, &r.road, &text, lang)?;
        let l = texts::code(lang);
        Ok(Json(json!({
            "restored": r.road,
            "edit": format!("/edit?road={}&lang={l}", enc(&r.road)),
        }))
        .into_response())
    })
    .await
}

/// What the run page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    pub scenario: String,
    /// As typed (a number or text), read strictly; none: the scenario's own.
    #[serde(default)]
    pub reps: Option<Json_>,
    #[serde(default)]
    pub lang: Option<String>,
}

impl Said for RunRequest {
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// What the compare page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    pub baseline: String,
    pub scenarios: Vec<String>,
    /// Files of the futures folder to run every road in (none: the roads as written).
    #[serde(default)]
    pub futures: Vec<String>,
    pub name: String,
    #[serde(default)]
    pub reps: Option<Json_>,
    #[serde(default)]
    pub lang: Option<String>,
}

impl Said for CompareRequest {
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// Queues a prepared job: 202 with its id, or why not.
fn queue(s: &AppState, p: Prepared) -> Result<Response, Refusal> {
    let id = s.jobs.submit(p.job, p.total, p.work)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "total": p.total, "status": format!("/api/jobs/{id}") })),
    )
        .into_response())
}

/// Checks the names of scenarios a request gives (a plain `*.toml` of the folder, or
/// `builtin`).
fn bases(s: &AppState, keys: &[String], lang: Lang) -> Result<Vec<Base>, Refusal> {
    keys.iter()
        .map(|k| {
            let b = Base::parse(k);
            if let Base::File(f) = &b {
                scenario_file(&s.config.scenarios, f).map_err(|r| match r.status {
                    StatusCode::NOT_FOUND => {
                        Refusal::new(StatusCode::NOT_FOUND, m::no_such_scenario(lang, f))
                    }
                    _ => said(r, lang, f),
                })?;
            }
            Ok(b)
        })
        .collect()
}

/// `POST /api/runs`: queues a run (202 with its job), or says why not.
pub async fn start_run(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        let base = bases(&s, std::slice::from_ref(&r.scenario), lang)?.remove(0);
        let p = work::prepare_run(&s.config, &base, r.reps.as_ref(), lang)?;
        queue(&s, p)
    })
    .await
}

/// `POST /api/compare`: queues a comparison (202 with its job), or says why not.
pub async fn start_compare(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<CompareRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        if r.scenarios.len() > 4 * work::MAX_COMPARED {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                m::compare_count(lang, r.scenarios.len(), work::MAX_COMPARED),
            ));
        }
        if r.futures.len() > 4 * work::MAX_FUTURES {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                m::futures_count(lang, r.futures.len(), work::MAX_FUTURES),
            ));
        }
        let baseline = bases(&s, std::slice::from_ref(&r.baseline), lang)?.remove(0);
        let others = bases(&s, &r.scenarios, lang)?;
        let p = work::prepare_compare(
            &s.config,
            &baseline,
            &others,
            &r.futures,
            &r.name,
            r.reps.as_ref(),
            lang,
        )?;
        queue(&s, p)
    })
    .await
}

/// `GET /api/jobs/{id}`: a job's progress; a failed job answers with its failure's status
/// (500 for an internal error) and message; an id the studio does not know (or that is
/// no number) is a 404 in the page's language.
pub async fn job(
    State(s): State<AppState>,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<ApiQuery>,
) -> Response {
    let lang = lang_of(q.lang.as_deref(), None);
    let status = id.parse::<u64>().ok().and_then(|n| s.jobs.status(n));
    match status {
        None => Refusal::new(StatusCode::NOT_FOUND, m::no_such_job(lang, &id)).into_response(),
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

/// `GET /api/outputs`: the jobs of this session and every output folder jeugdflow wrote.
pub async fn list_outputs(State(s): State<AppState>, Query(q): Query<ApiQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref(), None);
    let jobs = s.jobs.list();
    let out = s.config.out.clone();
    blocking(lang, move || {
        Ok(Json(json!({ "jobs": jobs, "outputs": outputs::list(&out, lang) })).into_response())
    })
    .await
}

/// What the page sends to remove an output.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveRequest {
    pub folder: String,
    #[serde(default)]
    pub lang: Option<String>,
}

impl Said for RemoveRequest {
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// `POST /api/outputs/remove`: removes an output folder, only one jeugdflow wrote of its
/// kind and nothing else (409 otherwise), and not while a job writes it.
pub async fn remove_output(
    State(s): State<AppState>,
    Query(q): Query<ApiQuery>,
    b: Result<Json<RemoveRequest>, JsonRejection>,
) -> Response {
    handle(q, b, move |r, lang| {
        let bad = || Refusal::new(StatusCode::NOT_FOUND, m::no_such_output(lang, &r.folder));
        check_name(&r.folder).map_err(|_| bad())?;
        let busy = s.jobs.list().into_iter().any(|j| {
            j.job.folder == r.folder && matches!(j.state, JobState::Queued | JobState::Running)
        });
        if busy {
            return Err(Refusal::new(StatusCode::CONFLICT, m::busy(lang, &r.folder)));
        }
        let o = outputs::list(&s.config.out, lang)
            .into_iter()
            .find(|o| o.folder == r.folder)
            .ok_or_else(bad)?;
        let dir = s.config.out.join(&o.folder);
        crate::report::output::remove(&dir, o.kind.kind()).map_err(|e| {
            Refusal::new(
                StatusCode::CONFLICT,
                m::not_ours(lang, &o.folder, &e.to_string()),
            )
        })?;
        Ok(Json(json!({ "removed": o.folder })).into_response())
    })
    .await
}

/// `?scenario=` of the plan.
#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    pub scenario: String,
    pub lang: Option<String>,
}

/// `GET /api/plan?scenario=…`: a scenario's road (planned paths and timeline).
pub async fn road(State(s): State<AppState>, Query(q): Query<PlanQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref(), None);
    blocking(lang, move || {
        let base = bases(&s, std::slice::from_ref(&q.scenario), lang)?.remove(0);
        let l = work::load(&s.config.scenarios, &base, lang)?;
        Ok(Json(plan::plan(&l.model)).into_response())
    })
    .await
}
