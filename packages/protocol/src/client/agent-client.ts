import type { z } from 'zod';
import {
  AddonsUploaded,
  BackupDeleted,
  BackupList,
  RestoreAccepted,
  type CloneInstanceInput,
  type RestoreQuery,
} from '../backups';
import { AgentHealth } from '../health';
import { AgentInfo } from '../info';
import {
  CreateInstanceAccepted,
  InstanceActionResult,
  InstanceConfig,
  InstanceDeleted,
  InstanceDetail,
  InstanceLogs,
  type CreateInstanceInput,
  type InstanceConfigUpdate,
  type InstanceLogsQuery,
} from '../instance-lifecycle';
import { InstanceList } from '../instances';
import { Job, JobAccepted, JobList, REQUESTED_BY_HEADER, type JobListQuery } from '../jobs';
import { LoginLink, OdooUserList, type CreateLoginLinkInput } from '../login-links';
import { InstanceMetricsSnapshot, MetricsSnapshot } from '../metrics';
import {
  AddRepoAccepted,
  RepoList,
  RepoRemoved,
  type AddRepoInput,
  type PullRepoInput,
} from '../repos';
import { SshKeyState, SshKeyTestResult, SshPublicKey } from '../ssh-key';
import { VersionList, type InstallVersionInput } from '../versions';
import { AgentClientError } from './agent-client-error';
import { followJobLog, type FollowJobLogOptions, type JobLogEvent } from './follow-job-log';
import { errorFromAnswer, isTimeout, notJsonError, transportError } from './response-errors';

/** What an upload sends: a Buffer, a Blob or a stream (streamed, never buffered). */
export type UploadBody = NonNullable<RequestInit['body']>;

