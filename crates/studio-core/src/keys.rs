//! The two API keys (Token Plan and the optional pay-as-you-go key): kept in the OS keychain, or — when
//! there is none (a headless Linux box without a Secret Service, a locked-down session) — in a file of the
//! data folder that only the user can read. The UI learns *where* a key is and what kind it looks like,
//! never the key itself; keys never reach a log line either ([`minimax_api::ApiKey`] redacts them).
//!
//! Keychain calls may block (D-Bus, a keychain prompt): call these functions from a blocking thread.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use minimax_api::{ApiKey, Config, KeyType, MiniMaxClient};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ApiClients;
use crate::data_dir::KEYS_FILE;
use crate::error::{CoreError, Result};
use crate::settings::{Region, Settings};
use crate::storage::KeyKind;

/// The keychain service name every entry is filed under.
pub const KEYCHAIN_SERVICE: &str = "token-plan-studio";

/// Where a saved key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeyStorage {
    /// The OS keychain (Keychain, Credential Manager, Secret Service).
    Keychain,
    /// `keys.json` in the data folder, readable only by the user (no keychain was available).
    File,
}

/// What a key looks like from its prefix (`sk-cp-` Token Plan, `sk-api-` pay-as-you-go).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ApiKeyType {
    /// A Token Plan subscription key.
    TokenPlan,
    /// A pay-as-you-go key.
    PayAsYouGo,
    /// Another shape (older keys, test keys).
    Unknown,
}

impl From<KeyType> for ApiKeyType {
    fn from(kind: KeyType) -> Self {
        match kind {
            KeyType::TokenPlan => ApiKeyType::TokenPlan,
            KeyType::PayAsYouGo => ApiKeyType::PayAsYouGo,
            KeyType::Unknown => ApiKeyType::Unknown,
        }
    }
}

/// One key as the UI may see it: whether it is set, where, and its kind — never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeySlot {
    /// Where it is kept; absent when no key is saved.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<KeyStorage>,
    /// Its kind by prefix; absent when no key is saved.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<ApiKeyType>,
}

/// Both keys, and whether the app runs against the built-in simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyStatus {
    /// The Token Plan key.
    pub plan: KeySlot,
    /// The pay-as-you-go key.
    pub pay_as_you_go: KeySlot,
    /// Demo mode: jobs go to the embedded simulator and nothing is billed.
    pub demo: bool,
    /// Where a key saved now would go (the keychain when one answers).
    pub storage: KeyStorage,
}

/// A change to one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "camelCase")]
#[ts(export)]
pub enum KeyChange {
    /// Leave it as it is.
    Keep,
    /// Save this key (surrounding whitespace is dropped).
    Set {
        /// The key.
        key: String,
    },
    /// Forget it.
    Remove,
}

/// What `save_api_keys` changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeysUpdate {
    /// The Token Plan key.
    pub plan: KeyChange,
    /// The pay-as-you-go key.
    pub pay_as_you_go: KeyChange,
}

/// The saved keys of one data folder.
#[derive(Debug, Clone)]
pub struct KeyStore {
    file: PathBuf,
    /// Keychain entries are named after the data folder, so two `TOKENPLAN_HOME`s keep separate keys.
    account_suffix: String,
    keychain: bool,
}

fn slot_name(kind: KeyKind) -> &'static str {
    kind.as_str()
}

fn keys_error(path: &Path, source: std::io::Error) -> CoreError {
    CoreError::KeyFile { path: path.to_path_buf(), source }
}

impl KeyStore {
    /// The store of the data folder `root`, using the OS keychain when it answers.
    pub fn open(root: &Path) -> Self {
        KeyStore { file: root.join(KEYS_FILE), account_suffix: root.display().to_string(), keychain: true }
    }

    /// A store that never touches the keychain (tests, and machines where the user turned it off).
    pub fn file_only(root: &Path) -> Self {
        KeyStore { keychain: false, ..Self::open(root) }
    }

    fn entry(&self, kind: KeyKind) -> Option<keyring::Entry> {
        if !self.keychain {
            return None;
        }
        let account = format!("{}@{}", slot_name(kind), self.account_suffix);
        keyring::Entry::new(KEYCHAIN_SERVICE, &account).ok()
    }

