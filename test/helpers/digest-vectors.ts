/**
 * Digests of the server's fixed inputs (password "looplab-password", salt "looplab-salt", 32-byte keys)
 * computed outside Node by two other implementations, so a test does not repeat the server's own code:
 *
 *   openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:looplab-password \
 *     -kdfopt salt:looplab-salt -kdfopt iter:1000 PBKDF2                        (OpenSSL 3.0.19 CLI)
 *   python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', b'looplab-password',
 *     b'looplab-salt', 1000, 32).hex())"                                        (Python hashlib)
 *
 * and likewise `SCRYPT -kdfopt n:N -kdfopt r:8 -kdfopt p:1` / `hashlib.scrypt`; the iterated sha256 is
 * `d = sha256(password + salt)`, then `d = sha256(d)` `rounds` times, in Python. Both agreed on every value.
 */
export const PBKDF2_SHA256 = {
  1000: '153737114ba2412f8b92134c80e569aa44c82033fd4241af6609ef31829b648b',
  100000: 'a4e5cb53d113999db8f5d18c2ec71def7fcb2822f4060759cefde25f4682f840',
} as const;

export const SCRYPT_R8_P1 = {
  1024: '8e44ecc4dfb9bb01de1442f125d6e27073a83e93cb196bef41d1f6aa1b05514e',
  16384: '97ddcf997cfa279876ae304087d57eb8c956f084f35aa505978507f41073782e',
} as const;

export const ITERATED_SHA256 = {
  12345: '6d281d5de1b164211257804328d5c139f2bb577dfa7115da07c1bab804f6a54d',
  20000: 'ee8e688882b6bb8fdfa451c9498c4e45c1aa4cdc09d47534e66837252d61373b',
} as const;

/**
 * RFC 7914 §11, first PBKDF2-HMAC-SHA-256 vector (P = "passwd", S = "salt", c = 1, dkLen = 64): checks
 * that the `openssl kdf` command line above computes what the RFC says.
 */
export const RFC7914_PBKDF2_SHA256 = {
  pass: 'passwd',
  salt: 'salt',
  iter: 1,
  keylen: 64,
  hex: '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
} as const;

/** π(10^5), the count of primes up to 100,000 (OEIS A006880). */
export const PRIMES_UP_TO_100000 = 9592;
