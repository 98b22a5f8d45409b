import { defineErrors } from '../../common/errors/domain.exception';

/** Comment rules a client can act on (see API-CONTRACT.md, "Comments"). */
export class CollaborationException extends defineErrors('collaboration', {
  /** The thread's root was deleted while the reply was written: post a top-level comment instead. */
  comment_parent_deleted: { status: 409, title: 'Parent comment deleted' },
}) {}
