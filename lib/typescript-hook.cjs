// Makes `require('./x.ts')` work in the thread that loads this file. On a Node with its own type
// stripping (≥ 22.18; the pinned Node 24) nothing is needed, and nothing is added: esbuild stays out of
// the server's path. (tsx runs esbuild as a child process in the server's process group, so a Ctrl-C to
// the group stopped it too, and a module still being compiled at that moment failed the server with
// "The service was stopped".) On older Node, tsx's require hook — the one route that also works inside
// worker threads there, since Node 20 ignores `--import` hooks in workers (nodejs/node#47747).
if (!process.features.typescript) require('tsx/cjs');
