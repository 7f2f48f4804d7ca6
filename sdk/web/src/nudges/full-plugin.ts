// The plugin of the combined script-tag file, made while the file runs (for its origin and nonce).
import { createNudges, type NudgesPlugin } from './plugin';
import { preview } from './preview';
import { originOf, runningScript } from './script-origin';

const script = runningScript();
const nonce = (script && script.nonce) || undefined;
export const plugin: NudgesPlugin = Object.assign(
  createNudges({ endpoint: originOf(script), nonce }),
  { preview },
);

/**
 * options with the plugin added to deps, when plugins names it and deps lacks it. The plugin
 * asks the server of init's endpoint option for its config, else the one this file came from.
 */
export function withNudges(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  const given = options as { plugins?: unknown; deps?: unknown; endpoint?: unknown };
  const named = Array.isArray(given.plugins) && given.plugins.indexOf('nudges') >= 0;
  const deps = Array.isArray(given.deps) ? given.deps : [];
  if (!named || deps.some((dep) => dep && dep.name === 'nudges')) return options;
  const endpoint = given.endpoint;
  const chosen = typeof endpoint === 'string' ? createNudges({ endpoint, nonce }) : plugin;
  return Object.assign({}, options, { deps: deps.concat(chosen) });
}
