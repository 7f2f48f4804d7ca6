// The plugin of the combined script-tag file, made while the file runs (for its origin and nonce).
import { createNudges, type NudgesPlugin } from './plugin';
import { preview } from './preview';
import { originOf, runningScript } from './script-origin';

const script = runningScript();
export const plugin: NudgesPlugin = Object.assign(
  createNudges({ endpoint: originOf(script), nonce: (script && script.nonce) || undefined }),
  { preview },
);

/** options with the plugin added to deps, when plugins names it and deps lacks it. */
export function withNudges(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  const given = options as { plugins?: unknown; deps?: unknown };
  const named = Array.isArray(given.plugins) && given.plugins.indexOf('nudges') >= 0;
  const deps = Array.isArray(given.deps) ? given.deps : [];
  if (!named || deps.some((dep) => dep && dep.name === 'nudges')) return options;
  return Object.assign({}, options, { deps: deps.concat(plugin) });
}
