import { attempt } from '../attempt';
import type { Content } from './campaign';
import { draw } from './render';

/**
 * Draws one nudge inside container, as visitors would see it, without the SDK: for the
 * dashboard's editor. Placeholders show their defaults; buttons do nothing. Returns the
 * function that removes it. Never throws; a content it cannot draw draws nothing.
 */
export function preview(container: Element, content: Content): () => void {
  const nothing = () => undefined;
  const drawn = attempt(() =>
    draw({
      doc: container.ownerDocument,
      content,
      container,
      lookup: nothing,
      onButton: nothing,
      onClose: nothing,
    }),
  );
  return drawn ? () => drawn.close() : nothing;
}
