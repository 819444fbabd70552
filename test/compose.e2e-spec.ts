import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { ROOT } from './support/processes';

const COMPOSE = path.join(ROOT, 'docker/compose.yml');
const NGINX = path.join(ROOT, 'docker/nginx.conf');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}

/** YAML merge keys (`<<: *app`) as Compose applies them: the mapping's own keys win. */
function merged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(merged);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const own = value as Record<string, unknown>;
  const bases = own['<<'] === undefined ? [] : ([] as unknown[]).concat(own['<<']);
  for (const base of bases) Object.assign(out, merged(base));
  for (const [k, v] of Object.entries(own)) if (k !== '<<') out[k] = merged(v);
  return out;
}

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever this machine has. */
function composeBinary(): string[] | null {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(cmd[0], [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return cmd;
  }
  return null;
}

describe('docker/compose.yml: 2 API and 2 worker replicas behind nginx', () => {
  const doc = merged(load(fs.readFileSync(COMPOSE, 'utf8'))) as { services: Record<string, Service> };
  const services = doc.services;

  it('runs API and worker twice each, only the proxy published, with Redis shared by all', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'proxy', 'redis', 'worker']);
    expect(services.api.deploy?.replicas).toBe(2);
    expect(services.worker.deploy?.replicas).toBe(2);
    expect(services.worker.command?.join(' ')).toContain('dist/apps/worker/src/main.js');
    // Replicas cannot share a host port: only the proxy is published.
    expect(services.api.ports).toBeUndefined();
    expect(services.worker.ports).toBeUndefined();
    expect(services.proxy.ports).toEqual(['${ALLMENDE_HTTP_PORT:-8080}:80']);
    for (const name of ['api', 'worker'] as const) {
      const env = services[name].environment ?? {};
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.METRICS_TOKEN).toBeDefined();
    }
    expect(services.worker.environment?.WORKER_METRICS_PORT).toBe('9464');
  });

  it('balances the proxy over the api service, re-resolving its replicas', () => {
    expect(services.proxy.image).toMatch(/^nginx:/);
    expect(services.proxy.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    const conf = fs.readFileSync(NGINX, 'utf8');
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    expect(upstream).not.toBeNull();
    expect(upstream![2]).toMatch(/server\s+api:3000\s+resolve/);
    expect(upstream![2]).toMatch(/zone\s+\w+/);
    expect(conf).toContain(`proxy_pass http://${upstream![1]};`);
    expect(conf).toMatch(/resolver\s+127\.0\.0\.11/);
    expect(services.api.expose).toEqual(['3000']);
  });

  it('validates with docker compose config (or docker-compose config)', () => {
    const cmd = composeBinary();
    if (!cmd) {
      // Skipped, with the reason printed: neither binary is installed on this machine.
      process.stdout.write(
        'compose config: skipped, neither `docker compose` nor `docker-compose` is installed\n',
      );
      return;
    }
    const res = spawnSync(cmd[0], [...cmd.slice(1), '-f', COMPOSE, 'config'], {
      encoding: 'utf8',
      cwd: path.dirname(COMPOSE),
      env: { ...process.env, ALLMENDE_ADMIN_TOKEN: 'a'.repeat(32) },
    });
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.status).toBe(0);
    const resolved = load(res.stdout) as { services: Record<string, Service> };
    expect(resolved.services.api.deploy?.replicas).toBe(2);
    expect(resolved.services.worker.deploy?.replicas).toBe(2);
    expect(resolved.services.proxy.ports).toBeDefined();
  });
});
