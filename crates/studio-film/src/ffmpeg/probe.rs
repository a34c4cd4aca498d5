//! ffprobe: `-of json -show_streams -show_format` read into typed values, and the keyframe times that
//! decide whether a trim can be stream-copied.

use std::path::Path;
use std::process::Stdio;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Ffmpeg;
use crate::error::{FilmError, Result};
use crate::timeline::Ms;

/// A ratio as ffprobe prints it ("24/1", "1/12288").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rational {
    /// Numerator.
    pub num: u32,
    /// Denominator (never 0).
    pub den: u32,
}

impl Rational {
    /// Reads "a/b"; `None` for "0/0" or anything unreadable.
    pub fn parse(text: &str) -> Option<Rational> {
        let (num, den) = text.split_once('/')?;
        let (num, den) = (num.trim().parse().ok()?, den.trim().parse().ok()?);
        (den != 0 && num != 0).then_some(Rational { num, den })
    }

    /// The value.
    pub fn as_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }
}

/// What a stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StreamKind {
    /// Pictures.
    Video,
    /// Sound.
    Audio,
    /// Subtitles.
    Subtitle,
    /// Anything else (data, attachments).
    Other,
}

/// One stream of a probed file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StreamProbe {
    /// Stream index in the file.
    pub index: u32,
    /// What it carries.
    pub kind: StreamKind,
    /// Codec name ("h264", "aac", "mov_text").
    pub codec: String,
    /// Codec profile ("High", "LC").
    pub profile: Option<String>,
    /// Picture width.
    pub width: Option<u32>,
    /// Picture height.
    pub height: Option<u32>,
    /// Pixel format ("yuv420p").
    pub pix_fmt: Option<String>,
    /// Frame rate (`r_frame_rate`).
    pub fps: Option<Rational>,
    /// Time base.
    pub time_base: Option<Rational>,
    /// Audio sample rate.
    pub sample_rate: Option<u32>,
    /// Audio channels.
    pub channels: Option<u32>,
    /// The stream's length when ffprobe knows it.
    #[ts(type = "number | null")]
    pub duration_ms: Option<Ms>,
    /// Frames (or packets) when the container says.
    #[ts(type = "number | null")]
    pub frames: Option<u64>,
}

/// A probed media file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MediaProbe {
    /// Container format ("mov,mp4,m4a,3gp,3g2,mj2").
    pub format_name: String,
    /// The file's length when known (a still image has none).
    #[ts(type = "number | null")]
    pub duration_ms: Option<Ms>,
    /// Its streams.
    pub streams: Vec<StreamProbe>,
}

impl MediaProbe {
    /// The first stream of a kind.
    pub fn first(&self, kind: StreamKind) -> Option<&StreamProbe> {
        self.streams.iter().find(|s| s.kind == kind)
    }

    /// Whether the file has a stream of a kind.
    pub fn has(&self, kind: StreamKind) -> bool {
        self.first(kind).is_some()
    }
}

#[derive(Deserialize)]
struct RawProbe {
    #[serde(default)]
    streams: Vec<RawStream>,
    format: Option<RawFormat>,
}

#[derive(Deserialize)]
struct RawFormat {
    #[serde(default)]
    format_name: String,
    duration: Option<String>,
}

#[derive(Deserialize)]
struct RawStream {
    index: u32,
    #[serde(default)]
    codec_type: String,
    #[serde(default)]
    codec_name: String,
    profile: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    pix_fmt: Option<String>,
    r_frame_rate: Option<String>,
    time_base: Option<String>,
    sample_rate: Option<String>,
    channels: Option<u32>,
    duration: Option<String>,
    nb_frames: Option<String>,
}

/// Seconds as ffprobe prints them ("6.000000") to ms.
fn seconds_to_ms(text: Option<&str>) -> Option<Ms> {
    let seconds: f64 = text?.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| (seconds * 1000.0).round() as Ms)
}

