import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The project's Markdown, as the docs tests read it: the README, CONTRIBUTING, every page under docs/ and
 * the examples' READMEs. Paths are relative to the repository root, with `/` separators.
 */
export function markdownFiles(root = '.'): string[] {
  const found: string[] = [];
  for (const top of ['README.md', 'CONTRIBUTING.md']) if (isFile(join(root, top))) found.push(top);
  for (const dir of ['docs', 'examples']) {
    for (const file of walk(join(root, dir))) {
      const path = relative(root, file).split('\\').join('/');
      if (dir === 'docs' ? path.endsWith('.md') : path.endsWith('/README.md')) found.push(path);
    }
  }
  return found;
}

/** The text with fenced code blocks blanked (line count kept), so that `# comment` lines are not headings. */
function withoutFences(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** The text with fenced blocks and inline code spans blanked: what is left is where links can be. */
function proseOnly(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length));
}

/** The inline links `[text](target)` of a page's prose (images too), in order. */
export function linkTargets(markdown: string): string[] {
  return [...proseOnly(markdown).matchAll(/!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
}

/**
 * GitHub's anchor for a heading's text: the rendered text (code spans, links and emphasis reduced to their
 * words), lower-cased, every character that is not a letter, digit, mark, space, `-` or `_` dropped, spaces
 * turned into `-`. A repeated heading gets `-1`, `-2`, … in document order (see `anchors`).
 */
export function slug(heading: string): string {
  // Code spans keep their text as written; emphasis and links are reduced only outside them.
  const rendered = heading
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`')
        ? part.slice(1, -1)
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/(\*\*|__)(.+?)\1/g, '$2')
            .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, '$1$2'),
    )
    .join('')
    .trim();
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page's headings give it, duplicates numbered as GitHub numbers them. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
