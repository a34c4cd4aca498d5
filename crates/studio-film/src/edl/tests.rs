use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::*;
use crate::render::graph::frame_at;
use crate::timeline::{
    ClipInput, Ducking, FilmInput, KeyframeInput, LineAudio, LineInput, MusicBed, ShotInput, Timeline, build,
};

const FPS: u32 = 24;

/// A film over real (empty) files in `dir`, with a name that needs escaping in XML and in URLs.
fn film(dir: &Path) -> Timeline {
    let file = |name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, b"x").expect("write");
        path
    };
    let line = |id, speaker: &str, name: &str, ms, offset| LineInput {
        id,
        speaker: speaker.into(),
        text: format!("Line <{id}> & more"),
        audio: Some(LineAudio { path: file(name), duration_ms: ms, subtitles: None }),
        offset_ms: offset,
    };
    let input = FilmInput {
        shots: vec![
            ShotInput {
                id: 1,
                planned_ms: 4_000,
                clip: Some(ClipInput {
                    path: file("clip one & 'two'.mp4"),
                    media_ms: 6_000,
                    trim_in_ms: 1_000,
                    trim_out_ms: Some(5_500),
                    has_audio: true,
                }),
                keyframe: None,
                lines: vec![
                    line(10, "Mara", "l10.mp3", 2_000, None),
                    line(11, "Jon", "l11.mp3", 1_500, Some(1_000)),
                ],
            },
            ShotInput {
                id: 2,
                planned_ms: 3_000,
                clip: None,
                keyframe: Some(KeyframeInput { path: file("key #2.png"), camera: vec!["Push in".into()] }),
                lines: vec![line(20, "Mara", "l20.mp3", 3_100, None)],
            },
            ShotInput { id: 3, planned_ms: 2_000, clip: None, keyframe: None, lines: vec![] },
        ],
        music: Some(MusicBed {
            path: file("music.mp3"),
            media_ms: 60_000,
            volume: 0.5,
            fade_in_ms: 500,
            fade_out_ms: 500,
            ducking: Some(Ducking { amount_db: -12.0 }),
        }),
        ..FilmInput::default()
    };
    build(&input)
}

/// "N/24s" or "0s" in frames.
fn frames_of(time: &str) -> u64 {
    let body = time.strip_suffix('s').expect("ends in s");
    match body.split_once('/') {
        Some((n, d)) => {
            assert_eq!(d, FPS.to_string(), "{time}");
            n.parse().expect("frames")
        }
        None => body.parse::<u64>().expect("seconds") * u64::from(FPS),
    }
}

#[derive(Debug)]
struct XmlClip {
    element: String,
    attrs: HashMap<String, String>,
    parent: Option<usize>,
}

fn parse_fcpxml(xml: &str) -> (HashMap<String, String>, Vec<XmlClip>, String) {
    let mut reader = Reader::from_str(xml);
    let mut assets = HashMap::new();
    let mut clips: Vec<XmlClip> = Vec::new();
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut in_spine = false;
    let mut asset_id = String::new();
    let mut version = String::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (element, empty) = match &event {
            Event::Start(e) => (e.clone(), false),
            Event::Empty(e) => (e.clone(), true),
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                if name == "spine" {
                    in_spine = false;
                } else if in_spine {
                    stack.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = element.name().as_ref().to_owned();
        let attrs: HashMap<String, String> = element
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(XmlVersion::Implicit1_0).expect("value").into_owned(),
                )
            })
            .collect();
        match name.as_str() {
            "fcpxml" => version = attrs["version"].clone(),
            "asset" => asset_id = attrs["id"].clone(),
            "media-rep" => {
                assets.insert(asset_id.clone(), attrs["src"].clone());
            }
            "spine" => in_spine = true,
            _ if in_spine => {
                let parent = stack.last().copied().flatten();
                clips.push(XmlClip { element: name, attrs, parent });
                if !empty {
                    stack.push(Some(clips.len() - 1));
                }
            }
            _ => {}
        }
    }
    (assets, clips, version)
}

