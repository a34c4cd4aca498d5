import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const TAURI_ONLY_IN_IPC = {
  patterns: [
    {
      group: ['@tauri-apps/*'],
      message: 'Only src/lib/ipc.ts talks to Tauri (ARCHITECTURE.md); import its typed wrappers from $lib/ipc.',
    },
  ],
};

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'src/lib/bindings/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    files: ['*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      'no-restricted-imports': ['error', TAURI_ONLY_IN_IPC],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The IPC module is the one door; tests stand in for the backend with @tauri-apps/api/mocks.
    files: ['src/lib/ipc.ts', 'src/**/*.test.ts', 'src/test/**', 'src/test-setup.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
