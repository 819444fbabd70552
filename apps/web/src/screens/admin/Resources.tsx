import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { berlinDay, formatCents, formatDate } from '../../format';
import { Loaded, Municipality, Pool, useLanguage } from '../cockpit/shared';
import { AdminResource, useChange, useList } from './admin-api';
import {
  AdminForm,
  choicesOf,
  DataTable,
  Outcome,
  SelectField,
  TextField,
  names,
  useFormState,
} from './admin-ui';

const RESULTS = ['passed', 'passed-with-defects', 'failed'];

/** Machines and staff with their rates and next inspection, and a form to record an inspection. */
export function Resources({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const resources = useList<AdminResource>('resources', '/resources');
  const inspect = useChange<Record<string, unknown>>(
    'POST',
    (b) => `/resources/${String(b._resource)}/inspections`,
    true,
  );
  const [form, set] = useFormState({ resource: '', inspectedOn: berlinDay(new Date()), result: 'passed' });
  const [done, setDone] = useState<string | null>(null);
  const poolName = names(pools);
  const townName = names(towns);
  return (
    <Loaded query={resources}>
      {(items) => {
        const machines = items.filter((r) => r.kind === 'machine');
        return (
          <>
            <DataTable<AdminResource>
              caption={t('admin.resources.caption', { count: items.length })}
              rows={items}
              columns={[
                {
                  header: t('admin.name'),
                  cell: (r) => (
                    <>
                      {r.name}
                      {!r.active && <span className="tag"> {t('admin.resources.retired')}</span>}
                    </>
                  ),
                },
                {
                  header: t('admin.resources.type'),
                  cell: (r) => t(`types.${r.type}`, { defaultValue: r.type }),
                },
                { header: t('cockpitShared.pool'), cell: (r) => poolName.get(r.poolId) ?? '—' },
                { header: t('admin.resources.home'), cell: (r) => townName.get(r.homeMunicipalityId) ?? '—' },
                { header: t('admin.resources.rate'), cell: (r) => formatCents(r.hourlyRateCents, language) },
                {
                  header: t('admin.resources.inspection'),
                  cell: (r) =>
                    r.nextInspectionDue ? formatDate(`${r.nextInspectionDue}T12:00:00Z`, language) : '—',
                },
              ]}
            />
            <h3>{t('admin.resources.record')}</h3>
            <AdminForm
              submitLabel={t('admin.resources.record')}
              pending={inspect.isPending}
              disabled={!form.resource}
              onSubmit={() => {
                setDone(null);
                const name = machines.find((m) => m.id === form.resource)?.name ?? '';
                inspect.mutate(
                  { _resource: form.resource, inspectedOn: form.inspectedOn, result: form.result },
                  { onSuccess: () => setDone(t('admin.resources.recorded', { name })) },
                );
              }}
            >
              <SelectField
                id="i-resource"
                label={t('admin.resources.machine')}
                value={form.resource}
                onChange={set('resource')}
                empty={t('cockpit.whatIf.choose')}
                choices={choicesOf(machines)}
              />
              <TextField
                id="i-date"
                type="date"
                label={t('admin.resources.inspectedOn')}
                value={form.inspectedOn}
                onChange={set('inspectedOn')}
              />
              <SelectField
                id="i-result"
                label={t('admin.resources.result')}
                value={form.result}
                onChange={set('result')}
                choices={RESULTS.map((r) => ({ value: r, label: t(`admin.resources.results.${r}`) }))}
              />
            </AdminForm>
            <Outcome error={inspect.error} done={done} />
          </>
        );
      }}
    </Loaded>
  );
}
