//! Property tests of the prompt-search query builder ([`fts_query`]): whatever the user types, the query is
//! valid FTS5 (never an SQL error in the search box) and finds the prompts holding the words typed.

use proptest::prelude::*;

use super::jobs::{JobState, KeyKind, NewJob, fts_query};
use crate::Library;
use crate::modality::Modality;
use crate::pricing::Cost;

fn library_with(prompts: &[String]) -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open_in_memory(dir.path()).unwrap();
    for (n, prompt) in prompts.iter().enumerate() {
        library
            .insert_job(&NewJob {
                modality: Modality::Image,
                model: "image-01".into(),
                params: crate::request::JobParams::seeded(),
                prompt: prompt.clone(),
                estimate: Cost::Requests(1),
                key_kind: KeyKind::Plan,
                demo: false,
                state: JobState::Queued,
                created_at_ms: i64::try_from(n).unwrap(),
            })
            .unwrap();
    }
    (dir, library)
}

/// Text with FTS5's operators and quoting in it, as a user may paste it.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\"".to_owned()),
        Just("*".to_owned()),
        Just("-".to_owned()),
        Just(":".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("^".to_owned()),
        Just("+".to_owned()),
        Just("{".to_owned()),
        Just("NEAR".to_owned()),
        Just("OR".to_owned()),
        Just("AND".to_owned()),
        Just("NOT".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\0".to_owned()),
        "[a-zA-Z0-9]{1,6}",
        "\\PC{1,4}",
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any text, hostile or random: the builder does not panic, and SQLite accepts its query.
    #[test]
    fn any_text_gives_a_query_sqlite_accepts(text in prop_oneof![hostile_text(), any::<String>()]) {
        let (_dir, library) = library_with(&["a lighthouse at dawn".to_owned()]);
        match fts_query(&text) {
            None => prop_assert!(
                text.split(|c: char| c.is_whitespace() || c.is_control())
                    .all(|w| w.trim_end_matches('*').is_empty()),
                "only empty words give no query: {text:?}"
            ),
            Some(query) => {
                prop_assert!(!query.is_empty());
                let searched = library.search_jobs(&text, None, 10);
                prop_assert!(searched.is_ok(), "{text:?} → {query:?}: {searched:?}");
            }
        }
    }

    /// Words of a prompt find it, whole or as a prefix ending in `*`; every result holds every word.
    #[test]
    fn typed_words_find_the_prompts_that_hold_them(
        words in prop::collection::vec("[a-z]{2,8}", 1..6),
        other in prop::collection::vec("[0-9]{3,6}", 1..4),
        pick in any::<prop::sample::Index>(),
        cut in 1usize..8,
    ) {
        let prompt = words.join(" ");
        let (_dir, library) = library_with(&[prompt.clone(), other.join(" ")]);
        let word = pick.get(&words);
        let whole = library.search_jobs(word, None, 10).unwrap();
        prop_assert!(whole.jobs.iter().any(|j| j.prompt == prompt), "{word:?} in {prompt:?}");
        prop_assert!(whole.jobs.iter().all(|j| j.prompt.split(' ').any(|w| w == word)));
        let prefix = format!("{}*", &word[..cut.min(word.len())]);
        let found = library.search_jobs(&prefix, None, 10).unwrap();
        prop_assert!(found.jobs.iter().any(|j| j.prompt == prompt), "{prefix:?} in {prompt:?}");
        let all = library.search_jobs(&words.join("  "), None, 10).unwrap();
        prop_assert_eq!(all.jobs.len(), 1, "every word must match: only {:?}", prompt);
    }

    /// Any run of Chinese or Japanese characters inside a prompt written without spaces finds it, and every
    /// result holds that run in that order (a phrase of characters, not the characters anywhere).
    #[test]
    fn a_cjk_word_is_found_inside_a_sentence(
        sentence in "[城市夜晚下雨霓虹森林河流猫犬ねこさくらロボット]{4,16}",
        others in prop::collection::vec("[城市夜晚下雨霓虹森林河流猫犬ねこさくらロボット]{4,16}", 0..4),
        start in any::<prop::sample::Index>(),
        len in 1usize..5,
    ) {
        let chars: Vec<char> = sentence.chars().collect();
        let from = start.index(chars.len());
        let word: String = chars[from..(from + len).min(chars.len())].iter().collect();
        let mut prompts = vec![sentence.clone()];
        prompts.extend(others);
        let (_dir, library) = library_with(&prompts);
        let found = library.search_jobs(&word, None, 10).unwrap();
        prop_assert!(found.jobs.iter().any(|j| j.prompt == sentence), "{word:?} in {sentence:?}");
        prop_assert!(found.jobs.iter().all(|j| j.prompt.contains(&word)), "{word:?}: {:?}", found.jobs);
    }
}
