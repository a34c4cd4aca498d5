//! The user's settings: what the Settings screen edits and every part of the app reads.
//!
//! The shell persists them with tauri-plugin-store under [`SETTINGS_KEY`] in the data folder's
//! `settings.json`; this module owns their shape, defaults and validation so the app and the command
//! line agree on them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::plan::{MPlanTier, PlanFamilyChoice, PlanTier};

/// The key under which the settings object is stored in `settings.json`.
pub const SETTINGS_KEY: &str = "settings";

/// Which MiniMax API host the keys belong to. Keys are region-bound (`minimax-api.md` §1.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Region {
    /// `https://api.minimax.io`.
    #[default]
    Global,
    /// `https://api.minimaxi.com`.
    Mainland,
    /// Any other host: a proxy, or the local simulator.
    Custom {
        /// Base URL without a trailing slash: `https://…`, or `http://` to this computer only
        /// ([`checked_api_host`]).
        host: String,
    },
}

impl Region {
    /// The base URL requests go to.
    pub fn api_host(&self) -> &str {
        match self {
            Region::Global => "https://api.minimax.io",
            Region::Mainland => "https://api.minimaxi.com",
            Region::Custom { host } => host,
        }
    }
}

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub enum Language {
    /// Follow the OS locale.
    #[default]
    #[serde(rename = "system")]
    System,
    /// English.
    #[serde(rename = "en")]
    English,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Theme {
    /// Follow the OS.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// What closing the main window does while jobs are running (asked once, then remembered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CloseChoice {
    /// Not decided yet: the app asks the first time.
    #[default]
    Ask,
    /// Hide the window and keep running in the tray, so jobs and their notifications go on.
    KeepInTray,
    /// Quit (unfinished jobs resume at the next start).
    Quit,
}

/// Every user setting. Missing fields take their defaults, so files written by older versions load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Settings {
    /// Where the API keys belong.
    pub region: Region,
    /// The plan generation: read from the server (`auto`, the default), or the user's choice.
    pub plan_family: PlanFamilyChoice,
    /// The subscribed Token Plan tier (used when the server does not give its totals).
    pub plan: PlanTier,
    /// The subscribed M Plan tier (sizes the windows when the server gives only percentages).
    pub m_plan_tier: MPlanTier,
    /// A Token Plan quota per 5-hour window that replaces the tier's published one and the server's.
    pub quota_override: Option<u32>,
    /// The UI language.
    pub language: Language,
    /// The colour theme.
    pub theme: Theme,
    /// A native notification when a job finishes or fails.
    pub notifications: bool,
    /// Jobs of one kind run at once; `None` ⇒ MiniMax's documented limits. Applies from the next launch.
    pub concurrency: Option<u32>,
    /// The ffmpeg program films use (its folder holds ffprobe too); `None` ⇒ found on PATH.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ffmpeg_path: Option<String>,
    /// What closing the window does while jobs run.
    pub close_while_running: CloseChoice,
}

/// Largest concurrency accepted: the most any modality's documented limit allows.
pub const MAX_CONCURRENCY: u32 = 20;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: Region::Global,
            plan_family: PlanFamilyChoice::Auto,
            plan: PlanTier::Plus,
            m_plan_tier: MPlanTier::Explore,
            quota_override: None,
            language: Language::System,
            theme: Theme::System,
            notifications: true,
            concurrency: None,
            ffmpeg_path: None,
            close_while_running: CloseChoice::Ask,
        }
    }
}

/// Largest quota override accepted: ten times the largest published tier, which leaves room for
/// plans we do not know yet while catching a mistyped extra digit or two.
pub const MAX_QUOTA_OVERRIDE: u32 = 300_000;

impl Settings {
    /// Checks the rules the types cannot express and normalises what may be normalised
    /// (a custom host loses its trailing slashes and surrounding spaces).
    pub fn validated(mut self) -> Result<Self> {
        if let Region::Custom { host } = &mut self.region {
            *host = checked_api_host(host)
                .map_err(|reason| CoreError::InvalidSetting { field: "region.host", reason })?;
        }
        if let Some(quota) = self.quota_override
            && (quota == 0 || quota > MAX_QUOTA_OVERRIDE)
        {
            return Err(CoreError::InvalidSetting {
                field: "quotaOverride",
                reason: format!("{quota} is outside 1..={MAX_QUOTA_OVERRIDE} requests per window"),
            });
        }
        if let Some(jobs) = self.concurrency
            && (jobs == 0 || jobs > MAX_CONCURRENCY)
        {
            return Err(CoreError::InvalidSetting {
                field: "concurrency",
                reason: format!("{jobs} is outside 1..={MAX_CONCURRENCY} jobs at once"),
            });
        }
        if let Some(path) = &mut self.ffmpeg_path {
            let trimmed = path.trim();
            if trimmed.is_empty() {
                self.ffmpeg_path = None;
            } else if !std::path::Path::new(trimmed).is_absolute() {
                return Err(CoreError::InvalidSetting {
                    field: "ffmpegPath",
                    reason: format!("“{trimmed}” is not a full path to the ffmpeg program"),
                });
            } else {
                *path = trimmed.to_owned();
            }
        }
        Ok(self)
    }

