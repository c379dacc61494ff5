import type { ServerFacts } from './server-facts.ts';

// The server's index (`GET /`): what a client, the load harness first, learns a server runs from.

/** One query parameter of a workload: its type, range or values, default, and what it means. */
export type IndexParam =
  | { type: 'enum'; values: readonly string[]; default: string; description: string }
  | {
      type: 'integer';
      default: number;
      /** A default that depends on an enum parameter declared before this one. */
      defaultBy?: { readonly param: string; readonly values: Readonly<Record<string, number>> };
      min: number;
      max: number;
      unit?: string;
      /** The range in words, as a 400 for this parameter names it. */
      allowed: string;
      description: string;
    };

/** One of the server's own endpoints. */
export interface IndexEndpoint {
  method: 'GET';
  path: string;
  description: string;
}

/**
 * One workload, listed among the endpoints at `/<name>/:mode`: the modes it has, its parameters, the
 * parameters it is load-tested with by default, where its bound model is evaluated, and which
 * dependency it exercises, if any.
 */
export interface IndexWorkload extends IndexEndpoint {
  /** "built-in" or the file the server loaded it from. */
  source: string;
  /** Each mode it runs in, with what that mode does for it. */
  modes: Record<string, string>;
  params: Record<string, IndexParam>;
  loadtest: { params: Readonly<Record<string, string>> };
  /** `kind` is null when it declares no bound model; the path answers for every workload. */
  bound: { kind: 'wait' | 'cpu' | null; path: string };
  /** The requests the fault drill watches. */
  faultDrill?: { dependency: 'database' | 'upstream'; path: string };
  example: string;
}

export interface IndexAnswer {
  name: 'looplab';
  server: ServerFacts;
  description: string;
  /** Every mode this server has, with what it means for any workload. */
  modes: Record<string, string>;
  endpoints: Array<IndexEndpoint | IndexWorkload>;
  /** What each error status means, in words. */
  errors: Record<number, string>;
}
