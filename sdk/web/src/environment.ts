/**
 * What the SDK takes from its surroundings: the clock, randomness, timers and the page's
 * window. Gathered here so that tests can hand the SDK a controllable clock and fake browser
 * objects, and so that nothing touches a browser global while the module loads (server-side
 * rendering imports it in Node).
 */
export interface Environment {
  /** Wall-clock time, epoch milliseconds. */
  nowMs(): number;
  /** A number in [0, 1), for retry jitter. */
  random(): number;
  /** 32 hex characters from a crypto-grade source. */
  randomHex(): string;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  /** The page's window; undefined outside a browser. */
  window: BrowserWindow | undefined;
}

/** The page's window, with the constructors that it carries (AbortController). */
export type BrowserWindow = Window & typeof globalThis;

/** The environment of the page that runs the SDK, read from its globals. */
export function browserEnvironment(): Environment {
  return {
    nowMs: () => Date.now(),
    random: () => Math.random(),
    randomHex,
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimer: (handle) => clearTimeout(handle as number),
    window: typeof window === 'object' ? window : undefined,
  };
}

// Random bytes are drawn RANDOM_POOL_BYTES at a time: one call per id costs more than the
// rest of logEvent in some engines. getRandomValues, unlike randomUUID, also works on pages
// served over plain http.
const RANDOM_POOL_BYTES = 512;
let randomPool = new Uint8Array(0);
let randomPoolIndex = 0;
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, byte) => (byte + 256).toString(16).slice(1));

function randomHex(): string {
  if (randomPoolIndex + 16 > randomPool.length) {
    randomPool = crypto.getRandomValues(new Uint8Array(RANDOM_POOL_BYTES));
    randomPoolIndex = 0;
  }
  let hex = '';
  for (const end = randomPoolIndex + 16; randomPoolIndex < end; randomPoolIndex++) {
    hex += HEX_OF_BYTE[randomPool[randomPoolIndex]];
  }
  return hex;
}
