import { attempt } from './attempt';
import type { Environment } from './environment';
import type { Settings } from './options';
import type { SafeStorage } from './storage';
import { utf8Bytes } from './properties';

/**
 * The events of this page that the server has not acknowledged yet, oldest first.
 *
 * The queue lives in memory, bounded by `maxQueueEvents` and `maxQueueBytes` (characters of
 * JSON). Its oldest events, up to `maxStoredBytes`, are mirrored after each change to a
 * localStorage record of this page: `beckon:{siteId}:queue:{pageId}`. Records are per page
 * because tabs writing one shared record would overwrite each other's events. A page that
 * loads adopts the records of pages that have closed (they say so at `pagehide`) or have not
 * written for ORPHAN_AFTER_MS (a crashed tab), and sends their events again.
 *
 * Failure semantics:
 * - An event leaves the queue only when the server has answered for it (accepted, duplicate
 *   or rejected), or has refused its whole batch for good (see delivery.ts).
 * - Over `maxQueueEvents` events or `maxQueueBytes`, the oldest events are dropped, whatever
 *   their state, and counted; the count goes out in a batch's `dropped` field and is
 *   forgotten once that batch is answered.
 * - Events beyond `maxStoredBytes` live in memory only until older ones leave. A page that
 *   closes with such events unsent counts them as dropped in its record.
 * - When writing the record fails (storage full), it is deleted rather than left half
 *   written, so that the site's own storage keeps room, and the stored share is halved.
 * - Adopting the record of a tab that is in fact still open makes both tabs send the same
 *   events; the server stores them once, being idempotent on event ids.
 * - When storage fails, the queue lives in memory only and goes with the page.
 */
export interface EventQueue {
  /**
   * Appends an event, dropping the oldest ones when over the limits. id is for events whose
   * id is known ahead (session boundaries); the queue gives the others one.
   */
  add(
    name: string,
    shared: string,
    timeMs: number,
    propertiesJson: string,
    id?: string,
  ): QueuedEvent;
  size(): number;
  /**
   * The oldest waiting events, at most maxEvents of them and maxBytes of UTF-8 together.
   * unstoredFirst puts the events that only memory holds first, for a page being left.
   */
  waiting(maxEvents: number, maxBytes: number, unstoredFirst?: boolean): QueuedEvent[];
  mark(events: QueuedEvent[], state: DeliveryState): void;
  /** Marks every event in one state with another. */
  markAll(from: DeliveryState, to: DeliveryState): void;
  /** Removes events once answered for; events already dropped are skipped. */
  remove(events: QueuedEvent[]): void;
  /** Removes the events logged before timeMs, without counting them as dropped. */
  removeOlderThan(timeMs: number): void;
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
  /**
   * A batch for the server, sent now, reporting dropped events. The shared fields of the first
   * event go once, at the top, and each event whose shared fields differ carries its own.
   */
  batchJson(dropped: number, events: QueuedEvent[]): string;
}

/** WAITING: to be sent; SENDING: in a request now; BEACONED: sent, answer unknowable. */
export type DeliveryState = number;
export const WAITING = 0;
export const SENDING = 1;
export const BEACONED = 2;

/**
 * An event in the queue: what it takes to write its JSON later. Logging an event costs little
 * this way: the JSON is made when the event is first stored or sent.
 */
export interface QueuedEvent {
  id: string;
  name: string;
  /** The JSON fields that events share (device, user, session, version), without braces. */
  shared: string;
  timeMs: number;
  /** The properties, as JSON. */
  propertiesJson: string;
  /** The event's JSON without the shared fields, once made (see eventJson). */
  serialized: string;
  /** About the size of the JSON, in characters, for the queue's bounds. */
  chars: number;
  /** Size of the JSON as UTF-8, the shared fields included, once measured. */
  bytes: number;
  state: DeliveryState;
}

// The characters that eventJson adds to the parts.
const EVENT_JSON_CHARS = 70;

// Random characters that start this page's event ids: 96 bits, so that no two pages share
// them; the queue adds a number.
const EVENT_ID_PREFIX_CHARS = 16;

// A page that has not written its record for this long is taken for gone.
const ORPHAN_AFTER_MS = 60_000;

interface StoredRecord {
  savedAtMs: number;
  closed: boolean;
  dropped: number;
  events: Array<{ id?: unknown; clientTime?: unknown }>;
}

/**
 * recordPrefix starts the keys of the records of all pages ("beckon:{siteId}:queue:").
 * onChange is called after each change, to have save() run soon.
 */
