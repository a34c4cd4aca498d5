//! What an API failure means for a job: the message the user sees, whether it is billed
//! ([`crate::quota::failure_charge`]), and whether the job waits for quota instead of failing.

use minimax_api::{Error, ErrorKind};

use crate::ipc::IpcErrorKind;
use crate::quota::{FailureKind, failure_kind_of_create_code};
use crate::storage::JobError;

/// Where in a job's life the call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The request that creates the generation (or the whole synchronous call).
    Create,
    /// Polling an accepted task.
    Poll,
    /// Downloading or storing a finished result.
    Download,
}

/// A failure, classified.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    /// What the job shows.
    pub error: JobError,
    /// For the billing policy.
    pub kind: FailureKind,
    /// The plan's window is used up (2056 …): the job waits instead of failing.
    pub quota_exhausted: bool,
    /// When the server said the quota resets (epoch ms).
    pub resets_at_ms: Option<i64>,
    /// MiniMax reported the job's task failed, expired or flagged: it will never deliver, so a retry creates a
    /// new task. Every other failure keeps the task for a retry to resume.
    pub task_dead: bool,
    /// MiniMax said the plan (or the credits) does not include the model (2061, or 2013 naming the plan).
    pub not_in_plan: bool,
    /// The task cost nothing after all (cancelled before it started): its provisional charge is taken back.
    pub refund: bool,
}

/// Classifies an API error raised in `phase`.
pub(crate) fn classify(error: &Error, phase: Phase) -> Failure {
    let api_kind = error.kind();
    let kind = match phase {
        Phase::Create => match (error, api_kind) {
            (Error::Validation(_), _) | (Error::InvalidConfig { .. }, _) => FailureKind::NotSent,
            (_, ErrorKind::OutcomeUnknown) => FailureKind::OutcomeUnknown,
            // A create answered with a body we cannot read may still have run.
            (_, ErrorKind::Decode) => FailureKind::OutcomeUnknown,
            _ => match error.code() {
                Some(code) => failure_kind_of_create_code(code),
                None => match api_kind {
                    ErrorKind::InvalidApiKey | ErrorKind::Unauthorized => FailureKind::Auth,
                    ErrorKind::ContentFlagged => FailureKind::InputFlagged,
                    ErrorKind::QuotaExhausted | ErrorKind::ModelNotInPlan => FailureKind::QuotaExhausted,
                    ErrorKind::RateLimited | ErrorKind::TokenLimit | ErrorKind::ConcurrencyLimit => {
                        FailureKind::RateLimited
                    }
                    ErrorKind::InsufficientBalance => FailureKind::InsufficientBalance,
                    ErrorKind::InvalidParams | ErrorKind::Voice | ErrorKind::NotFound => {
                        FailureKind::InvalidParams
                    }
                    ErrorKind::Network => FailureKind::NotSent,
                    _ => FailureKind::ServerErrorOnCreate,
                },
            },
        },
        Phase::Poll => match api_kind {
            ErrorKind::ContentFlagged => FailureKind::OutputFlagged,
            _ => FailureKind::TaskFailed,
        },
        Phase::Download => FailureKind::DownloadFailed,
    };
    let quota_exhausted = phase == Phase::Create && api_kind == ErrorKind::QuotaExhausted;
    let ipc = crate::ipc::kind_of_api_error(api_kind);
    // The raw body stays in the log; the job keeps a sentence a person can read.
    tracing::warn!(error = %error, "MiniMax call failed");
    let what = match error {
        Error::Decode { endpoint, reason, .. } => {
            format!("The answer of {endpoint} could not be read ({reason})")
        }
        other => other.to_string(),
    };
    let advice = if kind == FailureKind::OutcomeUnknown {
        crate::ipc::advice(ErrorKind::OutcomeUnknown)
    } else {
        crate::ipc::advice(api_kind)
    };
    Failure {
        error: JobError {
            kind: ipc,
            message: format!("{what}. {advice}"),
            trace_id: error.trace_id().map(str::to_owned),
        },
        kind,
        quota_exhausted,
        resets_at_ms: error.reset_at().map(|r| r.epoch_ms),
        task_dead: kind == FailureKind::OutputFlagged,
        not_in_plan: phase == Phase::Create && api_kind == ErrorKind::ModelNotInPlan,
        refund: false,
    }
}

