//! The log of every request the simulator received, served at `GET /_sim/requests`, so tests can prove
//! what a client sent ("no second create call", "no validation failures").

use serde::Serialize;
use serde_json::Value;

use crate::envelope::OutcomeKind;

/// One received request and how it ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Position in the log, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// The path, e.g. `/v1/t2a_v2` (the endpoint faults match on).
    pub endpoint: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Simulated epoch ms when it arrived.
    pub received_at_ms: u64,
    /// Simulated epoch ms when the response head was ready.
    pub finished_at_ms: u64,
    /// The HTTP status sent.
    pub http_status: u16,
    /// How it ended.
    pub outcome: OutcomeKind,
    /// `base_resp.status_code` (or the code in an error body).
    pub status_code: i64,
    /// The field a validation failure named.
    pub validation_field: Option<String>,
    /// The message sent with a failure.
    pub message: Option<String>,
    /// The injected fault that answered, if any.
    pub fault: Option<String>,
    /// The JSON body, when it was JSON and under 64 KiB.
    pub body: Option<Value>,
}

/// All logged requests, oldest first.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Vec<LoggedRequest>,
}

impl RequestLog {
    /// Appends an entry, numbering it.
    pub fn push(&mut self, mut entry: LoggedRequest) {
        entry.seq = self.entries.len() as u64 + 1;
        self.entries.push(entry);
    }

    /// Every entry.
    pub fn entries(&self) -> &[LoggedRequest] {
        &self.entries
    }

    /// How many requests failed validation.
    pub fn validation_failures(&self) -> usize {
        self.entries.iter().filter(|e| e.outcome == OutcomeKind::Validation).count()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
