import { guard, type DebugLog } from './debug-log';
import { createDelivery, type Delivery } from './delivery';
import type { BrowserWindow, Environment } from './environment';
import { createEventClock } from './event-clock';
import type { EventHub } from './event-hub';
import { isText, isVersion, type Settings } from './options';
import { propertiesJson } from './properties';
import { createEventQueue, type EventQueue } from './queue';
import { createSessionTracker, type Session, type SessionTracker } from './session';
import { createSafeStorage, type SafeStorage } from './storage';

/**
 * The SDK's state and methods: the device and user ids, the session, the queue and its
 * delivery, for one site on this page. What it keeps in localStorage goes under
 * "beckon:{siteId}:".
 *
 * It exists from the start, so that the SDK object can be built from its methods; start()
 * makes it track, once init's checks have passed, and it trusts its settings from then on.
 * It throws only on bugs; the SDK object (sdk.ts) catches those, so the page never sees them.
 */
export interface Tracker {
  /** Starts tracking with settings; called once. */
  start(settings: Settings): void;
  /** The SDK's methods that need start: calls made before it wait for it (sdk.ts). */
  commands: Commands;
  /** The SDK's getters, which answer before start too. */
  queries: Queries;
  /** Opens url through the redirection handler, or by navigating when none is set. */
  redirect(url: string): void;
  /** Files the events that logEvent noted in this task; every other call comes after them. */
  fileLogged(): void;
}

/**
 * The methods return IGNORED when they ignore their first argument (the README says, for
 * each method, which ones), so that the SDK object can say so in debug.
 */
export interface Commands {
  setUserId(id: unknown): Outcome;
  logEvent(name: unknown, properties?: unknown, forceReport?: unknown, reserved?: unknown): Outcome;
  logClientEvent(name: unknown, properties?: unknown): Outcome;
  setUserProperties(properties: unknown): Outcome;
  setSessionProperties(properties: unknown): Outcome;
  logPageView(path?: unknown): void;
  setAppVersion(version: unknown): Outcome;
  startNewSession(): void;
  endSession(): void;
  setRedirectionHandler(handler: unknown): Outcome;
  optOut(): void;
  optIn(): void;
}

export const IGNORED = 'ignored';
export type Outcome = typeof IGNORED | void;

export interface Queries {
  getClientId(): string | null;
  getSessionId(): string | null;
  getSiteId(): string | null;
  isOptedOut(): boolean;
}

const MAX_NAME_CHARS = 200;
const MAX_USER_ID_CHARS = 256;

