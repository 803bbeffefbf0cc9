/**
 * Test support: headless Chromium (Debian's `chromium` package) driven by playwright-core. The
 * browser may load only files (file://) and what a test allows: every other request is aborted and recorded, and every
 * console error or uncaught exception is recorded too, so that a test can assert there was none.
 * test/harness/chromium/setup.ts installs the browser when it is missing.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Quiet, offline, and without the sandbox (the tests run as root). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserSession {
  /** A new tab; what it loads and logs is recorded in `offsiteRequests` and `errors`. */
  newPage(): Promise<Page>;
  /** Requests for anything but a file, which were aborted. */
  readonly offsiteRequests: string[];
  /** Console errors and uncaught exceptions, with the page they came from. */
  readonly errors: string[];
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * A fresh browser with its own profile directory. It may load files, and from `allowedOrigins`
 * (a test's own server on localhost, `http://127.0.0.1:1234`); anything else is aborted.
 */
export async function startBrowser(allowedOrigins: readonly string[] = []): Promise<BrowserSession> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM} is missing: test/harness/chromium/setup.ts installs it (apt-get install chromium)`);
  const profile = mkdtempSync(join(tmpdir(), "entity-chromium-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
  });
  const offsiteRequests: string[] = [];
  const errors: string[] = [];
  const allowed = (url: string) => url.startsWith("file://") || allowedOrigins.some((origin) => url.startsWith(`${origin}/`));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    offsiteRequests.push(url);
    return route.abort();
  });
  context.on("request", (request) => {
    const url = request.url();
    if (!allowed(url) && !offsiteRequests.includes(url)) offsiteRequests.push(url);
  });
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`${page.url()}: uncaught: ${error.message}`));
  };
  context.on("page", watch);
  context.pages().forEach(watch);
  return {
    newPage: () => context.newPage(),
    offsiteRequests,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
