/**
 * The script-tag build of the surveys plugin (dist/beckon-surveys.js), loaded after
 * dist/beckon.js and dist/beckon-nudges.js. Defines window.BeckonSurveys: the plugin, to hand
 * to init in options.deps beside BeckonNudges, with preview(container, content) for the
 * dashboard, and createSurveys(options) for a plugin with other options. It takes the CSP nonce
 * of its own script tag. Never throws.
 */
import { runningScript } from '../nudges/script-origin';
import { createSurveys } from './plugin';
import { preview } from './preview';

try {
  const globals = window as unknown as { BeckonSurveys?: unknown };
  if (!globals.BeckonSurveys) {
    const script = runningScript();
    const plugin = createSurveys({ nonce: (script && script.nonce) || undefined });
    globals.BeckonSurveys = Object.assign(plugin, { preview, createSurveys });
  }
} catch {
  // A page that breaks the globals does without surveys.
}
