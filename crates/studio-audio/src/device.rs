//! The [`Output`] that makes sound: a rodio mixer on the default device, opened only while something
//! is loaded (an idle app holds no audio device and spends no CPU on a silent stream).

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use rodio::{CpalError, CpalErrorKind, DeviceSinkBuilder, MixerDeviceSink, Source};

use crate::command::{Command, Notice};
use crate::controlled::{Controlled, Controls};
use crate::decode;
use crate::error::{AudioError, Result};
use crate::live::{ChunkDecoder, LiveWriter, live_buffer};
use crate::machine::{Output, StartOptions};
use crate::state::{AudioFormat, Track};

/// Streamed speech being decoded.
struct Live {
    generation: u64,
    decoder: ChunkDecoder,
    /// Set once the first samples are decoded and the source is playing.
    writer: Option<LiveWriter>,
    options: StartOptions,
    decoded_samples: u64,
}

impl Live {
    fn decoded(&self) -> Duration {
        match self.decoder.spec() {
            Some(spec) => {
                let frames = self.decoded_samples / u64::from(spec.channels.max(1));
                Duration::from_secs_f64(frames as f64 / f64::from(spec.sample_rate.max(1)))
            }
            None => Duration::ZERO,
        }
    }
}

/// Sound through rodio.
pub(crate) struct DeviceOutput {
    sink: Option<MixerDeviceSink>,
    notify: Sender<Command>,
    current: Option<Arc<Controls>>,
    live: Option<Live>,
    /// The takes of an A/B comparison with their gains (`current` is the longest, which sets the position).
    compare: Vec<(Arc<Controls>, f32)>,
}

impl DeviceOutput {
    /// An output whose audio callbacks report to the player thread through `notify`.
    pub fn new(notify: Sender<Command>) -> Self {
        DeviceOutput { sink: None, notify, current: None, live: None, compare: Vec::new() }
    }

    fn sink(&self) -> Result<&MixerDeviceSink> {
        self.sink.as_ref().ok_or_else(|| AudioError::NoDevice("the output device is not open".into()))
    }

    /// Hands newly decoded samples of the stream to the mixer, starting the sound with the first ones.
    fn deliver(&mut self, block: Vec<f32>) -> Result<Duration> {
        let Some(live) = self.live.as_mut() else { return Err(AudioError::NothingLoaded) };
        live.decoded_samples += block.len() as u64;
        if block.is_empty() {
            return Ok(live.decoded());
        }
        if live.writer.is_none() {
            let decoded_at = Instant::now();
            let spec =
                live.decoder.spec().ok_or_else(|| AudioError::decode("streamed audio", "no layout"))?;
            let (writer, source) = live_buffer(spec)?;
            let o = live.options;
            let controls = Controls::new(live.generation, o.paused, o.volume, Duration::ZERO);
            let playing =
                Controlled::new(source, Arc::clone(&controls), self.notify.clone(), Some(decoded_at));
            let Some(sink) = self.sink.as_ref() else {
                return Err(AudioError::NoDevice("the output device is not open".into()));
            };
            sink.mixer().add(playing);
            self.current = Some(controls);
            live.writer = Some(writer);
        }
        if let Some(writer) = &live.writer {
            writer.push(block);
        }
        Ok(live.decoded())
    }
}

/// Maps a failure to open the device to the error the UI shows as "no audio device".
fn no_device(e: impl std::fmt::Display) -> AudioError {
    AudioError::NoDevice(e.to_string())
}

impl Output for DeviceOutput {
    fn open(&mut self) -> Result<()> {
        if self.sink.is_some() {
            return Ok(());
        }
        let notify = self.notify.clone();
        let on_error = move |e: CpalError| match e.kind() {
            // Glitches and reroutes: playback goes on.
            CpalErrorKind::Xrun | CpalErrorKind::RealtimeDenied | CpalErrorKind::DeviceChanged => {
                tracing::debug!("audio device: {e}");
            }
            CpalErrorKind::DeviceNotAvailable
            | CpalErrorKind::HostUnavailable
            | CpalErrorKind::StreamInvalidated => {
                let _ = notify.send(Command::Notice(Notice::DeviceError { reason: e.to_string() }));
            }
            _ => tracing::warn!("audio device: {e}"),
        };
        let opened = DeviceSinkBuilder::from_default_device()
            .map(|builder| builder.with_error_callback(on_error))
            .and_then(|builder| builder.open_sink_or_fallback())
            // rodio's own fallback also tries the other devices (it reports their errors on stderr).
            .or_else(|_| DeviceSinkBuilder::open_default_sink());
        let mut sink = opened.map_err(no_device)?;
        sink.log_on_drop(false);
        tracing::debug!(config = ?sink.config(), "audio device opened");
        self.sink = Some(sink);
        Ok(())
    }

