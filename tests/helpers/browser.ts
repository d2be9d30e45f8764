import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Express } from 'express';
import { makeApp, PASSWORD, type TestApp } from './app';
import { makeProject, type TestProject } from './project';

/** Debian's Chromium: the browser tests never download one. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium; fails with the install command when it is missing. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: the browser tests need it (apt-get install -y chromium).`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Playwright gives the browser a fresh temporary profile of its own and removes it on close.
  return { browser, close: () => browser.close() };
}

/** Serves an app on a free loopback port. */
export async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A served app and a Chromium for one browser test file (see useBrowserApp). */
export interface BrowserApp {
  /** The app (its project, admin token...). */
  readonly t: TestApp;
  readonly browser: Browser;
  /** The server's base URL. */
  readonly url: string;
  /** Logs `page` in as `name` (password PASSWORD), ending on the dashboard. */
  logIn(page: Page, name: string): Promise<void>;
  /** A page in a browser context of its own (its own cookies), logged in as `name`. */
  loggedInPage(name: string): Promise<Page>;
}

/**
 * Serves an app over `project()` and launches Chromium before the calling file's tests (after
 * `prepare`, e.g. adding people), and closes both and removes the project after them.
 */
export function useBrowserApp(project: () => TestProject = makeProject, prepare?: (t: TestApp) => Promise<void>): BrowserApp {
  let made: TestApp | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  let chromium: { browser: Browser; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    made = await makeApp(project());
    await prepare?.(made);
    server = await listen(made.app);
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    made?.project.cleanup();
  });
  const now = () => {
    if (!made || !server || !chromium) throw new Error('useBrowserApp: the app and the browser exist only while the tests run');
    return { t: made, server, browser: chromium.browser };
  };
  const logIn = async (page: Page, name: string): Promise<void> => {
    const { url } = now().server;
    await page.goto(`${url}/login`);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${url}/`);
  };
  return {
    get t() {
      return now().t;
    },
    get browser() {
      return now().browser;
    },
    get url() {
      return now().server.url;
    },
    logIn,
    async loggedInPage(name) {
      const page = await (await now().browser.newContext()).newPage();
      await logIn(page, name);
      return page;
    },
  };
}
