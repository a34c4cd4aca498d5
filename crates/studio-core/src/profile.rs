//! Plan profiles as data: which windows a subscription meters, how large they are, in which unit the app
//! speaks about them, and where each figure comes from.
//!
//! Two generations (minimax-api-2026.md §1):
//! * the legacy **Token Plan**: requests on a rolling 5-hour window (the tier table of [`crate::plan`]), plus
//!   a weekly cap of about 10 × (REPORTED); every model draws on both;
//! * the **M Plan** (Go / Explore / Build): one pool shown in percent, a 5-hour window for everything but
//!   video and a weekly window for everything; no per-request rate is published.
//!
//! Internally every window is measured in the same unit as the ledger: request-equivalents of the price
//! tables ([`crate::pricing`]). An M Plan window's size in that unit is a **conversion**, kept here as data
//! with its source ([`CONVERSIONS`]): the one known data point is 7 weekly points for a 4 s 768P MiniMax-H3
//! clip on Explore (REPORTED). Whatever the server says (`/v1/token_plan/remains`) wins over these figures:
//! [`detect`] reads the generation, the totals and the window lengths from its answer, and
//! [`resolve`] builds the profile the app uses from the settings and that detection.

use minimax_api::plan::{PlanGeneration, PlanView, WindowLength};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::plan::{MPlanTier, PlanFamily, PlanFamilyChoice, PlanTier};
use crate::pricing::{self, CostInput};
use crate::settings::Settings;

const HOUR_MS: i64 = 3_600_000;
/// Five hours, in ms.
pub const FIVE_HOURS_MS: i64 = 5 * HOUR_MS;
/// Seven days, in ms.
pub const WEEK_MS: i64 = 7 * 24 * HOUR_MS;
/// The weekly window as a multiple of the 5-hour one when nothing better is known (REPORTED: a
/// third-party changelog of the Token Plan, 2026-03-21; `minimax-api.md` §9.2).
pub const WEEKLY_MULTIPLE: u64 = 10;

/// In which unit the app speaks about the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum QuotaUnit {
    /// Token Plan requests.
    Requests,
    /// Percent of a window (M Plan); request-equivalents are converted with the best known figure.
    Percent,
}

/// One of a plan's windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum WindowKind {
    /// The 5-hour window.
    #[serde(rename = "5h")]
    FiveHour,
    /// The weekly window.
    #[serde(rename = "weekly")]
    Weekly,
}

impl WindowKind {
    /// The name the command line prints (`5h`, `weekly`).
    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::FiveHour => "5h",
            WindowKind::Weekly => "weekly",
        }
    }
}

/// What spend a window counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Meters {
    /// Every model.
    All,
    /// Everything but video (the M Plan's 5-hour window: video counts only against the weekly window).
    NonVideo,
}

/// How sure a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Evidence {
    /// In an official MiniMax page or repository.
    Confirmed,
    /// Third-party code, issues or news only.
    Reported,
    /// Worked out by the app from other figures.
    Estimate,
    /// Read from the server's `/remains` answer for this key.
    Detected,
    /// Set by the user in Settings.
    UserSet,
}

/// One window of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowRule {
    /// Which window.
    pub kind: WindowKind,
    /// Its length, ms.
    #[ts(type = "number")]
    pub length_ms: i64,
    /// Its size in request-equivalents.
    #[ts(type = "number")]
    pub capacity: u64,
    /// Rolling (usage older than the length is released) or fixed (resets at its end).
    pub rolling: bool,
    /// What spend it counts.
    pub meters: Meters,
    /// How sure the size is.
    pub evidence: Evidence,
    /// Where the size comes from, in words.
    pub source: String,
}

/// A measured conversion between a generation and a window share (M Plan: no rate is published).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conversion {
    /// The tier it was measured on.
    pub tier: MPlanTier,
    /// The window that moved.
    pub window: WindowKind,
    /// What was generated.
    pub model: &'static str,
    /// At which resolution.
    pub resolution: &'static str,
    /// For how long, seconds.
    pub duration_s: u32,
    /// Points of the window it took.
    pub points: f64,
    /// How sure.
    pub evidence: Evidence,
    /// Where it comes from.
    pub source: &'static str,
}

