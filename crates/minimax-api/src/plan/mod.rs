//! Token Plan quota: `GET /v1/token_plan/remains`, with the legacy
//! `/v1/api/openplatform/coding_plan/remains` as a fallback (minimax-api.md §9.1).
//!
//! Fields are exposed as sent: whether `*_usage_count` means "used" or "remaining" depends on the
//! endpoint and era (§9.1 warning, §11.3), which is why the answer says which path produced it. Every
//! field is read leniently (numbers or strings, odd values become `None`) because the payload changed
//! shape several times (minimax-api-2026.md §2); one odd field never fails the answer. [`interpret`]
//! turns an answer into per-window percentages, reset times and "not in plan" / "unlimited" flags.

mod interpret;

pub use interpret::*;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{Config, Region};
use crate::envelope::{BaseResp, decode_body, enveloped};
use crate::error::{ErrorKind, Result};
use crate::transport::{MiniMaxClient, RequestSpec};
use crate::wire::{lenient_count, lenient_percent, lenient_string};

/// The current quota endpoint.
pub const REMAINS_PATH: &str = "/v1/token_plan/remains";
/// The legacy (Coding Plan) quota endpoint.
pub const LEGACY_REMAINS_PATH: &str = "/v1/api/openplatform/coding_plan/remains";

/// One quota bucket of `model_remains[]`, field by field as documented. Times are epoch ms, durations ms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelRemain {
    /// Bucket name (`general`, `video`, `MiniMax-M*`, `speech-hd`, `image-01`, …).
    #[serde(default, deserialize_with = "lenient_string")]
    pub model_name: Option<String>,
    /// Start of the current 5-hour window (epoch ms).
    #[serde(default, deserialize_with = "lenient_count")]
    pub start_time: Option<i64>,
    /// End of the current window = reset (epoch ms).
    #[serde(default, deserialize_with = "lenient_count")]
    pub end_time: Option<i64>,
    /// Milliseconds until the window resets (occasionally inconsistent; `end_time` is the fallback).
    #[serde(default, deserialize_with = "lenient_count")]
    pub remains_time: Option<i64>,
    /// Requests allowed in the window (often 0 in the token era).
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_interval_total_count: Option<i64>,
    /// Disputed meaning: "used" on `token_plan/remains`, "remaining" on the legacy endpoint.
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_interval_usage_count: Option<i64>,
    /// 1 = limited/normal, 2 = exhausted, 3 = unlimited (third-party reading).
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_interval_status: Option<i64>,
    /// Remaining percent 0–100 of the window (a number or a string on the wire), before any boost.
    #[serde(default, deserialize_with = "lenient_percent")]
    pub current_interval_remaining_percent: Option<f64>,
    /// Start of the weekly window (epoch ms).
    #[serde(default, deserialize_with = "lenient_count")]
    pub weekly_start_time: Option<i64>,
    /// End of the weekly window (epoch ms).
    #[serde(default, deserialize_with = "lenient_count")]
    pub weekly_end_time: Option<i64>,
    /// Milliseconds until the weekly window resets.
    #[serde(default, deserialize_with = "lenient_count")]
    pub weekly_remains_time: Option<i64>,
    /// Weekly allowance (0 ⇒ no weekly cap in some fixtures).
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_weekly_total_count: Option<i64>,
    /// Weekly counter (same disputed meaning as the interval counter).
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_weekly_usage_count: Option<i64>,
    /// Weekly status (1/2/3 as above).
    #[serde(default, deserialize_with = "lenient_count")]
    pub current_weekly_status: Option<i64>,
    /// Remaining percent 0–100 of the week (a number or a string on the wire), before any boost.
    #[serde(default, deserialize_with = "lenient_percent")]
    pub current_weekly_remaining_percent: Option<f64>,
    /// Display multiplier of the weekly percentage in permille (1500 ⇒ up to 150%; CONFIRMED, CLI).
    #[serde(default, deserialize_with = "lenient_count")]
    pub weekly_boost_permille: Option<i64>,
    /// Display multiplier of the 5-hour percentage in permille (REPORTED by third-party parsers only).
    #[serde(default, deserialize_with = "lenient_count")]
    pub interval_boost_permille: Option<i64>,
    /// Any other field the server sent, kept verbatim.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// One entry of `model_remains`: a bucket, or anything else (a `null`, a number), which is dropped.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RemainRow {
    Bucket(Box<ModelRemain>),
    Other(serde::de::IgnoredAny),
}

/// `model_remains` as sent: a list (odd entries dropped), or any other value (read as no buckets).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RemainRows {
    List(Vec<RemainRow>),
    Other(serde::de::IgnoredAny),
}

