//! Errors of the MiniMax client: transport, HTTP status, API (`base_resp` / `{"type":"error"}`), decode,
//! validation — each with a [`ErrorKind`] the app switches on and a [`Error::retryable`] flag.

use std::fmt;

use crate::reset_time::ResetTime;
use crate::validation::ValidationError;

/// The `endpoint` of errors about a direct download of a URL (`files().download_to`).
pub(crate) const DOWNLOAD_ENDPOINT: &str = "download";

/// How much of a raw body is shown by `Display` (the whole body is kept in the error).
const BODY_PREVIEW_CHARS: usize = 300;

/// What went wrong, in the closed set of categories the app acts on. Every code of minimax-api.md §8
/// maps to one of these ([`ErrorKind::from_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 2049: the key is not valid (also what a key from the other region gets).
    InvalidApiKey,
    /// 1004 / HTTP 401/403: not authorized — wrong key, wrong region, or no active plan.
    Unauthorized,
    /// 2056 (plan window used up) or 1028/1030 (daily quota): wait for the reset.
    QuotaExhausted,
    /// 1002 / 2045 / HTTP 429: too many requests; retry with backoff.
    RateLimited,
    /// 1039: tokens-per-minute limit; retry after waiting or reduce `max_tokens`.
    TokenLimit,
    /// 1041: too many parallel connections/tasks.
    ConcurrencyLimit,
    /// 1008: the account balance is insufficient.
    InsufficientBalance,
    /// 1026 (input) / 1027 (output): content flagged by moderation; change the input.
    ContentFlagged,
    /// 2013 / 1042 / HTTP 400/413/422: the server rejected the parameters.
    InvalidParams,
    /// 20132, 2037, 2038, 2039, 2042, 2048, 1043, 1044: a voice (clone) rule was broken.
    Voice,
    /// Not in your plan: 2061 ("your current token plan not support model", e.g. music on a key without
    /// music access), or a 2013 that says the Token Plan or credits do not support the model (H3 on a
    /// legacy plan key, minimax-api-2026.md §3.1). Mark the model unavailable for this key and offer a
    /// pay-as-you-go key; never resubmit automatically.
    ModelNotInPlan,
    /// HTTP 404.
    NotFound,
    /// 1000 / 1013 / 1024 / 1033 / HTTP 500/502/503: a server-side failure; retryable.
    ServerError,
    /// HTTP 529: overloaded; retryable.
    Overloaded,
    /// 1001 / HTTP 408/504 / a read timeout: the call took too long.
    Timeout,
    /// The connection could not be opened or broke; nothing was created.
    Network,
    /// A paid call's request was sent but its answer was lost (timeout, cut connection, gateway
    /// timeout): the task may exist and be billed. Never retried automatically.
    OutcomeUnknown,
    /// The answer could not be decoded (malformed JSON, truncated hex, unexpected shape).
    Decode,
    /// A request was rejected locally before sending.
    Validation,
    /// The configuration is unusable.
    Config,
    /// A download link (`download_url`, a media URL) was refused with HTTP 401/403/410: pre-signed links
    /// expire (video 1 h, async speech 9 h, media 24 h, minimax-api.md §7). Not the API key's fault and not
    /// retryable as is: retrieve the file again for a fresh link.
    LinkExpired,
    /// Writing a download to its destination failed.
    Io,
    /// A code or status this client does not know.
    Unknown,
}

impl ErrorKind {
    /// The kind of a MiniMax status code (minimax-api.md §8).
    pub fn from_code(code: i64) -> ErrorKind {
        match code {
            2049 => ErrorKind::InvalidApiKey,
            1004 => ErrorKind::Unauthorized,
            2056 | 1028 | 1030 => ErrorKind::QuotaExhausted,
            1002 | 2045 => ErrorKind::RateLimited,
            1039 => ErrorKind::TokenLimit,
            1041 => ErrorKind::ConcurrencyLimit,
            1008 => ErrorKind::InsufficientBalance,
            1026 | 1027 => ErrorKind::ContentFlagged,
            2013 | 1042 => ErrorKind::InvalidParams,
            20132 | 2037 | 2038 | 2039 | 2042 | 2048 | 1043 | 1044 => ErrorKind::Voice,
            2061 => ErrorKind::ModelNotInPlan,
            1000 | 1013 | 1024 | 1033 => ErrorKind::ServerError,
            1001 => ErrorKind::Timeout,
            _ => ErrorKind::Unknown,
        }
    }

