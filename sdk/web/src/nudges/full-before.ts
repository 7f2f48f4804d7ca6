// Runs before the core's script-tag code: init calls that the loader snippet queued get the
// plugin in their deps.
import { plugin, withNudges } from './full-plugin';

try {
  const globals = window as unknown as {
    Beckon?: { q?: Array<[string, unknown[]]> };
    BeckonNudges?: unknown;
  };
  if (!globals.BeckonNudges) globals.BeckonNudges = plugin;
  const queued = globals.Beckon && globals.Beckon.q;
  for (const call of Array.isArray(queued) ? queued : []) {
    if (call && call[0] === 'init' && Array.isArray(call[1])) call[1][1] = withNudges(call[1][1]);
  }
} catch {
  // The core starts as it would without the plugin.
}
