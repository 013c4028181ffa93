import { describe, expect, it } from 'vitest';
import { UNREACHABLE_MESSAGE } from '../../api/api-error';
import { readUploadAnswer, UploadError } from './upload';

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
