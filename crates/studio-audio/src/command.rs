//! The private messages the handle and the audio callback send to the player thread.

use std::sync::mpsc::SyncSender;
use std::time::Duration;

use crate::error::Result;
use crate::state::{AudioFormat, PlayerState, SoundTiming, Track, TrackInfo};

/// Where a control command's answer goes: the new state, or why nothing changed.
pub(crate) type Reply = SyncSender<Result<PlayerState>>;

/// One request to the player thread.
pub(crate) enum Command {
    /// Replace the queue with `tracks` and play the one at `index` (or hold it paused).
    Play { tracks: Vec<Track>, index: usize, paused: bool, reply: Reply },
    /// Append to the queue; starts it when nothing is playing.
    Enqueue { track: Track, reply: Reply },
    /// Skip to the next track of the queue.
    Next { reply: Reply },
    /// Back to the start of the track, or to the previous one when near its start.
    Previous { reply: Reply },
    /// Play `tracks` in step, `active` heard, each at its gain (an A/B comparison); replaces the queue.
    Compare { tracks: Vec<Track>, gains: Vec<f32>, active: usize, reply: Reply },
    /// Hear take `active` of the comparison from the same position.
    Switch { active: usize, reply: Reply },
    /// Hold the position.
    Pause { reply: Reply },
    /// Continue; after the end or a stop, play the current track again.
    Resume { reply: Reply },
    /// Silence, close the device, forget the position.
    Stop { reply: Reply },
    /// Move in the current track.
    Seek { to: Duration, reply: Reply },
    /// Set the output volume (0.0–1.0).
    SetVolume { volume: f32, reply: Reply },
    /// Open and close the device, to tell the UI early that there is none.
    ProbeDevice { reply: SyncSender<Result<()>> },
    /// Start a streamed track whose chunks follow; replaces the queue.
    BeginStream { id: u64, track: TrackInfo, format: AudioFormat },
    /// The next bytes of stream `id`.
    AppendChunk { id: u64, bytes: Vec<u8> },
    /// Stream `id` has no more bytes: play out what arrived.
    EndStream { id: u64 },
    /// Stream `id` is cancelled: silence it now.
    CancelStream { id: u64 },
    /// Something happened on the audio side.
    Notice(Notice),
    /// The handle is gone: close the device and end the thread.
    Shutdown,
}

/// What the audio callback (or the device) reports. `generation` tells which loaded track it concerns,
/// so a late notice about a replaced track is ignored.
#[derive(Debug)]
pub(crate) enum Notice {
    /// The first samples of a track were handed to the device.
    SoundStarted { generation: u64, timing: SoundTiming },
    /// The track's source ran out.
    Finished { generation: u64 },
    /// The decoder refused a seek.
    SeekFailed { generation: u64, reason: String },
    /// The output device reported an error (e.g. unplugged).
    DeviceError { reason: String },
}
