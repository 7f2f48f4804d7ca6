// Draws a survey: a host element at the end of the body with a shadow root, so that the page's
// CSS does not reach the survey and the survey's CSS does not reach the page. One screen at a
// time: the intro, each question asked, the thank-you screen.
//
// Works under a strict Content-Security-Policy: styles are constructed style sheets adopted by
// the shadow root, or, where the browser lacks them, <style> elements carrying the nonce option.
// Every text (questions, choices, filled placeholders) is set with textContent; the bodies of
// the intro and thank-you screens keep the nudges' markup subset, built element by element.
//
// Keyboard and screen readers: choices are native radio buttons and checkboxes in a fieldset
// whose legend is the question, so arrow keys move within a group and Tab between controls; a
// form, so Enter submits a screen; the dialog is labelled by the screen's heading and described
// by "Question 2 of 4", as each question is; a required question left empty says so in an
// alert. Focus moves into the survey, from screen to screen, and back to where it was when the
// survey goes.
import { attempt } from '../attempt';
import { appendBody, attributes } from '../nudges/markup';
import { END, nextIndex } from './flow';
import { SURVEY_CSS } from './styles';
import type { Given, Question, SurveyContent } from './survey';

/** What the visitor does, as the plugin records it. */
export interface SurveyCallbacks {
  /** A question was answered or skipped, and the visitor moved on. */
  answered(question: Question, given: Given): void;
  /** The end was reached (the thank-you screen, when there is one). */
  completed(): void;
  /** Closed (close button or Escape) before the end. */
  dismiss(): void;
  /** Closed after the end. */
  done(): void;
}

export interface DrawnSurvey {
  /** Removes the survey, and gives focus back to where it was. */
  close(): void;
}

const COLOR = /^(#[\da-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i;
// The faces are drawn, not emoji: the same on every system, and in the theme's colours.
const SVG = 'http://www.w3.org/2000/svg';
const FEELINGS = ['Very bad', 'Bad', 'Neutral', 'Good', 'Very good'];
const REQUIRED = 'Please answer this question.';
const MAX_OTHER_CHARS = 1000;

/**
 * Draws the survey over the page, or inside container (the dashboard's preview: no keys, no
 * focus taken); undefined when it has no question it can draw.
 */
export function drawSurvey(
  doc: Document,
  content: SurveyContent,
  fill: (template: unknown) => string,
  nonce: string | undefined,
  on: SurveyCallbacks,
  container?: Element,
): DrawnSurvey | undefined {
  // A question the plugin cannot draw (a type it does not know, choices missing) is left out.
  const questions = (Array.isArray(content.questions) ? content.questions : []).filter(
    (question) =>
      question &&
      (/^(nps|rating|text)$/.test(question.type) ||
        (/^(single|multiple)$/.test(question.type) &&
          Array.isArray(question.choices) &&
          question.choices.length > 0)),
  );
  if (!questions.length) return undefined;
  const win = doc.defaultView as Window & typeof globalThis;
  const layout = content.layout === 'card' ? 'card' : 'modal';
  const host = doc.createElement('div');
  host.setAttribute('data-beckon-survey', layout);
  if (container) host.setAttribute('data-preview', '');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(win, root, SURVEY_CSS + themeRule(content), nonce);
  const layer = add(root, 'div', 'layer ' + layout);
  const box = add(layer, 'div', 'box');
  attributes(box, { role: 'dialog', 'aria-labelledby': 't', 'aria-describedby': 'p' });
  if (layout === 'modal') box.setAttribute('aria-modal', 'true');
  const closer = add(box, 'button', 'close', '\u00d7');
  attributes(closer, { type: 'button', 'aria-label': 'Close survey' });
  closer.onclick = () => leave();
  const progress = add(box, 'p', 'progress');
  progress.id = 'p';
  const form = add(box, 'form', '') as HTMLFormElement;
  form.noValidate = true;
  const previousFocus = doc.activeElement as HTMLElement | null;
  let finished = false;
  let primary: HTMLElement = closer;
  let submit = () => {};
  form.onsubmit = (event) => {
    event.preventDefault();
    submit();
  };

  // A new screen: what it shows (with an element of id t that labels the dialog), then the
  // button that goes on, which Enter presses too.
  function screen(step: string, go: () => void) {
    form.textContent = '';
    form.className = '';
    progress.textContent = step;
    submit = go;
  }
  function button(label: string) {
    primary = add(add(form, 'div', 'actions'), 'button', 'button', label);
  }
  function heading(texts: { title?: string; body?: string }) {
    add(form, 'h2', 'title', fill(texts.title)).id = 't';
    // Placeholders fill the body's texts, never its links.
    appendBody(add(form, 'div', 'body'), texts.body, fill, (url) => url, { target: '_blank' });
  }

  function intro(texts: NonNullable<SurveyContent['intro']>) {
    screen('', () => ask(0));
    heading(texts);
    button(fill(texts.button) || 'Start');
    focus(primary);
  }

  function thanks() {
    finished = true;
    on.completed();
    const texts = content.thanks;
    if (!texts) return on.done();
    screen('', () => on.done());
    heading(texts);
    button('Close');
    focus(primary);
  }

  function ask(at: number) {
    const question = questions[at];
    const last = at === questions.length - 1;
    screen('Question ' + (at + 1) + ' of ' + questions.length, answer);
    const read = askInto(form, question, fill);
    const error = add(form, 'p', 'error');
    attributes(error, { id: 'e', role: 'alert' });
    button(last ? 'Submit' : 'Next');
    const controls = Array.from(form.querySelectorAll('input,textarea')) as HTMLElement[];
    const optional = !question.required;
    const label = () => {
      if (optional && !last) primary.textContent = read().answer === undefined ? 'Skip' : 'Next';
    };
    form.oninput = form.onchange = label;
    label();
    focus(controls[0]);

    function answer() {
      const given = read();
      if (given.answer === undefined && !optional) {
        error.textContent = REQUIRED;
        form.className = 'invalid';
        controls.forEach((control) => control.setAttribute('aria-invalid', 'true'));
        return focus(controls[0]);
      }
      on.answered(question, given);
      const next = nextIndex(questions, at, given);
      return next === END ? thanks() : ask(next);
    }
  }

  function focus(element: HTMLElement) {
    if (!container) element.focus();
  }

  function leave() {
    if (finished) on.done();
    else on.dismiss();
  }

  // Escape closes; in a modal, Tab stays inside.
  function onKey(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      leave();
    } else if (event.key === 'Tab' && layout === 'modal') {
      const at = root.activeElement;
      const to = event.shiftKey
        ? at === closer || !at
          ? primary
          : 0
        : at === primary || !at
          ? closer
          : 0;
      if (to) {
        event.preventDefault();
        to.focus();
      }
    }
  }

  function close() {
    doc.removeEventListener('keydown', onKey, true);
    if (!host.isConnected) return;
    host.remove();
    if (!container && previousFocus && previousFocus.isConnected) {
      attempt(() => previousFocus.focus());
    }
  }

  (container || doc.body).appendChild(host);
  if (!container) doc.addEventListener('keydown', onKey, true);
  try {
    if (content.intro) intro(content.intro);
    else ask(0);
  } catch (error) {
    // Nothing half drawn stays on the page.
    close();
    throw error;
  }
  return { close };
}