    fn close(&mut self) {
        self.stop_track();
        if self.sink.take().is_some() {
            tracing::debug!("audio device closed");
        }
    }

    fn start(&mut self, track: &Track, generation: u64, options: StartOptions) -> Result<Option<Duration>> {
        self.stop_track();
        let sink = self.sink()?;
        let opened = decode::open(track)?;
        let controls = Controls::new(generation, options.paused, options.volume, options.at);
        let source = opened.source.track_position();
        sink.mixer().add(Controlled::new(source, Arc::clone(&controls), self.notify.clone(), None));
        self.current = Some(controls);
        Ok(opened.duration)
    }

    fn begin_stream(&mut self, format: AudioFormat, generation: u64, options: StartOptions) -> Result<()> {
        self.stop_track();
        self.sink()?;
        let decoder = ChunkDecoder::new(format)?;
        self.live = Some(Live { generation, decoder, writer: None, options, decoded_samples: 0 });
        Ok(())
    }

    fn append(&mut self, bytes: &[u8]) -> Result<Duration> {
        let Some(live) = self.live.as_mut() else { return Err(AudioError::NothingLoaded) };
        let mut block = live.writer.as_ref().map(LiveWriter::block).unwrap_or_default();
        live.decoder.push(bytes, false, &mut block)?;
        self.deliver(block)
    }

    fn end_stream(&mut self) -> Result<Duration> {
        let Some(live) = self.live.as_mut() else { return Err(AudioError::NothingLoaded) };
        let mut block = live.writer.as_ref().map(LiveWriter::block).unwrap_or_default();
        live.decoder.push(&[], true, &mut block)?;
        let duration = self.deliver(block)?;
        match self.live.as_ref().and_then(|live| live.writer.as_ref()) {
            Some(writer) => {
                writer.end();
                Ok(duration)
            }
            None => Err(AudioError::decode("streamed audio", "no decodable audio arrived")),
        }
    }

    fn start_compare(
        &mut self,
        tracks: &[Track],
        gains: &[f32],
        active: usize,
        generation: u64,
        options: StartOptions,
    ) -> Result<Option<Duration>> {
        self.stop_track();
        // Decode every take before any sound: opening files is the slow part, and none may start early.
        let opened = tracks.iter().map(decode::open).collect::<Result<Vec<_>>>()?;
        let longest = (0..opened.len()).max_by_key(|&i| opened[i].duration.unwrap_or_default()).unwrap_or(0);
        let duration = opened[longest].duration;
        let gate = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sink = self.sink()?;
        let mut started = Vec::with_capacity(opened.len());
        for (i, take) in opened.into_iter().enumerate() {
            let gain = gains.get(i).copied().unwrap_or(1.0);
            let controls = Controls::new(generation, options.paused, options.volume, options.at)
                .with_gain(if i == active { gain } else { 0.0 });
            controls.set_reports_end(i == longest);
            controls.set_gate(Arc::clone(&gate));
            let source = take.source.track_position();
            sink.mixer().add(Controlled::new(source, Arc::clone(&controls), self.notify.clone(), None));
            started.push((controls, gain));
        }
        // One store starts them all on the same frame, however the mixer picked them up.
        gate.store(true, std::sync::atomic::Ordering::Relaxed);
        self.current = started.get(longest).map(|(c, _)| Arc::clone(c));
        self.compare = started;
        Ok(duration)
    }

    fn switch_compare(&mut self, active: usize) {
        for (i, (controls, gain)) in self.compare.iter().enumerate() {
            controls.set_gain(if i == active { *gain } else { 0.0 });
        }
    }

    fn stop_track(&mut self) {
        for (controls, _) in self.compare.drain(..) {
            controls.stop();
        }
        if let Some(controls) = self.current.take() {
            controls.stop();
        }
        if let Some(writer) = self.live.take().and_then(|live| live.writer) {
            writer.end();
        }
    }

    fn set_paused(&mut self, paused: bool) {
        for (controls, _) in &self.compare {
            controls.set_paused(paused);
        }
        if let Some(controls) = &self.current {
            controls.set_paused(paused);
        }
        if let Some(live) = &mut self.live {
            live.options.paused = paused;
        }
    }

    fn seek(&mut self, to: Duration) {
        for (controls, _) in &self.compare {
            controls.seek(to);
        }
        if let Some(controls) = &self.current {
            controls.seek(to);
        }
    }

    fn set_volume(&mut self, volume: f32) {
        for (controls, _) in &self.compare {
            controls.set_volume(volume);
        }
        if let Some(controls) = &self.current {
            controls.set_volume(volume);
        }
        if let Some(live) = &mut self.live {
            live.options.volume = volume;
        }
    }

    fn position(&self) -> Duration {
        self.current.as_ref().map_or(Duration::ZERO, |c| c.position())
    }
}
