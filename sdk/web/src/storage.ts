import type { DebugLog } from './debug-log';

/**
 * localStorage that never throws.
 *
 * Every value is also kept in memory. Failure semantics: the first time localStorage fails
 * (blocked by the browser's privacy settings, disabled, quota exceeded), the SDK goes on
 * from memory for the rest of the page. What it keeps is then lost when the page goes, and
 * no longer shared with other tabs; values stored before stay as they were.
 */
export interface SafeStorage {
  /** The value, or null when there is none. */
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** The keys that start with prefix, in no particular order. */
  keysStartingWith(prefix: string): string[];
}

export function createSafeStorage(win: Window, log: DebugLog): SafeStorage {
  const memory = new Map<string, string>();
  let local: Storage | null | undefined;

  // The result of action on localStorage, or undefined once localStorage has failed.
  function attempt<T>(action: (storage: Storage) => T): T | undefined {
    try {
      if (local === undefined) local = win.localStorage;
      if (local) return action(local);
    } catch (error) {
      log('localStorage failed; using memory', error);
      local = null;
    }
    return undefined;
  }

  return {
    get(key) {
      const value = attempt((storage) => storage.getItem(key));
      if (value === undefined) return memory.has(key) ? (memory.get(key) as string) : null;
      if (value === null) memory.delete(key);
      else memory.set(key, value);
      return value;
    },

    set(key, value) {
      memory.set(key, value);
      attempt((storage) => storage.setItem(key, value));
    },

    remove(key) {
      memory.delete(key);
      attempt((storage) => storage.removeItem(key));
    },

    keysStartingWith(prefix) {
      const keys = attempt((storage) => {
        const found: string[] = [];
        for (let i = 0; i < storage.length; i++) found.push(storage.key(i) as string);
        return found;
      });
      const candidates = keys || Array.from(memory.keys());
      return candidates.filter((key) => key.indexOf(prefix) === 0);
    },
  };
}
