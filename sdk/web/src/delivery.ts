import type { DebugLog } from './debug-log';
import type { BrowserWindow, Environment } from './environment';
import type { EventQueue, QueuedEvent } from './queue';
import { jsonWithRawField } from './raw-json';

/**
 * Sends queued events to `POST {endpoint}/ingest/{siteId}` (docs/ingestion-protocol.md).
 *
 * A batch leaves `flushIntervalMs` after an event starts waiting, or at once when
 * `batchSize` events wait. One batch is in flight at a time; after an answer the next
 * batch follows at once while `batchSize` events wait. Bodies go as text/plain, which the
 * protocol allows, so that no CORS preflight doubles each request; a batch that fits in
 * KEEPALIVE_MAX_BYTES goes as a keep-alive fetch, which outlives a navigation.
 *
 * Failure semantics, per answer:
 * - 2xx with the protocol's answer: every event of the batch leaves the queue. Those listed
 *   in `rejected` are dropped (and reported in debug), since they would fail again.
 * - 5xx, 408, 429, a network error, no answer within REQUEST_TIMEOUT_MS, or a 2xx without
 *   the protocol's answer: the batch waits and is sent again after a random delay between 0
 *   and min(MAX_BACKOFF_MS, BASE_BACKOFF_MS × 2^failures) ("full jitter"). The browser
 *   coming back online retries at once.
 * - 413: the batch is sent again in halves; a single event answered 413 is dropped.
 * - any other 4xx (400, 403, 404, 415): the batch is dropped, since it would fail again.
 *
 * When the page is hidden or left, waiting events leave by navigator.sendBeacon, in bodies
 * under KEEPALIVE_MAX_BYTES. A beacon's answer cannot be read, so its events stay queued,
 * marked beaconed: they are sent again if the page becomes visible again, or by the next
 * page load that adopts the queue; the server stores them once, being idempotent on event
 * ids. If the browser refuses a beacon, its events keep waiting for the next page.
 *
 * An event sent now (forceReport) goes alone in a keep-alive fetch, answered like a batch;
 * when fetch fails outright, it goes by beacon instead.
 */
export interface Delivery {
  /** Called after an event joins the queue. */
  eventQueued(): void;
  /** Sends one event now in a request that outlives the page. */
  sendNow(event: QueuedEvent): void;
  /** Sends what waits by beacon, for a page being hidden or left. */
  sendBeforeExit(): void;
  /** Takes back beaconed events, for a page shown again, and sends soon. */
  resume(): void;
  /** Cuts a retry delay short, for a browser back online. */
  retryNow(): void;
}

export interface DeliveryConfig {
  url: string;
  batchSize: number;
  flushIntervalMs: number;
  queue: EventQueue;
  env: Environment;
  log: DebugLog;
  /** Called after the queue changed, to have it saved soon. */
  onChange(): void;
}

const MAX_EVENTS_PER_REQUEST = 500;
// The server refuses bodies over 1 MiB; 413 answers split what gets through anyway.
const MAX_BODY_BYTES = 1000 * 1024;
// Browsers refuse keep-alive bodies (sendBeacon, fetch keepalive) over 64 KiB in flight.
const KEEPALIVE_MAX_BYTES = 63 * 1024;
// Room for '{"sentAt":…,"dropped":…,"events":[]}' around the events.
const ENVELOPE_BYTES = 64;
const REQUEST_TIMEOUT_MS = 10_000;
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;
// What post() reports instead of a status when no answer came.
const UNREACHABLE = 0;
// What post() reports for a 2xx without the protocol's answer: something other than the
// Beckon server answered, like a captive portal or a misrouted proxy.
const NOT_AN_ANSWER = 502;

