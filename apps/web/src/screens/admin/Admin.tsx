import '../cockpit/coordination.css';
import { useTranslation } from 'react-i18next';
import { Link } from '../../router';
import { usePageTitle } from '../../shell/page-title';
import { Loaded, useMunicipalities, useParam, usePools } from '../cockpit/shared';
import { Municipalities } from './Municipalities';
import { Pools } from './Pools';
import { Resources } from './Resources';
import { Users } from './Users';
import { Webhooks } from './Webhooks';

const SECTIONS = ['gemeinden', 'verbuende', 'ressourcen', 'benutzer', 'webhooks', 'warteschlangen'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The installation's records: municipalities, pools and their members, resources and their
 * inspections, users with passwords and tokens, webhooks, and the way to the queue dashboard.
 */
export default function Admin() {
  const { t } = useTranslation();
  const [param, setParam] = useParam('bereich');
  const section: Section = SECTIONS.includes(param as Section) ? (param as Section) : 'gemeinden';
  usePageTitle(`${t(`admin.sections.${section}`)} – ${t('admin.title')}`);
  const pools = usePools();
  const towns = useMunicipalities();
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <nav aria-label={t('admin.sectionsLabel')} className="sub-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <Link
                to={`/verwaltung?bereich=${s}`}
                aria-current={s === section ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setParam(s);
                }}
              >
                {t(`admin.sections.${s}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="admin-section">
        <h2 id="admin-section">{t(`admin.sections.${section}`)}</h2>
        {section === 'gemeinden' && <Municipalities />}
        {section === 'warteschlangen' && (
          <p>
            {t('admin.queues.text')} <a href="/admin/queues">{t('admin.queues.link')}</a>
          </p>
        )}
        {section !== 'gemeinden' && section !== 'warteschlangen' && (
          <Loaded query={pools}>
            {(poolList) => (
              <Loaded query={towns}>
                {(townList) => (
                  <>
                    {section === 'verbuende' && <Pools pools={poolList} towns={townList} />}
                    {section === 'ressourcen' && <Resources pools={poolList} towns={townList} />}
                    {section === 'benutzer' && <Users pools={poolList} towns={townList} />}
                    {section === 'webhooks' && <Webhooks pools={poolList} />}
                  </>
                )}
              </Loaded>
            )}
          </Loaded>
        )}
      </section>
    </>
  );
}
