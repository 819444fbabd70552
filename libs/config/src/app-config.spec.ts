import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.rateLimitPerMinute).toBe(600);
    expect(config.dataDir).toMatch(/\.allmende$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number \(got "abc"\)/],
    ['PORT', '70000', /PORT must be between 1 and 65535/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must start with postgres/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['ALLMENDE_ADMIN_TOKEN', 'short', /ALLMENDE_ADMIN_TOKEN must be at least 32 characters/],
    ['ALLMENDE_RATE_LIMIT', '0', /ALLMENDE_RATE_LIMIT must be between 1/],
    ['SMTP_URL', 'http://mail', /SMTP_URL must start with smtp/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ])('rejects %s=%s with one line naming the variable', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes secrets in the message', () => {
    expect(() => loadConfig({ ALLMENDE_ADMIN_TOKEN: 'secret' })).toThrow(
      /^Configuration error: ALLMENDE_ADMIN_TOKEN must be at least 32 characters[^"]*$/,
    );
  });
});
