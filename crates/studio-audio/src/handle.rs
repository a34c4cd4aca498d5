//! [`Player::spawn`] starts the player thread; [`PlayerHandle`] talks to it. Control commands wait for
//! the thread's answer (microseconds, or the time to open a file and probe its format) so the app can
//! return the new state or the error straight from its command. Streamed chunks are fire-and-forget.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::command::{Command, Reply};
use crate::device::DeviceOutput;
use crate::error::{AudioError, Result};
use crate::machine::Machine;
use crate::state::{AudioFormat, PlayerEvent, PlayerState, Track, TrackInfo};

/// The native audio player.
#[derive(Debug)]
pub struct Player;

impl Player {
    /// Starts the player thread (named `studio-audio`; it alone touches the output device) and returns
    /// its handle and its event channel. The device is opened when something is played, so this
    /// succeeds on a machine without sound card: playing then fails with [`AudioError::NoDevice`].
    pub fn spawn() -> Result<(PlayerHandle, Receiver<PlayerEvent>)> {
        let (commands, inbox) = mpsc::channel();
        let (events, receiver) = mpsc::channel();
        let shared = Arc::new(Mutex::new(PlayerState::default()));
        let notify = commands.clone();
        let snapshot = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("studio-audio".into())
            // The machine is built on the thread: rodio's device handle may not be `Send`.
            .spawn(move || run(Machine::new(DeviceOutput::new(notify), events, snapshot), &inbox))
            .map_err(|e| AudioError::io("start the audio thread", e))?;
        let inner = Inner { commands, state: shared, thread: Some(thread), next_stream: AtomicU64::new(1) };
        Ok((PlayerHandle { inner: Arc::new(inner) }, receiver))
    }
}

fn run(mut machine: Machine<DeviceOutput>, inbox: &Receiver<Command>) {
    loop {
        let command = match machine.next_wakeup() {
            Some(at) => match inbox.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(command) => Some(command),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match inbox.recv() {
                Ok(command) => Some(command),
                Err(_) => break,
            },
        };
        if let Some(command) = command
            && !machine.handle(command)
        {
            break;
        }
        machine.tick(Instant::now());
    }
}

struct Inner {
    commands: Sender<Command>,
    state: Arc<Mutex<PlayerState>>,
    thread: Option<JoinHandle<()>>,
    next_stream: AtomicU64,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the audio thread panicked");
        }
    }
}

/// Controls the player. Cheap to clone; when the last clone is dropped the sound stops, the device
/// closes and the thread is joined.
#[derive(Clone)]
pub struct PlayerHandle {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PlayerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlayerHandle").field("state", &self.state()).finish()
    }
}