/// Reads ffprobe's JSON.
pub fn parse_probe(json: &str) -> Result<MediaProbe> {
    let raw: RawProbe = serde_json::from_str(json)
        .map_err(|source| FilmError::Decode { what: "ffprobe output".to_owned(), source })?;
    let streams = raw
        .streams
        .into_iter()
        .map(|s| StreamProbe {
            index: s.index,
            kind: match s.codec_type.as_str() {
                "video" => StreamKind::Video,
                "audio" => StreamKind::Audio,
                "subtitle" => StreamKind::Subtitle,
                _ => StreamKind::Other,
            },
            codec: s.codec_name,
            profile: s.profile,
            width: s.width,
            height: s.height,
            pix_fmt: s.pix_fmt,
            fps: s.r_frame_rate.as_deref().and_then(Rational::parse),
            time_base: s.time_base.as_deref().and_then(Rational::parse),
            sample_rate: s.sample_rate.and_then(|r| r.parse().ok()),
            channels: s.channels,
            duration_ms: seconds_to_ms(s.duration.as_deref()),
            frames: s.nb_frames.and_then(|n| n.parse().ok()),
        })
        .collect();
    let (format_name, duration_ms) = match raw.format {
        Some(f) => (f.format_name, seconds_to_ms(f.duration.as_deref())),
        None => (String::new(), None),
    };
    Ok(MediaProbe { format_name, duration_ms, streams })
}

impl Ffmpeg {
    /// Runs an ffprobe query on an existing file and returns its stdout. A missing file is
    /// [`FilmError::MediaUnreadable`]; one ffprobe cannot read is [`FilmError::MediaInvalid`].
    async fn ffprobe(&self, path: &Path, args: &[&str]) -> Result<String> {
        tokio::fs::File::open(path)
            .await
            .map_err(|source| FilmError::MediaUnreadable { path: path.to_path_buf(), source })?;
        let output = tokio::process::Command::new(&self.ffprobe)
            .args(["-v", "error"])
            .args(args)
            .arg(path)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|source| FilmError::Spawn { tool: "ffprobe", source })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(FilmError::MediaInvalid {
                path: path.to_path_buf(),
                reason: stderr.lines().last().unwrap_or("ffprobe cannot read it").trim().to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Probes a media file's container and streams.
    pub async fn probe(&self, path: &Path) -> Result<MediaProbe> {
        let json = self.ffprobe(path, &["-of", "json", "-show_streams", "-show_format"]).await?;
        parse_probe(&json)
    }

    /// The times of the first video stream's keyframes, read from packet flags (nothing is decoded).
    pub async fn keyframe_times(&self, path: &Path) -> Result<Vec<Ms>> {
        let csv = self
            .ffprobe(
                path,
                &["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"],
            )
            .await?;
        let mut times: Vec<Ms> = csv
            .lines()
            .filter_map(|line| {
                let (time, flags) = line.split_once(',')?;
                flags.starts_with('K').then(|| seconds_to_ms(Some(time))).flatten()
            })
            .collect();
        times.sort_unstable();
        Ok(times)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ffprobe_json() {
        let json = r#"{"streams":[
            {"index":0,"codec_name":"h264","profile":"High","codec_type":"video","width":1366,"height":768,
             "pix_fmt":"yuv420p","r_frame_rate":"24/1","time_base":"1/12288","duration":"6.000000","nb_frames":"144"},
            {"index":1,"codec_name":"aac","codec_type":"audio","sample_rate":"48000","channels":2,
             "r_frame_rate":"0/0","time_base":"1/48000","duration":"5.994667"},
            {"index":2,"codec_name":"mov_text","codec_type":"subtitle","time_base":"1/1000"}],
          "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"6.016000"}}"#;
        let probe = parse_probe(json).expect("parses");
        assert_eq!(probe.duration_ms, Some(6_016));
        let video = probe.first(StreamKind::Video).expect("video");
        assert_eq!(
            (video.width, video.height, video.fps),
            (Some(1366), Some(768), Some(Rational { num: 24, den: 1 }))
        );
        assert_eq!(video.frames, Some(144));
        let audio = probe.first(StreamKind::Audio).expect("audio");
        assert_eq!(
            (audio.sample_rate, audio.channels, audio.fps, audio.duration_ms),
            (Some(48_000), Some(2), None, Some(5_995))
        );
        assert_eq!(probe.first(StreamKind::Subtitle).map(|s| s.codec.as_str()), Some("mov_text"));
        assert!(parse_probe("not json").is_err());
    }
}
