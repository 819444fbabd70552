import { Client } from 'pg';
import { CountryOptions, generateCountry } from '@allmende/database';
import { withDatabase } from './with-database';

export interface GenerateFlags {
  municipalities: string;
  resources: string;
  bookings: string;
  seed: string;
  year: string;
}

/** `allmende generate`: the country-sized data set into an empty database, with timings. */
export async function generate(flags: GenerateFlags): Promise<void> {
  const options: CountryOptions = {
    municipalities: Number(flags.municipalities),
    resources: Number(flags.resources),
    bookings: Number(flags.bookings),
    seed: Number(flags.seed),
    year: Number(flags.year),
  };
  await withDatabase(async (url) => {
    const client = new Client({ connectionString: url, application_name: 'allmende-generate' });
    await client.connect();
    const t0 = Date.now();
    try {
      const s = await generateCountry(client, options, (line) => process.stderr.write(`  … ${line}\n`));
      const f = (n: number) => n.toLocaleString('en');
      process.stdout.write(
        `Generated (seed ${options.seed}, year ${options.year}): ${f(s.municipalities)} municipalities in ${f(s.pools)} pools, ` +
          `${f(s.resources)} resources, ${f(s.bookings)} bookings in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
          `(municipalities ${s.seconds.municipalities.toFixed(1)} s, resources ${s.seconds.resources.toFixed(1)} s, ` +
          `bookings ${s.seconds.bookings.toFixed(1)} s, indexes ${s.seconds.indexes.toFixed(1)} s, analyze ${s.seconds.analyze.toFixed(1)} s)\n`,
      );
    } finally {
      await client.end();
    }
  });
}
