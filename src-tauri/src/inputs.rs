//! Input images from outside the library (a video's first or last frame, a subject reference): the system's
//! file picker, and the copy into the library folder a job then names.

use std::path::PathBuf;

use studio_core::input_images::import_input_image;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::storage::SharedLibrary;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::blocking;
use crate::library::now_ms;

/// Asks the user for an image with the system's picker; `None` when dismissed.
#[tauri::command]
pub async fn choose_image_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    let picker = app.dialog().file().add_filter("Images", &["png", "jpg", "jpeg", "webp"]);
    blocking::pick_path(move || picker.blocking_pick_file()).await
}

/// Copies an image into the library's `inputs` folder and returns its path relative to the library folder
/// (what a job's `ImageInput` stores), so the job keeps working when the original moves.
#[tauri::command]
pub async fn import_input_image_file(
    library: State<'_, SharedLibrary>,
    path: String,
) -> Result<String, IpcError> {
    let source = PathBuf::from(path.trim());
    if !source.is_absolute() {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("“{}” is not a full path: choose the image, or type its full path", source.display()),
        ));
    }
    let root = library.root().to_path_buf();
    blocking::run("library", move || Ok(import_input_image(&root, &source, now_ms())?)).await
}

/// Moves every finished demo generation to the trash; returns their ids (undo with `restore_generations`).
#[tauri::command]
pub async fn clear_demo_generations(library: State<'_, SharedLibrary>) -> Result<Vec<i64>, IpcError> {
    blocking::with_library(&library, |lib| lib.trash_demo_jobs(now_ms())).await
}
