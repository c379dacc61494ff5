/** docs/reference/configuration.md, from the configuration spec (lib/config-spec.ts). */
import { CONFIG_VARIABLES, type VariableSpec } from '../../lib/config-spec.ts';
import { generatedHeader, table } from './markdown.ts';

function defaultText(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'int':
      if (typeof spec.default !== 'number') return spec.defaultDoc ?? 'derived';
      return 'off' in spec && spec.default === 0 ? '`0` (off)' : `\`${spec.default}\``;
    case 'choice':
    case 'text':
    case 'path':
      return `\`${spec.default}\``;
    case 'url':
    case 'paths':
      return '—';
  }
}

function allowedText(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'int':
      return 'off' in spec ? `\`0\` (off) or ${spec.min}..${spec.max}` : `${spec.min}..${spec.max}`;
    case 'url':
      return `URL: ${spec.protocols.map((p) => `\`${p}//\``).join(' or ')}`;
    case 'choice':
      return spec.choices.map((c) => `\`${c}\``).join(' | ');
    case 'text':
      return 'a host name or address';
    case 'path':
      return 'a path, relative to the working directory';
    case 'paths':
      return 'file paths, comma-separated';
  }
}

export function renderConfiguration(): string {
  const rows = Object.entries(CONFIG_VARIABLES).map(([name, spec]: [string, VariableSpec]) => [
    `\`${name}\``,
    defaultText(spec),
    allowedText(spec),
    spec.doc,
  ]);
  return `${generatedHeader('Configuration', '`lib/config-spec.ts`')}
The server reads these environment variables once, at start (\`server/config.ts\`); nothing deeper reads
\`process.env\`. An empty value is the same as an unset one. A value outside what a variable allows stops
start-up with one line naming the variable and what it allows, e.g.
\`CLUSTER must be a whole number from 1 to 64, got 65\`. Every pool size is per server process.

${table(['Variable', 'Default', 'Allowed', 'What it does'], rows)}
`;
}
