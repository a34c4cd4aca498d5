//! Building ffmpeg filter graphs from the timeline: one video chain per shot (a trimmed clip fitted to the
//! frame, a keyframe held with its slow move, or black) and one audio mix (lines at their offsets, clips'
//! own sound, the music bed with fades and ducking).
//!
//! Ducking is volume automation over [`Timeline::ducking`], not `sidechaincompress`: the intervals are
//! known exactly from the timeline, so the music dips where the UI shows it will, quiet lines duck as much
//! as loud ones, nothing pumps on breaths, and it costs one `volume` filter instead of splitting and
//! analysing the speech.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::timeline::{ClipAudio, Ms, Picture, Span, TimedShot, Timeline};

/// How far a held keyframe zooms over its shot (15%: visible, never a lurch).
const ZOOM_RANGE: f64 = 0.15;
/// The fixed zoom that leaves room for a pan or tilt.
const PAN_ZOOM: f64 = 1.12;
/// The fixed zoom that leaves room for a shake.
const SHAKE_ZOOM: f64 = 1.06;

/// Seconds with millisecond precision, as ffmpeg reads them.
pub fn secs(ms: Ms) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// The frame at which film time `ms` falls (rounded), so shot boundaries add up to the film exactly.
pub fn frame_at(ms: Ms, fps: u32) -> u64 {
    (ms * u64::from(fps) + 500) / 1000
}

/// Escapes a value for a filter option and then for the filter graph (the two levels ffmpeg's
/// "filtergraph escaping" notes describe), so any path or style text is read back literally.
pub fn escape_filter_value(value: &str) -> String {
    let mut option = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if matches!(c, '\\' | '\'' | ':') {
            option.push('\\');
        }
        option.push(c);
    }
    let mut graph = String::with_capacity(option.len() + 8);
    for c in option.chars() {
        if matches!(c, '\\' | '\'' | '[' | ']' | ',' | ';') {
            graph.push('\\');
        }
        graph.push(c);
    }
    graph
}

/// The command line's inputs, each file opened once however many chains read it.
#[derive(Debug, Default)]
pub struct Inputs {
    args: Vec<OsString>,
    index: HashMap<(PathBuf, Option<(Ms, Ms)>), usize>,
    count: usize,
}

impl Inputs {
    /// Adds `path` (seeking to `range` when given, which is fast and frame-accurate when re-encoding) and
    /// returns its input index.
    pub fn add(&mut self, path: &Path, range: Option<(Ms, Ms)>) -> usize {
        let key = (path.to_path_buf(), range);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        if let Some((start, end)) = range {
            self.args.extend(["-ss".into(), secs(start).into(), "-t".into(), secs(end - start).into()]);
        }
        self.args.push("-i".into());
        self.args.push(path.as_os_str().to_owned());
        self.index.insert(key, self.count);
        self.count += 1;
        self.count - 1
    }

    /// Adds a file read as-is (a concat list, a subtitle file) with options before `-i`.
    pub fn add_with(&mut self, options: &[&str], path: &Path) -> usize {
        self.args.extend(options.iter().map(OsString::from));
        self.args.push("-i".into());
        self.args.push(path.as_os_str().to_owned());
        self.count += 1;
        self.count - 1
    }

    /// The `-i` arguments.
    pub fn into_args(self) -> Vec<OsString> {
        self.args
    }
}

/// The size and rate of the pictures a render makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Frames per second.
    pub fps: u32,
    /// Scale a moving keyframe above the frame size first, so its zoom stays sharp (the export); the
    /// preview zooms from the frame size, which costs a third less here.
    pub sharp_stills: bool,
}

