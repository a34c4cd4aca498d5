//! Shared helpers of the fixture tests: a client pointed at a wiremock server with fast retries.

#![allow(dead_code)]

use std::time::Duration;

use minimax_api::{ApiKey, Config, MiniMaxClient, Region, RetryPolicy};
use wiremock::ResponseTemplate;

/// The key used by every test (asserted never to leak).
pub const KEY: &str = "sk-cp-TEST-SECRET-123";
/// Retries allowed by [`client`].
pub const RETRIES: u32 = 2;

/// A client for `base` with 2 fast retries and a short request timeout.
pub fn client(base: &str) -> MiniMaxClient {
    MiniMaxClient::new(config(base)).expect("client")
}

/// The configuration behind [`client`].
pub fn config(base: &str) -> Config {
    let mut config = Config::new(Region::Custom(base.to_owned()), ApiKey::new(KEY));
    config.retry = RetryPolicy {
        max_retries: RETRIES,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    config.request_timeout = Duration::from_millis(500);
    config.read_timeout = Duration::from_millis(500);
    config
}

/// A fixture file's text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A JSON response with a `Trace-Id` header.
pub fn json(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("Trace-Id", "trace-from-header")
        .set_body_raw(fixture(name), "application/json")
}

/// An event-stream response.
pub fn sse(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Trace-Id", "trace-sse")
        .set_body_raw(fixture(name), "text/event-stream")
}
