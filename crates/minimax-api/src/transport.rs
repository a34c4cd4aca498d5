//! The HTTP transport: reused `reqwest` clients, authentication, error classification and the retry loop.
//!
//! Retries are a small hand-written loop rather than `backon`: whether a failure may be retried depends
//! on the call (a paid POST whose answer was lost must not be repeated, see [`CallKind`]) and on the
//! decoded body (`base_resp` codes arrive with HTTP 200), which a generic retry combinator would need
//! the same closures for; the loop is ten lines and has no dependency.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::Serialize;

use crate::config::{ApiKey, Config, RetryPolicy};
use crate::envelope::http_failure;
use crate::error::{Error, ErrorKind, RawBody, Result};

/// Whether repeating a call after a lost answer is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Reads (queries, file retrieval, voice listing, remains): safe to repeat.
    Idempotent,
    /// Calls that start paid work (generation, synthesis, chat): once the request may have reached the
    /// server, a lost answer becomes [`Error::OutcomeUnknown`] and is never repeated.
    Paid,
}

/// One request to send.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    pub method: Method,
    /// The path, and the name errors and faults use for the endpoint.
    pub path: &'static str,
    /// A path parameter appended to `path` in the URL only (`/v2/query/video_generation/{task_id}`), so
    /// errors still name the endpoint rather than one task.
    pub path_suffix: Option<String>,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Bytes>,
    pub kind: CallKind,
}

impl RequestSpec {
    /// A GET of an idempotent endpoint.
    pub fn get(path: &'static str, query: Vec<(&'static str, String)>) -> Self {
        RequestSpec {
            method: Method::GET,
            path,
            path_suffix: None,
            query,
            body: None,
            kind: CallKind::Idempotent,
        }
    }

    /// The same request with a path parameter appended to the URL.
    pub fn with_suffix(mut self, suffix: String) -> Self {
        self.path_suffix = Some(suffix);
        self
    }

    /// A JSON POST.
    pub fn post<B: Serialize>(path: &'static str, body: &B, kind: CallKind) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Decode {
            endpoint: path.to_owned(),
            reason: format!("cannot encode the request: {e}"),
            trace_id: None,
            body: RawBody(String::new()),
        })?;
        Ok(RequestSpec {
            method: Method::POST,
            path,
            path_suffix: None,
            query: Vec::new(),
            body: Some(Bytes::from(bytes)),
            kind,
        })
    }
}

/// A 2xx answer read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub trace_id: Option<String>,
    pub body: Bytes,
}

/// The MiniMax client. Cheap to clone (one shared connection pool).
#[derive(Debug, Clone)]
pub struct MiniMaxClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// For `http://` URLs (the local simulator, a proxy): built without the platform's TLS roots.
    plain: reqwest::Client,
    /// For `https://` URLs, with the platform's roots; built the first time one is used, because reading
    /// the roots (about 300 files under /etc/ssl/certs on Debian) is most of the fixed cost of a
    /// `tokenplan` run that talks to a local server and never needs them.
    tls: std::sync::OnceLock<std::result::Result<reqwest::Client, String>>,
    headers: HeaderMap,
    connect_timeout: Duration,
    base_url: String,
    api_key: ApiKey,
    retry: RetryPolicy,
    request_timeout: Duration,
    read_timeout: Duration,
}

