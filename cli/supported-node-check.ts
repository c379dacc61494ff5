/**
 * The first import of `cli/looplab.ts`: modules are evaluated in the order they are imported, so an
 * unsupported Node is refused in one line before any other looplab module runs.
 */
import { refuseUnsupportedNode } from '../lib/supported-node.ts';

refuseUnsupportedNode('looplab');
