//! The media server over real HTTP: byte ranges (what `<video>` seeking needs), the token, and thumbnails of
//! a real H.264 clip (minimax-sim's fixture, the clip every simulated video carries).

use std::path::Path;

use studio_media::{MediaServer, first_frame, thumbnail};

const CLIP: &[u8] = include_bytes!("../../minimax-sim/fixtures/clip-160x90.mp4");

fn library_with_clip() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("media")).unwrap();
    std::fs::write(root.path().join("media/7-0.mp4"), CLIP).unwrap();
    root
}

#[test]
fn the_first_frame_of_an_h264_clip_decodes() {
    let root = library_with_clip();
    let frame = first_frame(&root.path().join("media/7-0.mp4")).unwrap();
    assert_eq!((frame.width(), frame.height()), (160, 90));
    let distinct: std::collections::HashSet<_> = frame.pixels().map(|p| p.0).collect();
    assert!(distinct.len() > 1 || frame.pixels().any(|p| p.0 != [0, 0, 0]), "a picture, not a blank buffer");
}

#[test]
fn a_clip_padded_to_a_large_file_only_reads_its_index_and_first_sample() {
    let root = library_with_clip();
    // The simulator pads its clips with a trailing `free` box; the demuxer must skip it, not load it.
    let path = root.path().join("media/8-0.mp4");
    let mut bytes = CLIP.to_vec();
    let pad = 64 * 1024 * 1024u32;
    bytes.extend_from_slice(&pad.to_be_bytes());
    bytes.extend_from_slice(b"free");
    std::fs::write(&path, &bytes).unwrap();
    let file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    file.set_len(bytes.len() as u64 + u64::from(pad) - 8).unwrap();
    let thumb = thumbnail(root.path(), "media/8-0.mp4", 128).unwrap();
    let image = image::open(thumb).unwrap();
    assert_eq!(image.width(), 128);
}

#[tokio::test]
async fn media_is_served_with_ranges_behind_the_token() {
    let root = library_with_clip();
    let server = MediaServer::start(root.path()).await.unwrap();
    let url = server.media_url("media/7-0.mp4");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let client = reqwest::Client::new();

    let whole = client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), CLIP);

    let part = client.get(&url).header("Range", "bytes=4-11").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], format!("bytes 4-11/{}", CLIP.len()));
    assert_eq!(part.bytes().await.unwrap().as_ref(), &CLIP[4..12]);

    let forged = url.replace(&url.split('/').nth(3).unwrap().to_owned(), "0123456789abcdef0123456789abcdef");
    assert_eq!(client.get(&forged).send().await.unwrap().status(), 404, "a wrong token is a 404");
    let escape = format!("{}/{}/media/..%2Fsecret", server.origin(), url.split('/').nth(3).unwrap());
    assert_eq!(client.get(&escape).send().await.unwrap().status(), 404);

    let thumb = client.get(server.thumbnail_url("media/7-0.mp4", 64)).send().await.unwrap();
    assert_eq!(thumb.status(), 200);
    let jpeg = thumb.bytes().await.unwrap();
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    assert!(Path::new(&root.path().join("thumbs/7-0.mp4.64.jpg")).exists(), "cached on disk");
}