#[test]
fn fcpxml_parses_back_with_every_reference_resolving_and_the_timeline_s_timings() {
    let dir = tempfile::tempdir().expect("dir");
    let timeline = film(dir.path());
    let xml = to_fcpxml(&timeline, "A film & <friends>", 1366, 768, FPS);
    let (assets, clips, version) = parse_fcpxml(&xml);
    assert_eq!(version, "1.9");
    for (id, src) in &assets {
        let path = path_from_url(src).expect("file URL");
        assert!(path.is_file(), "asset {id} → {src} does not resolve");
    }
    let spine: Vec<&XmlClip> = clips.iter().filter(|c| c.parent.is_none()).collect();
    assert_eq!(spine.iter().map(|c| c.element.as_str()).collect::<Vec<_>>(), ["asset-clip", "video", "gap"]);
    for (clip, shot) in spine.iter().zip(&timeline.shots) {
        let offset = frame_at(shot.start_ms, FPS);
        assert_eq!(frames_of(&clip.attrs["offset"]), offset, "{clip:?}");
        assert_eq!(frames_of(&clip.attrs["duration"]), frame_at(shot.end_ms, FPS) - offset, "{clip:?}");
        if let Some(id) = clip.attrs.get("ref") {
            assert!(assets.contains_key(id), "{id} is declared");
        }
    }
    assert_eq!(frames_of(&spine[0].attrs["start"]), 24, "the clip's trim in");
    // Lines: connected clips whose offset, in the parent's time, lands on the line's frame.
    for line in &timeline.lines {
        let name = format!("{}: {}", line.speaker, line.text);
        let connected = clips.iter().find(|c| c.attrs.get("name") == Some(&name)).expect("line clip");
        let parent = &clips[connected.parent.expect("connected")];
        let parent_offset = frames_of(&parent.attrs["offset"]);
        let parent_start = frames_of(&parent.attrs["start"]);
        let at = parent_offset + frames_of(&connected.attrs["offset"]) - parent_start;
        assert_eq!(at, frame_at(line.start_ms, FPS), "{name}");
        assert!(connected.attrs["lane"].starts_with('-'), "audio below the storyline");
        let src = &assets[&connected.attrs["ref"]];
        assert_eq!(path_from_url(src).as_deref(), Some(line.audio_path.as_path()));
    }
    // The two overlapping lines of shot 1 sit on different lanes.
    let lanes: Vec<&str> = clips
        .iter()
        .filter(|c| c.attrs.get("audioRole").map(String::as_str) == Some("dialogue"))
        .map(|c| c.attrs["lane"].as_str())
        .collect();
    assert_eq!(lanes, ["-1", "-2", "-1"]);
    let music =
        clips.iter().find(|c| c.attrs.get("name").map(String::as_str) == Some("Music")).expect("music");
    assert_eq!(frames_of(&music.attrs["duration"]), frame_at(timeline.duration_ms, FPS));
    assert!(xml.contains("<adjust-volume amount=\"-6.0dB\"/>"));
}

#[test]
fn otio_parses_back_with_every_reference_resolving_and_the_timeline_s_timings() {
    let dir = tempfile::tempdir().expect("dir");
    let timeline = film(dir.path());
    let json: serde_json::Value = serde_json::from_str(&to_otio(&timeline, "Film", FPS)).expect("JSON");
    assert_eq!(json["OTIO_SCHEMA"], "Timeline.1");
    let tracks = json["tracks"]["children"].as_array().expect("tracks");
    assert_eq!(
        tracks.iter().map(|t| (t["name"].as_str(), t["kind"].as_str())).collect::<Vec<_>>(),
        [
            (Some("Shots"), Some("Video")),
            (Some("Dialogue 1"), Some("Audio")),
            (Some("Dialogue 2"), Some("Audio")),
            (Some("Music"), Some("Audio"))
        ]
    );
    let frames = |v: &serde_json::Value| {
        assert_eq!(v["OTIO_SCHEMA"], "RationalTime.1");
        assert_eq!(v["rate"], 24.0);
        v["value"].as_f64().expect("value") as u64
    };
    // Every track's items, laid end to end, put each clip at its timeline position.
    let mut placed: Vec<(PathBuf, u64, u64)> = Vec::new();
    for track in tracks {
        let mut at = 0;
        for item in track["children"].as_array().expect("children") {
            let length = frames(&item["source_range"]["duration"]);
            if item["OTIO_SCHEMA"] == "Clip.1" {
                let url = item["media_reference"]["target_url"].as_str().expect("url");
                let path = path_from_url(url).expect("file URL");
                assert!(path.is_file(), "{url} does not resolve");
                placed.push((path, at, length));
            } else {
                assert_eq!(item["OTIO_SCHEMA"], "Gap.1");
            }
            at += length;
        }
    }
    for shot in &timeline.shots {
        let (start, end) = (frame_at(shot.start_ms, FPS), frame_at(shot.end_ms, FPS));
        if let crate::timeline::Picture::Clip { path, .. } | crate::timeline::Picture::Still { path, .. } =
            &shot.picture
        {
            assert!(placed.contains(&(path.clone(), start, end - start)), "shot {}", shot.id);
        }
    }
    for line in &timeline.lines {
        let (start, end) = (frame_at(line.start_ms, FPS), frame_at(line.end_ms, FPS));
        assert!(placed.contains(&(line.audio_path.clone(), start, end - start)), "line {}", line.id);
    }
    let first = &tracks[0]["children"][0];
    assert_eq!(frames(&first["source_range"]["start_time"]), 24, "the clip's trim in");
    assert_eq!(frames(&first["media_reference"]["available_range"]["duration"]), 144);
}

#[test]
fn file_urls_round_trip() {
    for path in ["/tmp/a b/c#d%e.mp4", "/films/中文 'x'.png"] {
        let url = file_url(Path::new(path));
        assert!(url.starts_with("file:///"), "{url}");
        assert!(!url.contains(' ') && !url.contains('#') && !url.contains('\''), "{url}");
        assert_eq!(path_from_url(&url), Some(PathBuf::from(path)));
    }
}
