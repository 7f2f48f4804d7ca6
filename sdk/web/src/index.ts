/**
 * The npm entry point. The default export is the SDK object; see the README for its
 * methods. Importing it touches no browser global, so it is safe in server-side rendering,
 * where init reports "not_a_browser".
 */
import { browserEnvironment } from './environment';
import { createBeckon } from './sdk';

const beckon = createBeckon(browserEnvironment());

export default beckon.sdk;

/**
 * For campaign plugins: listens to every event logged on this page, app and client events
 * alike; returns a function that stops listening. Not part of the Apxor API.
 */
export const subscribe = beckon.subscribe;

export type { Beckon, BeckonOptions, BeckonPlugin, InitFailure, PluginHost } from './types';
export type { LoggedEvent, LoggedEventListener } from './event-hub';
export type { JsonValue, Properties } from './properties';
