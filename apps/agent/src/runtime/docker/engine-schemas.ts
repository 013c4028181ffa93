import { z } from 'zod';

// The parts of the Engine API's answers the runtime reads (Docker and podman's compatible API
// agree on them). Read through zod: an engine of another version may answer differently.

const Labels = z.record(z.string(), z.string()).nullish();

export const ContainerSummary = z.object({
  Id: z.string(),
  Names: z.array(z.string()).default([]),
  State: z.string().default(''),
  Labels,
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerInspect = z.object({
  Id: z.string(),
  Name: z.string().default(''),
  RestartCount: z.number().int().default(0),
  Config: z.object({ Labels }).default({}),
  State: z.object({
    Status: z.string(),
    Running: z.boolean(),
    Restarting: z.boolean().default(false),
    Paused: z.boolean().default(false),
    OOMKilled: z.boolean().default(false),
    Pid: z.number().int().default(0),
    ExitCode: z.number().int().default(0),
    Error: z.string().default(''),
    StartedAt: z.string().default(''),
  }),
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

export const EngineVersion = z.object({
  Version: z.string().default(''),
  Components: z.array(z.object({ Name: z.string() })).nullish(),
});

export const ContainerTop = z.object({
  Titles: z.array(z.string()),
  Processes: z.array(z.array(z.string())).nullable(),
});
export type ContainerTop = z.infer<typeof ContainerTop>;

export const ContainerStats = z.object({
  memory_stats: z
    .object({ usage: z.number().optional(), limit: z.number().optional() })
    .default({}),
});
