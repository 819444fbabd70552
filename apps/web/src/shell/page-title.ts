import { useEffect } from 'react';

/** "Belegungsplan – allmende" in the tab and for screen readers announcing the page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – allmende`;
  }, [title]);
}
