//! The player's state machine: the queue, the status and the rules between commands, over an
//! [`Output`] that does the sound. It runs on the player thread; the device-backed output lives in
//! `device.rs`, and the tests below drive the machine with a fake one (no sound card needed).

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::command::{Command, Notice, Reply};
use crate::error::{AudioError, Result};
use crate::state::{AudioFormat, PlaybackStatus, PlayerError, PlayerEvent, PlayerState, Track, TrackInfo};

/// How often position events go out while playing (the ceiling is ten per second).
pub(crate) const POSITION_INTERVAL: Duration = Duration::from_millis(100);
/// `previous` restarts the current track instead once this much of it has played (as most players do).
const RESTART_THRESHOLD: Duration = Duration::from_secs(3);

/// How a track starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StartOptions {
    /// Hold it paused (the device opens, nothing is heard until resumed).
    pub paused: bool,
    /// Output volume.
    pub volume: f32,
    /// Where in the track to start.
    pub at: Duration,
}

/// What the machine needs from the sound side. One track sounds at a time.
pub(crate) trait Output {
    /// Opens the output device unless it is open.
    fn open(&mut self) -> Result<()>;
    /// Silences everything and closes the device.
    fn close(&mut self);
    /// Decodes `track` and starts it, replacing what played; returns its length when known.
    fn start(&mut self, track: &Track, generation: u64, options: StartOptions) -> Result<Option<Duration>>;
    /// Prepares a streamed track: the sound starts with the first decodable chunk.
    fn begin_stream(&mut self, format: AudioFormat, generation: u64, options: StartOptions) -> Result<()>;
    /// Decodes the next chunk; returns the playing time decoded so far.
    fn append(&mut self, bytes: &[u8]) -> Result<Duration>;
    /// No more chunks; returns the whole playing time. Fails when nothing decodable arrived.
    fn end_stream(&mut self) -> Result<Duration>;
    /// Silences the current track (the device stays open).
    fn stop_track(&mut self);
    /// Pauses or resumes the current track.
    fn set_paused(&mut self, paused: bool);
    /// Moves in the current track.
    fn seek(&mut self, to: Duration);
    /// Starts takes in step, `active` heard at its gain and the others silent; returns the longest length.
    fn start_compare(
        &mut self,
        tracks: &[Track],
        gains: &[f32],
        active: usize,
        generation: u64,
        options: StartOptions,
    ) -> Result<Option<Duration>>;
    /// Crossfades to take `active` of the comparison (no seek: the takes run in step).
    fn switch_compare(&mut self, active: usize);
    /// Sets the volume of the current and later tracks.
    fn set_volume(&mut self, volume: f32);
    /// Position in the current track.
    fn position(&self) -> Duration;
}

/// The player thread's state.
pub(crate) struct Machine<O> {
    output: O,
    events: Sender<PlayerEvent>,
    shared: Arc<Mutex<PlayerState>>,
    state: PlayerState,
    announced: PlayerState,
    queue: Vec<Track>,
    index: Option<usize>,
    /// Bumped whenever what sounds changes, so late notices about an older track are ignored.
    generation: u64,
    /// The id of the stream when the current track is streamed speech (until it ends).
    live: Option<u64>,
    next_position_at: Option<Instant>,
    /// The takes being compared, while a comparison is loaded (kept after its end, to play it again).
    compare: Option<compare::CompareSet>,
}

fn millis(d: Duration) -> u64 {
    d.as_millis().min(u128::from(u64::MAX)) as u64
}

impl<O: Output> Machine<O> {
    /// A machine over `output`, reporting on `events` and keeping `shared` up to date.
    pub fn new(output: O, events: Sender<PlayerEvent>, shared: Arc<Mutex<PlayerState>>) -> Self {
        let state = PlayerState::default();
        Machine {
            output,
            events,
            shared,
            announced: state.clone(),
            state,
            queue: Vec::new(),
            index: None,
            generation: 0,
            live: None,
            next_position_at: None,
            compare: None,
        }
    }

