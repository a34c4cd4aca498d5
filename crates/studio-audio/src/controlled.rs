//! The wrapper every playing source goes through: pause, volume, seek, stop and position, shared with
//! the player thread through atomics so the audio callback never waits on a lock.
//!
//! rodio's own `Player` does much the same, but its `try_seek` blocks the caller until the audio
//! callback answers (forever if the device stalls) and it cannot tell when the first sample was played.
//! Here a seek is a request the callback applies at the next frame boundary and answers with a notice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use rodio::source::TrackPosition;
use rodio::{ChannelCount, SampleRate, Source};

use crate::command::{Command, Notice};
use crate::state::SoundTiming;

const NO_SEEK: u64 = u64::MAX;
/// How long a change of gain takes (an A/B switch crossfades over it): short enough to keep the position,
/// long enough that the step is not heard as a click.
pub(crate) const GAIN_RAMP: Duration = Duration::from_millis(8);
/// Samples between two position updates (~5 ms of 48 kHz stereo): cheap, and fresh for 10 Hz events.
const POSITION_EVERY: u32 = 512;

/// The knobs of one loaded track, set by the player thread and read by the audio callback.
#[derive(Debug)]
pub(crate) struct Controls {
    pub generation: u64,
    paused: AtomicBool,
    stopped: AtomicBool,
    volume_bits: AtomicU32,
    /// The gain the source ramps to (loudness matching × whether it is the take being heard).
    gain_bits: AtomicU32,
    /// Only the source that ends a compare set reports its end (the others may be shorter).
    reports_end: AtomicBool,
    /// Held until this opens: the takes of a compare set start on the same frame (one store opens them
    /// all), however the mixer happened to pick them up.
    gate: std::sync::OnceLock<Arc<AtomicBool>>,
    seek_to_us: AtomicU64,
    position_us: AtomicU64,
}

impl Controls {
    /// Controls for the track of `generation`.
    pub fn new(generation: u64, paused: bool, volume: f32, start_at: Duration) -> Arc<Self> {
        let seek = if start_at.is_zero() { NO_SEEK } else { start_at.as_micros() as u64 };
        Arc::new(Controls {
            generation,
            paused: AtomicBool::new(paused),
            stopped: AtomicBool::new(false),
            volume_bits: AtomicU32::new(volume.to_bits()),
            gain_bits: AtomicU32::new(1.0f32.to_bits()),
            reports_end: AtomicBool::new(true),
            gate: std::sync::OnceLock::new(),
            seek_to_us: AtomicU64::new(seek),
            position_us: AtomicU64::new(start_at.as_micros() as u64),
        })
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub fn set_volume(&self, volume: f32) {
        self.volume_bits.store(volume.to_bits(), Ordering::Relaxed);
    }

    /// Sets the gain the source ramps to over [`GAIN_RAMP`] (0 silences it without a click).
    pub fn set_gain(&self, gain: f32) {
        self.gain_bits.store(gain.to_bits(), Ordering::Relaxed);
    }

    /// Starts at `gain` at once (no ramp from 1.0 at the start).
    pub fn with_gain(self: Arc<Self>, gain: f32) -> Arc<Self> {
        self.set_gain(gain);
        self
    }

    /// Holds the source until `gate` opens.
    pub fn set_gate(&self, gate: Arc<AtomicBool>) {
        let _ = self.gate.set(gate);
    }

    fn held(&self) -> bool {
        self.paused.load(Ordering::Relaxed) || self.gate.get().is_some_and(|g| !g.load(Ordering::Relaxed))
    }

    /// Whether this source reports its end.
    pub fn set_reports_end(&self, reports: bool) {
        self.reports_end.store(reports, Ordering::Relaxed);
    }

    /// Asks the callback to seek; the position shows the target at once so the UI does not jump back.
    pub fn seek(&self, to: Duration) {
        let us = to.as_micros() as u64;
        self.seek_to_us.store(us, Ordering::Relaxed);
        self.position_us.store(us, Ordering::Relaxed);
    }

    /// Ends the source at the next frame boundary; the mixer then drops it.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    pub fn position(&self) -> Duration {
        Duration::from_micros(self.position_us.load(Ordering::Relaxed))
    }
}

