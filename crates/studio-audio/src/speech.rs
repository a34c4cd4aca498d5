//! Streamed speech from the MiniMax API: every audio chunk goes to the player as it arrives (the sound
//! starts with the first decodable one) and to a temporary file, renamed to its final name when the
//! stream ends. Cancelling stops the download and the sound, and leaves no file behind.
//!
//! The final `status: 2` event of the API repeats the whole audio; `minimax_api` already drops that
//! repeat (`SpeechStreamEvent::Audio` events are each new audio), so nothing here appends it twice.

use std::fs::File;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::{Stream, StreamExt};
use minimax_api::speech::{AudioExtraInfo, SpeechStreamEvent};
use tokio_util::sync::CancellationToken;

use crate::error::{AudioError, Result};
use crate::handle::{PlayerHandle, StreamFeed};
use crate::state::{AudioFormat, TrackInfo};

/// What to play and where to save it.
#[derive(Debug, Clone)]
pub struct SpeechTarget {
    /// Shown while it plays.
    pub track: TrackInfo,
    /// The requested `audio_setting` format: MP3 or PCM (see [`AudioFormat::from_api`]).
    pub format: AudioFormat,
    /// The final path of the complete audio; it appears only once the stream has ended well.
    pub save_to: PathBuf,
}

/// A streamed synthesis that completed and was saved.
#[derive(Debug, Clone)]
pub struct SavedSpeech {
    /// Where the audio is (the target's `save_to`).
    pub path: PathBuf,
    /// Bytes saved.
    pub bytes: u64,
    /// When the first audio chunk arrived (decoded from hex by the API client).
    pub first_audio_at: Option<Instant>,
    /// Duration, size, billed characters… as the API reported them.
    pub extra_info: Option<AudioExtraInfo>,
    /// URL of the subtitle file, when asked for.
    pub subtitle_file: Option<String>,
    /// The trace id, for support.
    pub trace_id: Option<String>,
}

/// Plays and saves a streamed synthesis.
///
/// `open` is the call that opens the stream, typically `client.speech().synthesize_stream(&request)`:
/// it is awaited after the player has been told to get ready, so opening the audio device overlaps the
/// server's time to first byte. The audio is saved even when no device can play it (the player reports
/// that as a [`crate::PlayerEvent::Error`]). `cancel` stops the request, the sound and the save, and the
/// call then returns [`AudioError::Cancelled`]; once this has returned, stop the sound with
/// [`PlayerHandle::stop`].
pub async fn play_speech_stream<F, S>(
    player: &PlayerHandle,
    open: F,
    target: SpeechTarget,
    cancel: &CancellationToken,
) -> Result<SavedSpeech>
where
    F: Future<Output = minimax_api::Result<S>>,
    S: Stream<Item = minimax_api::Result<SpeechStreamEvent>> + Unpin,
{
    let feed = player.begin_stream(target.track.clone(), target.format)?;
    let part = part_path(&target.save_to);
    let result = stream_and_save(feed, open, &target, &part, cancel).await;
    if result.is_err() {
        // Nothing half-written stays next to the library's files.
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// The temporary name, in the same folder so the final rename is atomic.
fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "speech".into());
    name.push(".part");
    path.with_file_name(name)
}

async fn stream_and_save<F, S>(
    feed: StreamFeed,
    open: F,
    target: &SpeechTarget,
    part: &Path,
    cancel: &CancellationToken,
) -> Result<SavedSpeech>
where
    F: Future<Output = minimax_api::Result<S>>,
    S: Stream<Item = minimax_api::Result<SpeechStreamEvent>> + Unpin,
{
    let opened = tokio::select! {
        biased;
        () = cancel.cancelled() => return cancelled(feed),
        opened = open => opened,
    };
    let mut events = match opened {
        Ok(events) => events,
        Err(e) => {
            let _ = feed.cancel();
            return Err(e.into());
        }
    };
    if let Some(dir) = part.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| AudioError::io(format!("create {}", dir.display()), e))?;
    }
    // Plain blocking writes: each chunk is a few KiB, cheaper to write in place than to hand to a
    // blocking pool.
    let mut file = File::create(part).map_err(|e| AudioError::io(format!("create {}", part.display()), e))?;
    let (mut written, mut first_audio_at) = (0u64, None);
    loop {
        let next = tokio::select! {
            biased;
            () = cancel.cancelled() => return cancelled(feed),
            next = events.next() => next,
        };
        match next {
            Some(Ok(SpeechStreamEvent::Audio(bytes))) => {
                first_audio_at.get_or_insert_with(Instant::now);
                if let Err(e) = file.write_all(&bytes) {
                    let _ = feed.cancel();
                    return Err(AudioError::io(format!("write {}", part.display()), e));
                }
                written += bytes.len() as u64;
                if feed.append(bytes).is_err() {
                    tracing::warn!("the audio player is gone; still saving the speech");
                }
            }
            Some(Ok(SpeechStreamEvent::Done { extra_info, subtitle_file, total_bytes, trace_id })) => {
                if total_bytes != written {
                    tracing::warn!(total_bytes, written, "streamed speech: byte counts differ");
                }
                let _ = feed.finish();
                file.flush().map_err(|e| AudioError::io(format!("write {}", part.display()), e))?;
                drop(file);
                std::fs::rename(part, &target.save_to).map_err(|e| {
                    AudioError::io(format!("rename {} to {}", part.display(), target.save_to.display()), e)
                })?;
                return Ok(SavedSpeech {
                    path: target.save_to.clone(),
                    bytes: written,
                    first_audio_at,
                    extra_info,
                    subtitle_file,
                    trace_id,
                });
            }
            Some(Err(e)) => {
                // What arrived still plays out; the file is not kept (it would be a truncated take).
                let _ = feed.finish();
                return Err(e.into());
            }
            None => {
                let _ = feed.finish();
                return Err(AudioError::decode(
                    "streamed speech",
                    "the stream ended without its final event",
                ));
            }
        }
    }
}

fn cancelled(feed: StreamFeed) -> Result<SavedSpeech> {
    let _ = feed.cancel();
    Err(AudioError::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_file_sits_beside_the_target() {
        assert_eq!(part_path(Path::new("/m/42.mp3")), Path::new("/m/42.mp3.part"));
    }
}
