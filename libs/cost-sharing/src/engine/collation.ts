/** German collation (umlauts) for ordering by name, built once: a Collator is costly to create. */
export const germanCollator = new Intl.Collator('de');
