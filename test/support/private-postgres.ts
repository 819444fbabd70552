import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A private PostgreSQL cluster (initdb into a temporary folder, its own port) for the fault tests
 * that stop and start the server: the shared server on 5432 is never touched. As root the
 * cluster's commands run as the `postgres` user, as PostgreSQL requires.
 */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  static create(port: number): PrivatePostgres {
    const root = '/usr/lib/postgresql';
    const versions = fs.existsSync(root)
      ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
      : [];
    if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}`);
    const bin = path.join(root, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, 'bin');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-private-pg-'));
    const pg = new PrivatePostgres(dir, port, bin);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:', dir]);
    pg.run('initdb', [
      '-D',
      path.join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/allmende`;
  }

  private run(command: string, args: string[]): void {
    const exe = path.join(this.bin, command);
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', exe, ...args], { stdio: 'pipe' });
    else execFileSync(exe, args, { stdio: 'pipe' });
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      path.join(this.dir, 'data'),
      '-l',
      path.join(this.dir, 'log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      'start',
    ]);
  }

  /** `fast`: sessions are ended and the server shuts down cleanly; `immediate`: as after a crash. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  createDatabase(name: string): void {
    this.run('createdb', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', name]);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // not running
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
