/**
 * The script-tag build of the nudges plugin (dist/beckon-nudges.js), loaded after
 * dist/beckon.js. Defines window.BeckonNudges: the plugin, to hand to init in options.deps,
 * with createNudges(options) for a plugin with other options (the dashboard's preview is
 * dist/beckon-nudges-preview.js). It fetches the config from the server
 * that served this file, and takes the CSP nonce of its own script tag. Never throws.
 */
import { createNudges } from './plugin';
import { originOf, runningScript } from './script-origin';

try {
  const globals = window as unknown as { BeckonNudges?: unknown };
  if (!globals.BeckonNudges) {
    const script = runningScript();
    const plugin = createNudges({
      endpoint: originOf(script),
      nonce: (script && script.nonce) || undefined,
    });
    globals.BeckonNudges = Object.assign(plugin, { createNudges });
  }
} catch {
  // A page that breaks the globals does without nudges.
}
