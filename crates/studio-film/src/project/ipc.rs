//! The shapes the Film screen exchanges with the app that are not the film model itself (generated into the
//! UI's bindings with the rest of the crate's types).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::Film;
use super::stages::PlannedJob;
use crate::render::{EdlFormat, ExportResolution, SubtitleMode};
use crate::script::ImportWarning;
use crate::timeline::Timeline;

/// A film made from a shot list, and what was repaired or left out while reading it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmImport {
    /// The new film.
    pub film: Film,
    /// Lines of the file that were read differently or left out, with why.
    pub warnings: Vec<ImportWarning>,
}

/// What a stage would send, its cost and when it would be done — shown before the click.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmStagePlan {
    /// The jobs, in film order (those with a problem are not sent).
    pub jobs: Vec<PlannedJob>,
    /// Known requests of the jobs that would be sent.
    #[ts(type = "number")]
    pub total_requests: u64,
    /// Jobs whose cost is unknown.
    pub unknown: u32,
    /// Windows the stage spans on this plan.
    pub windows_needed: u32,
    /// When it would be done if queued now.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finishes_at_ms: Option<i64>,
}

/// A finished animatic: where the player loads it (a path under the library, served by the media server).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmAnimatic {
    /// `films/film-<id>-animatic.mp4`.
    pub rel_path: String,
    /// Its length, ms.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Shots rendered now (the others came from the cache).
    pub shots_rendered: u32,
    /// The timeline it shows.
    pub timeline: Timeline,
}

/// How to export, as the dialog asks.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmExportRequest {
    /// `720p`, `768p` or `1080p`.
    pub resolution: ExportResolution,
    /// `track`, `burn` or `none`.
    pub subtitles: SubtitleMode,
    /// `fcpxml` or `otio`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edl: Option<EdlFormat>,
    /// A full path to copy the MP4 to (its sidecars beside it); the Library keeps its own copy anyway.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest: Option<String>,
}

/// Which ffmpeg films use, and its version — or why there is none and how to get it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FfmpegStatus {
    /// The program.
    pub path: String,
    /// Its version.
    pub version: String,
}
