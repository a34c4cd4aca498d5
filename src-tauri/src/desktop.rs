//! Behaving like a desktop app: closing the window while jobs run keeps the app in the tray (asked once,
//! remembered), a notification when a job ends while the window is not in front (in the UI's language;
//! clicking it opens the result), copying through the OS clipboard, the UI's words for the tray and
//! notifications, and whether this computer can play and render the media.

use studio_core::desktop::{MediaSupport, ShellWords, fill};
use studio_core::events::{CLOSE_REQUESTED, OPEN_RESULT};
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::settings::CloseChoice;
use studio_core::storage::{Job, JobError, JobState, SharedLibrary};
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::tray::ShellText;

/// Brings the main window back: shown, restored and focused.
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Jobs of this library that are not finished (queued, waiting, running): closing would stop them.
fn jobs_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    let Some(library) = app.try_state::<SharedLibrary>() else { return false };
    library.with(|lib| lib.unfinished_jobs().is_ok_and(|jobs| !jobs.is_empty()))
}

/// Called by Tauri for every window event: a close of the main window while jobs run hides it to the tray,
/// asks first (once), or quits, as the settings say.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else { return };
    if window.label() != "main" {
        return;
    }
    let app = window.app_handle();
    if !jobs_running(app) {
        return;
    }
    let choice = crate::settings_store::load_settings(app).map(|s| s.close_while_running).unwrap_or_default();
    match choice {
        CloseChoice::Quit => {}
        CloseChoice::KeepInTray => {
            api.prevent_close();
            let _ = window.hide();
        }
        CloseChoice::Ask => {
            api.prevent_close();
            show_main_window(app);
            if let Err(e) = app.emit(CLOSE_REQUESTED, ()) {
                tracing::warn!("cannot ask what closing does: {e}");
            }
        }
    }
}

/// Closes the main window as the user chose: hidden with the app kept in the tray, or the app quit.
#[tauri::command]
pub async fn close_main_window(app: AppHandle, keep_in_tray: bool) -> Result<(), IpcError> {
    if keep_in_tray {
        if let Some(window) = app.get_webview_window("main") {
            window.hide().map_err(|e| IpcError::new(IpcErrorKind::Internal, e.to_string()))?;
        }
    } else {
        app.exit(0);
    }
    Ok(())
}

/// Takes the UI's words for the tray and notifications (on start and on every language change).
#[tauri::command]
pub async fn set_shell_words(app: AppHandle, words: ShellWords) -> Result<(), IpcError> {
    // Menu items are GTK widgets: they are changed on the main thread.
    let handle = app.clone();
    app.run_on_main_thread(move || crate::tray::apply_words(&handle, words))
        .map_err(|e| IpcError::new(IpcErrorKind::Internal, e.to_string()))
}

/// Puts `text` on the OS clipboard.
#[tauri::command]
pub async fn copy_text(app: AppHandle, text: String) -> Result<(), IpcError> {
    app.clipboard()
        .write_text(text)
        .map_err(|e| IpcError::new(IpcErrorKind::Internal, format!("cannot copy to the clipboard: {e}")))
}

/// Whether video plays in the window and ffmpeg is there for films.
#[tauri::command]
pub async fn get_media_support() -> Result<MediaSupport, IpcError> {
    crate::blocking::run("media support", || Ok(media_support())).await
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn media_support() -> MediaSupport {
    let system = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let family = if system.lines().any(|l| l.starts_with("ID") && l.contains("debian") || l == "ID=ubuntu") {
        "debian"
    } else if system.lines().any(|l| l.starts_with("ID") && (l.contains("fedora") || l.contains("rhel"))) {
        "fedora"
    } else {
        "other"
    };
    MediaSupport {
        h264_playback: h264_playback(),
        ffmpeg: on_path("ffmpeg") && on_path("ffprobe"),
        system: family.to_owned(),
    }
}

/// WebKitGTK decodes H.264 through GStreamer's libav plugin (`gstreamer1.0-libav`, Fedora's
/// `gstreamer1-plugin-libav`); without it a Hailuo clip stays black. Other systems' webviews have it.
fn h264_playback() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let mut dirs: Vec<std::path::PathBuf> =
        ["GST_PLUGIN_PATH_1_0", "GST_PLUGIN_PATH", "GST_PLUGIN_SYSTEM_PATH_1_0"]
            .iter()
            .filter_map(std::env::var_os)
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .collect();
    for lib in ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"] {
        dirs.push(std::path::Path::new(lib).join("gstreamer-1.0"));
    }
    dirs.iter().any(|dir| dir.join("libgstlibav.so").is_file())
}

