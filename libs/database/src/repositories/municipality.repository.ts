import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MunicipalityEntity } from '../entities';

export interface NewMunicipality {
  name: string;
  ags: string;
  population: number;
  lat: number;
  lon: number;
  state: string;
}

@Injectable()
export class MunicipalityRepository {
  constructor(@InjectRepository(MunicipalityEntity) private readonly repo: Repository<MunicipalityEntity>) {}

  findById(id: string): Promise<MunicipalityEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<MunicipalityEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.createQueryBuilder('m').where('m.id = ANY(:ids)', { ids: [...new Set(ids)] }).getMany();
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
