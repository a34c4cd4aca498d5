//! Audio that arrives in chunks (streamed speech) on its way to the player: the one way the app and the
//! command line play a stream. The player is told only when the first chunk arrives, so a job that waits
//! for quota does not interrupt what is playing meanwhile; the sound starts with the first decodable
//! chunk. Whoever receives the chunks (the job runner's tap) also saves them — this only plays them.

use crate::error::{AudioError, Result};
use crate::handle::{PlayerHandle, StreamFeed};
use crate::state::{AudioFormat, TrackInfo};

/// One stream of audio chunks for the player. Push every chunk, then [`StreamedAudio::finish`] when the
/// stream ended well or [`StreamedAudio::abandon`] when it broke off (a fragment is silenced rather than
/// played to its end).
#[derive(Debug)]
pub struct StreamedAudio {
    player: PlayerHandle,
    track: TrackInfo,
    format: AudioFormat,
    feed: Option<StreamFeed>,
    failed: bool,
}

impl StreamedAudio {
    /// Prepares to play a stream of `format` (MP3 or raw PCM, the formats that decode chunk by chunk).
    pub fn new(player: PlayerHandle, track: TrackInfo, format: AudioFormat) -> Result<StreamedAudio> {
        if !format.streams() {
            return Err(AudioError::Unsupported(format!("streaming {format:?} audio (MP3 or PCM only)")));
        }
        Ok(StreamedAudio { player, track, format, feed: None, failed: false })
    }

    /// Hands the next chunk to the player (opening the stream with the first). Returns whether the player
    /// still takes the stream; once it does not (it was replaced, or the device failed), later chunks are
    /// dropped quietly.
    pub fn push(&mut self, bytes: Vec<u8>) -> bool {
        if self.failed {
            return false;
        }
        if self.feed.is_none() {
            match self.player.begin_stream(self.track.clone(), self.format) {
                Ok(feed) => self.feed = Some(feed),
                Err(e) => {
                    tracing::warn!("cannot stream audio to the player: {e}");
                    self.failed = true;
                    return false;
                }
            }
        }
        if let Some(feed) = &self.feed
            && feed.append(bytes).is_err()
        {
            self.failed = true;
        }
        !self.failed
    }

    /// The stream ended well: what arrived plays out, then the track ends. Returns whether anything was
    /// handed to the player (so a caller may wait for the track's end).
    pub fn finish(mut self) -> bool {
        match self.feed.take() {
            Some(feed) => feed.finish().is_ok() && !self.failed,
            None => false,
        }
    }

    /// The stream broke off (the job failed or was cancelled): the fragment stops sounding now.
    pub fn abandon(mut self) {
        if let Some(feed) = self.feed.take() {
            let _ = feed.cancel();
        }
    }

    /// The track this stream plays as.
    pub fn track(&self) -> &TrackInfo {
        &self.track
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Player;

    #[test]
    fn only_formats_that_decode_chunk_by_chunk_stream() {
        let (player, _events) = Player::spawn().unwrap();
        let track = TrackInfo { id: "s".into(), title: "Speech".into() };
        assert!(StreamedAudio::new(player.clone(), track.clone(), AudioFormat::Mp3).is_ok());
        let err = StreamedAudio::new(player, track, AudioFormat::Flac).unwrap_err();
        assert!(matches!(err, AudioError::Unsupported(_)), "{err}");
    }

    #[test]
    fn nothing_pushed_means_nothing_to_wait_for() {
        let (player, _events) = Player::spawn().unwrap();
        let track = TrackInfo { id: "s".into(), title: "Speech".into() };
        let stream = StreamedAudio::new(player.clone(), track, AudioFormat::Mp3).unwrap();
        assert!(!stream.finish(), "a stream that never got a chunk never told the player");
        assert_eq!(player.state().track, None, "the player was never interrupted");
    }
}
