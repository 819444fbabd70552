export { typeLabel, qualificationLabel } from '@allmende/core';

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
