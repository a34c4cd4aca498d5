//! Input files from outside the library (a video's first or last frame, a subject reference, MiniMax-H3's
//! reference videos and audios): the system's file picker, and the copy into the library folder a job then
//! names.

use std::path::PathBuf;

use studio_core::input_images::import_input_image;
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::reference_media::{ReferenceClip, ReferenceKind};
use studio_core::storage::SharedLibrary;
use studio_film::ffmpeg::reference::import_reference;
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

/// Asks the user for a reference video (MP4, MOV) or audio (WAV, MP3); `None` when dismissed.
#[tauri::command]
pub async fn choose_reference_file(app: AppHandle, kind: ReferenceKind) -> Result<Option<String>, IpcError> {
    let name = match kind {
        ReferenceKind::Video => "Video",
        ReferenceKind::Audio => "Audio",
    };
    let picker = app.dialog().file().add_filter(name, kind.extensions());
    blocking::pick_path(move || picker.blocking_pick_file()).await
}

/// Measures a reference video or audio with ffprobe (length, and a video's picture, against MiniMax's
/// limits) and copies it into the library's `inputs` folder; returns the reference a job names.
#[tauri::command]
pub async fn import_reference_file(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    kind: ReferenceKind,
    path: String,
) -> Result<ReferenceClip, IpcError> {
    let source = PathBuf::from(path.trim());
    if !source.is_absolute() {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("“{}” is not a full path: choose the file, or type its full path", source.display()),
        ));
    }
    let ffmpeg = crate::film::ffmpeg(&app).await?;
    Ok(import_reference(&ffmpeg, library.root(), &source, kind, now_ms()).await?)
}

/// Moves every finished demo generation to the trash; returns their ids (undo with `restore_generations`).
#[tauri::command]
pub async fn clear_demo_generations(library: State<'_, SharedLibrary>) -> Result<Vec<i64>, IpcError> {
    blocking::with_library(&library, |lib| lib.trash_demo_jobs(now_ms())).await
}