/// Appends the chain that makes `frames` frames of `shot` at `frame` to `graph`, ending in `[label]`.
pub fn video_chain(
    graph: &mut String,
    inputs: &mut Inputs,
    shot: &TimedShot,
    frames: u64,
    frame: Frame,
    label: &str,
) {
    let Frame { width: w, height: h, fps, sharp_stills } = frame;
    // Frame n at exactly n/fps in a 1/fps time base, and the link's rate set to fps, so the encoder neither
    // drops nor duplicates (an image's own time base is 1/25).
    let retime = format!("settb=1/{fps},setpts=N,fps={fps}");
    let _ = match &shot.picture {
        Picture::Clip { path, in_ms, out_ms, .. } => {
            let i = inputs.add(path, Some((*in_ms, *out_ms)));
            // Cloning the last frame covers a clip a few frames shorter than its stated length.
            write!(
                graph,
                "[{i}:v]setpts=PTS-STARTPTS,fps={fps},scale={w}:{h}:force_original_aspect_ratio=decrease,\
                 pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,tpad=stop_mode=clone:stop=-1,\
                 trim=end_frame={frames},{retime}[{label}];"
            )
        }
        Picture::Still { path, motion } => {
            let i = inputs.add(path, None);
            if motion.is_still() {
                // One scaled frame repeated: no per-frame scaling at all.
                write!(
                    graph,
                    "[{i}:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1,\
                     format=yuv420p,loop=loop={}:size=1:start=0,{retime}[{label}];",
                    frames.saturating_sub(1)
                )
            } else {
                // Scaled once (to the most zoomed-in area when sharp), then zoompan crops and scales.
                let margin = match (sharp_stills, motion.zoom) {
                    (false, _) => 1.0,
                    (true, 0) => PAN_ZOOM,
                    (true, _) => 1.0 + ZOOM_RANGE,
                };
                let (sw, sh) = (even(f64::from(w) * margin), even(f64::from(h) * margin));
                let p = format!("(on/{})", frames.saturating_sub(1).max(1));
                let zoom = match motion.zoom {
                    1 => format!("1+{ZOOM_RANGE}*{p}"),
                    -1 => format!("1+{ZOOM_RANGE}*(1-{p})"),
                    _ if motion.horizontal != 0 || motion.vertical != 0 => format!("{PAN_ZOOM}"),
                    _ => format!("{SHAKE_ZOOM}"),
                };
                let along = |axis: i8| match axis {
                    1 => p.clone(),
                    -1 => format!("(1-{p})"),
                    _ => "0.5".to_owned(),
                };
                let (shake_x, shake_y) =
                    if motion.shake { ("+0.25*sin(on*1.9)", "+0.25*sin(on*2.3+1)") } else { ("", "") };
                let x =
                    format!("(iw-iw/zoom)*({}{shake_x})", clamp01(&along(motion.horizontal), motion.shake));
                let y = format!("(ih-ih/zoom)*({}{shake_y})", clamp01(&along(motion.vertical), motion.shake));
                write!(
                    graph,
                    "[{i}:v]scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},setsar=1,\
                     format=yuv420p,zoompan=z='{zoom}':x='{x}':y='{y}':d={frames}:s={w}x{h}:fps={fps},\
                     setsar=1,trim=end_frame={frames},{retime}[{label}];"
                )
            }
        }
        Picture::Blank => write!(
            graph,
            "color=c=black:s={w}x{h}:r={fps},format=yuv420p,trim=end_frame={frames},setsar=1,{retime}[{label}];"
        ),
    };
}

/// Keeps a shaking position inside the frame (the wobble adds ±0.25 of the margin around the drift).
fn clamp01(expr: &str, shaking: bool) -> String {
    if shaking { format!("(0.25+0.5*{expr})") } else { expr.to_owned() }
}

/// Rounds to an even number of pixels (4:2:0 needs it).
fn even(pixels: f64) -> u32 {
    ((pixels / 2.0).round() as u32) * 2
}

/// The gain over time for ducking: 1 outside the spans, `gain` inside, with linear ramps over the attack at
/// the start of each span and the release at its end. `t` is the filter's time in seconds.
pub fn ducking_expression(spans: &[Span], gain: f32, attack_ms: Ms, release_ms: Ms) -> String {
    if spans.is_empty() {
        return "1".to_owned();
    }
    let mut sum = String::new();
    for span in spans {
        let (s, e) = (span.start_ms as f64 / 1000.0, span.end_ms as f64 / 1000.0);
        let a = (attack_ms.max(1) as f64 / 1000.0).min((e - s) / 2.0).max(0.001);
        let r = (release_ms.max(1) as f64 / 1000.0).min((e - s) / 2.0).max(0.001);
        if !sum.is_empty() {
            sum.push('+');
        }
        let _ = write!(sum, "between(t,{s:.3},{e:.3})*min(1,min((t-{s:.3})/{a:.3},({e:.3}-t)/{r:.3}))");
    }
    format!("1-{:.4}*({sum})", 1.0 - f64::from(gain.clamp(0.0, 1.0)))
}

/// Audio settings of a render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AudioFormat {
    /// Sample rate.
    pub sample_rate: u32,
    /// 1 or 2.
    pub channels: u32,
}

