import { guard, type DebugLog } from './debug-log';
import type { Properties } from './properties';

/** An event as in-page listeners see it. */
export interface LoggedEvent {
  /** "app": an event sent to the server (reserved names included); "client": never sent. */
  kind: 'app' | 'client';
  name: string;
  /** The properties after the property-value rules were applied. */
  properties: Properties;
  clientTimeMs: number;
}

export type LoggedEventListener = (event: LoggedEvent) => void;

/**
 * The in-page listeners of logged events: what campaign triggers watch. A listener that
 * throws is reported in debug and does not keep the event from the others.
 */
export interface EventHub {
  /** Adds a listener; the function returned removes it. */
  subscribe(listener: LoggedEventListener): () => void;
  /**
   * Hands an event to every listener. The properties' JSON is parsed only when someone
   * listens, so that events are not built for nobody.
   */
  publish(
    kind: LoggedEvent['kind'],
    name: string,
    propertiesJson: string,
    clientTimeMs: number,
  ): void;
}

export function createEventHub(log: DebugLog): EventHub {
  let listeners: LoggedEventListener[] = [];
  return {
    subscribe(listener) {
      listeners = listeners.concat(listener);
      return () => {
        listeners = listeners.filter((other) => other !== listener);
      };
    },

    publish(kind, name, propertiesJson, clientTimeMs) {
      if (!listeners.length) return;
      const event = { kind, name, properties: JSON.parse(propertiesJson), clientTimeMs };
      for (const listener of listeners) guard(log, listener)(event);
    },
  };
}
