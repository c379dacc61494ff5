#!/usr/bin/env node
/**
 * The `looplab` command, the package's `bin`: refuses an unsupported Node in one line before anything
 * else is loaded, then hands the command line to the dispatcher.
 */
import { refuseUnsupportedNode } from '../lib/supported-node.ts';

refuseUnsupportedNode('looplab');
const { runCommand } = await import('./commands.ts');
await runCommand(process.argv.slice(2));
