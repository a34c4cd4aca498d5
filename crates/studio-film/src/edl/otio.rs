//! OpenTimelineIO JSON: Timeline → Stack → Tracks (one Video track of shots; Audio tracks for the lines, as
//! many as overlapping lines need, and one for the music) → Clips with an `ExternalReference` to the file
//! and source ranges as `RationalTime` in frames. The `Clip.1` schema (with `media_reference`) is written:
//! every OTIO reader since 0.12 reads it, newer ones upgrade it.

use serde_json::{Value, json};

use super::{display_name, file_url};
use crate::render::graph::frame_at;
use crate::timeline::{Ms, Picture, Timeline};

fn rational(frames: u64, fps: u32) -> Value {
    json!({ "OTIO_SCHEMA": "RationalTime.1", "rate": f64::from(fps), "value": frames as f64 })
}

fn range(start: u64, duration: u64, fps: u32) -> Value {
    json!({ "OTIO_SCHEMA": "TimeRange.1", "start_time": rational(start, fps), "duration": rational(duration, fps) })
}

fn gap(frames: u64, fps: u32) -> Value {
    json!({
        "OTIO_SCHEMA": "Gap.1", "name": "", "metadata": {}, "effects": [], "markers": [], "enabled": true,
        "source_range": range(0, frames, fps),
    })
}

fn clip(
    name: String,
    path: &std::path::Path,
    available: Option<u64>,
    start: u64,
    frames: u64,
    fps: u32,
) -> Value {
    json!({
        "OTIO_SCHEMA": "Clip.1", "name": name, "metadata": {}, "effects": [], "markers": [], "enabled": true,
        "source_range": range(start, frames, fps),
        "media_reference": {
            "OTIO_SCHEMA": "ExternalReference.1", "name": display_name(path), "metadata": {},
            "target_url": file_url(path),
            "available_range": available.map(|a| range(0, a, fps)),
        },
    })
}

fn track(name: &str, kind: &str, children: Vec<Value>) -> Value {
    json!({
        "OTIO_SCHEMA": "Track.1", "name": name, "kind": kind, "metadata": {}, "effects": [], "markers": [],
        "enabled": true, "source_range": null, "children": children,
    })
}

/// Audio items placed on a track: gaps fill the time between them.
#[derive(Default)]
struct AudioTrack {
    children: Vec<Value>,
    at: u64,
}

impl AudioTrack {
    fn place(&mut self, start: u64, item: Value, frames: u64, fps: u32) {
        if start > self.at {
            self.children.push(gap(start - self.at, fps));
        }
        self.children.push(item);
        self.at = start + frames;
    }
}

/// Writes the timeline as an OpenTimelineIO document named `title`.
pub fn to_otio(timeline: &Timeline, title: &str, fps: u32) -> String {
    let frames = |ms: Ms| frame_at(ms, fps);
    let media = |ms: Ms| ms * u64::from(fps) / 1000;
    let mut video = Vec::new();
    for shot in &timeline.shots {
        let length = frames(shot.end_ms) - frames(shot.start_ms);
        if length == 0 {
            continue;
        }
        video.push(match &shot.picture {
            Picture::Clip { path, in_ms, media_ms, .. } => clip(
                format!("Shot {}", shot.index + 1),
                path,
                Some(media(*media_ms)),
                frames(*in_ms),
                length,
                fps,
            ),
            Picture::Still { path, .. } => {
                clip(format!("Shot {} (keyframe)", shot.index + 1), path, None, 0, length, fps)
            }
            Picture::Blank => gap(length, fps),
        });
    }
    let mut dialogue: Vec<AudioTrack> = Vec::new();
    for line in &timeline.lines {
        let (start, end) = (frames(line.start_ms), frames(line.end_ms));
        if end <= start {
            continue;
        }
        let item = clip(
            format!("{}: {}", line.speaker, line.text.chars().take(60).collect::<String>()),
            &line.audio_path,
            Some(end - start),
            0,
            end - start,
            fps,
        );
        match dialogue.iter_mut().find(|t| t.at <= start) {
            Some(track) => track.place(start, item, end - start, fps),
            None => {
                let mut track = AudioTrack::default();
                track.place(start, item, end - start, fps);
                dialogue.push(track);
            }
        }
    }
    let mut tracks = vec![track("Shots", "Video", video)];
    for (n, t) in dialogue.into_iter().enumerate() {
        tracks.push(track(&format!("Dialogue {}", n + 1), "Audio", t.children));
    }
    if let Some(music) = &timeline.music {
        let length = frames(music.end_ms);
        let item = clip("Music".to_owned(), &music.path, Some(length), 0, length, fps);
        let mut t = AudioTrack::default();
        t.place(0, item, length, fps);
        tracks.push(track("Music", "Audio", t.children));
    }
    let document = json!({
        "OTIO_SCHEMA": "Timeline.1",
        "name": title,
        "metadata": { "tokenplan": { "aspectRatio": timeline.aspect_ratio.as_str(), "durationMs": timeline.duration_ms } },
        "global_start_time": rational(0, fps),
        "tracks": {
            "OTIO_SCHEMA": "Stack.1", "name": "tracks", "metadata": {}, "effects": [], "markers": [],
            "enabled": true, "source_range": null, "children": tracks,
        },
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
