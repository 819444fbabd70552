import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import type { CreateUserOptions } from './commands/create-user';
import type { ExportReportsOptions } from './commands/export-reports';
import type { GenerateFlags } from './commands/generate';
import type { SetPasswordOptions } from './commands/set-password';

// Every command's code (Nest, TypeORM, the solver, the document libraries) is loaded when that
// command runs, so `--help` and a mistyped option answer at once.
const failStartup = async (e: unknown): Promise<never> => (await import('@allmende/config')).failStartup(e);

const program = new Command()
  .name('allmende')
  .description('allmende admin CLI: shared machines and staff for municipalities')
  .showHelpAfterError()
  .exitOverride();

program
  .command('start')
  .description(
    'run the main job: database migrations, API and worker (embedded database unless DATABASE_URL)',
  )
  .action(async () => (await import('./commands/start')).runStart());

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => (await import('./commands/migrate')).migrate().catch(failStartup));

program
  .command('demo-data')
  .description('load the Werra-Meißner-Kreis demo region into an empty database and print the demo tokens')
  .option('--seed <n>', 'seed of the generated booking season', '1')
  .action(async (options: { seed: string }) =>
    (await import('./commands/demo-data')).demoData(options).catch(failStartup),
  );

program
  .command('generate')
  .description(
    'write a country-sized data set, deterministic by seed, into an empty database: municipalities, pools, machines and a year of bookings',
  )
  .option('--municipalities <n>', 'municipalities, up to 10800 (all of Germany)', '10800')
  .option('--resources <n>', 'machines, up to 100000', '10000')
  .option('--bookings <n>', 'bookings over the year, up to 10000000', '100000')
  .option('--seed <n>', 'seed: the same seed gives the same rows', '1')
  .option('--year <yyyy>', 'calendar year of the bookings', '2027')
  .action(async (options: GenerateFlags) =>
    (await import('./commands/generate')).generate(options).catch((e: unknown) => {
      process.stderr.write(`allmende generate: ${(e as Error).message}\n`);
      process.exit(1);
    }),
  );

program
  .command('solve-smptsp')
  .description(
    'solve a Shift Minimisation Personnel Task Scheduling instance (.dat) and print the assignment',
  )
  .argument('<file>')
  .option('--time-limit <seconds>', 'wall-clock limit for the search', '10')
  .option('--seed <n>', 'seed of the search (same seed, same answer)', '1')
  .option('--json', 'print only {"workersUsed": n, "assignment": [...]} on stdout')
  .action(async (file: string, options: { timeLimit: string; seed: string; json?: boolean }) =>
    (await import('./commands/solve-smptsp')).solveSmptsp(file, options).catch((e: unknown) => {
      process.stderr.write(`allmende solve-smptsp: ${(e as Error).message}\n`);
      process.exit(1);
    }),
  );

program
  .command('create-user')
  .description('create a user with a first API token, printed once')
  .argument('<email>')
  .argument('<name>')
  .argument('<role>', 'admin, coordinator, yard-manager, finance or viewer')
  .option('--municipality <id-or-ags>', "the user's municipality (all roles but admin)")
  .option('--pool <id...>', 'a pool the coordinator coordinates (repeatable)')
  .option('--token-name <name>', 'name of the token', 'default')
  .option('--expires-in-days <days>', 'lifetime of the token in days', '365')
  .action(async (email: string, name: string, role: string, options: CreateUserOptions) => {
    const { createUser, failCreateUser } = await import('./commands/create-user');
    await createUser(email, name, role, options).catch(failCreateUser);
  });

program
  .command('set-password')
  .description("set or reset a user's password for browser sign-in (argon2id); the user's sessions end")
  .requiredOption('--email <email>', "the user's email address")
  .option('--password-stdin', 'read the password from the first line of standard input')
  .action(async (options: SetPasswordOptions) => {
    const { failSetPassword, setPassword } = await import('./commands/set-password');
    await setPassword(options).catch(failSetPassword);
  });

program
  .command('export-reports')
  .description("write a pool's finance reports of a year as CSV and XLSX files into a folder")
  .option('--pool <id>', 'the pool (its id)')
  .option('--year <yyyy>', 'the calendar year, e.g. 2026')
  .option('--out <dir>', 'the folder to write to (created when missing)')
  .option('--language <de|en>', 'language of the files', 'de')
  .action(async (options: ExportReportsOptions) => {
    const { exportReports, failExportReports } = await import('./commands/export-reports');
    await exportReports(options).catch(failExportReports);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  throw e;
});