/// A failure that is not the server's: a file we could not write, an input we could not read.
pub(crate) fn local(kind: IpcErrorKind, message: impl Into<String>, failure: FailureKind) -> Failure {
    Failure {
        error: JobError { kind, message: message.into(), trace_id: None },
        kind: failure,
        quota_exhausted: false,
        resets_at_ms: None,
        task_dead: false,
        not_in_plan: false,
        refund: false,
    }
}

/// MiniMax reported the job's task failed or expired (`word`): it is charged like work the server did, and
/// a retry must create a new task.
pub(crate) fn dead_task(word: &str) -> Failure {
    Failure {
        task_dead: true,
        ..local(
            IpcErrorKind::Api,
            format!("MiniMax reports the task {word}. Retry generates it again (a new request)."),
            FailureKind::TaskFailed,
        )
    }
}

/// MiniMax reports the task was cancelled before it started (V2): nothing is charged for it, and a retry
/// creates a new task.
pub(crate) fn cancelled_task() -> Failure {
    Failure {
        task_dead: true,
        refund: true,
        ..local(
            IpcErrorKind::Api,
            "MiniMax reports the task was cancelled before it started; nothing is charged for it. Retry \
             generates it again (a new request).",
            FailureKind::NotSent,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::{FailureCharge, failure_charge};
    use minimax_api::ApiError;

    fn api(code: i64, kind: ErrorKind) -> Error {
        Error::Api(Box::new(ApiError {
            code: Some(code),
            message: format!("boom ({code})"),
            error_type: None,
            http_status: 200,
            trace_id: Some("trace-1".into()),
            reset_at: None,
            kind,
        }))
    }

    #[test]
    fn a_model_not_in_the_plan_is_said_as_such_not_as_quota() {
        let f = classify(&api(2061, ErrorKind::ModelNotInPlan), Phase::Create);
        assert!(f.not_in_plan && !f.quota_exhausted);
        assert_eq!(f.error.kind, IpcErrorKind::NotInPlan);
        assert!(f.error.message.contains("does not include this model"), "{}", f.error.message);
    }

    #[test]
    fn quota_on_create_waits_and_costs_nothing() {
        let f = classify(&api(2056, ErrorKind::QuotaExhausted), Phase::Create);
        assert!(f.quota_exhausted);
        assert_eq!(f.kind, FailureKind::QuotaExhausted);
        assert_eq!(failure_charge(f.kind), FailureCharge::Nothing);
        assert_eq!(f.error.kind, IpcErrorKind::QuotaExhausted);
        assert_eq!(f.error.trace_id.as_deref(), Some("trace-1"));
    }

    #[test]
    fn flagged_input_is_free_but_flagged_output_is_charged() {
        let input = classify(&api(1026, ErrorKind::ContentFlagged), Phase::Create);
        assert_eq!((input.kind, input.error.kind.as_str()), (FailureKind::InputFlagged, "contentFlagged"));
        assert_eq!(failure_charge(input.kind), FailureCharge::Nothing);
        let output = classify(&api(1027, ErrorKind::ContentFlagged), Phase::Poll);
        assert_eq!(output.kind, FailureKind::OutputFlagged);
        assert_eq!(failure_charge(output.kind), FailureCharge::Estimate);
        assert!(!output.quota_exhausted);
    }

    #[test]
    fn unknown_outcome_is_charged_and_says_so() {
        let error = Error::OutcomeUnknown { endpoint: "/v1/video_generation".into(), reason: "cut".into() };
        let f = classify(&error, Phase::Create);
        assert_eq!(f.kind, FailureKind::OutcomeUnknown);
        assert_eq!(failure_charge(f.kind), FailureCharge::Estimate);
        assert!(f.error.message.contains("may have been billed"), "{}", f.error.message);
    }

    #[test]
    fn wrong_region_and_bad_key_are_told_apart() {
        assert_eq!(
            classify(&api(1004, ErrorKind::Unauthorized), Phase::Create).error.kind,
            IpcErrorKind::WrongRegion
        );
        assert_eq!(
            classify(&api(2049, ErrorKind::InvalidApiKey), Phase::Create).error.kind,
            IpcErrorKind::InvalidApiKey
        );
    }
}
