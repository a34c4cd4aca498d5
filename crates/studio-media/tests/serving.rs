//! The media server over real HTTP: byte ranges (what `<video>` seeking needs), the token, and thumbnails of
//! a real H.264 clip (minimax-sim's fixture, the clip every simulated video carries).

use std::path::Path;

use studio_media::{MediaServer, first_frame, thumbnail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A plain HTTP/1.1 GET (no client library: its TLS features vary with the workspace's feature unification).
async fn get(url: &str, range: Option<&str>) -> (u16, String, Vec<u8>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let range = range.map(|r| format!("Range: {r}\r\n")).unwrap_or_default();
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\n{range}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

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
    let (status, head, body) = get(&url, None).await;
    assert_eq!(status, 200);
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert_eq!(body, CLIP);

    let (status, head, body) = get(&url, Some("bytes=4-11")).await;
    assert_eq!(status, 206);
    assert!(head.contains(&format!("content-range: bytes 4-11/{}", CLIP.len())), "{head}");
    assert_eq!(body, &CLIP[4..12]);

    let forged = url.replace(&url.split('/').nth(3).unwrap().to_owned(), "0123456789abcdef0123456789abcdef");
    assert_eq!(get(&forged, None).await.0, 404, "a wrong token is a 404");
    let escape = format!("{}/{}/media/..%2Fsecret", server.origin(), url.split('/').nth(3).unwrap());
    assert_eq!(get(&escape, None).await.0, 404);

    std::fs::create_dir_all(root.path().join("inputs")).unwrap();
    std::fs::write(root.path().join("inputs/1-frame.png"), b"png").unwrap();
    let input = format!("{}/inputs/1-frame.png", server.base_url());
    assert_eq!(get(&input, None).await.2, b"png", "imported input images are served for previews");
    assert_eq!(get(&input.replace("inputs/", "inputs/..%2F"), None).await.0, 404);

    let (status, _, jpeg) = get(&server.thumbnail_url("media/7-0.mp4", 64), None).await;
    assert_eq!(status, 200);
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    assert!(Path::new(&root.path().join("thumbs/7-0.mp4.64.jpg")).exists(), "cached on disk");
    let (status, head, again) = get(&server.thumbnail_url("media/7-0.mp4", 64), None).await;
    assert_eq!((status, &again), (200, &jpeg), "the made one is sent from the cache");
    assert!(head.contains("content-type: image/jpeg") && head.contains("cache-control: private"), "{head}");
}

/// A library holding the clip, a secret beside it and links planted in its folders that point out.
#[cfg(unix)]
fn library_with_links_out() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = library_with_clip();
    let secret = root.path().join("secret.png");
    std::fs::write(&secret, b"\x89PNG secret").unwrap();
    std::fs::create_dir_all(root.path().join("inputs")).unwrap();
    std::os::unix::fs::symlink(&secret, root.path().join("media/9-0.png")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.path().join("media/9-1.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.path().join("inputs/2-zero.png")).unwrap();
    // A link that stays in the media folder is the folder's own file.
    std::os::unix::fs::symlink(root.path().join("media/7-0.mp4"), root.path().join("media/7-1.mp4")).unwrap();
    (root, secret)
}

#[cfg(unix)]
#[tokio::test]
async fn links_that_leave_the_library_are_not_served() {
    let (root, _secret) = library_with_links_out();
    let server = MediaServer::start(root.path()).await.unwrap();
    for rel in ["media/9-0.png", "media/9-1.txt"] {
        assert_eq!(get(&server.media_url(rel), None).await.0, 404, "{rel}");
        assert_eq!(get(&server.thumbnail_url(rel, 64), None).await.0, 404, "no thumbnail of {rel} either");
    }
    let zero = format!("{}/inputs/2-zero.png", server.base_url());
    assert_eq!(get(&zero, Some("bytes=0-9")).await.0, 404);
    let (status, _, body) = get(&server.media_url("media/7-1.mp4"), None).await;
    assert_eq!((status, body.len()), (200, CLIP.len()), "a link inside the folder is served");
}

#[tokio::test]
async fn every_response_says_nosniff() {
    let root = library_with_clip();
    let server = MediaServer::start(root.path()).await.unwrap();
    let url = server.media_url("media/7-0.mp4");
    let len = CLIP.len();
    let past_the_end = format!("bytes={len}-");
    for (url, range, status) in [
        (url.clone(), None, 200),
        (url.clone(), Some("bytes=0-1"), 206),
        (url.clone(), Some(past_the_end.as_str()), 416),
        (server.media_url("media/missing.mp4"), None, 404),
        (format!("{}/nowhere", server.origin()), None, 404),
        (server.thumbnail_url("media/7-0.mp4", 64), None, 200),
    ] {
        let (got, head, _) = get(&url, range).await;
        assert_eq!(got, status, "{url} {range:?}");
        assert!(head.contains("x-content-type-options: nosniff"), "{url} {range:?}: {head}");
    }
}

#[tokio::test]
async fn bad_multiple_and_unsatisfiable_ranges_are_answered_as_rfc_9110_allows() {
    let root = library_with_clip();
    let server = MediaServer::start(root.path()).await.unwrap();
    let url = server.media_url("media/7-0.mp4");
    let len = CLIP.len();
    // Malformed or of another unit: ignored, the whole file.
    for malformed in ["bytes=abc", "bytes=9-3", "bytes=", "items=0-5", "bytes=1-2-3"] {
        let (status, head, body) = get(&url, Some(malformed)).await;
        assert_eq!((status, body.len()), (200, len), "{malformed}");
        assert!(!head.contains("content-range"), "{malformed}: {head}");
    }
    // Several ranges: the whole file with 200 (no multipart), as RFC 9110 lets a server do.
    let (status, _, body) = get(&url, Some("bytes=0-3, 10-20")).await;
    assert_eq!((status, body.as_slice()), (200, CLIP));
    // None satisfiable: 416 with the length.
    for unsatisfiable in
        [format!("bytes={len}-"), format!("bytes={}-{}", len + 5, len + 9), "bytes=-0".to_owned()]
    {
        let (status, head, _) = get(&url, Some(&unsatisfiable)).await;
        assert_eq!(status, 416, "{unsatisfiable}");
        assert!(head.contains(&format!("content-range: bytes */{len}")), "{unsatisfiable}: {head}");
    }
    // A suffix, and an end past the file (clipped).
    let (status, head, body) = get(&url, Some("bytes=-16")).await;
    assert_eq!((status, body.as_slice()), (206, &CLIP[len - 16..]));
    assert!(head.contains(&format!("content-range: bytes {}-{}/{len}", len - 16, len - 1)), "{head}");
    let (status, _, body) = get(&url, Some(&format!("bytes=100-{}", len * 2))).await;
    assert_eq!((status, body.as_slice()), (206, &CLIP[100..]));
}

/// Over real HTTP: any valid single range answers 206 with exactly the file's bytes.
#[test]
fn a_valid_ranges_bytes_equal_the_file_slice() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let root = library_with_clip();
    let server = runtime.block_on(MediaServer::start(root.path())).unwrap();
    let url = server.media_url("media/7-0.mp4");
    let len = CLIP.len();
    let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
    let ranges = (0..len, 0..len).prop_map(|(a, b)| (a.min(b), a.max(b)));
    runner
        .run(&ranges, |(first, last)| {
            let (status, head, body) = runtime.block_on(get(&url, Some(&format!("bytes={first}-{last}"))));
            prop_assert_eq!(status, 206);
            prop_assert!(head.contains(&format!("content-range: bytes {first}-{last}/{len}")), "{}", head);
            prop_assert_eq!(body.as_slice(), &CLIP[first..=last]);
            Ok(())
        })
        .unwrap();
    drop(server);
}
