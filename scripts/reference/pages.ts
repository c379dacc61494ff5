/**
 * The generated reference pages, each with the function that renders it from its spec. A page is one entry
 * here; `npm run docs:reference` writes them all and test/reference-docs.test.ts fails when a committed
 * page differs from what its spec renders.
 */
import { renderCli } from './cli.ts';
import { renderConfiguration } from './configuration.ts';
import { renderErrors } from './errors.ts';
import { renderExitCodes } from './exit-codes.ts';

export interface ReferencePage {
  /** Where the page lives, relative to the repository root. */
  readonly path: string;
  readonly render: () => string;
}

export const REFERENCE_PAGES: readonly ReferencePage[] = [
  { path: 'docs/reference/configuration.md', render: renderConfiguration },
  { path: 'docs/reference/errors.md', render: renderErrors },
  { path: 'docs/reference/cli.md', render: renderCli },
  { path: 'docs/reference/exit-codes.md', render: renderExitCodes },
];
