import { InstanceName } from '@ordo/protocol';
import type { CheckNameResult } from '@ordo/protocol/panel';

/** What the form says under the instance name while the user types. */
export type NameCheckState =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | { kind: 'checking' }
  | { kind: 'available' }
  | { kind: 'taken'; message: string }
  /** The uniqueness check itself failed; the server checks again on submit. */
  | { kind: 'unknown'; message: string };

export interface NameCheckerOptions {
  check: (serverId: string, name: string) => Promise<CheckNameResult>;
  onChange: (state: NameCheckState) => void;
  delayMs?: number;
}

export const NAME_CHECK_DELAY_MS = 350;

/**
 * Validates an instance name as it is typed: the format at once (the protocol's zod schema),
 * uniqueness on the server once typing pauses. Only the answer for the latest input is shown.
 */
export class NameChecker {
  #options: NameCheckerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(options: NameCheckerOptions) {
    this.#options = options;
  }

  update(serverId: string | null, name: string): void {
    this.#cancel();
    const generation = this.#generation;
    if (name === '') return this.#options.onChange({ kind: 'empty' });
    const format = InstanceName.safeParse(name);
    if (!format.success) {
      const message = format.error.issues[0]?.message ?? 'Invalid instance name';
      return this.#options.onChange({ kind: 'invalid', message });
    }
    if (serverId === null) return this.#options.onChange({ kind: 'checking' });
    this.#options.onChange({ kind: 'checking' });
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#run(generation, serverId, name);
    }, this.#options.delayMs ?? NAME_CHECK_DELAY_MS);
  }

  dispose(): void {
    this.#cancel();
  }

  async #run(generation: number, serverId: string, name: string): Promise<void> {
    let state: NameCheckState;
    try {
      const result = await this.#options.check(serverId, name);
      state = result.available
        ? { kind: 'available' }
        : { kind: 'taken', message: result.message ?? `"${name}" cannot be used` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      state = { kind: 'unknown', message: `Could not check the name: ${reason}` };
    }
    if (generation === this.#generation) this.#options.onChange(state);
  }

  #cancel(): void {
    this.#generation += 1;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Whether the form may be submitted with this name (the server has the last word anyway). */
export function nameBlocksSubmit(state: NameCheckState): boolean {
  return state.kind === 'empty' || state.kind === 'invalid' || state.kind === 'taken';
}

/** The live verdict under the name field (TextField's `status`); none when an error says it. */
export function describeNameCheck(
  state: NameCheckState,
  name: string,
): { tone: 'pending' | 'success'; text: string } | undefined {
  switch (state.kind) {
    case 'checking':
      return { tone: 'pending', text: 'Checking that the name is free…' };
    case 'available':
      return { tone: 'success', text: `${name} is available` };
    case 'unknown':
      return { tone: 'pending', text: state.message };
    case 'empty':
    case 'invalid':
    case 'taken':
      return undefined;
  }
}

/** The error under the name field: the server's refusal on submit first, then the live check's. */
export function nameCheckError(
  state: NameCheckState,
  refusal: string | null | undefined,
): string | undefined {
  if (refusal) return refusal;
  if (state.kind === 'invalid' || state.kind === 'taken') return state.message;
  return undefined;
}
