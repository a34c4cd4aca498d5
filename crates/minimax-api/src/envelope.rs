//! The common response envelope: `base_resp` (checked even on HTTP 200) and the newer
//! `{"type":"error","error":{"type","message":"… (NNNN)","http_code"},"request_id"}` shape
//! (minimax-api.md §1.5).

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Error, ErrorKind, RawBody};
use crate::reset_time::parse_reset_time;

/// Bodies up to this size are searched for an error shape even when they decoded as a success.
const SMALL_BODY_BYTES: usize = 64 * 1024;

/// `base_resp` of a native MiniMax response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseResp {
    /// 0 = success; anything else is an error (§8).
    #[serde(default)]
    pub status_code: i64,
    /// Human text (`""` on streamed chunks).
    #[serde(default)]
    pub status_msg: String,
}

/// Implemented by every wire response that carries `base_resp`.
pub(crate) trait Enveloped {
    /// The `base_resp` of the body, when present.
    fn base_resp(&self) -> Option<&BaseResp>;
}

/// Implements [`Enveloped`] for structs with a `base_resp: Option<BaseResp>` field.
macro_rules! enveloped {
    ($($ty:ident $(<$lt:lifetime>)?),* $(,)?) => {$(
        impl $(<$lt>)? $crate::envelope::Enveloped for $ty $(<$lt>)? {
            fn base_resp(&self) -> Option<&$crate::envelope::BaseResp> {
                self.base_resp.as_ref()
            }
        }
    )*};
}
pub(crate) use enveloped;

/// A response that carries MiniMax's trace id (for support requests) in a `trace_id: Option<String>` field.
pub(crate) trait Traced {
    /// The trace id field, so the `Trace-Id` header can take precedence over the body's copy.
    fn trace_id_mut(&mut self) -> &mut Option<String>;
}

/// Implements [`Enveloped`] and [`Traced`] for structs with `base_resp` and `trace_id` fields.
macro_rules! enveloped_and_traced {
    ($($ty:ident),* $(,)?) => {$(
        $crate::envelope::enveloped!($ty);
        impl $crate::envelope::Traced for $ty {
            fn trace_id_mut(&mut self) -> &mut Option<String> {
                &mut self.trace_id
            }
        }
    )*};
}
pub(crate) use enveloped_and_traced;

/// Decodes a whole reply with [`decode_body`] and keeps the `Trace-Id` header over the body's `trace_id`.
pub(crate) fn decode_reply<'r, T>(endpoint: &str, reply: &'r crate::transport::Reply) -> Result<T, Error>
where
    T: Deserialize<'r> + Enveloped + Traced,
{
    let mut value: T = decode_body(endpoint, &reply.body, reply.status, reply.trace_id.as_deref())?;
    if let Some(header) = &reply.trace_id {
        *value.trace_id_mut() = Some(header.clone());
    }
    Ok(value)
}

/// The `error` object of the `{"type":"error"}` shape.
#[derive(Debug, Deserialize)]
struct ErrorObject {
    #[serde(rename = "type", default)]
    error_type: Option<String>,
    #[serde(default)]
    message: String,
}

/// Only the fields needed to recognise an error, whatever else the body holds.
#[derive(Debug, Deserialize)]
struct ErrorEnvelope {
    #[serde(default)]
    base_resp: Option<BaseResp>,
    #[serde(default)]
    error: Option<ErrorObject>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}

/// Builds the [`ApiError`] for a non-zero `base_resp`.
pub(crate) fn api_error_from_base(base: &BaseResp, http_status: u16, trace_id: Option<String>) -> Error {
    Error::Api(Box::new(ApiError {
        code: Some(base.status_code),
        message: base.status_msg.clone(),
        error_type: None,
        http_status,
        trace_id,
        reset_at: parse_reset_time(&base.status_msg),
        kind: ErrorKind::from_code_and_message(base.status_code, &base.status_msg),
    }))
}

/// Checks a decoded body's `base_resp`: `Ok` when absent or 0.
pub(crate) fn check_base_resp(
    base: Option<&BaseResp>,
    http_status: u16,
    trace_id: Option<&str>,
) -> Result<(), Error> {
    match base {
        Some(base) if base.status_code != 0 => {
            Err(api_error_from_base(base, http_status, trace_id.map(str::to_owned)))
        }
        _ => Ok(()),
    }
}

