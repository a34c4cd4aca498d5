//! `speak --play`: plays the speech through the app's native player (`studio-audio`) — the saved file, or,
//! with `--stream`, the chunks as they arrive. A missing audio device is a warning: the file is saved anyway.

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use studio_audio::{AudioFormat, Player, PlayerEvent, PlayerHandle, StreamedAudio, Track, TrackInfo};
use studio_core::runner::TapItem;
use tokio::sync::mpsc::UnboundedReceiver;

/// How long to wait for a track's end beyond its own length (slow devices, decoding).
const END_GRACE: Duration = Duration::from_secs(10);

/// The player, or why there is none.
pub struct Playback {
    player: PlayerHandle,
    events: Receiver<PlayerEvent>,
}

impl Playback {
    /// Starts the player thread (it opens the device only when something plays).
    pub fn start() -> Option<Playback> {
        match Player::spawn() {
            Ok((player, events)) => Some(Playback { player, events }),
            Err(e) => {
                eprintln!("tokenplan: cannot play: {e}");
                None
            }
        }
    }

    /// Plays a saved file to its end.
    pub fn play_file(&self, id: &str, path: &Path, format: Option<AudioFormat>) -> bool {
        let mut track = Track::file(id, "speech", path);
        if let Some(format) = format {
            track = track.with_format(format);
        }
        match self.player.play(track) {
            Ok(state) => {
                let length = state.duration_ms.map_or(Duration::from_secs(600), Duration::from_millis);
                self.wait_end(id, length + END_GRACE)
            }
            Err(e) => {
                eprintln!(
                    "tokenplan: cannot play ({:?}): {e}; the file is saved at {}",
                    e.kind(),
                    path.display()
                );
                false
            }
        }
    }

    /// Feeds a streamed job's audio chunks to the device as they arrive; returns after the sound ends.
    pub async fn play_stream(
        &self,
        id: &str,
        format: AudioFormat,
        mut tap: UnboundedReceiver<TapItem>,
    ) -> bool {
        let track = TrackInfo { id: id.to_owned(), title: "speech".into() };
        let mut audio = match StreamedAudio::new(self.player.clone(), track, format) {
            Ok(audio) => audio,
            Err(e) => {
                eprintln!("tokenplan: cannot play ({:?}): {e}; the file is still saved", e.kind());
                return false;
            }
        };
        while let Some(item) = tap.recv().await {
            match item {
                TapItem::Audio(bytes) => {
                    audio.push(bytes);
                }
                TapItem::End => {
                    if !audio.finish() {
                        return false;
                    }
                    let events = &self.events;
                    let id = id.to_owned();
                    // The stream's length is only known once played; wait for its end event.
                    return tokio::task::block_in_place(|| {
                        wait_for_end(events, &id, Duration::from_secs(600))
                    });
                }
                TapItem::Text(_) | TapItem::Reasoning(_) => {}
            }
        }
        // The job failed mid-stream: stop the sound rather than play a fragment to its end.
        audio.abandon();
        false
    }

    fn wait_end(&self, id: &str, limit: Duration) -> bool {
        wait_for_end(&self.events, id, limit)
    }
}

fn wait_for_end(events: &Receiver<PlayerEvent>, id: &str, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match events.recv_timeout(left) {
            Ok(PlayerEvent::TrackEnded { track_id }) if track_id == id => return true,
            Ok(PlayerEvent::Error { error }) if error.track_id.as_deref().is_none_or(|t| t == id) => {
                eprintln!("tokenplan: playback failed: {}", error.message);
                return false;
            }
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}
