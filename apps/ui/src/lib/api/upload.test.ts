import { describe, expect, it } from 'vitest';
import { UNREACHABLE_MESSAGE } from './api-error';
import { readUploadAnswer, UploadError, uploadPercent } from './upload';

function thrown(run: () => unknown): UploadError {
  try {
    run();
  } catch (error) {
    if (error instanceof UploadError) return error;
    throw error;
  }
  throw new Error('expected an UploadError');
}

describe('readUploadAnswer', () => {
  it('answers the JSON body of a success', () => {
    expect(readUploadAnswer(202, '{"job":{"id":"j"}}')).toEqual({ job: { id: 'j' } });
  });

  it("keeps the control plane's (or agent's) code and message of a refusal", () => {
    const error = thrown(() =>
      readUploadAnswer(
        400,
        '{"error":{"code":"bad_request","message":"The archive has no dump.sql: it is not an Odoo backup"}}',
      ),
    );
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({
      status: 400,
      code: 'bad_request',
      message: 'The archive has no dump.sql: it is not an Odoo backup',
    });
  });

  it('explains an answer that is not ours, and no answer at all', () => {
    expect(thrown(() => readUploadAnswer(502, '<html>Bad gateway</html>')).message).toBe(
      'The control plane answered HTTP 502',
    );
    expect(thrown(() => readUploadAnswer(0, '')).message).toBe(UNREACHABLE_MESSAGE);
  });
});

describe('uploadPercent', () => {
  it('rounds to a whole percentage and never passes 100', () => {
    expect(uploadPercent({ loaded: 0, total: 3 })).toBe(0);
    expect(uploadPercent({ loaded: 1, total: 3 })).toBe(33);
    expect(uploadPercent({ loaded: 3, total: 3 })).toBe(100);
    // The browser may count the request's framing on top of the file's own bytes.
    expect(uploadPercent({ loaded: 4, total: 3 })).toBe(100);
  });

  it('cannot tell how far an upload of unknown size is', () => {
    expect(uploadPercent({ loaded: 10, total: 0 })).toBeNull();
  });
});
