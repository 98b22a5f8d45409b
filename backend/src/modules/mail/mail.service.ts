import { Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Files sent with the mail (e.g. the monthly usage report); only their names are logged without SMTP. */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** Sends mail over SMTP_URL; without it, mails are written to the log (embedded/dev mode). */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly transport?: Transporter;

  constructor(private readonly config: AppConfig) {
    if (config.smtpUrl) this.transport = createTransport(config.smtpUrl);
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) {
      this.logger.log(
        {
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.attachments ? { attachments: mail.attachments.map((a) => a.filename) } : {}),
        },
        'mail (no SMTP_URL configured, logged instead of sent)',
      );
      return;
    }
    await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
    });
  }
}
