/**
 * The SDK's console output: silent unless the `debug` option is on, and then every line
 * starts with "[Beckon]".
 */
export interface DebugLog {
  (message: string, ...details: unknown[]): void;
  enabled: boolean;
}

export function createDebugLog(): DebugLog {
  const log = ((message: string, ...details: unknown[]) => {
    try {
      if (log.enabled) console.log('[Beckon] ' + message, ...details);
    } catch {
      // A console that throws must not take the page's call down with it.
    }
  }) as DebugLog;
  log.enabled = false;
  return log;
}

/** method, made to report what it throws in debug instead; it then returns undefined. */
export function guard<A extends unknown[], R>(log: DebugLog, method: (...args: A) => R) {
  return (...args: A): R | undefined => {
    try {
      return method(...args);
    } catch (error) {
      log('error:', error);
      return undefined;
    }
  };
}
