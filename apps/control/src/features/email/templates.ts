/** Plain-text emails: what every kind says. Links use the panel's public address. */
export interface EmailContent {
  subject: string;
  text: string;
}

export function welcomeEmail(args: { email: string; panelUrl: string }): EmailContent {
  return {
    subject: 'Your Ordo account',
    text: [
      'Hello,',
      '',
      `An account was created for you on the Ordo panel. Your username is ${args.email}.`,
      '',
      `Sign in at: ${args.panelUrl}`,
      '',
      'Your administrator gives you the password separately. If you did not expect this',
      'account, you can ignore this email.',
    ].join('\n'),
  };
}

export function passwordResetEmail(args: { resetUrl: string; validMinutes: number }): EmailContent {
  return {
    subject: 'Reset your Ordo password',
    text: [
      'Hello,',
      '',
      'An administrator asked for your Ordo password to be reset. Choose a new one here:',
      '',
      args.resetUrl,
      '',
      `The link works once and expires in ${args.validMinutes} minutes.`,
      'If you did not expect it, tell your administrator.',
    ].join('\n'),
  };
}

export function mfaCodeEmail(args: { code: string; validMinutes: number }): EmailContent {
  return {
    subject: `Your Ordo sign-in code: ${args.code}`,
    text: [
      `Your Ordo verification code is ${args.code}.`,
      '',
      `It works once and expires in ${args.validMinutes} minutes. Never share it: nobody`,
      'from your team will ask for it. If you did not try to sign in, change your password.',
    ].join('\n'),
  };
}

export function testEmail(args: { panelUrl: string }): EmailContent {
  return {
    subject: 'Ordo test email',
    text: [
      'This is a test email from the Ordo panel.',
      '',
      `If you can read it, the SMTP settings of ${args.panelUrl} work.`,
    ].join('\n'),
  };
}
