//! The subscription generations and their tiers: the legacy Token Plan's tiers with their published request
//! quotas per 5-hour window, and the M Plan's tiers (Go / Explore / Build).
//!
//! Figures are `minimax-api.md` §9.2 (M2.7 era, requests per 5 h) and `minimax-api-2026.md` §1.2. They are
//! data, not logic: the user can override the number in settings, the server's `/remains` answer is read for
//! the real figures ([`crate::profile`]), and pricing of individual models lives elsewhere.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::Region;

/// A Token Plan subscription tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PlanTier {
    /// Starter: the smallest plan, kept for existing subscribers.
    Starter,
    /// Plus.
    Plus,
    /// Max.
    Max,
    /// Plus-Highspeed (极速版): includes `MiniMax-M2.7-highspeed`.
    PlusHighspeed,
    /// Max-Highspeed.
    MaxHighspeed,
    /// Ultra-Highspeed.
    UltraHighspeed,
}

/// Which generation of MiniMax's subscription a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PlanFamily {
    /// The legacy Token Plan (existing subscribers): requests on a rolling 5-hour window.
    TokenPlan,
    /// The M Plan (new subscribers since October 2026): percent of a 5-hour and a weekly window, video on the
    /// weekly window only, credits after the plan.
    MPlan,
}

impl PlanFamily {
    /// The name the command line prints (`tokenPlan`, `mPlan`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanFamily::TokenPlan => "tokenPlan",
            PlanFamily::MPlan => "mPlan",
        }
    }
}

/// What Settings says about the plan generation: read it from the server, or the user's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PlanFamilyChoice {
    /// Detected from `/v1/token_plan/remains` (request counts: Token Plan; percentages: M Plan); the Token
    /// Plan until the server has answered.
    #[default]
    Auto,
    /// Always the legacy Token Plan.
    TokenPlan,
    /// Always the M Plan.
    MPlan,
}

/// An M Plan tier (CONFIRMED: platform.minimax.io/docs/m-plan/intro, /faq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MPlanTier {
    /// Go: no video model.
    Go,
    /// Explore: 3 × Go, with MiniMax-H3.
    #[default]
    Explore,
    /// Build: 7.5 × Go, with MiniMax-H3.
    Build,
}

impl MPlanTier {
    /// Every tier, smallest first.
    pub const ALL: [MPlanTier; 3] = [MPlanTier::Go, MPlanTier::Explore, MPlanTier::Build];

    /// The tier's size in tenths of Go (CONFIRMED ratios: Explore 3 × Go, Build 7.5 × Go).
    pub fn tenths_of_go(self) -> u64 {
        match self {
            MPlanTier::Go => 10,
            MPlanTier::Explore => 30,
            MPlanTier::Build => 75,
        }
    }

    /// Whether the tier includes a video model (Go has none).
    pub fn has_video(self) -> bool {
        self != MPlanTier::Go
    }

    /// The name the command line prints.
    pub fn as_str(self) -> &'static str {
        match self {
            MPlanTier::Go => "go",
            MPlanTier::Explore => "explore",
            MPlanTier::Build => "build",
        }
    }
}

impl PlanTier {
    /// The name the command line prints.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanTier::Starter => "starter",
            PlanTier::Plus => "plus",
            PlanTier::Max => "max",
            PlanTier::PlusHighspeed => "plusHighspeed",
            PlanTier::MaxHighspeed => "maxHighspeed",
            PlanTier::UltraHighspeed => "ultraHighspeed",
        }
    }
}

/// The window every published quota refers to.
pub const WINDOW_HOURS: u32 = 5;

/// One row of the tier table as the UI shows it for a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanTierInfo {
    /// The tier.
    pub tier: PlanTier,
    /// Published requests per 5-hour window in the region.
    pub requests_per_window: u32,
    /// Whether the tier may select the dedicated high-speed text model.
    pub highspeed: bool,
}

impl PlanTier {
    /// Every tier, smallest first.
    pub const ALL: [PlanTier; 6] = [
        PlanTier::Starter,
        PlanTier::Plus,
        PlanTier::Max,
        PlanTier::PlusHighspeed,
        PlanTier::MaxHighspeed,
        PlanTier::UltraHighspeed,
    ];

    /// Published requests per 5-hour window. Mainland China has its own table; a custom host is
    /// priced like global because custom hosts are proxies or simulators of the global API.
    pub fn requests_per_window(self, region: &Region) -> u32 {
        let mainland = matches!(region, Region::Mainland);
        match (self, mainland) {
            (PlanTier::Starter, false) => 1_500,
            (PlanTier::Starter, true) => 600,
            (PlanTier::Plus | PlanTier::PlusHighspeed, false) => 4_500,
            (PlanTier::Plus | PlanTier::PlusHighspeed, true) => 1_500,
            (PlanTier::Max | PlanTier::MaxHighspeed, false) => 15_000,
            (PlanTier::Max | PlanTier::MaxHighspeed, true) => 4_500,
            (PlanTier::UltraHighspeed, _) => 30_000,
        }
    }

    /// High-Speed tiers are the only ones that may explicitly select `MiniMax-M2.7-highspeed`.
    pub fn is_highspeed(self) -> bool {
        matches!(self, PlanTier::PlusHighspeed | PlanTier::MaxHighspeed | PlanTier::UltraHighspeed)
    }

    /// The table row for `region`.
    pub fn info(self, region: &Region) -> PlanTierInfo {
        PlanTierInfo {
            tier: self,
            requests_per_window: self.requests_per_window(region),
            highspeed: self.is_highspeed(),
        }
    }
}

/// The tier table for `region`, smallest first.
pub fn tier_table(region: &Region) -> Vec<PlanTierInfo> {
    PlanTier::ALL.iter().map(|tier| tier.info(region)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_quotas_per_region() {
        let custom = Region::Custom { host: "http://127.0.0.1:9".into() };
        let rows: [(PlanTier, u32, u32); 6] = [
            (PlanTier::Starter, 1_500, 600),
            (PlanTier::Plus, 4_500, 1_500),
            (PlanTier::Max, 15_000, 4_500),
            (PlanTier::PlusHighspeed, 4_500, 1_500),
            (PlanTier::MaxHighspeed, 15_000, 4_500),
            (PlanTier::UltraHighspeed, 30_000, 30_000),
        ];
        for (tier, global, mainland) in rows {
            assert_eq!(tier.requests_per_window(&Region::Global), global, "{tier:?} global");
            assert_eq!(tier.requests_per_window(&Region::Mainland), mainland, "{tier:?} mainland");
            assert_eq!(tier.requests_per_window(&custom), global, "{tier:?} custom host");
        }
    }

    #[test]
    fn only_highspeed_tiers_are_highspeed() {
        let fast: Vec<_> = PlanTier::ALL.into_iter().filter(|t| t.is_highspeed()).collect();
        assert_eq!(fast, [PlanTier::PlusHighspeed, PlanTier::MaxHighspeed, PlanTier::UltraHighspeed]);
    }

    #[test]
    fn table_lists_every_tier_in_order() {
        let table = tier_table(&Region::Mainland);
        assert_eq!(table.iter().map(|r| r.tier).collect::<Vec<_>>(), PlanTier::ALL);
        assert_eq!(table[1].requests_per_window, 1_500);
        assert_eq!(serde_json::to_value(&table[3]).unwrap()["tier"], "plusHighspeed");
    }
}
