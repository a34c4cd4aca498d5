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
mount(App, { target });