export function createTracker(env: Environment, hub: EventHub, log: DebugLog): Tracker {
  const nextEventTimeMs = createEventClock(env.nowMs);
  // Set by start.
  let settings: Settings;
  let win: BrowserWindow;
  let storage: SafeStorage;
  let queue: EventQueue;
  let delivery: Delivery;
  let sessions: SessionTracker;
  let consentPending = false;
  let version = '';
  let ended = false;
  let pageClosed = false;
  let persistScheduled = false;
  let redirectionHandler: ((url: string) => void) | undefined;
  let deviceId: string | null = null;
  let userId: string | undefined;
  // The JSON of the fields that events share, and the session it was made for; that is ''
  // when the device id, user id or version changed since.
  let sharedJson = '';
  let sharedSessionId = '';
  // The path of the last page view; '' when the next one must be logged whatever its path.
  let pagePath = '';
  // The events logged in this task, four entries each (name, properties JSON, client time,
  // forceReport), filed in the queue when the task ends (see fileLogged).
  let logged: unknown[] = [];

  function start(given: Settings) {
    settings = given;
    win = env.window as BrowserWindow;
    version = settings.version;
    // Until the visitor consents, nothing is written to storage and nothing is sent.
    storage = createSafeStorage(win, log, settings.requireConsent);
    const storedChoice = storage.get(key('optOut'));
    consentPending = settings.requireConsent && !storedChoice;
    if (!consentPending) storage.release();
    queue = createEventQueue(settings, storage, key('queue:'), env, persistSoon);
    delivery = createDelivery(settings, queue, env, log, {
      isPaused: () => consentPending,
      onChange: persistSoon,
    });
    sessions = createSessionTracker(settings, storage, key('session'), env, {
      nextEventTimeMs,
      logBoundary,
      onChange: persistSoon,
    });
    listenToPage();

    if (storedChoice ? storedChoice === '1' : settings.optOut) forgetVisitor();
    else startTracking();
  }

  // The key under which the SDK stores one of its values for the site.
  function key(name: string): string {
    return 'beckon:' + settings.siteId + ':' + name;
  }

  // Saving the queue costs in proportion to its size, so the changes made by one task (a
  // burst of logEvent calls, say) are saved together, right after it.
  function persistSoon() {
    if (persistScheduled) return;
    persistScheduled = true;
    Promise.resolve().then(guard(log, persistNow));
  }

  function persistNow() {
    fileLogged();
    persistScheduled = false;
    sessions.save();
    queue.save(pageClosed);
  }

  // A logEvent call only notes the event; the events of a task go into their sessions, the
  // queue and the listeners together when it ends, or as soon as anything else is asked of
  // the SDK, so that calls keep their order. A burst as long as the queue's bound is filed at
  // once.
  function fileLogged() {
    const events = logged;
    logged = [];
    for (let i = 0; i < events.length; i += 4) {
      const clientTimeMs = events[i + 2] as number;
      const session = sessions.active(clientTimeMs);
      const event = enqueue(events[i] as string, events[i + 1] as string, session, clientTimeMs);
      if (events[i + 3]) delivery.sendNow(event);
    }
    // Events waiting for consent are kept for a limited time.
    if (consentPending) queue.removeOlderThan(env.nowMs() - settings.consentTimeoutMs);
  }

  function tracking(): boolean {
    return !ended && deviceId !== null;
  }

  function sharedFields(sessionId: string): string {
    if (sessionId !== sharedSessionId) {
      // userId null, not left out: the fields at the top of a batch apply to events without them.
      const fields = { deviceId, userId: userId || null, sessionId, version };
      sharedJson = JSON.stringify(fields).slice(1, -1);
      sharedSessionId = sessionId;
    }
    return sharedJson;
  }

  // Session boundary events pass their id (see session.ts); the queue gives the others one.
  function enqueue(
    name: string,
    propertiesJson: string,
    session: Session,
    clientTimeMs: number,
    id?: string,
  ) {
    const event = queue.add(name, sharedFields(session.id), clientTimeMs, propertiesJson, id);
    delivery.eventQueued();
    return event;
  }

  function logBoundary(
    name: string,
    propertiesJson: string,
    session: Session,
    clientTimeMs: number,
    id: string,
  ) {
    hub.publish('app', name, propertiesJson, clientTimeMs);
    enqueue(name, propertiesJson, session, clientTimeMs, id);
  }

  function record(name: string, json: string, forceReport?: boolean) {
    if (!tracking()) return;
    const clientTimeMs = nextEventTimeMs();
    logged.push(name, json, clientTimeMs, forceReport);
    hub.publish('app', name, json, clientTimeMs);
    if (logged.length >= settings.maxQueueEvents * 4) fileLogged();
    else persistSoon();
  }

  function recordProperties(name: string, input: unknown): Outcome {
    const json = propertiesJson(input);
    if (json === '{}') return IGNORED;
    record(name, json);
  }

  function loadDeviceId(): string {
    const stored = storage.get(key('device'));
    if (stored && stored.length <= 128) return stored;
    const created = 'd-' + env.randomId();
    storage.set(key('device'), created);
    return created;
  }

  function forgetVisitor() {
    logged = [];
    queue.clear();
    sessions.forget();
    storage.remove(key('device'));
    storage.remove(key('user'));
    deviceId = null;
    userId = undefined;
    sharedSessionId = '';
  }

  function startTracking() {
    deviceId = loadDeviceId();
    userId = storage.get(key('user')) || undefined;
    sharedSessionId = '';
    if (!consentPending && queue.adoptOrphans()) delivery.resume();
    // A page load is an activity: it starts a session, or keeps the active one alive.
    sessions.active(env.nowMs());
    if (settings.trackPageViews) {
      pagePath = '';
      viewPage();
    }
  }

  function answerConsent() {
    if (!consentPending) return;
    consentPending = false;
    storage.release();
  }

  // Browsers fire pagehide, then visibilitychange, when a page goes; the page stays closed
  // until it is shown again.
  function leavePage(closed: boolean) {
    fileLogged();
    pageClosed = pageClosed || closed;
    delivery.sendBeforeExit();
    persistNow();
  }

  function returnToPage() {
    pageClosed = false;
    delivery.resume();
    persistNow();
  }

  function listen(target: EventTarget, type: string, handler: (event: Event) => void) {
    target.addEventListener(type, guard(log, handler));
  }

  // One page view per navigation: a hash that starts with "#/" or "#!" is part of the path
  // (hash routing); other hashes are anchors on the same page.
  function viewPage() {
    const location = win.location;
    const hash = /^#[/!]/.test(location.hash) ? location.hash : '';
    const path = location.pathname + hash;
    if (path !== pagePath && tracking()) {
      pagePath = path;
      logPageView(path);
    }
  }

  // Routers call pushState then replaceState for one navigation; the page view waits for
  // the task to end, and counts them once.
  function watchHistory() {
    const history = win.history;
    const methods: Array<'pushState' | 'replaceState'> = ['pushState', 'replaceState'];
    for (const method of methods) {
      const original = history[method];
      history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
        Promise.resolve().then(guard(log, viewPage));
        return original.apply(this, args);
      };
    }
    listen(win, 'popstate', viewPage);
    listen(win, 'hashchange', viewPage);
    // A page restored from the back-forward cache was navigated to, by the back button.
    listen(win, 'pageshow', (event) => {
      if ((event as PageTransitionEvent).persisted) {
        pagePath = '';
        viewPage();
      }
    });
  }

  function logPageView(path?: unknown) {
    const doc = win.document;
    // An empty title or referrer is left out, as undefined.
    const properties = {
      path: typeof path === 'string' ? path : win.location.pathname,
      title: doc.title || undefined,
      referrer: doc.referrer || undefined,
    };
    record('$page_view', propertiesJson(properties));
  }

  function listenToPage() {
    const doc = win.document;
    listen(doc, 'visibilitychange', () =>
      doc.visibilityState === 'hidden' ? leavePage(false) : returnToPage(),
    );
    // A page restored from the back-forward cache becomes visible again, so this also covers
    // `pageshow`.
    listen(win, 'pagehide', () => leavePage(true));
    listen(win, 'online', delivery.retryNow);
    if (settings.trackPageViews) watchHistory();
  }

  const commands: Commands = {
    setUserId(id): Outcome {
      if (!tracking()) return;
      const text = textOf(id);
      sharedSessionId = '';
      if (text === null || text === undefined || text === '') {
        userId = undefined;
        storage.remove(key('user'));
      } else if (isText(text, MAX_USER_ID_CHARS)) {
        userId = text;
        storage.set(key('user'), text);
      } else {
        return IGNORED;
      }
    },

    logEvent(name, properties, forceReport, reserved): Outcome {
      if (!isEventName(name) || (name[0] === '$' && !reserved)) return IGNORED;
      record(name, propertiesJson(properties), forceReport === true);
    },

    logClientEvent(name, properties): Outcome {
      if (!tracking()) return;
      if (!isEventName(name)) return IGNORED;
      hub.publish('client', name, propertiesJson(properties), nextEventTimeMs());
    },

    setUserProperties: (properties) => recordProperties('$user_properties', properties),

    setSessionProperties: (properties) => recordProperties('$session_properties', properties),

    logPageView,

    setAppVersion(next): Outcome {
      if (!tracking()) return;
      const text = textOf(next);
      sharedSessionId = '';
      if (!isVersion(text)) return IGNORED;
      version = text;
    },

    startNewSession() {
      if (deviceId === null) return;
      ended = false;
      sessions.active();
    },

    endSession() {
      if (!tracking()) return;
      sessions.end();
      ended = true;
    },

    setRedirectionHandler(handler): Outcome {
      if (typeof handler !== 'function') return IGNORED;
      redirectionHandler = handler as (url: string) => void;
    },

    optOut() {
      forgetVisitor();
      answerConsent();
      storage.set(key('optOut'), '1');
    },

    optIn() {
      if (consentPending) {
        answerConsent();
        queue.removeOlderThan(env.nowMs() - settings.consentTimeoutMs);
        persistNow();
        delivery.eventQueued();
      }
      storage.set(key('optOut'), '0');
      if (deviceId === null) startTracking();
    },
  };

  const queries: Queries = {
    getClientId: () => deviceId,

    getSessionId() {
      const session = tracking() && sessions.current();
      return session ? session.id : null;
    },

    getSiteId: () => (settings ? settings.siteId : null),

    isOptedOut: () => !!settings && deviceId === null,
  };

  return {
    start,
    commands,
    queries,
    fileLogged,

    redirect(url) {
      if (redirectionHandler) redirectionHandler(url);
      else win.location.href = url;
    },
  };
}

// Numbers are welcome where text is expected.
function textOf(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

function isEventName(name: unknown): name is string {
  return isText(name, MAX_NAME_CHARS);
}