/// Every known conversion, best first.
pub const CONVERSIONS: &[Conversion] = &[Conversion {
    tier: MPlanTier::Explore,
    window: WindowKind::Weekly,
    model: "MiniMax-H3",
    resolution: "768P",
    duration_s: 4,
    points: 7.0,
    evidence: Evidence::Reported,
    source: "one Explore account (CN): each 4 s 768P MiniMax-H3 clip moved the weekly figure by 7 points \
             (Xander-Xai/X-SuperPlay-ContentOps receipts, minimax-api-2026.md §1.2)",
}];

/// A plan profile: what the app budgets with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanProfile {
    /// The generation.
    pub family: PlanFamily,
    /// The tier's name (`plus`, `explore`, …), or `detected` when only the server's totals are known.
    pub tier: String,
    /// A label for the user, e.g. `Token Plan Max` or `M Plan Explore`.
    pub label: String,
    /// The unit the app speaks in.
    pub unit: QuotaUnit,
    /// The windows, 5-hour first.
    pub windows: Vec<WindowRule>,
    /// Whether the plan includes video at all (M Plan Go has none).
    pub video: bool,
    /// After the plan's quota, the key spends credits at pay-as-you-go prices (never asked).
    pub credits_after: bool,
    /// The generation or the sizes were read from the server for this key.
    pub detected: bool,
}

impl PlanProfile {
    /// The window of `kind`.
    pub fn window(&self, kind: WindowKind) -> Option<&WindowRule> {
        self.windows.iter().find(|w| w.kind == kind)
    }

    /// The price of `input` on this profile's table (requests or request-equivalents).
    pub fn estimate(&self, input: &CostInput) -> pricing::Cost {
        pricing::estimate_for(self.family, input)
    }

    /// The placeholder of an unknown price on this profile's table.
    pub fn placeholder(&self, input: &CostInput) -> Option<u32> {
        pricing::placeholder_for(self.family, input)
    }

    /// `units` as a percentage of window `kind` (`None` without such a window).
    pub fn percent_of(&self, kind: WindowKind, units: u64) -> Option<f64> {
        let window = self.window(kind)?;
        #[allow(clippy::cast_precision_loss)]
        Some(if window.capacity == 0 { 100.0 } else { units as f64 * 100.0 / window.capacity as f64 })
    }
}

/// What the server's `/remains` answer says about the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Detection {
    /// Request counts mean the legacy Token Plan, percentages the M Plan (or the usage-based Token Plan,
    /// metered the same way); `None` when the answer does not tell.
    pub family: Option<PlanFamily>,
    /// Requests per 5-hour window, from the counts.
    #[ts(optional, type = "number")]
    pub five_hour_total: Option<u64>,
    /// Requests per weekly window, from the counts (`None`: no weekly cap was sent).
    #[ts(optional, type = "number")]
    pub weekly_total: Option<u64>,
    /// The 5-hour window's length from `end − start`.
    #[ts(optional, type = "number")]
    pub five_hour_length_ms: Option<i64>,
    /// The weekly window's length.
    #[ts(optional, type = "number")]
    pub weekly_length_ms: Option<i64>,
    /// The server lists video as not in the plan (status 3 with zero totals), or as in it.
    #[ts(optional)]
    pub video_in_plan: Option<bool>,
}

