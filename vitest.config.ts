import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // End-to-end tests run a bundle made from src/ for this run, not the committed dist/.
    globalSetup: ['__tests__/support/fresh-bundle.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
