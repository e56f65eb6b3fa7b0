//! What keeps the studio safe to leave running: the token (401 without it), the Host check
//! that stops other web sites from reaching a loopback studio, the paths a request may
//! name (only inside the scenarios and output folders; `..`, absolute paths, encoded
//! variants and symlinks leading out are refused). Output folders are replaced and
//! removed only by the output rule ([`crate::report::output::claim`]).

use std::path::{Component, Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::messages as m;
use crate::report::lang::Lang;

/// The cookie that carries the token once a browser has shown it in `?token=`.
pub const TOKEN_COOKIE: &str = "jeugdflow_token";

/// A request refused, with its status and a message for the person who sent it, and
/// the field of the page it is about (the page shows it there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
    pub field: Option<&'static str>,
}

impl Refusal {
    /// A refusal with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
            field: None,
        }
    }

    /// The same refusal, about the page's field `field`.
    pub fn on(mut self, field: &'static str) -> Refusal {
        self.field = Some(field);
        self
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message, "field": self.field });
        (self.status, axum::Json(body)).into_response()
    }
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token a request carries: `Authorization: Bearer T`, `?token=T` or the cookie.
/// Returns the token and whether it came from the query (then it is set as a cookie).
fn presented(req: &Request) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let headers = req.headers();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        out.push((t.trim().to_string(), false));
    }
    if let Some(q) = req.uri().query() {
        for (k, v) in form_urlencoded(q) {
            if k == "token" {
                out.push((v, true));
            }
        }
    }
    for v in headers.get_all(header::COOKIE) {
        for c in v.to_str().unwrap_or("").split(';') {
            if let Some((k, v)) = c.trim().split_once('=')
                && k == TOKEN_COOKIE
            {
                out.push((v.to_string(), false));
            }
        }
    }
    out
}

/// The pairs of a query string, percent-decoded.
fn form_urlencoded(q: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default()
}

/// Whether the Host header names this loopback studio (`127.0.0.1`, `localhost` or
/// `[::1]`, with its port): a page of another site that rebinds its name to 127.0.0.1 sends
/// its own name and is refused.
fn loopback_host(host: &str, port: u16) -> bool {
    let (name, p) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && p.chars().all(|c| c.is_ascii_digit()) => {
            (n, p.parse::<u16>().ok())
        }
        _ => (host, None),
    };
    let name_ok = matches!(name, "127.0.0.1" | "localhost" | "[::1]");
    name_ok && p.is_none_or(|p| p == port)
}

/// The middleware in front of every route: with a token, every request must carry it
/// (401 otherwise); without one (loopback only), the Host must be this studio's (403).
/// Adds headers that keep pages out of other sites' frames and stop content sniffing.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut set_cookie = None;
    if let Some(token) = &state.config.token {
        let ok = presented(&req)
            .into_iter()
            .find(|(t, _)| same_secret(t.as_bytes(), token.as_bytes()));
        match ok {
            None => {
                return (
                    StatusCode::UNAUTHORIZED,
                    [(header::WWW_AUTHENTICATE, "Bearer")],
                    m::token_needed(),
                )
                    .into_response();
            }
            Some((_, from_query)) => {
                if from_query {
                    set_cookie = Some(format!(
                        "{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
                    ));
                }
            }
        }
    } else {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !loopback_host(host, state.port()) {
            return Refusal::new(StatusCode::FORBIDDEN, m::wrong_host(host)).into_response();
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.append(header::SET_COOKIE, c);
    }
    res
}

/// A refusal of [`resolve`], [`check_raw_path`] or the editor's `scenario_file` about
/// `path`, said in `lang` (their own words are for tests and logs).
pub fn said(r: Refusal, lang: Lang, path: &str) -> Refusal {
    let message = match r.status {
        StatusCode::NOT_FOUND => m::no_such_file(lang, path),
        StatusCode::FORBIDDEN => m::leads_out(lang, path),
        StatusCode::BAD_REQUEST => m::bad_path(lang, path),
        _ => return r,
    };
    Refusal { message, ..r }
}

/// Refuses a raw request path with percent-encoded dots, slashes, backslashes or NUL
/// (`%2e%2e`, `%2f`, `%5c`, `%00`): nothing the studio serves needs them.
pub fn check_raw_path(raw: &str) -> Result<(), Refusal> {
    let lower = raw.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c", "%00"]
        .iter()
        .any(|e| lower.contains(e))
    {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "encoded dots, slashes or backslashes are not allowed in a path",
        ));
    }
    Ok(())
}

/// Resolves `rel` (from a request) inside `root`: only plain names separated by `/`; no
/// `..`, `.`, empty parts, hidden names, backslashes or absolute paths (400); a path that
/// leaves `root` through a symlink is refused with 403; a missing file is 404.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, Refusal> {
    let bad = |why: &str| Err(Refusal::new(StatusCode::BAD_REQUEST, why.to_string()));
    if rel.is_empty() {
        return bad("a file name is needed");
    }
    if rel.starts_with('/') || Path::new(rel).is_absolute() {
        return bad("absolute paths are not allowed");
    }
    if rel.contains('\\') || rel.contains('\0') {
        return bad("backslashes are not allowed in a path");
    }
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return bad("'..', '.' and empty parts are not allowed in a path");
        }
        if part.starts_with('.') {
            return bad("hidden files are not served");
        }
    }
    if Path::new(rel)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return bad("only plain names are allowed in a path");
    }
    let path = root.join(rel);
    let not_found = || Refusal::new(StatusCode::NOT_FOUND, format!("'{rel}' does not exist"));
    let real = path.canonicalize().map_err(|_| not_found())?;
    let real_root = root.canonicalize().map_err(|_| not_found())?;
    if !real.starts_with(&real_root) {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            format!("'{rel}' leads out of the folder the studio serves"),
        ));
    }
    Ok(real)
}

/// Checks that `name` can name a file or folder of the studio: 1 to 64 ASCII letters,
/// digits, `-` and `_`, starting with a letter or digit.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{name}\" cannot be a name: use 1 to 64 letters, digits, - and _, starting with a letter or digit"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/report.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&root, "a/report.html").is_ok());
        for bad in [
            "../secret.txt",
            "a/../../secret.txt",
            "/etc/passwd",
            "a//report.html",
            "./a/report.html",
            "a\\report.html",
            ".hidden",
            "",
        ] {
            assert_eq!(
                resolve(&root, bad).unwrap_err().status,
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
        assert_eq!(
            resolve(&root, "a/nothing.html").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link")).unwrap();
            assert_eq!(
                resolve(&root, "link").unwrap_err().status,
                StatusCode::FORBIDDEN
            );
        }
        assert!(check_raw_path("/out/a/report.html").is_ok());
        for raw in ["/out/%2e%2e/x", "/out/%2E%2e/x", "/out/a%2fb", "/out/a%5Cb"] {
            assert!(check_raw_path(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn hosts_and_names_and_secrets() {
        assert!(loopback_host("127.0.0.1:8080", 8080));
        assert!(loopback_host("localhost:8080", 8080));
        assert!(loopback_host("[::1]:8080", 8080));
        assert!(loopback_host("localhost", 8080));
        assert!(!loopback_host("127.0.0.1:9999", 8080));
        assert!(!loopback_host("evil.example:8080", 8080));
        assert!(!loopback_host("", 8080));
        assert!(check_name("mijn-strategie_2").is_ok());
        for bad in ["", "../x", "a b", "-x", "x.toml", &"a".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}
