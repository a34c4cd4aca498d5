//! The studio's state in the shell: the job runner over the library, the saved keys and demo mode, and the
//! events that carry every job and quota change to the UI (`job-updated`, `quota-changed`) plus the native
//! notification when a job ends (`desktop.rs`).

use std::path::PathBuf;
use std::sync::Arc;

use studio_core::events::{JOB_UPDATED, QUOTA_CHANGED};
use studio_core::ipc::IpcError;
use studio_core::keys::KeyStore;
use studio_core::runner::{Runner, RunnerConfig, RunnerPolicy, SystemClock};
use studio_core::storage::{JobState, JobWithMedia, Media, SharedLibrary};
use studio_core::{DataDir, Library, Settings};
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

use crate::demo::DemoServer;

/// How long start-up waits for the keychain before saying in the log that jobs wait for it.
const KEYCHAIN_PATIENCE: std::time::Duration = std::time::Duration::from_secs(20);

/// State of the studio, managed by Tauri.
pub struct Studio {
    /// Runs and records every generation.
    pub runner: Runner,
    /// The library the runner writes to, shared with the commands that read it.
    pub library: SharedLibrary,
    /// The saved API keys.
    pub keys: KeyStore,
    /// The built-in simulator while demo mode is on.
    pub demo: tokio::sync::Mutex<Option<DemoServer>>,
    /// Present while demo mode is on, so the next launch comes back to it.
    demo_marker: PathBuf,
}

impl Studio {
    /// Starts the runner over the opened library with no clients yet: keys are read by [`Studio::resume`]
    /// off the main thread, so a slow keychain never delays the first frame. (The library is opened, or
    /// recovered, by `recovery.rs`, which also runs its background check.)
    pub fn open(data_dir: &DataDir, settings: &Settings, library: Library) -> Studio {
        let library = SharedLibrary::new(library);
        let config = RunnerConfig {
            library: library.clone(),
            settings: settings.clone(),
            // Read by `resume`, off the main thread: a slow keychain never delays the first frame.
            clients: None,
            label: "the app".into(),
            demo: false,
            policy: RunnerPolicy::for_settings(settings),
            clock: Arc::new(SystemClock),
        };
        // The runner spawns its quota watcher, so it starts inside Tauri's tokio runtime.
        let runner = tauri::async_runtime::block_on(async move { Runner::start(config) });
        Studio {
            runner,
            library,
            keys: KeyStore::open(data_dir.home()),
            demo: tokio::sync::Mutex::new(None),
            demo_marker: data_dir.demo_marker_file(),
        }
    }

    /// Picks up what the last run left unfinished, then reads the keys and gives the runner its clients (or
    /// the demo again, when it was on and no Token Plan key was saved since). Resumed jobs wait for the keys
    /// however long the keychain takes (an unlock prompt nobody answers yet): a job holding a paid task never
    /// fails for want of a key, and keys read late are applied, not dropped.
    pub async fn resume(&self, settings: Settings) {
        match self.runner.resume_unfinished() {
            Ok(jobs) if !jobs.is_empty() => tracing::info!(count = jobs.len(), "resumed unfinished jobs"),
            Ok(_) => {}
            Err(e) => tracing::error!("cannot resume unfinished jobs: {e}"),
        }
        let keys = self.keys.clone();
        let mut loaded = tauri::async_runtime::spawn_blocking(move || keys.clients(&settings));
        let loaded = match tokio::time::timeout(KEYCHAIN_PATIENCE, &mut loaded).await {
            Ok(done) => done,
            Err(_) => {
                tracing::warn!(
                    "the keychain did not answer within {KEYCHAIN_PATIENCE:?}; jobs wait for the keys"
                );
                loaded.await
            }
        };
        match loaded {
            Ok(Ok(clients)) if clients.plan.is_none() && self.demo_marker.exists() => {
                if let Err(e) = self.enter_demo().await {
                    tracing::warn!("demo mode was on but does not start again: {}", e.message);
                    self.runner.set_clients(clients);
                }
            }
            Ok(Ok(clients)) => self.runner.set_clients(clients),
            // Jobs keep waiting: saving a key in Settings gives the runner its clients.
            Ok(Err(e)) => tracing::warn!("cannot read the saved keys (jobs wait until a key is saved): {e}"),
            Err(e) => tracing::warn!("reading the saved keys stopped (jobs wait until a key is saved): {e}"),
        }
    }

