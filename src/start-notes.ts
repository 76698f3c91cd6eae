// What a newcomer needs after the first start (OPS-6, issue 9 item 20): what sample data is there,
// how to sign in past the captcha, where mail and text messages go without a gateway, and how the
// first school or agency administrator is made. Pure text; the CLI prints it.
import type { Config } from './config.ts';

export interface FirstStart { sampleOrgs: number; sampleSystems: number }

export function firstStartNotes(config: Config, f: FirstStart): string {
  const lines = [
    'Getting started:',
    `  - Sign in at ${config.baseUrl}/login with the account above.`,
    config.captchaEnabled
      ? '  - The login page asks for a captcha: type the six digits drawn in the picture (TESSERA_CAPTCHA=off removes it outside production).'
      : '  - The login captcha is off (TESSERA_CAPTCHA=off).',
  ];
  if (f.sampleOrgs > 0) {
    lines.push(`  - ${f.sampleOrgs} sample organisations were loaded (see ${config.baseUrl}/orgs): agencies under 2.16.886.101`
      + ' (臺中市政府 and its units) and the school 範例高級中學 (2.16.886.111.90001.10300, school code 010300).');
  }
  if (f.sampleSystems > 0) lines.push(`  - ${f.sampleSystems} sample application systems and their roles were loaded (${config.baseUrl}/admin/systems).`);
  if (!config.production && (!config.smtpUrl || !config.sms)) {
    const what = !config.smtpUrl && !config.sms ? 'Mail and text messages are' : !config.smtpUrl ? 'Mail is' : 'Text messages are';
    lines.push(`  - ${what} not sent anywhere (no ${!config.smtpUrl ? 'SMTP_URL' : ''}${!config.smtpUrl && !config.sms ? ' or ' : ''}${!config.sms ? 'TESSERA_SMS_URL' : ''}):`
      + ` read set-password links and one-time codes at ${config.baseUrl}/dev/outbox.`);
  }
  lines.push(
    '  - The first school or agency administrator: signed in as the central authority, add the person\'s account in'
      + ` that organisation (${config.baseUrl}/admin/accounts/new), then at ${config.baseUrl}/admin/grants (administration grants)`
      + ' give it a grant over the organisation: 主帳號 (main account) for a school, registration administrator for an agency.'
      + ' They then make the other accounts and administrators. With the server stopped, `tessera grant add` does the same.',
    '  More in README.md ("Try it").',
    '',
  );
  return lines.join('\n');
}
