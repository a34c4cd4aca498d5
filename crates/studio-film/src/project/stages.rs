//! What each render stage asks MiniMax for: one ordinary [`GenerationRequest`] per slot that needs a take —
//! a keyframe per shot (image-01, with the characters' looks and reference image), a voice per line (the
//! speaker's voice), a clip per shot (from its keyframe, first+last frame, or the previous shot's last frame),
//! the music bed. Slots with a chosen take are skipped unless asked; a slot that cannot be made yet (a clip
//! without its keyframe, a reference image deleted, a speaker's custom voice expired or deleted) is listed
//! with the reason, never sent.

use serde::{Deserialize, Serialize};
use studio_core::request::{
    GenerationRequest, ImageInput, ImageParams, MusicParams, SpeechDelivery, SpeechParams, VideoParams,
};
use ts_rs::TS;

use super::job_words::{JobLabel, JobProblem};
use super::model::{CastMember, ClipStart, Film, Shot, Slot, chosen};
use super::store::{narrator_fingerprint, voice_fingerprint};
use crate::schedule::RenderStage;
use crate::script::CameraMove;

/// The longest keyframe prompt image-01 takes.
const IMAGE_PROMPT_LIMIT: usize = 1_500;
/// The longest Hailuo prompt.
const VIDEO_PROMPT_LIMIT: usize = 2_000;

/// Which stages to plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StageChoice {
    /// Keyframes.
    Keyframes,
    /// Voiced lines.
    Lines,
    /// Clips.
    Clips,
    /// The music bed.
    Music,
    /// Every stage.
    All,
}

impl StageChoice {
    /// Whether `stage` is part of this choice.
    pub fn includes(self, stage: RenderStage) -> bool {
        match self {
            StageChoice::All => true,
            StageChoice::Keyframes => stage == RenderStage::Keyframes,
            StageChoice::Lines => stage == RenderStage::Lines,
            StageChoice::Clips => stage == RenderStage::Clips,
            StageChoice::Music => stage == RenderStage::Music,
        }
    }

    /// Reads `keyframes|lines|clips|music|all`.
    pub fn parse(text: &str) -> Option<StageChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "keyframes" => Some(StageChoice::Keyframes),
            "lines" => Some(StageChoice::Lines),
            "clips" => Some(StageChoice::Clips),
            "music" => Some(StageChoice::Music),
            "all" => Some(StageChoice::All),
            _ => None,
        }
    }
}

/// How a stage is planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageOptions {
    /// Takes per slot (variations to choose from), 1–4.
    pub takes: u32,
    /// Make slots again that already have a chosen take (and stale lines).
    pub redo: bool,
    /// Only these shots (all when empty).
    #[ts(type = "Array<number>")]
    pub shots: Vec<i64>,
}

impl Default for StageOptions {
    fn default() -> Self {
        StageOptions { takes: 1, redo: false, shots: Vec::new() }
    }
}

/// One job a stage would send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlannedJob {
    /// Its stage.
    pub stage: RenderStage,
    /// The slot it fills.
    pub slot: Slot,
    /// Its shot.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shot_id: Option<i64>,
    /// Its line.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<i64>,
    /// Which slot it fills (`Shot 3 keyframe`, `Shot 3 · Mara: "This one…"` in English).
    pub label: JobLabel,
    /// What it asks for.
    pub request: GenerationRequest,
    /// The files it makes (an image job makes `takes`).
    pub files: u32,
    /// What the take is made with (the voice), to tell stale takes later.
    pub made_with: String,
    /// Why it cannot be sent yet; such jobs are listed, never sent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<JobProblem>,
}

