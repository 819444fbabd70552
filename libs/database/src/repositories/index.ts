import { IdempotencyRepository } from './idempotency.repository';
import { MunicipalityRepository } from './municipality.repository';

export { IdempotencyRepository, MunicipalityRepository };
export type { NewMunicipality } from './municipality.repository';

export const REPOSITORIES = [MunicipalityRepository, IdempotencyRepository];
