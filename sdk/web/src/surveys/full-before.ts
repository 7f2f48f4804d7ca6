// Runs before the core's script-tag code: init calls that the loader snippet queued get the
// plugin in their deps.
import { withSurveys } from './full-plugin';

try {
  const queued = (window as unknown as { Beckon?: { q?: Array<[string, unknown[]]> } }).Beckon;
  for (const call of queued && Array.isArray(queued.q) ? queued.q : []) {
    if (call && call[0] === 'init' && Array.isArray(call[1])) call[1][1] = withSurveys(call[1][1]);
  }
} catch {
  // The core starts as it would without the plugin.
}
