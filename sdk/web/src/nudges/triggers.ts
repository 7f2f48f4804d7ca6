// Trigger moments (docs/campaigns.md, trigger.on), decided in the browser from the events
// logged on the page, the page's path, timers and the page's elements; never from the network.
//
// A watcher lives for one page: the plugin stops it and starts a new one when the page changes
// (a single-page app's navigation), so occurrences, dwell and negative windows count per page.
// Page-view watchers are the exception: they live as long as the document, and count pages.
import { attempt } from '../attempt';
import type { LoggedEvent } from '../event-hub';
import { globMatches } from '../conditions/values';
import type { TriggerMoment } from './campaign';

/** What a watcher needs from the plugin. */
export interface TriggerContext {
  /** The path of the page now. */
  pagePath(): string;
  /** Listens to the events logged on the page; returns the function that stops it. */
  onEvent(listener: (event: LoggedEvent) => void): () => void;
  /** Listens to page changes, the current page first; returns the function that stops it. */
  onPage(listener: (path: string) => void): () => void;
  /** Whether the event is named name and its properties pass the filters in where. */
  matches(event: LoggedEvent, name: string, where: unknown[] | undefined): boolean;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  /** The page's document; element triggers do nothing without it. */
  doc?: Document;
}

/** The event that fired a trigger, when one did: its properties fill placeholders. */
export type Fire = (event?: LoggedEvent) => void;

/** Starts watching for the moment; fire is called at most once. Returns what stops it. */
export function watchMoment(
  moment: TriggerMoment,
  context: TriggerContext,
  fire: Fire,
): () => void {
  let stops: Array<() => void> = [];
  let done = false;
  const stop = () => {
    done = true;
    stops.forEach((each) => each());
    stops = [];
  };
  const fireOnce: Fire = (event) => {
    if (done) return;
    stop();
    fire(event);
  };
  const onPath = (pattern?: string, path = context.pagePath()) =>
    !pattern || globMatches(pattern, path);
  // Events and page views fire at the match that their occurrence field names.
  let seen = 0;
  const count = (wanted: unknown, event?: LoggedEvent) =>
    ++seen >= occurrence(wanted) && fireOnce(event);

  switch (moment.kind) {
    case 'event':
      stops.push(
        context.onEvent(
          (event) =>
            context.matches(event, moment.event, moment.where) && count(moment.occurrence, event),
        ),
      );
      break;
    case 'pageView':
      stops.push(context.onPage((path) => onPath(moment.path, path) && count(moment.occurrence)));
      break;
    case 'dwell':
    case 'without': {
      if (!onPath(moment.path)) break;
      const timer = context.setTimer(
        () => fireOnce(),
        Math.max(0, Number(moment.seconds) || 0) * 1000,
      );
      stops.push(() => context.clearTimer(timer));
      if (moment.kind === 'without') {
        stops.push(
          context.onEvent((event) => context.matches(event, moment.event, moment.where) && stop()),
        );
      }
      break;
    }
    case 'element':
      if (context.doc) stops.push(watchElements(context.doc, moment, fireOnce));
      break;
  }
  return stop;
}

function occurrence(n: unknown): number {
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

// Clicks are caught at the document, so elements added later count too; visibility is
// watched with an IntersectionObserver on every matching element, found again after each
// change of the page's elements.
function watchElements(
  doc: Document,
  moment: Extract<TriggerMoment, { kind: 'element' }>,
  fire: Fire,
): () => void {
  const selector = moment.selector;
  if (moment.action === 'click') {
    const onClick = (event: Event) => {
      const target = event.target as Element | null;
      if (target && attempt(() => target.closest(selector))) fire();
    };
    doc.addEventListener('click', onClick, true);
    return () => doc.removeEventListener('click', onClick, true);
  }

  const win = doc.defaultView as (Window & typeof globalThis) | null;
  if (!win || !win.IntersectionObserver || !win.MutationObserver) return () => undefined;
  const watched = new WeakSet<Element>();
  const visibility = new win.IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) fire();
  });
  const findNew = () => {
    // A selector the browser cannot read matches nothing.
    const found = attempt(() => Array.from(doc.querySelectorAll(selector))) || [];
    for (const element of found) {
      if (!watched.has(element)) {
        watched.add(element);
        visibility.observe(element);
      }
    }
  };
  const changes = new win.MutationObserver(findNew);
  changes.observe(doc.documentElement, { childList: true, subtree: true, attributes: true });
  findNew();
  return () => {
    changes.disconnect();
    visibility.disconnect();
  };
}
