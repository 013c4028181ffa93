import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** What Google Authenticator, Aegis and Bitwarden expect: SHA-1, 6 digits, 30 seconds. */
export const TOTP = { issuer: 'Ordo', algorithm: 'sha1', digits: 6, period: 30 } as const;

/** 160 random bits, Base32 (RFC 4226's recommended secret size). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** otpauth://totp/Ordo:<email>?secret=…&issuer=Ordo&algorithm=SHA1&digits=6&period=30 */
export function totpUri(email: string, secret: string): string {
  const uri = generateURI({ issuer: TOTP.issuer, label: email, secret });
  // otplib leaves out parameters equal to the defaults; spelled out, no app has to guess.
  return `${uri}&algorithm=${TOTP.algorithm.toUpperCase()}&digits=${TOTP.digits}&period=${TOTP.period}`;
}

/** The otpauth URI as an SVG QR code in a data URL (the panel's CSP allows data: images). */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/**
 * Checks a code against the current time step and one on either side (clock drift); a step at
 * or before `lastStep` was used already and is refused as a replay.
 */
export async function checkTotpCode(
  secret: string,
  code: string,
  options: { now: Date; lastStep: number | null },
): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'wrong' };
  const result = await verify({
    secret,
    token: code,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.period,
    epoch: Math.floor(options.now.getTime() / 1000),
    epochTolerance: TOTP.period,
  });
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'wrong' };
  if (options.lastStep !== null && result.timeStep <= options.lastStep) {
    return { ok: false, reason: 'replayed' };
  }
  return { ok: true, step: result.timeStep };
}
