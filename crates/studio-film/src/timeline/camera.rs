//! Hailuo camera commands and the slow move a held keyframe makes for them in the animatic.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One command of the Hailuo camera palette (`minimax-api.md` §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CameraMove {
    /// `[Truck left]`.
    TruckLeft,
    /// `[Truck right]`.
    TruckRight,
    /// `[Pan left]`.
    PanLeft,
    /// `[Pan right]`.
    PanRight,
    /// `[Push in]`.
    PushIn,
    /// `[Pull out]`.
    PullOut,
    /// `[Pedestal up]`.
    PedestalUp,
    /// `[Pedestal down]`.
    PedestalDown,
    /// `[Tilt up]`.
    TiltUp,
    /// `[Tilt down]`.
    TiltDown,
    /// `[Zoom in]`.
    ZoomIn,
    /// `[Zoom out]`.
    ZoomOut,
    /// `[Shake]`.
    Shake,
    /// `[Tracking shot]`.
    Tracking,
    /// `[Static shot]`.
    Static,
}

impl CameraMove {
    /// Reads a command as the storyboard stores it: any case, with or without brackets, English or the
    /// Chinese names CN prompts use. Unknown text gives `None` (the shot is then held still).
    pub fn parse(text: &str) -> Option<CameraMove> {
        let cleaned = text.trim().trim_start_matches('[').trim_end_matches(']').trim().to_lowercase();
        let words: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match words.as_str() {
            "truck left" | "左移" => CameraMove::TruckLeft,
            "truck right" | "右移" => CameraMove::TruckRight,
            "pan left" | "左摇" => CameraMove::PanLeft,
            "pan right" | "右摇" => CameraMove::PanRight,
            "push in" | "推进" => CameraMove::PushIn,
            "pull out" | "拉远" | "后拉" => CameraMove::PullOut,
            "pedestal up" | "上升" => CameraMove::PedestalUp,
            "pedestal down" | "下降" => CameraMove::PedestalDown,
            "tilt up" | "上摇" => CameraMove::TiltUp,
            "tilt down" | "下摇" => CameraMove::TiltDown,
            "zoom in" | "变焦推近" => CameraMove::ZoomIn,
            "zoom out" | "变焦拉远" => CameraMove::ZoomOut,
            "shake" | "晃动" => CameraMove::Shake,
            "tracking shot" | "tracking" | "跟随" => CameraMove::Tracking,
            "static shot" | "static" | "固定" => CameraMove::Static,
            _ => return None,
        })
    }
}

/// The slow move of a held keyframe: each axis goes from -1 to 1 over the shot (0: no move on that axis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Motion {
    /// 1: zoom in (push in, zoom in, tracking), -1: zoom out (pull out, zoom out).
    pub zoom: i8,
    /// 1: the view drifts right (pan/truck right), -1: left.
    pub horizontal: i8,
    /// 1: the view drifts down (tilt/pedestal down), -1: up.
    pub vertical: i8,
    /// A small hand-held wobble.
    pub shake: bool,
}

impl Motion {
    /// The combined move of a shot's commands (several commands act together, as in one Hailuo bracket).
    /// Each entry may itself hold several commands separated by commas.
    pub fn from_camera<S: AsRef<str>>(commands: &[S]) -> Motion {
        let mut motion = Motion::default();
        let moves = commands.iter().flat_map(|c| c.as_ref().split([',', '，'])).filter_map(CameraMove::parse);
        for one in moves {
            match one {
                CameraMove::PushIn | CameraMove::ZoomIn | CameraMove::Tracking => motion.zoom = 1,
                CameraMove::PullOut | CameraMove::ZoomOut => motion.zoom = -1,
                CameraMove::PanLeft | CameraMove::TruckLeft => motion.horizontal = -1,
                CameraMove::PanRight | CameraMove::TruckRight => motion.horizontal = 1,
                CameraMove::TiltUp | CameraMove::PedestalUp => motion.vertical = -1,
                CameraMove::TiltDown | CameraMove::PedestalDown => motion.vertical = 1,
                CameraMove::Shake => motion.shake = true,
                CameraMove::Static => {}
            }
        }
        motion
    }

    /// Whether the frame does not move at all.
    pub fn is_still(self) -> bool {
        self == Motion::default()
    }
}
