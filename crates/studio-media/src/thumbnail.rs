//! Thumbnails: small JPEGs cached under `thumbs/`, named from the media file's name and the size, rebuilt when
//! the media file is newer than its thumbnail.

use std::path::{Path, PathBuf};

use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;

use crate::error::{MediaError, Result, io};
use crate::video_frame::first_frame;

/// The cache folder, under the data folder.
pub const THUMBS_DIR: &str = "thumbs";

const JPEG_QUALITY: u8 = 82;

/// The edge of the Library grid's thumbnails (`STORED_THUMB_EDGE` in the UI's `media-urls.svelte.ts`): made when a
/// generation is stored, so opening the Library only reads small JPEGs.
pub const LIBRARY_THUMB_EDGE: u32 = 256;

/// Whether a file of this MIME type has a thumbnail (images and MP4 video).
pub fn has_thumbnail(mime: &str) -> bool {
    mime.starts_with("image/") || mime == "video/mp4"
}

/// Where the thumbnail of `rel_path` (relative to the data folder, e.g. `media/42-0.png`) at `max_edge`
/// pixels is cached.
pub fn thumbnail_path(root: &Path, rel_path: &str, max_edge: u32) -> PathBuf {
    let name = Path::new(rel_path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    root.join(THUMBS_DIR).join(format!("{name}.{max_edge}.jpg"))
}

fn is_fresh(thumb: &Path, source: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(thumb), modified(source)), (Some(t), Some(s)) if t >= s)
}

/// The cached thumbnail of `rel_path` at `max_edge` if it is there and not older than its media file.
pub fn fresh_thumbnail(root: &Path, rel_path: &str, max_edge: u32) -> Option<PathBuf> {
    let target = thumbnail_path(root, rel_path, max_edge);
    is_fresh(&target, &root.join(rel_path)).then_some(target)
}

/// The thumbnail of a media file, made if missing or stale: images are scaled down, videos give their first
/// frame. Audio and text have none ([`MediaError::Unsupported`]).
pub fn thumbnail(root: &Path, rel_path: &str, max_edge: u32) -> Result<PathBuf> {
    let source = root.join(rel_path);
    let target = thumbnail_path(root, rel_path, max_edge);
    if is_fresh(&target, &source) {
        return Ok(target);
    }
    let extension =
        source.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let picture = match extension.as_str() {
        "png" | "jpg" | "jpeg" | "webp" => {
            image::open(&source).map_err(|e| MediaError::Image { path: source.clone(), source: e })?
        }
        "mp4" => DynamicImage::ImageRgb8(first_frame(&source)?),
        _ => return Err(MediaError::Unsupported(source)),
    };
    let small = picture.thumbnail(max_edge, max_edge).into_rgb8();
    let dir = root.join(THUMBS_DIR);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    // Written to a temporary name and renamed: a reader never sees half a JPEG.
    let temp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        target.file_name().and_then(|n| n.to_str()).unwrap_or("thumb")
    ));
    let mut bytes = Vec::with_capacity(16 * 1024);
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(&small)
        .map_err(|e| MediaError::Image { path: target.clone(), source: e })?;
    std::fs::write(&temp, &bytes).map_err(io(&temp))?;
    std::fs::rename(&temp, &target).map_err(io(&target))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_scaled_to_fit_and_cached() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("media")).unwrap();
        let big = image::RgbImage::from_fn(800, 400, |x, _| image::Rgb([(x % 256) as u8, 40, 90]));
        big.save(root.path().join("media/3-0.png")).unwrap();
        assert_eq!(fresh_thumbnail(root.path(), "media/3-0.png", 256), None, "not made yet");
        let thumb = thumbnail(root.path(), "media/3-0.png", 256).unwrap();
        assert_eq!(fresh_thumbnail(root.path(), "media/3-0.png", 256), Some(thumb.clone()));
        assert_eq!(fresh_thumbnail(root.path(), "media/3-0.png", 128), None, "another size is another file");
        assert_eq!(thumb, root.path().join("thumbs/3-0.png.256.jpg"));
        let small = image::open(&thumb).unwrap();
        assert_eq!((small.width(), small.height()), (256, 128), "aspect ratio kept");
        let first = std::fs::metadata(&thumb).unwrap().modified().unwrap();
        thumbnail(root.path(), "media/3-0.png", 256).unwrap();
        assert_eq!(std::fs::metadata(&thumb).unwrap().modified().unwrap(), first, "served from the cache");
    }

    #[test]
    fn audio_has_no_thumbnail() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("media")).unwrap();
        std::fs::write(root.path().join("media/1-0.mp3"), b"ID3").unwrap();
        assert!(matches!(thumbnail(root.path(), "media/1-0.mp3", 256), Err(MediaError::Unsupported(_))));
    }
}
