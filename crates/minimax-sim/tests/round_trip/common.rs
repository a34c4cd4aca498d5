//! The harness the round-trip tests share.

use std::time::Duration;

use minimax_sim::{SimConfig, Simulator};
use reqwest::StatusCode;
use serde_json::Value;

/// The Token Plan key every harness uses.
pub const KEY: &str = "sk-cp-test-key";
/// The pay-as-you-go key every harness accepts.
pub const PAYGO: &str = "sk-api-test-key";

/// A running simulator and a client for it.
pub struct Harness {
    pub sim: Simulator,
    pub http: reqwest::Client,
    pub base: String,
}

/// A configuration with a quota large enough that only the quota tests ever meet it.
pub fn config() -> SimConfig {
    SimConfig {
        key: KEY.to_owned(),
        pay_as_you_go_key: Some(PAYGO.to_owned()),
        quota: 1_000_000,
        weekly_quota: 10_000_000,
        ..SimConfig::default()
    }
}

impl Harness {
    pub async fn new() -> Self {
        Self::with(config()).await
    }

    pub async fn with(config: SimConfig) -> Self {
        let sim = Simulator::start(config).await.expect("simulator starts");
        let base = format!("http://{}", sim.addr());
        Self { sim, http: reqwest::Client::new(), base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs JSON with the Token Plan key; returns the status and the parsed body.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.post_as(KEY, path, body).await
    }

    pub async fn post_as(&self, key: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let response =
            self.http.post(self.url(path)).bearer_auth(key).json(&body).send().await.expect("send");
        let status = response.status();
        (status, response.json().await.expect("json body"))
    }

    /// GETs with the Token Plan key; returns the status and the parsed body.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.get_as(KEY, path).await
    }

    pub async fn get_as(&self, key: &str, path: &str) -> (StatusCode, Value) {
        let response = self.http.get(self.url(path)).bearer_auth(key).send().await.expect("send");
        let status = response.status();
        (status, response.json().await.expect("json body"))
    }

    /// POSTs to the admin API.
    pub async fn admin(&self, path: &str, body: Value) -> Value {
        let response = self.http.post(self.url(path)).json(&body).send().await.expect("send");
        assert!(response.status().is_success(), "admin {path}: {}", response.status());
        response.json().await.expect("json")
    }

    /// The request log.
    pub async fn requests(&self) -> Value {
        self.http.get(self.url("/_sim/requests")).send().await.expect("send").json().await.expect("json")
    }

    pub fn advance(&self, ms: u64) {
        self.sim.advance(Duration::from_millis(ms));
    }
}

/// `base_resp.status_code`.
pub fn code(body: &Value) -> i64 {
    body["base_resp"]["status_code"].as_i64().expect("base_resp.status_code")
}

/// Asserts a `2013` whose message names `field`.
pub fn assert_invalid(body: &Value, field: &str) {
    assert_eq!(code(body), 2013, "{body}");
    let message = body["base_resp"]["status_msg"].as_str().unwrap_or("");
    assert!(message.starts_with("invalid params"), "{message}");
    assert!(message.contains(field), "message {message:?} should name {field}");
}

/// Parses an SSE body into its `data:` payloads.
pub fn sse_events(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")).map(str::to_owned))
        .collect()
}

/// Downloads a URL, returning status, headers and bytes.
pub async fn download(
    http: &reqwest::Client,
    url: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = http.get(url).send().await.expect("send");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("bytes").to_vec())
}
