//! Faults injected on demand through `POST /_sim/faults`: each one matches an endpoint (or `*`) and fires
//! for the next `times` requests that reach it.

use serde::{Deserialize, Serialize};

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
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
}
