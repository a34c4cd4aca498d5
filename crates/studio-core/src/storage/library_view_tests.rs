//! The Library list: filters, search, the three orders and keyset pages.

use super::*;
use crate::pricing::Cost;
use crate::storage::media::write_media_file;
use crate::storage::{NewJob, NewMedia, Transition};

fn add(lib: &mut Library, modality: Modality, prompt: &str, cost: Option<u32>, at: i64, demo: bool) -> i64 {
    let job = lib
        .insert_job(&NewJob {
            modality,
            model: "m".into(),
            params: crate::request::JobParams::seeded(),
            prompt: prompt.into(),
            estimate: cost.map_or(Cost::Unknown { reason: "?".into() }, Cost::Requests),
            key_kind: KeyKind::Plan,
            demo,
            state: JobState::Queued,
            created_at_ms: at,
        })
        .unwrap();
    lib.transition(job.id, &Transition::to(JobState::Running, at)).unwrap();
    let stored = write_media_file(lib.root(), job.id, 0, "image/png", &mut &b"png"[..]).unwrap();
    let media = NewMedia {
        ordinal: 0,
        rel_path: stored.rel_path,
        mime: "image/png".into(),
        size_bytes: 3,
        duration_ms: None,
        width_px: None,
        height_px: None,
    };
    lib.complete_job(job.id, &[media], None, cost, at).unwrap();
    job.id
}

fn ids(page: &LibraryPage) -> Vec<i64> {
    page.items.iter().map(|i| i.id).collect()
}

#[test]
fn pages_follow_each_order_with_files_attached() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    let a = add(&mut lib, Modality::Image, "a red fox", Some(50), 100, false);
    let b = add(&mut lib, Modality::Video, "a blue whale", Some(4_500), 200, true);
    let c = add(&mut lib, Modality::Music, "a green song", None, 300, false);
    let d = add(&mut lib, Modality::Image, "a red kite", Some(100), 400, false);

    let newest = lib.list_library(&LibraryQuery::default(), None, 2).unwrap();
    assert_eq!(ids(&newest), [d, c]);
    assert_eq!(newest.items[0].media.len(), 1, "files ride along");
    let rest = lib.list_library(&LibraryQuery::default(), newest.next, 2).unwrap();
    assert_eq!(ids(&rest), [b, a]);
    assert!(rest.next.is_none());

    let oldest = LibraryQuery { sort: LibrarySort::Oldest, ..LibraryQuery::default() };
    assert_eq!(ids(&lib.list_library(&oldest, None, 10).unwrap()), [a, b, c, d]);

    let by_cost = LibraryQuery { sort: LibrarySort::Cost, ..LibraryQuery::default() };
    let first = lib.list_library(&by_cost, None, 3).unwrap();
    assert_eq!(ids(&first), [b, d, a]);
    assert_eq!(ids(&lib.list_library(&by_cost, first.next, 3).unwrap()), [c], "unknown cost last");
}

#[test]
fn filters_and_search_narrow_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    let fox = add(&mut lib, Modality::Image, "a red fox in snow", Some(50), 100, false);
    let whale = add(&mut lib, Modality::Video, "a blue whale", Some(4_500), 200, true);
    let kite = add(&mut lib, Modality::Image, "a red kite", Some(100), 300, false);
    let query = |filter: JobFilter, search: &str| LibraryQuery {
        filter,
        search: search.into(),
        sort: LibrarySort::Newest,
        ..LibraryQuery::default()
    };
    let list = |q: LibraryQuery| ids(&lib.list_library(&q, None, 10).unwrap());
    assert_eq!(
        list(query(JobFilter { modality: Some(Modality::Image), ..JobFilter::default() }, "")),
        [kite, fox]
    );
    assert_eq!(list(query(JobFilter { demo: Some(true), ..JobFilter::default() }, "")), [whale]);
    assert_eq!(list(query(JobFilter::default(), "red")), [kite, fox]);
    assert_eq!(list(query(JobFilter::default(), "sno*")), [fox]);
    assert_eq!(
        list(query(
            JobFilter { created_from_ms: Some(150), created_before_ms: Some(250), ..JobFilter::default() },
            ""
        )),
        [whale]
    );
    let long = "word ".repeat(100);
    let id = add(&mut lib, Modality::Image, &long, Some(1), 400, false);
    let item = lib.list_library(&LibraryQuery::default(), None, 1).unwrap().items.remove(0);
    assert_eq!(item.id, id);
    assert_eq!(item.prompt_preview.chars().count(), PROMPT_PREVIEW_CHARS, "rows carry a preview");
}

#[test]
fn the_detail_has_the_whole_job_its_files_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    let long = "a lighthouse ".repeat(40);
    let id = add(&mut lib, Modality::Image, &long, Some(75), 100, false);
    let detail = lib.generation_detail(id).unwrap();
    assert_eq!(detail.job.prompt, long, "the whole prompt, not the preview");
    assert_eq!(detail.media.len(), 1);
    let states: Vec<JobState> = detail.history.iter().map(|h| h.to).collect();
    assert_eq!(states.first(), Some(&JobState::Queued));
    assert_eq!(states.last(), Some(&JobState::Succeeded));
    let media = lib.media_by_id(detail.media[0].id).unwrap();
    assert_eq!(media.as_ref(), detail.media.first(), "a file is found by its id");
    assert_eq!(lib.media_by_id(9_999).unwrap(), None);
}
