//! The Token Plan quota: request prices from the PRODUCT.md table and a ledger over a rolling window.
//!
//! Prices: TTS HD 600 / Turbo 300 per 1,000 characters, async TTS HD 450 / Turbo 225, each rounded up per
//! request; Hailuo-2.3-Fast 3,000 and Hailuo-2.3 / 02 4,500 per 768P 6 s video, Hailuo-02 512P 1,500 (6 s)
//! / 2,250 (10 s); music-2.5(+) 3,000 and music-2.0 450 per song; lyrics 75; image 75 each; chat 1,
//! highspeed chat 2. Combinations the table does not price are extrapolated (see [`video_cost`]).

/// Cost of a synchronous TTS request of `chars` billed characters with `model`.
pub fn speech_cost(model: &str, chars: u64) -> u64 {
    let per_thousand = if model.ends_with("-turbo") { 300 } else { 600 };
    (chars * per_thousand).div_ceil(1000)
}

/// Cost of an asynchronous TTS request.
pub fn async_speech_cost(model: &str, chars: u64) -> u64 {
    let per_thousand = if model.ends_with("-turbo") { 225 } else { 450 };
    (chars * per_thousand).div_ceil(1000)
}

/// Cost of one video. Unpriced combinations are extrapolated: linear in duration, 1080P at twice the 768P
/// price, the 720P `*-01` models at the Hailuo-02 768P price.
pub fn video_cost(model: &str, resolution: &str, duration: u64) -> u64 {
    let per_six_seconds = match (model, resolution) {
        ("MiniMax-Hailuo-02", "512P") => return if duration <= 6 { 1_500 } else { 2_250 },
        ("MiniMax-Hailuo-2.3-Fast", "1080P") => 6_000,
        ("MiniMax-Hailuo-2.3-Fast", _) => 3_000,
        (_, "1080P") => 9_000,
        _ => 4_500,
    };
    (per_six_seconds * duration).div_ceil(6)
}

/// Cost of one V2 (H3) video. Not in any published table: extrapolated per output second from the Hailuo
/// 768P price (4,500 per 6 s = 750/s) scaled by the CN pay-as-you-go ratios (H3 2K ¥0.80 vs 768P ¥0.50,
/// H3-Max 480P ¥0.33).
pub fn video_v2_cost(model: &str, resolution: &str, duration: u64) -> u64 {
    let per_second = match (model, resolution) {
        (_, "2K") => 1_200,
        ("MiniMax-H3-Max", "480P") => 500,
        _ => 750,
    };
    per_second * duration
}

/// Cost of one song: music-2.0 (and older) 450, every newer paid model 3,000, the `-free` models nothing.
pub fn music_cost(model: &str) -> u64 {
    match model {
        "music-1.5" | "music-2.0" => 450,
        m if m.ends_with("-free") => 0,
        _ => 3_000,
    }
}

/// Cost of a chat call: 1, or 2 for the `-highspeed` models.
pub fn chat_cost(model: &str) -> u64 {
    if model.ends_with("-highspeed") { 2 } else { 1 }
}

/// Cost of `n` images.
pub fn image_cost(n: u64) -> u64 {
    75 * n
}

/// Cost of one lyrics generation.
pub const LYRICS_COST: u64 = 75;

/// One charged request.
#[derive(Debug, Clone, Copy)]
struct Charge {
    at_ms: u64,
    cost: u64,
    /// Counts only against the weekly window (video under the percent plans).
    weekly_only: bool,
}

/// The requests charged so far, evaluated over rolling windows (the default, as PRODUCT.md describes the
/// Token Plan) or fixed ones (as the M3-era docs do).
#[derive(Debug, Default)]
pub struct QuotaLedger {
    charges: Vec<Charge>,
    /// Fixed windows aligned to multiples of their length since the Unix epoch (the weekly window to
    /// Mondays 00:00 UTC) instead of rolling ones.
    pub fixed: bool,
}

/// 1970-01-05, the first Monday of the epoch: where fixed weekly windows are aligned.
const FIRST_MONDAY_MS: u64 = 4 * 24 * 3_600_000;

/// Why a charge was refused: the window that is full and when enough of it is released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhausted {
    /// Requests used in the window.
    pub used: u64,
    /// Requests allowed in the window.
    pub total: u64,
    /// Epoch ms at which enough old usage leaves the window for the request to fit.
    pub reset_at_ms: u64,
    /// Whether the weekly cap (rather than the 5-hour window) refused it.
    pub weekly: bool,
}

/// A snapshot of one window for `/v1/token_plan/remains`.
#[derive(Debug, Clone, Copy)]
pub struct WindowReport {
    /// Window start, epoch ms.
    pub start_ms: u64,
    /// Window end (= reset), epoch ms.
    pub end_ms: u64,
    /// Requests used in the window.
    pub used: u64,
}

impl QuotaLedger {
    /// Requests used in the `window_ms` before `now_ms`, every charge counted.
    pub fn used(&self, now_ms: u64, window_ms: u64) -> u64 {
        self.live(now_ms, window_ms).map(|c| c.cost).sum()
    }

