//! A music bed brought from outside: MiniMax closed its music API to new accounts (minimax-api-2026.md §6), so
//! a film whose key has no music takes an audio file instead. The file is checked with ffprobe (is it audio,
//! how long, can it be read) before anything is written, copied into the library as an imported item (a job
//! with no request, no estimate and no spend entry: the plan and the ledger never see it), linked as the
//! film's music take and chosen — the animatic and the export then use it exactly as a generated bed.

use std::path::Path;

use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::pricing::Cost;
use studio_core::request::{ImportedParams, JobParams};
use studio_core::storage::import::FinishedGeneration;
use studio_core::storage::media::{extension_for_mime, media_rel_path};
use studio_core::storage::{JobState, KeyKind, MEDIA_DIR, NewJob, NewMedia, SharedLibrary};

use super::edit::{FilmEdit, apply_edit, blank_cue, link_take};
use super::model::{Film, Slot};
use super::store::{IMPORTED_PREFIX, load_film};
use crate::error::{FilmError, Result};
use crate::ffmpeg::{Ffmpeg, StreamKind};

/// The file kinds a music bed may be, by extension, with the MIME type the library files them under.
pub const MUSIC_FILE_KINDS: &[(&str, &str)] = &[
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("flac", "audio/flac"),
    ("ogg", "audio/ogg"),
    ("m4a", "audio/mp4"),
];
/// The largest file taken (an hour of CD-quality FLAC is about 600 MB; a film's bed is minutes).
pub const MAX_MUSIC_BYTES: u64 = 500 * 1024 * 1024;
/// The shortest bed worth using.
pub const MIN_MUSIC_MS: u64 = 1_000;
/// The longest bed taken (a film is minutes long; longer files are most likely the wrong file).
pub const MAX_MUSIC_MS: u64 = 60 * 60 * 1_000;

/// Picture codecs an audio file may carry as cover art (ffprobe lists them as video streams).
const COVER_ART_CODECS: &[&str] = &["mjpeg", "png", "bmp", "gif", "webp"];

/// An audio file that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMusic {
    /// The MIME type it is filed under.
    pub mime: &'static str,
    /// Its length.
    pub duration_ms: u64,
    /// Its size.
    pub size_bytes: u64,
    /// Its name as the user knows it.
    pub file_name: String,
}

fn invalid(path: &Path, reason: impl Into<String>) -> FilmError {
    FilmError::MediaInvalid { path: path.to_path_buf(), reason: reason.into() }
}

/// Checks `path` as a music bed: a known audio extension, a readable regular file of a sane size, and, per
/// ffprobe, an audio stream (not a video), 1 s to 1 h long.
pub async fn check_music_file(ffmpeg: &Ffmpeg, path: &Path) -> Result<CheckedMusic> {
    let extension =
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let Some(&(_, mime)) = MUSIC_FILE_KINDS.iter().find(|(ext, _)| *ext == extension) else {
        return Err(invalid(path, "not an MP3, WAV, FLAC, OGG or M4A file"));
    };
    let meta = std::fs::metadata(path)
        .map_err(|source| FilmError::MediaUnreadable { path: path.to_path_buf(), source })?;
    if !meta.is_file() {
        return Err(invalid(path, "not a file"));
    }
    if meta.len() > MAX_MUSIC_BYTES {
        return Err(invalid(
            path,
            format!("{} MB is more than a music bed needs (500 MB at most)", meta.len() >> 20),
        ));
    }
    let probe = ffmpeg.probe(path).await?;
    if !probe.has(StreamKind::Audio) {
        return Err(invalid(path, "it holds no audio"));
    }
    if probe
        .streams
        .iter()
        .any(|s| s.kind == StreamKind::Video && !COVER_ART_CODECS.contains(&s.codec.as_str()))
    {
        return Err(invalid(path, "it is a video, not an audio file"));
    }
    let duration_ms = probe.duration_ms.unwrap_or(0);
    if duration_ms < MIN_MUSIC_MS {
        return Err(invalid(path, "it is shorter than a second"));
    }
    if duration_ms > MAX_MUSIC_MS {
        return Err(invalid(path, "it is longer than an hour"));
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(CheckedMusic { mime, duration_ms, size_bytes: meta.len(), file_name })
}

/// Copies a checked file into the library as an imported item and makes it film `film_id`'s chosen music
/// take (with a music cue, if the film had none, so the bed is mixed). Returns the take's id. Nothing is
/// charged: the job has no request, a zero estimate and no spend entry.
pub fn file_music(
    lib: &mut Library,
    film_id: i64,
    source: &Path,
    music: &CheckedMusic,
    now_ms: i64,
) -> Result<i64> {
    let film = load_film(lib, film_id)?;
    let media_dir = lib.root().join(MEDIA_DIR);
    std::fs::create_dir_all(&media_dir).map_err(|e| FilmError::write(&media_dir, e))?;
    // Copied before the job exists, so a failed copy leaves no row; renamed to the job's name after.
    let temp = media_dir.join(format!(".import-{}-{now_ms}.part", std::process::id()));
    std::fs::copy(source, &temp).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        FilmError::MediaUnreadable { path: source.to_path_buf(), source: e }
    })?;
    let generation = FinishedGeneration {
        job: NewJob {
            modality: Modality::Music,
            model: "imported".into(),
            params: JobParams::Imported(ImportedParams { imported: music.file_name.clone() }),
            prompt: music.file_name.clone(),
            estimate: Cost::Requests(0),
            key_kind: KeyKind::Plan,
            demo: false,
            state: JobState::Succeeded,
            created_at_ms: now_ms,
        },
        actual_requests: Some(0),
        media: vec![NewMedia {
            ordinal: 0,
            rel_path: format!("{MEDIA_DIR}/{{id}}-0.{}", extension_for_mime(music.mime)),
            mime: music.mime.to_owned(),
            size_bytes: music.size_bytes,
            duration_ms: i64::try_from(music.duration_ms).ok(),
            width_px: None,
            height_px: None,
        }],
        spend: None,
    };
    let job_id = match lib.import_finished(&[generation]) {
        Ok(ids) => ids[0],
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e.into());
        }
    };
    let target = lib.root().join(media_rel_path(job_id, 0, music.mime));
    std::fs::rename(&temp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        FilmError::write(&target, e)
    })?;
    if film.settings.music.is_none() {
        apply_edit(lib, film_id, &FilmEdit::SetMusic { music: Some(blank_cue()) }, now_ms)?;
    }
    let made_with = format!("{IMPORTED_PREFIX}{}", music.file_name);
    link_take(lib.connection(), film_id, Slot::Music, None, None, job_id, 1, &made_with, now_ms)?;
    let take_id = lib.connection().last_insert_rowid();
    apply_edit(lib, film_id, &FilmEdit::ChooseTake { take_id }, now_ms)?;
    Ok(take_id)
}

/// Checks `source` and files it as film `film_id`'s chosen music bed; returns the film as it now is.
pub async fn import_music(
    library: &SharedLibrary,
    ffmpeg: &Ffmpeg,
    film_id: i64,
    source: &Path,
    now_ms: i64,
) -> Result<Film> {
    // A missing film is said before the file is even probed.
    library.with(|lib| load_film(lib, film_id))?;
    let music = check_music_file(ffmpeg, source).await?;
    library.with(|lib| {
        file_music(lib, film_id, source, &music, now_ms)?;
        load_film(lib, film_id)
    })
}
