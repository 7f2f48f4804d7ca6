/**
 * The JSON of fields, plus one more field, name, whose value is JSON text already. Events
 * are serialised once, when logged, and batches and stored queues are built from that text.
 * fields must hold at least one field.
 */
export function jsonWithRawField(fields: object, name: string, rawJson: string): string {
  return JSON.stringify(fields).slice(0, -1) + ',"' + name + '":' + rawJson + '}';
}