export interface AgentClientOptions {
  /** Base URL of the agent, e.g. `http://10.0.0.5:8070`. A path prefix is kept. */
  baseUrl: string;
  token: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /**
   * Timeout of calls that wait for Odoo (start, restart, config update, delete), in
   * milliseconds (default 120 000, never less than `timeoutMs`).
   */
  actionTimeoutMs?: number;
  /** Injected for tests and for custom transports; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface AgentClient {
  /** `GET /v1/health` (no token sent). Throws `not_ordo_agent` when something else answers. */
  health(): Promise<AgentHealth>;
  info(): Promise<AgentInfo>;
  listInstances(): Promise<InstanceList>;
  /** `GET /v1/jobs`, newest first. */
  listJobs(query?: JobListQuery): Promise<JobList>;
  getJob(id: string): Promise<Job>;
  /** Asks the agent to stop a job; it ends `cancelled` shortly after. */
  cancelJob(id: string): Promise<JobAccepted>;
  listVersions(): Promise<VersionList>;
  /** `GET /v1/metrics`: the agent's last sample. */
  metrics(): Promise<MetricsSnapshot>;
  instanceMetrics(name: string): Promise<InstanceMetricsSnapshot>;
  /** Starts installing an Odoo version; follow the returned job. */
  installVersion(
    input: InstallVersionInput,
    options?: { requestedBy?: string },
  ): Promise<JobAccepted>;
  /**
   * Starts creating an instance; follow the returned job. The answer carries the instance's
   * generated passwords, sent this once.
   */
  createInstance(
    input: CreateInstanceInput,
    options?: { requestedBy?: string },
  ): Promise<CreateInstanceAccepted>;
  getInstance(name: string): Promise<InstanceDetail>;
  /** Deletes the instance and everything of it on that server. */
  deleteInstance(name: string): Promise<void>;
  startInstance(name: string): Promise<InstanceActionResult>;
  stopInstance(name: string): Promise<InstanceActionResult>;
  restartInstance(name: string): Promise<InstanceActionResult>;
  getInstanceConfig(name: string): Promise<InstanceConfig>;
  /** Changes the given odoo.conf settings; the agent restarts the instance to apply them. */
  updateInstanceConfig(name: string, settings: InstanceConfigUpdate): Promise<InstanceConfig>;
  /** The tail of the Odoo log (or what follows `query.cursor`). */
  instanceLogs(name: string, query?: InstanceLogsQuery): Promise<InstanceLogs>;
  /**
   * The job's log as it is written, then its final state. Resumable: pass the last `offset`
   * received as `fromOffset`. Ends without an `end` event when `signal` aborts.
   */
  followJobLog(id: string, options?: FollowJobLogOptions): AsyncIterable<JobLogEvent>;
  /** Starts a `backup.create` job; the backup appears in `listBackups` once it succeeded. */
  createBackup(name: string, options?: { requestedBy?: string }): Promise<JobAccepted>;
  listBackups(name: string): Promise<BackupList>;
  deleteBackup(id: string): Promise<BackupDeleted>;
  /**
   * `GET /v1/backups/:id/download` as the raw answer, to pass its body (a ZIP stream with
   * Content-Length and Content-Disposition) straight through. Errors are thrown as usual.
   */
  downloadBackup(id: string, options?: { signal?: AbortSignal }): Promise<Response>;
  /** Uploads a backup ZIP or `.dump` (streamed) and starts a `backup.restore` job. */
  restoreInstance(
    name: string,
    body: UploadBody,
    options?: { query?: RestoreQuery; requestedBy?: string; timeoutMs?: number },
  ): Promise<RestoreAccepted>;
  /**
   * Starts an `instance.clone` job creating a staging instance of `name`; the answer carries
   * the staging instance's new passwords, sent this once.
   */
  cloneInstance(
    name: string,
    input: CloneInstanceInput,
    options?: { requestedBy?: string },
  ): Promise<CreateInstanceAccepted>;
  /** Uploads a ZIP of modules into the instance's addons (streamed); it restarts if running. */
  uploadAddons(
    name: string,
    body: UploadBody,
    options?: { timeoutMs?: number },
  ): Promise<AddonsUploaded>;
  /** `GET /v1/ssh-key`: the Enterprise key's public half, or null before one exists. */
  getSshKey(): Promise<SshKeyState>;
  /** Generates the Enterprise key, replacing the previous one (which stops working). */
  generateSshKey(): Promise<SshPublicKey>;
  /** Whether GitHub recognises the key, with what it said. */
  testSshKey(): Promise<SshKeyTestResult>;
  /** Starts a `version.enterprise_upgrade` job adding the Enterprise modules to `version`. */
  upgradeEnterprise(version: string, options?: { requestedBy?: string }): Promise<JobAccepted>;
  /** `GET /v1/instances/:name/users`: the active internal users of the instance's database. */
  listOdooUsers(name: string): Promise<OdooUserList>;
  /**
   * `POST /v1/instances/:name/login-links`: a single-use "connect as" link, valid 2 minutes.
   * May restart the instance once (to load Ordo's login module), hence the action timeout.
   */
  createLoginLink(name: string, input: CreateLoginLinkInput): Promise<LoginLink>;
  /** `GET /v1/instances/:name/repos`: the git repositories checked out for the instance. */
  listRepos(name: string): Promise<RepoList>;
  /**
   * Starts a `repo_clone` job: clone, add to the addons_path, restart if running. The token
   * (private repositories) is used for this clone only and never stored by the agent.
   */
  addRepo(
    name: string,
    input: AddRepoInput,
    options?: { requestedBy?: string },
  ): Promise<AddRepoAccepted>;
  /**
   * Starts a `repo_pull` job: fetch, check out the newest commit, `-u` the touched modules,
   * restart. Refused with agentCode `pull_in_progress` (409) while a pull of it runs.
   */
  pullRepo(
    name: string,
    id: string,
    input?: PullRepoInput,
    options?: { requestedBy?: string },
  ): Promise<JobAccepted>;
  /** Removes the checkout and its addons_path entry; restarts the instance if running. */
  removeRepo(name: string, id: string): Promise<RepoRemoved>;
}