/** Adds the question's controls to form; returns what reads the answer given. */
function askInto(form: HTMLElement, question: Question, fill: (t: unknown) => string): () => Given {
  const type = question.type;
  if (type === 'text') {
    const label = add(form, 'label', 'question group', fill(question.text));
    attributes(label, { id: 't', for: 'a' });
    const field = add(form, question.long ? 'textarea' : 'input', 'field') as HTMLInputElement;
    const most = Math.min(Math.max(Number(question.maxLength) || 1000, 1), 5000);
    attributes(field, { id: 'a', maxlength: String(most), 'aria-describedby': 'p e' });
    if (question.placeholder) field.placeholder = fill(question.placeholder);
    return () => {
      const text = field.value.trim().slice(0, most);
      return text ? { answer: text } : {};
    };
  }

  const group = add(form, 'fieldset', 'group ' + type);
  group.setAttribute('aria-describedby', 'p e');
  add(group, 'legend', 'question', fill(question.text)).id = 't';
  const list = add(group, 'div', 'options');
  const multiple = type === 'multiple';
  const inputs: HTMLInputElement[] = [];
  const option = (value: string, text: string, name?: string) => {
    const label = add(list, 'label', 'option');
    const input = add(label, 'input', '') as HTMLInputElement;
    attributes(input, { type: multiple ? 'checkbox' : 'radio', name: 'a', value });
    if (name) input.setAttribute('aria-label', name);
    const shown = add(label, 'span', '', text);
    if (name) shown.setAttribute('aria-hidden', 'true');
    inputs.push(input);
    return label;
  };

  // Scales: nps 0 to 10, rating 1 to 5 (stars, or faces), read as whole numbers.
  if (type === 'nps' || type === 'rating') {
    const emoji = question.scale === 'emoji';
    const low = type === 'nps' ? 0 : 1;
    const high = type === 'nps' ? 10 : 5;
    list.classList.add('scale', type === 'nps' ? 'numbers' : emoji ? 'faces' : 'stars');
    const lowLabel = type === 'nps' ? fill(question.lowLabel) : '';
    const highLabel = type === 'nps' ? fill(question.highLabel) : '';
    for (let score = low; score <= high; score++) {
      const edge = score === low ? lowLabel : score === high ? highLabel : '';
      const name =
        type === 'nps'
          ? score + (edge ? ', ' + edge : '')
          : emoji
            ? FEELINGS[score - 1]
            : score + (score > 1 ? ' stars' : ' star');
      const shown = option(
        String(score),
        type === 'nps' ? String(score) : emoji ? '' : '\u2605',
        name,
      );
      if (emoji) drawFace(shown.lastChild as Element, score);
    }
    if (lowLabel || highLabel) {
      const ends = add(group, 'div', 'ends');
      ends.setAttribute('aria-hidden', 'true');
      add(ends, 'span', '', lowLabel);
      add(ends, 'span', '', highLabel);
    }
    // Stars up to the one chosen light up.
    list.onchange = () =>
      inputs.forEach((input, index) =>
        input.parentElement!.classList.toggle('on', index <= inputs.findIndex((i) => i.checked)),
      );
    return () => {
      const chosen = inputs.filter((input) => input.checked)[0];
      return chosen ? { answer: Number(chosen.value) } : {};
    };
  }

  // Choices, and the "other" text, which chooses "other" as soon as something is written.
  list.classList.add('choices');
  const choices = Array.isArray(question.choices) ? question.choices : [];
  choices.forEach((choice) => option(String(choice), String(choice)));
  let otherText: HTMLInputElement | undefined;
  if (question.other) {
    const label = option('', 'Other');
    label.classList.add('other');
    otherText = add(list, 'input', 'field other-text') as HTMLInputElement;
    attributes(otherText, {
      'aria-label': 'Other, please say',
      placeholder: 'Please say',
      maxlength: String(MAX_OTHER_CHARS),
    });
    const otherInput = inputs[inputs.length - 1];
    otherText.oninput = () => {
      if (otherText!.value.trim()) otherInput.checked = true;
    };
  }
  return () => {
    const written = otherText ? otherText.value.trim().slice(0, MAX_OTHER_CHARS) : '';
    const other = written && inputs[inputs.length - 1].checked ? written : '';
    const picked = inputs
      .filter((input, index) => input.checked && !(question.other && index === inputs.length - 1))
      .map((input) => input.value);
    if (other) picked.push(other);
    if (!picked.length) return {};
    const given: Given = { answer: multiple ? picked : picked[0] };
    if (other) given.other = other;
    return given;
  };
}

