import { attempt } from './attempt';
import type { DebugLog } from './debug-log';
import type { BrowserWindow, Environment } from './environment';
import type { Settings } from './options';
import { BEACONED, SENDING, WAITING, type EventQueue, type QueuedEvent } from './queue';
import { utf8Bytes } from './properties';

/**
 * Sends queued events to `POST {endpoint}/ingest/{siteId}` (docs/ingestion-protocol.md).
 *
 * A request leaves `flushIntervalMs` after an event starts waiting, or at once when
 * `batchSize` events wait, and carries every waiting event up to the protocol's 500 per
 * batch and 1 MiB per body, so that a burst goes in few requests. One request is in flight
 * at a time; after an answer the next follows at once while events wait. Bodies go as
 * text/plain, which the protocol allows, so that no CORS preflight doubles each request.
 *
 * Failure semantics, per answer:
 * - 2xx with the protocol's answer: every event of the batch leaves the queue. Those listed
 *   in `rejected` are dropped (and reported in debug), since they would fail again.
 * - 5xx, 408, 429, a network error, no answer within `requestTimeoutMs`, or a 2xx without
 *   the protocol's answer: the batch waits and is sent again after a random delay between 0
 *   and min(MAX_BACKOFF_MS, BASE_BACKOFF_MS × 2^failures) ("full jitter"), and no sooner
 *   than a `Retry-After` answer asks. The browser coming back online retries at once.
 * - 413: the batch is sent again in halves; a single event answered 413 is dropped.
 * - any other 4xx (400, 403, 404, 415): the batch is dropped, since it would fail again.
 *
 * Keep-alive requests (sendBeacon, fetch with keepalive) outlive the page, but browsers
 * refuse them beyond 64 KiB of bodies in flight per page, all together. So only a regular
 * batch of up to KEEPALIVE_BATCH_BYTES travels with keepalive, and the rest of the quota is
 * kept for leaving: when the page is hidden or left, waiting events (and those of a larger
 * request still in flight, which the navigation cancels) leave by navigator.sendBeacon, in
 * bodies that fit what remains of the quota. A refused beacon is tried again at half the
 * size, down to one event; what is still refused keeps waiting, stored, for the next page
 * load. Events that only memory holds go first, since storage keeps the others. A beacon's
 * answer cannot be read, so its events stay queued, marked beaconed: they are sent again if
 * the page becomes visible again, or by the next page load that adopts the queue; the server
 * stores them once, being idempotent on event ids.
 *
 * An event sent now (forceReport) goes alone in a keep-alive fetch when the quota has room,
 * answered like a batch; when fetch fails outright, it goes by beacon instead.
 *
 * While hooks.isPaused() (consent pending), nothing is sent.
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

/** What delivery needs from the tracker that owns it. */
export interface DeliveryHooks {
  /** Whether sending must wait; eventQueued() restarts it. */
  isPaused(): boolean;
  /** Called after the queue changed, to have it saved soon. */
  onChange(): void;
}

const MAX_EVENTS_PER_REQUEST = 500;
// The server refuses bodies over 1 MiB; 413 answers split what gets through anyway.
const MAX_BODY_BYTES = 1000 * 1024;
// Browsers refuse keep-alive bodies (sendBeacon, fetch keepalive) beyond 64 KiB in flight.
const KEEPALIVE_QUOTA_BYTES = 64 * 1024;
// Regular batches up to this size travel with keepalive, and so survive a navigation.
const KEEPALIVE_BATCH_BYTES = 16 * 1024;
// Room for '{"sentAt":…,"dropped":…,"events":[]}' around the events. The shared fields at the
// top are those of the first event, whose bytes count them.
const ENVELOPE_BYTES = 64;
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;
// What post() reports instead of a status when no answer came.
const UNREACHABLE = 0;
// What post() reports for a 2xx without the protocol's answer: something other than the
// Beckon server answered, like a captive portal or a misrouted proxy.
const NOT_AN_ANSWER = 502;