interface RequestOptions {
  auth?: boolean;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (an upload), with `headers` naming its type. */
  rawBody?: UploadBody;
  headers?: Record<string, string>;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

/** Typed client for the agent HTTP API; every failure is an {@link AgentClientError}. */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const actionTimeoutMs = Math.max(options.actionTimeoutMs ?? 120_000, timeoutMs);
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request<S extends z.ZodType>(
    path: string,
    schema: S,
    {
      auth = true,
      method = 'GET',
      body: payload,
      rawBody,
      headers: extra = {},
      timeoutMs: requestTimeoutMs = timeoutMs,
    }: RequestOptions = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { ...extra, accept: 'application/json' };
    if (auth) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        // Node's fetch needs `duplex` to stream a request body. Unless redirects are errors and
        // there is no window, fetch clones the request to replay it on a redirect, and the clone
        // tees the body: the unread branch then keeps every byte of the upload in memory
        // (nodejs/undici#4058). Agents never redirect.
        ...(rawBody === undefined
          ? {}
          : { body: rawBody, duplex: 'half', redirect: 'error', window: null }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw transportError(error, requestTimeoutMs, base);
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (isTimeout(error)) throw transportError(error, requestTimeoutMs, base);
      throw notJsonError(response.status, base, error);
    }
    if (!response.ok) throw errorFromAnswer(response.status, body, base);

    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AgentClientError(
        'bad_response',
        `The agent's answer to ${path} does not match the protocol: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        { status: response.status, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  return {
    async health() {
      try {
        return await request('/v1/health', AgentHealth, { auth: false });
      } catch (error) {
        // Any JSON that is not our health document means some other service owns the port.
        if (
          error instanceof AgentClientError &&
          (error.code === 'bad_response' ||
            error.code === 'agent_error' ||
            error.code === 'unauthorized')
        ) {
          throw new AgentClientError(
            'not_ordo_agent',
            `The server at ${base} is not an Ordo agent`,
            {
              ...(error.status === null ? {} : { status: error.status }),
              cause: error,
            },
          );
        }
        throw error;
      }
    },
    info: () => request('/v1/info', AgentInfo),
    listInstances: () => request('/v1/instances', InstanceList),
    listJobs: (query = {}) => request(`/v1/jobs${queryString(query)}`, JobList),
    getJob: (id) => request(`/v1/jobs/${encodeURIComponent(id)}`, Job),
    cancelJob: (id) =>
      request(`/v1/jobs/${encodeURIComponent(id)}/cancel`, JobAccepted, { method: 'POST' }),
    listVersions: () => request('/v1/versions', VersionList),
    metrics: () => request('/v1/metrics', MetricsSnapshot),
    instanceMetrics: (name) => request(`${instancePath(name)}/metrics`, InstanceMetricsSnapshot),
    installVersion: (input, { requestedBy } = {}) =>
      request('/v1/versions', JobAccepted, {
        method: 'POST',
        body: input,
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    createInstance: (input, { requestedBy } = {}) =>
      request('/v1/instances', CreateInstanceAccepted, {
        method: 'POST',
        body: input,
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    getInstance: (name) => request(instancePath(name), InstanceDetail),
    deleteInstance: async (name) => {
      await request(instancePath(name), InstanceDeleted, {
        method: 'DELETE',
        timeoutMs: actionTimeoutMs,
      });
    },
    startInstance: (name) =>
      request(`${instancePath(name)}/start`, InstanceActionResult, {
        method: 'POST',
        timeoutMs: actionTimeoutMs,
      }),
    stopInstance: (name) =>
      request(`${instancePath(name)}/stop`, InstanceActionResult, {
        method: 'POST',
        timeoutMs: actionTimeoutMs,
      }),
    restartInstance: (name) =>
      request(`${instancePath(name)}/restart`, InstanceActionResult, {
        method: 'POST',
        timeoutMs: actionTimeoutMs,
      }),
    getInstanceConfig: (name) => request(`${instancePath(name)}/config`, InstanceConfig),
    updateInstanceConfig: (name, settings) =>
      request(`${instancePath(name)}/config`, InstanceConfig, {
        method: 'PUT',
        body: settings,
        timeoutMs: actionTimeoutMs,
      }),
    instanceLogs: (name, query = {}) =>
      request(`${instancePath(name)}/logs${logsQueryString(query)}`, InstanceLogs),
    followJobLog: (id, followOptions) =>
      followJobLog({ base, token: options.token, fetch: doFetch, timeoutMs }, id, followOptions),
    createBackup: (name, { requestedBy } = {}) =>
      request(`${instancePath(name)}/backups`, JobAccepted, {
        method: 'POST',
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    listBackups: (name) => request(`${instancePath(name)}/backups`, BackupList),
    deleteBackup: (id) =>
      request(`/v1/backups/${encodeURIComponent(id)}`, BackupDeleted, { method: 'DELETE' }),
    downloadBackup: async (id, { signal } = {}) => {
      let response: Response;
      try {
        response = await doFetch(`${base}/v1/backups/${encodeURIComponent(id)}/download`, {
          headers: { authorization: `Bearer ${options.token}` },
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        throw transportError(error, timeoutMs, base);
      }
      if (response.ok) return response;
      const body: unknown = await response.json().catch(() => null);
      throw errorFromAnswer(response.status, body, base);
    },
    restoreInstance: (name, body, { query = {}, requestedBy, timeoutMs: uploadTimeoutMs } = {}) =>
      request(`${instancePath(name)}/restore${restoreQueryString(query)}`, RestoreAccepted, {
        method: 'POST',
        rawBody: body,
        headers: {
          'content-type': 'application/octet-stream',
          ...(requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy }),
        },
        timeoutMs: uploadTimeoutMs ?? actionTimeoutMs,
      }),
    cloneInstance: (name, input, { requestedBy } = {}) =>
      request(`${instancePath(name)}/clone`, CreateInstanceAccepted, {
        method: 'POST',
        body: input,
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    uploadAddons: (name, body, { timeoutMs: uploadTimeoutMs } = {}) =>
      request(`${instancePath(name)}/addons`, AddonsUploaded, {
        method: 'POST',
        rawBody: body,
        headers: { 'content-type': 'application/zip' },
        timeoutMs: uploadTimeoutMs ?? actionTimeoutMs,
      }),
    getSshKey: () => request('/v1/ssh-key', SshKeyState),
    generateSshKey: () =>
      request('/v1/ssh-key', SshPublicKey, { method: 'POST', timeoutMs: actionTimeoutMs }),
    // ssh may wait up to its ConnectTimeout and then for the server: longer than a plain call.
    testSshKey: () =>
      request('/v1/ssh-key/test', SshKeyTestResult, { method: 'POST', timeoutMs: actionTimeoutMs }),
    upgradeEnterprise: (version, { requestedBy } = {}) =>
      request(`/v1/versions/${encodeURIComponent(version)}/enterprise`, JobAccepted, {
        method: 'POST',
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    listOdooUsers: (name) => request(`${instancePath(name)}/users`, OdooUserList),
    createLoginLink: (name, input) =>
      request(`${instancePath(name)}/login-links`, LoginLink, {
        method: 'POST',
        body: input,
        timeoutMs: actionTimeoutMs,
      }),
    listRepos: (name) => request(`${instancePath(name)}/repos`, RepoList),
    addRepo: (name, input, { requestedBy } = {}) =>
      request(`${instancePath(name)}/repos`, AddRepoAccepted, {
        method: 'POST',
        body: input,
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    pullRepo: (name, id, input = {}, { requestedBy } = {}) =>
      request(`${instancePath(name)}/repos/${encodeURIComponent(id)}/pull`, JobAccepted, {
        method: 'POST',
        body: input,
        headers: requestedBy === undefined ? {} : { [REQUESTED_BY_HEADER]: requestedBy },
      }),
    removeRepo: (name, id) =>
      request(`${instancePath(name)}/repos/${encodeURIComponent(id)}`, RepoRemoved, {
        method: 'DELETE',
        timeoutMs: actionTimeoutMs,
      }),
  };
}

function restoreQueryString(query: RestoreQuery): string {
  const params = new URLSearchParams();
  for (const key of ['neutralize', 'resetAdminPassword', 'safetyBackup', 'copy'] as const) {
    const value = query[key];
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function instancePath(name: string): string {
  return `/v1/instances/${encodeURIComponent(name)}`;
}

function logsQueryString(query: InstanceLogsQuery): string {
  const params = new URLSearchParams();
  if (query.level !== undefined) params.set('level', query.level);
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  const { limit } = query;
  if (typeof limit === 'number' || typeof limit === 'string') params.set('limit', String(limit));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function queryString(query: JobListQuery): string {
  const params = new URLSearchParams();
  if (query.state !== undefined) params.set('state', query.state);
  if (query.kind !== undefined) params.set('kind', query.kind);
  if (query.target !== undefined) params.set('target', query.target);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
