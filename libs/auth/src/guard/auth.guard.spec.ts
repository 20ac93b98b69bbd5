import { Controller, Get, INestApplication, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthUser } from '../claims/auth-user';
import { createTestIssuer, TestIssuer } from '../testing/test-issuer';
import { Agencies, CurrentUser, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import { bearerTokenOf } from './auth.guard';

const existing = new Set(['r-1']);

@Controller()
class ProbeController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { subject: user.subject, agency: user.agency, orgUnit: user.orgUnit, roles: user.roles };
  }

  // Answers 404 for an unknown record; the guard must answer 401/403 before that can show.
  @Roles('social-worker')
  @Agencies('social-services')
  @Get('cases/:id')
  caseById(@Param('id') id: string) {
    if (!existing.has(id)) return { found: false };
    return { found: true };
  }
}

@Roles('operator')
@Controller('ops')
class OpsController {
  @Get()
  list() {
    return [];
  }

  @Roles('data-owner')
  @Get('override')
  override() {
    return 'handler roles win';
  }
}

describe('AuthModule guard', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  const socialWorker = { agency: 'social-services' as const, orgUnit: 'ifo-1', roles: ['social-worker'] };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ config: issuer.config })],
      controllers: [ProbeController, OpsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await issuer.cleanup();
  });

  it('lets @Public() routes through without a token', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { ok: true });
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const res = await request(app.getHttpServer()).get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.stringify(res.body)).not.toMatch(/token|expired|signature/i);
  });

  it('answers 401 for an expired token and for a malformed header', async () => {
    const expired = await issuer.mint(
      { sub: 's', agency: 'education', org_unit: '1', roles: [] },
      { expiredSecondsAgo: 600 },
    );
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', issuer.bearer(expired))
      .expect(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    await request(app.getHttpServer()).get('/me').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });

  it('hands the verified caller to @CurrentUser()', async () => {
    const token = await issuer.mintFor({ agency: 'education', orgUnit: '12345678', roles: ['reporter'] });
    await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', issuer.bearer(token))
      .expect(200, {
        subject: 'test-education',
        agency: 'education',
        orgUnit: '12345678',
        roles: ['reporter'],
      });
  });

  it('answers 403 for a missing role and for a wrong agency, the same for existing and unknown records', async () => {
    const reporter = await issuer.mintFor({ agency: 'education', orgUnit: '12345678', roles: ['reporter'] });
    const wrongAgency = await issuer.mintFor({
      agency: 'education',
      orgUnit: '12345678',
      roles: ['social-worker'],
    });
    for (const token of [reporter, wrongAgency]) {
      const known = await request(app.getHttpServer())
        .get('/cases/r-1')
        .set('Authorization', issuer.bearer(token));
      const unknown = await request(app.getHttpServer())
        .get('/cases/r-404')
        .set('Authorization', issuer.bearer(token));
      expect(known.status).toBe(403);
      expect(unknown.status).toBe(403);
      expect(known.body).toEqual(unknown.body);
    }
    const anonymousKnown = await request(app.getHttpServer()).get('/cases/r-1');
    const anonymousUnknown = await request(app.getHttpServer()).get('/cases/r-404');
    expect([anonymousKnown.status, anonymousUnknown.status]).toEqual([401, 401]);
    expect(anonymousKnown.body).toEqual(anonymousUnknown.body);
  });

  it('admits the right role and agency', async () => {
    const token = await issuer.mintFor(socialWorker);
    await request(app.getHttpServer())
      .get('/cases/r-1')
      .set('Authorization', issuer.bearer(token))
      .expect(200, { found: true });
  });

  it('applies controller-level roles, and handler roles override them', async () => {
    const operator = await issuer.mintFor({ agency: 'operations', orgUnit: 'ops', roles: ['operator'] });
    await request(app.getHttpServer()).get('/ops').set('Authorization', issuer.bearer(operator)).expect(200);
    await request(app.getHttpServer())
      .get('/ops/override')
      .set('Authorization', issuer.bearer(operator))
      .expect(403);
    const owner = await issuer.mintFor({ agency: 'education', orgUnit: 'x', roles: ['data-owner'] });
    await request(app.getHttpServer()).get('/ops').set('Authorization', issuer.bearer(owner)).expect(403);
    await request(app.getHttpServer())
      .get('/ops/override')
      .set('Authorization', issuer.bearer(owner))
      .expect(200);
  });
});

describe('bearerTokenOf', () => {
  it('extracts a bearer token and nothing else', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('Basic abc')).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf(['Bearer a.b.c'])).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });
});
