//! The two API keys (Token Plan and the optional pay-as-you-go key): kept in the OS keychain, or — when
//! there is none (a headless Linux box without a Secret Service, a locked-down session) — in a file of the
//! data folder that only the user can read. The UI learns *where* a key is and what kind it looks like,
//! never the key itself; keys never reach a log line either ([`minimax_api::ApiKey`] redacts them).
//!
//! A keychain that is there but locked (or that refuses us) is not the same as no keychain: saving then fails
//! with [`CoreError::KeychainLocked`], and the user chooses between unlocking it and keeping the key in the
//! file ([`KeysUpdate::allow_file_storage`]) — the key never lands in a file silently while a keychain exists.
//!
//! Keychain calls may block (D-Bus, a keychain prompt): call these functions from a blocking thread.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// A change to one key. Its `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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

impl fmt::Debug for KeyChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyChange::Keep => f.write_str("Keep"),
            KeyChange::Set { .. } => f.write_str("Set { key: <redacted> }"),
            KeyChange::Remove => f.write_str("Remove"),
        }
    }
}

/// What `save_api_keys` changes. Its `Debug` never shows a key ([`KeyChange`]'s does not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeysUpdate {
    /// The Token Plan key.
    pub plan: KeyChange,
    /// The pay-as-you-go key.
    pub pay_as_you_go: KeyChange,
    /// The user's answer to a locked keychain: keep a key that the keychain does not take in the 0600 file.
    /// Without it, a locked or refusing keychain is an error ([`CoreError::KeychainLocked`]) and nothing is
    /// written. (With no keychain service at all, the file is used either way, as the screen says.)
    #[serde(default)]
    pub allow_file_storage: bool,
}

/// The OS keychain as this module uses it, so tests can play a locked or absent one.
trait Keychain: Send + Sync {
    fn get(&self, account: &str) -> keyring::Result<String>;
    fn set(&self, account: &str, key: &str) -> keyring::Result<()>;
    fn delete(&self, account: &str) -> keyring::Result<()>;
}

/// The real keychain, through the `keyring` crate.
struct OsKeychain;

impl Keychain for OsKeychain {
    fn get(&self, account: &str) -> keyring::Result<String> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account)?.get_password()
    }

    fn set(&self, account: &str, key: &str) -> keyring::Result<()> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account)?.set_password(key)
    }

    fn delete(&self, account: &str) -> keyring::Result<()> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account)?.delete_credential()
    }
}

/// A keychain failure, sorted by what the user can do about it.
enum KeychainFailure {
    /// No keychain service answers (no Secret Service on this desktop, no D-Bus): the file is the store.
    Absent(String),
    /// A keychain is there but locked, or its unlock prompt was dismissed, or it refused access: the user
    /// decides (unlock and retry, or the file).
    Locked(String),
}

/// `keyring` reports a locked collection, a dismissed unlock prompt and a denied access as
/// `NoStorageAccess`; everything else (no service, D-Bus errors) is a platform failure.
fn classify(error: keyring::Error) -> KeychainFailure {
    match error {
        keyring::Error::NoStorageAccess(e) => KeychainFailure::Locked(e.to_string()),
        other => KeychainFailure::Absent(other.to_string()),
    }
}

/// The saved keys of one data folder.
#[derive(Clone)]
pub struct KeyStore {
    file: PathBuf,
    /// Keychain entries are named after the data folder, so two `TOKENPLAN_HOME`s keep separate keys.
    account_suffix: String,
    keychain: Option<Arc<dyn Keychain>>,
}