    /// Refuses a change to a custom host the user has not confirmed: the API keys are sent to whatever host
    /// the settings name, so a host only becomes the app's once the user has seen "your API key will be sent
    /// to <host>" and agreed (the Settings screen's confirm step sets `confirmed`). Keeping the same custom
    /// host, or choosing MiniMax's own hosts, needs no confirmation.
    pub fn check_host_confirmed(&self, previous: &Settings, confirmed: bool) -> Result<()> {
        match &self.region {
            Region::Custom { host } if !confirmed && previous.region != self.region => {
                Err(CoreError::InvalidSetting {
                    field: "region.host",
                    reason: format!(
                        "your API keys would be sent to {host}; confirm this host in Settings before it is used"
                    ),
                })
            }
            _ => Ok(()),
        }
    }

    /// The Token Plan requests per 5-hour window from the settings alone: the override, else the tier's
    /// published figure. The app budgets with the active profile ([`crate::profile::resolve`]), which also
    /// reads the server's answer.
    pub fn quota_per_window(&self) -> u32 {
        self.quota_override.unwrap_or_else(|| self.plan.requests_per_window(&self.region))
    }

    /// Reads the stored value; absent means defaults. A value that no longer decodes is an error
    /// so the caller can say so instead of silently resetting the user's choices.
    pub fn from_stored(value: Option<serde_json::Value>) -> Result<Self> {
        match value {
            None => Ok(Settings::default()),
            Some(value) => Ok(serde_json::from_value::<Settings>(value)?.validated()?),
        }
    }
}

