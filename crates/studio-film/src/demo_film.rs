//! "Paper Boat": the short built-in film demo mode and the Welcome screen's "Start a film" offer, so the
//! whole film flow can be tried without writing a script or spending anything.

use crate::script::json::import_json;
use crate::script::{AspectRatio, FORMAT_V1, NARRATOR, Script, ScriptLine, ScriptShot};

/// The demo film as a `tokenplan-film/1` file: also a worked example of the format.
pub const DEMO_SCRIPT_JSON: &str = include_str!("paper_boat.json");

/// The demo film: five shots, 16:9, Mara and Theo with a narrator, and a music cue.
pub fn demo_script() -> Script {
    // The embedded file is read by the same importer as a user's (a test proves it is valid). Should a
    // careless edit ever break it, the demo still opens, as one narrated shot, rather than failing.
    import_json(DEMO_SCRIPT_JSON).map(|imported| imported.script).unwrap_or_else(|_| Script {
        format: FORMAT_V1.to_owned(),
        title: "Paper Boat".to_owned(),
        logline: None,
        aspect_ratio: Some(AspectRatio::Landscape),
        style: None,
        target_length_s: None,
        cast: Vec::new(),
        shots: vec![ScriptShot {
            description: "A paper boat drifts on a rain-filled gutter toward the sea.".to_owned(),
            camera: Vec::new(),
            duration_s: Some(6.0),
            characters: Vec::new(),
            lines: vec![ScriptLine {
                speaker: NARRATOR.to_owned(),
                text: "Every boat finds the sea.".to_owned(),
                emotion: None,
            }],
        }],
        music: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{CameraMove, LineEmotion};

    #[test]
    fn the_embedded_demo_is_a_valid_script_with_no_warnings() {
        let imported = import_json(DEMO_SCRIPT_JSON).unwrap();
        assert_eq!(imported.warnings, vec![]);
        assert_eq!(imported.script, demo_script());
    }

    #[test]
    fn the_demo_has_what_the_film_flow_needs() {
        let script = demo_script();
        assert_eq!(script.title, "Paper Boat");
        assert_eq!(script.aspect_ratio, Some(AspectRatio::Landscape));
        assert!((4..=6).contains(&script.shots.len()));
        let cast: Vec<&str> = script.cast.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cast, ["Mara", "Theo"]);
        assert!(script.cast.iter().all(|c| c.look.is_some()));
        let speakers: std::collections::HashSet<&str> =
            script.shots.iter().flat_map(|s| s.lines.iter().map(|l| l.speaker.as_str())).collect();
        assert_eq!(speakers, ["Mara", "Theo", NARRATOR].into_iter().collect());
        assert!(script.music.is_some());
        assert!(script.shots.iter().all(|s| matches!(s.duration_s, Some(d) if d == 6.0 || d == 10.0)));
        assert_eq!(script.shots[1].camera, [CameraMove::PushIn]);
        assert_eq!(script.shots[2].lines[0].emotion, Some(LineEmotion::Happy));
        let planned: f64 = script.shots.iter().filter_map(|s| s.duration_s).sum();
        assert_eq!(Some(planned), script.target_length_s);
    }
}