    /// Handles one command; `false` means the thread should end.
    pub fn handle(&mut self, command: Command) -> bool {
        match command {
            Command::Play { tracks, index, paused, reply } => {
                let result = self.play(tracks, index, paused);
                self.answer(reply, result);
            }
            Command::Enqueue { track, reply } => {
                let result = self.enqueue(track);
                self.answer(reply, result);
            }
            Command::Next { reply } => {
                let result = self.next();
                self.answer(reply, result);
            }
            Command::Previous { reply } => {
                let result = self.previous();
                self.answer(reply, result);
            }
            Command::Compare { tracks, gains, active, reply } => {
                let result = self.compare(tracks, gains, active);
                self.answer(reply, result);
            }
            Command::Switch { active, reply } => {
                let result = self.switch(active);
                self.answer(reply, result);
            }
            Command::Pause { reply } => {
                if self.state.status == PlaybackStatus::Playing {
                    self.output.set_paused(true);
                    self.state.status = PlaybackStatus::Paused;
                }
                self.answer(reply, Ok(()));
            }
            Command::Resume { reply } => {
                let result = self.resume();
                self.answer(reply, result);
            }
            Command::Stop { reply } => {
                self.stop();
                self.answer(reply, Ok(()));
            }
            Command::Seek { to, reply } => {
                let result = self.seek(to);
                self.answer(reply, result);
            }
            Command::SetVolume { volume, reply } => {
                let result = self.set_volume(volume);
                self.answer(reply, result);
            }
            Command::ProbeDevice { reply } => {
                let loaded = matches!(self.state.status, PlaybackStatus::Playing | PlaybackStatus::Paused);
                let result = if loaded {
                    Ok(())
                } else {
                    let opened = self.output.open();
                    self.output.close();
                    opened
                };
                let _ = reply.send(result);
            }
            Command::BeginStream { id, track, format } => self.begin_stream(id, track, format),
            Command::AppendChunk { id, bytes } => self.append(id, &bytes),
            Command::EndStream { id } => self.end_stream(id),
            Command::CancelStream { id } => {
                if self.live == Some(id) {
                    self.stop();
                }
            }
            Command::Notice(notice) => self.notice(notice),
            Command::Shutdown => {
                self.output.close();
                return false;
            }
        }
        self.publish();
        true
    }

    /// When the thread should wake for the next position event, if playing.
    pub fn next_wakeup(&self) -> Option<Instant> {
        self.next_position_at.filter(|_| self.state.status == PlaybackStatus::Playing)
    }

    /// Sends a position event when one is due.
    pub fn tick(&mut self, now: Instant) {
        let Some(due) = self.next_wakeup() else { return };
        if now < due {
            return;
        }
        self.next_position_at = Some(now + POSITION_INTERVAL);
        let position = millis(self.output.position());
        if position != self.state.position_ms
            && let Some(track) = &self.state.track
        {
            self.state.position_ms = position;
            let event = PlayerEvent::Position {
                track_id: track.id.clone(),
                position_ms: position,
                duration_ms: self.state.duration_ms,
            };
            let _ = self.events.send(event);
            self.publish();
        }
    }

    fn answer(&mut self, reply: Reply, result: Result<()>) {
        self.announce();
        // Before replying, so a caller reading `PlayerHandle::state` right after sees this state.
        self.publish();
        let _ = reply.send(result.map(|()| self.state.clone()));
    }

    /// Sends the whole state when anything but the position changed.
    fn announce(&mut self) {
        if matches!(self.state.status, PlaybackStatus::Playing | PlaybackStatus::Paused) {
            self.state.position_ms = millis(self.output.position());
        }
        let unchanged = PlayerState { position_ms: self.announced.position_ms, ..self.state.clone() };
        if unchanged != self.announced {
            self.announced = self.state.clone();
            let _ = self.events.send(PlayerEvent::StateChanged { state: self.state.clone() });
        }
    }

    fn publish(&self) {
        let mut shared = self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *shared = self.state.clone();
    }

    fn emit_error(&self, error: &AudioError, track_id: Option<String>) {
        tracing::warn!(track = track_id.as_deref().unwrap_or("-"), "audio: {error}");
        let _ = self.events.send(PlayerEvent::Error { error: PlayerError::new(error, track_id) });
    }

    fn current_id(&self) -> Option<String> {
        self.state.track.as_ref().map(|t| t.id.clone())
    }

    /// Silences what sounds and forgets any stream; the device stays open for what comes next.
    fn end_current(&mut self) {
        self.output.stop_track();
        self.generation += 1;
        self.live = None;
        self.state.streaming = false;
    }

    fn stop(&mut self) {
        self.end_current();
        self.output.close();
        self.state.status = PlaybackStatus::Idle;
        self.state.position_ms = 0;
    }

    fn play(&mut self, tracks: Vec<Track>, index: usize, paused: bool) -> Result<()> {
        if index >= tracks.len() {
            return Err(AudioError::Invalid(format!("start index {index} in a queue of {}", tracks.len())));
        }
        self.end_current();
        self.leave_compare();
        self.queue = tracks;
        self.load(index, paused, Duration::ZERO)
    }

