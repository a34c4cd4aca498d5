// What an import changed or left out (a Fountain screenplay, a JSON shot list), in the user's language.
// studio-film sends `ImportNote` data (script/import_note.rs); the English here reads as that file's `Display`,
// which the command line prints. A draft's repair keeps its own words (`repaired`).
import type { ImportNote } from '$lib/bindings/ImportNote';
import type { ImportWarning } from '$lib/bindings/ImportWarning';
import { t } from '$lib/i18n/i18n.svelte';

/** One note in words. */
export function importNoteText(note: ImportNote): string {
  switch (note.kind) {
    case 'unclosedNote':
      return t('film.importNote.unclosedNote');
    case 'noTitle':
      return t('film.importNote.noTitle');
    case 'centeredLeftOut':
      return t('film.importNote.centeredLeftOut', { text: note.text });
    case 'actionContinued':
      return t('film.importNote.actionContinued', { count: note.shots, max: note.maxChars });
    case 'dualDialogue':
      return note.other === null
        ? t('film.importNote.dualDialogue', { speaker: note.speaker })
        : t('film.importNote.dualDialogueWith', { speaker: note.speaker, other: note.other });
    case 'cannotWhisper':
      return t('film.importNote.cannotWhisper', { text: note.text });
    case 'speechSplit':
      return t('film.importNote.speechSplit', { max: note.maxChars, count: note.lines });
    case 'lyricsCut':
      return t('film.importNote.lyricsCut', { max: note.maxChars });
    case 'lyricsBecameMusic':
      return t('film.importNote.lyricsBecameMusic');
    case 'unknownField':
      return note.parent === null
        ? t('film.importNote.unknownField', { field: note.field })
        : t('film.importNote.unknownFieldIn', { field: note.field, parent: note.parent });
    case 'moreUnknownFields':
      return t('film.importNote.moreUnknownFields', { count: note.count });
    case 'repaired':
      return note.text;
  }
}

/** A warning with its line: "Line 67: …". */
export function importWarningText(warning: ImportWarning): string {
  const text = importNoteText(warning.note);
  return warning.line === undefined ? text : t('film.import.line', { line: warning.line }) + text;
}
