//! The Library's commands: the list (keyset pages, no blobs), one generation's detail, delete with an undo
//! window, export, a folder picker, reveal in the file manager, and where media and thumbnails are served
//! (the loopback media server, started at launch).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use studio_core::ipc::{IpcError, IpcErrorKind, LibraryInfo};
use studio_core::storage::library_view::{GenerationDetail, LibraryCursor, LibraryPage, LibraryQuery};
use studio_core::storage::{JobWithMedia, SharedLibrary};
use studio_media::MediaServer;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::blocking;

/// Largest page of the list one call returns (the core clamps to the same).
const MAX_PAGE: u32 = 500;

/// Most generations one delete or export takes (a multi-selection is a few hundred at most).
const MAX_BATCH: usize = 10_000;

/// The media server, or why it is not running (the Library then shows no media; the rest works).
pub struct LibraryMedia {
    server: Result<MediaServer, String>,
    default_export_dir: PathBuf,
}

impl LibraryMedia {
    /// Starts the media server over the data folder and purges what the last session left in the trash
    /// (its undo window is long over) on a blocking thread.
    pub fn start<R: Runtime>(app: &AppHandle<R>, library: &SharedLibrary) -> LibraryMedia {
        let root = library.root().to_path_buf();
        let server =
            tauri::async_runtime::block_on(MediaServer::start(root.clone())).map_err(|e| e.to_string());
        if let Err(e) = &server {
            tracing::error!("the media server did not start: {e}");
        }
        let library = library.clone();
        tauri::async_runtime::spawn_blocking(move || match library.with(|lib| lib.purge_trash(now_ms())) {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "emptied the trash of the last session"),
            Err(e) => tracing::warn!("cannot empty the trash: {e}"),
        });
        let default_export_dir = app
            .path()
            .download_dir()
            .or_else(|_| app.path().home_dir())
            .unwrap_or_else(|_| root.join("exports"));
        LibraryMedia { server, default_export_dir }
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

fn too_many(ids: &[i64]) -> Result<(), IpcError> {
    if ids.len() > MAX_BATCH {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("{} generations at once is more than {MAX_BATCH}", ids.len()),
        ));
    }
    Ok(())
}

/// Where media and thumbnails are served, and the default export folder.
#[tauri::command]
pub async fn get_library_info(media: State<'_, LibraryMedia>) -> Result<LibraryInfo, IpcError> {
    let server = media.server.as_ref().map_err(|reason| {
        IpcError::new(IpcErrorKind::Internal, format!("The media server is not running: {reason}"))
    })?;
    Ok(LibraryInfo {
        media_base: server.base_url(),
        default_export_dir: media.default_export_dir.display().to_string(),
    })
}

/// One page of the Library: filtered, searched, sorted; files attached; prompts cut to a preview.
#[tauri::command]
pub async fn list_library(
    library: State<'_, SharedLibrary>,
    query: LibraryQuery,
    after: Option<LibraryCursor>,
    limit: Option<u32>,
) -> Result<LibraryPage, IpcError> {
    let limit = limit.unwrap_or(100).clamp(1, MAX_PAGE);
    blocking::with_library(&library, move |lib| lib.list_library(&query, after, limit)).await
}

/// Everything about one generation: the whole job, its files and its state history.
#[tauri::command]
pub async fn get_generation(
    library: State<'_, SharedLibrary>,
    id: i64,
) -> Result<GenerationDetail, IpcError> {
    blocking::with_library(&library, move |lib| lib.generation_detail(id)).await
}

/// Moves generations (rows and files) to the trash; returns the ids trashed. Undo with
/// `restore_generations`; the trash is emptied at the next launch.
#[tauri::command]
pub async fn trash_generations(
    library: State<'_, SharedLibrary>,
    ids: Vec<i64>,
) -> Result<Vec<i64>, IpcError> {
    too_many(&ids)?;
    blocking::with_library(&library, move |lib| lib.trash_jobs(&ids, now_ms())).await
}

/// Puts trashed generations back (rows under their ids, files in place); returns them.
#[tauri::command]
pub async fn restore_generations(
    library: State<'_, SharedLibrary>,
    ids: Vec<i64>,
) -> Result<Vec<JobWithMedia>, IpcError> {
    too_many(&ids)?;
    blocking::with_library(&library, move |lib| lib.restore_jobs(&ids)).await
}

/// Copies generations' files into `dest` (created if missing) with a JSON sidecar each; returns the paths
/// written.
#[tauri::command]
pub async fn export_generations(
    library: State<'_, SharedLibrary>,
    ids: Vec<i64>,
    dest: String,
) -> Result<Vec<String>, IpcError> {
    too_many(&ids)?;
    let dest = PathBuf::from(dest.trim());
    if !dest.is_absolute() {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("Export needs a full folder path, not \"{}\"", dest.display()),
        ));
    }
    let written = blocking::with_library(&library, move |lib| lib.export_jobs(&ids, &dest)).await?;
    Ok(written.into_iter().map(|p| p.display().to_string()).collect())
}

/// Asks the user for a folder with the system's picker, starting at `start`; `None` when dismissed.
#[tauri::command]
pub async fn choose_folder(app: AppHandle, start: Option<String>) -> Result<Option<String>, IpcError> {
    let mut picker = app.dialog().file();
    if let Some(start) = start.filter(|s| !s.trim().is_empty()) {
        picker = picker.set_directory(start);
    }
    blocking::pick_path(move || picker.blocking_pick_folder()).await
}

/// Shows a generation's file selected in the system's file manager.
#[tauri::command]
pub async fn reveal_in_file_manager(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    media_id: i64,
) -> Result<(), IpcError> {
    let found = blocking::with_library(&library, move |lib| lib.media_by_id(media_id)).await?;
    let media = found.ok_or_else(|| {
        IpcError::new(IpcErrorKind::NotFound, format!("file {media_id} is not in the library"))
    })?;
    let path = library.root().join(&media.rel_path);
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        IpcError::new(
            IpcErrorKind::Internal,
            format!("cannot show {} in the file manager: {e}", path.display()),
        )
    })
}
