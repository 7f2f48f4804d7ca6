// The nudges plugin: fetches the campaigns this device is eligible for, watches their trigger
// moments, decides their history conditions and caps, draws one nudge at a time, and records
// the campaign events of docs/campaigns.md. The server decides who is eligible; this decides
// when, and whether caps allow it.
//
// Nothing here may throw into the page: every entry point (start, listeners, timers, the
// nudge's buttons) runs guarded, and a failure is reported in debug only.
import { attempt } from '../attempt';
import type { Condition } from '../conditions';
import type { Seen } from '../conditions/evaluate';
import { evaluateInZone } from '../conditions/evaluate';
import { utcZone } from '../conditions/time';
import { hasOwn, passes } from '../conditions/values';
import type { LoggedEvent } from '../event-hub';
import type { PluginHost } from '../types';
import type { Button, Campaign, Content, NudgesConfig } from './campaign';
import { createCapStore, type NotShownReason } from './caps';
import { createConfigClient } from './config-client';
import type { KindsHost } from './kinds';
import { safeUrl } from './markup';
import { fillUrl, type Lookup } from './placeholders';
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
const HOUR_MS = 3_600_000;

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
  stop?: () => void;
}

function startNudges(host: PluginHost, options: NudgesOptions) {
  const win = window;
  const doc = win.document;
  const siteId = host.getSiteId();
  if (!siteId || host.isOptedOut()) return;
  const endpoint = (options.endpoint || win.location.origin).replace(/\/+$/, '');
  const storage = attempt(() => win.localStorage) || null;
  const prefix = 'beckon:' + siteId + ':';
  const caps = createCapStore(storage, prefix + 'nudges', Date.now);
  const log = debugLog(options);
  const guarded =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A) => {
      try {
        action(...args);
      } catch (error) {
        log('error ignored', error);
      }
    };

  let config: NudgesConfig = { campaigns: [] };
  let armed: Armed[] = [];
  let onScreen: { campaign: Campaign; drawn: Drawn; step: number } | undefined;
  let pending: Array<[Armed, LoggedEvent?]> = [];
  let pagePath = win.location.pathname;
  const pageEvents: Seen[] = [];
  // This page's events from before the first config: its triggers hear them when it arrives, so
  // that an event logged at page load (a product view) still counts while the config is on its way.
  let early: LoggedEvent[] | undefined = [];
  const eventListeners = new Set<(event: LoggedEvent) => void>();
  const pageListeners = new Set<(path: string) => void>();
  const remembered = rememberedProperties(storage, prefix + 'nudges:properties', host);
  // Other kinds of campaign (surveys) are drawn by the plugins that register them (kinds.ts).
  const kinds = ((host as KindsHost).kinds = (host as KindsHost).kinds || {});
  const kindOf = (campaign: Campaign) =>
    hasOwn(kinds, campaign.kind as string) ? kinds[campaign.kind as string] : undefined;

  // Every event logged on the page: kept for conditions, handed to triggers, checked for goals.
  host.subscribe(
    guarded((event: LoggedEvent) => {
      const { name, properties } = event;
      if (name.indexOf('$campaign_') === 0) return;
      remembered.heard(event);
      pageEvents.push({ name, time: event.clientTimeMs, properties });
      if (pageEvents.length > MAX_PAGE_EVENTS) pageEvents.shift();
      if (name === '$page_view') changePage(String(properties.path || win.location.pathname));
      if (early && early.push(event) > MAX_PAGE_EVENTS) early.shift();
      eventListeners.forEach((listener) => listener(event));
      checkGoals(event);
    }),
  );
  const onNavigation = guarded(() => changePage(win.location.pathname));
  win.addEventListener('popstate', onNavigation);
  win.addEventListener('hashchange', onNavigation);

  // Moments other than page views count per page: a new page arms them afresh.
  function changePage(path: string) {
    if (path === pagePath) return;
    pagePath = path;
    if (early) early = [];
    pageListeners.forEach((listener) => listener(path));
    armed.forEach((each) => each.campaign.trigger.on.kind !== 'pageView' && arm(each));
  }

  const listen = <T>(listeners: Set<T>, listener: T) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const context: TriggerContext = {
    pagePath: () => pagePath,
    onEvent: (listener) => listen(eventListeners, listener),
    onPage(listener) {
      listener(pagePath);
      return listen(pageListeners, listener);
    },
    // Filters are the condition language's; one that cannot be read matches nothing.
    matches: (event, name, where) =>
      event.name === name &&
      !!attempt(() => (where || []).every((filter) => passes(filter as object, event.properties))),
    setTimer: (callback, delayMs) => win.setTimeout(guarded(callback), delayMs),
    clearTimer: (handle) => win.clearTimeout(handle as number),
    doc,
  };

  // The campaigns of a new config replace the old ones; one already on screen stays. A campaign
  // without a trigger or content is left out; one whose condition cannot be read is never due
  // (evaluateInZone throws, and debug says so when its trigger fires).
  function configure(next: NudgesConfig) {
    config = next;
    armed.forEach((each) => (each.stop as () => void)());
    armed = [];
    for (const campaign of next.campaigns) {
      if (
        attempt(
          () =>
            campaign.trigger.on.kind &&
            campaign.content.layout &&
            (!campaign.kind || campaign.kind === 'nudge' || kindOf(campaign)),
        )
      ) {
        arm({ campaign }, armed);
      } else log('campaign left out', campaign && campaign.id);
    }
    const heard = early || [];
    early = undefined;
    heard.forEach((event) => eventListeners.forEach((listener) => listener(event)));
  }

  function arm(each: Armed, into?: Armed[]) {
    if (each.stop) each.stop();
    each.stop = watchMoment(
      each.campaign.trigger.on,
      context,
      guarded((event) => due(each, event)),
    );
    if (into) into.push(each);
  }

  // Campaigns due in the same task compete: the highest priority (the config's order) is drawn.
  function due(each: Armed, event?: LoggedEvent) {
    if (!conditionHolds(each)) return;
    record('$campaign_triggered', each.campaign);
    if (!pending.length) Promise.resolve().then(guarded(decide));
    pending.push([each, event]);
  }

  function conditionHolds({ campaign }: Armed): boolean {
    const condition = campaign.trigger.condition as Condition | undefined;
    if (!condition) return true;
    const history = campaign.history || {};
    // Without asOf (NaN), every event of the page counts.
    const asOfMs = Date.parse(history.asOf as string) || 0;
    // The server's times are ISO-8601 texts; the page's, epoch milliseconds. The server always
    // sends properties, as an object (docs/campaigns.md).
    const events = (history.events || [])
      .map((event) => ({ ...event, time: Date.parse(event.time) }))
      .concat(pageEvents.filter((event) => event.time > asOfMs));
    return evaluateInZone(condition, events, Date.now(), utcZone);
  }

  function decide() {
    const competing = pending.sort(([a], [b]) => armed.indexOf(a) - armed.indexOf(b));
    pending = [];
    for (const [each, event] of competing) {
      const reason = onScreen ? 'other_on_screen' : show(each.campaign, event);
      if (reason) record('$campaign_not_shown', each.campaign, { reason });
    }
  }

  // Draws the campaign, or says why not.
  function show(campaign: Campaign, event?: LoggedEvent): NotShownReason | undefined {
    const sessionId = host.getSessionId();
    const kind = kindOf(campaign);
    const reason =
      caps.check(campaign.id, campaign.caps || {}, config, sessionId) ||
      (kind && (kind.refuse(campaign, config) as NotShownReason));
    if (reason) return reason;
    if (campaign.variant === 'control' || config.holdout === true) {
      caps.shown(campaign.id, sessionId);
      return record('$campaign_held', campaign);
    }
    const lookup = placeholders(event);
    const onClose = guarded(() => dismiss({ action: 'close' }));
    const drawn = kind
      ? kind.draw(campaign, lookup, onClose, guarded(close))
      : draw({
          doc,
          content: stepsOf(campaign.content)[0],
          lookup,
          nonce: options.nonce,
          onButton: guarded(pressed),
          onClose,
          onAnchor: guarded(
            (present) =>
              present || record('$campaign_not_shown', campaign, { reason: 'anchor_missing' }),
          ),
        });
    if (!drawn) return 'anchor_missing';
    onScreen = { campaign, drawn, step: 0 };
    caps.shown(campaign.id, sessionId);
    return record('$campaign_shown', campaign);
  }

  function pressed(button: Button, index: number) {
    if (!onScreen) return;
    const { campaign, drawn } = onScreen;
    const action = button.action;
    if (action === 'dismiss') return dismiss({ button: index, action });
    record('$campaign_clicked', campaign, { button: index, action });
    const steps = stepsOf(campaign.content);
    if (action === 'next' && onScreen.step + 1 < steps.length) {
      return drawn.showStep(steps[++onScreen.step]);
    }
    close();
    // Checked again here, as a link in the body is: the page's browser is the last line.
    const url = action === 'url' && safeUrl(fillUrl(button.url, placeholders()));
    if (url) host.redirect(url);
    if (action === 'event' && button.event)
      host.logEvent(button.event, { campaignId: campaign.id });
  }

  function dismiss(how: object) {
    if (!onScreen) return;
    const { campaign } = onScreen;
    close();
    caps.markDismissed(campaign.id);
    record('$campaign_dismissed', campaign, how);
  }

  function close() {
    if (onScreen) onScreen.drawn.close();
    onScreen = undefined;
  }

  // A goal event within the window after the campaign was last shown counts once per impression.
  function checkGoals(event: LoggedEvent) {
    for (const campaign of config.campaigns) {
      const goal = campaign.goal;
      if (
        goal &&
        context.matches(event, goal.event, goal.where) &&
        caps.countGoal(campaign.id, event.clientTimeMs, (Number(goal.windowHours) || 24) * HOUR_MS)
      ) {
        record('$campaign_goal', campaign, { goal: goal.event });
      }
    }
  }

  // User properties, then session properties, then the trigger event's, then the ids.
  function placeholders(event?: LoggedEvent): Lookup {
    return (name) => {
      const value = remembered.lookup(name);
      if (value !== undefined) return value;
      if (event && hasOwn(event.properties, name)) return event.properties[name];
      return name === 'userId' ? userId() : name === 'deviceId' ? host.getClientId() : undefined;
    };
  }

  // The SDK keeps the custom user id under this key (sdk/web/README.md, storage).
  const userId = () => attempt(() => (storage as Storage).getItem(prefix + 'user')) || undefined;

  function record(name: string, campaign: Campaign, extra?: object): undefined {
    const fields = {
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      variant: campaign.variant || 'test',
      ...extra,
    };
    host.logEvent(name, fields, false, true);
    return undefined;
  }

  const client = createConfigClient({
    url: () => {
      let query = '';
      for (const [name, value] of [
        ['deviceId', host.getClientId()],
        ['userId', userId()],
      ]) {
        if (value) query += (query ? '&' : '?') + name + '=' + encodeURIComponent(value);
      }
      return endpoint + '/config/' + encodeURIComponent(siteId) + query;
    },
    fetch: (url, init) => win.fetch(url, init),
    setTimer: context.setTimer,
    clearTimer: context.clearTimer,
    nowMs: Date.now,
    isVisible: () => doc.visibilityState !== 'hidden',
    onConfig: guarded(configure),
    log,
  });
  doc.addEventListener('visibilitychange', guarded(client.visible));
  // The SDK replays the calls made before init right after starting the plugins: the user id
  // they may set goes with the first request.
  win.setTimeout(guarded(client.refresh), 0);
}

