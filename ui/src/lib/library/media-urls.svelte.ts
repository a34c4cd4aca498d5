// Where library files are served this launch (the loopback media server), asked once and shared. Files and
// thumbnails are loaded by URL, never through IPC as bytes; video plays from there on every OS.
import type { LibraryInfo } from '$lib/bindings/LibraryInfo';
import { getLibraryInfo, toIpcError } from '$lib/ipc';

let info: LibraryInfo | null = $state.raw(null);
let asked: Promise<LibraryInfo | null> | null = null;

/** Asks for the media server's address once; resolves to it (or null if it is not running). */
export function loadLibraryInfo(): Promise<LibraryInfo | null> {
  asked ??= getLibraryInfo().then(
    (found) => (info = found),
    (e: unknown) => {
      console.warn('no media server:', toIpcError(e).message);
      asked = null;
      return null;
    },
  );
  return asked;
}

/** The media server's address, once known (reactive); asks for it on first use. */
export function libraryInfo(): LibraryInfo | null {
  if (info === null) void loadLibraryInfo();
  return info;
}

function fileName(relPath: string): string {
  return encodeURIComponent(relPath.split('/').pop() ?? relPath);
}

/** The URL of a library file (`relPath` like `media/42-0.mp4` or an imported `inputs/…` image). */
export function fileUrl(base: string, relPath: string): string {
  return `${base}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The thumbnail edge made when a generation is stored (`LIBRARY_THUMB_EDGE` in studio-media), by the app and the
 * CLI alike. Small pictures (Library cards, storyboard cards, cast faces) ask for this size so they read a ready
 * JPEG; any other edge is made on first view, which costs a decode while the user waits.
 */
export const STORED_THUMB_EDGE = 256;

/** The URL of a file's thumbnail at most `edge` pixels on a side (images and video). */
export function thumbUrl(base: string, relPath: string, edge: number): string {
  return `${base}/thumbs/${Math.round(edge)}/${fileName(relPath)}`;
}
