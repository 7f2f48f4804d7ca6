import { fillText } from '../nudges/placeholders';
import { drawSurvey } from './render';
import type { SurveyContent } from './survey';

/**
 * Draws one survey inside container, as visitors would see it, without the SDK: for the
 * dashboard's editor, which calls it again on each change. It replaces the survey an earlier
 * call drew there. Its buttons go from screen to screen; nothing is recorded; placeholders show
 * their defaults; closing it does nothing. Returns the function that removes it. Never throws; a
 * content it cannot draw draws nothing.
 */
export function preview(container: Element, content: SurveyContent): () => void {
  try {
    const nothing = () => undefined;
    container.querySelectorAll('[data-beckon-survey]').forEach((earlier) => earlier.remove());
    const drawn = drawSurvey(
      container.ownerDocument,
      content,
      (template) => fillText(template, nothing),
      undefined,
      { answered: nothing, completed: nothing, dismiss: nothing, done: nothing },
      container,
    );
    return drawn ? () => drawn.close() : nothing;
  } catch {
    return () => undefined;
  }
}
