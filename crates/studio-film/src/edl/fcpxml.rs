//! FCPXML 1.9: resources (the sequence format, one asset per media file with a `file://` media-rep) and a
//! project whose spine holds the shots (asset-clips for clips, `video` for held keyframes, gaps for
//! shots with nothing yet); lines hang from their shot on lane -1 (lane -2 when lines overlap), the music
//! from the first shot on lane -3.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quick_xml::escape::escape;

use super::{display_name, file_url};
use crate::render::graph::frame_at;
use crate::timeline::{ClipAudio, Ms, Picture, Timeline};

/// A time in whole frames as FCPXML writes it.
fn time(frames: u64, fps: u32) -> String {
    if frames == 0 { "0s".to_owned() } else { format!("{frames}/{fps}s") }
}

/// Media length in whole frames (a partial last frame is not counted).
fn media_frames(ms: Ms, fps: u32) -> u64 {
    ms * u64::from(fps) / 1000
}

/// The resources section being built: one asset per file.
struct Assets {
    xml: String,
    ids: HashMap<PathBuf, String>,
    next: u32,
}

impl Assets {
    /// The asset id of `path`, declaring it on first use.
    fn asset(&mut self, path: &Path, attributes: &str) -> String {
        if let Some(id) = self.ids.get(path) {
            return id.clone();
        }
        self.next += 1;
        let id = format!("r{}", self.next);
        let _ = writeln!(
            self.xml,
            "    <asset id=\"{id}\" name=\"{}\" start=\"0s\" {attributes}>\n      <media-rep kind=\"original-media\" src=\"{}\"/>\n    </asset>",
            escape(display_name(path).as_str()),
            escape(file_url(path).as_str())
        );
        self.ids.insert(path.to_path_buf(), id.clone());
        id
    }
}

/// Writes the timeline as an FCPXML 1.9 document (the project and event are named `title`).
pub fn to_fcpxml(timeline: &Timeline, title: &str, width: u32, height: u32, fps: u32) -> String {
    let title = escape(title);
    let mut assets = Assets { xml: String::new(), ids: HashMap::new(), next: 1 };
    let mut spine = String::new();
    let total = frame_at(timeline.duration_ms, fps);
    let frames = |ms: Ms| frame_at(ms, fps);
    // Lines go to the first of two lanes that is free at their start.
    let mut lane_free_at = [0u64; 2];
    for (n, shot) in timeline.shots.iter().enumerate() {
        let offset = frames(shot.start_ms);
        let duration = frames(shot.end_ms) - offset;
        if duration == 0 {
            continue;
        }
        let (open, start, close) = match &shot.picture {
            Picture::Clip { path, in_ms, media_ms, has_audio, .. } => {
                let audio =
                    if *has_audio { " hasAudio=\"1\" audioSources=\"1\" audioChannels=\"2\"" } else { "" };
                let attributes = format!(
                    "duration=\"{}\" hasVideo=\"1\" format=\"r1\"{audio}",
                    time(media_frames(*media_ms, fps), fps)
                );
                let id = assets.asset(path, &attributes);
                let start = frames(*in_ms);
                (clip_open("asset-clip", &id, path, offset, start, duration, fps), start, "asset-clip")
            }
            Picture::Still { path, .. } => {
                let id = assets.asset(path, "duration=\"0s\" hasVideo=\"1\" format=\"r1\"");
                (clip_open("video", &id, path, offset, 0, duration, fps), 0, "video")
            }
            Picture::Blank => (
                format!(
                    "          <gap name=\"Shot {}\" offset=\"{}\" start=\"0s\" duration=\"{}\">\n",
                    shot.index + 1,
                    time(offset, fps),
                    time(duration, fps)
                ),
                0,
                "gap",
            ),
        };
        spine.push_str(&open);
        if timeline.clip_audio == ClipAudio::Mute
            && matches!(shot.picture, Picture::Clip { has_audio: true, .. })
        {
            spine.push_str("            <adjust-volume amount=\"-96dB\"/>\n");
        }
        // Connected clips' offsets are in the parent's own time: its start plus the distance into it.
        let local = |ms: Ms| start + frames(ms).saturating_sub(offset);
        for line in timeline.lines.iter().filter(|l| l.shot_id == shot.id) {
            let (line_start, line_end) = (frames(line.start_ms), frames(line.end_ms));
            if line_end <= line_start {
                continue;
            }
            let lane = if lane_free_at[0] <= line_start { 0 } else { 1 };
            lane_free_at[lane] = line_end;
            let id = assets.asset(
                &line.audio_path,
                &format!(
                    "duration=\"{}\" hasAudio=\"1\" audioSources=\"1\" audioChannels=\"1\"",
                    time(line_end - line_start, fps)
                ),
            );
            let _ = writeln!(
                spine,
                "            <asset-clip ref=\"{id}\" lane=\"-{}\" name=\"{}: {}\" offset=\"{}\" start=\"0s\" duration=\"{}\" audioRole=\"dialogue\"/>",
                lane + 1,
                escape(line.speaker.as_str()),
                escape(line.text.chars().take(60).collect::<String>().as_str()),
                time(local(line.start_ms), fps),
                time(line_end - line_start, fps)
            );
        }
        if n == 0
            && let Some(music) = &timeline.music
        {
            let length = frames(music.end_ms);
            let id = assets.asset(
                &music.path,
                &format!(
                    "duration=\"{}\" hasAudio=\"1\" audioSources=\"1\" audioChannels=\"2\"",
                    time(length, fps)
                ),
            );
            let db = 20.0 * f64::from(music.volume.max(1e-4)).log10();
            let _ = writeln!(
                spine,
                "            <asset-clip ref=\"{id}\" lane=\"-3\" name=\"Music\" offset=\"{}\" start=\"0s\" duration=\"{}\" audioRole=\"music\">\n              <adjust-volume amount=\"{db:.1}dB\"/>\n            </asset-clip>",
                time(local(0), fps),
                time(length, fps)
            );
        }
        let _ = writeln!(spine, "          </{close}>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n<fcpxml version=\"1.9\">\n  <resources>\n    \
         <format id=\"r1\" frameDuration=\"1/{fps}s\" width=\"{width}\" height=\"{height}\"/>\n{}  </resources>\n  \
         <library>\n    <event name=\"{title}\">\n      <project name=\"{title}\">\n        \
         <sequence format=\"r1\" duration=\"{}\" tcStart=\"0s\" tcFormat=\"NDF\" audioLayout=\"stereo\" audioRate=\"48k\">\n          \
         <spine>\n{spine}          </spine>\n        </sequence>\n      </project>\n    </event>\n  </library>\n</fcpxml>\n",
        assets.xml,
        time(total, fps)
    )
}

/// The opening tag of a spine clip.
fn clip_open(
    element: &str,
    id: &str,
    path: &Path,
    offset: u64,
    start: u64,
    duration: u64,
    fps: u32,
) -> String {
    format!(
        "          <{element} ref=\"{id}\" name=\"{}\" offset=\"{}\" start=\"{}\" duration=\"{}\">\n",
        escape(display_name(path).as_str()),
        time(offset, fps),
        time(start, fps),
        time(duration, fps)
    )
}
