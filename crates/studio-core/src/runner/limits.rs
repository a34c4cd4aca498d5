//! How much runs at once, and how often requests start: per modality, from the documented rate limits
//! (`minimax-api.md` §10) and the plan's concurrency guidance.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::modality::Modality;
use crate::settings::Region;

/// The limits of one modality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneLimit {
    /// Jobs of this modality running at once.
    pub concurrent: usize,
    /// Requests started in any 60 s (the documented RPM; a burst below it is allowed, as the limit is per
    /// minute, not a pace).
    pub per_minute: usize,
}

/// Limits per modality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concurrency {
    limits: HashMap<Modality, LaneLimit>,
}

impl Concurrency {
    /// The documented limits of a region. Mainland China's paid T2A limit is 20 RPM and its music
    /// limit 3 concurrent tasks for free users; global allows 60 RPM T2A and 20 parallel music tasks. Video is
    /// 5 RPM everywhere. Polling does not count: it is paced by [`super::PollPolicy`].
    pub fn documented(region: &Region) -> Self {
        let mainland = matches!(region, Region::Mainland);
        let limits = HashMap::from([
            (Modality::Text, LaneLimit { concurrent: 4, per_minute: 500 }),
            (Modality::Speech, LaneLimit { concurrent: 8, per_minute: if mainland { 20 } else { 60 } }),
            (Modality::SpeechAsync, LaneLimit { concurrent: 4, per_minute: if mainland { 20 } else { 60 } }),
            (Modality::Image, LaneLimit { concurrent: 4, per_minute: 10 }),
            (Modality::Video, LaneLimit { concurrent: 5, per_minute: 5 }),
            (Modality::Music, LaneLimit { concurrent: 3, per_minute: if mainland { 3 } else { 120 } }),
            // Film exports are not run by the runner; the lane exists so every modality has one.
            (Modality::Film, LaneLimit { concurrent: 1, per_minute: 60 }),
            (Modality::Lyrics, LaneLimit { concurrent: 3, per_minute: if mainland { 3 } else { 120 } }),
        ]);
        Concurrency { limits }
    }

    /// Replaces one modality's limits (settings, tests).
    pub fn with(mut self, modality: Modality, limit: LaneLimit) -> Self {
        self.limits.insert(modality, limit);
        self
    }

    /// The limits of `modality`.
    pub fn limit(&self, modality: Modality) -> LaneLimit {
        self.limits.get(&modality).copied().unwrap_or(LaneLimit { concurrent: 1, per_minute: 5 })
    }
}

/// One lane per modality: a semaphore for concurrency and a sliding 60 s log for the RPM.
pub(crate) struct Lanes {
    lanes: HashMap<Modality, Lane>,
}

struct Lane {
    slots: Arc<Semaphore>,
    per_minute: usize,
    starts: Mutex<VecDeque<Instant>>,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Lanes {
    pub(crate) fn new(concurrency: &Concurrency) -> Self {
        let lanes = Modality::ALL
            .into_iter()
            .map(|m| {
                let limit = concurrency.limit(m);
                let lane = Lane {
                    slots: Arc::new(Semaphore::new(limit.concurrent.max(1))),
                    per_minute: limit.per_minute.max(1),
                    starts: Mutex::new(VecDeque::new()),
                };
                (m, lane)
            })
            .collect();
        Lanes { lanes }
    }

    /// Waits for a free slot of `modality` (held until the permit is dropped).
    pub(crate) async fn slot(&self, modality: Modality) -> OwnedSemaphorePermit {
        let lane = &self.lanes[&modality];
        // The semaphore is never closed, so acquiring cannot fail; a closed one would mean shutdown.
        loop {
            if let Ok(permit) = Arc::clone(&lane.slots).acquire_owned().await {
                return permit;
            }
            tokio::task::yield_now().await;
        }
    }

    /// Waits until one more request of `modality` fits in the last 60 s, and records it.
    pub(crate) async fn start_request(&self, modality: Modality) {
        let lane = &self.lanes[&modality];
        loop {
            let wait = {
                let mut starts = lane.starts.lock().await;
                let now = Instant::now();
                while starts.front().is_some_and(|t| now.duration_since(*t) >= MINUTE) {
                    starts.pop_front();
                }
                if starts.len() < lane.per_minute {
                    starts.push_back(now);
                    return;
                }
                starts.front().map(|oldest| MINUTE.saturating_sub(now.duration_since(*oldest)))
            };
            tokio::time::sleep(wait.unwrap_or(Duration::from_millis(100))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_below_the_rpm_starts_at_once_and_the_next_waits_for_the_minute() {
        let concurrency = Concurrency::documented(&Region::Global)
            .with(Modality::Video, LaneLimit { concurrent: 5, per_minute: 2 });
        let lanes = Lanes::new(&concurrency);
        let begin = Instant::now();
        lanes.start_request(Modality::Video).await;
        lanes.start_request(Modality::Video).await;
        assert_eq!(begin.elapsed(), Duration::ZERO, "two starts fit in the minute");
        lanes.start_request(Modality::Video).await;
        assert!(begin.elapsed() >= MINUTE, "the third waits until the first leaves the window");
    }

    #[tokio::test]
    async fn slots_bound_concurrency_per_modality() {
        let concurrency = Concurrency::documented(&Region::Global)
            .with(Modality::Music, LaneLimit { concurrent: 1, per_minute: 9 });
        let lanes = Lanes::new(&concurrency);
        let held = lanes.slot(Modality::Music).await;
        let second = tokio::time::timeout(Duration::from_millis(50), lanes.slot(Modality::Music)).await;
        assert!(second.is_err(), "a second music job waits for the first");
        let other = tokio::time::timeout(Duration::from_millis(50), lanes.slot(Modality::Image)).await;
        assert!(other.is_ok(), "other modalities are not blocked");
        drop(held);
        assert!(tokio::time::timeout(Duration::from_millis(50), lanes.slot(Modality::Music)).await.is_ok());
    }

    #[test]
    fn mainland_speech_is_slower_than_global() {
        assert_eq!(Concurrency::documented(&Region::Mainland).limit(Modality::Speech).per_minute, 20);
        assert_eq!(Concurrency::documented(&Region::Global).limit(Modality::Speech).per_minute, 60);
        assert_eq!(Concurrency::documented(&Region::Global).limit(Modality::Video).per_minute, 5);
    }
}
