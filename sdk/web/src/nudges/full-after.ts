// Runs after the core's script-tag code: later init calls get the plugin in their deps.
import { withNudges } from './full-plugin';

try {
  const sdk = (window as unknown as { Beckon?: { init?: (...args: unknown[]) => void } }).Beckon;
  const init = sdk && sdk.init;
  if (sdk && typeof init === 'function' && !(init as { nudges?: boolean }).nudges) {
    const withPlugin = (siteId: unknown, options?: unknown, ...rest: unknown[]) =>
      init(siteId, withNudges(options), ...rest);
    sdk.init = Object.assign(withPlugin, { nudges: true });
  }
} catch {
  // The core still works; only nudges are missing.
}
