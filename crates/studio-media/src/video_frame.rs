//! The first frame of an H.264 MP4, as RGB.
//!
//! Only the index (`moov`) and the first sync sample are read from disk, whatever the file's size. The sample's
//! length-prefixed NAL units are rewritten as an Annex B stream behind the SPS and PPS of the `avcC` box, which
//! is what OpenH264 decodes.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use image::RgbImage;
use openh264::decoder::Decoder;
use openh264::formats::YUVSource;

use crate::error::{MediaError, Result, io};

const START_CODE: [u8; 4] = [0, 0, 0, 1];

fn video_error(path: &Path, reason: impl Into<String>) -> MediaError {
    MediaError::Video { path: path.to_path_buf(), reason: reason.into() }
}

/// Decodes the first frame of the first H.264 track of `path`.
pub fn first_frame(path: &Path) -> Result<RgbImage> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let size = file.metadata().map_err(io(path))?.len();
    let mp4 = re_mp4::Mp4::read(&mut file, size)
        .map_err(|e| video_error(path, format!("not a readable MP4: {e}")))?;
    let (track, config) = mp4
        .tracks()
        .values()
        .find_map(|t| {
            let codec = t.codec_string(&mp4)?;
            codec.starts_with("avc1").then(|| t.raw_codec_config(&mp4).map(|c| (t, c)))?
        })
        .ok_or_else(|| video_error(path, "no H.264 video track"))?;
    let sample = track
        .samples
        .iter()
        .find(|s| s.is_sync)
        .ok_or_else(|| video_error(path, "the video track has no key frame"))?;
    let avcc = AvcConfig::parse(&config).ok_or_else(|| video_error(path, "unreadable avcC box"))?;
    let mut data = vec![0u8; usize::try_from(sample.size).map_err(|_| video_error(path, "huge sample"))?];
    file.seek(SeekFrom::Start(sample.offset)).map_err(io(path))?;
    file.read_exact(&mut data).map_err(io(path))?;

    let mut stream = Vec::with_capacity(data.len() + 256);
    for unit in avcc.sps.iter().chain(&avcc.pps) {
        stream.extend_from_slice(&START_CODE);
        stream.extend_from_slice(unit);
    }
    let mut rest = data.as_slice();
    while rest.len() >= avcc.length_size {
        let (len_bytes, tail) = rest.split_at(avcc.length_size);
        let len = len_bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        if len > tail.len() {
            return Err(video_error(path, "a NAL unit runs past its sample"));
        }
        stream.extend_from_slice(&START_CODE);
        stream.extend_from_slice(&tail[..len]);
        rest = &tail[len..];
    }

    let mut decoder = Decoder::new().map_err(|e| video_error(path, format!("decoder: {e}")))?;
    let decoded = decoder.decode(&stream).map_err(|e| video_error(path, format!("decode: {e}")))?;
    let frame = match decoded {
        Some(frame) => Some(frame),
        // A decoder with frame reordering may hold the picture back until flushed.
        None => decoder
            .flush_remaining()
            .map_err(|e| video_error(path, format!("flush: {e}")))?
            .into_iter()
            .next(),
    };
    let frame = frame.ok_or_else(|| video_error(path, "the first sample decoded to no picture"))?;
    let (width, height) = frame.dimensions();
    let mut rgb = vec![0u8; width * height * 3];
    frame.write_rgb8(&mut rgb);
    let to_u32 = |n: usize| u32::try_from(n).map_err(|_| video_error(path, "frame too large"));
    RgbImage::from_raw(to_u32(width)?, to_u32(height)?, rgb)
        .ok_or_else(|| video_error(path, "frame size mismatch"))
}

/// The parts of an `AVCDecoderConfigurationRecord` a decoder needs.
struct AvcConfig {
    length_size: usize,
    sps: Vec<Vec<u8>>,
    pps: Vec<Vec<u8>>,
}

impl AvcConfig {
    /// Parses the record, with or without its 8-byte box header.
    fn parse(raw: &[u8]) -> Option<AvcConfig> {
        let body = if raw.get(4..8) == Some(b"avcC".as_slice()) { raw.get(8..)? } else { raw };
        let length_size = usize::from(body.get(4)? & 0b11) + 1;
        let mut at = 5;
        let units = |count: usize, at: &mut usize| -> Option<Vec<Vec<u8>>> {
            let mut out = Vec::with_capacity(count);
            for _ in 0..count {
                let len = usize::from(u16::from_be_bytes([*body.get(*at)?, *body.get(*at + 1)?]));
                out.push(body.get(*at + 2..*at + 2 + len)?.to_vec());
                *at += 2 + len;
            }
            Some(out)
        };
        let sps_count = usize::from(body.get(at)? & 0b1_1111);
        at += 1;
        let sps = units(sps_count, &mut at)?;
        let pps_count = usize::from(*body.get(at)?);
        at += 1;
        let pps = units(pps_count, &mut at)?;
        Some(AvcConfig { length_size, sps, pps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avcc_records_parse_with_or_without_the_box_header() {
        let body = [1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 2, 0x67, 0x64, 1, 0, 1, 0x68];
        let config = AvcConfig::parse(&body).unwrap();
        assert_eq!(config.length_size, 4);
        assert_eq!(config.sps, vec![vec![0x67, 0x64]]);
        assert_eq!(config.pps, vec![vec![0x68]]);
        let mut boxed = vec![0, 0, 0, 22];
        boxed.extend_from_slice(b"avcC");
        boxed.extend_from_slice(&body);
        assert_eq!(AvcConfig::parse(&boxed).unwrap().sps, config.sps);
        assert!(AvcConfig::parse(&body[..7]).is_none(), "truncated");
    }
}