    fn read_file(&self) -> Result<BTreeMap<String, String>> {
        match std::fs::read_to_string(&self.file) {
            Ok(text) => Ok(serde_json::from_str(&text)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(keys_error(&self.file, e)),
        }
    }

    /// Writes the file through a temporary name created with mode 0600, so the key is never readable by
    /// others, not even for a moment.
    fn write_file(&self, keys: &BTreeMap<String, String>) -> Result<()> {
        if keys.is_empty() {
            return match std::fs::remove_file(&self.file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(keys_error(&self.file, e)),
                _ => Ok(()),
            };
        }
        let temp = self.file.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp).map_err(|e| keys_error(&temp, e))?;
        let body = serde_json::to_vec_pretty(keys)?;
        file.write_all(&body).and_then(|()| file.sync_all()).map_err(|e| keys_error(&temp, e))?;
        std::fs::rename(&temp, &self.file).map_err(|e| keys_error(&self.file, e))
    }

    /// The saved key of `kind` and where it was found.
    pub fn load(&self, kind: KeyKind) -> Result<Option<(ApiKey, KeyStorage)>> {
        if let Some(entry) = self.entry(kind) {
            match entry.get_password() {
                Ok(key) => return Ok(Some((ApiKey::new(key), KeyStorage::Keychain))),
                Err(keyring::Error::NoEntry) => {}
                Err(e) => tracing::debug!("keychain unavailable ({e}); reading the key file"),
            }
        }
        Ok(self.read_file()?.remove(slot_name(kind)).map(|k| (ApiKey::new(k), KeyStorage::File)))
    }

    /// Saves (or with `None` removes) the key of `kind`; returns where it went.
    pub fn save(&self, kind: KeyKind, key: Option<&str>) -> Result<KeyStorage> {
        let key = key.map(str::trim).filter(|k| !k.is_empty());
        let mut file = self.read_file()?;
        let mut storage = KeyStorage::File;
        if let Some(entry) = self.entry(kind) {
            let outcome = match key {
                Some(key) => entry.set_password(key),
                None => match entry.delete_credential() {
                    Err(keyring::Error::NoEntry) => Ok(()),
                    other => other,
                },
            };
            match outcome {
                Ok(()) => storage = KeyStorage::Keychain,
                Err(e) => tracing::info!("no keychain ({e}); the key is kept in {KEYS_FILE} (mode 0600)"),
            }
        }
        match (key, storage) {
            (Some(key), KeyStorage::File) => {
                file.insert(slot_name(kind).to_owned(), key.to_owned());
            }
            // In the keychain now (or removed): no copy stays in the file.
            _ => {
                file.remove(slot_name(kind));
            }
        }
        self.write_file(&file)?;
        Ok(storage)
    }

    /// Applies an update from the Settings screen.
    pub fn apply(&self, update: &KeysUpdate) -> Result<()> {
        for (kind, change) in [(KeyKind::Plan, &update.plan), (KeyKind::PayAsYouGo, &update.pay_as_you_go)] {
            match change {
                KeyChange::Keep => {}
                KeyChange::Set { key } => {
                    self.save(kind, Some(key))?;
                }
                KeyChange::Remove => {
                    self.save(kind, None)?;
                }
            }
        }
        Ok(())
    }

    /// Where a key saved now would go: the keychain when it answers a read.
    pub fn preferred_storage(&self) -> KeyStorage {
        match self.entry(KeyKind::Plan).map(|e| e.get_password()) {
            Some(Ok(_) | Err(keyring::Error::NoEntry)) => KeyStorage::Keychain,
            _ => KeyStorage::File,
        }
    }

    /// What the UI may know about the keys.
    pub fn status(&self, demo: bool) -> Result<KeyStatus> {
        let slot = |kind| -> Result<KeySlot> {
            Ok(match self.load(kind)? {
                Some((key, storage)) => {
                    KeySlot { storage: Some(storage), key_type: Some(key.key_type().into()) }
                }
                None => KeySlot { storage: None, key_type: None },
            })
        };
        Ok(KeyStatus {
            plan: slot(KeyKind::Plan)?,
            pay_as_you_go: slot(KeyKind::PayAsYouGo)?,
            demo,
            storage: self.preferred_storage(),
        })
    }

