// Ink draws only the last frame when it believes it runs in CI (is-in-ci reads
// CI and CONTINUOUS_INTEGRATION once, when ink is first imported), and these
// tests read every frame. The CLI never opens Ink in CI, so the tests render as
// in a terminal. Import this module before anything that imports ink.
for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[name];
