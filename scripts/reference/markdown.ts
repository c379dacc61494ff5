/** The few Markdown pieces the generated reference pages are made of. */

/** A table cell: a pipe inside it would end the cell, a newline the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * A Markdown table from a header row and body rows, its columns padded to one width the way the formatter
 * (Biome, run by `npm run lint`) pads them, so a generated page passes the lint unchanged.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = [header, ...rows].map((cells) => cells.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head = [], ...rest] = body;
  return [line(head), line(widths.map((width) => '-'.repeat(width))), ...rest.map(line)].join('\n');
}

/** The first lines of every generated page: its title and where it comes from, so nobody edits it by hand. */
export function generatedHeader(title: string, source: string): string {
  return `# ${title}\n\n<!-- Generated from ${source} by \`npm run docs:reference\`; edit the source, not this page. -->\n`;
}
