import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { berlinDay, formatCents, formatDate } from '../../format';
import { Loaded, Municipality, Pool, useLanguage } from '../cockpit/shared';
import { Member, useChange, useList } from './admin-api';
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

const KEYS = ['population', 'equal', 'usage'];

/** The pools with their cost-sharing keys, a form for a new pool, and one pool's members. */
export function Pools({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [selected, setSelected] = useState(pools[0]?.id ?? '');
  const members = useList<Member>('members', `/pools/${selected}/members`, {
    enabled: Boolean(selected),
    paged: false,
  });
  const createPool = useChange<Record<string, unknown>>('POST', () => '/pools', true);
  const addMember = useChange<Record<string, unknown>>(
    'POST',
    (b) => `/pools/${String(b._pool)}/members`,
    true,
  );
  const [pool, setPool] = useFormState({ name: '', fieldOfAction: 'building-yard', key: 'population' });
  const [member, setMember] = useFormState({
    municipalityId: '',
    joinedOn: berlinDay(new Date()),
    leftOn: '',
  });
  const [done, setDone] = useState<string | null>(null);
  const townName = names(towns);
  const day = (d: string) => formatDate(`${d}T12:00:00Z`, language);
  return (
    <>
      <DataTable<Pool>
        caption={t('admin.pools.caption', { count: pools.length })}
        rows={pools}
        columns={[
          { header: t('admin.name'), cell: (p) => p.name },
          { header: t('admin.pools.field'), cell: (p) => p.fieldOfAction },
          {
            header: t('admin.pools.key'),
            cell: (p) => t(`admin.keys.${p.costSharing.key}`, { defaultValue: p.costSharing.key }),
          },
          {
            header: t('admin.pools.overhead'),
            cell: (p) => formatCents(p.costSharing.annualOverheadCents ?? 0, language),
          },
        ]}
      />
      <h3>{t('admin.pools.add')}</h3>
      <AdminForm
        submitLabel={t('admin.pools.add')}
        pending={createPool.isPending}
        onSubmit={() => {
          setDone(null);
          createPool.mutate(
            { name: pool.name, fieldOfAction: pool.fieldOfAction, costSharing: { key: pool.key } },
            { onSuccess: () => setDone(t('admin.created', { name: pool.name })) },
          );
        }}
      >
        <TextField id="p-name" label={t('admin.name')} value={pool.name} onChange={setPool('name')} />
        <TextField
          id="p-field"
          label={t('admin.pools.field')}
          value={pool.fieldOfAction}
          onChange={setPool('fieldOfAction')}
        />
        <SelectField
          id="p-key"
          label={t('admin.pools.key')}
          value={pool.key}
          onChange={setPool('key')}
          choices={KEYS.map((k) => ({ value: k, label: t(`admin.keys.${k}`) }))}
        />
      </AdminForm>
      <Outcome error={createPool.error} done={null} />
      <h3>{t('admin.pools.members')}</h3>
      <SelectField
        id="members-of"
        label={t('cockpitShared.pool')}
        value={selected}
        onChange={setSelected}
        choices={choicesOf(pools)}
      />
      <Loaded query={members}>
        {(items) => (
          <DataTable<Member>
            caption={t('admin.pools.members')}
            hiddenCaption
            rows={items}
            columns={[
              { header: t('admin.municipality'), cell: (m) => townName.get(m.municipalityId) ?? '—' },
              { header: t('admin.pools.joined'), cell: (m) => day(m.joinedOn) },
              { header: t('admin.pools.left'), cell: (m) => (m.leftOn ? day(m.leftOn) : '—') },
            ]}
          />
        )}
      </Loaded>
      <AdminForm
        submitLabel={t('admin.pools.addMember')}
        pending={addMember.isPending}
        onSubmit={() => {
          setDone(null);
          addMember.mutate(
            { _pool: selected, ...member },
            {
              onSuccess: () =>
                setDone(t('admin.pools.memberAdded', { name: townName.get(member.municipalityId) })),
            },
          );
        }}
      >
        <SelectField
          id="mem-town"
          label={t('admin.municipality')}
          value={member.municipalityId}
          onChange={setMember('municipalityId')}
          empty={t('cockpit.whatIf.choose')}
          choices={choicesOf(towns)}
        />
        <TextField
          id="mem-joined"
          type="date"
          label={t('admin.pools.joined')}
          value={member.joinedOn}
          onChange={setMember('joinedOn')}
        />
        <TextField
          id="mem-left"
          type="date"
          label={t('admin.pools.leftOptional')}
          value={member.leftOn}
          onChange={setMember('leftOn')}
        />
      </AdminForm>
      <Outcome error={addMember.error} done={done} />
    </>
  );
}