/// Checks and normalises a custom API host (the app's custom region, the command line's `--api-host`):
/// `https://host[:port][/path]`, or `http://` only to this computer (127.0.0.0/8, `::1`, `localhost`), since
/// plain HTTP to anywhere else would carry the API key unencrypted across the network. Surrounding spaces
/// and trailing slashes are dropped. The error says why, for the user.
pub fn checked_api_host(host: &str) -> std::result::Result<String, String> {
    let trimmed = host.trim().trim_end_matches('/');
    let not_a_url = || {
        format!(
            "\"{trimmed}\" is not a URL; use https://host, or http://127.0.0.1:port for a server on this computer"
        )
    };
    let url = url::Url::parse(trimmed).map_err(|_| not_a_url())?;
    let Some(parsed_host) = url.host() else { return Err(not_a_url()) };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("\"{trimmed}\" carries a user name or password; give the host alone"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("\"{trimmed}\" has a query or fragment; give the host (and path) alone"));
    }
    match url.scheme() {
        "https" => Ok(trimmed.to_owned()),
        "http" => {
            let loopback = match parsed_host {
                url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
                url::Host::Ipv4(ip) => ip.is_loopback(),
                url::Host::Ipv6(ip) => ip.is_loopback(),
            };
            if loopback {
                Ok(trimmed.to_owned())
            } else {
                Err(format!(
                    "\"{trimmed}\" is plain http:// to another computer, which would send your API key \
                     unencrypted; use https://, or http:// only for a server on this computer \
                     (127.0.0.1, ::1, localhost)"
                ))
            }
        }
        _ => Err(not_a_url()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn wire_shape_is_camel_case_and_tagged() {
        let settings = Settings {
            region: Region::Custom { host: "http://127.0.0.1:8080".into() },
            plan_family: PlanFamilyChoice::MPlan,
            plan: PlanTier::MaxHighspeed,
            m_plan_tier: MPlanTier::Build,
            quota_override: Some(900),
            language: Language::SimplifiedChinese,
            theme: Theme::Dark,
            notifications: false,
            concurrency: Some(2),
            ffmpeg_path: None,
            close_while_running: CloseChoice::KeepInTray,
        };
        let value = serde_json::to_value(&settings).unwrap();
        assert_eq!(
            value,
            json!({
                "region": {"kind": "custom", "host": "http://127.0.0.1:8080"},
                "planFamily": "mPlan",
                "plan": "maxHighspeed",
                "mPlanTier": "build",
                "quotaOverride": 900,
                "language": "zh-CN",
                "theme": "dark",
                "notifications": false,
                "concurrency": 2,
                "closeWhileRunning": "keepInTray"
            })
        );
        assert_eq!(Settings::from_stored(Some(value)).unwrap(), settings);
    }

    #[test]
    fn absent_or_partial_values_take_defaults() {
        assert_eq!(Settings::from_stored(None).unwrap(), Settings::default());
        let partial = Settings::from_stored(Some(json!({"theme": "light"}))).unwrap();
        assert_eq!(partial.theme, Theme::Light);
        assert_eq!(partial.plan, PlanTier::Plus);
        assert_eq!(partial.plan_family, PlanFamilyChoice::Auto, "the server decides unless the user did");
        assert_eq!(partial.m_plan_tier, MPlanTier::Explore);
        assert_eq!(partial.region, Region::Global);
        assert!(partial.notifications, "notifications are on unless turned off");
        assert_eq!(partial.concurrency, None);
    }

    #[test]
    fn concurrency_bounds() {
        let with = |c| Settings { concurrency: c, ..Settings::default() };
        assert!(with(Some(1)).validated().is_ok());
        assert!(with(Some(MAX_CONCURRENCY)).validated().is_ok());
        for bad in [0, MAX_CONCURRENCY + 1] {
            let err = with(Some(bad)).validated().unwrap_err();
            assert!(matches!(err, CoreError::InvalidSetting { field: "concurrency", .. }));
        }
    }

    #[test]
    fn unreadable_values_are_errors_not_silent_resets() {
        let err = Settings::from_stored(Some(json!({"theme": "sepia"}))).unwrap_err();
        assert!(matches!(err, CoreError::SettingsDecode(_)), "{err:?}");
    }

    #[test]
    fn custom_host_is_normalised_or_rejected() {
        let with =
            |host: &str| Settings { region: Region::Custom { host: host.into() }, ..Settings::default() };
        let ok = with(" https://proxy.example.com/ ").validated().unwrap();
        assert_eq!(ok.region.api_host(), "https://proxy.example.com");
        for bad in ["", "proxy.example.com", "ftp://x", "http://", "http://a b"] {
            let err = with(bad).validated().unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidSetting { field: "region.host", .. }),
                "{bad:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn plain_http_is_for_this_computer_only() {
        let with =
            |host: &str| Settings { region: Region::Custom { host: host.into() }, ..Settings::default() };
        for local in ["http://127.0.0.1:8080", "http://localhost:9/", "http://[::1]:8080", "http://127.3.2.1"]
        {
            assert!(with(local).validated().is_ok(), "{local} is this computer");
        }
        assert!(with("https://10.0.0.2:8443/v1").validated().is_ok(), "https goes anywhere");
        for remote in [
            "http://192.168.1.5:8080",
            "http://api.minimax.io",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com",
            "http://[::2]:80",
        ] {
            let err = with(remote).validated().unwrap_err().to_string();
            assert!(
                err.contains("unencrypted") && err.contains("127.0.0.1, ::1, localhost"),
                "{remote}: {err}"
            );
        }
        let err = with("http://127.0.0.1@evil.example.com").validated().unwrap_err().to_string();
        assert!(err.contains("user name or password"), "the host is evil.example.com, not loopback: {err}");
        let err = with("https://proxy.example.com/?key=1").validated().unwrap_err().to_string();
        assert!(err.contains("query"), "{err}");
    }

    #[test]
    fn a_new_custom_host_needs_the_users_confirmation() {
        let custom =
            |host: &str| Settings { region: Region::Custom { host: host.into() }, ..Settings::default() };
        let global = Settings::default();
        let proxy = custom("https://proxy.example.com");
        let err = proxy.check_host_confirmed(&global, false).unwrap_err().to_string();
        assert!(err.contains("sent to https://proxy.example.com") && err.contains("confirm"), "{err}");
        assert!(proxy.check_host_confirmed(&global, true).is_ok());
        // Another custom host is a new destination for the key, too.
        assert!(custom("https://other.example.com").check_host_confirmed(&proxy, false).is_err());
        // Keeping the confirmed host (changing the theme, say) or going back to MiniMax needs nothing.
        let themed = Settings { theme: Theme::Dark, ..proxy.clone() };
        assert!(themed.check_host_confirmed(&proxy, false).is_ok());
        assert!(global.check_host_confirmed(&proxy, false).is_ok());
        assert!(
            Settings { region: Region::Mainland, ..global.clone() }
                .check_host_confirmed(&proxy, false)
                .is_ok()
        );
    }

    #[test]
    fn quota_override_bounds_and_effect() {
        let with = |q| Settings { quota_override: q, ..Settings::default() };
        assert_eq!(with(None).quota_per_window(), 4_500, "Plus, global");
        assert_eq!(with(Some(1_234)).validated().unwrap().quota_per_window(), 1_234);
        assert!(with(Some(MAX_QUOTA_OVERRIDE)).validated().is_ok());
        for bad in [0, MAX_QUOTA_OVERRIDE + 1] {
            let err = with(Some(bad)).validated().unwrap_err();
            assert!(matches!(err, CoreError::InvalidSetting { field: "quotaOverride", .. }));
        }
    }

    #[test]
    fn hosts_per_region() {
        assert_eq!(Region::Global.api_host(), "https://api.minimax.io");
        assert_eq!(Region::Mainland.api_host(), "https://api.minimaxi.com");
    }
}
