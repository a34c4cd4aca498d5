import './fonts.css';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { setLanguage, startLanguageSync } from '$lib/i18n/i18n.svelte';
import { setTheme, startThemeSync } from '$lib/theme/theme.svelte';
import { recallAppearance } from '$lib/settings/first-frame';

// Theme and language first, so the first frame is drawn in the right colours and <html lang>: the last
// session's choice if known, else the OS's; the stored settings replace both as soon as they arrive.
const lastAppearance = recallAppearance();
if (lastAppearance !== null) {
  setTheme(lastAppearance.theme);
  setLanguage(lastAppearance.language);
}
startThemeSync();
startLanguageSync();

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
showWhenInterIsReady(target);
mount(App, { target });

/**
 * Keeps the frame out of layout until the bundled Inter has loaded (or FONT_PATIENCE_MS has passed). Laid out
 * before that, every text run is shaped in a fallback font first, which loads WenQuanYi and DejaVu into the
 * web process for the life of the window (~1 MiB, issue 6) and makes the text jump when Inter arrives. The app
 * still mounts at once, so its data and the first screen's code load meanwhile. The font comes from the app's
 * own assets in a few milliseconds, and the page's `load` event waits for it, so start-up as `make bench`
 * times it (launch → load) still ends at a drawn frame.
 */
function showWhenInterIsReady(frame: HTMLElement): void {
  const FONT_PATIENCE_MS = 500;
  frame.hidden = true;
  const show = () => {
    clearTimeout(patience);
    frame.hidden = false;
  };
  const patience = setTimeout(show, FONT_PATIENCE_MS);
  // A font that fails to load is not an error of the app: the frame shows in the fallback font.
  document.fonts.load('1em "Inter Variable"').then(show, show);
}
