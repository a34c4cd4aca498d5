//! A damaged or unopenable library: the app starts anyway, in a degraded mode that serves the UI and the
//! commands of the recovery screen (`get_recovery_state`, `recover_library`), instead of a process that exits.
//! From there the user opens the library read-only, restores the newest automatic backup, or starts a new
//! library (the old file is renamed aside, never deleted); the studio then starts in this same process.
//!
//! The background check (a few seconds after the first frame) removes old temporary files, runs SQLite's
//! integrity check (too slow for the way to the first frame: ≈0.2 s at 100,000 generations) and the media
//! consistency pass; a damaged database found there is marked, and the UI is told (`library-damaged`) so it
//! can offer a restart into the recovery screen.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use studio_core::events::LIBRARY_DAMAGED;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::storage::DATABASE_FILE;
use studio_core::storage::recovery::{self, LibraryMode, RecoveryAction, RecoveryState, TEMP_FILE_MIN_AGE};
use studio_core::{CoreError, DataDir, Library};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::library::now_ms;
use crate::{Shell, blocking};

/// How the library is open, and why not normally.
pub struct LibraryHealth {
    state: Mutex<(LibraryMode, Option<String>)>,
    /// Held while a recovery action runs, so two clicks never move files at once.
    acting: Mutex<()>,
}

impl LibraryHealth {
    fn new(mode: LibraryMode, problem: Option<String>) -> Self {
        LibraryHealth { state: Mutex::new((mode, problem)), acting: Mutex::new(()) }
    }

    fn get(&self) -> (LibraryMode, Option<String>) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, mode: LibraryMode, problem: Option<String>) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = (mode, problem);
    }
}

/// Opens the library and starts the studio; when the library cannot be opened, starts in recovery mode.
/// A library an earlier integrity check marked damaged is checked again first (it may have been repaired
/// or replaced by hand since).
pub fn start(app: &AppHandle, data_dir: &DataDir) {
    let root = data_dir.root();
    if recovery::damage_found(root).is_some()
        && let Err(e) = recovery::check_integrity_at(root)
    {
        tracing::error!("the library is still damaged: {e}");
    }
    match Library::open_unchecked_at(root) {
        Ok(library) => {
            app.manage(LibraryHealth::new(LibraryMode::Normal, None));
            crate::start_studio(app, data_dir, library, LibraryMode::Normal);
            check_library_later(app.clone(), root.to_path_buf());
        }
        Err(e) => {
            tracing::error!("the library cannot be opened; starting the recovery screen: {e}");
            app.manage(LibraryHealth::new(LibraryMode::Recovery, Some(e.to_string())));
        }
    }
}

/// What the recovery screen shows: how the library is open, why not normally, and the backups.
#[tauri::command]
pub async fn get_recovery_state(
    shell: State<'_, Shell>,
    health: State<'_, LibraryHealth>,
) -> Result<RecoveryState, IpcError> {
    Ok(state_of(&shell.data_dir, &health))
}

fn state_of(data_dir: &DataDir, health: &LibraryHealth) -> RecoveryState {
    let (mode, problem) = health.get();
    let root = data_dir.root();
    let backups = recovery::backups(root).unwrap_or_else(|e| {
        tracing::warn!("cannot list the backups: {e}");
        Vec::new()
    });
    RecoveryState { mode, problem, database_path: root.join(DATABASE_FILE).display().to_string(), backups }
}

/// Carries out a choice of the recovery screen and, when the library then opens, starts the studio in this
/// process. Returns the new state; a failure leaves the recovery screen up with the new reason.
#[tauri::command]
pub async fn recover_library(
    app: AppHandle,
    shell: State<'_, Shell>,
    action: RecoveryAction,
) -> Result<RecoveryState, IpcError> {
    let data_dir = shell.data_dir.clone();
    let handle = app.clone();
    blocking::run("recovery", move || {
        let health = handle.state::<LibraryHealth>();
        let _acting = health.acting.lock().unwrap_or_else(PoisonError::into_inner);
        if health.get().0 != LibraryMode::Recovery {
            return Err(IpcError::new(
                IpcErrorKind::InvalidInput,
                "The library is already open; restart the app to choose again.",
            ));
        }
        let root = data_dir.root();
        tracing::warn!(?action, "recovering the library");
        let opened = match action {
            RecoveryAction::OpenReadOnly => {
                Library::open_read_only_at(root).map(|l| (l, LibraryMode::ReadOnly))
            }
            RecoveryAction::RestoreBackup => recovery::restore_newest_backup(root, now_ms())
                .and_then(|_| Library::open_unchecked_at(root))
                .map(|l| (l, LibraryMode::Normal)),
            RecoveryAction::StartNew => recovery::move_database_aside(root, now_ms())
                .and_then(|_| Library::open_unchecked_at(root))
                .map(|l| (l, LibraryMode::Normal)),
        };
        match opened {
            Ok((library, mode)) => {
                health.set(mode, None);
                crate::start_studio(&handle, &data_dir, library, mode);
                // The page loaded long ago: the tray that start-up adds on load is added now.
                let tray_app = handle.clone();
                if let Err(e) = handle.run_on_main_thread(move || crate::tray::install_pending(&tray_app)) {
                    tracing::warn!("no tray icon after recovery: {e}");
                }
                if mode == LibraryMode::Normal {
                    check_library_later(handle.clone(), root.to_path_buf());
                }
                Ok(state_of(&data_dir, &health))
            }
            Err(e) => {
                let message = e.to_string();
                health.set(LibraryMode::Recovery, Some(message.clone()));
                Err(IpcError::new(IpcErrorKind::Internal, message))
            }
        }
    })
    .await
}

/// The background check of a running library, on a thread of its own once the first frame is up: old
/// temporary files are removed, the database's integrity is checked (a damaged one is marked and the UI told),
/// and the media consistency pass goes to the log, as when `tokenplan` opens the library.
fn check_library_later(app: AppHandle, root: PathBuf) {
    const AFTER_START: Duration = Duration::from_secs(3);
    let spawned = std::thread::Builder::new().name("library-check".into()).spawn(move || {
        std::thread::sleep(AFTER_START);
        if let Err(e) = recovery::remove_leftover_temp_files(&root, SystemTime::now(), TEMP_FILE_MIN_AGE) {
            tracing::warn!("cannot remove leftover temporary files: {e}");
        }
        match recovery::check_integrity_at(&root) {
            Ok(_) => {}
            Err(CoreError::LibraryDamaged { detail, .. }) => {
                let health = app.state::<LibraryHealth>();
                let shell = app.state::<Shell>();
                let mut state = state_of(&shell.data_dir, &health);
                state.problem = Some(detail);
                if let Err(e) = app.emit(LIBRARY_DAMAGED, &state) {
                    tracing::warn!("cannot announce the damaged library: {e}");
                }
            }
            Err(e) => tracing::warn!("library integrity check not run: {e}"),
        }
        if let Err(e) = Library::check_consistency_at(&root) {
            tracing::warn!("library consistency pass failed: {e}");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("library check not started: {e}");
    }
}
