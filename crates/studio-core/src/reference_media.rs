//! Reference videos and audios of a MiniMax-H3 request (reference mode: "reference video 1 is the camera
//! move", "the voice timbre of reference audio 1"). Like input images they are copied into the library's
//! `inputs/` folder before a job names them (see [`crate::input_images`] for why), and are read only from the
//! library's folders when the request goes out.
//!
//! Their length is measured when they are imported (by the caller, who has a decoder: ffprobe in the app and
//! the CLI) and kept with the reference, so the request can be checked against MiniMax's limits — 2–15 s
//! each, 15 s in all per kind — and priced (input video is billed per second, like output) before anything
//! is sent.

use std::io::Read;
use std::path::Path;

use minimax_api::video_v2::{MAX_AUDIOS, MAX_VIDEOS};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::input_images::{INPUTS_DIR, readable_stem, unused_name};

/// The shortest reference clip MiniMax takes.
pub const MIN_CLIP_MS: u32 = 2_000;
/// The longest reference clip, and the most of one kind in a request.
pub const MAX_CLIPS_TOTAL_MS: u32 = 15_000;

/// A reference video or audio the library holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferenceClip {
    /// Relative to the data folder (`inputs/…`, or `media/…` for a clip or a line of the library).
    pub path: String,
    /// Its length, measured when it was chosen.
    pub duration_ms: u32,
}

/// Which kind of reference: they differ in formats, size and MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReferenceKind {
    /// MP4 or MOV (H.264/H.265), at most 50 MB.
    Video,
    /// WAV or MP3, at most 15 MB.
    Audio,
}

impl ReferenceKind {
    /// File extensions MiniMax takes for this kind.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Video => &["mp4", "mov"],
            ReferenceKind::Audio => &["wav", "mp3"],
        }
    }

    /// The formats in words ("MP4 or MOV").
    fn formats(self) -> String {
        self.extensions().iter().map(|e| e.to_ascii_uppercase()).collect::<Vec<_>>().join(" or ")
    }

    /// The largest file MiniMax takes (minimax-api-2026.md §3.2, media limits).
    pub fn max_bytes(self) -> u64 {
        match self {
            ReferenceKind::Video => 50 * 1024 * 1024,
            ReferenceKind::Audio => 15 * 1024 * 1024,
        }
    }

    /// How many of this kind one request may hold.
    pub fn max_count(self) -> usize {
        match self {
            ReferenceKind::Video => MAX_VIDEOS,
            ReferenceKind::Audio => MAX_AUDIOS,
        }
    }

    /// The camelCase field of [`crate::request::VideoParams`] that holds this kind.
    pub fn field(self) -> &'static str {
        match self {
            ReferenceKind::Video => "referenceVideos",
            ReferenceKind::Audio => "referenceAudios",
        }
    }

    /// The MIME type of a `data:` URL for a file with this extension.
    pub fn mime(self, path: &str) -> &'static str {
        let extension = Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match (self, extension.as_deref()) {
            (ReferenceKind::Video, Some("mov")) => "video/quicktime",
            (ReferenceKind::Video, _) => "video/mp4",
            (ReferenceKind::Audio, Some("wav")) => "audio/wav",
            (ReferenceKind::Audio, _) => "audio/mpeg",
        }
    }

    fn name(self) -> &'static str {
        match self {
            ReferenceKind::Video => "video",
            ReferenceKind::Audio => "audio",
        }
    }

    /// Whether the first bytes are this kind's container: an ISO media file (`ftyp` box) for video; RIFF/WAVE,
    /// an ID3 tag or an MPEG audio frame sync for audio. A renamed file fails here, not at MiniMax.
    fn looks_right(self, head: &[u8]) -> bool {
        match self {
            ReferenceKind::Video => head.len() >= 8 && &head[4..8] == b"ftyp",
            ReferenceKind::Audio => {
                (head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE")
                    || head.starts_with(b"ID3")
                    || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0)
            }
        }
    }
}

/// Whether a clip of `duration_ms` may be a reference: 2–15 s. The reason otherwise, in words.
pub fn check_clip_length(kind: ReferenceKind, duration_ms: u32) -> std::result::Result<(), String> {
    if duration_ms < MIN_CLIP_MS {
        return Err(format!(
            "the {} is {:.1} s long; MiniMax takes reference clips of 2–15 s",
            kind.name(),
            f64::from(duration_ms) / 1000.0
        ));
    }
    if duration_ms > MAX_CLIPS_TOTAL_MS {
        return Err(format!(
            "the {} is {:.1} s long; MiniMax takes reference clips of 2–15 s (trim it first)",
            kind.name(),
            f64::from(duration_ms) / 1000.0
        ));
    }
    Ok(())
}

/// The file's extension (lower case) when it names a format MiniMax takes for `kind`; refused with the reason
/// otherwise — checked first, so a wrong file is named as such before it is probed.
pub fn check_extension(source: &Path, kind: ReferenceKind) -> Result<String> {
    source
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| kind.extensions().contains(&e.as_str()))
        .ok_or_else(|| CoreError::InvalidRequest(format!("{} is not {}", source.display(), kind.formats())))
}