    /// The API clients for the saved keys on the settings' region.
    pub fn clients(&self, settings: &Settings) -> Result<ApiClients> {
        let region = api_region(&settings.region);
        let client = |kind| -> Result<Option<MiniMaxClient>> {
            match self.load(kind)? {
                Some((key, _)) => Ok(client_for(region.clone(), key)),
                None => Ok(None),
            }
        };
        Ok(ApiClients { plan: client(KeyKind::Plan)?, pay_as_you_go: client(KeyKind::PayAsYouGo)? })
    }
}

/// The client library's region for a settings region.
pub fn api_region(region: &Region) -> minimax_api::Region {
    match region {
        Region::Global => minimax_api::Region::Global,
        Region::Mainland => minimax_api::Region::Mainland,
        Region::Custom { host } => minimax_api::Region::Custom(host.clone()),
    }
}

/// A client for `key` on `region`; `None` (logged) when the configuration is unusable, e.g. a key with
/// spaces in it — jobs then fail with "no key" instead of the app refusing to start.
pub fn client_for(region: minimax_api::Region, key: ApiKey) -> Option<MiniMaxClient> {
    match MiniMaxClient::new(Config::new(region, key)) {
        Ok(client) => Some(client),
        Err(e) => {
            tracing::warn!("cannot build an API client: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fallback_is_private_and_keys_round_trip() {
        let home = tempfile::tempdir().unwrap();
        let store = KeyStore::file_only(home.path());
        assert_eq!(store.status(false).unwrap().plan, KeySlot { storage: None, key_type: None });
        assert_eq!(store.save(KeyKind::Plan, Some("  sk-cp-abc \n")).unwrap(), KeyStorage::File);
        store.save(KeyKind::PayAsYouGo, Some("sk-api-xyz")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(home.path().join(KEYS_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the user may read the key file");
        }
        let status = store.status(false).unwrap();
        assert_eq!(status.plan.storage, Some(KeyStorage::File));
        assert_eq!(status.plan.key_type, Some(ApiKeyType::TokenPlan));
        assert_eq!(status.pay_as_you_go.key_type, Some(ApiKeyType::PayAsYouGo));
        assert_eq!(status.storage, KeyStorage::File);
        let (key, _) = store.load(KeyKind::Plan).unwrap().unwrap();
        assert_eq!(key, ApiKey::new("sk-cp-abc"));
        assert!(!format!("{status:?}").contains("sk-cp-abc"), "the status never carries the key");
    }

    #[test]
    fn removing_keys_removes_the_file_when_empty() {
        let home = tempfile::tempdir().unwrap();
        let store = KeyStore::file_only(home.path());
        store.save(KeyKind::Plan, Some("sk-cp-abc")).unwrap();
        let update = KeysUpdate { plan: KeyChange::Remove, pay_as_you_go: KeyChange::Keep };
        store.apply(&update).unwrap();
        assert!(store.load(KeyKind::Plan).unwrap().is_none());
        assert!(!home.path().join(KEYS_FILE).exists());
        let blank = KeysUpdate { plan: KeyChange::Set { key: "   ".into() }, pay_as_you_go: KeyChange::Keep };
        store.apply(&blank).unwrap();
        assert!(store.load(KeyKind::Plan).unwrap().is_none(), "a blank key is no key");
    }

    #[test]
    fn clients_follow_the_saved_keys() {
        let home = tempfile::tempdir().unwrap();
        let store = KeyStore::file_only(home.path());
        let settings = Settings::default();
        assert!(store.clients(&settings).unwrap().plan.is_none());
        store.save(KeyKind::Plan, Some("sk-cp-abc")).unwrap();
        let clients = store.clients(&settings).unwrap();
        assert!(clients.plan.is_some() && clients.pay_as_you_go.is_none());
    }

    #[test]
    fn wire_shapes() {
        let update: KeysUpdate = serde_json::from_value(serde_json::json!({
            "plan": {"action": "set", "key": "sk-cp-1"},
            "payAsYouGo": {"action": "remove"}
        }))
        .unwrap();
        assert_eq!(update.plan, KeyChange::Set { key: "sk-cp-1".into() });
        assert_eq!(update.pay_as_you_go, KeyChange::Remove);
    }
}