/** Steps of the content: content.steps when it lists any, else the content itself. */
function stepsOf(content: Content): Content[] {
  const steps = (Array.isArray(content.steps) ? content.steps : []).map((step) =>
    Object.assign({ layout: content.layout }, step),
  );
  return steps.length ? steps : [content];
}

/**
 * User properties (kept in localStorage, so that a later page can use them) and the session's
 * properties (for the session that set them), learnt from the events that set them.
 */
function rememberedProperties(storage: Storage | null, key: string, host: PluginHost) {
  type Remembered = {
    user: Record<string, unknown>;
    session?: string | null;
    of: Record<string, unknown>;
  };
  let memory: Remembered = { user: {}, of: {} };
  const read = (): Remembered =>
    attempt(() => JSON.parse((storage as Storage).getItem(key) as string)) || memory;
  return {
    heard({ name, properties }: LoggedEvent) {
      const user = name === '$user_properties';
      if (!user && name !== '$session_properties') return;
      memory = read();
      const session = host.getSessionId();
      if (!user && memory.session !== session) memory = { user: memory.user, session, of: {} };
      Object.assign(user ? memory.user : memory.of, properties);
      attempt(() => (storage as Storage).setItem(key, JSON.stringify(memory)));
    },
    lookup(name: string): unknown {
      const { user, session, of } = read();
      if (hasOwn(user, name)) return user[name];
      return session === host.getSessionId() && hasOwn(of, name) ? of[name] : undefined;
    },
  };
}

// Silent unless options.debug is on, as the SDK is.
function debugLog(options: NudgesOptions) {
  return (message: string, ...details: unknown[]) =>
    options.debug && attempt(() => console.log('[Beckon nudges] ' + message, ...details));
}