/// Appends the film's audio mix to `graph`, ending in `[label]`: a silent bed of exactly the film's length
/// (so the mix always has that length), each line delayed to its start, clips' own sound (kept, or ducked
/// under the lines), and the music bed with volume, fades and ducking; summed without normalisation
/// (`amix normalize=0`), so a line plays at the level it was voiced whatever else is playing.
pub fn audio_mix(
    graph: &mut String,
    inputs: &mut Inputs,
    timeline: &Timeline,
    clips_with_audio: &[usize],
    format: AudioFormat,
    label: &str,
) {
    let AudioFormat { sample_rate, channels } = format;
    let layout = if channels == 1 { "mono" } else { "stereo" };
    let total = secs(timeline.duration_ms);
    let norm = format!("aresample={sample_rate},aformat=sample_fmts=fltp:channel_layouts={layout}");
    let mut mix = vec!["abed".to_owned()];
    let _ = write!(graph, "anullsrc=r={sample_rate}:cl={layout},atrim=duration={total}[abed];");
    for (n, line) in timeline.lines.iter().enumerate() {
        let i = inputs.add(&line.audio_path, None);
        let length = secs(line.end_ms - line.start_ms);
        let _ = write!(
            graph,
            "[{i}:a]atrim=duration={length},{norm},adelay=delays={}:all=1[aline{n}];",
            line.start_ms
        );
        mix.push(format!("aline{n}"));
    }
    let duck_expr = |gain: f32| {
        ducking_expression(
            &timeline.ducking,
            gain,
            timeline.pacing.duck_attack_ms,
            timeline.pacing.duck_release_ms,
        )
    };
    if timeline.clip_audio != ClipAudio::Mute && !clips_with_audio.is_empty() {
        let mut bus = Vec::new();
        for &s in clips_with_audio {
            let shot = &timeline.shots[s];
            let Picture::Clip { path, in_ms, out_ms, .. } = &shot.picture else { continue };
            let i = inputs.add(path, Some((*in_ms, *out_ms)));
            let _ = write!(
                graph,
                "[{i}:a]asetpts=PTS-STARTPTS,atrim=duration={},{norm},adelay=delays={}:all=1[aclip{s}];",
                secs(shot.duration_ms()),
                shot.start_ms
            );
            bus.push(format!("[aclip{s}]"));
        }
        let duck = if timeline.clip_audio == ClipAudio::UnderLines {
            let gain = timeline.music.as_ref().and_then(|m| m.ducking).map_or(0.25, |d| d.gain());
            format!(",volume='{}':eval=frame", duck_expr(gain))
        } else {
            String::new()
        };
        let _ = write!(
            graph,
            "{}amix=inputs={}:duration=longest:normalize=0:dropout_transition=0{duck}[aclips];",
            bus.concat(),
            bus.len()
        );
        mix.push("aclips".to_owned());
    }
    if let Some(music) = &timeline.music {
        let i = inputs.add(&music.path, None);
        let end = music.end_ms;
        let _ = write!(graph, "[{i}:a]atrim=duration={},{norm},volume={:.4}", secs(end), music.volume);
        if music.fade_in_ms > 0 {
            let _ = write!(graph, ",afade=t=in:st=0:d={}", secs(music.fade_in_ms));
        }
        if music.fade_out_ms > 0 {
            let _ = write!(
                graph,
                ",afade=t=out:st={}:d={}",
                secs(end - music.fade_out_ms),
                secs(music.fade_out_ms)
            );
        }
        if let Some(ducking) = music.ducking {
            let _ = write!(graph, ",volume='{}':eval=frame", duck_expr(ducking.gain()));
        }
        graph.push_str("[amusic];");
        mix.push("amusic".to_owned());
    }
    let sources: String = mix.iter().map(|m| format!("[{m}]")).collect();
    let _ = write!(
        graph,
        "{sources}amix=inputs={}:duration=first:normalize=0:dropout_transition=0,{norm}[{label}]",
        mix.len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_escaped_twice() {
        // The example of ffmpeg's "Notes on filtergraph escaping".
        assert_eq!(
            escape_filter_value("this is a 'string': may contain one, or more, special characters"),
            r"this is a \\\'string\\\'\\: may contain one\, or more\, special characters"
        );
        assert_eq!(escape_filter_value("/tmp/a[1];b.srt"), r"/tmp/a\[1\]\;b.srt");
        assert_eq!(escape_filter_value(r"C:\subs"), r"C\\:\\\\subs");
    }

    #[test]
    fn frames_add_up_to_the_film() {
        assert_eq!(frame_at(0, 24), 0);
        assert_eq!(frame_at(1_000, 24), 24);
        assert_eq!(frame_at(4_100, 24), 98);
        assert_eq!(frame_at(60_000, 24), 1_440);
        assert_eq!(secs(62_005), "62.005");
    }

    #[test]
    fn ducking_expression_ramps_inside_each_span() {
        assert_eq!(ducking_expression(&[], 0.25, 100, 100), "1");
        let e = ducking_expression(&[Span { start_ms: 1_000, end_ms: 3_000 }], 0.25, 200, 400);
        assert_eq!(e, "1-0.7500*(between(t,1.000,3.000)*min(1,min((t-1.000)/0.200,(3.000-t)/0.400)))");
    }
}
