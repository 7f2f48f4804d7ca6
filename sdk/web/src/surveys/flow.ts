// The survey's logic (docs/surveys.md, "Logic"): which question follows an answer.
import type { Given, Question, Rule } from './survey';

/** The end of the survey, as nextIndex returns it. */
export const END = -1;

/**
 * The index of the question that follows questions[at] given this answer, or END. The first
 * rule that holds and names a later question (or "end") decides; when none does, the next
 * question follows. A rule that names no later question is passed over, so logic never loops.
 */
export function nextIndex(questions: Question[], at: number, given: Given): number {
  for (const rule of questions[at].logic || []) {
    if (!holds(rule, given)) continue;
    if (rule.goTo === 'end') return END;
    for (let to = at + 1; to < questions.length; to++) {
      if (questions[to].id === rule.goTo) return to;
    }
  }
  return at + 1 < questions.length ? at + 1 : END;
}

/** Whether the rule's if holds for the answer; a comparison never holds for a skipped one. */
export function holds({ if: condition }: Rule, { answer }: Given): boolean {
  const { op, value } = condition || ({} as Rule['if']);
  if (op === 'answered' || op === 'skipped') return (answer === undefined) === (op === 'skipped');
  if (answer === undefined) return false;
  if (typeof answer === 'number' && typeof value === 'number') {
    return op === 'eq'
      ? answer === value
      : op === 'neq'
        ? answer !== value
        : op === 'lt'
          ? answer < value
          : op === 'lte'
            ? answer <= value
            : op === 'gt'
              ? answer > value
              : op === 'gte' && answer >= value;
  }
  if (op === 'is') return answer === value;
  if (op === 'isNot') return typeof answer === 'string' && answer !== value;
  return op === 'includes' && Array.isArray(answer) && answer.indexOf(value as string) >= 0;
}