    /// The kind of a code read together with its message: a `2013` whose message says the Token Plan or
    /// credits do not support the model is [`ErrorKind::ModelNotInPlan`] (the official CLI skill's rule for
    /// H3; the exact server text is undocumented, so the match is loose: "TokenPlan", "Token Plan",
    /// "credit" or "subscription", any case).
    pub fn from_code_and_message(code: i64, message: &str) -> ErrorKind {
        if code == 2013 && says_plan_does_not_cover(message) {
            return ErrorKind::ModelNotInPlan;
        }
        ErrorKind::from_code(code)
    }

    /// The kind of an HTTP status that came without a MiniMax code.
    pub fn from_http_status(status: u16) -> ErrorKind {
        match status {
            400 | 413 | 422 => ErrorKind::InvalidParams,
            401 | 403 => ErrorKind::Unauthorized,
            402 => ErrorKind::InsufficientBalance,
            404 => ErrorKind::NotFound,
            408 | 504 => ErrorKind::Timeout,
            429 => ErrorKind::RateLimited,
            500 | 502 | 503 => ErrorKind::ServerError,
            529 => ErrorKind::Overloaded,
            _ => ErrorKind::Unknown,
        }
    }

    /// Whether a failure of this kind is worth retrying with backoff. Follows minimax-api.md §12:
    /// 1000/1001/1002/1013/1024/1033/1039/2045 and HTTP 429/500/529 (plus 502/503 gateways and
    /// connection failures). Quota exhaustion (2056) is not: its reset is hours away.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited
                | ErrorKind::TokenLimit
                | ErrorKind::ServerError
                | ErrorKind::Overloaded
                | ErrorKind::Timeout
                | ErrorKind::Network
        )
    }
}

/// Whether a message blames the plan or the credits rather than a parameter.
fn says_plan_does_not_cover(message: &str) -> bool {
    let squeezed: String = message
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect::<String>()
        .to_lowercase();
    ["tokenplan", "credit", "subscription"].iter().any(|word| squeezed.contains(word))
}

/// An error reported by MiniMax itself, from `base_resp` or from the `{"type":"error"}` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The MiniMax status code (`base_resp.status_code`, or the trailing `(NNNN)` of `error.message`).
    pub code: Option<i64>,
    /// The human message (`status_msg` or `error.message`).
    pub message: String,
    /// `error.type` of the `{"type":"error"}` shape (e.g. `rate_limit_error`).
    pub error_type: Option<String>,
    /// The HTTP status the error came with (200 for `base_resp` errors).
    pub http_status: u16,
    /// The `Trace-Id` header or `trace_id`/`request_id` body field, for support requests.
    pub trace_id: Option<String>,
    /// When a quota error says when the window resets (`resets at <ISO time>`).
    pub reset_at: Option<ResetTime>,
    /// The category.
    pub kind: ErrorKind,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "MiniMax error {code}: {}", self.message)?,
            None => write!(f, "MiniMax error (HTTP {}): {}", self.http_status, self.message)?,
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace {trace}]")?;
        }
        Ok(())
    }
}

/// A response body kept for diagnosis; `Display` shows only its start.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(pub String);

impl RawBody {
    /// Keeps a body (lossily converted to UTF-8).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        RawBody(String::from_utf8_lossy(bytes).into_owned())
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut preview: String = self.0.chars().take(BODY_PREVIEW_CHARS).collect();
        if preview.len() < self.0.len() {
            preview.push_str(&format!("… ({} bytes)", self.0.len()));
        }
        f.write_str(&preview)
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({:?})", self.to_string())
    }
}

