import { useTranslation } from 'react-i18next';
import type { ScreenKey } from '../routes';
import { usePageTitle } from '../shell/page-title';

/** A screen whose content another change builds; it says in words what will be here. */
export function Placeholder({ screen }: { screen: Exclude<ScreenKey, 'profile'> }) {
  const { t } = useTranslation();
  const title = t(`screens.${screen}.title`);
  usePageTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <p>{t(`screens.${screen}.empty`)}</p>
    </>
  );
}
