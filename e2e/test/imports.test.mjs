/*
 * The dashboard's import page in headless Chromium, against the real server of `./beckon demo`:
 * a person chooses a CSV file of 300,000 rows, uploads it, and watches the progress bar, which
 * htmx refreshes every second, move until the import is done; then the report of bad rows can be
 * downloaded. Then the top bar of each site page is checked to fit the window, at a laptop's width
 * and a phone's. Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../lib/chromium.mjs';
import { logTail, startBeckon, waitForHealth } from '../lib/beckon-server.mjs';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(E2E_DIR, '..');
const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');
const ROWS = 300_000;
const IMPORT_TIMEOUT_MS = 120_000;
/** A laptop's window and a phone's: the dashboard must not scroll sideways at either. */
const WINDOW_WIDTHS_PX = [1280, 375];
const SITE_PAGES = ['', '/segments', '/cohorts', '/imports', '/campaigns'];

/** A file of ROWS users with two typed properties, and one bad row near the end. */
function generatedFile() {
  const lines = ['userId,score:number,paid:boolean'];
  for (let i = 0; i < ROWS; i += 1) {
    lines.push(`e2e-${i}@example.com,${i % 100},${i % 2 === 0}`);
  }
  lines.push('bad-row,ten,true');
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

describe('the dashboard import page', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startBeckon({ repoRoot: REPO_ROOT });
    await waitForHealth(server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the progress of an upload until it is done, then links the report', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${server.baseUrl}/dashboard/sites/demo/imports`);
      await page.locator('input[name="email"]').fill(server.adminEmail);
      await page.locator('input[name="password"]').fill(server.adminPassword);
      await page.getByTestId('sign-in').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/dashboard/login'));
      await page.goto(`${server.baseUrl}/dashboard/sites/demo/imports`);

      await page.locator('input[name="file"]').setInputFiles({
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: generatedFile(),
      });
      await page.locator('input[name="cohort"]').fill('e2e');
      await page.getByTestId('upload').click();
      await page.waitForURL(/\/imports\/[0-9a-f]+$/);

      const progress = page.getByTestId('progress');
      const seen = [];
      const deadline = Date.now() + IMPORT_TIMEOUT_MS;
      while ((await progress.getAttribute('data-status')) !== 'done') {
        assert.ok(Date.now() < deadline, `the import did not finish; statuses seen: ${seen.join(', ')}`);
        const value = await page.locator('progress').getAttribute('value');
        seen.push(`${await progress.getAttribute('data-status')}:${value}`);
        if (seen.length === 2) {
          mkdirSync(ARTIFACTS_DIR, { recursive: true });
          await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'import-running.png'), fullPage: true });
        }
        await page.waitForTimeout(300);
      }

      assert.equal(await page.locator('progress').getAttribute('value'), '100');
      assert.equal(await page.getByTestId('rows-kept').textContent(), String(ROWS));
      assert.equal(await page.getByTestId('rows-rejected').textContent(), '1');
      const reportUrl = new URL(await page.getByTestId('report').getAttribute('href'), page.url());
      const report = await page.request.get(reportUrl.toString());
      assert.equal(report.status(), 200);
      assert.match(await report.text(), /^line,reason\r\n300002,/);
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'import-done.png'), fullPage: true });
    } catch (error) {
      console.error(logTail(server.logPath));
      throw error;
    } finally {
      await page.close();
    }
  });

  it('fits the top bar of every site page in the window, at 1280 px and at 375 px', async () => {
    for (const width of WINDOW_WIDTHS_PX) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await page.goto(`${server.baseUrl}/dashboard/login`);
        await page.locator('input[name="email"]').fill(server.adminEmail);
        await page.locator('input[name="password"]').fill(server.adminPassword);
        await page.getByTestId('sign-in').click();
        await page.waitForURL((url) => !url.pathname.startsWith('/dashboard/login'));
        for (const sitePage of SITE_PAGES) {
          await page.goto(`${server.baseUrl}/dashboard/sites/demo${sitePage}`);
          const fit = await page.evaluate(() => {
            const bar = document.querySelector('.topbar');
            const signOut = document.querySelector('.logout button').getBoundingClientRect();
            return {
              pageWidth: document.documentElement.scrollWidth,
              barWidth: bar.scrollWidth,
              signOutRight: signOut.right,
              windowWidth: window.innerWidth,
            };
          });
          const where = `${width} px, ${sitePage || '/'}: ${JSON.stringify(fit)}`;
          assert.ok(fit.barWidth <= fit.windowWidth, `the top bar overflows at ${where}`);
          assert.ok(fit.signOutRight <= fit.windowWidth, `Sign out is clipped at ${where}`);
          if (width === 1280) {
            assert.ok(fit.pageWidth <= fit.windowWidth, `the page scrolls sideways at ${where}`);
          }
        }
        mkdirSync(ARTIFACTS_DIR, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, `top-bar-${width}.png`) });
      } catch (error) {
        console.error(logTail(server.logPath));
        throw error;
      } finally {
        await context.close();
      }
    }
  });
});
