import { attempt } from './attempt';
import type { Environment } from './environment';
import type { Settings } from './options';
import type { SafeStorage } from './storage';

/**
 * The session, shared by all tabs of the site: its id and last activity live in
 * localStorage, and every activity reads them there, so that a session ends only after
 * `idle_time_out` seconds without activity in any tab.
 *
 * The first activity after the idle timeout ends the old session (`$session_end`, reason
 * "idle", stamped with the old session's last activity) and starts a new one
 * (`$session_start`). A timer also ends an idle session on a page that stays open. The two
 * boundary events get ids derived from the session id, so that when two tabs both notice
 * that a session went idle, the server stores its end once.
 *
 * Failure semantics: without storage the session lives in this page's memory only, so
 * other tabs start sessions of their own. Two tabs that start a session in the same instant
 * both send a `$session_start`; the last one written wins, and the other session simply
 * stops receiving events.
 */
export interface SessionTracker {
  /**
   * The session for an activity now, at activityMs when given: ends an idle one, and starts
   * one when none is active.
   */
  active(activityMs?: number): Session;
  /** The active session, or null; never starts or ends one. */
  current(): Session | null;
  /**
   * Ends the active session, if any, with reason "ended", and stops the idle timer. A session
   * already idle is left for the next activity to end, with reason "idle".
   */
  end(): void;
  /** Forgets the session without ending it, and stops the idle timer. */
  forget(): void;
  /** Writes pending changes to storage now. */
  save(): void;
}

export interface Session {
  id: string;
  lastActivityMs: number;
}

export type SessionEndReason = 'idle' | 'ended';

/** What the session tracker needs from the tracker that owns it. */
export interface SessionHooks {
  /** The next event time, as the event clock gives it. */
  nextEventTimeMs(): number;
  /** Logs a session boundary event, $session_start or $session_end, with its id. */
  logBoundary(
    name: string,
    propertiesJson: string,
    session: Session,
    timeMs: number,
    id: string,
  ): void;
  /** Called after a change, to have save() run soon. */
  onChange(): void;
}

export function createSessionTracker(
  settings: Settings,
  storage: SafeStorage,
  storageKey: string,
  env: Environment,
  hooks: SessionHooks,
): SessionTracker {
  const { idleTimeoutMs } = settings;
  // undefined: nothing to write; null: the session was ended or forgotten.
  let unsaved: Session | null | undefined;
  let idleTimer: unknown;

  function read(): Session | null {
    if (unsaved !== undefined) return unsaved;
    const session = attempt(() => JSON.parse(storage.get(storageKey) as string));
    const valid = session && typeof session.id === 'string';
    return valid && typeof session.lastActivityMs === 'number' ? session : null;
  }

  function write(session: Session | null) {
    unsaved = session;
    hooks.onChange();
  }

  function idleForMs(session: Session): number {
    return env.nowMs() - session.lastActivityMs;
  }

  function finish(session: Session, reason: SessionEndReason, clientTimeMs: number) {
    write(null);
    const propertiesJson = JSON.stringify({ reason });
    hooks.logBoundary('$session_end', propertiesJson, session, clientTimeMs, session.id + '-end');
  }

  function current(): Session | null {
    const session = read();
    return session && idleForMs(session) < idleTimeoutMs ? session : null;
  }

  function stopIdleTimer() {
    env.clearTimer(idleTimer);
    idleTimer = undefined;
  }

  function watchIdle() {
    if (!idleTimer) idleTimer = env.setTimer(checkIdle, idleTimeoutMs);
  }

  // The session, unless it has gone idle: then it is ended, as of its last activity.
  function unlessIdle(session: Session | null): Session | null {
    if (!session || idleForMs(session) < idleTimeoutMs) return session;
    finish(session, 'idle', session.lastActivityMs);
    return null;
  }

  function checkIdle() {
    idleTimer = undefined;
    const session = unlessIdle(read());
    if (session) idleTimer = env.setTimer(checkIdle, idleTimeoutMs - idleForMs(session));
  }

  return {
    active(activityMs) {
      let session = unlessIdle(read());
      if (!session) {
        session = { id: 's-' + env.randomId(), lastActivityMs: hooks.nextEventTimeMs() };
        write(session);
        hooks.logBoundary(
          '$session_start',
          '{}',
          session,
          session.lastActivityMs,
          session.id + '-start',
        );
      }
      watchIdle();
      if (activityMs) {
        session.lastActivityMs = Math.max(session.lastActivityMs, activityMs);
        write(session);
      }
      return session;
    },

    current,

    end() {
      const session = current();
      stopIdleTimer();
      if (session) finish(session, 'ended', hooks.nextEventTimeMs());
    },

    forget() {
      stopIdleTimer();
      write(null);
    },

    save() {
      if (unsaved === undefined) return;
      if (unsaved) storage.set(storageKey, JSON.stringify(unsaved));
      else storage.remove(storageKey);
      unsaved = undefined;
    },
  };
}
