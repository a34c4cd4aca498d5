//! "Check key": which region a key belongs to and what kind it is, found without spending anything.
//!
//! A Token Plan key is probed with `GET /v1/token_plan/remains` (free, and only a plan key passes it); a
//! pay-as-you-go key, which that endpoint always refuses, with the free voice list. The settings' region
//! is tried first, then the other official one, the way mmx-cli detects a key's region.

use minimax_api::{ApiKey, Config, ErrorKind, KeyType, MiniMaxClient, RetryPolicy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ipc::{IpcError, IpcErrorKind};
use crate::keys::{ApiKeyType, api_region};
use crate::settings::Region;
use crate::storage::KeyKind;

/// What "Check key" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyCheck {
    /// The region whose host accepted the key.
    pub region: Region,
    /// The key's kind by prefix.
    pub key_type: ApiKeyType,
    /// Whether that is the region in Settings (if not, offer to switch).
    pub matches_settings: bool,
}

fn candidates(settings: &Region) -> Vec<Region> {
    match settings {
        Region::Custom { .. } => vec![settings.clone()],
        Region::Global => vec![Region::Global, Region::Mainland],
        Region::Mainland => vec![Region::Mainland, Region::Global],
    }
}

async fn probe(kind: KeyKind, region: &Region, key: &ApiKey) -> minimax_api::Result<()> {
    let mut config = Config::new(api_region(region), key.clone());
    config.retry = RetryPolicy::none();
    config.request_timeout = std::time::Duration::from_secs(20);
    let client = MiniMaxClient::new(config)?;
    match kind {
        KeyKind::Plan => client.plan().remains().await.map(drop),
        KeyKind::PayAsYouGo => crate::voices::list_voices(&client).await.map(drop),
    }
}

/// Finds the region that accepts `key` as a key of `kind`, starting with `settings_region`.
pub async fn check_key(kind: KeyKind, key: ApiKey, settings_region: &Region) -> Result<KeyCheck, IpcError> {
    let key_type = ApiKeyType::from(key.key_type());
    for region in candidates(settings_region) {
        match probe(kind, &region, &key).await {
            Ok(()) => {
                let matches_settings = &region == settings_region;
                return Ok(KeyCheck { region, key_type, matches_settings });
            }
            Err(e) if matches!(e.kind(), ErrorKind::InvalidApiKey | ErrorKind::Unauthorized) => {
                tracing::debug!(host = %api_region(&region).base_url(), "key refused");
            }
            Err(e) => return Err(IpcError::from(e)),
        }
    }
    Err(refused(kind, key.key_type(), settings_region))
}

/// Why no host took the key, in words that say what to do.
fn refused(kind: KeyKind, key_type: KeyType, region: &Region) -> IpcError {
    let message = match (kind, key_type) {
        (KeyKind::Plan, KeyType::PayAsYouGo) => {
            "This is a pay-as-you-go key (sk-api-…), not a Token Plan key. Put it in the pay-as-you-go field; \
             the Token Plan key starts with sk-cp- and is on your Token Plan page."
        }
        _ if matches!(region, Region::Custom { .. }) => {
            "The custom host refused this key. Check the key, or that the host is the one it was issued for."
        }
        _ => {
            "Neither the global nor the mainland China host accepts this key. Check that it was copied whole \
             and that the subscription is active."
        }
    };
    IpcError::new(IpcErrorKind::InvalidApiKey, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_region_is_tried_first() {
        assert_eq!(candidates(&Region::Mainland), [Region::Mainland, Region::Global]);
        let custom = Region::Custom { host: "http://127.0.0.1:9".into() };
        assert_eq!(candidates(&custom), std::slice::from_ref(&custom));
    }

    #[test]
    fn a_pay_as_you_go_key_in_the_plan_slot_is_named() {
        let err = refused(KeyKind::Plan, KeyType::PayAsYouGo, &Region::Global);
        assert_eq!(err.kind, IpcErrorKind::InvalidApiKey);
        assert!(err.message.contains("pay-as-you-go"));
    }
}