impl RemainRows {
    fn buckets(self) -> Vec<ModelRemain> {
        match self {
            RemainRows::List(rows) => rows
                .into_iter()
                .filter_map(|row| match row {
                    RemainRow::Bucket(bucket) => Some(*bucket),
                    RemainRow::Other(_) => None,
                })
                .collect(),
            RemainRows::Other(_) => Vec::new(),
        }
    }
}

/// The `data` wrapper some captures put around the answer (REPORTED, CodexBar test).
#[derive(Debug, Default, Deserialize)]
struct RemainsData {
    #[serde(default)]
    model_remains: Option<RemainRows>,
}

#[derive(Debug, Deserialize)]
struct RemainsWire {
    #[serde(default)]
    model_remains: Option<RemainRows>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
    #[serde(default, deserialize_with = "lenient_data")]
    data: Option<RemainsData>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}
enveloped!(RemainsWire);

/// Reads the `data` wrapper when it is an object of the expected shape, and ignores it otherwise.
fn lenient_data<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<RemainsData>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Data {
        Object(RemainsData),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Data>::deserialize(d)? {
        Some(Data::Object(data)) => Some(data),
        _ => None,
    })
}

/// Decodes a remains body (the `path` that produced it is kept for the meaning of the counts).
pub fn parse_remains(path: &'static str, body: &[u8], trace_id: Option<String>) -> Result<PlanRemains> {
    decode_remains(path, body, 200, trace_id)
}

fn decode_remains(
    path: &'static str,
    body: &[u8],
    http_status: u16,
    trace_id: Option<String>,
) -> Result<PlanRemains> {
    let wire: RemainsWire = decode_body(path, body, http_status, trace_id.as_deref())?;
    let rows = wire.model_remains.or_else(|| wire.data.and_then(|data| data.model_remains));
    Ok(PlanRemains {
        model_remains: rows.map(RemainRows::buckets).unwrap_or_default(),
        other: wire.other,
        source_path: path,
        trace_id,
    })
}

/// The answer of the remains endpoint, under the name the interpretation uses.
pub type RemainsResponse = PlanRemains;

/// The answer of the remains endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRemains {
    /// One entry per bucket (empty when the server sent `null`).
    pub model_remains: Vec<ModelRemain>,
    /// Other top-level fields (`current_subscribe_title`, `plan_name`, `token_plan_credit`, …), verbatim.
    pub other: BTreeMap<String, serde_json::Value>,
    /// Which path answered: [`REMAINS_PATH`] or [`LEGACY_REMAINS_PATH`].
    pub source_path: &'static str,
    /// The `Trace-Id` header.
    pub trace_id: Option<String>,
}

/// The Token Plan quota endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Plan<'_> {
    /// Reads the quota buckets. Falls back to the legacy path only when the current one is missing
    /// (HTTP 404 or an answer that is not the documented shape); API errors such as 1004 ("no active
    /// plan", i.e. a pay-as-you-go key) or 2049 (wrong region) are returned as they are.
    pub async fn remains(self) -> Result<PlanRemains> {
        match self.remains_at(REMAINS_PATH).await {
            Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::Decode) => {
                tracing::info!(%error, "token_plan/remains unavailable, trying the legacy coding_plan path");
                self.remains_at(LEGACY_REMAINS_PATH).await
            }
            other => other,
        }
    }

    async fn remains_at(self, path: &'static str) -> Result<PlanRemains> {
        let spec = RequestSpec::get(path, Vec::new());
        self.client
            .execute(&spec, |reply| decode_remains(path, &reply.body, reply.status, reply.trace_id.clone()))
            .await
    }
}

impl MiniMaxClient {
    /// Token Plan quota calls.
    pub fn plan(&self) -> Plan<'_> {
        Plan { client: self }
    }

    /// Finds which of `candidates` accepts the key, the way mmx-cli detects a key's region
    /// (§1.1): `GET /v1/token_plan/remains` on each host in turn; the first that answers
    /// `base_resp.status_code == 0` wins. `Ok(None)` when every host rejects the key (wrong key, or a
    /// pay-as-you-go key, which gets 1004 everywhere); network failures are returned as errors.
    /// Pass `&[Region::Global, Region::Mainland]` for the two official hosts.
    pub async fn probe_region(config: &Config, candidates: &[Region]) -> Result<Option<Region>> {
        for region in candidates {
            let mut candidate = config.clone();
            candidate.region = region.clone();
            candidate.retry = crate::config::RetryPolicy::none();
            match MiniMaxClient::new(candidate)?.plan().remains().await {
                Ok(_) => return Ok(Some(region.clone())),
                Err(error) if matches!(error.kind(), ErrorKind::InvalidApiKey | ErrorKind::Unauthorized) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(None)
    }
}