/// Everything that can go wrong when calling MiniMax.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is unusable.
    #[error("invalid configuration {field}: {reason}")]
    InvalidConfig {
        /// The offending field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A request broke a documented limit and was not sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The request could not be sent or its answer not received (connect failure, timeout, cut).
    #[error("network error calling {endpoint}: {source}")]
    Transport {
        /// The path called.
        endpoint: String,
        /// `Network` or `Timeout`.
        kind: ErrorKind,
        /// What reqwest said.
        #[source]
        source: reqwest::Error,
    },
    /// A streamed answer or download went silent for longer than `read_timeout`.
    #[error("{endpoint} sent nothing for {after:?}")]
    Stalled {
        /// The path called.
        endpoint: String,
        /// The silence tolerated.
        after: std::time::Duration,
    },
    /// A paid call was sent but its answer was lost; the task may exist and be billed.
    /// Not retried: look for the task (history, remains) before submitting again.
    #[error(
        "outcome unknown for paid call {endpoint}: the request was sent but the answer was lost ({reason})"
    )]
    OutcomeUnknown {
        /// The path called.
        endpoint: String,
        /// What happened (timeout, connection cut, HTTP 504…).
        reason: String,
    },
    /// MiniMax answered with an error code.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A non-success HTTP status with a body that is not a MiniMax error shape.
    #[error("HTTP {status} from {endpoint}: {body}")]
    Http {
        /// The path called.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The `Trace-Id` header, if any.
        trace_id: Option<String>,
        /// The body as received.
        body: RawBody,
    },
    /// The body could not be decoded into the documented shape.
    #[error("cannot decode the answer of {endpoint}: {reason}; body: {body}")]
    Decode {
        /// The path called.
        endpoint: String,
        /// What was wrong.
        reason: String,
        /// The `Trace-Id` header, if any.
        trace_id: Option<String>,
        /// The body (or the offending event) as received.
        body: RawBody,
    },
    /// Writing downloaded bytes failed.
    #[error("cannot write the download: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidConfig { .. } => ErrorKind::Config,
            Error::Validation(_) => ErrorKind::Validation,
            Error::Transport { kind, .. } => *kind,
            Error::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
            Error::Stalled { .. } => ErrorKind::Timeout,
            Error::Api(api) => api.kind,
            Error::Http { endpoint, status: 401 | 403 | 410, .. } if endpoint == DOWNLOAD_ENDPOINT => {
                ErrorKind::LinkExpired
            }
            Error::Http { status, .. } => ErrorKind::from_http_status(*status),
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Io(_) => ErrorKind::Io,
        }
    }

    /// Whether retrying the same call may succeed (never true for [`ErrorKind::OutcomeUnknown`]).
    pub fn retryable(&self) -> bool {
        self.kind().retryable()
    }

    /// The trace id to quote in a support request, when the server gave one.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.trace_id.as_deref(),
            Error::Http { trace_id, .. } | Error::Decode { trace_id, .. } => trace_id.as_deref(),
            _ => None,
        }
    }

    /// The MiniMax status code, when the error came from MiniMax.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(api) => api.code,
            _ => None,
        }
    }

    /// When the quota resets, for [`ErrorKind::QuotaExhausted`] errors whose message says so.
    pub fn reset_at(&self) -> Option<&ResetTime> {
        match self {
            Error::Api(api) => api.reset_at.as_ref(),
            _ => None,
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_kind_and_retry_flag() {
        let table: &[(i64, ErrorKind, bool)] = &[
            (1000, ErrorKind::ServerError, true),
            (1001, ErrorKind::Timeout, true),
            (1002, ErrorKind::RateLimited, true),
            (1004, ErrorKind::Unauthorized, false),
            (1008, ErrorKind::InsufficientBalance, false),
            (1013, ErrorKind::ServerError, true),
            (1024, ErrorKind::ServerError, true),
            (1026, ErrorKind::ContentFlagged, false),
            (1027, ErrorKind::ContentFlagged, false),
            (1028, ErrorKind::QuotaExhausted, false),
            (1030, ErrorKind::QuotaExhausted, false),
            (1033, ErrorKind::ServerError, true),
            (1039, ErrorKind::TokenLimit, true),
            (1041, ErrorKind::ConcurrencyLimit, false),
            (1042, ErrorKind::InvalidParams, false),
            (1043, ErrorKind::Voice, false),
            (1044, ErrorKind::Voice, false),
            (2013, ErrorKind::InvalidParams, false),
            (20132, ErrorKind::Voice, false),
            (2037, ErrorKind::Voice, false),
            (2038, ErrorKind::Voice, false),
            (2039, ErrorKind::Voice, false),
            (2042, ErrorKind::Voice, false),
            (2045, ErrorKind::RateLimited, true),
            (2048, ErrorKind::Voice, false),
            (2049, ErrorKind::InvalidApiKey, false),
            (2056, ErrorKind::QuotaExhausted, false),
            (2057, ErrorKind::Unknown, false),
            (2061, ErrorKind::ModelNotInPlan, false),
        ];
        for &(code, kind, retry) in table {
            assert_eq!(ErrorKind::from_code(code), kind, "code {code}");
            assert_eq!(kind.retryable(), retry, "code {code}");
        }
    }

    #[test]
    fn a_2013_that_blames_the_plan_is_not_in_plan() {
        let table = [
            (
                "invalid params, TokenPlan or Credit does not support model MiniMax-H3",
                ErrorKind::ModelNotInPlan,
            ),
            ("invalid params, your token plan does not support H3", ErrorKind::ModelNotInPlan),
            ("invalid params, credits cannot be used for MiniMax-H3", ErrorKind::ModelNotInPlan),
            ("invalid params, resolution 480P is not supported by MiniMax-H3", ErrorKind::InvalidParams),
            ("invalid params, content must include a non-empty text item", ErrorKind::InvalidParams),
        ];
        for (message, kind) in table {
            assert_eq!(ErrorKind::from_code_and_message(2013, message), kind, "{message}");
        }
        assert_eq!(ErrorKind::from_code_and_message(2061, "anything"), ErrorKind::ModelNotInPlan);
        assert_eq!(ErrorKind::from_code_and_message(2056, "Token Plan limit"), ErrorKind::QuotaExhausted);
    }

    #[test]
    fn http_statuses_map_like_the_docs() {
        assert_eq!(ErrorKind::from_http_status(429), ErrorKind::RateLimited);
        assert_eq!(ErrorKind::from_http_status(529), ErrorKind::Overloaded);
        assert!(ErrorKind::from_http_status(500).retryable());
        assert!(ErrorKind::from_http_status(529).retryable());
        assert!(!ErrorKind::from_http_status(401).retryable());
        assert!(!ErrorKind::OutcomeUnknown.retryable());
    }

    #[test]
    fn a_refused_download_link_is_expired_not_unauthorized() {
        let http = |endpoint: &str, status| Error::Http {
            endpoint: endpoint.to_owned(),
            status,
            trace_id: None,
            body: RawBody(String::new()),
        };
        assert_eq!(http(DOWNLOAD_ENDPOINT, 403).kind(), ErrorKind::LinkExpired);
        assert_eq!(http(DOWNLOAD_ENDPOINT, 410).kind(), ErrorKind::LinkExpired);
        assert!(!http(DOWNLOAD_ENDPOINT, 403).retryable());
        assert_eq!(http("/v1/files/retrieve", 403).kind(), ErrorKind::Unauthorized);
        assert_eq!(http(DOWNLOAD_ENDPOINT, 500).kind(), ErrorKind::ServerError);
    }

    #[test]
    fn raw_body_display_is_truncated_but_kept_whole() {
        let body = RawBody("x".repeat(10_000));
        let shown = body.to_string();
        assert!(shown.len() < 400, "{}", shown.len());
        assert!(shown.ends_with("(10000 bytes)"));
        assert_eq!(body.0.len(), 10_000);
    }
}