// A face from very unhappy (1) to very happy (5): a ring, two eyes, a mouth that bends.
function drawFace(into: Element, score: number) {
  const doc = into.ownerDocument;
  const svg = into.appendChild(doc.createElementNS(SVG, 'svg'));
  svg.setAttribute('viewBox', '0 0 32 32');
  const bend = (score - 3) * 3;
  const shapes = [
    ['circle', 'cx', '16', 'cy', '16', 'r', '13'],
    ['circle', 'cx', '11.5', 'cy', '13', 'r', '1.6'],
    ['circle', 'cx', '20.5', 'cy', '13', 'r', '1.6'],
    ['path', 'd', 'M10 ' + (21 - bend / 3) + 'q6 ' + bend + ' 12 0'],
  ];
  for (const [tag, ...pairs] of shapes) {
    const shape = svg.appendChild(doc.createElementNS(SVG, tag));
    for (let at = 0; at < pairs.length; at += 2) shape.setAttribute(pairs[at], pairs[at + 1]);
  }
}

/** Adopts the sheet, or appends it as a <style> with the nonce where sheets cannot be built. */
function adoptStyles(
  win: Window & typeof globalThis,
  root: ShadowRoot,
  css: string,
  nonce?: string,
) {
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = root.ownerDocument.createElement('style');
    if (nonce) style.setAttribute('nonce', nonce);
    style.textContent = css;
    root.appendChild(style);
  }
}

function themeRule(content: SurveyContent): string {
  const theme = content.theme || {};
  const color = (value: unknown, fallback: string) =>
    typeof value === 'string' && COLOR.test(value.trim()) ? value.trim() : fallback;
  return (
    ':host{--accent:' +
    color(theme.accent, '#2457ff') +
    ';--bg:' +
    color(theme.background, '#fff') +
    ';--fg:' +
    color(theme.text, '#111') +
    '}'
  );
}

/** A new element at the end of parent, with its class and text. */
function add(parent: Node, tag: string, className: string, text?: string): HTMLElement {
  const node = (parent.ownerDocument || (parent as Document)).createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return parent.appendChild(node);
}
