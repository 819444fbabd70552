import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_PERMISSION } from './require-permission.decorator';

export interface DeclaredRoute {
  controller: string;
  handler: string;
  method: string;
  /** Controller and handler paths joined, without the global prefix; one entry per path. */
  path: string;
  public: boolean;
  permission: string | undefined;
}

function paths(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value ?? ''];
  return list.map((p) => String(p).replace(/^\/+|\/+$/g, ''));
}

/** Every route of every controller in the application, with what it declares. */
@Injectable()
export class RouteDeclarations {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): DeclaredRoute[] {
    const routes: DeclaredRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | undefined;
      if (!type) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const handlerPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (handlerPath === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const targets = [handler, type];
        for (const base of paths(Reflect.getMetadata(PATH_METADATA, type))) {
          for (const own of paths(handlerPath)) {
            routes.push({
              controller: type.name,
              handler: name,
              method,
              path: [base, own].filter(Boolean).join('/'),
              public: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
              permission: this.reflector.getAllAndOverride<string | undefined>(REQUIRED_PERMISSION, targets),
            });
          }
        }
      }
    }
    return routes;
  }

  undeclared(): DeclaredRoute[] {
    return this.routes().filter((r) => !r.public && !r.permission);
  }
}

/** Deny by default, checked at boot too: a route without @RequirePermission or @Public stops the API. */
@Injectable()
export class RouteDeclarationCheck implements OnApplicationBootstrap {
  constructor(private readonly declarations: RouteDeclarations) {}

  onApplicationBootstrap(): void {
    const missing = this.declarations.undeclared();
    if (missing.length > 0) {
      const list = missing.map((r) => `${r.method} /${r.path} (${r.controller}.${r.handler})`).join(', ');
      throw new Error(`Routes without @RequirePermission or @Public: ${list}`);
    }
  }
}
