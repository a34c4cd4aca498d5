//! What every command shares: the data folder, the app's settings, the library, the API client and the
//! runner, resolved from flags, environment and what the app saved.

use std::path::PathBuf;
use std::sync::Arc;

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

    /// The library, opened and migrated without the consistency pass: that pass stats every media file, so a
    /// command's fixed cost would grow with the library (5,009 `statx` calls for `history` at 5,000 items).
    /// It runs in the app's background check and in `tokenplan check`.
    pub fn library(&self) -> Result<Library> {
        Ok(Library::open_unchecked_at(self.data_dir.root())?)
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
        let (runner, library) = self.start_runner(kind, label)?;
        if kind == KeyKind::Plan
            && let Err(reason) = runner.refresh_server().await
        {
            tracing::info!(%reason, "the server's quota is not known; the ledger decides what fits");
        }
        Ok((runner, library))
    }

    /// [`Session::runner_for`] without the server's quota read, for a caller that reads it itself.
    pub fn start_runner(&self, kind: KeyKind, label: &str) -> Result<(Runner, SharedLibrary)> {
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
            // The command line reads the server's quota itself, awaited, before it decides (`runner_for`,
            // `quota`); the background read at start would be a second one.
            policy: RunnerPolicy {
                read_server_on_start: false,
                ..RunnerPolicy::for_region(&self.settings.region)
            },
            clock: Arc::new(SystemClock),
        });
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

/// No progress output at all (`--json`): set once by `main` before any command runs.
static QUIET: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Makes [`Progress`] silent for the whole run (`--json`).
pub fn set_quiet(quiet: bool) {
    let _ = QUIET.set(quiet);
}

/// The job's state in words, as the spinner shows it.
pub fn state_words(job: &Job) -> String {
    use studio_core::modality::Modality;
    use studio_core::storage::JobState;
    match job.state {
        JobState::Queued => "queued".into(),
        JobState::WaitingForQuota => "waiting for quota".into(),
        JobState::Running => match job.modality {
            Modality::Video | Modality::Film => "rendering".into(),
            Modality::Speech | Modality::Music => "generating audio".into(),
            _ => "generating".into(),
        },
        JobState::Downloading => "downloading".into(),
        JobState::Succeeded => "done".into(),
        JobState::Failed => "failed".into(),
        JobState::Cancelled => "cancelled".into(),
        JobState::Interrupted => "interrupted".into(),
    }
}

/// Progress of one job on stderr: a spinner with the job, its state in words and the elapsed time, when
/// stderr is a terminal. Silent with `--json` or when stderr is a file or a pipe (scripts, logs).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// Starts the clock (and the spinner, on a terminal).
    pub fn new() -> Self {
        use std::io::IsTerminal;
        let quiet = QUIET.get().copied().unwrap_or(false) || !std::io::stderr().is_terminal();
        let bar = (!quiet).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
            let style = indicatif::ProgressStyle::with_template("{spinner} {prefix} {msg} · {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        Progress { bar }
    }

    /// Shows `job`'s state; a finished job leaves one line behind.
    pub fn report(&mut self, job: &Job) {
        let Some(bar) = &self.bar else { return };
        bar.set_prefix(format!("job {} {} {}", job.id, job.modality.as_str(), job.model));
        let mut words = state_words(job);
        if let Some(task) = &job.remote_task_id
            && !job.state.is_finished()
        {
            words.push_str(&format!(" (task {task})"));
        }
        bar.set_message(words);
        if job.state.is_finished() || job.state == studio_core::storage::JobState::Interrupted {
            bar.finish();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar
            && !bar.is_finished()
        {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_words_say_what_the_job_is_doing() {
        let mut job: Job = serde_json::from_value(serde_json::json!({
            "id": 1, "modality": "video", "model": "MiniMax-Hailuo-02",
            "params": serde_json::to_value(studio_core::request::JobParams::seeded()).unwrap(),
            "prompt": "p", "state": "running", "keyKind": "plan", "demo": false, "createdAtMs": 0, "updatedAtMs": 0
        }))
        .unwrap();
        assert_eq!(state_words(&job), "rendering");
        job.state = studio_core::storage::JobState::WaitingForQuota;
        assert_eq!(state_words(&job), "waiting for quota");
        job.state = studio_core::storage::JobState::Queued;
        assert_eq!(state_words(&job), "queued");
    }
}
