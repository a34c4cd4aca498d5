//! `tokenplan film set` and `tokenplan film music`: the film-wide settings a script sets before rendering (the
//! clips' model and resolution, what the clips' own sound does) and a music bed imported from an audio file
//! for keys MiniMax no longer sells music to. Neither spends anything.

use std::path::PathBuf;

use clap::Args;
use studio_film::project::music_import::import_music;
use studio_film::project::{FilmEdit, apply_edit, load_film};
use studio_film::timeline::ClipAudio;

use crate::error::{CliError, Result};
use crate::film::{ffmpeg, now, shared, show};
use crate::session::{Output, Session};

/// `film set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The film's id.
    pub id: i64,
    /// The clips' model (e.g. MiniMax-H3, MiniMax-Hailuo-2.3).
    #[arg(long)]
    pub video_model: Option<String>,
    /// The clips' resolution (768P, 2K for H3; 512P, 768P, 1080P for Hailuo).
    #[arg(long)]
    pub resolution: Option<String>,
    /// The clips' own sound (H3 makes some): muted (H3 is asked for none), kept (plays as is, lines over
    /// it) or mixed (ducked under the lines like the music).
    #[arg(long)]
    pub clip_audio: Option<String>,
}

/// `film music`.
#[derive(Debug, Args)]
pub struct MusicArgs {
    /// The film's id.
    pub id: i64,
    /// An audio file (MP3, WAV, FLAC, OGG, M4A) to copy into the library and use as the film's music bed.
    #[arg(long, value_name = "FILE")]
    pub import: PathBuf,
}

/// Applies `film set` and prints the film.
pub fn set(session: &Session, out: &Output, args: SetArgs) -> Result<()> {
    let clip_audio = args
        .clip_audio
        .as_deref()
        .map(|word| {
            ClipAudio::parse(word)
                .ok_or_else(|| CliError::Usage(format!("--clip-audio {word:?}: use muted, kept or mixed")))
        })
        .transpose()?;
    if args.video_model.is_none() && args.resolution.is_none() && clip_audio.is_none() {
        return Err(CliError::Usage(
            "nothing to set: give --video-model, --resolution or --clip-audio".to_owned(),
        ));
    }
    let library = shared(session)?;
    library.with(|lib| -> Result<()> {
        let mut settings = load_film(lib, args.id)?.settings;
        if let Some(model) = &args.video_model {
            settings.video_model = model.trim().to_owned();
        }
        if let Some(resolution) = &args.resolution {
            settings.video_resolution = resolution.trim().to_uppercase();
        }
        if let Some(clip_audio) = clip_audio {
            settings.clip_audio = clip_audio;
        }
        let edit = FilmEdit::settings(settings);
        apply_edit(lib, args.id, &edit, now())?;
        Ok(())
    })?;
    show(&library, out, args.id)
}

/// Imports the music bed (checked with ffprobe first; no quota, no ledger) and prints the film.
pub async fn music(session: &Session, out: &Output, args: MusicArgs) -> Result<()> {
    let library = shared(session)?;
    let ffmpeg = ffmpeg().await?;
    import_music(&library, &ffmpeg, args.id, &args.import, now()).await?;
    show(&library, out, args.id)
}