export function createDelivery(
  settings: Settings,
  queue: EventQueue,
  env: Environment,
  log: DebugLog,
  hooks: DeliveryHooks,
): Delivery {
  const { batchSize, flushIntervalMs } = settings;
  const url = settings.endpoint + '/ingest/' + encodeURIComponent(settings.siteId);
  const win = env.window as BrowserWindow;
  let timer: unknown;
  let timerDueMs = 0;
  let inFlight: QueuedEvent[] | undefined;
  let inFlightKeptAlive = false;
  let failures = 0;
  let eventLimit = MAX_EVENTS_PER_REQUEST;
  let retryAfterMs = 0;
  let keepaliveBytes = 0;

  function schedule(delayMs: number) {
    const dueMs = env.nowMs() + delayMs;
    if (timer && timerDueMs <= dueMs) return;
    env.clearTimer(timer);
    timerDueMs = dueMs;
    timer = env.setTimer(() => {
      timer = undefined;
      flush();
    }, delayMs);
  }

  function flush() {
    if (inFlight || hooks.isPaused()) return;
    const batch = queue.waiting(eventLimit, MAX_BODY_BYTES - ENVELOPE_BYTES);
    if (!batch.length) return;
    inFlight = batch;
    const dropped = queue.droppedCount();
    queue.mark(batch, SENDING);
    const body = queue.batchJson(dropped, batch);
    inFlightKeptAlive = !keepaliveBytes && utf8Bytes(body) <= KEEPALIVE_BATCH_BYTES;
    post(body, inFlightKeptAlive).then((status) => {
      inFlight = undefined;
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
    const backoffMs = env.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** failures);
    const delayMs = Math.max(backoffMs, retryAfterMs);
    log('retry in ms:', delayMs);
    schedule(delayMs);
  }

  function sendOn() {
    failures = 0;
    if (queue.size()) eventQueued();
    else eventLimit = MAX_EVENTS_PER_REQUEST;
  }

  function settle(batch: QueuedEvent[], dropped: number, status: number) {
    if (isRetryable(status) || (status === 413 && batch.length > 1)) {
      // A beacon may have taken some of them meanwhile.
      queue.mark(
        batch.filter((event) => event.state === SENDING),
        WAITING,
      );
    } else {
      if (status !== 200) log(status + ': dropped events:', batch.length);
      queue.remove(batch);
      queue.forgetDropped(dropped);
    }
    hooks.onChange();
  }

  async function post(body: string, keepalive: boolean) {
    // Browsers without AbortController cannot time a request out.
    const controller = attempt(() => new win.AbortController());
    const timeout = env.setTimer(() => controller && controller.abort(), settings.requestTimeoutMs);
    const bytes = keepalive ? utf8Bytes(body) : 0;
    keepaliveBytes += bytes;
    retryAfterMs = 0;
    try {
      const signal = controller && controller.signal;
      const init: RequestInit = { method: 'POST', body, keepalive, credentials: 'omit', signal };
      const response = await win.fetch(url, init);
      retryAfterMs = 1000 * Number(response.headers.get('Retry-After')) || 0;
      return response.ok ? readAnswer(response) : response.status;
    } catch (error) {
      log('fetch failed', error);
      return UNREACHABLE;
    } finally {
      keepaliveBytes = Math.max(0, keepaliveBytes - bytes);
      env.clearTimer(timeout);
    }
  }

  async function readAnswer(response: Response): Promise<number> {
    const answer = await response.json().catch(() => null);
    // Events the server rejected are named in the answer, which the browser's network panel shows.
    return answer && typeof answer.accepted === 'number' ? 200 : NOT_AN_ANSWER;
  }

  // Sends a beacon when the keep-alive quota has room for it, and counts it in.
  function beacon(body: string): boolean {
    const bytes = utf8Bytes(body);
    if (keepaliveBytes + bytes > KEEPALIVE_QUOTA_BYTES) return false;
    const sent = !!attempt(() => win.navigator.sendBeacon(url, body));
    if (sent) keepaliveBytes += bytes;
    return sent;
  }

  function beaconOne(event: QueuedEvent) {
    const sent = beacon(queue.batchJson(0, [event]));
    queue.mark([event], sent ? BEACONED : WAITING);
    if (!sent) schedule(flushIntervalMs);
  }

  function eventQueued() {
    // While a batch travels or a retry waits, its answer or its timer sends the rest.
    if (inFlight || failures || hooks.isPaused()) return;
    schedule(queue.size() >= batchSize ? 0 : flushIntervalMs);
  }

  return {
    eventQueued,

    sendNow(event) {
      if (hooks.isPaused()) return;
      queue.mark([event], SENDING);
      const body = queue.batchJson(0, [event]);
      post(body, keepaliveBytes + utf8Bytes(body) <= KEEPALIVE_QUOTA_BYTES).then((status) => {
        // fetch fails where a beacon may not: a page being torn down, a browser without fetch.
        if (status === UNREACHABLE) return beaconOne(event);
        settle([event], 0, status);
        eventQueued();
      });
    },

    sendBeforeExit() {
      if (hooks.isPaused()) return;
      // A navigation cancels a request without keepalive: its events go by beacon too.
      if (inFlight && !inFlightKeptAlive) queue.mark(inFlight, WAITING);
      let maxBytes = KEEPALIVE_QUOTA_BYTES - keepaliveBytes;
      for (;;) {
        const batch = queue.waiting(MAX_EVENTS_PER_REQUEST, maxBytes - ENVELOPE_BYTES, true);
        const dropped = queue.droppedCount();
        if (!batch.length) return;
        if (beacon(queue.batchJson(dropped, batch))) {
          queue.mark(batch, BEACONED);
          queue.forgetDropped(dropped);
          maxBytes = KEEPALIVE_QUOTA_BYTES - keepaliveBytes;
        } else if (batch.length > 1) {
          maxBytes = maxBytes / 2;
        } else {
          return log('beacon refused');
        }
      }
    },

    resume() {
      // Beacons sent before the page was hidden have long arrived.
      keepaliveBytes = 0;
      queue.markAll(BEACONED, WAITING);
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
