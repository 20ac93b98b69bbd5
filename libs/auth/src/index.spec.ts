import * as auth from './index';

// Controllers import @Public()/@Roles() from here; that must not load jose (ESM-only), or every
// unit test touching a controller would need the jose transform. Under jest.config.ts a top-level
// jose import anywhere in this lib makes this file fail to load.
describe('@samverkan/auth entry', () => {
  it('exposes the decorators, module and guard without loading jose', () => {
    expect(typeof auth.Public).toBe('function');
    expect(typeof auth.Roles).toBe('function');
    expect(typeof auth.CurrentUser).toBe('function');
    expect(typeof auth.AuthModule.forRoot).toBe('function');
    expect(
      auth.AuthModule.forRoot({ config: { jwksFile: '/k.json', issuer: 'i', audience: 'a' } }).global,
    ).toBe(true);
  });
});
