// The nudges plugin: fetches the campaigns this device is eligible for, watches their trigger
// moments, decides their history conditions and caps, draws one nudge at a time, and records
// the campaign events of docs/campaigns.md. The server decides who is eligible; this decides
// when, and whether caps allow it.
//
// Nothing here may throw into the page: every entry point (start, listeners, timers, the
// nudge's buttons) runs guarded, and a failure is reported in debug only.
import { evaluate, type Condition, type ConditionEvent } from '../conditions';
import type { LoggedEvent } from '../event-hub';
import type { PluginHost } from '../types';
import type { Button, Campaign, Content, NudgesConfig } from './campaign';
import { createCapStore, type CapStore, type NotShownReason } from './caps';
import { createConfigClient } from './config-client';
import { readCondition } from './read-condition';
import { fillText, fillUrl, type Lookup } from './placeholders';
import { draw, type Drawn } from './render';
import { watchMoment, type TriggerContext } from './triggers';

/** Options of createNudges. */
export interface NudgesOptions {
  /** The Beckon server, such as "https://beckon.example.com". Default: the page's origin. */
  endpoint?: string;
  /** A CSP nonce for the <style> elements used where constructable style sheets are missing. */
  nonce?: string;
  /** Logs what the plugin does to the console, each line prefixed "[Beckon nudges]". */
  debug?: boolean;
}

/** The plugin object that options.deps carries; its name is "nudges". */
export interface NudgesPlugin {
  name: 'nudges';
  start(host: PluginHost): void;
}

// Events logged on this page that trigger conditions may count; the oldest go beyond it.
const MAX_PAGE_EVENTS = 500;

export function createNudges(options: NudgesOptions = {}): NudgesPlugin {
  return {
    name: 'nudges',
    start(host) {
      try {
        startNudges(host, options);
      } catch (error) {
        debugLog(options)('did not start', error);
      }
    },
  };
}

interface Armed {
  campaign: Campaign;
  condition?: Condition;
  stops: Array<() => void>;
}

interface OnScreen {
  campaign: Campaign;
  drawn: Drawn;
  step: number;
}

