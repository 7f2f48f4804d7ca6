import type { Content } from './campaign';
import { fillText, fillUrl } from './placeholders';
import { draw } from './render';

/**
 * Draws one nudge inside container, as visitors would see it, without the SDK: for the
 * dashboard's editor. Placeholders show their defaults; buttons do nothing. Returns the
 * function that removes it. Never throws; a content it cannot draw draws nothing.
 */
export function preview(container: Element, content: Content): () => void {
  try {
    const noValues = () => undefined;
    const drawn = draw({
      doc: container.ownerDocument,
      content,
      container,
      fill: {
        text: (template) => fillText(template, noValues),
        url: (template) => fillUrl(template, noValues),
      },
      onButton: () => undefined,
      onClose: () => undefined,
    });
    return drawn ? () => drawn.close() : () => undefined;
  } catch {
    return () => undefined;
  }
}
