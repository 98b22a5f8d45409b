import { INestApplication } from '@nestjs/common';
import { Mail, MailService } from '../../src/modules/mail/mail.service';

/** Records every mail the app sends while still sending it for real (call-through, no fake). */
export function recordMails(app: INestApplication): {
  mails: Mail[];
  linkTo: (to: string, path: string) => string;
} {
  const mails: Mail[] = [];
  const service = app.get(MailService);
  const send = service.send.bind(service);
  jest.spyOn(service, 'send').mockImplementation(async (mail: Mail) => {
    mails.push(mail);
    await send(mail);
  });
  return {
    mails,
    linkTo(to: string, path: string) {
      const mail = [...mails].reverse().find((m) => m.to === to && m.text.includes(path));
      const token = mail?.text.match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`))?.[1];
      if (!token) throw new Error(`no mail to ${to} with a ${path} link`);
      return token;
    },
  };
}