function startNudges(host: PluginHost, options: NudgesOptions) {
  const win = window;
  const doc = win.document;
  const siteId = host.getSiteId();
  if (!siteId || host.isOptedOut()) return;
  const endpoint = (options.endpoint || win.location.origin).replace(/\/+$/, '');
  const storage = localStorageOf(win);
  const prefix = 'beckon:' + siteId + ':';
  const caps: CapStore = createCapStore(storage, prefix + 'nudges', () => Date.now());
  const log = debugLog(options);

  let config: NudgesConfig = { campaigns: [] };
  let armed: Armed[] = [];
  let onScreen: OnScreen | undefined;
  let pending: Array<{ armed: Armed; event?: LoggedEvent }> = [];
  let pagePath = currentPath();
  const pageEvents: ConditionEvent[] = [];
  const eventListeners = new Set<(event: LoggedEvent) => void>();
  const pageListeners = new Set<(path: string) => void>();
  const properties = rememberedProperties(storage, prefix, host);

  const guarded =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A) => {
      try {
        action(...args);
      } catch (error) {
        log('error ignored', error);
      }
    };

  function currentPath(): string {
    return win.location.pathname;
  }

  // Every event logged on the page: kept for conditions, handed to triggers, checked for goals.
  host.subscribe(
    guarded((event: LoggedEvent) => {
      if (event.name.indexOf('$campaign_') === 0) return;
      properties.heard(event);
      pageEvents.push({ name: event.name, time: event.clientTimeMs, properties: event.properties });
      if (pageEvents.length > MAX_PAGE_EVENTS) pageEvents.shift();
      if (event.name === '$page_view') changePage(String(event.properties.path || currentPath()));
      eventListeners.forEach((listener) => listener(event));
      checkGoals(event);
    }),
  );
  const onNavigation = guarded(() => changePage(currentPath()));
  win.addEventListener('popstate', onNavigation);
  win.addEventListener('hashchange', onNavigation);

  function changePage(path: string) {
    if (path === pagePath) return;
    pagePath = path;
    pageListeners.forEach((listener) => listener(path));
    // Moments other than page views count per page.
    for (const each of armed) {
      if (each.campaign.trigger.on.kind === 'pageView') continue;
      each.stops.forEach((stop) => stop());
      each.stops = [];
      arm(each, false);
    }
  }

  const context: TriggerContext = {
    path: () => pagePath,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onPage(listener) {
      pageListeners.add(listener);
      listener(pagePath);
      return () => pageListeners.delete(listener);
    },
    matches: (event, name, where) =>
      event.name === name && (!where || !where.length || passesFilters(event, where)),
    setTimer: (callback, delayMs) => win.setTimeout(guarded(callback), delayMs),
    clearTimer: (handle) => win.clearTimeout(handle as number),
    document: doc,
  };

  // Filters are the condition language's: decided as "did it once" over the one event.
  const filterCache = new Map<unknown[], Condition | null>();
  function passesFilters(event: LoggedEvent, where: unknown[]): boolean {
    if (!filterCache.has(where))
      filterCache.set(where, parseOrNull({ did: { event: 'this', where } }));
    const condition = filterCache.get(where);
    return (
      !!condition &&
      evaluate(condition, [{ name: 'this', time: 0, properties: event.properties }], 1)
    );
  }

  function parseOrNull(json: unknown): Condition | null {
    try {
      return readCondition(json as Record<string, unknown>);
    } catch (error) {
      log('campaign condition ignored', error);
      return null;
    }
  }

  // The campaigns of a new config replace the old ones; one already on screen stays.
  function configure(next: NudgesConfig) {
    config = next;
    armed.forEach((each) => each.stops.forEach((stop) => stop()));
    armed = [];
    for (const campaign of next.campaigns) {
      if (!campaign || typeof campaign.id !== 'string' || !campaign.trigger || !campaign.content)
        continue;
      const condition = campaign.trigger.condition
        ? parseOrNull(campaign.trigger.condition)
        : undefined;
      if (condition === null) continue;
      const each: Armed = { campaign, condition, stops: [] };
      armed.push(each);
      arm(each, true);
    }
  }

  // A page change re-arms the moments that count per page, which page views do not.
  function arm(each: Armed, newDocument: boolean) {
    const moment = each.campaign.trigger.on;
    if (!moment || (!newDocument && moment.kind === 'pageView')) return;
    each.stops.push(
      watchMoment(
        moment,
        context,
        guarded((event?: LoggedEvent) => due(each, event)),
      ),
    );
  }

  // Campaigns due in the same task compete: the highest priority (the config's order) is drawn.
  function due(each: Armed, event?: LoggedEvent) {
    if (!conditionHolds(each)) return;
    record('$campaign_triggered', each.campaign);
    if (!pending.length) Promise.resolve().then(guarded(decide));
    pending.push({ armed: each, event });
  }

  function conditionHolds(each: Armed): boolean {
    if (!each.condition) return true;
    const history = each.campaign.history || {};
    const asOfMs = history.asOf ? Date.parse(history.asOf) : 0;
    const recent = pageEvents.filter((event) => (event.time as number) > (asOfMs || 0));
    const events = ((history.events || []) as ConditionEvent[]).concat(recent);
    return evaluate(each.condition, events, Date.now());
  }

  function decide() {
    const competing = pending.sort((a, b) => armed.indexOf(a.armed) - armed.indexOf(b.armed));
    pending = [];
    for (const { armed: each, event } of competing) {
      const reason = onScreen ? 'other_on_screen' : show(each.campaign, event);
      if (reason) record('$campaign_not_shown', each.campaign, { reason });
    }
  }

  // Draws the campaign, or says why not.
  function show(campaign: Campaign, event?: LoggedEvent): NotShownReason | undefined {
    const sessionId = host.getSessionId();
    const reason = caps.check(
      campaign.id,
      campaign.caps || {},
      Number(config.minGapSeconds) || 0,
      sessionId,
    );
    if (reason) return reason;
    if (campaign.variant === 'control') {
      caps.shown(campaign.id, sessionId);
      record('$campaign_held', campaign);
      return undefined;
    }
    const lookup = placeholderLookup(event);
    const steps = stepsOf(campaign.content);
    const drawn = draw({
      doc,
      content: steps[0],
      fill: {
        text: (template) => fillText(template, lookup),
        url: (template) => fillUrl(template, lookup),
      },
      nonce: options.nonce,
      onButton: guarded((button: Button, index: number) => pressed(button, index)),
      onClose: guarded(() => dismiss(-1, 'close')),
      onAnchor: guarded(
        (present: boolean) =>
          present || record('$campaign_not_shown', campaign, { reason: 'anchor_missing' }),
      ),
    });
    if (!drawn) return 'anchor_missing';
    onScreen = { campaign, drawn, step: 0 };
    caps.shown(campaign.id, sessionId);
    record('$campaign_shown', campaign);
    return undefined;
  }

  function pressed(button: Button, index: number) {
    if (!onScreen) return;
    const { campaign } = onScreen;
    if (button.action === 'dismiss') return dismiss(index, 'dismiss');
    record('$campaign_clicked', campaign, { button: index, action: button.action });
    const steps = stepsOf(campaign.content);
    if (button.action === 'next' && onScreen.step + 1 < steps.length) {
      onScreen.drawn.showStep(steps[++onScreen.step]);
      return;
    }
    close();
    if (button.action === 'url') {
      const url = fillUrl(button.url, placeholderLookup());
      if (url) host.redirect(url);
    } else if (button.action === 'event' && typeof button.event === 'string') {
      host.logEvent(button.event, { campaignId: campaign.id });
    }
  }

  function dismiss(index: number, action: string) {
    if (!onScreen) return;
    const { campaign } = onScreen;
    close();
    caps.markDismissed(campaign.id);
    record('$campaign_dismissed', campaign, index >= 0 ? { button: index, action } : { action });
  }

  function close() {
    if (onScreen) onScreen.drawn.close();
    onScreen = undefined;
  }

  // A goal event within the window after the campaign was last shown counts once.
  function checkGoals(event: LoggedEvent) {
    for (const campaign of config.campaigns || []) {
      const goal = campaign && campaign.goal;
      if (!goal || goal.event !== event.name || !context.matches(event, goal.event, goal.where))
        continue;
      const shownMs = caps.lastShownMs(campaign.id);
      const windowMs = (Number(goal.windowHours) || 24) * 3_600_000;
      const reachedMs = caps.goalReachedMs(campaign.id);
      const since = event.clientTimeMs - (shownMs === undefined ? NaN : shownMs);
      if (
        !(since >= 0 && since <= windowMs) ||
        (reachedMs !== undefined && reachedMs >= (shownMs as number))
      ) {
        continue;
      }
      caps.goalReached(campaign.id);
      record('$campaign_goal', campaign, { goal: goal.event });
    }
  }

  function placeholderLookup(event?: LoggedEvent): Lookup {
    return (name) => {
      const value = properties.lookup(name);
      if (value !== undefined) return value;
      if (event && Object.prototype.hasOwnProperty.call(event.properties, name))
        return event.properties[name];
      if (name === 'userId') return storedUserId();
      if (name === 'deviceId') return host.getClientId();
      return undefined;
    };
  }

  // The SDK keeps the custom user id under this key (sdk/web/README.md, storage).
  function storedUserId(): string | undefined {
    try {
      return (storage && storage.getItem(prefix + 'user')) || undefined;
    } catch {
      return undefined;
    }
  }

  function record(name: string, campaign: Campaign, extra: Record<string, unknown> = {}) {
    const fields = {
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      variant: campaign.variant || 'test',
    };
    host.logEvent(name, Object.assign(fields, extra), false, true);
  }

  const client = createConfigClient({
    url: () => {
      const userId = storedUserId();
      return (
        endpoint +
        '/config/' +
        encodeURIComponent(siteId) +
        '?deviceId=' +
        encodeURIComponent(host.getClientId() || '') +
        (userId ? '&userId=' + encodeURIComponent(userId) : '')
      );
    },
    fetch: (url, init) => win.fetch(url, init),
    setTimer: context.setTimer,
    clearTimer: context.clearTimer,
    nowMs: () => Date.now(),
    isVisible: () => doc.visibilityState !== 'hidden',
    onConfig: guarded(configure),
    log,
  });
  doc.addEventListener(
    'visibilitychange',
    guarded(() => doc.visibilityState === 'visible' && client.visible()),
  );
  // The SDK replays the calls made before init right after starting the plugins: the user id
  // they may set goes with the first request.
  win.setTimeout(guarded(client.refresh), 0);
}

