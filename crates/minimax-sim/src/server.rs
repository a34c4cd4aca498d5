//! The axum server: routes, the gate every request passes (log, auth, latency, faults) and the
//! [`Simulator`] handle that starts and stops it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::serve::ListenerExt;
use futures_util::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::envelope::{ApiError, Outcome, OutcomeKind};
use crate::error::{Result, SimError};
use crate::faults::{Fault, FaultKind};
use crate::request_log::LoggedRequest;
use crate::routes::{admin, chat, custom_voices, files, image, music, plan, speech, video, video_v2};
use crate::state::{KeyKind, SimState};

/// Largest request body accepted (MiniMax's limit is 64 MB).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Marks a request whose task must end in failure (fault `taskFail`).
#[derive(Debug, Clone, Copy)]
pub struct TaskFailInjected;

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Simulator {
    /// Starts a simulator on `127.0.0.1` with an OS-assigned port.
    pub async fn start(config: SimConfig) -> Result<Self> {
        Self::start_on("127.0.0.1:0", config).await
    }

    /// Starts a simulator listening on `addr` (e.g. `127.0.0.1:8080`).
    pub async fn start_on(addr: &str, config: SimConfig) -> Result<Self> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SimError::Bind { addr: addr.to_owned(), source })?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_owned() } else { addr.ip().to_string() };
        let base_url = match &config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{host}:{}", addr.port()),
        };
        let state = Arc::new(SimState::new(config));
        state.set_base_url(base_url);
        let app = router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let listener = listener.tap_io(|tcp| {
            // Small responses must not wait for Nagle (RECIPES.md: ~40 ms per response otherwise).
            let _ = tcp.set_nodelay(true);
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Self { addr, state, stop: Some(stop), task: Some(task) })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.state.base_url().to_owned()
    }

    /// The shared state (clock, log, faults, quota) for in-process tests.
    pub fn state(&self) -> &Arc<SimState> {
        &self.state
    }

    /// Moves the simulated clock forward.
    pub fn advance(&self, by: Duration) {
        self.state.clock.advance(by.as_millis() as u64);
    }

    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        self.state.lock().faults.arm(fault);
    }

    /// A copy of the request log, oldest first.
    pub fn requests(&self) -> Vec<crate::request_log::LoggedRequest> {
        self.state.lock().log.entries().to_vec()
    }

    /// How many requests failed validation so far.
    pub fn validation_failures(&self) -> usize {
        self.state.lock().log.validation_failures()
    }

    /// Stops the server and waits (at most 5 s) for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }

    /// Serves until the server stops on its own (used by the binary, which is stopped by a signal).
    pub async fn wait(mut self) -> Result<()> {
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => Ok(result?),
                Err(join) => Err(SimError::Serve(std::io::Error::other(join))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Every route of the simulator.
pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/v1/t2a_v2", post(speech::t2a))
        .route("/v1/get_voice", post(speech::get_voice))
        .route("/v1/t2a_async_v2", post(speech::t2a_async))
        .route("/v1/query/t2a_async_query_v2", get(speech::t2a_async_query))
        .route("/v1/image_generation", post(image::generate))
        .route("/v1/video_generation", post(video::create))
        .route("/v1/query/video_generation", get(video::query))
        .route("/v2/video_generation", post(video_v2::create))
        .route("/v2/video_generation/{task_id}", delete(video_v2::delete))
        .route("/v2/query/video_generation", get(video_v2::list))
        .route("/v2/query/video_generation/{task_id}", get(video_v2::query))
        .route("/v1/files/upload", post(files::upload))
        .route("/v1/voice_clone", post(custom_voices::clone))
        .route("/v1/voice_design", post(custom_voices::design))
        .route("/v1/delete_voice", post(custom_voices::delete))
        .route("/v1/files/retrieve", get(files::retrieve))
        .route("/v1/files/retrieve_content", get(files::retrieve_content))
        .route("/_sim/files/{file_id}/{filename}", get(files::download))
        .route("/v1/music_generation", post(music::generate))
        .route("/v1/lyrics_generation", post(music::lyrics))
        .route("/v1/chat/completions", post(chat::completions))
        .route("/v1/token_plan/remains", get(plan::remains))
        .route("/v1/api/openplatform/coding_plan/remains", get(plan::legacy_remains))
        .merge(admin::router())
        // MiniMax takes bodies up to 64 MB (H3 media as base64, 20 MB voice samples); axum's default is 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
}

/// The path a fault or log entry uses for a request: downloads are grouped under `/_sim/files`, V2 task
/// paths under their templates (`/v2/query/video_generation/{task_id}`, `/v2/video_generation/{task_id}`).
fn endpoint_of(path: &str) -> String {
    if path.starts_with("/_sim/files/") {
        return "/_sim/files".to_owned();
    }
    for template in ["/v2/query/video_generation/", "/v2/video_generation/"] {
        if path.strip_prefix(template).is_some_and(|id| !id.is_empty()) {
            return format!("{template}{{task_id}}");
        }
    }
    path.to_owned()
}

/// Video V2 answers every error with a real HTTP status and the OpenAI-style body.
fn is_v2(path: &str) -> bool {
    path.starts_with("/v2/")
}

/// Checks the `Authorization: Bearer <key>` header like MiniMax (HTTP 200 with `1004` or `2049`).
fn authenticate(state: &SimState, request: &Request) -> std::result::Result<KeyKind, ApiError> {
    let config = state.config();
    let header = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(key) = header.strip_prefix("Bearer ").map(str::trim).filter(|k| !k.is_empty()) else {
        return Err(ApiError::Auth {
            code: 1004,
            message: "login fail: Please carry the API secret key in the 'Authorization' field of the request header"
                .to_owned(),
        });
    };
    if key == config.key {
        Ok(KeyKind::TokenPlan)
    } else if config.pay_as_you_go_key.as_deref() == Some(key) {
        Ok(KeyKind::PayAsYouGo)
    } else {
        Err(ApiError::Auth { code: 2049, message: "invalid api key".to_owned() })
    }
}

/// The response an immediate fault sends, or `None` when the fault wraps the real handler. `v2` sends
/// `base_resp` faults in the Video V2 shape instead (a real HTTP status and the OpenAI-style body); `now_ms`
/// (simulated) dates the reset a quota refusal names.
fn fault_response(kind: &FaultKind, v2: bool, now_ms: u64) -> Option<Response> {
    let with_outcome = |mut response: Response, code: i64, message: &str| {
        response.extensions_mut().insert(Outcome {
            kind: OutcomeKind::Fault,
            status_code: code,
            field: None,
            message: message.to_owned(),
        });
        response
    };
    let http = |status: StatusCode, error_type: &str, message: &str, code: i64| {
        let body = crate::envelope::error_body(error_type, message, code, status.as_u16());
        with_outcome((status, axum::Json(body)).into_response(), code, message)
    };
    let base = |code: i64, message: &str| {
        if v2 {
            let error =
                ApiError::Base { code, message: message.to_owned(), kind: OutcomeKind::Fault }.into_v2();
            return error.into_response();
        }
        with_outcome(
            axum::Json(crate::envelope::base_error_body(code, message)).into_response(),
            code,
            message,
        )
    };
    Some(match kind {
        FaultKind::Http500 => {
            http(StatusCode::INTERNAL_SERVER_ERROR, "api_error", "unknown error, 999", 1000)
        }
        FaultKind::Http429 => {
            http(StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "rate limit exceeded(RPM)", 1002)
        }
        FaultKind::Http529 => http(
            StatusCode::from_u16(529).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            "overloaded_error",
            "the server is overloaded, please retry later",
            1000,
        ),
        FaultKind::RateLimit => base(1002, "rate limit exceeded(RPM)"),
        FaultKind::ContentFlagged => base(1026, "input new_sensitive"),
        FaultKind::BaseResp { code, msg } => base(*code, msg),
        FaultKind::QuotaExhausted { resets_in_ms: Some(ms) } => base(
            2056,
            &format!(
                "usage limit exceeded, 5-hour usage limit reached for Token Plan, resets at {}",
                crate::clock::iso8601(now_ms.saturating_add(*ms))
            ),
        ),
        // The mainland wording names no reset time (issue 14, item 4).
        FaultKind::QuotaExhausted { resets_in_ms: None } => base(2056, "usage limit exceeded"),
        FaultKind::ExpiredUrl => {
            files::storage_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired.")
        }
        _ => return None,
    })
}

/// The name a fault is logged under.
fn fault_name(kind: &FaultKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.get("kind").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// Logs, authenticates, delays and injects faults around every non-admin request.
async fn gate(State(state): State<Arc<SimState>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let is_download = path.starts_with("/_sim/files/");
    if path.starts_with("/_sim/") && !is_download {
        return next.run(request).await;
    }
    let endpoint = endpoint_of(&path);
    let received_at_ms = state.clock.now_ms();
    let method = request.method().to_string();
    let query = request.uri().query().map(str::to_owned);
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let logged_body =
        if bytes.len() < 64 * 1024 { serde_json::from_slice::<Value>(&bytes).ok() } else { None };
    let mut request = Request::from_parts(parts, Body::from(bytes));

    let trace = crate::ids::trace_id();
    // Logs the request even when the client hangs up before the answer (the future is then dropped).
    let mut pending = AbandonedLog {
        state: state.clone(),
        entry: Some(LoggedRequest {
            seq: 0,
            method: method.clone(),
            endpoint: endpoint.clone(),
            query: query.clone(),
            received_at_ms,
            finished_at_ms: received_at_ms,
            http_status: 0,
            outcome: OutcomeKind::Abandoned,
            status_code: -1,
            validation_field: None,
            message: Some("the client closed the connection before the response".to_owned()),
            fault: None,
            body: logged_body.clone(),
        }),
    };
    let (mut response, fault) = crate::ids::with_request_trace(trace.clone(), async {
        let authenticated = if is_download { Ok(KeyKind::TokenPlan) } else { authenticate(&state, &request) };
        let key = match authenticated {
            Err(error) if is_v2(&endpoint) => return (error.into_v2().into_response(), None),
            Err(error) => return (error.into_response(), None),
            Ok(key) => key,
        };
        request.extensions_mut().insert(key);
        let latency = state.config().latency_ms;
        if latency > 0 && !is_download {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        if !is_download && !state.admit_rpm(&endpoint) {
            let throttled = ApiError::Base {
                code: 1002,
                message: "rate limit exceeded(RPM)".to_owned(),
                kind: OutcomeKind::Error,
            };
            let throttled = if is_v2(&endpoint) { throttled.into_v2() } else { throttled };
            return (throttled.into_response(), None);
        }
        let fired = state.lock().faults.fire(&endpoint);
        match fired {
            None => (next.run(request).await, None),
            Some(kind) => {
                let name = Some(fault_name(&kind));
                if let Some(entry) = pending.entry.as_mut() {
                    entry.fault.clone_from(&name);
                }
                match fault_response(&kind, is_v2(&endpoint), state.clock.now_ms()) {
                    Some(response) => (response, name),
                    None => (wrap_with_fault(kind, request, next).await, name),
                }
            }
        }
    })
    .await;
    pending.entry = None;
    if !is_download && let Ok(value) = HeaderValue::from_str(&trace) {
        response.headers_mut().insert("Trace-Id", value);
    }
    let outcome = match (&fault, response.extensions().get::<Outcome>()) {
        (Some(name), found) if !matches!(name.as_str(), "slow" | "taskFail" | "stallMidBody") => Outcome {
            kind: OutcomeKind::Fault,
            status_code: found.map_or(-1, |o| o.status_code),
            field: None,
            message: format!("fault {name}"),
        },
        (_, Some(found)) => found.clone(),
        (_, None) if response.status().is_success() => Outcome::ok(),
        (_, None) => Outcome {
            kind: OutcomeKind::Error,
            status_code: i64::from(response.status().as_u16()),
            field: None,
            message: format!("HTTP {}", response.status()),
        },
    };
    let http_status = response.status().as_u16();
    state.lock().log.push(LoggedRequest {
        seq: 0,
        method,
        endpoint,
        query,
        received_at_ms,
        finished_at_ms: state.clock.now_ms(),
        http_status,
        outcome: outcome.kind.clone(),
        status_code: outcome.status_code,
        validation_field: outcome.field.clone(),
        message: (outcome.kind != OutcomeKind::Ok).then(|| outcome.message.clone()),
        fault,
        body: logged_body,
    });
    response
}

/// The log entry of a request whose client went away before the answer; pushed when dropped.
struct AbandonedLog {
    state: Arc<SimState>,
    entry: Option<LoggedRequest>,
}

impl Drop for AbandonedLog {
    fn drop(&mut self) {
        if let Some(mut entry) = self.entry.take() {
            entry.finished_at_ms = self.state.clock.now_ms();
            self.state.lock().log.push(entry);
        }
    }
}

/// Runs the real handler and spoils its response as the fault says.
async fn wrap_with_fault(kind: FaultKind, mut request: Request, next: Next) -> Response {
    match kind {
        FaultKind::Slow { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            return next.run(request).await;
        }
        FaultKind::TaskFail => {
            request.extensions_mut().insert(TaskFailInjected);
            return next.run(request).await;
        }
        _ => {}
    }
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    match kind {
        FaultKind::MalformedJson => {
            let cut = bytes.slice(..bytes.len() * 3 / 5);
            Response::from_parts(parts, Body::from(cut))
        }
        FaultKind::TruncatedHex => Response::from_parts(parts, Body::from(truncate_hex(&bytes))),
        FaultKind::NoFileId => Response::from_parts(parts, Body::from(without_file_id(&bytes))),
        FaultKind::StallMidBody { ms } => {
            // Promise everything, deliver half, stall, then deliver the rest.
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let middle = bytes.len() / 2;
            let halves = [bytes.slice(..middle), bytes.slice(middle..)];
            let stream = futures_util::stream::iter(halves.into_iter().enumerate()).then(
                move |(i, half)| async move {
                    if i == 1 {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                    }
                    Ok::<Bytes, std::io::Error>(half)
                },
            );
            Response::from_parts(parts, Body::from_stream(stream))
        }
        _ => {
            // CutMidBody: promise everything, deliver half, then drop the connection.
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let half = bytes.slice(..bytes.len() / 2);
            // The pause lets the head and the first half reach the client before the connection drops.
            let stream = futures_util::stream::unfold(Some(half), |half| async move {
                match half {
                    Some(half) => Some((Ok::<Bytes, std::io::Error>(half), None)),
                    None => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut mid-body");
                        Some((Err(cut), None))
                    }
                }
            });
            Response::from_parts(parts, Body::from_stream(stream))
        }
    }
}

/// The JSON body without its top-level `file_id` (anything else is left as it was).
fn without_file_id(bytes: &[u8]) -> Bytes {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(mut body)) => {
            body.remove("file_id");
            Bytes::from(Value::Object(body).to_string())
        }
        _ => Bytes::copy_from_slice(bytes),
    }
}

/// Cuts every `data.audio` hex string in a JSON body (or in each SSE `data:` event) to an odd length.
fn truncate_hex(bytes: &[u8]) -> Bytes {
    fn spoil(value: &mut Value) {
        if let Some(audio) = value.pointer_mut("/data/audio")
            && let Some(hex) = audio.as_str()
            && !hex.starts_with("http")
            && hex.len() > 2
        {
            let keep = (hex.len() / 2) | 1;
            *audio = Value::String(hex[..keep].to_owned());
        }
    }
    if let Ok(mut value) = serde_json::from_slice::<Value>(bytes) {
        spoil(&mut value);
        return Bytes::from(value.to_string());
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("data: ").and_then(|rest| serde_json::from_str::<Value>(rest.trim_end()).ok())
        {
            Some(mut value) => {
                spoil(&mut value);
                out.push_str("data: ");
                out.push_str(&value.to_string());
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    Bytes::from(out)
}