impl fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyStore")
            .field("file", &self.file)
            .field("account_suffix", &self.account_suffix)
            .field("keychain", &self.keychain.is_some())
            .finish()
    }
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
        KeyStore {
            file: root.join(KEYS_FILE),
            account_suffix: root.display().to_string(),
            keychain: Some(Arc::new(OsKeychain)),
        }
    }

    /// A store that never touches the keychain (tests, and machines where the user turned it off).
    pub fn file_only(root: &Path) -> Self {
        KeyStore { keychain: None, ..Self::open(root) }
    }

    fn account(&self, kind: KeyKind) -> String {
        format!("{}@{}", slot_name(kind), self.account_suffix)
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
        if let Some(keychain) = &self.keychain {
            match keychain.get(&self.account(kind)) {
                Ok(key) => return Ok(Some((ApiKey::new(key), KeyStorage::Keychain))),
                Err(keyring::Error::NoEntry) => {}
                Err(e) => match classify(e) {
                    KeychainFailure::Absent(e) => {
                        tracing::debug!("keychain unavailable ({e}); reading the key file")
                    }
                    KeychainFailure::Locked(e) => {
                        tracing::info!("keychain locked ({e}); reading the key file")
                    }
                },
            }
        }
        Ok(self.read_file()?.remove(slot_name(kind)).map(|k| (ApiKey::new(k), KeyStorage::File)))
    }

    /// Saves (or with `None` removes) the key of `kind`; returns where it went. A locked keychain is an error
    /// ([`KeyStore::save_with_fallback`] without the file).
    pub fn save(&self, kind: KeyKind, key: Option<&str>) -> Result<KeyStorage> {
        self.save_with_fallback(kind, key, false)
    }

    /// Saves (or with `None` removes) the key of `kind`; returns where it went. With no keychain service the
    /// key goes to the 0600 file; a keychain that is locked or refuses is [`CoreError::KeychainLocked`] unless
    /// `allow_file` (the user chose the file), and a removal it refuses is always an error (the keychain's
    /// copy would outlive it).
    pub fn save_with_fallback(
        &self,
        kind: KeyKind,
        key: Option<&str>,
        allow_file: bool,
    ) -> Result<KeyStorage> {
        let key = key.map(str::trim).filter(|k| !k.is_empty());
        let mut file = self.read_file()?;
        let mut storage = KeyStorage::File;
        if let Some(keychain) = &self.keychain {
            let account = self.account(kind);
            let outcome = match key {
                Some(key) => keychain.set(&account, key),
                None => match keychain.delete(&account) {
                    Err(keyring::Error::NoEntry) => Ok(()),
                    other => other,
                },
            };
            match outcome.map_err(classify) {
                Ok(()) => storage = KeyStorage::Keychain,
                Err(KeychainFailure::Absent(e)) => {
                    tracing::info!("no keychain ({e}); the key is kept in {KEYS_FILE} (mode 0600)");
                }
                Err(KeychainFailure::Locked(reason)) if key.is_none() || !allow_file => {
                    return Err(CoreError::KeychainLocked { reason });
                }
                Err(KeychainFailure::Locked(e)) => {
                    tracing::info!("keychain locked ({e}); the user chose {KEYS_FILE} (mode 0600)");
                }
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
                    self.save_with_fallback(kind, Some(key), update.allow_file_storage)?;
                }
                KeyChange::Remove => {
                    self.save_with_fallback(kind, None, update.allow_file_storage)?;
                }
            }
        }
        Ok(())
    }

    /// Where a key saved now would go: the keychain when it answers a read.
    pub fn preferred_storage(&self) -> KeyStorage {
        match self.keychain.as_ref().map(|k| k.get(&self.account(KeyKind::Plan))) {
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
        let update =
            KeysUpdate { plan: KeyChange::Remove, pay_as_you_go: KeyChange::Keep, allow_file_storage: false };
        store.apply(&update).unwrap();
        assert!(store.load(KeyKind::Plan).unwrap().is_none());
        assert!(!home.path().join(KEYS_FILE).exists());
        let blank = KeysUpdate {
            plan: KeyChange::Set { key: "   ".into() },
            pay_as_you_go: KeyChange::Keep,
            allow_file_storage: false,
        };
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
        assert!(!update.allow_file_storage, "the file is never chosen by default");
    }

    #[test]
    fn keys_never_appear_in_debug_output() {
        let update = KeysUpdate {
            plan: KeyChange::Set { key: "sk-cp-SECRET1".into() },
            pay_as_you_go: KeyChange::Set { key: "sk-api-SECRET2".into() },
            allow_file_storage: false,
        };
        let shown = format!("{update:?} {:?} {:#?}", update.plan, update);
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
        assert_eq!(format!("{:?}", KeyChange::Remove), "Remove");
        let home = tempfile::tempdir().unwrap();
        let store = KeyStore::file_only(home.path());
        store.save(KeyKind::Plan, Some("sk-cp-SECRET3")).unwrap();
        let (key, _) = store.load(KeyKind::Plan).unwrap().unwrap();
        let clients = store.clients(&Settings::default()).unwrap();
        let shown = format!("{store:?} {key:?} {:?}", clients.plan.is_some());
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    /// A keychain that answers every call with one failure (or works, holding keys in memory).
    struct FakeKeychain {
        failure: fn() -> keyring::Error,
        failing: bool,
        saved: std::sync::Mutex<BTreeMap<String, String>>,
    }

    impl Keychain for FakeKeychain {
        fn get(&self, account: &str) -> keyring::Result<String> {
            if self.failing {
                return Err((self.failure)());
            }
            self.saved.lock().unwrap().get(account).cloned().ok_or(keyring::Error::NoEntry)
        }

        fn set(&self, account: &str, key: &str) -> keyring::Result<()> {
            if self.failing {
                return Err((self.failure)());
            }
            self.saved.lock().unwrap().insert(account.to_owned(), key.to_owned());
            Ok(())
        }

        fn delete(&self, account: &str) -> keyring::Result<()> {
            if self.failing {
                return Err((self.failure)());
            }
            self.saved.lock().unwrap().remove(account).map(|_| ()).ok_or(keyring::Error::NoEntry)
        }
    }

    fn store_with(home: &Path, failure: Option<fn() -> keyring::Error>) -> KeyStore {
        let keychain = FakeKeychain {
            failure: failure.unwrap_or(|| keyring::Error::NoEntry),
            failing: failure.is_some(),
            saved: std::sync::Mutex::new(BTreeMap::new()),
        };
        KeyStore { keychain: Some(Arc::new(keychain)), ..KeyStore::open(home) }
    }

    fn locked() -> keyring::Error {
        keyring::Error::NoStorageAccess("the collection is locked".into())
    }

    fn no_service() -> keyring::Error {
        keyring::Error::PlatformFailure(
            "org.freedesktop.secrets was not provided by any .service files".into(),
        )
    }

    fn set_plan(key: &str, allow_file_storage: bool) -> KeysUpdate {
        KeysUpdate {
            plan: KeyChange::Set { key: key.into() },
            pay_as_you_go: KeyChange::Keep,
            allow_file_storage,
        }
    }

    #[test]
    fn a_locked_keychain_asks_instead_of_writing_the_file() {
        let home = tempfile::tempdir().unwrap();
        let store = store_with(home.path(), Some(locked));
        let err = store.apply(&set_plan("sk-cp-abc", false)).unwrap_err();
        assert!(matches!(err, CoreError::KeychainLocked { .. }), "{err:?}");
        assert!(err.to_string().contains("locked"), "{err}");
        assert!(!home.path().join(KEYS_FILE).exists(), "nothing was written while the user decides");
        assert_eq!(crate::ipc::IpcError::from(err).kind, crate::ipc::IpcErrorKind::KeychainLocked);

        // The user chose the file: it is written, 0600, and read back.
        store.apply(&set_plan("sk-cp-abc", true)).unwrap();
        assert_eq!(store.load(KeyKind::Plan).unwrap().unwrap().1, KeyStorage::File);
        // Removing needs the keychain (its copy would outlive the removal), whatever the flag says.
        let remove =
            KeysUpdate { plan: KeyChange::Remove, pay_as_you_go: KeyChange::Keep, allow_file_storage: true };
        assert!(matches!(store.apply(&remove).unwrap_err(), CoreError::KeychainLocked { .. }));
    }

    #[test]
    fn no_keychain_service_falls_back_to_the_file_as_before() {
        let home = tempfile::tempdir().unwrap();
        let store = store_with(home.path(), Some(no_service));
        store.apply(&set_plan("sk-cp-abc", false)).unwrap();
        assert_eq!(store.load(KeyKind::Plan).unwrap().unwrap().1, KeyStorage::File);
        assert_eq!(store.preferred_storage(), KeyStorage::File);
    }

    #[test]
    fn a_working_keychain_keeps_the_key_out_of_the_file() {
        let home = tempfile::tempdir().unwrap();
        let store = store_with(home.path(), None);
        store.apply(&set_plan("sk-cp-abc", false)).unwrap();
        assert_eq!(
            store.load(KeyKind::Plan).unwrap().unwrap(),
            (ApiKey::new("sk-cp-abc"), KeyStorage::Keychain)
        );
        assert!(!home.path().join(KEYS_FILE).exists());
        assert_eq!(store.preferred_storage(), KeyStorage::Keychain);
    }
}
