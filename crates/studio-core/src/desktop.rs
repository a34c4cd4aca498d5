//! What the desktop shell shows outside the webview — the tray menu, native notifications — and the shapes of
//! updates and media support that cross the UI boundary.
//!
//! The shell builds no sentence of its own: the UI sends [`ShellWords`], templates from its translation
//! catalogs with `{name}` placeholders, whenever the language changes, and the shell fills them in with
//! [`fill`]. The tray and notifications therefore speak the UI's language and follow a switch live.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The tray's and notifications' words in the UI's language, as templates (`{remaining}`, `{prompt}`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShellWords {
    /// "Open Token Plan Studio".
    pub tray_open: String,
    /// "Pause queue".
    pub tray_pause: String,
    /// "Quit".
    pub tray_quit: String,
    /// What remains: `{remaining}`, `{quota}`.
    pub tray_remaining: String,
    /// The next release: `{requests}`, `{span}`.
    pub tray_release: String,
    /// Nothing used in the window, so nothing to release.
    pub tray_nothing_used: String,
    /// What remains of a window in percent, MiniMax's own figure: `{percent}`.
    pub tray_percent_left: String,
    /// What remains of a window in percent, the app's conversion: `{percent}`.
    pub tray_percent_left_estimate: String,
    /// An amount in percent of a window (the next release on a percent profile): `{percent}`.
    pub tray_percent_amount: String,
    /// A window without a limit.
    pub tray_unlimited: String,
    /// The 5-hour line when a weekly one follows: `{left}`.
    pub tray_five_hour: String,
    /// The weekly line: `{left}`.
    pub tray_weekly: String,
    /// The weekly line with its reset: `{left}`, `{span}`.
    pub tray_weekly_resets: String,
    /// When a fixed window resets: `{span}`.
    pub tray_resets: String,
    /// A span of days and hours (a weekly window's reset): `{days}`, `{hours}`.
    pub span_days: String,
    /// A span of hours and minutes: `{hours}`, `{minutes}` (minutes two digits).
    pub span_hours: String,
    /// A span of minutes: `{minutes}`.
    pub span_minutes: String,
    /// Less than a minute.
    pub span_under_minute: String,
    /// Title of a finished job's notification: `{kind}`.
    pub notify_done_title: String,
    /// Title of a failed job's notification: `{kind}`.
    pub notify_failed_title: String,
    /// Body of a failed job's notification: `{prompt}`, `{reason}`.
    pub notify_failed_body: String,
    /// The notification's action that opens the result.
    pub notify_open: String,
    /// A modality's name by its id (`speech`, `video`…), for `{kind}`.
    pub kinds: BTreeMap<String, String>,
    /// An error kind's short title by its name (`quotaExhausted`…), for `{reason}`.
    pub error_titles: BTreeMap<String, String>,
}

/// `template` with each `{name}` replaced by its value; unknown placeholders are left as they are, so a
/// catalog mistake shows instead of vanishing.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `1,234`: the grouping both UI languages use for request counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An update the update endpoint offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateInfo {
    /// The offered version.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// When it was published (epoch ms), if the manifest says.
    #[ts(type = "number | null")]
    pub date_ms: Option<i64>,
    /// The release notes (Markdown-ish plain text).
    pub notes: String,
}

/// The answer of an update check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UpdateCheck {
    /// This build has an update key and an endpoint (builds from source have none).
    pub configured: bool,
    /// A newer version, if the endpoint offers one.
    pub update: Option<UpdateInfo>,
}

/// What plays and renders media on this computer (Linux: GStreamer's libav plugin and ffmpeg are system
/// packages a user may lack; the UI says what to install).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MediaSupport {
    /// H.264 video plays in the window (GStreamer's libav plugin is installed, or the OS webview has it).
    pub h264_playback: bool,
    /// `ffmpeg` and `ffprobe` are on PATH (films: last frames, the animatic, the export).
    pub ffmpeg: bool,
    /// The package family, for the install hint: `debian`, `fedora`, `other`.
    pub system: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_unknown_ones() {
        assert_eq!(
            fill("{remaining} of {quota} left", &[("remaining", "3,240"), ("quota", "4,500")]),
            "3,240 of 4,500 left"
        );
        assert_eq!(fill("剩余 {remaining}", &[("remaining", "1")]), "剩余 1");
        assert_eq!(fill("{missing} x", &[]), "{missing} x");
        assert_eq!(fill("open { brace", &[]), "open { brace");
        assert_eq!(fill("", &[("a", "b")]), "");
    }

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(4_500), "4,500");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
