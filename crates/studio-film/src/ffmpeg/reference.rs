//! A MiniMax-H3 reference video or audio, measured with ffprobe before it is copied into the library: its
//! length (2–15 s), and for a video its picture (sides 256–5760 px, width/height 0.4–2.5, 23.976–60 fps),
//! so a clip MiniMax would refuse is refused here, with the reason, before anything is paid.

use std::path::Path;

use studio_core::reference_media::{ReferenceClip, ReferenceKind, check_extension, import_reference_clip};

use super::{Ffmpeg, MediaProbe, StreamKind};
use crate::error::{FilmError, Result};

/// Probes `source` and copies it into the library as a reference of `kind`.
pub async fn import_reference(
    ffmpeg: &Ffmpeg,
    root: &Path,
    source: &Path,
    kind: ReferenceKind,
    now_ms: i64,
) -> Result<ReferenceClip> {
    check_extension(source, kind)?;
    let probe = ffmpeg.probe(source).await?;
    let duration_ms = check_probe(&probe, kind)
        .map_err(|reason| FilmError::MediaInvalid { path: source.to_path_buf(), reason })?;
    Ok(import_reference_clip(root, source, kind, duration_ms, now_ms)?)
}

/// The clip's length when ffprobe's view of it fits MiniMax's limits for `kind`; the reason otherwise.
pub fn check_probe(probe: &MediaProbe, kind: ReferenceKind) -> std::result::Result<u32, String> {
    let wanted = match kind {
        ReferenceKind::Video => StreamKind::Video,
        ReferenceKind::Audio => StreamKind::Audio,
    };
    let stream = probe.first(wanted).ok_or_else(|| match kind {
        ReferenceKind::Video => "it has no video stream".to_owned(),
        ReferenceKind::Audio => "it has no audio stream".to_owned(),
    })?;
    let duration_ms = probe
        .duration_ms
        .or(stream.duration_ms)
        .ok_or_else(|| "ffprobe cannot tell how long it is".to_owned())?;
    if kind == ReferenceKind::Video {
        let (width, height) = (stream.width.unwrap_or(0), stream.height.unwrap_or(0));
        if !(256..=5760).contains(&width) || !(256..=5760).contains(&height) {
            return Err(format!("its picture is {width}×{height}; MiniMax takes sides of 256–5760 px"));
        }
        let shape = f64::from(width) / f64::from(height);
        if !(0.4..=2.5).contains(&shape) {
            return Err(format!("its picture is {width}×{height}; MiniMax takes width/height 0.4–2.5"));
        }
        if let Some(fps) = stream.fps.map(|r| r.as_f64())
            && !(23.9..=60.01).contains(&fps)
        {
            return Err(format!("it runs at {fps:.2} fps; MiniMax takes 23.976–60 fps"));
        }
    }
    Ok(u32::try_from(duration_ms).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffmpeg::parse_probe;

    fn probe(streams: &str, duration: &str) -> MediaProbe {
        parse_probe(&format!(
            r#"{{"streams": [{streams}], "format": {{"format_name": "mov", "duration": "{duration}"}}}}"#
        ))
        .expect("probe json")
    }

    const VIDEO: &str = r#"{"index": 0, "codec_type": "video", "codec_name": "h264", "width": 1280, "height": 720, "r_frame_rate": "25/1"}"#;
    const AUDIO: &str =
        r#"{"index": 1, "codec_type": "audio", "codec_name": "aac", "sample_rate": "44100", "channels": 2}"#;

    #[test]
    fn a_clip_minimax_would_refuse_is_refused_with_the_reason() {
        assert_eq!(check_probe(&probe(VIDEO, "4.200"), ReferenceKind::Video), Ok(4_200));
        assert_eq!(check_probe(&probe(AUDIO, "3.000"), ReferenceKind::Audio), Ok(3_000));
        assert_eq!(
            check_probe(&probe(AUDIO, "3.0"), ReferenceKind::Video),
            Err("it has no video stream".into())
        );
        let small = VIDEO.replace("1280", "200");
        assert!(check_probe(&probe(&small, "4"), ReferenceKind::Video).unwrap_err().contains("200×720"));
        let wide = VIDEO.replace("720", "300");
        assert!(check_probe(&probe(&wide, "4"), ReferenceKind::Video).unwrap_err().contains("0.4–2.5"));
        let slow = VIDEO.replace("25/1", "15/1");
        assert!(check_probe(&probe(&slow, "4"), ReferenceKind::Video).unwrap_err().contains("15.00 fps"));
    }
}
