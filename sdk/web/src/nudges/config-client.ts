// Fetches the campaigns config: at start, then every refreshSeconds while the page is visible,
// with If-None-Match so that an unchanged config costs a 304.
//
// Failure semantics: a failed or unreadable answer keeps the config the page already has (none
// before the first success) and is tried again at the next refresh. Nothing is retried sooner,
// so a server that is down costs one request per refresh per open page.
import type { NudgesConfig } from './campaign';

const DEFAULT_REFRESH_SECONDS = 30;
const MIN_REFRESH_SECONDS = 5;
const MAX_REFRESH_SECONDS = 3600;

export interface ConfigClientOptions {
  /** The address to fetch, with its query. Read again before each fetch. */
  url(): string;
  fetch: typeof fetch;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  nowMs(): number;
  isVisible(): boolean;
  /** Called with each new config (not with a 304's). */
  onConfig(config: NudgesConfig): void;
  log(message: string, ...details: unknown[]): void;
}

export interface ConfigClient {
  /** Fetches now, unless a fetch is under way. */
  refresh(): void;
  /** The page's visibility changed: fetches when it is visible and the config is due. */
  visible(): void;
}

export function createConfigClient(options: ConfigClientOptions): ConfigClient {
  let etag: string | null = null;
  let refreshMs = DEFAULT_REFRESH_SECONDS * 1000;
  let lastFetchMs = -Infinity;
  let timer: unknown;
  let inFlight = false;

  function schedule() {
    options.clearTimer(timer);
    timer = options.setTimer(due, refreshMs);
  }

  function due() {
    // A hidden page waits: visible() fetches when it is shown again.
    if (options.isVisible()) refresh();
  }

  async function refresh() {
    if (inFlight) return;
    inFlight = true;
    lastFetchMs = options.nowMs();
    try {
      const headers: Record<string, string> = {};
      if (etag) headers['If-None-Match'] = etag;
      const answer = await options.fetch(options.url(), {
        headers,
        credentials: 'omit',
        cache: 'no-store',
      });
      if (answer.status === 200) {
        const config = (await answer.json()) as NudgesConfig;
        if (!config || !Array.isArray(config.campaigns))
          throw new Error('config without campaigns');
        etag = answer.headers.get('ETag');
        refreshMs = refreshSecondsOf(config.refreshSeconds) * 1000;
        options.onConfig(config);
      } else if (answer.status !== 304) {
        options.log('config answered ' + answer.status);
      }
    } catch (error) {
      options.log('config failed', error);
    } finally {
      inFlight = false;
      schedule();
    }
  }

  return {
    refresh,
    visible() {
      if (options.isVisible() && options.nowMs() - lastFetchMs >= refreshMs) refresh();
    },
  };
}

function refreshSecondsOf(value: unknown): number {
  if (typeof value !== 'number' || !isFinite(value)) return DEFAULT_REFRESH_SECONDS;
  return Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, value));
}
