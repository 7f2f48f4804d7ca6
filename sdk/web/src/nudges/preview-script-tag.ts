/**
 * The script-tag file of the dashboard's preview (dist/beckon-nudges-preview.js). Defines
 * window.BeckonNudgesPreview with preview(container, content): one nudge drawn inside container
 * by the plugin's own renderer, without the SDK. The plugin's file leaves this out, so that a
 * page that shows nudges does not load it. Never throws.
 */
import { preview } from './preview';

try {
  const globals = window as unknown as { BeckonNudgesPreview?: unknown };
  if (!globals.BeckonNudgesPreview) globals.BeckonNudgesPreview = { preview };
} catch {
  // A page that breaks the globals does without the preview.
}
