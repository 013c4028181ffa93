import type { SessionUser } from '@ordo/protocol/panel';
import type { Requester } from '../../features/jobs';

/** Who asked, as jobs record it. */
export function requesterOf(user: SessionUser): Requester {
  return { userId: user.id, email: user.email };
}