/// A source that knows where it is in its media.
pub(crate) trait Timeline: Source + Send {
    /// Position in the media (not counting filler played while waiting for data).
    fn position(&self) -> Duration;
    /// Whether the sample just returned was media, not filler while waiting for data.
    fn last_was_audio(&self) -> bool {
        true
    }
}

impl<S: Source + Send> Timeline for TrackPosition<S> {
    fn position(&self) -> Duration {
        self.get_pos()
    }
}

/// The playing wrapper around a track's source.
pub(crate) struct Controlled<T> {
    inner: T,
    controls: Arc<Controls>,
    notify: Sender<Command>,
    /// Channels of the inner source, refreshed at frame boundaries.
    channels: u16,
    /// Samples of the current frame already returned (pausing and seeking wait for 0).
    in_frame: u16,
    /// Zeros still owed to finish a paused frame.
    filler_left: u16,
    until_position: u32,
    decoded_at: Option<Instant>,
    /// The gain applied now, moving towards the target by `ramp_step` per sample.
    level: f32,
    ramp_step: f32,
    /// The sound has been reported as heard since the source last became audible.
    sound_started: bool,
    finished: bool,
}

impl<T: Timeline> Controlled<T> {
    /// Wraps `inner`; `decoded_at` is when its first samples were ready (streams), for the timing notice.
    pub fn new(
        inner: T,
        controls: Arc<Controls>,
        notify: Sender<Command>,
        decoded_at: Option<Instant>,
    ) -> Self {
        let channels = inner.channels().get();
        let samples_per_ramp =
            inner.sample_rate().get() as f32 * f32::from(channels) * GAIN_RAMP.as_secs_f32();
        let level = f32::from_bits(controls.gain_bits.load(Ordering::Relaxed));
        Controlled {
            inner,
            controls,
            notify,
            channels,
            in_frame: 0,
            filler_left: 0,
            until_position: POSITION_EVERY,
            decoded_at,
            level,
            ramp_step: 1.0 / samples_per_ramp.max(1.0),
            sound_started: false,
            finished: false,
        }
    }

    fn publish_position(&self) {
        self.controls.position_us.store(self.inner.position().as_micros() as u64, Ordering::Relaxed);
    }

    fn send(&self, notice: Notice) {
        // The player thread may be gone during shutdown; nothing to tell then.
        let _ = self.notify.send(Command::Notice(notice));
    }

    /// Applies a pending seek. Runs only at a frame boundary so channels stay aligned.
    fn apply_seek(&mut self) {
        let us = self.controls.seek_to_us.swap(NO_SEEK, Ordering::Relaxed);
        if us == NO_SEEK {
            return;
        }
        match self.inner.try_seek(Duration::from_micros(us)) {
            Ok(()) => self.publish_position(),
            Err(e) => {
                self.publish_position();
                let generation = self.controls.generation;
                self.send(Notice::SeekFailed { generation, reason: e.to_string() });
            }
        }
    }
}

impl<T: Timeline> Iterator for Controlled<T> {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.filler_left > 0 {
            self.filler_left -= 1;
            return Some(0.0);
        }
        if self.in_frame == 0 {
            if self.controls.stopped.load(Ordering::Relaxed) {
                return None;
            }
            self.apply_seek();
            self.channels = self.inner.channels().get();
            if self.controls.held() {
                self.filler_left = self.channels - 1;
                return Some(0.0);
            }
        }
        let Some(sample) = self.inner.next() else {
            if !self.finished {
                self.finished = true;
                self.publish_position();
                if self.controls.reports_end.load(Ordering::Relaxed) {
                    self.send(Notice::Finished { generation: self.controls.generation });
                }
            }
            return None;
        };
        self.in_frame = (self.in_frame + 1) % self.channels;
        let target = f32::from_bits(self.controls.gain_bits.load(Ordering::Relaxed));
        if target <= 0.0 {
            // Silent in a compare set: heard again (and reported) when switched back to.
            self.sound_started = false;
        } else if !self.sound_started && self.inner.last_was_audio() {
            self.sound_started = true;
            let timing = SoundTiming { decoded_at: self.decoded_at, first_sample_at: Instant::now() };
            self.send(Notice::SoundStarted { generation: self.controls.generation, timing });
        }
        if self.level != target {
            let delta = (target - self.level).clamp(-self.ramp_step, self.ramp_step);
            self.level =
                if (target - self.level).abs() <= self.ramp_step { target } else { self.level + delta };
        }
        self.until_position -= 1;
        if self.until_position == 0 {
            self.until_position = POSITION_EVERY;
            self.publish_position();
        }
        Some(sample * self.level * f32::from_bits(self.controls.volume_bits.load(Ordering::Relaxed)))
    }
}

