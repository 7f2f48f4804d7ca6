import { attempt } from './attempt';
import type { DebugLog } from './debug-log';

/**
 * localStorage that never throws.
 *
 * Every value is also kept in memory. Failure semantics: the first time localStorage fails
 * (blocked by the browser's privacy settings, disabled, throwing on access), the SDK goes on
 * from memory for the rest of the page. What it keeps is then lost when the page goes, and
 * no longer shared with other tabs; values stored before stay as they were. A write refused
 * because storage is full fails alone: set() says so, and later writes are tried again.
 *
 * While held (consent pending), nothing is written: values live in memory until release().
 */
export interface SafeStorage {
  /** The value, or null when there is none. */
  get(key: string): string | null;
  /** Whether localStorage took the value; memory always does. */
  set(key: string, value: string): boolean;
  remove(key: string): void;
  /** The keys that start with prefix, in no particular order. */
  keysStartingWith(prefix: string): string[];
  /** Writes what memory holds to localStorage, and every later change. */
  release(): void;
}

export function createSafeStorage(win: Window, log: DebugLog, held: boolean): SafeStorage {
  const memory = new Map<string, string>();
  let local: Storage | null | undefined;

  // The result of action on localStorage, or undefined once localStorage has failed.
  function withStorage<T>(action: (storage: Storage) => T): T | undefined {
    try {
      if (local === undefined) local = win.localStorage;
      if (local) return action(local);
    } catch (error) {
      log('storage failed', error);
      local = null;
    }
    return undefined;
  }

  // Keys whose last write storage refused: memory holds their value, not storage.
  const refused = new Set<string>();

  function write(key: string, value: string): boolean {
    // A full storage refuses this write only: it stays in use for the others.
    const written = !held && withStorage((storage) => setItem(storage, key, value)) === true;
    if (written) refused.delete(key);
    else refused.add(key);
    return written;
  }

  return {
    get(key) {
      // What storage refused, memory holds.
      const value = refused.has(key) ? undefined : withStorage((storage) => storage.getItem(key));
      if (value === undefined) return memory.has(key) ? (memory.get(key) as string) : null;
      if (value === null) memory.delete(key);
      else memory.set(key, value);
      return value;
    },

    set(key, value) {
      memory.set(key, value);
      return write(key, value);
    },

    remove(key) {
      memory.delete(key);
      refused.delete(key);
      if (!held) withStorage((storage) => storage.removeItem(key));
    },

    keysStartingWith(prefix) {
      const keys = withStorage((storage) =>
        Array.from({ length: storage.length }, (_, i) => storage.key(i) as string),
      );
      // Memory holds keys that storage refused or that wait for release.
      const candidates = (keys || []).concat(Array.from(refused));
      return candidates.filter((key) => key.indexOf(prefix) === 0);
    },

    release() {
      held = false;
      refused.forEach((key) => write(key, memory.get(key) as string));
    },
  };
}

// true when storage took the value; setItem throws when storage is full.
function setItem(storage: Storage, key: string, value: string): true | undefined {
  return attempt(() => {
    storage.setItem(key, value);
    return true as const;
  });
}
