import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { failStartup } from '@allmende/config';
import { migrate } from './commands/migrate';
import { runStart } from './commands/start';

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
  .action(runStart);

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(() => migrate().catch(failStartup));

try {
  program.parse(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  throw e;
}
