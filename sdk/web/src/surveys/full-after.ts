// Runs after the core's script-tag code: later init calls get the plugin in their deps.
import { withSurveys } from './full-plugin';

try {
  const sdk = (window as unknown as { Beckon?: { init?: (...args: unknown[]) => void } }).Beckon;
  const init = sdk && sdk.init;
  if (sdk && typeof init === 'function' && !(init as { surveys?: boolean }).surveys) {
    const withPlugin = (siteId: unknown, options?: unknown, ...rest: unknown[]) =>
      init(siteId, withSurveys(options), ...rest);
    sdk.init = Object.assign(withPlugin, { surveys: true });
  }
} catch {
  // The core still works; only surveys are missing.
}
