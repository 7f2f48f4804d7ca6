// A survey campaign's content, as the config sends it (docs/surveys.md). Only what the plugin
// reads is typed; the server checked every field when the survey was saved.

export interface SurveyContent {
  layout?: 'modal' | 'card';
  theme?: { accent?: string; background?: string; text?: string };
  intro?: { title?: string; body?: string; button?: string } | null;
  questions: Question[];
  thanks?: { title?: string; body?: string } | null;
}

export type QuestionType = 'nps' | 'rating' | 'single' | 'multiple' | 'text';

export interface Question {
  id: string;
  type: QuestionType;
  /** The question, with placeholders; never markup. */
  text: string;
  required?: boolean;
  logic?: Rule[];
  /** nps */
  lowLabel?: string;
  highLabel?: string;
  /** rating: stars (the default) or emoji */
  scale?: 'stars' | 'emoji';
  /** single, multiple */
  choices?: string[];
  other?: boolean;
  /** text */
  long?: boolean;
  placeholder?: string;
  maxLength?: number;
}

/** After the question: when if holds, go to the question of that id, or "end". */
export interface Rule {
  if: { op: string; value?: number | string };
  goTo: string;
}

/**
 * What the visitor gave for a question: answer is absent when it was skipped. For single and
 * multiple, an "other" text stands in the answer for the "other" choice and is repeated in
 * other, so that it can be told from a choice.
 */
export interface Given {
  answer?: number | string | string[];
  other?: string;
}
