// Stands in for the snippets of test/lint/layers.test.ts (ESLint lints their text at this path).
export {};
