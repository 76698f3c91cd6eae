// SQL of the server-side captcha (AUTH-1): a captcha's hashed answer stored, the expired ones swept,
// and one taken for its single guess.
import type { Db } from '../db/index.ts';

export async function insertCaptcha(db: Db, id: string, answerHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('captchas').values({ id, answer_hash: answerHash, expires_at: expiresAt }).execute();
}

export async function deleteCaptchasExpiredBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('captchas').where('expires_at', '<', before).execute();
}

/** Marks a live, unused captcha used in one statement; its answer hash, or undefined when there is none. */
export async function takeCaptcha(db: Db, id: string, now: Date): Promise<{ answer_hash: string } | undefined> {
  return db.updateTable('captchas').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now)
    .returning('answer_hash').executeTakeFirst();
}