/// Copies `source` (its length, `duration_ms`, measured by the caller) into `<root>/inputs/` and returns the
/// reference. Refused with the reason, before anything is copied: a format MiniMax does not take, a file that
/// is not what its name says, one over the size limit, or a length outside 2–15 s.
pub fn import_reference_clip(
    root: &Path,
    source: &Path,
    kind: ReferenceKind,
    duration_ms: u32,
    now_ms: i64,
) -> Result<ReferenceClip> {
    let invalid = |reason: String| CoreError::InvalidRequest(reason);
    let shown = source.display();
    let extension = check_extension(source, kind)?;
    let meta = std::fs::metadata(source).map_err(|e| invalid(format!("cannot read {shown}: {e}")))?;
    if !meta.is_file() {
        return Err(invalid(format!("{shown} is not a file")));
    }
    if meta.len() > kind.max_bytes() {
        return Err(invalid(format!(
            "{shown} is {:.1} MB; a reference {} may be at most {} MB",
            meta.len() as f64 / 1_048_576.0,
            kind.name(),
            kind.max_bytes() / 1_048_576
        )));
    }
    let mut head = [0u8; 12];
    let read = std::fs::File::open(source)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| invalid(format!("cannot read {shown}: {e}")))?;
    if !kind.looks_right(&head[..read]) {
        return Err(invalid(format!("{shown} does not hold {}", kind.formats())));
    }
    check_clip_length(kind, duration_ms).map_err(|reason| invalid(format!("{shown}: {reason}")))?;
    let dir = root.join(INPUTS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::MediaFile { path: dir.clone(), source: e })?;
    let (name, target) = unused_name(&dir, now_ms, &readable_stem(source), &extension);
    let temp = dir.join(format!(".{name}.part"));
    std::fs::copy(source, &temp)
        .and_then(|_| std::fs::rename(&temp, &target))
        .map_err(|e| CoreError::MediaFile { path: target.clone(), source: e })?;
    Ok(ReferenceClip { path: format!("{INPUTS_DIR}/{name}"), duration_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MP4_HEAD: &[u8] = b"\0\0\0\x20ftypisom\0\0\x02\0";
    const WAV_HEAD: &[u8] = b"RIFF\x24\0\0\0WAVEfmt ";

    fn refused(root: &Path, source: &Path, kind: ReferenceKind, ms: u32) -> String {
        import_reference_clip(root, source, kind, ms, 7).expect_err("refused").to_string()
    }

    #[test]
    fn a_clip_is_copied_in_and_each_bad_one_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib");
        let video = dir.path().join("Camera move.mp4");
        std::fs::write(&video, MP4_HEAD).unwrap();
        let clip = import_reference_clip(&root, &video, ReferenceKind::Video, 4_000, 7).unwrap();
        assert_eq!(clip, ReferenceClip { path: "inputs/7-Camera-move.mp4".into(), duration_ms: 4_000 });
        assert_eq!(std::fs::read(root.join(&clip.path)).unwrap(), MP4_HEAD);

        let voice = dir.path().join("voice.wav");
        std::fs::write(&voice, WAV_HEAD).unwrap();
        assert!(import_reference_clip(&root, &voice, ReferenceKind::Audio, 2_000, 7).is_ok());
        assert!(refused(&root, &voice, ReferenceKind::Video, 4_000).contains("is not MP4 or MOV"));
        assert!(refused(&root, &voice, ReferenceKind::Audio, 1_500).contains("1.5 s long"));
        assert!(refused(&root, &voice, ReferenceKind::Audio, 15_001).contains("trim it first"));

        let renamed = dir.path().join("notes.mp3");
        std::fs::write(&renamed, b"just some text").unwrap();
        assert!(refused(&root, &renamed, ReferenceKind::Audio, 3_000).contains("does not hold WAV or MP3"));

        let big = dir.path().join("big.mp3");
        std::fs::File::create(&big).unwrap().set_len(ReferenceKind::Audio.max_bytes() + 1).unwrap();
        assert!(refused(&root, &big, ReferenceKind::Audio, 3_000).contains("at most 15 MB"));
        assert!(
            refused(&root, &dir.path().join("gone.mp4"), ReferenceKind::Video, 3_000).contains("cannot read")
        );
    }

    #[test]
    fn mime_types_follow_the_extension() {
        assert_eq!(ReferenceKind::Video.mime("inputs/a.MOV"), "video/quicktime");
        assert_eq!(ReferenceKind::Video.mime("media/1-0.mp4"), "video/mp4");
        assert_eq!(ReferenceKind::Audio.mime("inputs/a.wav"), "audio/wav");
        assert_eq!(ReferenceKind::Audio.mime("media/2-0.mp3"), "audio/mpeg");
    }
}