/// A native notification when `job` ends, unless turned off or the window is in front (the UI already shows
/// it there). Its words are the UI's; clicking it opens the result.
pub fn notify_job<R: Runtime>(app: &AppHandle<R>, job: &Job) {
    if !matches!(job.state, JobState::Succeeded | JobState::Failed) {
        return;
    }
    let settings = crate::settings_store::load_settings(app).unwrap_or_default();
    if !settings.notifications {
        return;
    }
    let in_front = app
        .get_webview_window("main")
        .is_some_and(|w| w.is_visible().unwrap_or(false) && w.is_focused().unwrap_or(false));
    if in_front {
        return;
    }
    // No words yet (the UI never loaded): no notification rather than one in a language the user did not pick.
    let Some(words) = app.state::<ShellText>().words() else { return };
    let (title, body) =
        notification_text(job.modality.as_str(), &job.prompt, job.state, job.error.as_ref(), &words);
    show(app, job.id, title, body, words.notify_open);
}

/// The title and body of the notification of a job of `modality` that ended in `state`, in `words`.
fn notification_text(
    modality: &str,
    prompt: &str,
    state: JobState,
    error: Option<&JobError>,
    words: &ShellWords,
) -> (String, String) {
    let kind = words.kinds.get(modality).cloned().unwrap_or_else(|| modality.to_owned());
    let prompt: String = prompt.chars().take(80).collect();
    if state == JobState::Succeeded {
        (fill(&words.notify_done_title, &[("kind", &kind)]), prompt)
    } else {
        let reason = error
            .map(|e| words.error_titles.get(e.kind.as_str()).cloned().unwrap_or_default())
            .unwrap_or_default();
        (
            fill(&words.notify_failed_title, &[("kind", &kind)]),
            fill(&words.notify_failed_body, &[("prompt", &prompt), ("reason", &reason)]),
        )
    }
}

/// Linux: through notify-rust with a "default" action, waited for on a thread of its own, so a click shows
/// the window and asks the UI to open the job (`open-result`). Elsewhere: the notification plugin, whose
/// desktop side reports no click.
#[cfg(target_os = "linux")]
fn show<R: Runtime>(app: &AppHandle<R>, job_id: i64, title: String, body: String, open: String) {
    let app = app.clone();
    let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Token Plan Studio")
            .summary(&title)
            .body(&body)
            .action("default", &open)
            .show();
        match shown {
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    show_main_window(&app);
                    if let Err(e) = app.emit(OPEN_RESULT, job_id) {
                        tracing::warn!("cannot open the notified result: {e}");
                    }
                }
            }),
            Err(e) => tracing::debug!("no notification shown: {e}"),
        }
    });
    if let Err(e) = spawned {
        tracing::debug!("no notification thread: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn show<R: Runtime>(app: &AppHandle<R>, _job_id: i64, title: String, body: String, _open: String) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::debug!("no notification shown: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_jobs_notification_names_the_kind_and_the_reason_in_the_uis_words() {
        let words = crate::tray::tests::english();
        let error = JobError { kind: IpcErrorKind::QuotaExhausted, message: "2056".into(), trace_id: None };
        let (title, body) =
            notification_text("video", "A paper boat", JobState::Failed, Some(&error), &words);
        assert_eq!(title, "Video failed");
        assert_eq!(body, "A paper boat\nQuota used up");
        let (title, body) = notification_text("video", "A paper boat", JobState::Succeeded, None, &words);
        assert_eq!((title.as_str(), body.as_str()), ("Video finished", "A paper boat"));
    }
}
