//! Status of asynchronous tasks (video generation, async speech), compared case-insensitively:
//! the docs list `Fail` for video while mmx-cli says `Failed`/`Unknown`, and async speech lists
//! lower-case values while showing capitalised ones (minimax-api.md §3.2, §4.2, §11.5–6). Video V2 uses
//! `queued`, `running`, `succeeded`, `failed`, `cancelled`, `expired` (minimax-api-2026.md §3.3).

use serde::{Deserialize, Deserializer, Serialize};

/// The state of a remote task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TaskStatus {
    /// `Preparing` (video).
    Preparing,
    /// `Queueing` (video).
    Queueing,
    /// `Processing`.
    Processing,
    /// `Success`: a `file_id` is available.
    Success,
    /// `Fail` or `Failed` (both spellings are terminal failures).
    Failed,
    /// `Expired` (async speech: the result is gone; V2 video in older copies).
    Expired,
    /// `cancelled` (V2 video: cancelled while queued, nothing charged). Terminal.
    Cancelled,
    /// The literal `Unknown` status of mmx-cli's types. Not terminal: keep polling until the
    /// caller's deadline (the task may be billed, giving up early would lose it).
    Unknown,
    /// Any other value, kept verbatim. Not terminal.
    Other(String),
}

impl TaskStatus {
    /// Parses a status case-insensitively.
    pub fn parse(text: &str) -> TaskStatus {
        match text.trim().to_ascii_lowercase().as_str() {
            "preparing" => TaskStatus::Preparing,
            "queueing" | "queuing" | "queued" => TaskStatus::Queueing,
            "processing" | "running" => TaskStatus::Processing,
            "success" | "succeeded" => TaskStatus::Success,
            "fail" | "failed" => TaskStatus::Failed,
            "expired" => TaskStatus::Expired,
            "cancelled" | "canceled" => TaskStatus::Cancelled,
            "unknown" => TaskStatus::Unknown,
            _ => TaskStatus::Other(text.to_owned()),
        }
    }

    /// Whether polling can stop: success, failure, expiry or cancellation.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskStatus::Success | TaskStatus::Failed | TaskStatus::Expired | TaskStatus::Cancelled)
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(TaskStatus::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_case_insensitive_and_both_fail_spellings_are_terminal() {
        let table = [
            ("Preparing", TaskStatus::Preparing, false),
            ("Queueing", TaskStatus::Queueing, false),
            ("Processing", TaskStatus::Processing, false),
            ("processing", TaskStatus::Processing, false),
            ("Success", TaskStatus::Success, true),
            ("success", TaskStatus::Success, true),
            ("Fail", TaskStatus::Failed, true),
            ("Failed", TaskStatus::Failed, true),
            ("failed", TaskStatus::Failed, true),
            ("Expired", TaskStatus::Expired, true),
            ("queued", TaskStatus::Queueing, false),
            ("running", TaskStatus::Processing, false),
            ("succeeded", TaskStatus::Success, true),
            ("cancelled", TaskStatus::Cancelled, true),
            ("Unknown", TaskStatus::Unknown, false),
            ("Paused", TaskStatus::Other("Paused".into()), false),
        ];
        for (text, status, terminal) in table {
            assert_eq!(TaskStatus::parse(text), status, "{text}");
            assert_eq!(status.is_terminal(), terminal, "{text}");
        }
    }
}
