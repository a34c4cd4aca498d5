//! The Hailuo camera palette (`minimax-api.md` §4.1): the bracketed commands Hailuo-2.3, 2.3-Fast, 02 and
//! the `*-Director` models obey inside a video prompt.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// One camera command of the Hailuo palette. It is written in the shot list as its canonical name
/// (`"Push in"`); reading also accepts the bracketed prompt form (`"[push in]"`) in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[ts(export)]
pub enum CameraMove {
    /// `[Truck left]`: the camera moves sideways to the left.
    #[serde(rename = "Truck left")]
    TruckLeft,
    /// `[Truck right]`.
    #[serde(rename = "Truck right")]
    TruckRight,
    /// `[Pan left]`: the camera turns to the left in place.
    #[serde(rename = "Pan left")]
    PanLeft,
    /// `[Pan right]`.
    #[serde(rename = "Pan right")]
    PanRight,
    /// `[Push in]`: the camera moves towards the subject.
    #[serde(rename = "Push in")]
    PushIn,
    /// `[Pull out]`.
    #[serde(rename = "Pull out")]
    PullOut,
    /// `[Pedestal up]`: the camera rises.
    #[serde(rename = "Pedestal up")]
    PedestalUp,
    /// `[Pedestal down]`.
    #[serde(rename = "Pedestal down")]
    PedestalDown,
    /// `[Tilt up]`: the camera tilts upwards in place.
    #[serde(rename = "Tilt up")]
    TiltUp,
    /// `[Tilt down]`.
    #[serde(rename = "Tilt down")]
    TiltDown,
    /// `[Zoom in]`: the lens zooms in.
    #[serde(rename = "Zoom in")]
    ZoomIn,
    /// `[Zoom out]`.
    #[serde(rename = "Zoom out")]
    ZoomOut,
    /// `[Shake]`: handheld shake.
    #[serde(rename = "Shake")]
    Shake,
    /// `[Tracking shot]`: the camera follows the subject.
    #[serde(rename = "Tracking shot")]
    TrackingShot,
    /// `[Static shot]`: the camera does not move.
    #[serde(rename = "Static shot")]
    StaticShot,
}

impl CameraMove {
    /// The whole palette in the documented order.
    pub const PALETTE: [CameraMove; 15] = [
        CameraMove::TruckLeft,
        CameraMove::TruckRight,
        CameraMove::PanLeft,
        CameraMove::PanRight,
        CameraMove::PushIn,
        CameraMove::PullOut,
        CameraMove::PedestalUp,
        CameraMove::PedestalDown,
        CameraMove::TiltUp,
        CameraMove::TiltDown,
        CameraMove::ZoomIn,
        CameraMove::ZoomOut,
        CameraMove::Shake,
        CameraMove::TrackingShot,
        CameraMove::StaticShot,
    ];

    /// The canonical spelling, as in the API docs without brackets (`"Push in"`).
    pub fn name(self) -> &'static str {
        match self {
            CameraMove::TruckLeft => "Truck left",
            CameraMove::TruckRight => "Truck right",
            CameraMove::PanLeft => "Pan left",
            CameraMove::PanRight => "Pan right",
            CameraMove::PushIn => "Push in",
            CameraMove::PullOut => "Pull out",
            CameraMove::PedestalUp => "Pedestal up",
            CameraMove::PedestalDown => "Pedestal down",
            CameraMove::TiltUp => "Tilt up",
            CameraMove::TiltDown => "Tilt down",
            CameraMove::ZoomIn => "Zoom in",
            CameraMove::ZoomOut => "Zoom out",
            CameraMove::Shake => "Shake",
            CameraMove::TrackingShot => "Tracking shot",
            CameraMove::StaticShot => "Static shot",
        }
    }

    /// The command as it goes into a video prompt (`"[Push in]"`).
    pub fn prompt_command(self) -> String {
        format!("[{}]", self.name())
    }

    /// Reads a move written with or without brackets, in any case and with any inner spacing
    /// (`"push in"`, `"[Push  In]"`). `None` when it is not in the palette.
    pub fn parse(text: &str) -> Option<CameraMove> {
        let trimmed = text.trim();
        let inner = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(trimmed);
        let wanted: Vec<String> = inner.split_whitespace().map(str::to_lowercase).collect();
        CameraMove::PALETTE.into_iter().find(|m| {
            let words: Vec<String> = m.name().split_whitespace().map(str::to_lowercase).collect();
            words == wanted
        })
    }

    /// The palette as one readable list, for error messages.
    pub fn palette_list() -> String {
        CameraMove::PALETTE.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
    }

    /// The message for a move outside the palette.
    pub fn unknown_message(found: &str) -> String {
        format!("unknown camera move \"{found}\"; the Hailuo palette is: {}", CameraMove::palette_list())
    }
}

impl fmt::Display for CameraMove {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CameraMove {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A string rather than the derived enum so that "[push in]" is accepted and an unknown move is
        // answered with the whole palette rather than serde's "unknown variant".
        let text = String::deserialize(deserializer)?;
        CameraMove::parse(&text).ok_or_else(|| serde::de::Error::custom(CameraMove::unknown_message(&text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_read_in_any_spelling_and_normalised() {
        let table = [
            ("Push in", Some(CameraMove::PushIn)),
            ("[Push in]", Some(CameraMove::PushIn)),
            ("[push IN]", Some(CameraMove::PushIn)),
            ("  pan   left ", Some(CameraMove::PanLeft)),
            ("[Static shot]", Some(CameraMove::StaticShot)),
            ("shake", Some(CameraMove::Shake)),
            ("[Tracking shot]", Some(CameraMove::TrackingShot)),
            ("Dolly zoom", None),
            ("[Pan left,Pedestal up]", None),
            ("", None),
            ("[]", None),
        ];
        for (text, expected) in table {
            assert_eq!(CameraMove::parse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn every_move_round_trips_through_its_name_and_json() {
        for m in CameraMove::PALETTE {
            assert_eq!(CameraMove::parse(m.name()), Some(m));
            assert_eq!(CameraMove::parse(&m.prompt_command()), Some(m));
            let json = serde_json::to_string(&m).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", m.name()));
            let back: CameraMove = serde_json::from_str(&json).unwrap_or(CameraMove::Shake);
            assert_eq!(back, m);
        }
    }

    #[test]
    fn an_unknown_move_names_itself_and_the_palette() {
        let err = serde_json::from_str::<CameraMove>("\"Dolly zoom\"").err().map(|e| e.to_string());
        let message = err.unwrap_or_default();
        assert!(message.contains("\"Dolly zoom\""), "{message}");
        assert!(message.contains("Push in") && message.contains("Static shot"), "{message}");
    }
}