impl<T: Timeline> Source for Controlled<T> {
    /// "No span changes": the wrapper inserts zeros while paused, which would throw off span
    /// counting, and every source we play keeps one rate and channel count from start to end.
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.inner.channels()
    }

    fn sample_rate(&self) -> SampleRate {
        self.inner.sample_rate()
    }

    fn total_duration(&self) -> Option<Duration> {
        self.inner.total_duration()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodio::buffer::SamplesBuffer;
    use std::num::NonZero;
    use std::sync::mpsc;

    fn source(frames: usize) -> TrackPosition<SamplesBuffer> {
        let samples: Vec<f32> = (0..frames * 2).map(|i| 0.5 + (i % 2) as f32 * 0.25).collect();
        let (ch, rate) = (NonZero::new(2).unwrap(), NonZero::new(1000).unwrap());
        SamplesBuffer::new(ch, rate, samples).track_position()
    }

    #[test]
    fn pause_volume_seek_and_end() {
        let (tx, rx) = mpsc::channel();
        let controls = Controls::new(7, false, 0.5, Duration::ZERO);
        let mut c = Controlled::new(source(1000), Arc::clone(&controls), tx, None);
        assert_eq!(c.next(), Some(0.25), "volume applies");
        assert!(matches!(rx.try_recv(), Ok(Command::Notice(Notice::SoundStarted { generation: 7, .. }))));
        controls.set_paused(true);
        assert_eq!(c.next(), Some(0.375), "a frame is finished before pausing");
        assert_eq!((c.next(), c.next(), c.next()), (Some(0.0), Some(0.0), Some(0.0)), "paused: silence");
        controls.set_paused(false);
        controls.seek(Duration::from_millis(900));
        assert_eq!(c.next(), Some(0.0), "the paused frame is completed first");
        assert_eq!(c.next(), Some(0.25), "left channel first after the seek");
        assert_eq!(controls.position(), Duration::from_millis(900));
        let rest = c.by_ref().count();
        assert_eq!(rest, 199, "100 frames were left after the seek, one sample already taken");
        assert!(matches!(rx.try_recv(), Ok(Command::Notice(Notice::Finished { generation: 7 }))));
        assert!(controls.position().abs_diff(Duration::from_secs(1)) < Duration::from_millis(1));
    }

    #[test]
    fn a_gain_change_ramps_instead_of_stepping() {
        let (tx, _rx) = mpsc::channel();
        let controls = Controls::new(1, false, 1.0, Duration::ZERO).with_gain(0.0);
        // 1 kHz stereo: an 8 ms ramp is 16 samples.
        let mut c = Controlled::new(source(1000), Arc::clone(&controls), tx, None);
        assert_eq!(c.next(), Some(0.0), "silent until switched to");
        controls.set_gain(1.0);
        let ramp: Vec<f32> = c.by_ref().take(20).collect();
        let steps: Vec<f32> = ramp.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
        assert!(steps.iter().all(|d| *d < 0.3), "no jump: {ramp:?}");
        assert!(ramp[0] < 0.1 && ramp[18] >= 0.75 && ramp[19] >= 0.5, "it rose: {ramp:?}");
    }

    #[test]
    fn stop_ends_at_a_frame_boundary() {
        let (tx, _rx) = mpsc::channel();
        let controls = Controls::new(1, false, 1.0, Duration::ZERO);
        let mut c = Controlled::new(source(10), Arc::clone(&controls), tx, None);
        c.next();
        controls.stop();
        assert!(c.next().is_some(), "the right channel of the frame still comes");
        assert_eq!(c.next(), None);
    }
}