    /// Makes `queue[index]` the current track and starts it.
    fn load(&mut self, index: usize, paused: bool, at: Duration) -> Result<()> {
        self.generation += 1;
        self.index = Some(index);
        self.live = None;
        let track = &self.queue[index];
        self.state.track = Some(track.info.clone());
        self.state.queue_index = u32::try_from(index).ok();
        self.state.queue_length = u32::try_from(self.queue.len()).unwrap_or(u32::MAX);
        self.state.position_ms = millis(at);
        self.state.duration_ms = None;
        self.state.streaming = false;
        let options = StartOptions { paused, volume: self.state.volume, at };
        let started = self.output.open().and_then(|()| self.output.start(track, self.generation, options));
        match started {
            Ok(duration) => {
                self.state.duration_ms = duration.map(millis);
                self.state.status = if paused { PlaybackStatus::Paused } else { PlaybackStatus::Playing };
                self.next_position_at = Some(Instant::now() + POSITION_INTERVAL);
                Ok(())
            }
            Err(e) => {
                self.output.close();
                self.state.status = PlaybackStatus::Idle;
                Err(e)
            }
        }
    }

    /// After a track ended (or was skipped), plays the next playable one, else ends the queue.
    fn advance(&mut self) {
        // After streamed speech (no index) the queue holds only what was enqueued during it.
        let mut next = self.index.map_or(0, |i| i + 1);
        while next < self.queue.len() {
            match self.load(next, false, Duration::ZERO) {
                Ok(()) => return,
                Err(e) => {
                    self.emit_error(&e, Some(self.queue[next].info.id.clone()));
                    if matches!(e, AudioError::NoDevice(_)) {
                        return;
                    }
                    next += 1;
                }
            }
        }
        self.end_queue();
    }

    fn end_queue(&mut self) {
        self.end_current();
        self.output.close();
        self.state.status = PlaybackStatus::Ended;
        if let Some(duration) = self.state.duration_ms {
            self.state.position_ms = duration;
        }
    }

    fn enqueue(&mut self, track: Track) -> Result<()> {
        if self.compare.is_some() {
            // A comparison is not a queue: what is enqueued after it starts a new one.
            self.end_current();
            self.leave_compare();
            self.queue.clear();
            self.index = None;
            self.state.status = PlaybackStatus::Idle;
        }
        let was_empty = self.queue.is_empty() || self.live.is_some();
        if self.live.is_some() {
            // Streamed speech is not part of the queue: what is enqueued after it starts a new one.
            self.queue.clear();
            self.index = None;
        }
        self.queue.push(track);
        self.state.queue_length = u32::try_from(self.queue.len()).unwrap_or(u32::MAX);
        let stopped = matches!(self.state.status, PlaybackStatus::Idle | PlaybackStatus::Ended);
        if stopped && (was_empty || self.state.status == PlaybackStatus::Ended) {
            self.end_current();
            return self.load(self.queue.len() - 1, false, Duration::ZERO);
        }
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        if let Some(set) = &self.compare {
            let to = (set.active + 1) % set.tracks.len();
            return self.switch(to);
        }
        if self.live.is_some() {
            self.end_queue();
            return Ok(());
        }
        let Some(index) = self.index else { return Err(AudioError::NothingLoaded) };
        if index + 1 >= self.queue.len() {
            self.end_queue();
            return Ok(());
        }
        let paused = self.state.status == PlaybackStatus::Paused;
        self.end_current();
        self.load(index + 1, paused, Duration::ZERO)
    }

    fn previous(&mut self) -> Result<()> {
        if let Some(set) = &self.compare {
            let to = (set.active + set.tracks.len() - 1) % set.tracks.len();
            return self.switch(to);
        }
        let Some(index) = self.index.filter(|_| self.live.is_none()) else {
            return Err(AudioError::NothingLoaded);
        };
        let loaded = matches!(self.state.status, PlaybackStatus::Playing | PlaybackStatus::Paused);
        let position = if loaded { self.output.position() } else { Duration::ZERO };
        if index == 0 || position >= RESTART_THRESHOLD {
            if loaded {
                self.output.seek(Duration::ZERO);
                self.state.position_ms = 0;
                return Ok(());
            }
            return self.load(index, false, Duration::ZERO);
        }
        let paused = self.state.status == PlaybackStatus::Paused;
        self.end_current();
        self.load(index - 1, paused, Duration::ZERO)
    }

    fn resume(&mut self) -> Result<()> {
        match self.state.status {
            PlaybackStatus::Playing => Ok(()),
            PlaybackStatus::Paused => {
                self.output.set_paused(false);
                self.state.status = PlaybackStatus::Playing;
                self.next_position_at = Some(Instant::now() + POSITION_INTERVAL);
                Ok(())
            }
            PlaybackStatus::Idle | PlaybackStatus::Ended if self.compare.is_some() => {
                self.restart_compare(false, Duration::ZERO)
            }
            PlaybackStatus::Idle | PlaybackStatus::Ended => match self.index {
                Some(index) => self.load(index, false, Duration::ZERO),
                None => Err(AudioError::NothingLoaded),
            },
        }
    }

