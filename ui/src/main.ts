import '@fontsource-variable/inter';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { startLanguageSync } from '$lib/i18n/i18n.svelte';
import { startThemeSync } from '$lib/theme/theme.svelte';

// Theme and language first, so the first frame is drawn in the right colours and <html lang>; the stored
// settings refine both as soon as they arrive.
startThemeSync();
startLanguageSync();

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target });
