/**
 * The upstream's response body: `length` bytes of a fixed pattern, so a client's checksum can be
 * checked against an independent computation.
 */
export function payload(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) & 0xff;
  return bytes;
}