/// The trailing `(NNNN)` code of an error message, e.g. `"invalid params, invalid tool type: (2013)"`.
pub fn trailing_code(message: &str) -> Option<i64> {
    let trimmed = message.trim_end();
    let inner = trimmed.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let digits = &inner[open + 1..];
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Looks for a MiniMax error in a body of either shape. `None` when the body is not JSON or holds no
/// error (a `base_resp` with code 0 counts as no error).
pub(crate) fn find_api_error(body: &[u8], http_status: u16, header_trace: Option<&str>) -> Option<Error> {
    let envelope: ErrorEnvelope = serde_json::from_slice(body).ok()?;
    let trace_id = header_trace.map(str::to_owned).or(envelope.trace_id).or(envelope.request_id);
    if let Some(error) = envelope.error {
        let code = trailing_code(&error.message);
        let kind = match code {
            Some(code) if ErrorKind::from_code(code) != ErrorKind::Unknown => {
                ErrorKind::from_code_and_message(code, &error.message)
            }
            _ => kind_of_error_type(error.error_type.as_deref(), http_status),
        };
        return Some(Error::Api(Box::new(ApiError {
            code,
            reset_at: parse_reset_time(&error.message),
            message: error.message,
            error_type: error.error_type,
            http_status,
            trace_id,
            kind,
        })));
    }
    match envelope.base_resp {
        Some(base) if base.status_code != 0 => Some(api_error_from_base(&base, http_status, trace_id)),
        _ => None,
    }
}

/// The kind of an Anthropic/OpenAI-style `error.type` (§2.3), falling back to the HTTP status.
fn kind_of_error_type(error_type: Option<&str>, http_status: u16) -> ErrorKind {
    match error_type {
        // `authorized_error` is the V2 video spelling (minimax-api-2026.md §3.7).
        Some("authentication_error" | "authorized_error") => ErrorKind::Unauthorized,
        Some("permission_error") => ErrorKind::Unauthorized,
        Some("rate_limit_error") => ErrorKind::RateLimited,
        Some("overloaded_error") => ErrorKind::Overloaded,
        Some("invalid_request_error" | "bad_request_error" | "request_too_large") => ErrorKind::InvalidParams,
        Some("not_found_error") => ErrorKind::NotFound,
        Some("insufficient_balance_error") => ErrorKind::InsufficientBalance,
        Some("unprocessable_entity_error") => ErrorKind::ContentFlagged,
        Some("server_error") => ErrorKind::ServerError,
        Some("api_error") => ErrorKind::ServerError,
        _ => ErrorKind::from_http_status(http_status),
    }
}

/// The error for a non-2xx answer: a MiniMax error if the body has one, else a plain HTTP error.
pub(crate) fn http_failure(endpoint: &str, status: u16, trace_id: Option<&str>, body: &[u8]) -> Error {
    find_api_error(body, status, trace_id).unwrap_or_else(|| Error::Http {
        endpoint: endpoint.to_owned(),
        status,
        trace_id: trace_id.map(str::to_owned),
        body: RawBody::from_bytes(body),
    })
}

/// Decodes a 2xx body into `T` (borrowing from `body` where `T` allows) and checks `base_resp`.
/// When `T` does not fit, the body is searched for an error of either shape before reporting a decode
/// error, so error bodies that lack the success fields still surface as API errors.
pub(crate) fn decode_body<'a, T>(
    endpoint: &str,
    body: &'a [u8],
    http_status: u16,
    trace_id: Option<&str>,
) -> Result<T, Error>
where
    T: Deserialize<'a> + Enveloped,
{
    match serde_json::from_slice::<T>(body) {
        Ok(value) => {
            check_base_resp(value.base_resp(), http_status, trace_id)?;
            // Without `base_resp`, a small body may still be an error of the other shape that happened to
            // fit `T` (every field optional). Media answers are large and always carry `base_resp`.
            if value.base_resp().is_none()
                && body.len() <= SMALL_BODY_BYTES
                && let Some(error) = find_api_error(body, http_status, trace_id)
            {
                return Err(error);
            }
            Ok(value)
        }
        Err(decode_error) => {
            Err(find_api_error(body, http_status, trace_id).unwrap_or_else(|| Error::Decode {
                endpoint: endpoint.to_owned(),
                reason: decode_error.to_string(),
                trace_id: trace_id.map(str::to_owned),
                body: RawBody::from_bytes(body),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_codes() {
        assert_eq!(trailing_code("invalid params, invalid tool type: (2013)"), Some(2013));
        assert_eq!(trailing_code("resets at 2026-05-15T15:00:00Z (2056) "), Some(2056));
        assert_eq!(trailing_code("unknown error, 999 (1000)"), Some(1000));
        assert_eq!(trailing_code("Starter (0/0 used)"), None);
        assert_eq!(trailing_code("no code"), None);
        assert_eq!(trailing_code("()"), None);
    }

    #[test]
    fn anthropic_error_shape_with_code_and_reset() {
        let body = br#"{"type":"error","error":{"type":"rate_limit_error","message":"usage limit exceeded, 5-hour usage limit reached for Token Plan Starter (0/0 used), resets at 2026-05-15T15:00:00Z (2056)"},"request_id":"req-1"}"#;
        let error = find_api_error(body, 429, None).expect("error");
        assert_eq!(error.kind(), ErrorKind::QuotaExhausted);
        assert_eq!(error.code(), Some(2056));
        assert_eq!(error.trace_id(), Some("req-1"));
        assert_eq!(error.reset_at().map(|r| r.epoch_ms), Some(1_778_857_200_000));
        assert!(!error.retryable());
    }

    #[test]
    fn error_type_without_code_uses_the_type() {
        let body = br#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#;
        let error = find_api_error(body, 529, Some("t")).expect("error");
        assert_eq!(error.kind(), ErrorKind::Overloaded);
        assert!(error.retryable());
        assert_eq!(error.trace_id(), Some("t"));
    }

    #[derive(Debug, Deserialize)]
    struct Lenient {
        #[serde(default)]
        base_resp: Option<BaseResp>,
    }
    enveloped!(Lenient);

    #[test]
    fn an_error_shape_that_fits_a_lenient_type_is_still_an_error() {
        let body = br#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down (1002)"}}"#;
        let error = decode_body::<Lenient>("/x", body, 200, None).unwrap_err();
        assert_eq!(error.code(), Some(1002));
        assert!(decode_body::<Lenient>("/x", b"{}", 200, None).is_ok());
    }

    #[test]
    fn zero_base_resp_is_no_error() {
        assert!(
            find_api_error(br#"{"base_resp":{"status_code":0,"status_msg":"success"}}"#, 200, None).is_none()
        );
        assert!(find_api_error(b"not json", 200, None).is_none());
    }

    mod properties {
        use super::*;
        use crate::json_strategies::{json_value, object_with};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn no_body_makes_the_error_parser_panic(body in proptest::collection::vec(any::<u8>(), 0..400), status in 100u16..600) {
                let _ = find_api_error(&body, status, None);
                let _ = http_failure("/x", status, Some("t"), &body);
                let _ = decode_body::<Lenient>("/x", &body, status, None);
            }

            #[test]
            fn no_json_makes_the_error_parser_panic(value in json_value(), status in 100u16..600) {
                let body = value.to_string();
                let _ = find_api_error(body.as_bytes(), status, None);
                let _ = decode_body::<Lenient>("/x", body.as_bytes(), status, None);
            }

            #[test]
            fn error_shaped_objects_never_panic(error in object_with(&["type", "message", "http_code"]),
                                                base in object_with(&["status_code", "status_msg"]),
                                                status in 100u16..600) {
                let body = serde_json::json!({ "type": "error", "error": error, "base_resp": base, "request_id": "r" }).to_string();
                let _ = find_api_error(body.as_bytes(), status, None);
            }

            #[test]
            fn any_message_ending_in_a_code_keeps_the_code(message in "[ -~]{0,80}", code in 0i64..100_000_000) {
                let message = format!("{message} ({code})");
                prop_assert_eq!(trailing_code(&message), Some(code));
                let body = serde_json::json!({ "type": "error", "error": { "type": "bad_request_error", "message": message } });
                let error = find_api_error(body.to_string().as_bytes(), 400, None).expect("an error");
                prop_assert_eq!(error.code(), Some(code));
            }

            #[test]
            fn any_trailing_text_is_read_without_panicking(message in "\\PC{0,60}") {
                let _ = trailing_code(&message);
            }

            #[test]
            fn a_non_zero_base_resp_is_always_an_api_error(code in any::<i64>().prop_filter("non-zero", |c| *c != 0), msg in "\\PC{0,40}") {
                let body = serde_json::json!({ "base_resp": { "status_code": code, "status_msg": msg } }).to_string();
                let error = decode_body::<Lenient>("/x", body.as_bytes(), 200, None).expect_err("an error");
                prop_assert_eq!(error.code(), Some(code));
            }
        }
    }
}