/// Reads what the answer says about the plan (pure).
pub fn detect(view: &PlanView) -> Detection {
    let family = match view.generation {
        PlanGeneration::RequestCounts => Some(PlanFamily::TokenPlan),
        PlanGeneration::Percent => Some(PlanFamily::MPlan),
        PlanGeneration::Unknown | PlanGeneration::NoBuckets => None,
    };
    let main = view.bucket_for(false);
    let total = |w: &minimax_api::plan::WindowView| w.counts.map(|c| u64::try_from(c.total).unwrap_or(0));
    let length = |w: &minimax_api::plan::WindowView, want: &[WindowLength]| {
        w.length.filter(|l| want.contains(l)).and(w.length_ms)
    };
    let counts = family == Some(PlanFamily::TokenPlan);
    let video_in_plan = view
        .buckets
        .iter()
        .find(|b| b.video)
        .map(|b| b.availability != minimax_api::plan::Availability::NotInPlan);
    Detection {
        family,
        five_hour_total: main.filter(|_| counts).and_then(|b| total(&b.interval)).filter(|t| *t > 0),
        weekly_total: main.filter(|_| counts).and_then(|b| total(&b.weekly)).filter(|t| *t > 0),
        five_hour_length_ms: main.and_then(|b| length(&b.interval, &[WindowLength::FiveHours])),
        weekly_length_ms: main.and_then(|b| length(&b.weekly, &[WindowLength::OneWeek])),
        video_in_plan,
    }
}

/// The size of an M Plan tier's weekly window in request-equivalents, from the best conversion: the
/// converted generation's price on the M Plan table divided by the points it took, scaled between tiers by
/// the CONFIRMED ratios (Explore 3 × Go, Build 7.5 × Go).
pub fn m_plan_weekly_capacity(tier: MPlanTier) -> (u64, &'static Conversion) {
    let conversion = &CONVERSIONS[0];
    let input = CostInput::Video {
        model: conversion.model.to_owned(),
        resolution: conversion.resolution.to_owned(),
        duration_s: conversion.duration_s,
    };
    let cost = pricing::estimate_for(PlanFamily::MPlan, &input).requests().map_or(3_000.0, f64::from);
    let measured = cost * 100.0 / conversion.points;
    let scaled = measured * tier.tenths_of_go() as f64 / conversion.tier.tenths_of_go() as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let capacity = scaled.round().max(1.0) as u64;
    (capacity, conversion)
}

/// The profile the app budgets with: the user's choice of generation and tier, or the server's word when the
/// choice is "auto" (the Token Plan until the server has answered). A quota override sets the Token Plan's
/// 5-hour size. Detected totals and window lengths replace the published ones in "auto" only: an explicit
/// choice is the user's override.
pub fn resolve(settings: &Settings, detection: Option<&Detection>) -> PlanProfile {
    let auto = settings.plan_family == PlanFamilyChoice::Auto;
    let detected = detection.filter(|_| auto);
    let family = match settings.plan_family {
        PlanFamilyChoice::TokenPlan => PlanFamily::TokenPlan,
        PlanFamilyChoice::MPlan => PlanFamily::MPlan,
        PlanFamilyChoice::Auto => detected.and_then(|d| d.family).unwrap_or(PlanFamily::TokenPlan),
    };
    let five_len = detected.and_then(|d| d.five_hour_length_ms).unwrap_or(FIVE_HOURS_MS);
    let week_len = detected.and_then(|d| d.weekly_length_ms).unwrap_or(WEEK_MS);
    match family {
        PlanFamily::TokenPlan => token_plan(settings, detected, five_len, week_len),
        PlanFamily::MPlan => m_plan(settings.m_plan_tier, detected, five_len, week_len),
    }
}

