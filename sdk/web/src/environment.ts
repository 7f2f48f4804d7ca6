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
  /** RANDOM_ID_CHARS characters of A-Z a-z 0-9 - _, from a crypto-grade source: 132 bits. */
  randomId(): string;
  /** Returns a handle for clearTimer, never falsy (browsers number their timers from 1). */
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
    randomId,
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimer: (handle) => clearTimeout(handle as number),
    window: typeof window === 'object' ? window : undefined,
  };
}

// getRandomValues, unlike randomUUID, also works on pages served over plain http. Ids are
// made a few times per page (the page, the device, each session): event ids only count on.
// The first 22 characters of the base64 of 17 random bytes carry 6 random bits each (132
// bits); "+" and "/" become "-" and "_", as in base64url.
const RANDOM_ID_BYTES = 17;
const RANDOM_ID_CHARS = 22;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(RANDOM_ID_BYTES));
  const base64 = btoa(String.fromCharCode(...bytes)).slice(0, RANDOM_ID_CHARS);
  return base64.replace(/[+/]/g, (char) => (char === '+' ? '-' : '_'));
}
