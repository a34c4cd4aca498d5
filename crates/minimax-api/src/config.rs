//! Client configuration: region or custom host, the API key as a secret, timeouts, retries, headers.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};

/// The global API host (keys minted on platform.minimax.io).
pub const GLOBAL_BASE_URL: &str = "https://api.minimax.io";
/// The mainland China API host (keys minted on platform.minimaxi.com).
pub const MAINLAND_BASE_URL: &str = "https://api.minimaxi.com";

/// Where the API lives. Keys are region-bound (minimax-api.md §1.1): a global key fails on the
/// mainland host with 2049/1004 and vice versa.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Region {
    /// `https://api.minimax.io`.
    Global,
    /// `https://api.minimaxi.com`.
    Mainland,
    /// Any other base URL (a simulator, `https://api.minimax.cn`, a proxy). A trailing `/` or `/v1` is
    /// ignored.
    Custom(String),
}

impl Region {
    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Region::Global => GLOBAL_BASE_URL,
            Region::Mainland => MAINLAND_BASE_URL,
            // "https://api.minimax.io/v1" is what OpenAI SDK users paste; our paths already start with /v1.
            Region::Custom(url) => {
                let url = url.trim_end_matches('/');
                url.strip_suffix("/v1").unwrap_or(url)
            }
        }
    }
}

/// The API key. It never appears in `Debug`, `Display`, logs or errors; only the transport reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key (surrounding whitespace is dropped, as users paste keys with newlines).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into().trim().to_owned())
    }

    /// The kind of key, from its documented prefix (minimax-api.md §1.3).
    pub fn key_type(&self) -> KeyType {
        if self.0.starts_with("sk-cp-") {
            KeyType::TokenPlan
        } else if self.0.starts_with("sk-api-") {
            KeyType::PayAsYouGo
        } else {
            KeyType::Unknown
        }
    }

    /// A short, stable fingerprint of the key (FNV-1a 64, hex): what a caller stores to remember facts
    /// about *this* key (its plan's entitlements) without storing the key. It cannot be turned back into
    /// the key.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.0.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// The key itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The kind of key, judged from its prefix only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// `sk-cp-…`: a Token Plan (formerly Coding Plan) subscription key.
    TokenPlan,
    /// `sk-api-…`: a pay-as-you-go key billed from the account balance.
    PayAsYouGo,
    /// Any other shape (older JWT-looking keys, test keys).
    Unknown,
}

/// How failed calls are retried: bounded exponential backoff with full jitter, for retryable failures
/// only (see [`crate::Error::retryable`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Upper bound of the first delay; doubled at each retry.
    pub base_delay: Duration,
    /// Upper bound of any single delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// The delay before retry number `retry` (0-based): a random duration in
    /// `[0, min(max_delay, base_delay * 2^retry)]` ("full jitter", so many clients do not retry in step).
    pub fn delay_for(&self, retry: u32) -> Duration {
        let ceiling = self.base_delay.saturating_mul(1u32 << retry.min(16)).min(self.max_delay);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }

    /// The delay before retry number `retry` when the server sent `Retry-After`: at least that long.
    /// `None` when the server asks for more than `max_delay` (the caller should reschedule, not block).
    pub fn delay_honouring(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let jittered = self.delay_for(retry);
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait.max(jittered)),
            None => Some(jittered),
        }
    }
}

/// Everything the client needs to talk to MiniMax.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which host to call.
    pub region: Region,
    /// The API key (redacted in `Debug`).
    pub api_key: ApiKey,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole non-streaming call (music generation can take minutes).
    pub request_timeout: Duration,
    /// Longest silence tolerated by streamed calls and downloads: waiting for the response headers, and
    /// between two chunks. Not applied to plain calls, which `request_timeout` bounds as a whole (a
    /// music generation may send nothing for minutes).
    pub read_timeout: Duration,
    /// Retry behaviour for retryable failures.
    pub retry: RetryPolicy,
    /// Optional `MM-API-Source` header value (sent by the official MCP servers; not required).
    pub api_source: Option<String>,
    /// The `User-Agent` header; defaults to `token-plan-studio/<crate version>`.
    pub user_agent: String,
}

impl Config {
    /// A configuration with the defaults: 10 s connect, 600 s per call (the official music skill uses
    /// 600 s), 60 s between stream chunks, three retries.
    pub fn new(region: Region, api_key: ApiKey) -> Self {
        Config {
            region,
            api_key,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(600),
            read_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            api_source: None,
            user_agent: format!("token-plan-studio/{}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// Checks the configuration before a client is built.
    pub fn check(&self) -> Result<()> {
        let base = self.region.base_url();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(Error::InvalidConfig {
                field: "region",
                reason: format!("base URL must start with http:// or https://, got {base:?}"),
            });
        }
        if self.api_key.expose().is_empty() {
            return Err(Error::InvalidConfig { field: "api_key", reason: "the API key is empty".into() });
        }
        if self.api_key.expose().chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::InvalidConfig {
                field: "api_key",
                reason: "the API key contains spaces or control characters".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk-cp-SECRET-abcdef123456";

    #[test]
    fn key_never_appears_in_debug_or_display() {
        let config = Config::new(Region::Global, ApiKey::new(SECRET));
        assert!(!format!("{config:?}").contains("SECRET"));
        assert!(!format!("{:?}", config.api_key).contains("SECRET"));
        assert!(!config.api_key.to_string().contains("SECRET"));
        assert!(format!("{config:?}").contains("redacted"));
    }

    #[test]
    fn regions_map_to_documented_hosts() {
        assert_eq!(Region::Global.base_url(), "https://api.minimax.io");
        assert_eq!(Region::Mainland.base_url(), "https://api.minimaxi.com");
        assert_eq!(Region::Custom("http://127.0.0.1:9/".into()).base_url(), "http://127.0.0.1:9");
        assert_eq!(Region::Custom("https://api.minimax.cn/v1/".into()).base_url(), "https://api.minimax.cn");
    }

    #[test]
    fn key_types_follow_prefixes() {
        assert_eq!(ApiKey::new("sk-cp-x").key_type(), KeyType::TokenPlan);
        assert_eq!(ApiKey::new(" sk-api-x\n").key_type(), KeyType::PayAsYouGo);
        assert_eq!(ApiKey::new("eyJhbGci").key_type(), KeyType::Unknown);
    }

    #[test]
    fn config_check_rejects_bad_values_without_leaking_the_key() {
        let bad_host = Config::new(Region::Custom("ftp://x".into()), ApiKey::new(SECRET));
        assert!(bad_host.check().is_err());
        let empty = Config::new(Region::Global, ApiKey::new("  "));
        let err = empty.check().unwrap_err();
        assert!(err.to_string().contains("api_key"));
        let spaced = Config::new(Region::Global, ApiKey::new("sk-cp-SECRET with space"));
        assert!(!spaced.check().unwrap_err().to_string().contains("SECRET"));
    }

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::default();
        for retry in 0..40 {
            assert!(policy.delay_for(retry) <= policy.max_delay);
        }
        assert!(policy.delay_for(0) <= policy.base_delay);
        assert_eq!(policy.delay_honouring(0, Some(Duration::from_secs(9))), None);
        assert!(policy.delay_honouring(0, Some(Duration::from_secs(2))).unwrap() >= Duration::from_secs(2));
    }
}