    /// Requests used in the 5-hour window: charges that count only weekly are left out.
    pub fn used_in_interval(&self, now_ms: u64, window_ms: u64) -> u64 {
        self.live(now_ms, window_ms).filter(|c| !c.weekly_only).map(|c| c.cost).sum()
    }

    /// Start of the fixed window of length `window_ms` that contains `now_ms`.
    fn fixed_start(now_ms: u64, window_ms: u64) -> u64 {
        let offset = if window_ms == WEEK_MS { FIRST_MONDAY_MS } else { 0 };
        let since = now_ms.saturating_sub(offset);
        now_ms - since % window_ms.max(1)
    }

    fn live(&self, now_ms: u64, window_ms: u64) -> impl Iterator<Item = &Charge> {
        let fixed_start = self.fixed.then(|| Self::fixed_start(now_ms, window_ms));
        self.charges.iter().filter(move |c| match fixed_start {
            Some(start) => c.at_ms >= start && c.at_ms <= now_ms,
            None => c.at_ms + window_ms > now_ms,
        })
    }

    /// The window as the remains endpoint reports it. Rolling: it started with the oldest live charge (or
    /// now) and ends `window_ms` later, when that charge is released. Fixed: the aligned window around now.
    pub fn report(&self, now_ms: u64, window_ms: u64) -> WindowReport {
        self.report_of(now_ms, window_ms, true)
    }

    /// Like [`QuotaLedger::report`] for the 5-hour window: charges that count only weekly are left out.
    pub fn interval_report(&self, now_ms: u64, window_ms: u64) -> WindowReport {
        self.report_of(now_ms, window_ms, false)
    }

    fn report_of(&self, now_ms: u64, window_ms: u64, with_weekly_only: bool) -> WindowReport {
        let counted = |c: &&Charge| with_weekly_only || !c.weekly_only;
        let start_ms = if self.fixed {
            Self::fixed_start(now_ms, window_ms)
        } else {
            self.live(now_ms, window_ms).filter(counted).map(|c| c.at_ms).min().unwrap_or(now_ms)
        };
        let used = self.live(now_ms, window_ms).filter(counted).map(|c| c.cost).sum();
        WindowReport { start_ms, end_ms: start_ms + window_ms, used }
    }

    /// Gives back one charge made at `at_ms` for `cost` (a V2 task cancelled while queued costs nothing).
    pub fn refund(&mut self, at_ms: u64, cost: u64) -> bool {
        match self.charges.iter().position(|c| c.at_ms == at_ms && c.cost == cost) {
            Some(index) => {
                self.charges.remove(index);
                true
            }
            None => false,
        }
    }

    /// When `cost` more would fit under `total` in a window of `window_ms`, or `None` if it fits now.
    /// `with_weekly_only` says whether charges that count only weekly take room in this window.
    fn refusal(
        &self,
        now_ms: u64,
        window_ms: u64,
        total: u64,
        cost: u64,
        with_weekly_only: bool,
    ) -> Option<u64> {
        let counted = |c: &&Charge| with_weekly_only || !c.weekly_only;
        let used: u64 = self.live(now_ms, window_ms).filter(counted).map(|c| c.cost).sum();
        if used + cost <= total {
            return None;
        }
        if self.fixed {
            return Some(Self::fixed_start(now_ms, window_ms) + window_ms);
        }
        let mut live: Vec<Charge> = self.live(now_ms, window_ms).filter(counted).copied().collect();
        live.sort_by_key(|c| c.at_ms);
        let mut remaining = used;
        for charge in &live {
            remaining -= charge.cost;
            if remaining + cost <= total {
                return Some(charge.at_ms + window_ms);
            }
        }
        // Larger than the whole window: report the release of everything there is.
        Some(live.last().map_or(now_ms, |c| c.at_ms) + window_ms)
    }

    /// Charges `cost` at `now_ms` unless it would exceed the 5-hour `total` or the weekly cap
    /// (`weekly_total` 0 = none).
    pub fn charge(
        &mut self,
        now_ms: u64,
        cost: u64,
        window: (u64, u64),
        weekly_total: u64,
    ) -> Result<(), Exhausted> {
        self.charge_as(now_ms, cost, window, weekly_total, false)
    }

    /// Like [`QuotaLedger::charge`]; with `weekly_only` the 5-hour window is neither checked nor used
    /// (video under the M Plan and the usage-based Token Plan, minimax-api-2026.md §1.2).
    pub fn charge_as(
        &mut self,
        now_ms: u64,
        cost: u64,
        (window_ms, total): (u64, u64),
        weekly_total: u64,
        weekly_only: bool,
    ) -> Result<(), Exhausted> {
        if !weekly_only && let Some(reset_at_ms) = self.refusal(now_ms, window_ms, total, cost, false) {
            return Err(Exhausted {
                used: self.used_in_interval(now_ms, window_ms),
                total,
                reset_at_ms,
                weekly: false,
            });
        }
        if weekly_total > 0
            && let Some(reset_at_ms) = self.refusal(now_ms, WEEK_MS, weekly_total, cost, true)
        {
            return Err(Exhausted {
                used: self.used(now_ms, WEEK_MS),
                total: weekly_total,
                reset_at_ms,
                weekly: true,
            });
        }
        if cost > 0 {
            self.charges.push(Charge { at_ms: now_ms, cost, weekly_only });
        }
        Ok(())
    }
}

