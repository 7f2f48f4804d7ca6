/*
 * Starts a real Beckon server the way the README does (`./beckon demo` at the repository
 * root), on a free port, with a fresh data folder and a random admin key, and stops it again.
 *
 * The server runs in its own process group, so that stopping it also stops whatever the
 * launcher started (a build, the JVM). Its output goes to a log file in the run's temporary
 * folder; `logTail` reads the end of it for failure reports.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_GRACE_MS = 15_000;

/** Asks the kernel for a port that is free on 127.0.0.1 right now. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Spawns `./beckon demo` in `repoRoot`. Resolves once the process is spawned, not once it
 * is healthy: call `waitForHealth` next. The caller must call `stop()` in every case.
 */
export async function startBeckon({ repoRoot }) {
  const launcher = path.join(repoRoot, 'beckon');
  if (!existsSync(launcher)) {
    throw new Error(`the launcher ${launcher} does not exist; the test starts Beckon through it`);
  }

  const workDir = await mkdtemp(path.join(tmpdir(), 'beckon-e2e-'));
  const logPath = path.join(workDir, 'beckon.log');
  const port = await freePort();
  const adminKey = randomBytes(24).toString('hex');
  const adminEmail = 'admin@example.com';
  const adminPassword = randomBytes(18).toString('base64url');
  const logFd = openSync(logPath, 'a');

  const child = spawn('./beckon', ['demo'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      BECKON_PORT: String(port),
      BECKON_DATA_DIR: path.join(workDir, 'data'),
      BECKON_ADMIN_KEY: adminKey,
      BECKON_ADMIN_EMAIL: adminEmail,
      BECKON_ADMIN_PASSWORD: adminPassword,
      BECKON_HOST: '127.0.0.1',
    },
  });
  closeSync(logFd);

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const killGroupOnExit = () => signalGroup(child.pid, 'SIGKILL');
  process.once('exit', killGroupOnExit);

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminKey,
    adminEmail,
    adminPassword,
    workDir,
    logPath,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,

    /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. */
    async stop() {
      process.removeListener('exit', killGroupOnExit);
      if (!signalGroup(child.pid, 'SIGTERM')) {
        return;
      }
      const deadline = Date.now() + STOP_GRACE_MS;
      while (Date.now() < deadline && groupIsAlive(child.pid)) {
        await sleep(200);
      }
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') {
      return false;
    }
    throw error;
  }
}

function groupIsAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls GET /health until it answers 200. Fails early when the server process exits, and
 * after `timeoutMs` otherwise (the first run may build the server, hence the long default).
 */
export async function waitForHealth(server, { timeoutMs = 120_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.hasExited()) {
      const { code, signal } = await server.exited;
      throw new Error(`beckon exited (code ${code}, signal ${signal}) before /health answered`);
    }
    try {
      const response = await fetch(`${server.baseUrl}/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status === 200) {
        return;
      }
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs} ms (last: ${lastProblem})`);
}

/** The last `lineCount` lines of a log file, or a note when it cannot be read. */
export function logTail(logPath, lineCount = 60) {
  try {
    return readFileSync(logPath, 'utf8').split('\n').slice(-lineCount).join('\n');
  } catch (error) {
    return `(cannot read ${logPath}: ${error.message})`;
  }
}
