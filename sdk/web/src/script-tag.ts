/**
 * The script-tag build (dist/beckon.js). Defines window.Beckon, and window.Apxor unless the
 * page already has one, then replays the calls that the loader snippet queued in
 * window.Beckon.q before this file arrived. A second copy of the file leaves the first in
 * place. Nothing here may throw into the page.
 */
import { browserEnvironment } from './environment';
import { createBeckon } from './sdk';

type Globals = { Beckon?: { q?: Array<[string, unknown[]]> }; Apxor?: unknown };

try {
  install(window as unknown as Globals);
} catch {
  // A page that breaks the globals themselves does without Beckon.
}

function install(globals: Globals) {
  const existing = globals.Beckon;
  const earlyCalls = existing && existing.q;
  if (existing && !Array.isArray(earlyCalls)) return;

  const { sdk } = createBeckon(browserEnvironment(), scriptOrigin());
  globals.Beckon = sdk as Globals['Beckon'];
  if (!globals.Apxor) globals.Apxor = sdk;
  for (const [name, args] of earlyCalls || []) {
    const method = (sdk as unknown as Record<string, unknown>)[name];
    if (typeof method === 'function') method.apply(null, args);
  }
}

// Read while this file runs: document.currentScript is null afterwards.
function scriptOrigin(): string | undefined {
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = script && /^https?:\/\/[^/?#]+/i.exec(script.src);
  return origin ? origin[0] : undefined;
}
