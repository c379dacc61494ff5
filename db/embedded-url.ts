/** Credentials of the embedded PostgreSQL; it listens on 127.0.0.1 only. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'looplab';

export const embeddedUrl = (port: number) =>
  `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
