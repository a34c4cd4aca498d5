//! Input files named on the command line (`--first-frame`, `--last-frame`, `--subject-reference`,
//! `--reference-image`, `--reference-video`, `--reference-audio`) are copied into the library's `inputs/` folder
//! before the job is made, as the app does: a request only ever reads files the library holds (studio-core's
//! `input_images`), and the job keeps working when the original moves.

use std::path::PathBuf;

use studio_core::input_images::import_input_image;
use studio_core::reference_media::{ReferenceClip, ReferenceKind};
use studio_core::runner::{Clock, SystemClock};
use studio_film::FilmError;
use studio_film::ffmpeg::reference::{check_probe, import_reference};

use crate::error::Result;
use crate::session::Session;

/// Replaces each given path by its copy in the library (an absolute path under `inputs/`).
pub fn import_into_library(session: &Session, paths: &mut [&mut Option<PathBuf>]) -> Result<()> {
    let root = session.data_dir.root();
    for path in paths.iter_mut() {
        if let Some(source) = path.as_ref() {
            let rel = import_input_image(root, source, SystemClock.now_ms())?;
            **path = Some(root.join(rel));
        }
    }
    Ok(())
}

/// Each given path in place by its copy in the library (an absolute path under `inputs/`).
pub fn import_all_into_library(session: &Session, paths: &mut [PathBuf]) -> Result<()> {
    let root = session.data_dir.root();
    for path in paths.iter_mut() {
        *path = root.join(import_input_image(root, path, SystemClock.now_ms())?);
    }
    Ok(())
}

/// The reference videos or audios named on the command line, measured with ffprobe (their seconds are
/// priced, and MiniMax's limits checked, before anything is paid). With `dry_run` nothing is copied: the
/// reference names the file where it is.
pub async fn reference_clips(
    session: &Session,
    paths: &[PathBuf],
    kind: ReferenceKind,
    dry_run: bool,
) -> Result<Option<Vec<ReferenceClip>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let ffmpeg = crate::film::ffmpeg().await?;
    let mut clips = Vec::with_capacity(paths.len());
    for path in paths {
        let clip = if dry_run {
            studio_core::reference_media::check_extension(path, kind)?;
            let probe = ffmpeg.probe(path).await?;
            let duration_ms = check_probe(&probe, kind)
                .map_err(|reason| FilmError::MediaInvalid { path: path.clone(), reason })?;
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            ReferenceClip { path: absolute.to_string_lossy().into_owned(), duration_ms }
        } else {
            let root = session.data_dir.root();
            let clip = import_reference(&ffmpeg, root, path, kind, SystemClock.now_ms()).await?;
            ReferenceClip { path: root.join(&clip.path).to_string_lossy().into_owned(), ..clip }
        };
        clips.push(clip);
    }
    Ok(Some(clips))
}
