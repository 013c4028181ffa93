import type { ServerView } from '@ordo/protocol/panel';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startAgentProcess, type AgentProcess } from './agent-process';
import { launchBrowser } from './browser';
import { startControlProcess, type ControlProcess } from './control-process';
import { startOdooAgentProcess } from './odoo-agent-process';
import {
  addServerThroughApi,
  createInstanceThroughApi,
  installVersionThroughApi,
} from './panel-api';

export const ADMIN_EMAIL = 'admin@ordo.test';
export const ADMIN_PASSWORD = 'correct horse battery';

export interface PanelSessionOptions {
  /** `odoo` (default): an agent that installs and runs the stand-in Odoo; `plain`: no Odoo. */
  agent?: 'odoo' | 'plain';
  /** More agent settings (e.g. ORDO_ENTERPRISE_GIT_URL). */
  agentEnv?: Record<string, string>;
  /** More control-plane settings (e.g. ORDO_METRICS_INTERVAL_MS). */
  controlEnv?: Record<string, string>;
  /** Browser context options over the panel's URL and a 1440×900 viewport. */
  context?: BrowserContextOptions;
}

/** A built agent and control plane, and a browser page on the panel, for one test file. */
export interface PanelSession {
  agent: AgentProcess;
  control: ControlProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions: CSP refusals and panel bugs show up here. */
  browserErrors: string[];
  /** Opens `path`, logs in as the admin and waits for the page's `heading`. */
  signIn(path?: string, heading?: string): Promise<void>;
  /** Closes the browser, then stops the control plane and the agent. */
  close(): Promise<void>;
}

export async function startPanelSession(options: PanelSessionOptions = {}): Promise<PanelSession> {
  const agentOptions = { env: options.agentEnv ?? {} };
  const started = await Promise.allSettled([
    options.agent === 'plain'
      ? startAgentProcess(agentOptions)
      : startOdooAgentProcess(agentOptions),
    startControlProcess({
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      env: options.controlEnv,
    }),
    launchBrowser(),
  ]);
  const [agentResult, controlResult, browserResult] = started;
  if (
    agentResult.status === 'rejected' ||
    controlResult.status === 'rejected' ||
    browserResult.status === 'rejected'
  ) {
    // Stop what did start: a failed start must not leave processes or databases behind.
    await (browserResult.status === 'fulfilled' ? browserResult.value.close() : undefined);
    await Promise.all([
      controlResult.status === 'fulfilled' ? controlResult.value.stop() : undefined,
      agentResult.status === 'fulfilled' ? agentResult.value.stop() : undefined,
    ]);
    const failure = started.find((result) => result.status === 'rejected');
    throw failure?.reason;
  }
  const agent = agentResult.value;
  const control = controlResult.value;
  const browser = browserResult.value;
  const close = async () => {
    await browser.close();
    await Promise.all([control.stop(), agent.stop()]);
  };
  try {
    const context = await browser.newContext({
      baseURL: control.url,
      viewport: { width: 1440, height: 900 },
      ...options.context,
    });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium logs every 4xx answer, and tests make the panel meet refusals on purpose.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        browserErrors.push(message.text());
      }
    });
    const signIn = async (path = '/instances', heading = 'Instances') => {
      await page.goto(path);
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    };
    return { agent, control, browser, context, page, browserErrors, signIn, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Adds the session's agent as the server `local`, installs `version` and, unless `instance` is
 * null, creates that instance and waits until it runs, then reloads the page to show them. All
 * through the API: setup for tests of other features (servers and instances tests cover the UI
 * path of each step).
 */
export async function setUpServer(
  session: Pick<PanelSession, 'agent' | 'page'>,
  options: { version?: string; instance?: string | null; timeoutMs: number },
): Promise<ServerView> {
  const { agent, page } = session;
  const version = options.version ?? '17.0';
  const server = await addServerThroughApi(page, {
    name: 'local',
    agentUrl: agent.url,
    token: agent.token,
  });
  await installVersionThroughApi(page, server.id, version, options.timeoutMs);
  const instance = options.instance === undefined ? 'shop' : options.instance;
  if (instance !== null) {
    await createInstanceThroughApi(
      page,
      { serverId: server.id, name: instance, version },
      options.timeoutMs,
    );
  }
  await page.reload();
  return server;
}