export function createDelivery(config: DeliveryConfig): Delivery {
  const { url, batchSize, queue, env, log, onChange } = config;
  const win = env.window as BrowserWindow;
  let timer: unknown;
  let timerDueMs = 0;
  let sending = false;
  let failures = 0;
  let eventLimit = batchSize;

  function schedule(delayMs: number) {
    const dueMs = env.nowMs() + delayMs;
    if (timer !== undefined && timerDueMs <= dueMs) return;
    env.clearTimer(timer);
    timerDueMs = dueMs;
    timer = env.setTimer(() => {
      timer = undefined;
      flush();
    }, delayMs);
  }

  function flush() {
    if (sending) return;
    const batch = queue.waiting(eventLimit, MAX_BODY_BYTES - ENVELOPE_BYTES);
    if (!batch.length) return;
    sending = true;
    const dropped = queue.droppedCount();
    queue.mark(batch, 'sending');
    post(batch, dropped).then((status) => {
      sending = false;
      // After a 413 the same events go again in halves, and smaller batches go on until
      // nothing waits.
      if (status === 413) eventLimit = Math.ceil(batch.length / 2);
      settle(batch, dropped, status);
      if (isRetryable(status)) retryLater();
      else sendOn();
    });
  }

  function retryLater() {
    failures++;
    const delayMs = env.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** failures);
    log('retry in ms:', delayMs);
    schedule(delayMs);
  }

  function sendOn() {
    failures = 0;
    if (queue.size()) eventQueued();
    else eventLimit = batchSize;
  }

  function settle(batch: QueuedEvent[], dropped: number, status: number) {
    if (isRetryable(status) || (status === 413 && batch.length > 1)) {
      queue.mark(batch, 'waiting');
    } else {
      if (status !== 200) log(status + ': dropped ' + batch.length + ' events');
      queue.remove(batch);
      queue.forgetDropped(dropped);
    }
    onChange();
  }

  async function post(batch: QueuedEvent[], dropped: number): Promise<number> {
    const body = batchBody(batch, dropped, env.nowMs());
    const Controller = win.AbortController;
    const controller = typeof Controller === 'function' ? new Controller() : undefined;
    const timeout = env.setTimer(() => controller && controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      // Small batches may then outlive a navigation that starts while they travel.
      const init = requestInit(body, bodyBytes(batch) <= KEEPALIVE_MAX_BYTES);
      init.signal = controller && controller.signal;
      const response = await win.fetch(url, init);
      return response.ok ? readAnswer(response) : response.status;
    } catch (error) {
      log('request failed', error);
      return UNREACHABLE;
    } finally {
      env.clearTimer(timeout);
    }
  }

  async function readAnswer(response: Response): Promise<number> {
    const answer = await response.json().catch(() => null);
    if (!answer || typeof answer.accepted !== 'number') return NOT_AN_ANSWER;
    const rejected = Array.isArray(answer.rejected) ? answer.rejected : [];
    for (const item of rejected) log('event rejected, dropped:', item);
    return 200;
  }

  function beacon(body: string): boolean {
    try {
      return win.navigator.sendBeacon(url, body);
    } catch {
      return false;
    }
  }

  function beaconOne(event: QueuedEvent) {
    const sent = beacon(batchBody([event], 0, env.nowMs()));
    queue.mark([event], sent ? 'beaconed' : 'waiting');
    if (!sent) schedule(config.flushIntervalMs);
  }

  function eventQueued() {
    // While a batch travels or a retry waits, its answer or its timer sends the rest.
    if (sending || failures) return;
    schedule(queue.size() >= batchSize ? 0 : config.flushIntervalMs);
  }

  return {
    eventQueued,

    sendNow(event) {
      queue.mark([event], 'sending');
      post([event], 0).then((status) => {
        // fetch fails where a beacon may not: a keep-alive quota, a page being torn down,
        // a browser without fetch.
        if (status === UNREACHABLE) return beaconOne(event);
        settle([event], 0, status);
        eventQueued();
      });
    },

    sendBeforeExit() {
      for (;;) {
        const batch = queue.waiting(MAX_EVENTS_PER_REQUEST, KEEPALIVE_MAX_BYTES - ENVELOPE_BYTES);
        const dropped = queue.droppedCount();
        if (!batch.length) return;
        if (!beacon(batchBody(batch, dropped, env.nowMs()))) return log('beacon refused');
        queue.mark(batch, 'beaconed');
        queue.forgetDropped(dropped);
      }
    },

    resume() {
      queue.markAll('beaconed', 'waiting');
      eventQueued();
    },

    retryNow() {
      if (failures) schedule(0);
    },
  };
}

/** Whether a batch answered with status (or UNREACHABLE) should be sent again later. */
function isRetryable(status: number): boolean {
  const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return status !== 200 && !refused;
}

// A string body goes as text/plain;charset=UTF-8, as a beacon's does.
function requestInit(body: string, keepalive: boolean): RequestInit {
  return { method: 'POST', body, keepalive, credentials: 'omit' };
}

function batchBody(batch: QueuedEvent[], dropped: number, sentAtMs: number): string {
  const eventsJson = '[' + batch.map((event) => event.json).join(',') + ']';
  return jsonWithRawField({ sentAt: sentAtMs, dropped }, 'events', eventsJson);
}

function bodyBytes(batch: QueuedEvent[]): number {
  return batch.reduce((sum, event) => sum + event.bytes + 1, ENVELOPE_BYTES);
}
