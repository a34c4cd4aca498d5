//! MPEG audio Layer III frame headers: enough to cut a byte stream into whole frames (streamed speech
//! arrives in arbitrary pieces, and symphonia's decoder takes one whole frame per packet) and to measure
//! a file's length when it carries no Xing/Info header.

use std::io::Read;
use std::time::Duration;

/// What a frame header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrameHeader {
    /// Bytes in the frame, header included.
    pub len: usize,
    /// Frames per second of the decoded audio.
    pub sample_rate: u32,
    /// Decoded frames (samples per channel) in this frame.
    pub samples: u32,
}

/// Parses a 4-byte Layer III header; `None` for anything else (Layers I/II, free format, reserved values).
pub(crate) fn parse_header(h: &[u8]) -> Option<FrameHeader> {
    if h.len() < 4 || h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
    let layer = (h[1] >> 1) & 3; // 1: Layer III
    if version == 1 || layer != 1 || h[3] & 3 == 2 {
        return None;
    }
    const MPEG1_KBPS: [u32; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const MPEG2_KBPS: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let bitrate_index = usize::from(h[2] >> 4);
    let rate_index = usize::from((h[2] >> 2) & 3);
    // Index 0 is "free format" (no length in the header) and 15 is invalid.
    if bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    let mpeg1 = version == 3;
    let kbps = if mpeg1 { MPEG1_KBPS[bitrate_index] } else { MPEG2_KBPS[bitrate_index] };
    // MPEG-2 halves the MPEG-1 rates, MPEG-2.5 quarters them.
    let sample_rate = [44_100, 48_000, 32_000][rate_index] >> [2, 0, 1, 0][usize::from(version)];
    let padding = u32::from((h[2] >> 1) & 1);
    let (samples, factor) = if mpeg1 { (1152, 144_000) } else { (576, 72_000) };
    let len = (factor * kbps / sample_rate + padding) as usize;
    Some(FrameHeader { len, sample_rate, samples })
}

/// Length of an ID3v2 tag at the start of `data` (header and footer included), once 10 bytes are there.
fn id3v2_len(data: &[u8]) -> Option<usize> {
    if data.len() < 10 || &data[..3] != b"ID3" {
        return None;
    }
    let size = data[6..10].iter().fold(0usize, |acc, b| (acc << 7) | usize::from(b & 0x7F));
    let footer = if data[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// Cuts a byte stream that arrives in arbitrary pieces into whole frames.
///
/// It locks onto the first header at the start of the stream (after any ID3v2 tag); after garbage it
/// accepts a header only when the next frame's header follows it, so a stray `0xFF` in junk is not
/// mistaken for a frame.
#[derive(Debug, Default)]
pub(crate) struct FrameSplitter {
    pending: Vec<u8>,
    /// Offset in `pending` of the first byte not yet consumed.
    start: usize,
    /// Bytes of an ID3v2 tag still to skip.
    skip: usize,
    /// Whether the previous frame ended exactly where this one starts.
    locked: bool,
    /// Whether anything was seen yet (a tag is only looked for at the very start).
    started: bool,
}

impl FrameSplitter {
    /// Appends bytes that arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        // Drop consumed bytes before growing, so the buffer holds at most one partial frame plus a chunk.
        if self.start > 0 {
            self.pending.drain(..self.start);
            self.start = 0;
        }
        self.pending.extend_from_slice(bytes);
    }

    /// Calls `frame` for every whole frame now buffered. With `at_end`, a last frame is accepted
    /// without seeing the header after it.
    pub fn drain_frames(&mut self, at_end: bool, mut frame: impl FnMut(FrameHeader, &[u8])) {
        loop {
            let data = &self.pending[self.start..];
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                self.start += n;
                if self.skip > 0 {
                    return;
                }
                continue;
            }
            if !self.started {
                if data.len() < 10 && !at_end {
                    return;
                }
                self.started = true;
                if let Some(tag) = id3v2_len(data) {
                    self.skip = tag;
                    // After a tag, the first header is trusted like one at the very start.
                    self.locked = true;
                    continue;
                }
                self.locked = true;
            }
            if data.len() < 4 {
                return;
            }
            let Some(header) = parse_header(data) else {
                self.locked = false;
                self.start += 1;
                continue;
            };
            if data.len() < header.len {
                return;
            }
            if !self.locked {
                match data.get(header.len..header.len + 4) {
                    Some(next) if parse_header(next).is_some() => {}
                    Some(_) => {
                        self.start += 1;
                        continue;
                    }
                    None if at_end => {}
                    None => return,
                }
            }
            frame(header, &data[..header.len]);
            self.start += header.len;
            self.locked = true;
        }
    }
}

/// The playing time of an MP3 byte stream, by adding up its frames (for files without a Xing/Info
/// header, whose length symphonia does not report). `None` when no frame was found.
pub(crate) fn duration_of(mut reader: impl Read) -> std::io::Result<Option<Duration>> {
    let mut splitter = FrameSplitter::default();
    let mut block = vec![0u8; 64 * 1024];
    let mut seconds = 0f64;
    let mut any = false;
    loop {
        let n = reader.read(&mut block)?;
        splitter.push(&block[..n]);
        splitter.drain_frames(n == 0, |header, _| {
            any = true;
            seconds += f64::from(header.samples) / f64::from(header.sample_rate);
        });
        if n == 0 {
            break;
        }
    }
    Ok(any.then(|| Duration::from_secs_f64(seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid MPEG-1 Layer III frame: 128 kbps, 32 kHz, no padding (576 bytes).
    fn frame(fill: u8) -> Vec<u8> {
        let mut f = vec![fill; 576];
        f[..4].copy_from_slice(&[0xFF, 0xFB, 0x98, 0xC4]);
        f
    }

    #[test]
    fn headers_give_length_rate_and_samples() {
        let h = parse_header(&frame(0)).unwrap();
        assert_eq!(h, FrameHeader { len: 576, sample_rate: 32_000, samples: 1152 });
        // MPEG-2, 64 kbps, 24 kHz, padded: 72000 * 64 / 24000 + 1 = 193.
        let h = parse_header(&[0xFF, 0xF3, 0x86, 0xC4]).unwrap();
        assert_eq!(h, FrameHeader { len: 193, sample_rate: 24_000, samples: 576 });
        assert!(parse_header(&[0xFF, 0xFD, 0x98, 0xC4]).is_none(), "layer II");
        assert!(parse_header(&[0xFF, 0xFB, 0x08, 0xC4]).is_none(), "free format");
        assert!(parse_header(&[0xFF, 0xFB, 0x9C, 0xC4]).is_none(), "reserved rate");
    }

    #[test]
    fn frames_come_out_whole_however_the_bytes_are_cut() {
        let mut stream = b"ID3\x03\x00\x00\x00\x00\x00\x05hello".to_vec();
        for fill in 1..=5 {
            stream.extend(frame(fill));
        }
        for piece in [1, 3, 7, 100, 575, 576, 577, 5000] {
            let mut splitter = FrameSplitter::default();
            let mut fills = Vec::new();
            let chunks: Vec<&[u8]> = stream.chunks(piece).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                splitter.push(chunk);
                splitter.drain_frames(i + 1 == chunks.len(), |h, f| {
                    assert_eq!(h.len, f.len());
                    fills.push(f[4]);
                });
            }
            assert_eq!(fills, vec![1, 2, 3, 4, 5], "pieces of {piece} bytes");
        }
    }

    #[test]
    fn junk_between_frames_is_skipped() {
        let mut stream = frame(1);
        stream.extend([0xFF, 0xFB, 0x00, 0x12, 0x34]);
        stream.extend(frame(2));
        stream.extend(frame(3));
        let mut splitter = FrameSplitter::default();
        splitter.push(&stream);
        let mut fills = Vec::new();
        splitter.drain_frames(true, |_, f| fills.push(f[4]));
        assert_eq!(fills, vec![1, 2, 3]);
    }

    #[test]
    fn duration_adds_up_frames() {
        let stream: Vec<u8> = (0..100).flat_map(|_| frame(0)).collect();
        let d = duration_of(&stream[..]).unwrap().unwrap();
        assert_eq!(d.as_millis(), 3600, "100 frames of 1152 samples at 32 kHz");
        assert_eq!(duration_of(&b"not audio"[..]).unwrap(), None);
    }
}
