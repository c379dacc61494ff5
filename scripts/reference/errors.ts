/** docs/reference/errors.md, from the error registry (lib/error-codes.ts). */
import { ERROR_CODES, type ErrorCodeSpec } from '../../lib/error-codes.ts';
import { generatedHeader, table } from './markdown.ts';

export function renderErrors(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, spec]: [string, ErrorCodeSpec]) => [
    `\`${code}\``,
    String(spec.status),
    `\`${spec.reason}\``,
    `${spec.messageDoc ?? (typeof spec.message === 'string' ? spec.message : '')}`,
    [spec.codeInBody ? '`code`' : '', spec.retryAfter ? '`Retry-After: 1`' : ''].filter(Boolean).join(', ') || '—',
    spec.doc,
  ]);
  return `${generatedHeader('Errors', '`lib/error-codes.ts`')}
A workload request that fails is answered with a JSON body \`{ "error": message, … }\` and the status below,
and counted in \`looplab_request_failures_total\` under the reason label below. The body names what failed,
never an address, SQL or a stack: those go to the log (5xx at \`error\`, with the request id). Where
the table says \`code\`, the body carries the code itself; \`Retry-After\` marks a refusal worth retrying
soon, since nothing was done.

${table(['Code', 'Status', 'Reason label', 'Message (`error`)', 'Also sent', 'When'], rows)}
`;
}