/// The jobs `choice` needs for `film`, in film order. `root` is the library folder (to see whether a
/// reference image is still there).
pub fn plan(
    film: &Film,
    choice: StageChoice,
    options: &StageOptions,
    root: &std::path::Path,
) -> Vec<PlannedJob> {
    let takes = options.takes.clamp(1, 4);
    let wanted = |shot: &Shot| options.shots.is_empty() || options.shots.contains(&shot.id);
    let mut jobs = Vec::new();
    for (index, shot) in film.shots.iter().enumerate().filter(|(_, s)| wanted(s)) {
        let number = index + 1;
        if choice.includes(RenderStage::Keyframes) && (options.redo || chosen(&shot.keyframes).is_none()) {
            jobs.push(keyframe(film, shot, number, takes, root));
        }
        if choice.includes(RenderStage::Lines) {
            for line in &shot.lines {
                let current = chosen(&line.takes);
                let needed = options.redo || current.is_none();
                if !needed {
                    continue;
                }
                let member = line.speaker_id.and_then(|id| film.member(id));
                let voice = member.and_then(|m| m.voice.clone());
                let made_with = match member {
                    Some(m) => voice_fingerprint(m.voice.as_ref(), &film.settings),
                    None => narrator_fingerprint(&film.settings),
                };
                let request = GenerationRequest::Speech(SpeechParams {
                    model: voice
                        .as_ref()
                        .and_then(|v| v.model.clone())
                        .unwrap_or_else(|| film.settings.speech_model.clone()),
                    text: line.text.clone(),
                    voice_id: voice
                        .as_ref()
                        .map_or_else(|| film.settings.narrator_voice.clone(), |v| v.voice_id.clone()),
                    delivery: SpeechDelivery::Sync,
                    speed: voice.as_ref().and_then(|v| v.speed),
                    volume: None,
                    pitch: voice.as_ref().and_then(|v| v.pitch),
                    emotion: line.emotion.clone().or_else(|| voice.as_ref().and_then(|v| v.emotion.clone())),
                    format: Some("mp3".into()),
                    sample_rate: None,
                    // MiniMax's sentence timings make the film's subtitles.
                    subtitles: true,
                    language_boost: None,
                    preview: false,
                });
                let excerpt: String = line.text.chars().take(40).collect();
                let problem = member.and_then(|m| voice_problem(m, &line.speaker));
                for _ in 0..if options.redo { takes } else { 1 } {
                    jobs.push(PlannedJob {
                        stage: RenderStage::Lines,
                        slot: Slot::Line,
                        shot_id: Some(shot.id),
                        line_id: Some(line.id),
                        label: JobLabel::Line {
                            shot: shot_number(number),
                            speaker: line.speaker.clone(),
                            excerpt: excerpt.clone(),
                        },
                        request: request.clone(),
                        files: 1,
                        made_with: made_with.clone(),
                        problem: problem.clone(),
                    });
                }
            }
        }
        if choice.includes(RenderStage::Clips) && (options.redo || chosen(&shot.clips).is_none()) {
            let next = film.shots.get(index + 1);
            let previous = index.checked_sub(1).and_then(|i| film.shots.get(i));
            for _ in 0..takes {
                jobs.push(clip(film, shot, number, next, previous));
            }
        }
    }
    if choice.includes(RenderStage::Music)
        && let Some(cue) = &film.settings.music
        && (options.redo || chosen(&film.music).is_none())
    {
        let lyrics = cue.lyrics.clone().filter(|l| !l.trim().is_empty());
        jobs.push(PlannedJob {
            stage: RenderStage::Music,
            slot: Slot::Music,
            shot_id: None,
            line_id: None,
            label: JobLabel::Music,
            request: GenerationRequest::Music(MusicParams {
                model: cue.model.clone(),
                prompt: Some(cue.prompt.clone()).filter(|p| !p.trim().is_empty()),
                instrumental: lyrics.is_none(),
                lyrics,
                format: Some("mp3".into()),
            }),
            files: 1,
            made_with: String::new(),
            problem: cue.prompt.trim().is_empty().then_some(JobProblem::NoMusicPrompt),
        });
    }
    jobs
}

/// Why a character's lines cannot be voiced: no voice yet, or one made here that is gone (the runner would
/// refuse it too, but only once the stage is already half sent).
fn voice_problem(member: &CastMember, speaker: &str) -> Option<JobProblem> {
    let Some(voice) = &member.voice else { return Some(JobProblem::NoVoice { speaker: speaker.to_owned() }) };
    match &member.voice_status {
        Some(status) if !status.usable() => Some(JobProblem::VoiceUnusable {
            speaker: speaker.to_owned(),
            voice_id: voice.voice_id.clone(),
            status: status.clone(),
        }),
        _ => None,
    }
}

fn shot_number(number: usize) -> u32 {
    u32::try_from(number).unwrap_or(u32::MAX)
}

fn cut(text: String, limit: usize) -> String {
    if text.chars().count() <= limit { text } else { text.chars().take(limit).collect() }
}

fn keyframe(film: &Film, shot: &Shot, number: usize, takes: u32, root: &std::path::Path) -> PlannedJob {
    let members: Vec<_> = shot.characters.iter().filter_map(|id| film.member(*id)).collect();
    let looks: Vec<String> = members
        .iter()
        .filter(|m| !m.look.trim().is_empty())
        .map(|m| format!("{}: {}", m.name, m.look.trim()))
        .collect();
    let mut prompt = shot.description.trim().to_owned();
    if !looks.is_empty() {
        prompt.push_str(&format!(". {}", looks.join("; ")));
    }
    if !film.style.trim().is_empty() {
        prompt.push_str(&format!(". Style: {}", film.style.trim()));
    }
    // The first character in frame with a reference image keeps their look (image-01 takes one subject).
    let reference = members.iter().find_map(|m| m.references.first().map(|r| (m, r)));
    let problem = reference.and_then(|(m, r)| {
        (!r.present || !root.join(&r.rel_path).is_file())
            .then(|| JobProblem::ReferenceDeleted { character: m.name.clone(), path: r.rel_path.clone() })
    });
    PlannedJob {
        stage: RenderStage::Keyframes,
        slot: Slot::Keyframe,
        shot_id: Some(shot.id),
        line_id: None,
        label: JobLabel::Keyframe { shot: shot_number(number) },
        request: GenerationRequest::Image(ImageParams {
            model: film.settings.image_model.clone(),
            prompt: cut(prompt, IMAGE_PROMPT_LIMIT),
            aspect_ratio: Some(film.aspect_ratio.name().to_owned()),
            count: Some(takes),
            seed: None,
            prompt_optimizer: false,
            subject_reference: reference.map(|(_, r)| ImageInput::File { path: r.rel_path.clone() }),
        }),
        files: takes,
        made_with: String::new(),
        problem,
    }
}

