//! The shapes MiniMax answers with: the `base_resp` envelope (HTTP 200 even on errors), the newer
//! `{"type":"error"}` body with the code in parentheses, and what the request log learns from each response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

/// How a request ended, attached to every response so the request log can record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OutcomeKind {
    /// Served successfully.
    Ok,
    /// Rejected by request validation (`2013`).
    Validation,
    /// Rejected by the key check (`1004`, `2049`).
    Auth,
    /// Rejected by the Token Plan quota (`2056`).
    Quota,
    /// Answered by an injected fault.
    Fault,
    /// A well-formed request the simulator cannot serve (e.g. an unknown task id, a format it cannot synthesize).
    Error,
    /// The client closed the connection before the response was ready (e.g. it timed out during a `slow`
    /// fault). Logged with HTTP status 0 so tests can still count what arrived.
    Abandoned,
}

/// What a handler reports about its response, read back by the request-log middleware.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The kind of ending.
    pub kind: OutcomeKind,
    /// `base_resp.status_code` (or the code in an error body), 0 on success.
    pub status_code: i64,
    /// The field a validation failure named.
    pub field: Option<String>,
    /// The message sent to the client.
    pub message: String,
}

impl Outcome {
    /// A successful outcome.
    pub fn ok() -> Self {
        Self { kind: OutcomeKind::Ok, status_code: 0, field: None, message: "success".to_owned() }
    }
}

/// The success `base_resp`.
pub fn base_ok() -> Value {
    json!({ "status_code": 0, "status_msg": "success" })
}

/// Wraps a successful JSON body with its outcome.
pub fn ok_json(body: Value) -> Response {
    let mut response = Json(body).into_response();
    response.extensions_mut().insert(Outcome::ok());
    response
}

/// A MiniMax error as the simulator sends it.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// `2013 invalid params` naming the offending field.
    Invalid {
        /// Dotted path of the field, e.g. `voice_setting.speed`.
        field: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// A key problem: `1004` (missing key, or no plan) or `2049` (invalid key).
    Auth {
        /// `1004` or `2049`.
        code: i64,
        /// The documented message.
        message: String,
    },
    /// `2056`: the Token Plan window is used up; the message carries the reset time.
    Quota {
        /// The message, ending in "resets at <ISO 8601 time>".
        message: String,
        /// Send it as HTTP 429 with the `{"type":"error"}` body (OpenAI-compatible endpoint) instead of
        /// HTTP 200 with `base_resp`.
        http: bool,
    },
    /// An error in the OpenAI-style body with a real HTTP status (Video V2, minimax-api-2026.md §3.7).
    Http {
        /// The HTTP status.
        status: u16,
        /// `error.type`, e.g. `bad_request_error`.
        error_type: &'static str,
        /// The MiniMax code appended to the message.
        code: i64,
        /// The message (without the code).
        message: String,
        /// How the log should classify it.
        kind: OutcomeKind,
        /// The field a validation failure named.
        field: Option<String>,
    },
    /// Any other `base_resp` error.
    Base {
        /// The status code.
        code: i64,
        /// The status message.
        message: String,
        /// How the log should classify it.
        kind: OutcomeKind,
    },
}

impl ApiError {
    /// A `2013` naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), reason: reason.into() }
    }

    /// A `base_resp` error the simulator cannot serve otherwise (unknown id, unsupported format).
    pub fn other(code: i64, message: impl Into<String>) -> Self {
        Self::Base { code, message: message.into(), kind: OutcomeKind::Error }
    }
}

/// The HTTP status and `error.type` Video V2 uses for a MiniMax code (minimax-api-2026.md §3.7).
pub fn v2_status_of(code: i64) -> (u16, &'static str) {
    match code {
        1004 | 2049 => (401, "authorized_error"),
        1008 => (402, "insufficient_balance_error"),
        1026 | 1027 => (422, "unprocessable_entity_error"),
        1002 | 2045 | 2056 => (429, "rate_limit_error"),
        1000 | 1001 | 1013 | 1024 | 1033 => (500, "server_error"),
        _ => (400, "bad_request_error"),
    }
}

impl ApiError {
    /// The same error in the Video V2 shape: a real HTTP status and the OpenAI-style body.
    pub fn into_v2(self) -> ApiError {
        let http = |code: i64, message: String, kind: OutcomeKind, field: Option<String>| {
            let (status, error_type) = v2_status_of(code);
            ApiError::Http { status, error_type, code, message, kind, field }
        };
        match self {
            ApiError::Invalid { field, reason } => {
                http(2013, format!("invalid params, {field}: {reason}"), OutcomeKind::Validation, Some(field))
            }
            ApiError::Auth { code, message } => http(code, message, OutcomeKind::Auth, None),
            ApiError::Quota { message, .. } => http(2056, message, OutcomeKind::Quota, None),
            ApiError::Base { code, message, kind } => http(code, message, kind, None),
            already @ ApiError::Http { .. } => already,
        }
    }
}

/// The `{"type":"error"}` body of the newer surfaces, the MiniMax code appended in parentheses.
pub fn error_body(error_type: &str, message: &str, code: i64, http: u16) -> Value {
    json!({
        "type": "error",
        "error": { "type": error_type, "message": format!("{message} ({code})"), "http_code": http.to_string() },
        "request_id": crate::ids::request_trace_id(),
    })
}

/// An error body: `data: null` (the T2A spec tells clients to null-check it), a trace id and `base_resp`
/// set to `code`/`message`.
pub fn base_error_body(code: i64, message: &str) -> Value {
    json!({ "data": null, "trace_id": crate::ids::request_trace_id(),
            "base_resp": { "status_code": code, "status_msg": message } })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (mut response, outcome) = match self {
            ApiError::Invalid { field, reason } => {
                let message = format!("invalid params, {field}: {reason}");
                let response = Json(base_error_body(2013, &message)).into_response();
                (
                    response,
                    Outcome { kind: OutcomeKind::Validation, status_code: 2013, field: Some(field), message },
                )
            }
            ApiError::Auth { code, message } => (
                Json(base_error_body(code, &message)).into_response(),
                Outcome { kind: OutcomeKind::Auth, status_code: code, field: None, message },
            ),
            ApiError::Quota { message, http } => {
                let response = if http {
                    let body = error_body("rate_limit_error", &message, 2056, 429);
                    (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response()
                } else {
                    Json(base_error_body(2056, &message)).into_response()
                };
                (response, Outcome { kind: OutcomeKind::Quota, status_code: 2056, field: None, message })
            }
            ApiError::Http { status, error_type, code, message, kind, field } => {
                let body = error_body(error_type, &message, code, status);
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
                ((status, Json(body)).into_response(), Outcome { kind, status_code: code, field, message })
            }
            ApiError::Base { code, message, kind } => (
                Json(base_error_body(code, &message)).into_response(),
                Outcome { kind, status_code: code, field: None, message },
            ),
        };
        response.extensions_mut().insert(outcome);
        response
    }
}

/// The result of a route handler.
pub type ApiResult = std::result::Result<Response, ApiError>;