    /// Rebuilds the clients from the saved keys (after a key or region change); leaves demo mode.
    pub async fn reload_clients(&self, settings: &Settings) -> Result<(), IpcError> {
        let keys = self.keys.clone();
        let settings = settings.clone();
        let clients = crate::blocking::run("keychain", move || Ok(keys.clients(&settings)?)).await?;
        if clients.plan.is_some() {
            self.leave_demo().await;
        }
        if !self.runner.is_demo() {
            self.runner.set_clients(clients);
        }
        Ok(())
    }

    /// Demo mode is on, or comes back on as soon as start-up has read the keys (it was on last time).
    pub fn demo_on(&self) -> bool {
        self.runner.is_demo() || self.demo_marker.exists()
    }

    /// Starts the built-in simulator (once) and points the runner at it.
    pub async fn enter_demo(&self) -> Result<(), IpcError> {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            *demo = Some(DemoServer::start().await?);
        }
        if let Some(server) = demo.as_ref() {
            self.runner.set_demo(true);
            self.runner.set_clients(server.clients());
        }
        if let Err(e) = std::fs::write(&self.demo_marker, b"") {
            tracing::warn!("demo mode will not be remembered: {e}");
        }
        Ok(())
    }

    async fn leave_demo(&self) {
        if let Some(server) = self.demo.lock().await.take() {
            self.runner.set_demo(false);
            server.shutdown().await;
        }
        if let Err(e) = std::fs::remove_file(&self.demo_marker)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!("cannot forget demo mode: {e}");
        }
    }
}

/// Forwards every job change to the UI as `job-updated`, then the window as `quota-changed`, and
/// notifies natively when a job ends (unless turned off in Settings).
pub async fn forward_events<R: Runtime>(app: AppHandle<R>, runner: Runner, library: SharedLibrary) {
    let mut events = runner.subscribe();
    loop {
        let job = match events.recv().await {
            Ok(job) => job,
            // The UI re-reads the list when it comes back; a burst only loses intermediate states.
            Err(RecvError::Lagged(skipped)) => {
                tracing::debug!(skipped, "job events lagged");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        // A success carries its files, so the UI shows the result without asking for it.
        let update = if job.state == JobState::Succeeded {
            let id = job.id;
            match crate::blocking::with_library(&library, move |lib| lib.job_with_media(id)).await {
                Ok(with_media) => with_media,
                Err(e) => {
                    tracing::warn!("cannot read the files of job {}: {}", job.id, e.message);
                    JobWithMedia { job, media: Vec::new() }
                }
            }
        } else {
            JobWithMedia { job, media: Vec::new() }
        };
        if let Err(e) = app.emit(JOB_UPDATED, &update) {
            tracing::warn!("cannot announce a job change: {e}");
        }
        match runner.window() {
            Ok(window) => {
                if let Err(e) = app.emit(QUOTA_CHANGED, &window) {
                    tracing::warn!("cannot announce the quota: {e}");
                }
            }
            Err(e) => tracing::warn!("cannot read the quota window: {e}"),
        }
        crate::plans::announce_current(&app, &runner);
        crate::desktop::notify_job(&app, &update.job);
        make_thumbnails(&library, update.media);
    }
}

/// Makes the Library thumbnails of a generation that was just stored, on a blocking thread, so opening the
/// Library later only reads small JPEGs instead of decoding pictures and video frames while the user waits.
fn make_thumbnails(library: &SharedLibrary, media: Vec<Media>) {
    if !media.iter().any(|m| studio_media::has_thumbnail(&m.mime)) {
        return;
    }
    let root = library.root().to_path_buf();
    tauri::async_runtime::spawn_blocking(move || {
        for file in media.iter().filter(|m| studio_media::has_thumbnail(&m.mime)) {
            if let Err(e) = studio_media::thumbnail(&root, &file.rel_path, studio_media::LIBRARY_THUMB_EDGE) {
                // The media server makes it on first view instead.
                tracing::warn!(file = %file.rel_path, "no thumbnail made: {e}");
            }
        }
    });
}
