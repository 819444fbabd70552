import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { Loaded, Municipality, useMunicipalities } from '../cockpit/shared';
import { useChange } from './admin-api';
import { AdminForm, DataTable, Outcome, TextField, useFormState } from './admin-ui';

/** The installation's municipalities, and a form to add one. */
export function Municipalities() {
  const { t } = useTranslation();
  const list = useMunicipalities();
  const create = useChange<Record<string, unknown>>('POST', () => '/municipalities', true);
  const [form, set] = useFormState({ name: '', ags: '', population: '', lat: '', lon: '', state: 'HE' });
  const [done, setDone] = useState<string | null>(null);
  const decimal = (s: string) => Number(s.replace(',', '.'));
  return (
    <>
      <Loaded query={list}>
        {(items) => (
          <DataTable<Municipality>
            caption={t('admin.municipalities.caption', { count: items.length })}
            rows={items}
            columns={[
              { header: t('admin.name'), cell: (m) => m.name },
              { header: t('admin.municipalities.ags'), cell: (m) => m.ags },
              {
                header: t('admin.municipalities.population'),
                cell: (m) => formatNumber(m.population, 'de', 0),
              },
              { header: t('admin.municipalities.state'), cell: (m) => m.state },
            ]}
          />
        )}
      </Loaded>
      <h3>{t('admin.municipalities.add')}</h3>
      <AdminForm
        submitLabel={t('admin.municipalities.add')}
        pending={create.isPending}
        onSubmit={() => {
          setDone(null);
          create.mutate(
            {
              name: form.name,
              ags: form.ags,
              population: Number(form.population),
              location: { lat: decimal(form.lat), lon: decimal(form.lon) },
              state: form.state,
            },
            { onSuccess: () => setDone(t('admin.created', { name: form.name })) },
          );
        }}
      >
        <TextField id="m-name" label={t('admin.name')} value={form.name} onChange={set('name')} required />
        <TextField
          id="m-ags"
          label={t('admin.municipalities.ags')}
          hint={t('admin.municipalities.agsHint')}
          value={form.ags}
          onChange={set('ags')}
          inputMode="numeric"
        />
        <TextField
          id="m-pop"
          label={t('admin.municipalities.population')}
          value={form.population}
          onChange={set('population')}
          inputMode="numeric"
        />
        <TextField
          id="m-lat"
          label={t('admin.municipalities.lat')}
          value={form.lat}
          onChange={set('lat')}
          inputMode="decimal"
        />
        <TextField
          id="m-lon"
          label={t('admin.municipalities.lon')}
          value={form.lon}
          onChange={set('lon')}
          inputMode="decimal"
        />
        <TextField
          id="m-state"
          label={t('admin.municipalities.state')}
          value={form.state}
          onChange={set('state')}
          maxLength={2}
        />
      </AdminForm>
      <Outcome error={create.error} done={done} />
    </>
  );
}
