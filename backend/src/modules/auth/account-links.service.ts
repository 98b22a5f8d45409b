import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { EntityManager } from 'typeorm';
import { newSecret, sha256 } from '../../common/security/tokens';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { MailService } from '../mail/mail.service';
import { User } from '../users/entities/user.entity';
import { ResetPasswordDto } from './dto/signup.dto';
import { EmailToken, EmailTokenPurpose } from './entities/email-token.entity';
import { AuthException } from './auth.errors';
import { ARGON2, AccountEvents, HOUR, NO_ORG, findByEmail } from './accounts';
import { SessionRevocations } from './session-revocations';
import { SessionsService } from './sessions.service';

/** E-mail verification and password reset by single-use links mailed to the account's address. */
@Injectable()
export class AccountLinksService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly revocations: SessionRevocations,
    private readonly events: AccountEvents,
  ) {}

  async verifyEmail(token: string): Promise<void> {
    await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const row = await this.useEmailToken(em, token, 'verify_email');
      await em.update(User, { id: row.userId }, { emailVerifiedAt: new Date() });
    });
  }

  /** Always answers the same, whether or not the e-mail has an account (no enumeration). */
  async forgotPassword(email: string): Promise<void> {
    await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const user = await findByEmail(em, email, false);
      if (user) await this.sendEmailLink(em, user.id, user.email, 'reset_password');
    });
  }

  /** Sets the new password and ends every session of the account. */
  async resetPassword(dto: ResetPasswordDto): Promise<void> {
    const passwordHash = await argon2.hash(dto.password, ARGON2);
    const { user, ended } = await this.transactions.run({ ...NO_ORG, userId: null }, async (em) => {
      const row = await this.useEmailToken(em, dto.token, 'reset_password');
      // Following the link proves the address, so it also counts as verification.
      await em.update(
        User,
        { id: row.userId },
        { passwordHash, emailVerifiedAt: () => 'coalesce(email_verified_at, now())' },
      );
      return {
        ended: await this.sessions.endSessions(em, row.userId, null),
        user: await em.findOneOrFail(User, { where: { id: row.userId } }),
      };
    });
    await this.revocations.revoke(ended);
    await this.events.recordInEveryOrganization(user, 'auth.password_reset');
  }

  /** Records a single-use link for `purpose` in `em` and mails it once the transaction commits. */
  async sendEmailLink(
    em: EntityManager,
    userId: string,
    email: string,
    purpose: EmailTokenPurpose,
  ): Promise<void> {
    const token = newSecret();
    await em.insert(EmailToken, {
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + (purpose === 'reset_password' ? HOUR : 48 * HOUR)),
    });
    const link =
      purpose === 'verify_email'
        ? `${this.config.publicUrl}/verify-email?token=${token}`
        : `${this.config.publicUrl}/reset-password?token=${token}`;
    const mail =
      purpose === 'verify_email'
        ? {
            subject: 'Verify your e-mail for Prompt Vault',
            text: `Confirm your address by opening this link:\n\n${link}\n\nIt expires in 48 hours.`,
          }
        : {
            subject: 'Reset your Prompt Vault password',
            text: `Choose a new password here:\n\n${link}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this mail.`,
          };
    this.transactions.afterCommit(() => this.mail.send({ to: email, ...mail }));
  }

  private async useEmailToken(
    em: EntityManager,
    token: string,
    purpose: EmailTokenPurpose,
  ): Promise<EmailToken> {
    const row = await em.findOne(EmailToken, {
      where: { tokenHash: sha256(token), purpose },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) throw new AuthException('link_invalid', 'This link is not valid');
    if (row.usedAt) throw new AuthException('link_used', 'This link was already used');
    if (row.expiresAt.getTime() <= Date.now())
      throw new AuthException('link_expired', 'This link has expired');
    await em.update(EmailToken, { id: row.id }, { usedAt: new Date() });
    return row;
  }
}
