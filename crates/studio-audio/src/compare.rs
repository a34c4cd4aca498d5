//! A/B comparison in the state machine: two to four takes play in step (so they share one position) and
//! one is heard; a switch crossfades to another in a few milliseconds without seeking, and each take plays
//! at the gain that matches its loudness to the others ([`crate::matching_gains`]).

use std::time::{Duration, Instant};

use super::{Machine, Output, StartOptions, millis};
use crate::error::{AudioError, Result};
use crate::state::{CompareState, PlaybackStatus, Track};

/// The fewest and most takes one comparison holds.
pub(crate) const TAKES: std::ops::RangeInclusive<usize> = 2..=4;

/// The takes of a comparison.
pub(crate) struct CompareSet {
    pub tracks: Vec<Track>,
    pub gains: Vec<f32>,
    pub active: usize,
    /// When the last switch was asked for (its sound-started notice measures from it).
    pub switched_at: Option<Instant>,
}

impl<O: Output> Machine<O> {
    /// Loads and plays a comparison, replacing the queue.
    pub(super) fn compare(&mut self, tracks: Vec<Track>, gains: Vec<f32>, active: usize) -> Result<()> {
        if !TAKES.contains(&tracks.len()) {
            return Err(AudioError::Invalid(format!("{} takes to compare (2 to 4)", tracks.len())));
        }
        if gains.len() != tracks.len() || gains.iter().any(|g| !g.is_finite() || *g < 0.0) {
            return Err(AudioError::Invalid(format!("{} gains for {} takes", gains.len(), tracks.len())));
        }
        if active >= tracks.len() {
            return Err(AudioError::Invalid(format!("take {active} of {}", tracks.len())));
        }
        self.end_current();
        self.queue.clear();
        self.index = None;
        self.compare = Some(CompareSet { tracks, gains, active, switched_at: None });
        self.restart_compare(false, Duration::ZERO)
    }

    /// (Re)starts the loaded comparison at `at`.
    pub(super) fn restart_compare(&mut self, paused: bool, at: Duration) -> Result<()> {
        if self.compare.is_none() {
            return Err(AudioError::NothingLoaded);
        }
        self.end_current();
        self.generation += 1;
        self.live = None;
        let Some(set) = self.compare.as_ref() else { return Err(AudioError::NothingLoaded) };
        self.state.track = Some(set.tracks[set.active].info.clone());
        self.state.queue_index = None;
        self.state.queue_length = 0;
        self.state.streaming = false;
        self.state.position_ms = millis(at);
        self.state.compare = Some(CompareState {
            tracks: set.tracks.iter().map(|t| t.info.clone()).collect(),
            active: u32::try_from(set.active).unwrap_or(0),
            gains_db: set.gains.iter().map(|g| 20.0 * g.max(1e-6).log10()).collect(),
        });
        let options = StartOptions { paused, volume: self.state.volume, at };
        let generation = self.generation;
        let started = self.output.open().and_then(|()| {
            self.output.start_compare(&set.tracks, &set.gains, set.active, generation, options)
        });
        match started {
            Ok(duration) => {
                self.state.duration_ms = duration.map(millis);
                self.state.status = if paused { PlaybackStatus::Paused } else { PlaybackStatus::Playing };
                self.next_position_at = Some(Instant::now() + super::POSITION_INTERVAL);
                Ok(())
            }
            Err(e) => {
                self.output.close();
                self.state.status = PlaybackStatus::Idle;
                Err(e)
            }
        }
    }

    /// Hears take `active` from where the comparison is.
    pub(super) fn switch(&mut self, active: usize) -> Result<()> {
        let Some(set) = self.compare.as_mut() else { return Err(AudioError::NothingLoaded) };
        if active >= set.tracks.len() {
            return Err(AudioError::Invalid(format!("take {active} of {}", set.tracks.len())));
        }
        set.active = active;
        set.switched_at = Some(Instant::now());
        self.state.track = Some(set.tracks[active].info.clone());
        if let Some(state) = self.state.compare.as_mut() {
            state.active = u32::try_from(active).unwrap_or(0);
        }
        if matches!(self.state.status, PlaybackStatus::Playing | PlaybackStatus::Paused) {
            self.output.switch_compare(active);
        }
        Ok(())
    }

    /// Forgets the comparison (something else plays).
    pub(super) fn leave_compare(&mut self) {
        self.compare = None;
        self.state.compare = None;
    }
}
