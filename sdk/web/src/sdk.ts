import { attempt } from './attempt';
import { createDebugLog, guard } from './debug-log';
import type { Environment } from './environment';
import { createEventHub, type LoggedEventListener } from './event-hub';
import { failure, resolveSettings, type Settings } from './options';
import { IGNORED, createTracker, type Commands, type Outcome, type Queries } from './tracker';
import type { Beckon, BeckonOptions, InitFailure, PluginHost } from './types';

/** An SDK object, and the hook through which campaign plugins watch its events. */
export interface BeckonInstance {
  sdk: Beckon;
  subscribe(listener: LoggedEventListener): () => void;
}

// Calls kept while init has not come; later ones are dropped, so a page that never calls
// init does not grow this list for ever.
const MAX_EARLY_CALLS = 1000;
// A call made by the page's code while the SDK runs (a getter or toJSON of a property, a
// listener) may call the SDK again, once; deeper calls are ignored, so none can loop.
const MAX_NESTED_CALLS = 2;

/**
 * Builds the SDK object. Every method catches whatever goes wrong and reports it in debug
 * only. Calls made before init are kept (up to MAX_EARLY_CALLS) and replayed in order once
 * init has started the SDK; they are discarded when Do Not Track or Global Privacy Control
 * stops it.
 *
 * scriptOrigin is where the script-tag file came from, the default endpoint for it.
 */
export function createBeckon(env: Environment, scriptOrigin?: string): BeckonInstance {
  const log = createDebugLog();
  const hub = createEventHub(log);
  const tracker = createTracker(env, hub, log);
  let started = false;
  let earlyCalls: Array<[(...args: unknown[]) => void, unknown[]]> | undefined = [];
  let stoppedBy: InitFailure | undefined;

  function callBack(callback: unknown, failure?: InitFailure) {
    if (typeof callback === 'function')
      guard(log, callback as (failure?: InitFailure) => void)(failure);
  }

  function start(siteId: unknown, options: BeckonOptions): InitFailure | Settings {
    if (stoppedBy) return stoppedBy;
    if (started) return failure('already_started');
    const win = env.window;
    if (!win) return failure('not_a_browser');

    // Checked before anything else, so that a stopped SDK has touched no storage.
    stoppedBy = privacySignal(win as unknown as PrivacyGlobals, options);
    if (stoppedBy) {
      earlyCalls = undefined;
      return stoppedBy;
    }
    const pageOrigin = win.location && win.location.origin;
    return resolveSettings(siteId, options, scriptOrigin || pageOrigin, log);
  }

  function startPlugins(settings: Settings) {
    const host: PluginHost = Object.assign({}, sdk, {
      subscribe: hub.subscribe,
      redirect: guard(log, tracker.redirect),
    });
    for (const name of settings.plugins) {
      const plugin = settings.deps.find((dep) => dep && dep.name === name);
      if (!plugin || typeof plugin.start !== 'function') {
        log('no plugin ' + name);
        continue;
      }
      guard(log, plugin.start)(host);
    }
  }

  function init(siteId: unknown, options: unknown, onSuccess?: unknown, onError?: unknown) {
    const given = (options && typeof options === 'object' ? options : {}) as BeckonOptions;
    if (!started) log.enabled = given.debug === true;
    const outcome = start(siteId, given);
    if ('reason' in outcome) {
      log('did not start: ' + outcome.message);
      return callBack(onError, outcome);
    }

    tracker.start(outcome);
    started = true;
    log('started: ' + outcome.endpoint);
    // Plugins start first, so that campaign triggers see the replayed calls too.
    startPlugins(outcome);
    // The SDK has started, so the replayed calls run instead of joining the list again.
    for (const [call, args] of earlyCalls || []) call(...args);
    earlyCalls = undefined;
    callBack(onSuccess);
  }

  let depth = 0;
  // guard's work, done here, since logEvent runs in bursts of thousands.
  function command(name: keyof Commands, method: (...args: unknown[]) => Outcome) {
    const call = (...args: unknown[]) => {
      if (depth >= MAX_NESTED_CALLS) return log(name + ' ignored: nested');
      depth++;
      try {
        if (!started) {
          if (earlyCalls && earlyCalls.length < MAX_EARLY_CALLS) earlyCalls.push([call, args]);
        } else {
          // Calls keep their order: the events that logEvent noted go first (tracker.ts).
          if (name !== 'logEvent') tracker.fileLogged();
          if (method(...args) === IGNORED) log(name + ' ignored:', args[0]);
        }
      } catch (error) {
        log('error:', error);
      } finally {
        depth--;
      }
    };
    return call;
  }

  const sdk = { init: guard(log, init) } as unknown as Beckon;
  for (const [name, method] of Object.entries(tracker.commands)) {
    sdk[name as keyof Commands] = command(name as keyof Commands, method) as never;
  }
  for (const [name, query] of Object.entries(tracker.queries)) {
    sdk[name as keyof Queries] = guard(log, () => (tracker.fileLogged(), query())) as never;
  }

  return { sdk, subscribe: hub.subscribe };
}

/** The browser's request not to be tracked, when the site chose to honour it. */
function privacySignal(win: PrivacyGlobals, options: BeckonOptions): InitFailure | undefined {
  if (options.honorDNT === true && doNotTrack(win)) {
    return failure('do_not_track');
  }
  if (options.honorGPC === true && attempt(() => win.navigator.globalPrivacyControl) === true) {
    return failure('global_privacy_control');
  }
  return undefined;
}

type PrivacyGlobals = {
  navigator: { doNotTrack?: unknown; globalPrivacyControl?: unknown };
  doNotTrack?: unknown;
};

// The browsers that can run the SDK (ES2018) say "Do Not Track" as navigator.doNotTrack "1"
// (the standard; "yes" in old Firefox) or window.doNotTrack "1" (Safari before 12.1, Edge
// before 79). "0", "no", "unspecified" and null say nothing. Either may throw. Internet
// Explorer's forms (navigator.msDoNotTrack, tracking protection lists) are not read: IE
// cannot run the SDK.
function doNotTrack(globals: PrivacyGlobals): boolean {
  const values = [attempt(() => globals.navigator.doNotTrack), attempt(() => globals.doNotTrack)];
  return values.some((value) => /^(1|yes)$/i.test(String(value)));
}