/** Steps of the content: content.steps when it lists any, else the content itself. */
function stepsOf(content: Content): Content[] {
  const steps = Array.isArray(content.steps) ? content.steps.filter(Boolean) : [];
  return steps.length
    ? steps.map((step) => Object.assign({ layout: content.layout }, step))
    : [content];
}

/**
 * User properties (kept in localStorage, so that a later page can use them) and the session's
 * properties (for the session that set them), learnt from the events that set them.
 */
function rememberedProperties(storage: Storage | null, prefix: string, host: PluginHost) {
  const userKey = prefix + 'nudges:user';
  const sessionKey = prefix + 'nudges:session';
  const read = (key: string) => {
    try {
      return JSON.parse((storage && storage.getItem(key)) || '{}') || {};
    } catch {
      return {};
    }
  };
  const write = (key: string, value: object) => {
    try {
      if (storage) storage.setItem(key, JSON.stringify(value));
    } catch {
      // Memory keeps them for this page.
    }
  };
  let user: Record<string, unknown> = read(userKey);
  let session: { id?: string; p?: Record<string, unknown> } = read(sessionKey);
  return {
    heard(event: LoggedEvent) {
      if (event.name === '$user_properties') {
        user = Object.assign(read(userKey), event.properties);
        write(userKey, user);
      } else if (event.name === '$session_properties') {
        const id = host.getSessionId() || '';
        const stored = read(sessionKey);
        session = {
          id,
          p: Object.assign(stored.id === id ? stored.p || {} : {}, event.properties),
        };
        write(sessionKey, session);
      }
    },
    lookup(name: string): unknown {
      if (Object.prototype.hasOwnProperty.call(user, name)) return user[name];
      const sessionProperties = session.id === host.getSessionId() ? session.p || {} : {};
      return Object.prototype.hasOwnProperty.call(sessionProperties, name)
        ? sessionProperties[name]
        : undefined;
    },
  };
}

function localStorageOf(win: Window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}

// Silent unless options.debug is on, as the SDK is.
function debugLog(options: NudgesOptions) {
  return (message: string, ...details: unknown[]) => {
    try {
      if (options.debug) console.log('[Beckon nudges] ' + message, ...details);
    } catch {
      // A console that throws must not reach the page.
    }
  };
}
