//! What every command shares: the data folder, the app's settings, the library, the API client and the
//! runner, resolved from flags, environment and what the app saved.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use minimax_api::{ApiKey, Config, KeyType, MiniMaxClient};
use studio_core::clients::ApiClients;
use studio_core::runner::{Runner, RunnerConfig, RunnerPolicy, SystemClock};
use studio_core::settings::{Region, SETTINGS_KEY, Settings};
use studio_core::storage::{Job, JobWithMedia, KeyKind, SharedLibrary};
use studio_core::{DataDir, Library};

use crate::error::{CliError, Result};

/// The resolved configuration of one invocation.
pub struct Session {
    /// The data folder.
    pub data_dir: DataDir,
    /// The app's settings (defaults when the app never saved any).
    pub settings: Settings,
    api_host: Option<String>,
    /// The key and the key it is (from the flag or environment by its prefix; from the app, by its slot).
    api_key: Option<(ApiKey, KeyKind)>,
}

impl Session {
    /// Resolves the data folder (`--home`, `TOKENPLAN_HOME`, else the OS data folder) and reads the settings.
    pub fn open(home: Option<PathBuf>, api_host: Option<String>, api_key: Option<String>) -> Result<Self> {
        let data_dir = match home {
            Some(dir) => DataDir::at(dir)?,
            None => DataDir::resolve()?,
        };
        let settings = read_settings(&data_dir)?;
        let api_key = match api_key.filter(|k| !k.trim().is_empty()) {
            Some(key) => {
                let key = ApiKey::new(key.trim());
                let kind =
                    if key.key_type() == KeyType::PayAsYouGo { KeyKind::PayAsYouGo } else { KeyKind::Plan };
                Some((key, kind))
            }
            None => saved_key(&data_dir),
        };
        // The same rule as the app's custom host: https, or plain http only to this computer.
        let api_host = api_host
            .filter(|h| !h.trim().is_empty())
            .map(|h| {
                studio_core::settings::checked_api_host(&h)
                    .map_err(|reason| CliError::Usage(format!("--api-host: {reason}")))
            })
            .transpose()?;
        Ok(Session { data_dir, settings, api_host, api_key })
    }

    /// The library (its consistency report goes to the log: the command line never deletes anything).
    pub fn library(&self) -> Result<Library> {
        let (library, report) = Library::open(&self.data_dir)?;
        if !report.is_clean() {
            tracing::warn!(?report, "library consistency");
        }
        Ok(library)
    }

    fn key(&self) -> Result<ApiKey> {
        self.api_key.as_ref().map(|(key, _)| key.clone()).ok_or(CliError::NoApiKey)
    }

    /// Which key runs jobs: a `sk-api-…` key (or the app's pay-as-you-go slot) on pay-as-you-go, else the plan.
    pub fn key_kind(&self) -> KeyKind {
        self.api_key.as_ref().map_or(KeyKind::Plan, |(_, kind)| *kind)
    }

    /// A client for the configured host and key.
    pub fn client(&self) -> Result<MiniMaxClient> {
        let region = match (&self.api_host, &self.settings.region) {
            (Some(host), _) => minimax_api::Region::Custom(host.clone()),
            (None, Region::Global) => minimax_api::Region::Global,
            (None, Region::Mainland) => minimax_api::Region::Mainland,
            (None, Region::Custom { host }) => minimax_api::Region::Custom(host.clone()),
        };
        Ok(MiniMaxClient::new(Config::new(region, self.key()?))?)
    }

    /// A runner over the library whose key runs jobs of `kind`, and the library it shares. `label` is what
    /// the app says runs a job of this process (`tokenplan video`). With the plan key the server's quota is
    /// read first, so a job is held only for quota MiniMax really lacks (and the plan's profile is detected);
    /// a server that does not answer leaves the ledger in charge.
    pub async fn runner_for(&self, kind: KeyKind, label: &str) -> Result<(Runner, SharedLibrary)> {
        let client = self.client()?;
        let clients = match kind {
            KeyKind::Plan => ApiClients { plan: Some(client), pay_as_you_go: None },
            KeyKind::PayAsYouGo => ApiClients { plan: None, pay_as_you_go: Some(client) },
        };
        let library = SharedLibrary::new(self.library()?);
        let runner = Runner::start(RunnerConfig {
            library: library.clone(),
            settings: self.settings.clone(),
            clients: Some(clients),
            label: label.to_owned(),
            demo: false,
            policy: RunnerPolicy::for_region(&self.settings.region),
            clock: Arc::new(SystemClock),
        });
        if kind == KeyKind::Plan
            && let Err(reason) = runner.refresh_server().await
        {
            tracing::info!(%reason, "the server's quota is not known; the ledger decides what fits");
        }
        Ok((runner, library))
    }
}

/// The key the app saved (keychain or key file): the Token Plan key, else the pay-as-you-go key.
fn saved_key(data_dir: &DataDir) -> Option<(ApiKey, KeyKind)> {
    let store = studio_core::keys::KeyStore::open(data_dir.home());
    [KeyKind::Plan, KeyKind::PayAsYouGo].into_iter().find_map(|kind| match store.load(kind) {
        Ok(found) => found.map(|(key, _)| (key, kind)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the app's saved keys");
            None
        }
    })
}

/// Reads the settings the app saved (`settings.json`, a key–value store), defaults when absent.
fn read_settings(data_dir: &DataDir) -> Result<Settings> {
    let path = data_dir.settings_file();
    let stored = match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get(SETTINGS_KEY).cloned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    Ok(Settings::from_stored(stored)?)
}

/// Where results go: one JSON document on stdout, or lines for people.
pub struct Output {
    /// `--json`.
    pub json: bool,
}

impl Output {
    /// Prints a JSON document (with `--json`) or the human text.
    pub fn print(&self, document: &serde_json::Value, human: impl FnOnce() -> String) {
        if self.json {
            println!("{document}");
        } else {
            let text = human();
            if !text.is_empty() {
                println!("{text}");
            }
        }
    }
}

/// The contract's `job` object.
pub fn job_json(job: &Job) -> serde_json::Value {
    serde_json::json!({
        "id": job.id,
        "kind": job.modality,
        "model": job.model,
        "status": job.state,
        "costRequests": job.actual_requests.or(job.estimate_requests),
        "remoteTaskId": job.remote_task_id,
        "keyKind": job.key_kind,
        "error": job.error,
    })
}

/// The contract's `assets` array: absolute paths.
pub fn assets_json(root: &std::path::Path, with_media: &JobWithMedia) -> serde_json::Value {
    with_media
        .media
        .iter()
        .map(|m| {
            serde_json::json!({
                "path": root.join(&m.rel_path),
                "mime": m.mime,
                "bytes": m.size_bytes,
            })
        })
        .collect()
}

/// Progress on stderr: one line per state change, with the elapsed time.
pub struct Progress {
    started: Instant,
    last: Option<String>,
}

impl Progress {
    /// Starts the clock.
    pub fn new() -> Self {
        Progress { started: Instant::now(), last: None }
    }

    /// Reports `job` if its state or task changed.
    pub fn report(&mut self, job: &Job) {
        let task = job.remote_task_id.as_deref().map(|t| format!(" (task {t})")).unwrap_or_default();
        let line = format!("job {} {} {}: {:?}{task}", job.id, job.modality.as_str(), job.model, job.state);
        if self.last.as_deref() != Some(line.as_str()) {
            eprintln!("{line} · {:.1} s", self.started.elapsed().as_secs_f64());
            self.last = Some(line);
        }
    }
}