fn token_plan(
    settings: &Settings,
    detected: Option<&Detection>,
    five_len: i64,
    week_len: i64,
) -> PlanProfile {
    let tier = settings.plan;
    let detected_total = detected.and_then(|d| d.five_hour_total);
    let (capacity, evidence, source, tier_name) = match (settings.quota_override, detected_total) {
        (Some(n), _) => {
            (u64::from(n), Evidence::UserSet, "your override in Settings".to_owned(), tier.as_str())
        }
        (None, Some(total)) => {
            let named = PlanTier::ALL
                .into_iter()
                .find(|t| u64::from(t.requests_per_window(&settings.region)) == total);
            let name = named.map_or("detected", PlanTier::as_str);
            (total, Evidence::Detected, "MiniMax's /remains answer for this key".to_owned(), name)
        }
        (None, None) => (
            u64::from(tier.requests_per_window(&settings.region)),
            Evidence::Reported,
            "the published tier table (minimax-api.md §9.2)".to_owned(),
            tier.as_str(),
        ),
    };
    let (weekly, weekly_evidence, weekly_source) = match detected.and_then(|d| d.weekly_total) {
        Some(total) => (total, Evidence::Detected, "MiniMax's /remains answer for this key".to_owned()),
        None => (
            capacity.saturating_mul(WEEKLY_MULTIPLE),
            Evidence::Reported,
            "about 10 × the 5-hour quota (third-party changelog, 2026-03-21)".to_owned(),
        ),
    };
    let label = match PlanTier::ALL.into_iter().find(|t| t.as_str() == tier_name) {
        Some(t) => format!("Token Plan {}", tier_label(t)),
        None => format!("Token Plan ({capacity} requests per 5 h)"),
    };
    PlanProfile {
        family: PlanFamily::TokenPlan,
        tier: tier_name.to_owned(),
        label,
        unit: QuotaUnit::Requests,
        windows: vec![
            WindowRule {
                kind: WindowKind::FiveHour,
                length_ms: five_len,
                capacity,
                rolling: true,
                meters: Meters::All,
                evidence,
                source,
            },
            WindowRule {
                kind: WindowKind::Weekly,
                length_ms: week_len,
                capacity: weekly,
                rolling: false,
                meters: Meters::All,
                evidence: weekly_evidence,
                source: weekly_source,
            },
        ],
        video: true,
        credits_after: true,
        detected: detected.is_some_and(|d| d.family.is_some()),
    }
}

fn tier_label(tier: PlanTier) -> &'static str {
    match tier {
        PlanTier::Starter => "Starter",
        PlanTier::Plus => "Plus",
        PlanTier::Max => "Max",
        PlanTier::PlusHighspeed => "Plus-Highspeed",
        PlanTier::MaxHighspeed => "Max-Highspeed",
        PlanTier::UltraHighspeed => "Ultra-Highspeed",
    }
}

fn m_plan(tier: MPlanTier, detected: Option<&Detection>, five_len: i64, week_len: i64) -> PlanProfile {
    let (weekly, conversion) = m_plan_weekly_capacity(tier);
    let five = (weekly / WEEKLY_MULTIPLE).max(1);
    let weekly_source = format!(
        "≈ {} request-equivalents: {} on Explore ({:?}), scaled by the tier ratios (CONFIRMED)",
        weekly, conversion.source, conversion.evidence
    );
    let label = match tier {
        MPlanTier::Go => "M Plan Go",
        MPlanTier::Explore => "M Plan Explore",
        MPlanTier::Build => "M Plan Build",
    };
    PlanProfile {
        family: PlanFamily::MPlan,
        tier: tier.as_str().to_owned(),
        label: label.to_owned(),
        unit: QuotaUnit::Percent,
        windows: vec![
            WindowRule {
                kind: WindowKind::FiveHour,
                length_ms: five_len,
                capacity: five,
                rolling: false,
                meters: Meters::NonVideo,
                evidence: Evidence::Estimate,
                source:
                    "the weekly size ÷ 10 (the Token Plan's reported ratio; no M Plan figure is published)"
                        .to_owned(),
            },
            WindowRule {
                kind: WindowKind::Weekly,
                length_ms: week_len,
                capacity: weekly,
                rolling: false,
                meters: Meters::All,
                evidence: Evidence::Estimate,
                source: weekly_source,
            },
        ],
        video: tier.has_video() && detected.and_then(|d| d.video_in_plan) != Some(false),
        credits_after: true,
        detected: detected.is_some_and(|d| d.family.is_some()),
    }
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
