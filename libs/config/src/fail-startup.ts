import { ConfigError } from './app-config';

/** Start-up failures end the process with one clear line (and the stack only when it helps). */
export function failStartup(error: unknown): never {
  const listen = error as { code?: unknown; port?: unknown; address?: unknown } | null;
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (listen?.code === 'EADDRINUSE') {
    process.stderr.write(
      `allmende could not start: port ${String(listen.port)} (${String(listen.address)}) is in use by another ` +
        `program, perhaps an allmende already running; stop it, or set PORT to a free port\n`,
    );
  } else if (error instanceof Error) {
    const known = ['EmbeddedDatabaseError', 'StartupError'].includes(error.name);
    process.stderr.write(
      `allmende could not start: ${known ? error.message : (error.stack ?? error.message)}\n`,
    );
  } else {
    process.stderr.write(`allmende could not start: ${String(error)}\n`);
  }
  process.exit(1);
}

/** A start-up problem the operator can fix; its message is shown without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}
