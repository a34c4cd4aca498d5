//! The native audio player in the app (studio-audio): commands to play a library file, pause, resume, seek,
//! stop and set the volume; an A/B compare of 2–4 takes, loudness-matched; its waveform for the mini-player; the `player-changed` event carrying the whole
//! [`PlayerState`] and `player-error` for failures outside a command; and streamed speech fed to the player
//! as its chunks arrive.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use studio_audio::{
    AudioError, AudioFormat, Player, PlayerEvent, PlayerHandle, PlayerState, StreamedAudio, Track, TrackInfo,
    Waveform,
};
use studio_core::events::{PLAYER_CHANGED, PLAYER_ERROR};
use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::runner::{GenerationRequest, SpeechDelivery};
use studio_core::storage::{Job, Media, SharedLibrary};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::blocking;

/// Characters of the prompt a track title keeps.
const TITLE_CHARS: usize = 60;

/// The player, or why there is none (its thread could not start). The rest of the app works either way.
pub struct Audio {
    player: Result<PlayerHandle, String>,
    next_stream: AtomicU64,
}

impl Audio {
    /// Starts the player thread and forwards its events to the UI. The device is opened only when something
    /// plays, so this costs no device (and no error) on a machine without sound.
    pub fn start<R: Runtime>(app: &AppHandle<R>) -> Audio {
        let player = match Player::spawn() {
            Ok((player, events)) => {
                let forwarded = player.clone();
                let app = app.clone();
                let spawned = std::thread::Builder::new()
                    .name("player-events".into())
                    .spawn(move || forward_events(&app, &forwarded, events));
                match spawned {
                    Ok(_) => Ok(player),
                    Err(e) => Err(format!("cannot follow the audio player: {e}")),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = &player {
            tracing::error!("no audio player: {e}");
        }
        Audio { player, next_stream: AtomicU64::new(1) }
    }

    fn handle(&self) -> Result<PlayerHandle, IpcError> {
        self.player.clone().map_err(|reason| {
            IpcError::new(IpcErrorKind::Internal, format!("The audio player is not running: {reason}"))
        })
    }

    /// Streamed speech for `request`, ready to play its chunks as they arrive, if it is streamed speech in a
    /// format the player can stream (MP3 or PCM); `None` otherwise.
    pub fn speech_stream(&self, request: &GenerationRequest) -> Option<StreamedAudio> {
        let GenerationRequest::Speech(params) = request else { return None };
        if params.delivery != SpeechDelivery::Stream {
            return None;
        }
        let format =
            AudioFormat::from_api(params.format.as_deref().unwrap_or("mp3"), params.sample_rate, None)?;
        let player = self.player.clone().ok()?;
        let n = self.next_stream.fetch_add(1, Ordering::Relaxed);
        let track = TrackInfo { id: format!("stream-{n}"), title: title_of(&params.text) };
        StreamedAudio::new(player, track, format).ok()
    }
}

fn title_of(prompt: &str) -> String {
    let line = prompt.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    let mut title: String = line.chars().take(TITLE_CHARS).collect();
    if line.chars().count() > TITLE_CHARS {
        title.push('…');
    }
    title
}

fn forward_events<R: Runtime>(
    app: &AppHandle<R>,
    player: &PlayerHandle,
    events: std::sync::mpsc::Receiver<PlayerEvent>,
) {
    for event in events {
        match event {
            PlayerEvent::StateChanged { state } => emit(app, PLAYER_CHANGED, &state),
            PlayerEvent::Position { .. } => emit(app, PLAYER_CHANGED, &player.state()),
            PlayerEvent::Error { error } => {
                tracing::warn!(kind = ?error.kind, "player: {}", error.message);
                emit(app, PLAYER_ERROR, &error);
            }
            PlayerEvent::SoundStarted { .. } | PlayerEvent::TrackEnded { .. } => {}
        }
    }
}

fn emit<R: Runtime, T: serde::Serialize + Clone>(app: &AppHandle<R>, event: &str, payload: &T) {
    if let Err(e) = app.emit(event, payload) {
        tracing::debug!("cannot send {event}: {e}");
    }
}

/// The UI's error for a player failure. "No audio device" is said as such: the UI shows it and everything
/// else keeps working.
fn audio_error(error: AudioError) -> IpcError {
    let message = error.to_string();
    let kind = match &error {
        AudioError::NoDevice(_) => {
            return IpcError::new(
                IpcErrorKind::Internal,
                format!(
                    "No audio device: nothing can play sound here ({message}). The file is kept in the library."
                ),
            );
        }
        AudioError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            IpcErrorKind::NotFound
        }
        AudioError::Decode { .. }
        | AudioError::Unsupported(_)
        | AudioError::Invalid(_)
        | AudioError::NothingLoaded
        | AudioError::Seek(_) => IpcErrorKind::InvalidInput,
        AudioError::Cancelled => IpcErrorKind::Cancelled,
        AudioError::Io { .. } | AudioError::PlayerGone => IpcErrorKind::Internal,
    };
    IpcError::new(kind, message)
}

/// A library file with what playing it needs: its path, its job's title and, for raw PCM, its format.
struct Playable {
    media: Media,
    path: PathBuf,
    title: String,
    format: Option<AudioFormat>,
}

async fn playable(library: &SharedLibrary, media_id: i64) -> Result<Playable, IpcError> {
    let found = blocking::with_library(library, move |lib| {
        lib.media_by_id(media_id).and_then(|m| match m {
            Some(media) => lib.job(media.job_id).map(|job| Some((media, job))),
            None => Ok(None),
        })
    })
    .await?;
    let (media, job) = found.ok_or_else(|| {
        IpcError::new(IpcErrorKind::NotFound, format!("file {media_id} is not in the library"))
    })?;
    if !media.mime.starts_with("audio/") {
        return Err(IpcError::new(IpcErrorKind::InvalidInput, format!("{} is not audio", media.rel_path)));
    }
    Ok(Playable {
        path: library.root().join(&media.rel_path),
        title: title_of(&job.prompt),
        format: pcm_format(&job),
        media,
    })
}

/// Raw PCM has no header: its rate comes from the request that produced it (others are recognised by name).
fn pcm_format(job: &Job) -> Option<AudioFormat> {
    match job.params.request()? {
        GenerationRequest::Speech(speech) if speech.format() == "pcm" => {
            AudioFormat::from_api("pcm", speech.sample_rate, None)
        }
        _ => None,
    }
}

/// Plays a library audio file (by its media row id) in the native player, replacing what played.
#[tauri::command]
pub async fn play_media(
    library: State<'_, SharedLibrary>,
    audio: State<'_, Audio>,
    media_id: i64,
) -> Result<PlayerState, IpcError> {
    let item = playable(&library, media_id).await?;
    let player = audio.handle()?;
    let mut track = Track::file(item.media.id.to_string(), item.title, item.path);
    if let Some(format) = item.format {
        track = track.with_format(format);
    }
    // Opening the file and probing its format touches the disk: off the async workers.
    blocking::run("player", move || player.play(track).map_err(audio_error)).await
}

/// Pauses.
#[tauri::command]
pub async fn pause(audio: State<'_, Audio>) -> Result<PlayerState, IpcError> {
    audio.handle()?.pause().map_err(audio_error)
}

/// Resumes (or replays the current track after its end).
#[tauri::command]
pub async fn resume(audio: State<'_, Audio>) -> Result<PlayerState, IpcError> {
    let player = audio.handle()?;
    blocking::run("player", move || player.resume().map_err(audio_error)).await
}

/// Moves to `position_ms` in the current track.
#[tauri::command]
pub async fn seek(audio: State<'_, Audio>, position_ms: u64) -> Result<PlayerState, IpcError> {
    let player = audio.handle()?;
    blocking::run("player", move || player.seek(Duration::from_millis(position_ms)).map_err(audio_error))
        .await
}

/// Stops the sound and closes the device.
#[tauri::command]
pub async fn stop(audio: State<'_, Audio>) -> Result<PlayerState, IpcError> {
    audio.handle()?.stop().map_err(audio_error)
}

/// Sets the volume, 0.0 to 1.0.
#[tauri::command]
pub async fn set_volume(audio: State<'_, Audio>, volume: f32) -> Result<PlayerState, IpcError> {
    audio.handle()?.set_volume(volume).map_err(audio_error)
}

/// Plays 2–4 library takes of one line in step for an A/B compare, take `active` heard: each is measured
/// once (on a blocking thread) and played at the gain that matches its loudness to the others, so the louder
/// take does not win by volume. `titles` name the takes in the mini-player (the voice, say).
#[tauri::command]
pub async fn compare_takes(
    library: State<'_, SharedLibrary>,
    audio: State<'_, Audio>,
    media_ids: Vec<i64>,
    titles: Option<Vec<String>>,
    active: u32,
) -> Result<PlayerState, IpcError> {
    let mut tracks = Vec::with_capacity(media_ids.len());
    for (i, media_id) in media_ids.into_iter().enumerate() {
        let item = playable(&library, media_id).await?;
        let title = titles.as_ref().and_then(|t| t.get(i)).cloned().unwrap_or(item.title);
        let mut track = Track::file(item.media.id.to_string(), title, item.path);
        if let Some(format) = item.format {
            track = track.with_format(format);
        }
        tracks.push(track);
    }
    let player = audio.handle()?;
    let active = usize::try_from(active).unwrap_or(usize::MAX);
    blocking::run("player", move || {
        let loudness =
            tracks.iter().map(studio_audio::analyze).collect::<Result<Vec<_>, _>>().map_err(audio_error)?;
        let gains = studio_audio::matching_gains(&loudness);
        player.compare(tracks, gains, active).map_err(audio_error)
    })
    .await
}

/// Hears take `active` of the comparison from the same position (a few-millisecond crossfade, no seek).
#[tauri::command]
pub async fn switch_compared_take(audio: State<'_, Audio>, active: u32) -> Result<PlayerState, IpcError> {
    let active = usize::try_from(active).unwrap_or(usize::MAX);
    audio.handle()?.switch_to(active).map_err(audio_error)
}

/// The player now (the UI reads it once, then follows `player-changed`).
#[tauri::command]
pub async fn get_player_state(audio: State<'_, Audio>) -> Result<PlayerState, IpcError> {
    Ok(audio.handle()?.state())
}

/// The waveform of a library audio file at `width` columns, decoded on a blocking thread and cached in the
/// library's `peaks` folder (not beside the file: the media folder holds generations' files only).
#[tauri::command]
pub async fn get_waveform(
    library: State<'_, SharedLibrary>,
    media_id: i64,
    width: u32,
) -> Result<Waveform, IpcError> {
    let item = playable(&library, media_id).await?;
    let cache_dir = library.root().join(PEAKS_DIR);
    blocking::run("player", move || {
        studio_audio::peaks_cached_in(&item.path, width, item.format, &cache_dir).map_err(audio_error)
    })
    .await
}

/// The folder of cached waveforms, under the library folder.
const PEAKS_DIR: &str = "peaks";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_line_cut_short() {
        assert_eq!(title_of("\n  Hello there\nsecond"), "Hello there");
        let long = "x".repeat(100);
        assert_eq!(title_of(&long).chars().count(), TITLE_CHARS + 1);
    }

    #[test]
    fn no_device_says_so() {
        let error = audio_error(AudioError::NoDevice("no default output".into()));
        assert!(error.message.starts_with("No audio device"), "{}", error.message);
        assert_eq!(audio_error(AudioError::NothingLoaded).kind, IpcErrorKind::InvalidInput);
    }
}
