import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from './deps.ts';
import { createLogger, type Logger } from './observation/logger.ts';
import { HttpError } from '../lib/http-error.ts';
import { defaultOf } from '../lib/env.ts';
import type { AppEnv } from './routes/app-env.ts';
import { indexRoute } from './routes/index-route.ts';
import { opsRoutes } from './routes/ops-routes.ts';
import { recordRequest } from './routes/request-record.ts';
import { requestIdOf } from './routes/request-id.ts';
import { withFrontDoor } from './routes/front-door.ts';
import { mountWorkloads, unknownWorkloadOrMode } from './routes/workload-route.ts';
import { mountBounds } from './routes/bound-route.ts';

export interface AppOptions {
  /** Deadline of each workload request, ms (REQUEST_TIMEOUT_MS); default 30 s. */
  requestTimeoutMs?: number;
  /** Where request lines and 5xx details go (never to the client). Defaults to a silent logger. */
  logger?: Logger;
}

/** Builds the looplab app from its dependencies. It never listens: `main.ts` (or a test) does. */
export function createApp(deps: AppDeps, options: AppOptions = {}): Hono<AppEnv> {
  const logger = options.logger ?? createLogger('silent');
  const app = new Hono<AppEnv>();

  app.route('/', opsRoutes(deps));
  app.route('/', indexRoute(deps.about, deps.workloads, deps.queue !== undefined));

  mountWorkloads(app, deps, { requestTimeoutMs: options.requestTimeoutMs ?? defaultOf('REQUEST_TIMEOUT_MS'), logger });
  mountBounds(app, deps.workloads, deps.about);

  app.notFound(function notFound(c) {
    const unknown = unknownWorkloadOrMode(c.req.path, deps.workloads, deps);
    if (unknown) return c.json(unknown.toBody(), 404);
    return c.json(
      {
        error: 'not found',
        path: c.req.path,
        endpoints: ['/', '/health', '/ready', '/metrics', ...deps.workloads.all.map((w) => `/${w.name}/:mode`)],
      },
      404,
    );
  });

  app.onError(function handleError(err, c) {
    const status = err instanceof HttpError ? err.status : 500;
    if (status >= 500) {
      const cause = c.get('cause') ?? err;
      logger.error(
        { reqId: requestIdOf(c), ...c.get('work'), method: c.req.method, path: c.req.path, status, err: cause },
        'request failed',
      );
    } else if (status === 499) {
      // Clients hang up all the time: worth a line, not an error.
      logger.info(
        { reqId: requestIdOf(c), ...c.get('work'), path: c.req.path, status },
        'client closed the request; its work was cancelled',
      );
    }
    recordRequest(c, status, deps.metrics, logger);
    if (err instanceof HttpError) return c.json(err.toBody(), err.status as ContentfulStatusCode, err.headers);
    return c.json({ error: 'internal error', requestId: requestIdOf(c) }, 500);
  });

  // Request ids and the method and body checks, before routing (front-door.ts says why not middleware).
  withFrontDoor(app);
  return app;
}
