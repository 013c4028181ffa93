import type { CheckNameResult } from '@ordo/protocol/panel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeNameCheck, nameBlocksSubmit, NameChecker, nameCheckError } from './name-check';
import type { NameCheckState } from './name-check';

const SERVER = '5b0c2f7e-3c55-4b4e-9a53-0f0c8f6d2a11';
const TAKEN = new Set(['shop']);

describe('NameChecker', () => {
  let states: NameCheckState[];
  let calls: string[];
  let checker: NameChecker;
  let answer: (name: string) => Promise<CheckNameResult>;

  beforeEach(() => {
    vi.useFakeTimers();
    states = [];
    calls = [];
    answer = (name) =>
      Promise.resolve(
        TAKEN.has(name)
          ? { available: false, message: `An instance named "${name}" already exists` }
          : { available: true, message: null },
      );
    checker = new NameChecker({
      delayMs: 300,
      onChange: (state) => states.push(state),
      check: (serverId, name) => {
        calls.push(`${serverId}:${name}`);
        return answer(name);
      },
    });
  });

  afterEach(() => {
    checker.dispose();
    vi.useRealTimers();
  });

  it('refuses a bad format at once with the protocol message, without asking the server', async () => {
    checker.update(SERVER, 'Bad Name');
    expect(states.at(-1)).toEqual({
      kind: 'invalid',
      message: expect.stringContaining('lowercase letters, digits') as unknown,
    });
    await vi.runAllTimersAsync();
    expect(calls).toEqual([]);
  });

  it('asks the server once typing pauses, for the last name only', async () => {
    checker.update(SERVER, 's');
    checker.update(SERVER, 'sh');
    checker.update(SERVER, 'sho');
    expect(states.at(-1)).toEqual({ kind: 'checking' });
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([`${SERVER}:sho`]);
    expect(states.at(-1)).toEqual({ kind: 'available' });
  });

  it('says when the name is taken, with the server message', async () => {
    checker.update(SERVER, 'shop');
    await vi.runAllTimersAsync();
    expect(states.at(-1)).toEqual({
      kind: 'taken',
      message: 'An instance named "shop" already exists',
    });
  });

  it('drops a late answer for a name the user has since changed', async () => {
    let release: (result: CheckNameResult) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    checker.update(SERVER, 'shop2');
    await vi.advanceTimersByTimeAsync(300);
    checker.update(SERVER, '');
    release({ available: true, message: null });
    await vi.runAllTimersAsync();
    expect(states.at(-1)).toEqual({ kind: 'empty' });
  });

  it('reports a failed check without blocking the form', async () => {
    answer = () => Promise.reject(new Error('Cannot reach the Ordo control plane'));
    checker.update(SERVER, 'crm');
    await vi.runAllTimersAsync();
    const state = states.at(-1);
    expect(state).toEqual({
      kind: 'unknown',
      message: 'Could not check the name: Cannot reach the Ordo control plane',
    });
    expect(state && nameBlocksSubmit(state)).toBe(false);
  });

  it('waits for a server before checking uniqueness', async () => {
    checker.update(null, 'crm');
    await vi.runAllTimersAsync();
    expect(calls).toEqual([]);
    expect(states.at(-1)).toEqual({ kind: 'checking' });
  });
});

describe('nameBlocksSubmit', () => {
  it('blocks empty, badly formed and taken names only', () => {
    expect(nameBlocksSubmit({ kind: 'empty' })).toBe(true);
    expect(nameBlocksSubmit({ kind: 'invalid', message: 'x' })).toBe(true);
    expect(nameBlocksSubmit({ kind: 'taken', message: 'x' })).toBe(true);
    expect(nameBlocksSubmit({ kind: 'checking' })).toBe(false);
    expect(nameBlocksSubmit({ kind: 'available' })).toBe(false);
  });
});

describe('describeNameCheck', () => {
  it('says what the check is doing, and nothing where an error speaks', () => {
    expect(describeNameCheck({ kind: 'checking' }, 'shop')).toEqual({
      tone: 'pending',
      text: 'Checking that the name is free…',
    });
    expect(describeNameCheck({ kind: 'available' }, 'shop')).toEqual({
      tone: 'success',
      text: 'shop is available',
    });
    expect(describeNameCheck({ kind: 'unknown', message: 'No answer' }, 'shop')).toEqual({
      tone: 'pending',
      text: 'No answer',
    });
    expect(describeNameCheck({ kind: 'taken', message: 'x' }, 'shop')).toBeUndefined();
    expect(describeNameCheck({ kind: 'empty' }, '')).toBeUndefined();
  });
});

describe('nameCheckError', () => {
  it("puts the server's refusal before the live check's error", () => {
    const taken: NameCheckState = { kind: 'taken', message: 'Taken' };
    expect(nameCheckError(taken, 'Refused on submit')).toBe('Refused on submit');
    expect(nameCheckError(taken, null)).toBe('Taken');
    expect(nameCheckError({ kind: 'invalid', message: 'Bad' }, undefined)).toBe('Bad');
    expect(nameCheckError({ kind: 'available' }, null)).toBeUndefined();
  });
});
