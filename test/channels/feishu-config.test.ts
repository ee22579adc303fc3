import { describe, expect, it } from 'vitest';
import { feishuConfig } from '../../src/channels/feishu/config.ts';
import { loadEnv, productionMode } from '../../src/config/env.ts';

const base = { FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's3cret', FEISHU_MODE: 'webhook' };

describe('Feishu settings and production mode', () => {
  it('in production, webhook mode refuses to start without the encrypt key (signatures and encryption)', () => {
    const prod = productionMode(loadEnv({ NODE_ENV: 'production' }));
    expect(prod).toBe(true);
    expect(() => feishuConfig({ ...base, FEISHU_VERIFICATION_TOKEN: 'tok' }, { production: prod })).toThrow(/FEISHU_ENCRYPT_KEY/);
    expect(feishuConfig({ ...base, FEISHU_ENCRYPT_KEY: 'k', FEISHU_VERIFICATION_TOKEN: 'tok' }, { production: prod })).toMatchObject({ mode: 'webhook', encryptKey: 'k' });
    // the long connection is authenticated by the SDK itself: no key needed
    expect(feishuConfig({ ...base, FEISHU_MODE: 'ws' }, { production: prod })).toMatchObject({ mode: 'ws' });
  });

  it('outside production a verification token is accepted, nothing at all is not', () => {
    expect(productionMode(loadEnv({}))).toBe(false);
    expect(feishuConfig({ ...base, FEISHU_VERIFICATION_TOKEN: 'tok' })).toMatchObject({ verificationToken: 'tok' });
    expect(() => feishuConfig(base)).toThrow(/FEISHU_ENCRYPT_KEY/);
  });

  it('AFTERSALES_ROLE is all, web or worker', () => {
    expect(loadEnv({}).AFTERSALES_ROLE).toBe('all');
    expect(loadEnv({ AFTERSALES_ROLE: 'worker' }).AFTERSALES_ROLE).toBe('worker');
    expect(() => loadEnv({ AFTERSALES_ROLE: 'both' })).toThrow(/AFTERSALES_ROLE/);
  });
});
