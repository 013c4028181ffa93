import type { z } from 'zod';
import { AgentErrorBody } from '../errors';
import { AgentHealth } from '../health';
import { AgentInfo } from '../info';
import { InstanceList } from '../instances';
import { AgentClientError } from './agent-client-error';

export interface AgentClientOptions {
  /** Base URL of the agent, e.g. `http://10.0.0.5:8070`. A path prefix is kept. */
  baseUrl: string;
  token: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Injected for tests and for custom transports; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface AgentClient {
  /** `GET /v1/health` (no token sent). Throws `not_ordo_agent` when something else answers. */
  health(): Promise<AgentHealth>;
  info(): Promise<AgentInfo>;
  listInstances(): Promise<InstanceList>;
}

/** Typed client for the agent HTTP API; every failure is an {@link AgentClientError}. */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request<S extends z.ZodType>(
    path: string,
    schema: S,
    { auth = true }: { auth?: boolean } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth) headers.authorization = `Bearer ${options.token}`;

    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw transportError(error, timeoutMs, base);
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (isTimeout(error)) throw transportError(error, timeoutMs, base);
      throw new AgentClientError(
        'not_ordo_agent',
        `The server at ${base} answered HTTP ${response.status} without JSON: it is not an Ordo agent`,
        { status: response.status, cause: error },
      );
    }

    if (!response.ok) {
      const parsed = AgentErrorBody.safeParse(body);
      if (response.status === 401) {
        throw new AgentClientError(
          'unauthorized',
          'The agent refused the token: check the token of this server',
          {
            status: 401,
            agentCode: parsed.success ? parsed.data.error.code : 'unauthorized',
          },
        );
      }
      if (!parsed.success) {
        throw new AgentClientError(
          'not_ordo_agent',
          `The server at ${base} answered HTTP ${response.status} in a format Ordo agents do not use`,
          { status: response.status },
        );
      }
      throw new AgentClientError('agent_error', parsed.data.error.message, {
        status: response.status,
        agentCode: parsed.data.error.code,
      });
    }

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
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function transportError(error: unknown, timeoutMs: number, base: string): AgentClientError {
  if (isTimeout(error)) {
    return new AgentClientError(
      'timeout',
      `The agent at ${base} did not answer within ${timeoutMs / 1000} s`,
      {
        cause: error,
      },
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = errorCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return new AgentClientError('unreachable', `Cannot reach the agent at ${base} (${detail})`, {
    cause: error,
  });
}

function errorCode(error: unknown): string | null {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return error.code;
  }
  return null;
}
