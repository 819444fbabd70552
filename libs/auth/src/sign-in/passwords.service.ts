import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode, FieldError, NotFound, ValidationFailed } from '@allmende/core';
import { AuditLog, UnitOfWork, UserRepository, WebSessionRepository } from '@allmende/database';
import { Clock } from '../clock';
import { policies } from '../policies';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordHasher } from './password-hasher';

function passwordErrors(field: string, password: string): FieldError[] {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return [{ field, message: `must be at least ${MIN_PASSWORD_LENGTH} characters long` }];
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return [{ field, message: `must be at most ${MAX_PASSWORD_LENGTH} characters long` }];
  }
  if (password.trim().length === 0) return [{ field, message: 'must not be only spaces' }];
  return [];
}

/**
 * Passwords: a user changes their own (knowing the current one); an admin (or the CLI) sets or
 * resets anyone's. Either way the user's other browser sessions end.
 */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly sessions: WebSessionRepository,
    private readonly audit: AuditLog,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** `keepSessionId`: the session the change was made in stays signed in. */
  async change(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    keepSessionId?: string,
  ): Promise<void> {
    const userId = actor.userId;
    if (userId === null) {
      throw new DomainError(ErrorCode.Forbidden, 'The bootstrap admin token has no account and no password.');
    }
    const errors = passwordErrors('newPassword', newPassword);
    if (errors.length > 0) throw new ValidationFailed(errors);
    const current = await this.uow.run(actor, () => this.users.passwordHashOf(userId));
    if (!(await this.hasher.verify(current, currentPassword))) {
      throw new ValidationFailed([{ field: 'currentPassword', message: 'is not the current password' }]);
    }
    const hash = await this.hasher.hash(newPassword);
    await this.uow.run(actor, async () => {
      const user = await this.users.findById(userId);
      if (!user) throw new NotFound('User', userId);
      await this.store(actor, userId, user.municipalityId, hash, 'user.password_changed', keepSessionId);
    });
  }

  /** Sets or resets a user's password; admins only. */
  async set(actor: Actor, userId: string, password: string): Promise<void> {
    policies.assertAdmin(actor);
    const errors = passwordErrors('password', password);
    if (errors.length > 0) throw new ValidationFailed(errors);
    const hash = await this.hasher.hash(password);
    await this.uow.run(actor, async () => {
      const user = await this.users.findById(userId);
      if (!user) throw new NotFound('User', userId);
      await this.store(actor, userId, user.municipalityId, hash, 'user.password_set');
    });
  }

  /** The CLI's way: the user named by email. */
  async setByEmail(actor: Actor, email: string, password: string): Promise<{ userId: string }> {
    policies.assertAdmin(actor);
    const account = await this.uow.run(actor, () => this.users.findSignInAccount(email.trim()));
    if (!account) throw new NotFound(`User with the email ${email}`);
    await this.set(actor, account.id, password);
    return { userId: account.id };
  }

  private async store(
    actor: Actor,
    userId: string,
    municipalityId: string | null,
    hash: string,
    action: string,
    keepSessionId?: string,
  ): Promise<void> {
    const now = this.clock.now();
    await this.users.setPasswordHash(userId, hash, now);
    const ended = await this.sessions.revokeAllOf(userId, now, keepSessionId);
    await this.audit.record(actor, {
      action,
      entityType: 'user',
      entityId: userId,
      municipalityId,
      after: { passwordChangedAt: now, sessionsEnded: ended },
    });
  }
}
