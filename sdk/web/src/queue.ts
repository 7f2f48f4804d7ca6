import type { SafeStorage } from './storage';
import { utf8Bytes } from './properties';
import { jsonWithRawField } from './raw-json';

/**
 * The events of this page that the server has not acknowledged yet, oldest first.
 *
 * The queue lives in memory and is mirrored, after each change, to a localStorage record of
 * its own page: `beckon:{siteId}:queue:{pageId}`. Records are per page because tabs writing
 * one shared record would overwrite each other's events. A page that loads adopts the
 * records of pages that have closed (they say so at `pagehide`) or have not written for
 * ORPHAN_AFTER_MS (a crashed tab), and sends their events again.
 *
 * Failure semantics:
 * - An event leaves the queue only when the server has answered for it (accepted, duplicate
 *   or rejected), or has refused its whole batch for good (see delivery.ts).
 * - Over `maxQueueEvents` events or `maxQueueBytes` of JSON, the oldest events are dropped,
 *   whatever their state, and counted; the count goes out in a batch's `dropped` field and
 *   is forgotten once that batch is answered.
 * - Adopting the record of a tab that is in fact still open makes both tabs send the same
 *   events; the server stores them once, being idempotent on event ids.
 * - When storage fails, the queue lives in memory only and goes with the page.
 */
export interface EventQueue {
  /** Appends an event, dropping the oldest ones when over the limits. */
  add(id: string, json: string): QueuedEvent;
  size(): number;
  /** The oldest waiting events, at most maxEvents of them and maxBytes of JSON together. */
  waiting(maxEvents: number, maxBytes: number): QueuedEvent[];
  mark(events: QueuedEvent[], state: DeliveryState): void;
  /** Marks every event in one state with another. */
  markAll(from: DeliveryState, to: DeliveryState): void;
  /** Removes events once answered for; events already dropped are skipped. */
  remove(events: QueuedEvent[]): void;
  /** How many events were dropped and not yet reported to the server. */
  droppedCount(): number;
  /** Forgets count dropped events, once a batch that reported them has been answered. */
  forgetDropped(count: number): void;
  /** Takes over the events of closed or silent pages; returns how many. */
  adoptOrphans(): number;
  /** Writes the record now if anything changed; closed tells pages that load to adopt it. */
  save(closed: boolean): void;
  /** Empties this queue and deletes every page's record. */
  clear(): void;
}

/** waiting: to be sent; sending: in a request now; beaconed: sent, answer unknowable. */
export type DeliveryState = 'waiting' | 'sending' | 'beaconed';

export interface QueuedEvent {
  id: string;
  json: string;
  /** Size of json as UTF-8. */
  bytes: number;
  state: DeliveryState;
}

export interface QueueConfig {
  storage: SafeStorage;
  /** Common to the records of all pages of the site. */
  recordPrefix: string;
  pageId: string;
  maxEvents: number;
  maxBytes: number;
  nowMs(): number;
  /** Called after each change, to have save() run soon. */
  onChange(): void;
}

// A page that has not written its record for this long is taken for gone.
const ORPHAN_AFTER_MS = 60_000;

interface StoredRecord {
  savedAtMs: number;
  closed: boolean;
  dropped: number;
  events: Array<{ id?: unknown }>;
}

export function createEventQueue(config: QueueConfig): EventQueue {
  const { storage, recordPrefix, nowMs, onChange } = config;
  const recordKey = recordPrefix + config.pageId;
  let events: QueuedEvent[] = [];
  let totalBytes = 0;
  let dropped = 0;
  let changed = false;
  let savedClosed = false;

  function changedNow() {
    changed = true;
    onChange();
  }

  function push(id: string, json: string): QueuedEvent {
    const event: QueuedEvent = { id, json, bytes: utf8Bytes(json), state: 'waiting' };
    events.push(event);
    totalBytes += event.bytes;
    return event;
  }

  function enforceLimits() {
    while (events.length > config.maxEvents || (totalBytes > config.maxBytes && events.length)) {
      totalBytes -= (events.shift() as QueuedEvent).bytes;
      dropped++;
    }
  }

  function adoptRecord(key: string): number {
    const record = parseRecord(storage.get(key));
    const silentForMs = record ? nowMs() - record.savedAtMs : Infinity;
    if (record && !record.closed && silentForMs < ORPHAN_AFTER_MS) return 0;
    storage.remove(key);
    if (!record) return 0;
    dropped += Number(record.dropped) || 0;
    let count = 0;
    for (const event of record.events) {
      if (event && typeof event.id === 'string') {
        push(event.id, JSON.stringify(event));
        count++;
      }
    }
    return count;
  }

  return {
    add(id, json) {
      const event = push(id, json);
      enforceLimits();
      changedNow();
      return event;
    },

    size: () => events.length,

    waiting(maxEvents, maxBytes) {
      const batch: QueuedEvent[] = [];
      let bytes = 0;
      for (const event of events) {
        if (batch.length === maxEvents) break;
        if (event.state !== 'waiting') continue;
        if (bytes + event.bytes + 1 > maxBytes) break;
        batch.push(event);
        bytes += event.bytes + 1;
      }
      return batch;
    },

    mark(batch, state) {
      for (const event of batch) event.state = state;
    },

    markAll(from, to) {
      for (const event of events) if (event.state === from) event.state = to;
    },

    remove(batch) {
      const answered = new Set(batch);
      events = events.filter((event) => !answered.has(event));
      totalBytes = events.reduce((sum, event) => sum + event.bytes, 0);
      changedNow();
    },

    droppedCount: () => dropped,

    forgetDropped(count) {
      dropped = Math.max(0, dropped - count);
      changedNow();
    },

    adoptOrphans() {
      let count = 0;
      for (const key of storage.keysStartingWith(recordPrefix)) {
        if (key !== recordKey) count += adoptRecord(key);
      }
      enforceLimits();
      if (count) changedNow();
      return count;
    },

    save(closed) {
      if (!changed && closed === savedClosed) return;
      changed = false;
      savedClosed = closed;
      if (!events.length && !dropped) return storage.remove(recordKey);
      const eventsJson = '[' + events.map((event) => event.json).join(',') + ']';
      const record = { savedAtMs: nowMs(), closed, dropped };
      storage.set(recordKey, jsonWithRawField(record, 'events', eventsJson));
    },

    clear() {
      events = [];
      totalBytes = 0;
      dropped = 0;
      for (const key of storage.keysStartingWith(recordPrefix)) storage.remove(key);
      changed = false;
    },
  };
}

function parseRecord(text: string | null): StoredRecord | null {
  try {
    const record = text ? JSON.parse(text) : null;
    const valid = record && typeof record.savedAtMs === 'number' && Array.isArray(record.events);
    return valid ? record : null;
  } catch {
    return null;
  }
}