impl MiniMaxClient {
    /// Builds a client: checks the configuration and creates the shared HTTP client
    /// (rustls with the ring provider, HTTP/1.1, `User-Agent`, optional `MM-API-Source`).
    pub fn new(config: Config) -> Result<Self> {
        config.check()?;
        // reqwest is built without a bundled crypto provider so that rustls uses ring (faster to build
        // than aws-lc-sys). Installing it as the process default is a no-op if one is already set.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _already_installed = rustls::crypto::ring::default_provider().install_default();
        }
        let mut headers = HeaderMap::new();
        if let Some(source) = &config.api_source {
            let value = HeaderValue::from_str(source).map_err(|_| Error::InvalidConfig {
                field: "api_source",
                reason: "not a valid header value".into(),
            })?;
            headers.insert("MM-API-Source", value);
        }
        let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| Error::InvalidConfig {
            field: "user_agent",
            reason: "not a valid header value".into(),
        })?;
        headers.insert(USER_AGENT, user_agent);
        let plain = client_builder(&headers, config.connect_timeout)
            .tls_certs_only([])
            // Without roots an https hop would fail as a TLS error; stopping there returns the redirect
            // itself, which names the https address to use instead.
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.url().scheme() == "https" {
                    attempt.stop()
                } else if attempt.previous().len() >= 10 {
                    attempt.error("more than 10 redirects")
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| Error::InvalidConfig { field: "http client", reason: e.to_string() })?;
        Ok(MiniMaxClient {
            inner: Arc::new(Inner {
                plain,
                tls: std::sync::OnceLock::new(),
                headers,
                connect_timeout: config.connect_timeout,
                base_url: config.region.base_url().to_owned(),
                api_key: config.api_key,
                retry: config.retry,
                request_timeout: config.request_timeout,
                read_timeout: config.read_timeout,
            }),
        })
    }

    /// The HTTP client for `url`: the plain one for `http://`, else the TLS one (built on first use).
    fn http_for(&self, url: &str) -> Result<&reqwest::Client> {
        if url.starts_with("http://") {
            return Ok(&self.inner.plain);
        }
        let built = self.inner.tls.get_or_init(|| {
            client_builder(&self.inner.headers, self.inner.connect_timeout).build().map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|reason| Error::InvalidConfig { field: "http client", reason: reason.clone() })
    }

    /// The retry policy of this client.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The silence tolerated by streams and downloads.
    pub(crate) fn read_timeout(&self) -> Duration {
        self.inner.read_timeout
    }

    /// The fingerprint of this client's key ([`ApiKey::fingerprint`]).
    pub fn key_fingerprint(&self) -> String {
        self.inner.api_key.fingerprint()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and decodes its answer, retrying retryable failures with backoff.
    /// `decode` runs inside the loop so `base_resp` codes returned with HTTP 200 are retried too.
    pub(crate) async fn execute<T>(
        &self,
        spec: &RequestSpec,
        decode: impl Fn(&Reply) -> Result<T>,
    ) -> Result<T> {
        self.execute_with(spec, || std::future::ready(self.request(spec)), decode).await
    }

    /// A POST of a multipart form built anew for every attempt by `make_form` (a file part streams from
    /// disk, so it cannot be replayed), with the same retries and error handling as [`Self::execute`].
    pub(crate) async fn execute_multipart<T, F, Fut>(
        &self,
        spec: &RequestSpec,
        make_form: F,
        decode: impl Fn(&Reply) -> Result<T>,
    ) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<reqwest::multipart::Form>>,
    {
        let url = format!("{}{}", self.inner.base_url, spec.path);
        let build = || {
            let form = make_form();
            let url = url.clone();
            async move {
                Ok(self.http_for(&url)?.post(url).header(AUTHORIZATION, self.bearer()).multipart(form.await?))
            }
        };
        self.execute_with(spec, build, decode).await
    }

    /// The retry loop of every whole-body call; `build` makes the request of each attempt.
    async fn execute_with<T, B, Fut>(
        &self,
        spec: &RequestSpec,
        build: B,
        decode: impl Fn(&Reply) -> Result<T>,
    ) -> Result<T>
    where
        B: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<reqwest::RequestBuilder>>,
    {
        let mut retry = 0;
        loop {
            let attempt = match build().await {
                Ok(builder) => self.attempt(spec, builder).await,
                Err(error) => return Err(error),
            };
            let (result, retry_after) = match attempt {
                Ok(reply) => (decode(&reply), None),
                Err((error, retry_after)) => (Err(error), retry_after),
            };
            match result {
                Err(error) if error.retryable() && retry < self.inner.retry.max_retries => {
                    let Some(delay) = self.inner.retry.delay_honouring(retry, retry_after) else {
                        return Err(error); // the server asks for a longer wait than we are allowed to block
                    };
                    tracing::warn!(endpoint = spec.path, retry = retry + 1, ?delay, %error, "retrying MiniMax call");
                    tokio::time::sleep(delay).await;
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    /// Sends a request once and reads the whole answer.
    async fn attempt(
        &self,
        spec: &RequestSpec,
        builder: reqwest::RequestBuilder,
    ) -> std::result::Result<Reply, (Error, Option<Duration>)> {
        let response = builder
            .timeout(self.inner.request_timeout)
            .send()
            .await
            .map_err(|e| (transport_error(spec, e), None))?;
        let status = response.status();
        let trace_id = trace_id_of(response.headers());
        let retry_after = retry_after_of(response.headers());
        let body = response.bytes().await.map_err(|e| (transport_error(spec, e), None))?;
        if !status.is_success() {
            return Err((status_failure(spec, status, trace_id.as_deref(), &body), retry_after));
        }
        Ok(Reply { status: status.as_u16(), trace_id, body })
    }

    /// Sends a request and returns the response once its status is 2xx, for streamed bodies (SSE,
    /// downloads). Only the start is retried: reads on any retryable failure, paid calls only when the
    /// server answered with a refusal (429, 500, 529…; never after a timeout, which is `OutcomeUnknown`).
    pub(crate) async fn open_stream(&self, spec: &RequestSpec) -> Result<reqwest::Response> {
        let mut retry = 0;
        loop {
            match self.open_stream_once(self.request(spec)?, spec).await {
                Err(error)
                    if error.retryable()
                        && retry < self.inner.retry.max_retries
                        && (spec.kind == CallKind::Idempotent || error.kind() != ErrorKind::Timeout) =>
                {
                    tokio::time::sleep(self.inner.retry.delay_for(retry)).await;
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    /// GETs an absolute URL (a `download_url` on a CDN) as a stream. The API key is only sent when the
    /// URL is on the configured API host, never to third-party hosts.
    pub(crate) async fn open_url(&self, url: &str) -> Result<reqwest::Response> {
        let spec = RequestSpec::get(crate::error::DOWNLOAD_ENDPOINT, Vec::new());
        let mut retry = 0;
        loop {
            let mut builder = self.http_for(url)?.get(url);
            if url.starts_with(&format!("{}/", self.inner.base_url)) {
                builder = builder.header(AUTHORIZATION, self.bearer());
            }
            match self.open_stream_once(builder, &spec).await {
                Err(error) if error.retryable() && retry < self.inner.retry.max_retries => {
                    tokio::time::sleep(self.inner.retry.delay_for(retry)).await;
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    async fn open_stream_once(
        &self,
        builder: reqwest::RequestBuilder,
        spec: &RequestSpec,
    ) -> Result<reqwest::Response> {
        let response = match tokio::time::timeout(self.inner.read_timeout, builder.send()).await {
            Ok(sent) => sent.map_err(|e| transport_error(spec, e))?,
            Err(_) if spec.kind == CallKind::Paid => {
                return Err(Error::OutcomeUnknown {
                    endpoint: spec.path.to_owned(),
                    reason: format!("no answer within {:?}", self.inner.read_timeout),
                });
            }
            Err(_) => {
                return Err(Error::Stalled {
                    endpoint: spec.path.to_owned(),
                    after: self.inner.read_timeout,
                });
            }
        };
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let trace_id = trace_id_of(response.headers());
        let body = response.bytes().await.unwrap_or_default();
        Err(status_failure(spec, status, trace_id.as_deref(), &body))
    }

    fn request(&self, spec: &RequestSpec) -> Result<reqwest::RequestBuilder> {
        let suffix = spec.path_suffix.as_deref().unwrap_or_default();
        let url = format!("{}{}{suffix}", self.inner.base_url, spec.path);
        let mut builder =
            self.http_for(&url)?.request(spec.method.clone(), url).header(AUTHORIZATION, self.bearer());
        if !spec.query.is_empty() {
            builder = builder.query(&spec.query);
        }
        if let Some(body) = &spec.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        Ok(builder)
    }

    fn bearer(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.inner.api_key.expose()))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        value.set_sensitive(true);
        value
    }
}

/// A client builder with what both clients share: headers, connect timeout, no Nagle delay.
fn client_builder(headers: &HeaderMap, connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .default_headers(headers.clone())
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true)
}

/// A `Retry-After` header in seconds (the HTTP-date form is not used by MiniMax and is ignored).
fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// The `Trace-Id` response header.
pub(crate) fn trace_id_of(headers: &HeaderMap) -> Option<String> {
    headers.get("Trace-Id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Classifies a reqwest failure. A connect failure means nothing was sent (safe to retry); for a paid
/// call any other failure (timeout, cut while sending or reading) leaves the outcome unknown.
pub(crate) fn transport_error(spec: &RequestSpec, error: reqwest::Error) -> Error {
    if spec.kind == CallKind::Paid && !error.is_connect() {
        let reason =
            if error.is_timeout() { "timed out".to_owned() } else { format!("connection failed: {error}") };
        return Error::OutcomeUnknown { endpoint: spec.path.to_owned(), reason };
    }
    let kind = if error.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Network };
    Error::Transport { endpoint: spec.path.to_owned(), kind, source: error.without_url() }
}

/// The error for a non-2xx status. A gateway failure (408/502/504) on a paid call leaves the outcome
/// unknown.
fn status_failure(spec: &RequestSpec, status: StatusCode, trace_id: Option<&str>, body: &[u8]) -> Error {
    let error = http_failure(spec.path, status.as_u16(), trace_id, body);
    // 408/504: the gateway gave up waiting; 502: it got no valid answer. Either way the upstream may
    // have started the task, so a paid call is not repeated.
    let gateway_failure = matches!(status.as_u16(), 408 | 502 | 504);
    if spec.kind == CallKind::Paid && gateway_failure && error.code().is_none() {
        return Error::OutcomeUnknown { endpoint: spec.path.to_owned(), reason: format!("HTTP {status}") };
    }
    error
}