/// The duration the model makes closest to the plan (Hailuo's clips are 6 or 10 s; H3 any whole second in
/// 4–15, H3-Max 5–15).
fn clip_seconds(model: &str, resolution: &str, planned: f64) -> u32 {
    use minimax_api::video::{VideoMode, allowed_resolutions};
    let planned = planned.round().max(1.0) as u32;
    if let Some((shortest, longest)) = minimax_api::video_v2::durations_for(model) {
        return planned.clamp(shortest, longest);
    }
    let allowed = allowed_resolutions(model, VideoMode::ImageToVideo)
        .iter()
        .find(|(r, _)| r.eq_ignore_ascii_case(resolution))
        .map_or(&[6u32][..], |(_, d)| d);
    allowed.iter().copied().min_by_key(|d| (d.abs_diff(planned), *d)).unwrap_or(6)
}

fn clip(film: &Film, shot: &Shot, number: usize, next: Option<&Shot>, previous: Option<&Shot>) -> PlannedJob {
    let model = shot.video_model.clone().unwrap_or_else(|| film.settings.video_model.clone());
    let resolution = shot.video_resolution.clone().unwrap_or_else(|| film.settings.video_resolution.clone());
    let commands: Vec<String> =
        shot.camera.iter().filter_map(|c| CameraMove::parse(c)).map(CameraMove::prompt_command).collect();
    let mut prompt = shot.description.trim().to_owned();
    if !commands.is_empty() {
        prompt = format!("{} {prompt}", commands.join(""));
    }
    if !film.style.trim().is_empty() {
        prompt.push_str(&format!(". Style: {}", film.style.trim()));
    }
    let keyframe_of = |s: &Shot| chosen(&s.keyframes).and_then(|t| t.rel_path.clone());
    let (first, last, problem) = match shot.clip_start {
        ClipStart::Text => (None, None, None),
        ClipStart::Keyframe => match keyframe_of(shot) {
            Some(path) => (Some(path), None, None),
            None => (None, None, Some(JobProblem::NeedsKeyframe)),
        },
        ClipStart::FirstLast => match (keyframe_of(shot), next.and_then(keyframe_of)) {
            (Some(first), Some(last)) => (Some(first), Some(last), None),
            (None, _) => (None, None, Some(JobProblem::NeedsKeyframe)),
            (Some(_), None) => (None, None, Some(JobProblem::NeedsNextKeyframe)),
        },
        ClipStart::PreviousLastFrame => {
            match previous.and_then(|p| chosen(&p.clips)).and_then(|t| t.rel_path.clone()) {
                // The frame is taken from the clip when the stage runs (`render::last_frame_input`).
                Some(clip) => (Some(format!("{PREVIOUS_CLIP_PREFIX}{clip}")), None, None),
                None => (None, None, Some(JobProblem::NeedsPreviousClip)),
            }
        }
    };
    let frame = |path: Option<String>| path.map(|path| ImageInput::File { path });
    let v2 = minimax_api::video_v2::durations_for(&model).is_some();
    PlannedJob {
        stage: RenderStage::Clips,
        slot: Slot::Clip,
        shot_id: Some(shot.id),
        line_id: None,
        label: JobLabel::Clip { shot: shot_number(number) },
        request: GenerationRequest::Video(VideoParams {
            duration_s: Some(clip_seconds(&model, &resolution, shot.duration_s)),
            model,
            prompt: cut(prompt, VIDEO_PROMPT_LIMIT),
            resolution: Some(resolution),
            prompt_optimizer: None,
            first_frame: frame(first),
            last_frame: frame(last),
            // H3 text-to-video needs the film's frame (frames make it follow the keyframe's).
            ratio: v2.then(|| film.aspect_ratio.name().to_owned()),
            // A soundtrack only when the film will play it (the API's default is to make one).
            generate_audio: v2.then(|| film.settings.clip_audio.heard()),
            ..VideoParams::default()
        }),
        files: 1,
        made_with: String::new(),
        problem,
    }
}

/// Marks a first frame that is still a clip: its last frame is extracted when the stage runs.
pub(crate) const PREVIOUS_CLIP_PREFIX: &str = "last-frame-of:";
