//! Makes the thumbnail of one media file: `thumbnail DATA_DIR media/NAME [EDGE]`; prints its path and the time.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(rel)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: thumbnail DATA_DIR media/NAME [EDGE]");
        std::process::exit(2);
    };
    let edge = args.get(3).and_then(|e| e.parse().ok()).unwrap_or(256);
    let started = std::time::Instant::now();
    match studio_media::thumbnail(std::path::Path::new(root), rel, edge) {
        Ok(path) => println!("{} in {:.1} ms", path.display(), started.elapsed().as_secs_f64() * 1000.0),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
