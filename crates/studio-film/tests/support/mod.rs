//! Inputs shared by the integration tests and the bench example: a realistic generated screenplay and a
//! film-sized schedule. Deterministic (a fixed linear congruential sequence), so figures are comparable.

#![allow(dead_code)] // Each test binary uses a part.

use studio_film::schedule::{LedgerPoint, RenderStage, ScheduleJob};

/// A tiny deterministic random sequence (no dependency needed for test data).
pub struct Sequence(u64);

impl Sequence {
    /// A sequence from a seed.
    pub fn new(seed: u64) -> Self {
        Sequence(seed)
    }

    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    /// One item of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PLACES: [&str; 12] = [
    "HARBOUR",
    "LIGHTHOUSE - STAIRWELL",
    "MARA'S KITCHEN",
    "FISH MARKET",
    "BRAM'S TRUCK",
    "CLIFF PATH",
    "SCHOOL CORRIDOR",
    "BOATYARD",
    "POLICE STATION",
    "LAMP ROOM",
    "BEACH",
    "TOWN SQUARE",
];
const TIMES: [&str; 6] = ["DAY", "NIGHT", "DAWN", "DUSK", "CONTINUOUS", "LATER"];
const PREFIXES: [&str; 6] = ["INT.", "EXT.", "INT.", "EXT.", "INT./EXT.", "EST."];
const NAMES: [&str; 8] = ["MARA", "THEO", "BRAM", "ADA", "INSPECTOR HOLM", "MRS. O'NEILL", "KAI", "NARRATOR"];
const EXTENSIONS: [&str; 5] = ["", "", " (V.O.)", " (O.S.)", " (CONT'D)"];
const PARENTHETICALS: [&str; 8] =
    ["(quietly)", "(angrily)", "(beat)", "(laughing)", "(to Theo)", "(sadly)", "(whispering)", "(surprised)"];
const ACTION: [&str; 10] = [
    "Rain hammers against the tall windows and the lights flicker.",
    "She crosses the room without a word and pulls the curtain aside.",
    "A gull lands on the railing, watches them, and flies off again.",
    "The old radio crackles to life with a burst of static.",
    "He turns the brass key twice; the mechanism groans but holds.",
    "Waves break white over the harbour wall, spray reaching the road.",
    "Somewhere below, a door slams in the wind.",
    "They wait. Nobody moves. The clock on the wall ticks on.",
    "Fishing nets hang drying between the sheds, heavy with salt.",
    "Headlights sweep across the wet cobbles and disappear.",
];
const DIALOGUE: [&str; 10] = [
    "You should not be up here on your own.",
    "I know what I saw, and it was not a trawler.",
    "Hand me the lantern. No, the other one.",
    "If the light goes out tonight, the boats will not see the rocks.",
    "Nobody comes to the lighthouse any more.",
    "That is exactly why I came.",
    "My grandfather kept this light for forty years.",
    "Then he would know what to do. Do you?",
    "We have until the tide turns. After that it is too late.",
    "Listen. Can you hear it? The bell on the buoy.",
];

/// A screenplay of about `pages` pages at 55 lines a page, with every common element: title page, scene
/// headings, action, cues with extensions, parentheticals, dual dialogue, transitions, notes and sections.
pub fn screenplay(pages: usize) -> String {
    let target_lines = pages * 55;
    let mut seq = Sequence::new(0x5eed);
    let mut out =
        String::from("Title: The Last Light\nCredit: written by\nAuthor: Generated\nDraft date: 2026\n\n");
    let mut lines = 5;
    let mut scene = 0;
    while lines < target_lines {
        scene += 1;
        if scene % 12 == 0 {
            out.push_str(&format!("# SEQUENCE {}\n\n", scene / 12));
            lines += 2;
        }
        out.push_str(&format!(
            "{} {} - {} #{scene}#\n\n",
            seq.pick(&PREFIXES),
            seq.pick(&PLACES),
            seq.pick(&TIMES)
        ));
        lines += 2;
        for _ in 0..(3 + seq.below(5)) {
            if seq.below(3) == 0 {
                let sentences = 1 + seq.below(3);
                for s in 0..sentences {
                    out.push_str(seq.pick(&ACTION));
                    out.push(if s + 1 == sentences { '\n' } else { ' ' });
                }
                if seq.below(8) == 0 {
                    out.push_str("[[check continuity]]\n");
                    lines += 1;
                }
                out.push('\n');
                lines += 2;
            } else {
                let dual = if seq.below(15) == 0 { " ^" } else { "" };
                out.push_str(&format!("{}{}{dual}\n", seq.pick(&NAMES), seq.pick(&EXTENSIONS)));
                lines += 1;
                if seq.below(3) == 0 {
                    out.push_str(seq.pick(&PARENTHETICALS));
                    out.push('\n');
                    lines += 1;
                }
                for _ in 0..(1 + seq.below(3)) {
                    out.push_str(seq.pick(&DIALOGUE));
                    out.push('\n');
                    lines += 1;
                }
                out.push('\n');
                lines += 1;
            }
        }
        if seq.below(4) == 0 {
            out.push_str("CUT TO:\n\n");
            lines += 2;
        }
    }
    out
}

/// The jobs of a film of `shots` shots: a keyframe, a clip and about one line per shot, and a music cue;
/// every 25th clip at an unpriced resolution.
pub fn film_jobs(shots: usize) -> Vec<ScheduleJob> {
    let mut seq = Sequence::new(7);
    let mut jobs = Vec::with_capacity(shots * 3 + 1);
    for shot in 1..=shots {
        jobs.push(ScheduleJob {
            stage: RenderStage::Keyframes,
            requests: Some(75),
            label: format!("Shot {shot} keyframe"),
        });
        let clip = if shot % 25 == 0 { None } else { Some([1500, 2250, 4500][seq.below(3)]) };
        jobs.push(ScheduleJob {
            stage: RenderStage::Clips,
            requests: clip,
            label: format!("Shot {shot} clip"),
        });
        jobs.push(ScheduleJob {
            stage: RenderStage::Lines,
            requests: Some(20 + seq.below(80) as u64),
            label: format!("Shot {shot} line"),
        });
    }
    jobs.push(ScheduleJob { stage: RenderStage::Music, requests: Some(3000), label: "Music".into() });
    jobs
}

/// `count` spend points spread over the window ending at `now_ms`.
pub fn window_points(count: usize, now_ms: i64, window_ms: i64) -> Vec<LedgerPoint> {
    let mut seq = Sequence::new(11);
    (0..count)
        .map(|_| LedgerPoint {
            at_ms: now_ms - 1 - seq.below(window_ms as usize - 1) as i64,
            requests: 1 + seq.below(60) as u64,
        })
        .collect()
}
