import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { MunicipalityEntity } from '../entities';

export interface NewMunicipality {
  name: string;
  ags: string;
  population: number;
  lat: number;
  lon: number;
  state: string;
}

/** Municipalities are public reference data; reads join the running unit of work. */
@Injectable()
export class MunicipalityRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(MunicipalityEntity);
  }

  findById(id: string): Promise<MunicipalityEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<MunicipalityEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo
      .createQueryBuilder('m')
      .where('m.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  findByAgs(ags: string): Promise<MunicipalityEntity | null> {
    return this.repo.findOneBy({ ags });
  }

  /** Keyset page in stable (name, id) order. */
  list(limit: number, after?: { name: string; id: string }): Promise<MunicipalityEntity[]> {
    const qb = this.repo
      .createQueryBuilder('m')
      .orderBy('m.name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit);
    if (after) qb.where('(m.name, m.id) > (:name, :id)', after);
    return qb.getMany();
  }

  insert(m: NewMunicipality): Promise<MunicipalityEntity> {
    return this.repo.save(this.repo.create(m));
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
