use std::path::PathBuf;

use super::text::{share, speaking_weight};
use super::*;
use crate::timeline::{FilmInput, KeyframeInput, LineAudio, LineInput, ShotInput, build};

#[test]
fn sentence_split_table() {
    let cases: [(&str, &[&str]); 8] = [
        ("Hello there. How are you?", &["Hello there.", "How are you?"]),
        ("Pi is 3.14 today! Really…  Yes", &["Pi is 3.14 today!", "Really…", "Yes"]),
        ("He said \"stop.\" Then left.", &["He said \"stop.\"", "Then left."]),
        ("你好。今天天气很好！我们走吧？", &["你好。", "今天天气很好！", "我们走吧？"]),
        ("「走吧。」他说。", &["「走吧。」", "他说。"]),
        ("No end punctuation", &["No end punctuation"]),
        ("Mixed 中文。And English.", &["Mixed 中文。", "And English."]),
        ("   ", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(split_sentences(text), expected, "{text:?}");
    }
}

#[test]
fn speaking_weight_counts_cjk_heavier() {
    assert_eq!(speaking_weight("Hello, world!"), 10);
    assert_eq!(speaking_weight("你好。"), 6);
    assert_eq!(speaking_weight("Go 走"), 5);
    assert_eq!(share(1_000, &[1, 3]), [(0, 250), (250, 1_000)]);
    assert_eq!(share(1_000, &[0, 0, 0]), [(0, 333), (333, 666), (666, 1_000)]);
    assert_eq!(share(10, &[]), []);
}

fn width_units(line: &str, layout: &CueLayout) -> u32 {
    line.chars().map(|c| layout.char_width(c)).sum()
}

#[test]
fn wrap_table() {
    let layout = CueLayout::default();
    let cases: [(&str, &[&str]); 6] = [
        ("Short line.", &["Short line."]),
        (
            "The quick brown fox jumps over the lazy dog and keeps on running far away.",
            &["The quick brown fox jumps over the lazy", "dog and keeps on running far away."],
        ),
        // 16 CJK characters a line; the comma may not start a line, so it stays with 天.
        (
            "今天天气很好我们一起去公园散步吧，然后回家吃饭",
            &["今天天气很好我们一起去公园散步", "吧，然后回家吃饭"],
        ),
        (
            "他说：「我们走吧」然后离开了这个地方再也没有回来",
            &["他说：「我们走吧」然后离开了这个", "地方再也没有回来"],
        ),
        // Mixed: CJK counts wide (42/16 Latin cells each).
        (
            "Meet me at 东京塔 tomorrow at seven o'clock sharp please",
            &["Meet me at 东京塔 tomorrow at seven", "o'clock sharp please"],
        ),
        (
            "Supercalifragilisticexpialidocious-and-more-and-more-words",
            &["Supercalifragilisticexpialidocious-and-mor", "e-and-more-words"],
        ),
    ];
    for (text, expected) in cases {
        let lines = wrap(text, &layout);
        assert_eq!(lines, expected, "{text:?}");
        for line in &lines {
            assert!(width_units(line, &layout) <= layout.line_budget(), "{line:?} is too wide");
            let first = line.chars().next().expect("non-empty");
            assert!(
                !text::is_closing(first) || line == &lines[0],
                "{line:?} starts with closing punctuation"
            );
            assert!(
                !text::is_opening(line.chars().last().expect("non-empty")),
                "{line:?} ends with opening punctuation"
            );
        }
    }
}

fn film_with_line(text: &str, duration_ms: u64, subtitles: Option<Vec<SubtitleTiming>>) -> FilmInput {
    FilmInput {
        shots: vec![
            ShotInput {
                id: 1,
                planned_ms: 2_000,
                clip: None,
                keyframe: Some(KeyframeInput { path: "k.png".into(), camera: vec![] }),
                lines: vec![],
            },
            ShotInput {
                id: 2,
                planned_ms: 1_000,
                clip: None,
                keyframe: Some(KeyframeInput { path: "k.png".into(), camera: vec![] }),
                lines: vec![LineInput {
                    id: 7,
                    speaker: "Mara".into(),
                    text: text.into(),
                    audio: Some(LineAudio { path: PathBuf::from("l.mp3"), duration_ms, subtitles }),
                    offset_ms: None,
                }],
            },
        ],
        ..FilmInput::default()
    }
}

#[test]
fn estimated_cues_share_the_audio_by_weight_at_the_line_offset() {
    // The line starts at 2000 (shot 1) + 300 (lead-in) = 2300 and lasts 4000 ms.
    let t = build(&film_with_line("Run. 快跑吧。", 4_000, None));
    let cues = cues(&t, &CueLayout::default());
    let got: Vec<(u64, u64, &str)> = cues.iter().map(|c| (c.start_ms, c.end_ms, c.text.as_str())).collect();
    // weights: "Run." = 3, "快跑吧。" = 9 → 1000 / 3000 ms.
    assert_eq!(got, [(2_300, 3_300, "Run."), (3_300, 6_300, "快跑吧。")]);
    assert!(cues.iter().all(|c| c.line_id == Some(7)));
    assert_eq!(cues.iter().map(|c| c.index).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn minimax_timings_are_used_when_present_and_long_sentences_become_several_cues() {
    let json = r#"[{"text":"The first sentence is short.","time_begin":0,"time_end":1500.4},
        {"text":"The second sentence is much longer and will need more than two lines on a screen to show it all.","time_begin":1600,"time_end":6000}]"#;
    let timings = parse_minimax_subtitles(json).expect("parses");
    let t = build(&film_with_line("ignored when timings exist", 6_000, Some(timings)));
    let layout = CueLayout { latin_per_line: 20, ..CueLayout::default() };
    let cues = cues(&t, &layout);
    assert_eq!((cues[0].start_ms, cues[0].end_ms), (2_300, 3_800));
    assert_eq!(cues[0].text, "The first sentence\nis short.");
    assert!(cues.len() >= 3, "{cues:?}");
    for cue in &cues {
        assert!(cue.text.lines().count() <= 2, "{cue:?}");
    }
    assert_eq!(cues[1].start_ms, 3_900);
    assert_eq!(cues.last().expect("cue").end_ms, 8_300);
    for pair in cues[1..].windows(2) {
        assert_eq!(pair[0].end_ms, pair[1].start_ms, "time is shared without gaps");
    }
    assert!(parse_minimax_subtitles("{").is_err());
}

#[test]
fn overrides_replace_text_and_keep_timing() {
    let mut film = film_with_line("One. Two.", 2_000, None);
    film.cue_overrides.push(CueOverride { line_id: 7, cue_index: 1, text: "Deux.".into() });
    let cues = cues(&build(&film), &CueLayout::default());
    assert_eq!(cues.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["One.", "Deux."]);
    assert_eq!((cues[1].start_ms, cues[1].end_ms), (3_300, 4_300));
}

fn sample_cues() -> Vec<Cue> {
    vec![
        Cue { start_ms: 0, end_ms: 1_250, text: "Hello <there> & you".into(), line_id: Some(3), index: 0 },
        Cue {
            start_ms: 3_723_004,
            end_ms: 3_725_000,
            text: "第一行\n第二行 --> arrow".into(),
            line_id: Some(-4),
            index: 2,
        },
    ]
}

#[test]
fn srt_and_vtt_round_trip() {
    let cues = sample_cues();
    let srt = to_srt(&cues);
    assert!(srt.starts_with(
        "1\n00:00:00,000 --> 00:00:01,250\nHello <there> & you\n\n2\n01:02:03,004 --> 01:02:05,000\n"
    ));
    let back = parse_srt(&srt).expect("srt parses");
    assert_eq!(back.len(), 2);
    for (a, b) in cues.iter().zip(&back) {
        assert_eq!((a.start_ms, a.end_ms, &a.text), (b.start_ms, b.end_ms, &b.text));
    }
    let vtt = to_vtt(&cues);
    assert!(
        vtt.starts_with("WEBVTT\n\nline-3-0\n00:00:00.000 --> 00:00:01.250\nHello &lt;there&gt; &amp; you\n")
    );
    assert_eq!(parse_vtt(&vtt).expect("vtt parses"), cues);
}

#[test]
fn parsers_accept_what_other_tools_write() {
    let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:02,500\r\nA\r\n\r\n\r\n2\r\n00:00:03.000 --> 00:00:04,000\r\nB\r\nC\r\n";
    let cues = parse_srt(srt).expect("parses");
    assert_eq!(
        cues.iter().map(|c| (c.start_ms, c.end_ms, c.text.as_str())).collect::<Vec<_>>(),
        [(1_000, 2_500, "A"), (3_000, 4_000, "B\nC")]
    );
    let vtt = "WEBVTT - made elsewhere\n\nNOTE a comment\nover lines\n\nSTYLE\n::cue { color: red }\n\n00:01.000 --> 00:02.000 align:start line:0\nshort &amp; sweet\n\nintro\n00:00:03.500 --> 00:00:04.000\nx\n";
    let cues = parse_vtt(vtt).expect("parses");
    assert_eq!(
        cues.iter().map(|c| (c.start_ms, c.end_ms, c.text.as_str(), c.line_id)).collect::<Vec<_>>(),
        [(1_000, 2_000, "short & sweet", None), (3_500, 4_000, "x", None)]
    );
}

#[test]
fn parse_errors_name_the_line() {
    let cases: [(&str, bool, usize); 5] = [
        ("1\n00:00:01,000 -> 00:00:02,000\nA\n", true, 2),
        ("1\n00:00:01,000 --> 00:00:02\nA\n", true, 2),
        ("x\n00:00:01,000 --> 00:00:02,000\nA\n", true, 1),
        ("WEBVTX\n\n00:01.000 --> 00:02.000\nA\n", false, 1),
        ("WEBVTT\n\n00:03.000 --> 00:02.000\nA\n", false, 3),
    ];
    for (text, srt, line) in cases {
        let err = if srt { parse_srt(text) } else { parse_vtt(text) }.expect_err(text);
        match err {
            crate::FilmError::SubtitleParse { line: got, .. } => assert_eq!(got, line, "{text:?}"),
            other => panic!("{other:?}"),
        }
    }
}
