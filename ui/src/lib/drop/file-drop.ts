// Drag and drop of files onto input slots: an image onto any image slot (first/last frame, subject reference, a
// character), an audio file onto an audio slot (a voice to clone, a music bed, an H3 reference audio), a video
// onto an H3 reference video slot. The OS hands the window paths
// (Tauri's drag-drop event, not the page's: WebKitGTK gives the page no file paths), so the slot under the
// pointer is found by position. A file of the wrong kind is refused with a message saying which kinds fit.
import { onFileDrag, type FileDrag, type Unlisten } from '$lib/ipc';

/** What a slot takes. */
export type DropKind = 'image' | 'audio' | 'video';

const EXTENSIONS: Record<DropKind, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'webp'],
  audio: ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'opus', 'aac'],
  video: ['mp4', 'mov'],
};

/** The kind of file a path names, by its extension; `null` when it is neither. */
export function kindOfPath(path: string): DropKind | null {
  const name = fileName(path);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  if (EXTENSIONS.image.includes(ext)) return 'image';
  if (EXTENSIONS.audio.includes(ext)) return 'audio';
  if (EXTENSIONS.video.includes(ext)) return 'video';
  return null;
}

/** The last part of a path (either separator). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A slot's handlers. */
export interface DropSlot {
  kind: DropKind;
  /** A file of the slot's kind was dropped on it. */
  ondrop: (path: string) => void;
  /** A file of another kind was dropped on it (its name, for the message). */
  onwrong: (name: string) => void;
}

const slots = new Map<Element, DropSlot>();
let hovered: Element | null = null;

function slotAt(x: number, y: number): Element | null {
  const element = document.elementFromPoint(x, y);
  let node: Element | null = element;
  while (node !== null && !slots.has(node)) node = node.parentElement;
  return node;
}

function hover(element: Element | null) {
  if (hovered === element) return;
  hovered?.classList.remove('drop-over');
  hovered = element;
  hovered?.classList.add('drop-over');
}

/** Routes one drag event to the slot under the pointer; exported for tests. */
export function route(drag: FileDrag): void {
  if (drag.type === 'leave') return hover(null);
  const element = slotAt(drag.x, drag.y);
  if (drag.type === 'over') return hover(element);
  hover(null);
  const slot = element === null ? undefined : slots.get(element);
  const path = drag.paths[0];
  if (slot === undefined || path === undefined) return;
  if (kindOfPath(path) === slot.kind) slot.ondrop(path);
  else slot.onwrong(fileName(path));
}

/** Svelte action: makes an element a drop slot (`use:dropSlot={{ kind, ondrop, onwrong }}`). */
export function dropSlot(element: HTMLElement, slot: DropSlot) {
  slots.set(element, slot);
  element.dataset.dropKind = slot.kind;
  return {
    update(next: DropSlot) {
      slots.set(element, next);
      element.dataset.dropKind = next.kind;
    },
    destroy() {
      slots.delete(element);
      if (hovered === element) hovered = null;
    },
  };
}

/** Starts following the window's file drags (once, from the frame); resolves to the stop function. */
export function followFileDrags(): Promise<Unlisten> {
  return onFileDrag(route);
}
