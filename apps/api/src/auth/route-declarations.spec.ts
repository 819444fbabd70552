import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Permission } from '@allmende/auth';
import { Public } from './public.decorator';
import { RequirePermission } from './require-permission.decorator';
import { RouteDeclarationCheck, RouteDeclarations } from './route-declarations';

@Controller('things')
class ThingsController {
  @Get()
  @RequirePermission(Permission.PoolsRead)
  list() {}

  @Get(['open', 'also-open'])
  @Public()
  open() {}

  @Post(':id/forgotten')
  forgotten() {}
}

@Controller('declared')
@RequirePermission(Permission.AuditRead)
class ClassLevelController {
  @Get()
  all() {}
}

describe('RouteDeclarations', () => {
  async function compile(controllers: (new () => object)[]) {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      controllers,
      providers: [RouteDeclarations, RouteDeclarationCheck],
    }).compile();
    return moduleRef;
  }

  it('lists every route with what it declares, and finds the undeclared one', async () => {
    const moduleRef = await compile([ThingsController, ClassLevelController]);
    const declarations = moduleRef.get(RouteDeclarations);
    expect(
      declarations
        .routes()
        .map((r) => `${r.method} ${r.path} ${r.public ? 'public' : (r.permission ?? '-')}`)
        .sort(),
    ).toEqual(
      [
        'GET declared audit:read',
        'GET things pools:read',
        'GET things/also-open public',
        'GET things/open public',
        'POST things/:id/forgotten -',
      ].sort(),
    );
    expect(declarations.undeclared().map((r) => `${r.controller}.${r.handler}`)).toEqual([
      'ThingsController.forgotten',
    ]);
  });

  it('refuses to boot an application with an undeclared route', async () => {
    const moduleRef = await compile([ThingsController]);
    expect(() => moduleRef.get(RouteDeclarationCheck).onApplicationBootstrap()).toThrow(
      'Routes without @RequirePermission or @Public: POST /things/:id/forgotten (ThingsController.forgotten)',
    );
    const fine = await compile([ClassLevelController]);
    expect(() => fine.get(RouteDeclarationCheck).onApplicationBootstrap()).not.toThrow();
  });
});
