//! Turning a [`Track`] into a rodio source: symphonia (through rodio's decoder) for the containers, our
//! own reader for raw PCM. Files are read as they play, never whole.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::sync::Arc;
use std::time::Duration;

use rodio::{Decoder, Source};

use crate::error::{AudioError, Result};
use crate::mp3;
use crate::pcm::PcmSource;
use crate::state::{AudioFormat, Media, Track};

/// A decoded track ready to play.
pub(crate) type BoxedSource = Box<dyn Source + Send>;

/// An opened track and its length when known.
pub(crate) struct Opened {
    /// The samples.
    pub source: BoxedSource,
    /// Playing time, from the container or by counting MP3 frames.
    pub duration: Option<Duration>,
}

/// Opens a track for playback or analysis.
pub(crate) fn open(track: &Track) -> Result<Opened> {
    match &track.media {
        Media::File(path) => {
            let what = path.display().to_string();
            let file = File::open(path).map_err(|e| AudioError::io(format!("open {what}"), e))?;
            let len = file.metadata().map_err(|e| AudioError::io(format!("stat {what}"), e))?.len();
            let format = track.format.or_else(|| AudioFormat::from_extension(path));
            let opened = open_reader(BufReader::new(file), len, format, &what)?;
            if opened.duration.is_some() || format != Some(AudioFormat::Mp3) {
                return Ok(opened);
            }
            // An MP3 without a Xing/Info header: count its frames (a quick scan, no decoding).
            let file = File::open(path).map_err(|e| AudioError::io(format!("open {what}"), e))?;
            let duration = mp3::duration_of(BufReader::new(file))
                .map_err(|e| AudioError::io(format!("read {what}"), e))?;
            Ok(Opened { duration, ..opened })
        }
        Media::Bytes(bytes) => {
            let what = format!("track {}", track.info.id);
            let opened =
                open_reader(Cursor::new(Arc::clone(bytes)), bytes.len() as u64, track.format, &what)?;
            if opened.duration.is_some() || track.format != Some(AudioFormat::Mp3) {
                return Ok(opened);
            }
            let duration =
                mp3::duration_of(&bytes[..]).map_err(|e| AudioError::io(format!("read {what}"), e))?;
            Ok(Opened { duration, ..opened })
        }
    }
}

fn open_reader<R>(reader: R, len: u64, format: Option<AudioFormat>, what: &str) -> Result<Opened>
where
    R: Read + Seek + Send + Sync + 'static,
{
    if let Some(AudioFormat::Pcm { sample_rate, channels }) = format {
        let source = PcmSource::new(reader, len, sample_rate, channels)?;
        let duration = source.total_duration();
        return Ok(Opened { source: Box::new(source), duration });
    }
    let mut builder =
        Decoder::builder().with_data(reader).with_byte_len(len).with_seekable(true).with_gapless(true);
    if let Some(format) = format {
        builder = builder.with_hint(format.hint());
    }
    let decoder = builder.build().map_err(|e| AudioError::decode(what, e))?;
    let duration = decoder.total_duration();
    Ok(Opened { source: Box::new(decoder), duration })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
    }

    /// A second of tone as MP3 without a Xing/Info header: 29 frames of 1152 samples at 32 kHz (1044 ms).
    fn sim_mp3() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../minimax-sim/fixtures/tone-32k-mono-128k.mp3")
    }

    fn loudest(source: BoxedSource) -> f32 {
        source.fold(0.0, |max, s| max.max(s.abs()))
    }

    #[test]
    fn each_container_decodes_with_its_length() {
        for (path, ms) in [(fixture("tone.flac"), 500), (fixture("tone.ogg"), 500), (sim_mp3(), 1044)] {
            let opened = open(&Track::file("t", "", &path)).unwrap();
            let duration = opened.duration.unwrap_or_else(|| panic!("{} has a length", path.display()));
            assert!(duration.as_millis().abs_diff(ms) <= 20, "{}: {duration:?}", path.display());
            let peak = loudest(opened.source);
            assert!(peak > 0.2, "{}: real sound, peak {peak}", path.display());
        }
    }

    #[test]
    fn mp3_bytes_without_a_header_get_their_length_from_the_frames() {
        let bytes = std::fs::read(sim_mp3()).unwrap();
        let opened = open(&Track::bytes("t", "", bytes, AudioFormat::Mp3)).unwrap();
        assert_eq!(opened.duration.map(|d| d.as_millis()), Some(1044));
    }

    #[test]
    fn the_content_is_probed_when_the_name_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.bin");
        std::fs::copy(fixture("tone.flac"), &path).unwrap();
        assert!(loudest(open(&Track::file("t", "", &path)).unwrap().source) > 0.2);
    }

    #[test]
    fn garbage_and_missing_files_are_errors() {
        let garbage = Track::bytes("t", "", b"not audio at all".to_vec(), AudioFormat::Wav);
        assert!(matches!(open(&garbage), Err(AudioError::Decode { .. })));
        let missing = Track::file("t", "", "/nonexistent/take.mp3");
        assert!(matches!(open(&missing), Err(AudioError::Io { .. })));
        let pcm = Track::bytes("t", "", vec![0u8; 8], AudioFormat::Pcm { sample_rate: 0, channels: 1 });
        assert!(matches!(open(&pcm), Err(AudioError::Invalid(_))));
    }
}
