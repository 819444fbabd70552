import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './api/session';

export type ScreenKey = 'board' | 'bookings' | 'cockpit' | 'statements' | 'admin' | 'profile';

export interface Screen {
  key: ScreenKey;
  path: string;
  /** Who sees it in the navigation and may open it. */
  roles: readonly Role[];
  /** Loaded when first opened: the first page load carries only the shell. */
  component: LazyExoticComponent<ComponentType>;
}

const ALL: readonly Role[] = ['admin', 'coordinator', 'yard-manager', 'finance', 'viewer'];
const placeholder = (screen: Exclude<ScreenKey, 'profile'>) =>
  lazy(async () => {
    const { Placeholder } = await import('./screens/Placeholder');
    return { default: () => <Placeholder screen={screen} /> };
  });

const loadBoard = () => import('./board/Board');
// opened straight at the board (the yard manager's start): fetch its code beside the session check
if (typeof window !== 'undefined' && window.location.pathname.startsWith('/belegung')) void loadBoard();

/** The screens in navigation order. A screen's module replaces its placeholder here. */
export const SCREENS: readonly Screen[] = [
  { key: 'board', path: '/belegung', roles: ALL, component: lazy(loadBoard) },
  {
    key: 'bookings',
    path: '/buchungen',
    roles: ['admin', 'coordinator', 'yard-manager'],
    component: placeholder('bookings'),
  },
  {
    key: 'cockpit',
    path: '/engpaesse',
    roles: ['admin', 'coordinator'],
    component: lazy(() => import('./screens/cockpit/Cockpit')),
  },
  {
    key: 'statements',
    path: '/abrechnungen',
    roles: ['admin', 'coordinator', 'finance'],
    component: lazy(() => import('./screens/finance/Statements')),
  },
  {
    key: 'admin',
    path: '/verwaltung',
    roles: ['admin'],
    component: lazy(() => import('./screens/admin/Admin')),
  },
  { key: 'profile', path: '/profil', roles: ALL, component: lazy(() => import('./screens/Profile')) },
];

/** Where a role lands after sign-in. */
export function startPath(role: Role): string {
  switch (role) {
    case 'finance':
      return '/abrechnungen';
    case 'coordinator':
      return '/engpaesse';
    case 'admin':
      return '/verwaltung';
    case 'yard-manager':
    case 'viewer':
      return '/belegung';
  }
}

export function screensFor(role: Role): Screen[] {
  return SCREENS.filter((s) => s.roles.includes(role));
}

export function screenAt(path: string): Screen | undefined {
  return SCREENS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
}