export function createEventQueue(
  settings: Settings,
  storage: SafeStorage,
  recordPrefix: string,
  env: Environment,
  onChange: () => void,
): EventQueue {
  const { maxQueueEvents, maxQueueBytes } = settings;
  const nowMs = env.nowMs;
  const recordKey = recordPrefix + env.randomId();
  const eventIdPrefix = env.randomId().slice(0, EVENT_ID_PREFIX_CHARS);
  // Halved when storage is full (see save).
  let maxStoredChars = settings.maxStoredBytes;
  let events: QueuedEvent[] = [];
  let totalChars = 0;
  let dropped = 0;
  // How many of the oldest events the record held when last written.
  let storedCount = 0;
  let changed = false;
  let savedClosed = false;
  let eventCount = 0;

  // The event's JSON without its shared fields; made once.
  function eventJson(event: QueuedEvent): string {
    if (!event.serialized) {
      const fields = { id: event.id, name: event.name, clientTime: event.timeMs };
      event.serialized =
        JSON.stringify(fields).slice(0, -1) + ',"properties":' + event.propertiesJson + '}';
    }
    return event.serialized;
  }

  // The event's JSON with the shared fields, unless they are those of the batch. Events taken
  // over from other pages have theirs inside their JSON already.
  function jsonWithShared(event: QueuedEvent, batchShared?: string): string {
    const json = eventJson(event);
    return event.shared && event.shared !== batchShared
      ? '{' + event.shared + ',' + json.slice(1)
      : json;
  }

  // fields must hold a field.
  function jsonWithEvents(fields: object, events: QueuedEvent[], batchShared?: string): string {
    const eventsJson = events.map((event) => jsonWithShared(event, batchShared)).join(',');
    const head = JSON.stringify(fields).slice(0, -1);
    return head + (batchShared ? ',' + batchShared : '') + ',"events":[' + eventsJson + ']}';
  }

  function changedNow() {
    changed = true;
    onChange();
  }

  function push(event: QueuedEvent) {
    events.push(event);
    totalChars += event.chars;
  }

  function enforceLimits() {
    while (events.length > maxQueueEvents || (totalChars > maxQueueBytes && events.length)) {
      totalChars -= (events.shift() as QueuedEvent).chars;
      storedCount = Math.max(0, storedCount - 1);
      dropped++;
    }
  }

  function keep(kept: QueuedEvent[]) {
    events = kept;
    totalChars = 0;
    for (const event of events) totalChars += event.chars;
    storedCount = Math.min(storedCount, events.length);
    changedNow();
  }

  function adoptRecord(key: string): number {
    const record = parseRecord(storage.get(key));
    if (record && !record.closed && nowMs() - record.savedAtMs < ORPHAN_AFTER_MS) return 0;
    storage.remove(key);
    if (!record) return 0;
    dropped += Number(record.dropped) || 0;
    let count = 0;
    for (const event of record.events) {
      if (event && typeof event.id === 'string') {
        const serialized = JSON.stringify(event);
        const timeMs = Number(event.clientTime) || 0;
        const parts = { id: event.id, name: '', shared: '', propertiesJson: '', timeMs, bytes: 0 };
        push({ ...parts, serialized, chars: serialized.length, state: WAITING });
        count++;
      }
    }
    return count;
  }

  // The oldest events whose JSON, with a comma each, fits in maxStoredChars.
  function storedShare(): QueuedEvent[] {
    let chars = 0;
    const beyond = events.findIndex((event) => (chars += event.chars + 1) > maxStoredChars);
    return events.slice(0, beyond < 0 ? events.length : beyond);
  }

  function write(closed: boolean): boolean {
    const stored = storedShare();
    storedCount = stored.length;
    // A closing page loses what only memory holds, unless a beacon took it.
    const unstored = closed ? events.slice(storedCount) : [];
    const lost = unstored.filter((event) => event.state !== BEACONED).length;
    if (!stored.length && !dropped && !lost) {
      storage.remove(recordKey);
      return true;
    }
    const record = { savedAtMs: nowMs(), closed, dropped: dropped + lost };
    return storage.set(recordKey, jsonWithEvents(record, stored));
  }

  return {
    add(name, shared, timeMs, propertiesJson, id = eventIdPrefix + (eventCount++).toString(36)) {
      const chars = EVENT_JSON_CHARS + shared.length + propertiesJson.length;
      const event = {
        id,
        name,
        shared,
        timeMs,
        propertiesJson,
        serialized: '',
        chars,
        bytes: 0,
        state: WAITING,
      };
      push(event);
      enforceLimits();
      changedNow();
      return event;
    },

    size: () => events.length,

    waiting(maxEvents, maxBytes, unstoredFirst) {
      const batch: QueuedEvent[] = [];
      const order = unstoredFirst
        ? events.slice(storedCount).concat(events.slice(0, storedCount))
        : events;
      let bytes = 0;
      for (const event of order) {
        if (batch.length === maxEvents) break;
        if (event.state !== WAITING) continue;
        if (!event.bytes) event.bytes = utf8Bytes(jsonWithShared(event));
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
      keep(events.filter((event) => !answered.has(event)));
    },

    removeOlderThan(timeMs) {
      if (events.length && events[0].timeMs < timeMs) {
        keep(events.filter((event) => event.timeMs >= timeMs));
      }
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
      if (write(closed)) return;
      storage.remove(recordKey);
      maxStoredChars = Math.floor(maxStoredChars / 2);
      write(closed);
    },

    clear() {
      events = [];
      totalChars = 0;
      dropped = 0;
      storedCount = 0;
      for (const key of storage.keysStartingWith(recordPrefix)) storage.remove(key);
      changed = false;
    },

    batchJson(dropped, batch) {
      return jsonWithEvents({ sentAt: nowMs(), dropped }, batch, batch[0].shared);
    },
  };
}

function parseRecord(text: string | null): StoredRecord | null {
  const record = attempt(() => JSON.parse(text as string));
  const valid = record && typeof record.savedAtMs === 'number' && Array.isArray(record.events);
  return valid ? record : null;
}
