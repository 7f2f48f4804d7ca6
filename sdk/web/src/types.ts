import type { LoggedEventListener } from './event-hub';

/**
 * The Beckon web SDK: the Apxor Web SDK's API, plus opt-out. No method ever throws, and
 * every method may be called before init: calls are queued and replayed in order once init
 * has started the SDK. After endSession(), every call but startNewSession() does nothing,
 * except the getters and the opt-out methods. When Do Not Track stopped the SDK, every
 * call does nothing.
 */
export interface Beckon {
  /**
   * Starts the SDK for a site. Calls made before init are replayed right after it, then
   * the plugins named in options.plugins are started, then onSuccess is called. When the
   * SDK does not start, onError is called with the reason, and init may be called again
   * unless the reason is "do_not_track". Both callbacks are called before init returns.
   */
  init(
    siteId: string,
    options?: BeckonOptions,
    onSuccess?: () => void,
    onError?: (failure: InitFailure) => void,
  ): void;
  /** Sets the custom user id stamped on later events; null or "" clears it (log out). */
  setUserId(id: string | number | null): void;
  /**
   * Logs an app event, sent to the server. Names are 1 to 200 characters and must not start
   * with "$". With forceReport the event leaves at once, in a request that survives an
   * immediate navigation.
   */
  logEvent(name: string, properties?: object, forceReport?: boolean): void;
  /** Logs a client event: it never leaves the browser, and only feeds campaign triggers. */
  logClientEvent(name: string, properties?: object): void;
  /** Sends properties of the user (event `$user_properties`). */
  setUserProperties(properties: object): void;
  /** Sends properties of the current session (event `$session_properties`). */
  setSessionProperties(properties: object): void;
  /** Logs a page view (event `$page_view`); path defaults to location.pathname. */
  logPageView(path?: string): void;
  /** The device id, or null before init, when stopped by Do Not Track, or when opted out. */
  getClientId(): string | null;
  /** The active session's id, or null when no session is active. */
  getSessionId(): string | null;
  /** The site id given to init, or null before init. */
  getSiteId(): string | null;
  /** Sets the version stamped on later events: a string of 1 to 100 characters. */
  setAppVersion(version: string): void;
  /** Starts a session if none is active, else does nothing; ends the effect of endSession. */
  startNewSession(): void;
  /** Ends the active session; afterwards every call but startNewSession() does nothing. */
  endSession(): void;
  /** Campaign links call handler(url) instead of navigating (single-page apps). */
  setRedirectionHandler(handler: (url: string) => void): void;
  /**
   * Stops tracking on this browser and remembers it: queued events are discarded, and the
   * device id, user id and session are deleted. With requireConsent, this is the refusal:
   * the events kept meanwhile are dropped.
   */
  optOut(): void;
  /**
   * Resumes tracking on this browser and remembers it; a new device id is made. With
   * requireConsent, this is the consent: the events kept meanwhile are sent.
   */
  optIn(): void;
  /** Whether the visitor is opted out; false before init. */
  isOptedOut(): boolean;
}

/** Options of init. Durations carry their unit in the name, except Apxor's idle_time_out. */
export interface BeckonOptions {
  /** Do not start when the browser's Do Not Track is on. Default false. */
  honorDNT?: boolean;
  /** Do not start when the browser sends Global Privacy Control. Default false. */
  honorGPC?: boolean;
  /** Seconds without activity after which the next activity starts a new session. 3600. */
  idle_time_out?: number;
  /** Names of plugins to start, each found by name in deps. Default []. */
  plugins?: string[];
  /** Plugin modules, handed over so that a bundler includes them. Default []. */
  deps?: BeckonPlugin[];
  /** The site's version, stamped on every event. Default "ALL". */
  version?: string;
  /**
   * The Beckon server's address, such as "https://beckon.example.com". Default: for the
   * script-tag file, the origin it was loaded from; for npm builds, the page's origin.
   */
  endpoint?: string;
  /** Log what the SDK does to the console, each line prefixed "[Beckon]". Default false. */
  debug?: boolean;
  /** Events that make a batch: a batch leaves as soon as this many wait. Default 20. */
  batchSize?: number;
  /** Longest wait before waiting events are sent, in milliseconds. Default 2000. */
  flushIntervalMs?: number;
  /** Start opted out until optIn(), unless the visitor already chose. Default false. */
  optOut?: boolean;
  /** Most events kept unacknowledged; beyond it the oldest are dropped. Default 20,000. */
  maxQueueEvents?: number;
  /**
   * Most characters of JSON (bytes, for ASCII) kept unacknowledged in memory; beyond it the
   * oldest events are dropped. Default 4 MiB.
   */
  maxQueueBytes?: number;
  /**
   * Most characters of JSON that the queue keeps in localStorage: the oldest events up to it
   * are stored, the rest live in memory until they fit. Default 256 KiB.
   */
  maxStoredBytes?: number;
  /** A request unanswered after this long counts as failed, and is retried. Default 10,000. */
  requestTimeoutMs?: number;
  /**
   * Consent pending: events are kept in this page's memory only, nothing is stored or sent,
   * until optIn() (consent given: they are sent) or optOut() (refused: they are dropped).
   * A choice made on an earlier visit applies at once. Default false.
   */
  requireConsent?: boolean;
  /** While consent is pending, events older than this are dropped. Default 30 minutes. */
  consentTimeoutMs?: number;
  /**
   * Log a page view at init and at each navigation of a single-page app: history.pushState
   * and replaceState (once per task), the back and forward buttons, hash routes ("#/…",
   * "#!…") and pages restored from the back-forward cache. Default false.
   */
  trackPageViews?: boolean;
}

/** Why init did not start the SDK; handed to onError. */
export interface InitFailure {
  reason:
    | 'do_not_track'
    | 'global_privacy_control'
    | 'invalid_site_id'
    | 'no_endpoint'
    | 'not_a_browser'
    | 'already_started';
  message: string;
}

/** A plugin, handed over in options.deps and started when options.plugins names it. */
export interface BeckonPlugin {
  name: string;
  start(sdk: PluginHost): void;
}

/** What a plugin gets: the SDK, and the hooks that campaigns need. */
export interface PluginHost extends Beckon {
  /**
   * The SDK's logEvent; with reserved true it also takes reserved names, such as the campaign
   * events ("$campaign_shown"), which it otherwise ignores.
   */
  logEvent(name: string, properties?: object, forceReport?: boolean, reserved?: boolean): void;
  /** Listens to every event logged on this page; returns a function that stops it. */
  subscribe(listener: LoggedEventListener): () => void;
  /** Opens url through the redirection handler, or by navigating when none is set. */
  redirect(url: string): void;
}