/// Length of the weekly window.
pub const WEEK_MS: u64 = 7 * 24 * 3_600_000;

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 3_600_000;

    #[test]
    fn prices_follow_the_product_table() {
        assert_eq!(speech_cost("speech-2.8-hd", 91), 55, "54.6 rounds up");
        assert_eq!(speech_cost("speech-2.8-turbo", 1000), 300);
        assert_eq!(async_speech_cost("speech-2.6-hd", 1000), 450);
        assert_eq!(async_speech_cost("speech-02-turbo", 1), 1);
        assert_eq!(video_cost("MiniMax-Hailuo-2.3-Fast", "768P", 6), 3_000);
        assert_eq!(video_cost("MiniMax-Hailuo-2.3", "768P", 6), 4_500);
        assert_eq!(video_cost("MiniMax-Hailuo-02", "512P", 6), 1_500);
        assert_eq!(video_cost("MiniMax-Hailuo-02", "512P", 10), 2_250);
        assert_eq!(music_cost("music-2.5+"), 3_000);
        assert_eq!(music_cost("music-2.0"), 450);
        assert_eq!(chat_cost("MiniMax-M2.7-highspeed"), 2);
        assert_eq!(chat_cost("MiniMax-M2.7"), 1);
        assert_eq!(image_cost(4), 300);
    }

    #[test]
    fn rolling_window_refuses_then_releases() {
        let mut ledger = QuotaLedger::default();
        let window = (5 * HOUR, 100);
        ledger.charge(0, 60, window, 0).expect("fits");
        ledger.charge(HOUR, 30, window, 0).expect("fits");
        let refused = ledger.charge(2 * HOUR, 20, window, 0).expect_err("over");
        assert_eq!(refused.used, 90);
        assert_eq!(refused.reset_at_ms, 5 * HOUR, "the first charge leaves the window");
        ledger.charge(5 * HOUR + 1, 20, window, 0).expect("released");
        assert_eq!(ledger.used(5 * HOUR + 1, 5 * HOUR), 50);
        let report = ledger.report(5 * HOUR + 1, 5 * HOUR);
        assert_eq!(report.start_ms, HOUR);
        assert_eq!(report.end_ms, 6 * HOUR);
    }

    #[test]
    fn fixed_windows_reset_at_their_boundary() {
        let mut ledger = QuotaLedger { fixed: true, ..QuotaLedger::default() };
        let window = (5 * HOUR, 100);
        ledger.charge(HOUR, 90, window, 0).expect("fits");
        let refused = ledger.charge(4 * HOUR, 20, window, 0).expect_err("over");
        assert_eq!(refused.reset_at_ms, 5 * HOUR);
        ledger.charge(5 * HOUR, 100, window, 0).expect("a new window");
        let report = ledger.report(6 * HOUR, 5 * HOUR);
        assert_eq!((report.start_ms, report.end_ms, report.used), (5 * HOUR, 10 * HOUR, 100));
        // Tuesday 2026-11-24 12:00 UTC lies in the week that began on Monday 2026-11-23 00:00 UTC.
        let monday = 1_795_392_000_000;
        let week = ledger.report(monday + 36 * HOUR, WEEK_MS);
        assert_eq!((week.start_ms, week.end_ms), (monday, monday + WEEK_MS));
    }

    #[test]
    fn weekly_only_charges_skip_the_five_hour_window() {
        let mut ledger = QuotaLedger::default();
        ledger.charge_as(0, 90, (HOUR, 100), 1_000, true).expect("video fits the week");
        assert_eq!(ledger.used_in_interval(1, HOUR), 0);
        assert_eq!(ledger.used(1, WEEK_MS), 90);
        ledger.charge(1, 100, (HOUR, 100), 1_000).expect("the 5-hour window is still empty");
        assert_eq!(ledger.interval_report(2, HOUR).start_ms, 1);
        assert!(ledger.charge_as(2, 900, (HOUR, 100), 1_000, true).expect_err("week full").weekly);
        assert!(ledger.refund(0, 90));
        assert!(!ledger.refund(0, 90));
        assert_eq!(ledger.used(3, WEEK_MS), 100);
        assert_eq!(video_v2_cost("MiniMax-H3", "768P", 6), 4_500);
        assert_eq!(video_v2_cost("MiniMax-H3-Max", "480P", 5), 2_500);
    }

    #[test]
    fn weekly_cap_refuses_too() {
        let mut ledger = QuotaLedger::default();
        ledger.charge(0, 10, (HOUR, 10), 15).expect("fits");
        let refused = ledger.charge(2 * HOUR, 10, (HOUR, 10), 15).expect_err("weekly");
        assert!(refused.weekly);
        assert_eq!(refused.reset_at_ms, WEEK_MS);
    }
}
