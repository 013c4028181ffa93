import { describe, expect, it } from 'vitest';
import { hashOdooPassword, ODOO_PBKDF2_ROUNDS, verifyOdooPassword } from './password-hash';

describe('Odoo password hashes', () => {
  it('matches passlib pbkdf2_sha512 (odoo-facts §4 test vector)', async () => {
    const hash = await hashOdooPassword('secret', {
      rounds: 1000,
      salt: Buffer.from('0123456789abcdef', 'ascii'),
    });
    expect(hash).toBe(
      '$pbkdf2-sha512$1000$MDEyMzQ1Njc4OWFiY2RlZg$vgFvU7zWIDgDAUi7d8ayt.cfRiPWVVWfv8iQRsGZaZviWzsSNgWYXEE5PmvI/VELMsOmEbqLz0PKuePNjOk41A',
    );
    expect(await verifyOdooPassword('secret', hash)).toBe(true);
    expect(await verifyOdooPassword('Secret', hash)).toBe(false);
  });

  it("uses Odoo's 600 000 rounds and a fresh 16-byte salt by default", async () => {
    const [a, b] = await Promise.all([hashOdooPassword('pw'), hashOdooPassword('pw')]);
    expect(a).toMatch(/^\$pbkdf2-sha512\$600000\$[A-Za-z0-9./]{22}\$[A-Za-z0-9./]{86}$/);
    expect(a).not.toBe(b);
    expect(ODOO_PBKDF2_ROUNDS).toBe(600_000);
    expect(await verifyOdooPassword('pw', a)).toBe(true);
  });

  it('verifies nothing that is not a pbkdf2-sha512 hash', async () => {
    expect(await verifyOdooPassword('admin', 'admin')).toBe(false);
    expect(await verifyOdooPassword('x', '$pbkdf2-sha256$1000$abc$def')).toBe(false);
  });
});
