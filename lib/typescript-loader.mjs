// `node --import ./lib/typescript-loader.mjs file.ts`: runs this project's TypeScript in one process,
// with no build step and no parent process between the program and its signals (the tsx CLI is one).
// On a Node with its own type stripping (≥ 22.18; the pinned Node 24 that npm scripts use) it adds
// nothing, so esbuild is not in the server's path: tsx runs esbuild as a child process in the server's
// process group, and a Ctrl-C to the group stopped it too, failing the server with "The service was
// stopped" when a module was still being compiled (the first seconds after a cold start). On older Node
// it registers tsx's loader. Worker threads load `typescript-hook.cjs` instead (see there).
if (!process.features.typescript) await import('tsx');
