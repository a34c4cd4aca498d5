//! Faults injected on demand through `POST /_sim/faults`: each one matches an endpoint (or `*`) and fires
//! for the next `times` requests that reach it.

use serde::{Deserialize, Serialize};

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FaultKind {
    /// HTTP 500 with `{"type":"error"}` body, "unknown error, 999 (1000)".
    Http500,
    /// HTTP 429 with a `rate_limit_error` body (1002).
    Http429,
    /// HTTP 529 with an `overloaded_error` body.
    Http529,
    /// HTTP 200 whose JSON body is cut short (the request itself is served, with its side effects).
    MalformedJson,
    /// The request is served but every hex audio string in the body loses its tail (odd length).
    TruncatedHex,
    /// The response is delayed by `ms` milliseconds of real time.
    Slow {
        /// The delay.
        ms: u64,
    },
    /// The response announces its full length, sends half of the body and drops the connection.
    CutMidBody,
    /// The response announces its full length, sends half of the body, stalls for `ms` milliseconds of real
    /// time, then sends the rest (a download a process can be killed in the middle of).
    StallMidBody {
        /// The stall.
        ms: u64,
    },
    /// The request is served, but the top-level `file_id` is removed from the answer (a task reported as
    /// `Success` without its file). Arm it for as many polls as the task takes.
    NoFileId,
    /// A download link that has expired: HTTP 403 with the object store's `AccessDenied` body. Arm it on
    /// `/_sim/files` (the pre-signed links).
    ExpiredUrl,
    /// `base_resp` 2056: the plan's window is used up. With `resetsInMs` the message names the reset
    /// (`… resets at <ISO time>`, the global wording); without it, it names none (the mainland wording).
    QuotaExhausted {
        /// Milliseconds from now (simulated clock) to the reset the message names.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resets_in_ms: Option<u64>,
    },
    /// `base_resp` 1026 "input new_sensitive" (content flagged).
    ContentFlagged,
    /// `base_resp` 1002 "rate limit exceeded(RPM)" with HTTP 200.
    RateLimit,
    /// The request succeeds, but the task it creates ends in `Fail` (video) / `Failed` (async speech).
    TaskFail,
    /// HTTP 200 with any `base_resp`.
    BaseResp {
        /// `base_resp.status_code`.
        code: i64,
        /// `base_resp.status_msg`.
        msg: String,
    },
}

/// A fault waiting to fire.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// The path it applies to (e.g. `/v1/t2a_v2`), or `*` for every API path.
    pub endpoint: String,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many more requests it fires for.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// The armed faults, first armed first fired.
#[derive(Debug, Default)]
pub struct FaultBoard {
    faults: Vec<Fault>,
}

impl FaultBoard {
    /// Arms a fault.
    pub fn arm(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.faults.push(fault);
        }
    }

    /// Takes one shot of the first fault matching `path`.
    pub fn fire(&mut self, path: &str) -> Option<FaultKind> {
        let index = self.faults.iter().position(|f| f.endpoint == "*" || f.endpoint == path)?;
        let fault = &mut self.faults[index];
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            self.faults.remove(index);
        }
        Some(kind)
    }

    /// The faults still armed.
    pub fn armed(&self) -> &[Fault] {
        &self.faults
    }

    /// Disarms everything.
    pub fn clear(&mut self) {
        self.faults.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_admin_json_and_fires_n_times() {
        let fault: Fault =
            serde_json::from_str(r#"{"endpoint":"/v1/t2a_v2","kind":"slow","ms":250,"times":2}"#)
                .expect("parse");
        assert_eq!(fault.kind, FaultKind::Slow { ms: 250 });
        let base: Fault = serde_json::from_str(r#"{"endpoint":"*","kind":"baseResp","code":1000,"msg":"x"}"#)
            .expect("parse");
        assert_eq!(base.times, 1);
        let mut board = FaultBoard::default();
        board.arm(fault);
        board.arm(base);
        assert_eq!(
            board.fire("/v1/image_generation"),
            Some(FaultKind::BaseResp { code: 1000, msg: "x".into() })
        );
        assert_eq!(board.fire("/v1/image_generation"), None);
        assert_eq!(board.fire("/v1/t2a_v2"), Some(FaultKind::Slow { ms: 250 }));
        assert_eq!(board.fire("/v1/t2a_v2"), Some(FaultKind::Slow { ms: 250 }));
        assert_eq!(board.fire("/v1/t2a_v2"), None);
    }

    #[test]
    fn the_fault_matrix_kinds_parse_from_the_admin_json() {
        let quota: Fault =
            serde_json::from_str(r#"{"endpoint":"*","kind":"quotaExhausted","resetsInMs":60000}"#)
                .expect("parse");
        assert_eq!(quota.kind, FaultKind::QuotaExhausted { resets_in_ms: Some(60_000) });
        let mainland: Fault =
            serde_json::from_str(r#"{"endpoint":"*","kind":"quotaExhausted"}"#).expect("parse");
        assert_eq!(mainland.kind, FaultKind::QuotaExhausted { resets_in_ms: None });
        for (json, kind) in [
            (r#"{"endpoint":"/_sim/files","kind":"expiredUrl"}"#, FaultKind::ExpiredUrl),
            (
                r#"{"endpoint":"/_sim/files","kind":"stallMidBody","ms":500}"#,
                FaultKind::StallMidBody { ms: 500 },
            ),
            (r#"{"endpoint":"/v1/query/video_generation","kind":"noFileId","times":9}"#, FaultKind::NoFileId),
        ] {
            let fault: Fault = serde_json::from_str(json).expect("parse");
            assert_eq!(fault.kind, kind);
        }
    }
}