    fn seek(&mut self, to: Duration) -> Result<()> {
        if self.live.is_some() {
            return Err(AudioError::Unsupported(
                "seeking streamed speech; play the saved file to seek".into(),
            ));
        }
        let to = match self.state.duration_ms {
            Some(ms) => to.min(Duration::from_millis(ms)),
            None => to,
        };
        match self.state.status {
            PlaybackStatus::Playing | PlaybackStatus::Paused => {
                self.output.seek(to);
                self.state.position_ms = millis(to);
                Ok(())
            }
            PlaybackStatus::Idle | PlaybackStatus::Ended if self.compare.is_some() => {
                self.restart_compare(true, to)
            }
            // Seeking a finished or stopped track cues it there, paused: play continues from it.
            PlaybackStatus::Idle | PlaybackStatus::Ended => match self.index {
                Some(index) => self.load(index, true, to),
                None => Err(AudioError::NothingLoaded),
            },
        }
    }

    fn set_volume(&mut self, volume: f32) -> Result<()> {
        if !volume.is_finite() {
            return Err(AudioError::Invalid(format!("volume {volume}")));
        }
        let volume = volume.clamp(0.0, 1.0);
        self.output.set_volume(volume);
        self.state.volume = volume;
        Ok(())
    }

    fn begin_stream(&mut self, id: u64, track: TrackInfo, format: AudioFormat) {
        self.end_current();
        self.leave_compare();
        self.queue.clear();
        self.index = None;
        self.generation += 1;
        self.live = Some(id);
        let track_id = track.id.clone();
        self.state.track = Some(track);
        self.state.queue_index = None;
        self.state.queue_length = 0;
        self.state.position_ms = 0;
        self.state.duration_ms = Some(0);
        self.state.streaming = true;
        let options = StartOptions { paused: false, volume: self.state.volume, at: Duration::ZERO };
        let generation = self.generation;
        match self.output.open().and_then(|()| self.output.begin_stream(format, generation, options)) {
            Ok(()) => {
                self.state.status = PlaybackStatus::Playing;
                self.next_position_at = Some(Instant::now() + POSITION_INTERVAL);
            }
            Err(e) => {
                self.stop();
                self.emit_error(&e, Some(track_id));
            }
        }
        self.announce();
    }

    fn append(&mut self, id: u64, bytes: &[u8]) {
        if self.live != Some(id) || !self.state.streaming {
            return;
        }
        match self.output.append(bytes) {
            // The growing length reaches the UI with the next position event, not a state event per chunk.
            Ok(decoded) => self.state.duration_ms = Some(millis(decoded)),
            Err(e) => {
                let track = self.current_id();
                self.stop();
                self.emit_error(&e, track);
                self.announce();
            }
        }
    }

    fn end_stream(&mut self, id: u64) {
        if self.live != Some(id) || !self.state.streaming {
            return;
        }
        match self.output.end_stream() {
            Ok(duration) => {
                self.state.duration_ms = Some(millis(duration));
                self.state.streaming = false;
            }
            Err(e) => {
                let track = self.current_id();
                self.stop();
                self.emit_error(&e, track);
            }
        }
        self.announce();
    }

    fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::SoundStarted { generation, mut timing } if generation == self.generation => {
                // In a comparison, a take is heard again after a switch: its timing runs from the switch.
                if let Some(asked) = self.compare.as_mut().and_then(|set| set.switched_at.take()) {
                    timing.decoded_at = Some(asked);
                }
                if let Some(track_id) = self.current_id() {
                    let _ = self.events.send(PlayerEvent::SoundStarted { track_id, timing: Some(timing) });
                }
            }
            Notice::Finished { generation } if generation == self.generation => {
                if let Some(track_id) = self.current_id() {
                    let _ = self.events.send(PlayerEvent::TrackEnded { track_id });
                }
                if self.compare.is_some() {
                    self.end_queue();
                } else {
                    self.advance();
                }
                self.announce();
            }
            Notice::SeekFailed { generation, reason } if generation == self.generation => {
                self.emit_error(&AudioError::Seek(reason), self.current_id());
            }
            Notice::DeviceError { reason } => {
                if matches!(self.state.status, PlaybackStatus::Playing | PlaybackStatus::Paused) {
                    let track = self.current_id();
                    self.stop();
                    self.emit_error(&AudioError::NoDevice(reason), track);
                    self.announce();
                }
            }
            // About a track that is no longer the current one.
            Notice::SoundStarted { .. } | Notice::Finished { .. } | Notice::SeekFailed { .. } => {}
        }
    }
}

#[path = "compare.rs"]
mod compare;

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
