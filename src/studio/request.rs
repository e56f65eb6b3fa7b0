//! The one way the studio's JSON endpoints take a request: the body read as its type
//! (a body that does not read is refused in the page's language — 400, 413 when too
//! large, 415 when not JSON — never with the parser's words), the language of the
//! answer (`?lang=`, else the body's `lang`, else English for a program without a page),
//! and the work done on the blocking pool, a refusal becoming its answer and a panic a
//! 500 that names itself a bug.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::messages as m;
use super::safety::Refusal;
use super::texts;
use crate::report::lang::Lang;

/// `?lang=` of an API call.
#[derive(Debug, Default, Deserialize)]
pub struct ApiQuery {
    pub lang: Option<String>,
}

/// A request body that may say its language.
pub trait Said {
    /// `nl` or `en`, if the body says.
    fn lang(&self) -> Option<&str>;
}

/// The language of an answer: the query's, else the body's, else Dutch (the pages'
/// and `jeugdflow run`'s default, so a run asked for without a language writes the same
/// files as the command line).
pub fn lang_of(query: Option<&str>, body: Option<&str>) -> Lang {
    texts::parse(query.or(body))
}

/// The body, or why it cannot be read, in `lang`.
pub fn body<T>(b: Result<Json<T>, JsonRejection>, lang: Lang) -> Result<T, Refusal> {
    b.map(|Json(t)| t).map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            m::too_large(lang, super::MAX_BODY / 1024),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, m::bad_request(lang))
        }
        _ => Refusal::new(StatusCode::BAD_REQUEST, m::bad_request(lang)),
    })
}

/// Runs `work` on the blocking pool: its answer, its refusal as the answer, or a 500 when
/// it panicked.
pub async fn blocking<F>(lang: Lang, work: F) -> Response
where
    F: FnOnce() -> Result<Response, Refusal> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => e.into_response(),
        Err(e) => Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            m::internal(lang, &e.to_string()),
        )
        .into_response(),
    }
}

/// Reads body `b` of an endpoint called with `query`'s language and runs `work` with it
/// and the answer's language on the blocking pool (see [`blocking`]).
pub async fn handle<T, F>(query: ApiQuery, b: Result<Json<T>, JsonRejection>, work: F) -> Response
where
    T: Said + Send + 'static,
    F: FnOnce(T, Lang) -> Result<Response, Refusal> + Send + 'static,
{
    let early = lang_of(query.lang.as_deref(), None);
    let t = match body(b, early) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let lang = lang_of(query.lang.as_deref(), t.lang());
    blocking(lang, move || work(t, lang)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_s_language_then_the_body_s_then_dutch() {
        assert_eq!(lang_of(Some("nl"), Some("en")), Lang::Nl);
        assert_eq!(lang_of(None, Some("en")), Lang::En);
        assert_eq!(lang_of(None, None), Lang::Nl);
    }
}
