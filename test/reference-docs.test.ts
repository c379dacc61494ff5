import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PAGES } from '../scripts/reference/pages.ts';

describe('the generated reference pages', () => {
  it.each(REFERENCE_PAGES.map((page) => [page.path, page] as const))(
    '%s is what its spec renders (npm run docs:reference writes it)',
    async (path, page) => {
      expect(await readFile(new URL(`../${path}`, import.meta.url), 'utf8')).toBe(page.render());
    },
  );
});
