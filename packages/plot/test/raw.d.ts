// Vite's client types: `?raw` imports (a file's text) and `import.meta.glob`, for the tests.
/// <reference types="vite/client" />