impl PlayerHandle {
    fn ask(&self, command: impl FnOnce(Reply) -> Command) -> Result<PlayerState> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.inner.commands.send(command(reply)).map_err(|_| AudioError::PlayerGone)?;
        answer.recv().map_err(|_| AudioError::PlayerGone)?
    }

    /// Plays `track` now, replacing the queue with it.
    pub fn play(&self, track: Track) -> Result<PlayerState> {
        self.play_queue(vec![track], 0)
    }

    /// Replaces the queue with `tracks` and plays the one at `index`; the others follow in order.
    pub fn play_queue(&self, tracks: Vec<Track>, index: usize) -> Result<PlayerState> {
        self.ask(|reply| Command::Play { tracks, index, paused: false, reply })
    }

    /// Loads `track` paused at its start (replacing the queue), ready for [`PlayerHandle::resume`].
    pub fn cue(&self, track: Track) -> Result<PlayerState> {
        self.ask(|reply| Command::Play { tracks: vec![track], index: 0, paused: true, reply })
    }

    /// Appends `track` to the queue; it starts at once when the player was idle with an empty queue
    /// or had played the queue to its end.
    pub fn enqueue(&self, track: Track) -> Result<PlayerState> {
        self.ask(|reply| Command::Enqueue { track, reply })
    }

    /// Skips to the next track; past the last one, playback ends.
    pub fn next(&self) -> Result<PlayerState> {
        self.ask(|reply| Command::Next { reply })
    }

    /// Restarts the current track, or goes to the previous one within its first 3 seconds.
    pub fn previous(&self) -> Result<PlayerState> {
        self.ask(|reply| Command::Previous { reply })
    }

    /// Compares two to four takes A/B: they play in step from the start, take `active` heard, each at its
    /// gain (from [`crate::matching_gains`], so loudness does not decide). Replaces the queue.
    pub fn compare(&self, tracks: Vec<Track>, gains: Vec<f32>, active: usize) -> Result<PlayerState> {
        self.ask(|reply| Command::Compare { tracks, gains, active, reply })
    }

    /// Hears take `active` of the comparison from the same position (a crossfade of a few milliseconds).
    pub fn switch_to(&self, active: usize) -> Result<PlayerState> {
        self.ask(|reply| Command::Switch { active, reply })
    }

    /// Pauses (no effect unless playing).
    pub fn pause(&self) -> Result<PlayerState> {
        self.ask(|reply| Command::Pause { reply })
    }

    /// Resumes; after a stop or the end, plays the current track again from its start.
    pub fn resume(&self) -> Result<PlayerState> {
        self.ask(|reply| Command::Resume { reply })
    }

    /// Stops the sound and closes the device; the queue is kept.
    pub fn stop(&self) -> Result<PlayerState> {
        self.ask(|reply| Command::Stop { reply })
    }

    /// Moves to `position` in the current track (clamped to its length). After a stop or the end it
    /// cues the track there, paused. Streamed speech cannot be sought until saved and replayed.
    pub fn seek(&self, position: Duration) -> Result<PlayerState> {
        self.ask(|reply| Command::Seek { to: position, reply })
    }

    /// Sets the volume, 0.0 to 1.0 (values outside are clamped; NaN is refused).
    pub fn set_volume(&self, volume: f32) -> Result<PlayerState> {
        self.ask(|reply| Command::SetVolume { volume, reply })
    }

    /// The latest state, without waiting for the thread (the position is at most 100 ms old).
    pub fn state(&self) -> PlayerState {
        self.inner.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Opens and closes the output device to tell early whether sound is possible.
    pub fn check_device(&self) -> Result<()> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.inner.commands.send(Command::ProbeDevice { reply }).map_err(|_| AudioError::PlayerGone)?;
        answer.recv().map_err(|_| AudioError::PlayerGone)?
    }

    /// Starts streamed audio (MP3 or PCM) that plays as soon as its first chunk decodes, replacing the
    /// queue. Returns at once: the device opens on the player thread while the caller waits for the
    /// first chunk; a failure to open it arrives as a [`PlayerEvent::Error`] and later chunks are
    /// ignored. [`crate::StreamedAudio`] drives it from chunks as they arrive.
    pub fn begin_stream(&self, track: TrackInfo, format: AudioFormat) -> Result<StreamFeed> {
        if !format.streams() {
            return Err(AudioError::Unsupported(format!("streaming {format:?} audio (MP3 or PCM only)")));
        }
        let id = self.inner.next_stream.fetch_add(1, Ordering::Relaxed);
        self.inner
            .commands
            .send(Command::BeginStream { id, track, format })
            .map_err(|_| AudioError::PlayerGone)?;
        Ok(StreamFeed { id, commands: self.inner.commands.clone(), closed: false })
    }
}

/// Feeds one streamed track. Dropping it without [`StreamFeed::finish`] or [`StreamFeed::cancel`]
/// finishes it (what arrived plays out), so a stream never waits forever for more.
#[derive(Debug)]
pub struct StreamFeed {
    id: u64,
    commands: Sender<Command>,
    closed: bool,
}

impl StreamFeed {
    /// Queues the next bytes for decoding. Ignored once the player moved on to something else.
    pub fn append(&self, bytes: Vec<u8>) -> Result<()> {
        self.send(Command::AppendChunk { id: self.id, bytes })
    }

    /// No more bytes: the rest plays out, then the track ends.
    pub fn finish(mut self) -> Result<()> {
        self.closed = true;
        self.send(Command::EndStream { id: self.id })
    }

    /// Silences the stream now (if it is still what plays) and closes the device.
    pub fn cancel(mut self) -> Result<()> {
        self.closed = true;
        self.send(Command::CancelStream { id: self.id })
    }

    fn send(&self, command: Command) -> Result<()> {
        self.commands.send(command).map_err(|_| AudioError::PlayerGone)
    }
}

impl Drop for StreamFeed {
    fn drop(&mut self) {
        if !self.closed {
            let _ = self.commands.send(Command::EndStream { id: self.id });
        }
    }
}
